"""The embedded sandbox: the reference service run in this process, the CLI's only
door into `ameli_sandbox`. Imported only when the sandbox backend is used.

The synchronous client calls the service without httpx (`EmbeddedExchange`: requests
encoded by `exchange.DirectSession`, one ASGI call each through
`ameli_sandbox.inprocess.call_app`); batches use httpx's `ASGITransport` with
`httpx.AsyncClient`; `EmbeddedTransport` (an httpx transport, built on first use) is
there for code that wants an `httpx.Client` onto the sandbox.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ameli_cli.api.exchange import Answer, InProcessExchange, RawHeaders
from ameli_cli.runtime.config import SANDBOX_DB_FILE
from ameli_cli.runtime.errors import AmeliError
from ameli_cli.runtime.i18n import _
from ameli_sandbox.app import DatabaseUnreadable, create_app, recreate_database
from ameli_sandbox.inprocess import call_app

if TYPE_CHECKING:
    from ameli_cli.api.backend_plugin import BackendRequest
    from ameli_cli.api.httpx_without_cli import httpx


class SandboxUnreadable(AmeliError):
    """The embedded sandbox's file cannot be read; `ameli sandbox reset` recreates it."""

    def __init__(self, db: Path, error: str) -> None:
        super().__init__(
            _(
                "Le bac à sable {path} est illisible ({error}) : recréez-le avec"
                " « ameli sandbox reset --yes »."
            ).format(path=db, error=error)
        )
        self.db = db


def _create_app(db: Path) -> Any:
    try:
        return create_app(db, lazy=True)
    except DatabaseUnreadable as exc:
        raise SandboxUnreadable(db, str(exc)) from None


def recreate(db: Path, *, pinned_day: date | None = None) -> None:
    """A new seeded sandbox in place of an unreadable file."""
    recreate_database(db, pinned_day=pinned_day)


def backend(request: BackendRequest) -> InProcessExchange | httpx.AsyncBaseTransport:
    """The `sandbox` entry point of the `ameli_cli.backends` group: the reference
    service over the user's own file, in this process."""
    db = request.data_dir / SANDBOX_DB_FILE
    return async_transport(db) if request.asynchronous else EmbeddedExchange(db)


class EmbeddedExchange(InProcessExchange):
    """The synchronous client's way in: one ASGI call per request, no httpx."""

    def __init__(self, sandbox_db: Path) -> None:
        self._app = _create_app(sandbox_db)

    def exchange(
        self, method: str, raw_path: bytes, query: bytes, headers: RawHeaders, body: bytes
    ) -> Answer:
        answer = call_app(self._app, method, raw_path, query, headers, body)
        return Answer(answer.status, answer.headers, answer.body)

    def close(self) -> None:
        self._app.state.db.close()


def __getattr__(name: str) -> Any:
    """`EmbeddedTransport` is made on first use: it subclasses an httpx class, and
    the CLI's own path must not import httpx."""
    if name == "EmbeddedTransport":
        transport = _embedded_transport_class()
        globals()[name] = transport
        return transport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _embedded_transport_class() -> type[httpx.BaseTransport]:
    from ameli_cli.api.httpx_without_cli import httpx

    class EmbeddedTransport(httpx.BaseTransport):
        """A synchronous httpx transport onto the in-process ASGI app (one exchange
        per request through `call_app`)."""

        def __init__(self, sandbox_db: Path) -> None:
            self._app = _create_app(sandbox_db)

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            answer = call_app(
                self._app,
                request.method,
                request.url.raw_path.split(b"?")[0],
                request.url.query,
                request.headers.raw,
                request.read(),
            )
            return httpx.Response(answer.status, headers=answer.headers, content=answer.body)

        def close(self) -> None:
            self._app.state.db.close()

    return EmbeddedTransport


def async_transport(sandbox_db: Path) -> httpx.AsyncBaseTransport:
    """For `httpx.AsyncClient` (batches): the app is async already."""
    from ameli_cli.api.httpx_without_cli import httpx

    return httpx.ASGITransport(app=_create_app(sandbox_db), raise_app_exceptions=False)


def serve(db: Path, **options: Any) -> None:
    """`ameli sandbox serve`: the same service over HTTP (see ameli_sandbox.serve.run)."""
    from ameli_sandbox.serve import run

    run(db, **options)
