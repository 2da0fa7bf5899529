"""`ameli sandbox serve`: the app factory granian imports in each worker (the database
path and the settings come from the environment, since workers are separate
processes), and the server started with it. Only `sandbox serve` imports this module."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ameli_sandbox.app import create_app
from ameli_sandbox.http import ASGIApp, Receive, Scope, Send
from ameli_sandbox.middleware import AccessLog

DB_ENV = "AMELI_SANDBOX_DB"
ACCESS_LOG_ENV = "AMELI_SANDBOX_ACCESS_LOG"
# "0": serve without the sandbox's own endpoints (/v1/sandbox/...), as a real backend
# would be; for trying a client's behaviour against one. On by default.
CONTROLS_ENV = "AMELI_SANDBOX_CONTROLS"
# --trust-proxy's networks, comma-separated (empty: X-Forwarded-For is never believed).
TRUST_PROXY_ENV = "AMELI_SANDBOX_TRUST_PROXY"
MAIN_PID_ENV = "AMELI_SANDBOX_MAIN_PID"  # the process the workers must not outlive


class Served:
    """The service as one worker runs it: the redacted access log when asked, and a
    lifespan that closes the database on shutdown (WAL checkpointed, nothing left
    half-written after Ctrl-C or SIGTERM)."""

    def __init__(self, db_path: str, access_log: bool, sandbox_controls: bool = True) -> None:
        self.service = create_app(db_path, sandbox_controls=sandbox_controls)
        self.app: ASGIApp = AccessLog(self.service) if access_log else self.service
        self.checkpoints = Checkpoints(db_path)
        # The thread checkpoints; SQLite's own checkpoint after a commit stays only as
        # a safety net, far later than its 1,000 pages (see Checkpoints).
        self.service.state.db.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        await self.app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message: Any = await receive()
            if message["type"] == "lifespan.startup":
                self.checkpoints.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.checkpoints.stop()
                conn = self.service.state.db
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    conn.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


CHECKPOINT_SECONDS = 0.5
AUTOCHECKPOINT_PAGES = 4_000  # ~16 MB of WAL (see Checkpoints)


class Checkpoints:
    """The WAL copied back into the database by a thread of the worker, once a second.

    SQLite checkpoints after the commit that takes the WAL past 1,000 pages, in the
    committing connection: here the event loop's thread, which then stood still for
    the copy and its fsyncs (10-40 ms measured on this machine's disk) while every
    other request of the worker waited, the mixed load's p99 (issue 18). The thread's
    own connection does a PASSIVE checkpoint (it never blocks writers nor readers);
    sqlite3 lets go of the GIL while SQLite works, so the loop keeps serving."""

    def __init__(self, db_path: str) -> None:
        import threading

        self.db_path = db_path
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)

    def start(self) -> None:
        if self.db_path != ":memory:":
            self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(5)

    def _run(self) -> None:
        import sqlite3

        conn = sqlite3.connect(self.db_path, isolation_level=None, check_same_thread=False)
        try:
            while not self.stopping.wait(CHECKPOINT_SECONDS):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    continue  # busy or locked: the next second will do
        finally:
            conn.close()


def die_with_parent() -> None:
    """A worker ends when the server's main process does, even killed (SIGKILL, the
    OOM killer): granian always serves from worker processes, and one left behind
    would keep answering on the port with nobody to stop it. Linux only (prctl);
    elsewhere a killed main process leaves its workers, as uvicorn's did."""
    import ctypes
    import ctypes.util
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != int(os.environ.get(MAIN_PID_ENV, os.getppid())):
        os._exit(1)  # the main process died before prctl took effect


def lean_logging() -> None:
    """What the access log's records need and no more: the logging HOWTO's
    "optimization" switches. Each record otherwise walks the stack for the caller's
    file and line, and asks for the thread and process names, none of which our
    format prints (~15 % of the log's cost, issue 18). In the worker only."""
    import logging

    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def app_from_env() -> ASGIApp:
    die_with_parent()
    access_log = os.environ.get(ACCESS_LOG_ENV, "1") != "0"
    if access_log:
        lean_logging()
    app: ASGIApp = Served(
        os.environ[DB_ENV],
        access_log,
        sandbox_controls=os.environ.get(CONTROLS_ENV, "1") != "0",
    )
    trusted = [part for part in os.environ.get(TRUST_PROXY_ENV, "").split(",") if part]
    if trusted:
        # X-Forwarded-For believed only from these networks (--trust-proxy): the login
        # rate limit keys on the client's address.
        from granian.utils.proxies import wrap_asgi_with_proxy_headers

        app = wrap_asgi_with_proxy_headers(app, trusted_hosts=trusted)
    return app


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
    """`ameli sandbox serve`: granian (HTTP in Rust, issue 18) with N worker processes
    over one database. SIGTERM or Ctrl-C: no new connection, the requests in flight
    answered (up to `graceful_timeout` seconds), the database closed, exit 0."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces, Loops
    from granian.log import LogLevels

    from ameli_sandbox.app import open_database
    from ameli_sandbox.middleware import LOGIN_RATE_ENV

    open_database(db).close()  # migrate and seed once, before workers race for it
    # Workers are separate processes: they read their settings from the environment.
    os.environ[DB_ENV] = str(db)
    os.environ[ACCESS_LOG_ENV] = "1" if access_log else "0"
    os.environ[LOGIN_RATE_ENV] = str(login_rate)
    os.environ[TRUST_PROXY_ENV] = ",".join(trust_proxy or ())
    os.environ[MAIN_PID_ENV] = str(os.getpid())
    Granian(
        "ameli_sandbox.serve:app_from_env",
        factory=True,
        address=host,
        port=port,
        # ASGI with lifespan (Served closes the database on shutdown). granian parses
        # HTTP in Rust (hyper): a method it does not know (BREW) still reaches the app,
        # which answers 405 with Allow as the spec says, where llhttp (uvicorn's fast
        # parser) answers 400 itself (tests/test_service.py, the hostile sweep).
        interface=Interfaces.ASGI,
        http=HTTPModes.http1,
        websockets=False,
        workers=workers,
        loop=Loops.auto,  # uvloop when installed
        log_level=LogLevels.warning,
        log_dictconfig=log_config(),
        log_access=False,  # ours (AccessLog) masks NIRs and never shows a token
        workers_kill_timeout=graceful_timeout,
    ).serve()


def log_config() -> dict[str, Any]:
    """granian's own messages at warning level, and our access lines, on stderr."""
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
            "_granian": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "granian.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "ameli.sandbox.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }
