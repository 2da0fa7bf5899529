"""The reference service as an ASGI application (Starlette) over one SQLite file."""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ameli_sandbox import clock, middleware, store
from ameli_sandbox.problems import Problem

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
    "limits",
)
OPENAPI_DIR = Path(__file__).parent / "openapi"


def feature_modules() -> list[ModuleType]:
    return [import_module(f"ameli_sandbox.features.{name}") for name in FEATURES]


def open_database(path: Path | str) -> sqlite3.Connection:
    """Connect, bring the schema up to date and seed a new database."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        Path(path).parent.chmod(0o700)  # health data: private even if the dir existed
    conn = store.connect(path)
    modules = feature_modules()
    store.migrate(conn, modules)
    seed_if_empty(conn, modules)
    if str(path) != ":memory:":
        for suffix in ("", "-wal", "-shm"):
            candidate = Path(f"{path}{suffix}")
            if candidate.exists():
                candidate.chmod(0o600)
    return conn


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
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return True


@cache
def openapi_document() -> dict[str, Any]:
    """The checked-in spec: `base.json` plus one fragment per resource, merged."""
    document: dict[str, Any] = json.loads((OPENAPI_DIR / "base.json").read_text("utf-8"))
    for fragment_path in sorted(OPENAPI_DIR.glob("*.json")):
        if fragment_path.name == "base.json":
            continue
        fragment = json.loads(fragment_path.read_text("utf-8"))
        document["paths"].update(fragment.get("paths", {}))
        for section, entries in fragment.get("components", {}).items():
            document["components"].setdefault(section, {}).update(entries)
    return middleware.add_shared_responses(document)


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


async def _problem_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return exc.response()


async def _http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    return Problem(
        exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail)
    ).response()


async def _server_error_handler(request: Request, exc: Exception) -> Response:
    return Problem(
        500, "internal_error", "Internal error", "The service failed; the request may be retried."
    ).response()


def create_app(db_path: Path | str) -> Starlette:
    conn = open_database(db_path)
    routes: list[Route] = [Route("/openapi.json", openapi, methods=["GET"])]
    for module in feature_modules():
        routes.extend(module.routes())
    app = Starlette(
        routes=routes,
        # Body limits and login rate limiting (issue 8), on every path to the service.
        middleware=middleware.service_middleware(),
        exception_handlers={
            Problem: _problem_handler,
            HTTPException: _http_exception_handler,
            Exception: _server_error_handler,
        },
    )
    app.state.db = conn
    app.state.db_path = str(db_path)
    return app
