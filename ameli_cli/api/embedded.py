"""Transports onto the embedded sandbox: the reference service run in this process.

Requests keep full HTTP semantics (httpx on both ends of an ASGI call) without a
socket. Imported only when the sandbox backend is used.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from ameli_cli.api.httpx_without_cli import httpx
from ameli_sandbox.app import create_app


class EmbeddedTransport(httpx.BaseTransport):
    """A synchronous transport onto the in-process ASGI app.

    httpx's ASGITransport is async-only and the CLI is synchronous, so each request
    runs on a private event loop kept for the life of the transport.
    """

    def __init__(self, sandbox_db: Path) -> None:
        self._app = create_app(sandbox_db)
        self._asgi = httpx.ASGITransport(app=self._app, raise_app_exceptions=False)
        self._loop = asyncio.new_event_loop()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()

        async def exchange() -> tuple[httpx.Response, bytes]:
            response = await self._asgi.handle_async_request(request)
            return response, await response.aread()

        response, content = self._loop.run_until_complete(exchange())
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def close(self) -> None:
        self._loop.close()
        self._app.state.db.close()


def async_transport(sandbox_db: Path) -> httpx.AsyncBaseTransport:
    """For `httpx.AsyncClient` (batches): the app is async already."""
    return httpx.ASGITransport(app=create_app(sandbox_db), raise_app_exceptions=False)


def sandbox_today(sandbox_db: Path) -> date | None:
    """The embedded sandbox's date (its clock moves with `sandbox advance` and can be
    pinned with AMELI_SANDBOX_TODAY); None when there is no database yet."""
    import sqlite3

    from ameli_sandbox import clock

    if not sandbox_db.exists():
        return None
    conn = sqlite3.connect(f"file:{sandbox_db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return clock.today(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
