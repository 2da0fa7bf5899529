"""The app factory uvicorn imports in each worker: the database path comes from the
environment, since workers are separate processes."""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from ameli_sandbox.app import create_app
from ameli_sandbox.http import ASGIApp, Receive, Scope, Send
from ameli_sandbox.middleware import AccessLog

DB_ENV = "AMELI_SANDBOX_DB"
ACCESS_LOG_ENV = "AMELI_SANDBOX_ACCESS_LOG"
# "0": serve without the sandbox's own endpoints (/v1/sandbox/...), as a real backend
# would be; for trying a client's behaviour against one. On by default.
CONTROLS_ENV = "AMELI_SANDBOX_CONTROLS"


class Served:
    """The service as one worker runs it: the redacted access log when asked, and a
    lifespan that closes the database on shutdown (WAL checkpointed, nothing left
    half-written after Ctrl-C or SIGTERM)."""

    def __init__(self, db_path: str, access_log: bool, sandbox_controls: bool = True) -> None:
        self.service = create_app(db_path, sandbox_controls=sandbox_controls)
        self.app: ASGIApp = AccessLog(self.service) if access_log else self.service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        await self.app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message: Any = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                conn = self.service.state.db
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    conn.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def no_delay(transport: Any) -> None:
    """TCP_NODELAY on a connection.

    asyncio sets it only on sockets whose `proto` is IPPROTO_TCP; the listening socket
    that `--workers N` hands to each worker process comes back with proto 0, so
    accepted connections kept Nagle's algorithm: the body, written after the headers,
    waited for the client's delayed ACK, 40 ms a request (measured: 23 requests/s per
    connection with 2 workers, against 2,600 with 1)."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    """h11 with TCP_NODELAY on every connection."""

    def connection_made(self, transport: Any) -> None:
        no_delay(transport)
        super().connection_made(transport)


def app_from_env() -> Served:
    return Served(
        os.environ[DB_ENV],
        os.environ.get(ACCESS_LOG_ENV, "1") != "0",
        sandbox_controls=os.environ.get(CONTROLS_ENV, "1") != "0",
    )


def run(
    db: Path,
    *,
    host: str,
    port: int,
    workers: int,
    access_log: bool,
    login_rate: int,
    graceful_timeout: int,
    trust_proxy: list[str] | None = None,
) -> None:
    """`ameli sandbox serve`: uvicorn with N worker processes over one database."""
    import signal

    import uvicorn

    from ameli_sandbox.app import open_database
    from ameli_sandbox.middleware import LOGIN_RATE_ENV

    open_database(db).close()  # migrate and seed once, before workers race for it
    # Workers are separate processes: they read their settings from the environment.
    os.environ[DB_ENV] = str(db)
    os.environ[ACCESS_LOG_ENV] = "1" if access_log else "0"
    os.environ[LOGIN_RATE_ENV] = str(login_rate)
    # uvicorn re-raises the signal it stopped on after a graceful shutdown; a handler
    # of ours receives it instead, so a clean stop (SIGTERM, Ctrl-C) exits 0.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    uvicorn.run(
        "ameli_sandbox.serve:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=log_config(),
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=graceful_timeout,
        # h11, not httptools: llhttp refuses a method it does not know (BREW) with a
        # 400 before the app can answer 405 with Allow, as the spec says (issue 18).
        http=NoDelayH11Protocol,
        loop="auto",  # uvloop when installed (a dependency: issue 18)
        # The rate limit keys on the client's address: X-Forwarded-For is believed only
        # from a proxy named with --trust-proxy (uvicorn otherwise trusts 127.0.0.1).
        proxy_headers=bool(trust_proxy),
        forwarded_allow_ips=trust_proxy or None,
    )


def log_config() -> dict[str, Any]:
    """uvicorn's own messages at warning level, and our access lines, on stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(message)s", "datefmt": "%Y-%m-%dT%H:%M:%S%z"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "uvicorn.error": {"level": "WARNING"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "ameli.sandbox.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }
