"""Shared fixtures: private user dirs, an in-memory keyring, the CLI run in-process,
and both backends (the embedded sandbox, and the same service over real HTTP)."""

from __future__ import annotations

import os

# The suite asserts on French text (the default language), whatever the machine's
# locale; English is tested in subprocesses. Set before ameli_cli is imported.
os.environ["AMELI_LANG"] = "fr"
# Tables fit COLUMNS when it is exported: a developer's shell or pytest-xdist's workers
# (which export COLUMNS=80) must not change what the tests see; tests that want a
# width set it for their call.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

import contextlib
import io
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from ameli_sandbox.people import PEOPLE, Person


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def person(key: str) -> Person:
    return next(p for p in PEOPLE if p.key == key)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes

    @property
    def json(self):  # type: ignore[no-untyped-def]
        import json

        return json.loads(self.stdout)


class _Stdout(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded database per test session, copied for each test (seeding hashes
    passwords with scrypt and generates years of history: too slow to redo)."""
    from ameli_sandbox.app import open_database

    path = tmp_path_factory.mktemp("template") / "sandbox.sqlite3"
    conn = open_database(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template_db: Path) -> Path:
    home = tmp_path / "home"
    for name, var in (
        ("config", "AMELI_CONFIG_DIR"),
        ("data", "AMELI_DATA_DIR"),
        ("cache", "AMELI_CACHE_DIR"),
    ):
        monkeypatch.setenv(var, str(home / name))
    (home / "data").mkdir(parents=True)
    shutil.copy(template_db, home / "data" / "sandbox.sqlite3")
    for var in (
        "AMELI_TOKEN",
        "AMELI_BACKEND",
        "AMELI_PROFILE",
        "AMELI_FORCE_TTY",
        "NO_COLOR",
        "AMELI_LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AMELI_KEYRING_TIMEOUT", "2")
    return home


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def failing_keyring() -> Iterator[None]:
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(previous)


class HttpServer:
    """The reference service over real HTTP (uvicorn on loopback) in a thread."""

    def __init__(self, db_path: Path, *, sandbox_controls: bool = True) -> None:
        import uvicorn

        self.sandbox_controls = sandbox_controls
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            self.make_app(db_path),
            host="127.0.0.1",
            port=self.port,
            log_level="error",
            access_log=False,
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)

    def make_app(self, db_path: Path) -> Any:
        from ameli_sandbox.app import create_app

        return create_app(db_path, sandbox_controls=self.sandbox_controls)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(params=["sandbox", "http"])
def backend(
    request: pytest.FixtureRequest, user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Runs the test twice: embedded sandbox, then over HTTP (AMELI_BACKEND set)."""
    if request.param == "sandbox":
        yield "sandbox"
        return
    server = HttpServer(user_dirs / "data" / "sandbox.sqlite3")
    monkeypatch.setenv("AMELI_BACKEND", server.url)
    try:
        yield server.url
    finally:
        server.stop()


Cli = Callable[..., Result]


@pytest.fixture
def cli(user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `ameli ARGS` in this process through the real entry point (argument
    hoisting, error handling, exit codes), with stdin/stdout/stderr captured.
    `env` applies to this one call."""
    from ameli_cli.__main__ import run

    def invoke(
        *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None
    ) -> Result:
        raw_in = input.encode() if isinstance(input, str) else (input or b"")
        out_buffer = io.BytesIO()
        err = io.StringIO()
        stdin = io.TextIOWrapper(io.BytesIO(raw_in), encoding="utf-8")
        stdout = _Stdout(out_buffer, encoding="utf-8", write_through=True)
        with monkeypatch.context() as patch:
            for key, value in (env or {}).items():  # for this call only
                patch.setenv(key, value)
            patch.setattr(sys, "stdin", stdin)
            patch.setattr(sys, "stdout", stdout)
            patch.setattr(sys, "stderr", err)
            code = run(list(args))
            with contextlib.suppress(ValueError):
                stdout.flush()
        data = out_buffer.getvalue()
        return Result(code, data.decode("utf-8", errors="replace"), err.getvalue(), data)

    return invoke


def _backend_flag(extra: tuple[str, ...]) -> list[str]:
    """`--backend URL` when a test signs in with it, for the follow-up calls."""
    args = list(extra)
    if "--backend" in args:
        at = args.index("--backend")
        return args[at : at + 2]
    return []


@pytest.fixture
def login(cli: Cli, memory_keyring: MemoryKeyring) -> Callable[..., Result]:
    """Sign in as a seeded person (by key: famille, ald, css, ij, alsace, agent)."""

    def sign_in(key: str, *extra: str) -> Result:
        who = person(key)
        result = cli(
            "login", "--nir", who.nir, "--password-stdin", *extra, input=who.password + "\n"
        )
        if result.exit_code == 4 and "--otp" in result.stderr:
            # The code "e-mailed" by the backend in use, read through its sandbox endpoint.
            pending = cli("sandbox", "otp", "--nir", who.nir, *_backend_flag(extra))
            assert pending.exit_code == 0, pending.stderr
            code = pending.stdout.strip()
            result = cli(
                "login",
                "--nir",
                who.nir,
                "--password-stdin",
                "--otp",
                code,
                *extra,
                input=who.password + "\n",
            )
        assert result.exit_code == 0, result.stderr
        return result

    return sign_in


@pytest.fixture
def service_client(user_dirs: Path) -> Iterator[object]:
    """The service in this process with no socket, for rules a CLI never breaks (issue 16):
    `.sign_in(key)` mints a token for a seeded person; `.conn` is its database."""
    from service_harness import mint_token

    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx

    transport = EmbeddedTransport(user_dirs / "data" / "sandbox.sqlite3")
    client = httpx.Client(transport=transport, base_url="http://sandbox.invalid")
    conn = transport._app.state.db  # type: ignore[attr-defined]
    client.conn = conn  # type: ignore[attr-defined]
    client.sign_in = lambda key: mint_token(conn, person(key).nir)  # type: ignore[attr-defined]
    yield client
    client.close()


@pytest.fixture
def hostile(user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """Start a hostile server (tests/hostile_server.py: the real service with chosen
    answers rewritten by `rewrite`); the CLI's backend points at it."""
    from hostile_server import HostileServer

    servers: list[HostileServer] = []

    def start(rewrite: Any) -> HostileServer:
        server = HostileServer(user_dirs / "data" / "sandbox.sqlite3", rewrite)
        servers.append(server)
        monkeypatch.setenv("AMELI_BACKEND", server.url)
        return server

    yield start
    for server in servers:
        server.stop()
