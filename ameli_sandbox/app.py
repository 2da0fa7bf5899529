"""The reference service as an ASGI application over one SQLite file."""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import date
from functools import cache
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from ameli_sandbox import clock, middleware, route_index, store
from ameli_sandbox.http import (
    ClientDisconnect,
    HTTPException,
    JSONResponse,
    Receive,
    Request,
    Response,
    Scope,
    Send,
    State,
)
from ameli_sandbox.lazy_routes import CONTROLS, FeatureRouter
from ameli_sandbox.problems import Problem
from ameli_sandbox.routing import NONE, Route
from ameli_sandbox.spec_checks import checked, checked_by

# Resource modules, in dependency order (see features/__init__.py).
FEATURES = (
    "accounts",
    "devices",
    "password",
    "profile",
    "messages",
    "attestations",
    "audit",
    "vitale",
    "ceam",
    "payments",
    "transfers",
    "releves",
    "limits",
    "estimates",
    "medecin_traitant",
    "beneficiaires",
    "css",
    "documents_sent",
)
OPENAPI_DIR = Path(__file__).parent / "openapi"
# The fragment of the sandbox's own controls (controls.py): served only with them.
SANDBOX_FRAGMENT = "sandbox.json"


def feature_modules() -> list[ModuleType]:
    return [import_module(f"ameli_sandbox.features.{name}") for name in FEATURES]


class DatabaseUnreadable(Exception):
    """The file is not a database this service can read (damaged, or another
    program's); `recreate_database` starts it afresh."""


def schema_stamp(modules: list[ModuleType]) -> int:
    """A number for "these components, at these migration counts, migrated and seeded":
    kept in the file's `PRAGMA user_version` once `open_database` has done both."""
    shape = ",".join(f"{m.COMPONENT}:{len(m.MIGRATIONS)}" for m in modules)
    return zlib.crc32(shape.encode("utf-8")) & 0x7FFFFFFF or 1


def open_database(path: Path | str, *, pinned_day: date | None = None) -> sqlite3.Connection:
    """Connect, bring the schema up to date and seed a new database (its clock
    pinned to `pinned_day` first when given: see clock.py)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        Path(path).parent.chmod(0o700)  # health data: private even if the dir existed
    try:
        conn = store.connect(path)
        # A file stamped with today's schema was migrated and seeded by this code
        # already: skip importing every feature to find nothing to do (issue 18).
        # The stamp changes with any component's migration count (route_index.py is
        # regenerated from the modules; a test fails when it is stale).
        current = pinned_day is None and store.user_version(conn) == route_index.SCHEMA_STAMP
        if not current:
            modules = feature_modules()
            store.migrate(conn, modules)
            if pinned_day is not None:
                clock.pin(conn, pinned_day)
            seed_if_empty(conn, modules)
            store.set_user_version(conn, schema_stamp(modules))
    except sqlite3.DatabaseError as exc:
        # Exactly DatabaseError: "file is not a database", "disk image is malformed".
        # Its subclasses (a lock held too long, a full disk) leave the file as it is.
        if type(exc) is not sqlite3.DatabaseError:
            raise
        raise DatabaseUnreadable(str(exc)) from None
    if str(path) != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            candidate = Path(f"{path}{suffix}")
            if candidate.exists():
                candidate.chmod(0o600)
    return conn


def recreate_database(path: Path, *, pinned_day: date | None = None) -> None:
    """Delete the file (and its WAL) and make a new seeded one: the way out when it
    cannot be read, where `reset_database` needs a readable file."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(path, pinned_day=pinned_day).close()


def seed_if_empty(conn: sqlite3.Connection, modules: list[ModuleType]) -> bool:
    """Seed each component once. Per component, so that a database made before a
    resource existed gets that resource's seeded data when it first appears."""
    if conn.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone():
        # A database from before per-component seeding: only accounts existed then.
        conn.execute("UPDATE meta SET key = 'seeded:accounts' WHERE key = 'seeded'")
    done = {
        row["key"].removeprefix("seeded:")
        for row in conn.execute("SELECT key FROM meta WHERE key LIKE 'seeded:%'")
    }
    pending = [m for m in modules if m.COMPONENT not in done]
    if not pending:
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have seeded while we waited for the lock.
        _seed_missing(conn, modules)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return True


def _seed_missing(conn: sqlite3.Connection, modules: list[ModuleType]) -> None:
    """Seed the components not marked seeded; inside the caller's transaction."""
    done = {
        row["key"].removeprefix("seeded:")
        for row in conn.execute("SELECT key FROM meta WHERE key LIKE 'seeded:%'")
    }
    # Imported here: python-stdnum's IBAN registry costs ~15 ms to load.
    from ameli_sandbox.people import PEOPLE

    today = clock.today(conn)
    stamp = clock.iso(clock.now(conn))
    for module in modules:
        if module.COMPONENT in done:
            continue
        module.seed(conn, PEOPLE, today)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)", (f"seeded:{module.COMPONENT}", stamp)
        )


def reset_database(conn: sqlite3.Connection, *, pinned_day: date | None = None) -> None:
    """Every table emptied and seeded again, the clock back to real time, in one
    transaction: other workers on the same file see the old data or the new, never
    an empty service. The schema stays (same migrations), and so do the tables a
    component lists in KEPT_ON_RESET (the signing keys: yesterday's attestations
    must keep verifying), after its `before_reset` hook (which retires the key)."""
    modules = feature_modules()
    kept = {name for m in modules for name in getattr(m, "KEPT_ON_RESET", ())}
    tables = [
        row["name"]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name != 'schema_versions'"
        )
        if row["name"] not in kept
    ]
    conn.execute("BEGIN IMMEDIATE")
    try:
        for module in modules:  # on the clock before the reset moves it
            if hasattr(module, "before_reset"):
                module.before_reset(conn)
        conn.execute("PRAGMA defer_foreign_keys = ON")  # empty in any order
        for table in tables:
            conn.execute(f'DELETE FROM "{table}"')
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
            conn.execute("DELETE FROM sqlite_sequence")  # ids as in a new file
        if pinned_day is not None:  # before seeding: the history is dated from it
            clock.pin(conn, pinned_day)
        _seed_missing(conn, modules)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


@cache
def openapi_document(sandbox_controls: bool = True) -> dict[str, Any]:
    """The checked-in spec: `base.json` plus one fragment per resource, merged (the
    sandbox controls' fragment only when the service serves them)."""
    document: dict[str, Any] = json.loads((OPENAPI_DIR / "base.json").read_text("utf-8"))
    for fragment_path in sorted(OPENAPI_DIR.glob("*.json")):
        if fragment_path.name == "base.json":
            continue
        if fragment_path.name == SANDBOX_FRAGMENT and not sandbox_controls:
            continue
        fragment = json.loads(fragment_path.read_text("utf-8"))
        document["paths"].update(fragment.get("paths", {}))
        for section, entries in fragment.get("components", {}).items():
            document["components"].setdefault(section, {}).update(entries)
    return middleware.add_shared_responses(document)


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(request.app.state.sandbox_controls))


def answer_for(request: Request, exc: Exception) -> Response | None:
    """The answer to an exception a handler or the routing raised, when it is one
    the service expects (a problem, a 404/405, a client gone); None otherwise."""
    if isinstance(exc, Problem):
        return exc.response()
    if isinstance(exc, HTTPException):
        return _http_exception_answer(request, exc)
    if isinstance(exc, ClientDisconnect):
        return _client_disconnect_answer(request)
    return None


def _http_exception_answer(request: Request, exc: HTTPException) -> Response:
    codes = {404: "not_found", 405: "method_not_allowed"}
    response = Problem(
        exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail)
    ).response()
    if exc.status_code == 405:
        # Every method the path answers (one path may have a Route per method), as
        # RFC 9110 asks; TRACE and unknown methods land here.
        response.headers["Allow"] = ", ".join(allowed_methods(request))
    return response


def allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != NONE:
            methods |= route.methods
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    return sorted(methods, key=lambda m: order.index(m) if m in order else len(order))


def _client_disconnect_answer(request: Request) -> Response:
    """The client went away mid-body: nothing to answer, nothing went wrong here. One
    log line when served (not a 500 with a traceback)."""
    import logging

    logging.getLogger(middleware.ACCESS_LOGGER).info(
        "client disconnected before sending the whole body: %s %s",
        request.method,
        middleware.redact_target(request.url.path, b""),
    )
    return Problem(400, "client_disconnected", "Client disconnected", "Body incomplete.").response()


def internal_error() -> Response:
    return Problem(
        500, "internal_error", "Internal error", "The service failed; the request may be retried."
    ).response()


def _indexed_checks(route: Route) -> Route:
    """The spec's checks from route_index.RULES (generated from the same spec by the
    same code, spec_checks.rules_for; a test fails when it is stale): the embedded
    sandbox then reads no JSON spec (18 files, ~5 ms) to answer one request. A route
    the index does not know is checked from the spec itself."""
    methods = [m for m in route.methods or () if m != "HEAD"]
    try:
        rules = {m: route_index.RULES[(m, route.path)] for m in methods}
    except KeyError:
        return checked(route, openapi_document())
    return checked_by(
        route,
        {
            m: (frozenset(names), None if body is None else frozenset(body))
            for m, (names, body) in rules.items()
        },
    )


class Service:
    """The ASGI app: the service's middleware around the router, the expected
    exceptions (`answer_for`) answered inside the middleware, anything else a 500
    problem outside it, then raised again for the server to log (as Starlette did)."""

    def __init__(self, router: FeatureRouter, middleware_stack: list[Any]) -> None:
        self.router = router
        self.state = State()
        app: Any = self._answering
        for cls, options in reversed(middleware_stack):
            app = cls(app, **options)
        self._app = app

    @property
    def routes(self) -> list[Route]:
        return self.router.routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        store.new_request(getattr(self.state, "db", None))
        started = False

        async def tracked_send(message: Any) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self._app(scope, receive, tracked_send)
        except Exception:
            if not started:
                await internal_error()(scope, receive, send)
            raise

    async def _answering(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.router(scope, receive, send)
        except (Problem, HTTPException, ClientDisconnect) as exc:
            response = answer_for(Request(scope, receive), exc)
            assert response is not None
            await response(scope, receive, send)


async def _lifespan(receive: Receive, send: Send) -> None:
    """Nothing to start or stop (serve.Served closes the database itself)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_app(
    db_path: Path | str, *, sandbox_controls: bool = True, lazy: bool = False
) -> Service:
    """The service over this file. `sandbox_controls=False` serves it as a real
    backend would be: without `/v1/sandbox/...` (accounts, codes, clock, reset).
    `lazy=True` (the embedded sandbox: a request or two per process) imports each
    feature when a request first needs it (lazy_routes.py); a server loads all now."""
    conn = open_database(db_path)
    order = [*FEATURES, *([CONTROLS] if sandbox_controls else [])]
    router = FeatureRouter(
        [Route("/openapi.json", openapi, methods=["GET"])],
        order,
        _indexed_checks if lazy else lambda route: checked(route, openapi_document()),
    )
    if not lazy:
        router.load_all()
    # Body limits and login rate limiting (issue 8), on every path to the service.
    app = Service(router, middleware.service_middleware())
    app.state.db = conn
    app.state.db_path = str(db_path)
    app.state.sandbox_controls = sandbox_controls
    return app
