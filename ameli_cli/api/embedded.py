"""Transports onto the embedded sandbox: the reference service run in this process.

Requests keep full HTTP semantics (httpx on both ends of an ASGI call) without a
socket. Imported only when the sandbox backend is used.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ameli_cli.api.httpx_without_cli import httpx
from ameli_cli.runtime.config import SANDBOX_DB_FILE
from ameli_cli.runtime.errors import AmeliError
from ameli_cli.runtime.i18n import _
from ameli_sandbox.app import DatabaseUnreadable, create_app, recreate_database
from ameli_sandbox.inprocess import call_app


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


if TYPE_CHECKING:
    from ameli_cli.api.backend_plugin import BackendRequest


def backend(request: BackendRequest) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
    """The `sandbox` entry point of the `ameli_cli.backends` group: the reference
    service over the user's own file, in this process."""
    db = request.data_dir / SANDBOX_DB_FILE
    return async_transport(db) if request.asynchronous else EmbeddedTransport(db)


class EmbeddedTransport(httpx.BaseTransport):
    """A synchronous httpx transport onto the in-process ASGI app (one exchange per
    request through `ameli_sandbox.inprocess.call_app`)."""

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


def async_transport(sandbox_db: Path) -> httpx.AsyncBaseTransport:
    """For `httpx.AsyncClient` (batches): the app is async already."""
    return httpx.ASGITransport(app=_create_app(sandbox_db), raise_app_exceptions=False)


def serve(db: Path, **options: Any) -> None:
    """`ameli sandbox serve`: the same service over HTTP (see ameli_sandbox.serve.run)."""
    from ameli_sandbox.serve import run

    run(db, **options)
