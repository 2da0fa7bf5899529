"""The embedded sandbox loads only what a request needs (issue 18) and answers as the
full service does: same handler, same strict checks, same 404/405."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import person

ROOT = Path(__file__).resolve().parent.parent


def test_route_index_is_fresh():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "route_index.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


class _Client:
    """Requests to an app in this process, through inprocess.call_app (no loop)."""

    def __init__(self, app, token: str) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.headers = [
            (b"host", b"sandbox.invalid"),
            (b"authorization", f"Bearer {token}".encode()),
        ]

    def request(self, method: str, target: str, body: object = None):  # type: ignore[no-untyped-def]
        from ameli_sandbox.inprocess import call_app

        path, _, query = target.partition("?")
        content = b"" if body is None else json.dumps(body).encode()
        headers = list(self.headers)
        if body is not None:
            headers.append((b"content-type", b"application/json"))
        return call_app(self.app, method, path.encode(), query.encode(), headers, content)


def _clients(user_dirs: Path) -> tuple[_Client, _Client]:
    from service_harness import mint_token

    from ameli_sandbox.app import create_app

    db = user_dirs / "data" / "sandbox.sqlite3"
    lazy, full = create_app(db, lazy=True), create_app(db)
    token = mint_token(lazy.state.db, person("ald").nir)
    return _Client(lazy, token), _Client(full, token)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/me", None),
        ("GET", "/v1/paiements?limit=2", None),
        ("GET", "/v1/paiements?limt=2", None),  # the strict query check still applies
        ("PATCH", "/v1/profile", {"email": "x@example.org", "colour": "red"}),  # closed body
        ("DELETE", "/v1/vitale", None),  # 405 with the Allow of the full app
        ("GET", "/v1/messages/unknown-id", None),
        ("GET", "/v1/nowhere", None),  # 404: every feature loaded first
        ("GET", "/v1/me/", None),  # the trailing-slash redirect
    ],
)
def test_lazy_app_answers_as_the_full_app(user_dirs, method, path, body):
    lazy_client, full_client = _clients(user_dirs)
    answers = [c.request(method, path, body) for c in (lazy_client, full_client)]
    assert answers[0].status == answers[1].status
    if path != "/v1/me" or method != "GET":
        assert answers[0].headers == answers[1].headers
        assert answers[0].body == answers[1].body
    else:
        assert json.loads(answers[0].body)["nir"] == json.loads(answers[1].body)["nir"]
    if path == "/v1/me/":
        assert (b"location", b"http://sandbox.invalid/v1/me") in answers[0].headers
    if method == "DELETE":
        assert (b"allow", b"GET, HEAD") in answers[0].headers


def test_one_request_imports_only_its_feature(user_dirs):
    """In a fresh interpreter: `whoami` through the embedded transport imports the
    accounts feature, not the others, and reads no JSON spec (the checks come from
    route_index.RULES)."""
    code = (
        "import sys\n"
        "from ameli_cli.api.embedded import EmbeddedTransport\n"
        "from ameli_cli.api.httpx_without_cli import httpx\n"
        f"t = EmbeddedTransport({str(user_dirs / 'data' / 'sandbox.sqlite3')!r})\n"
        "r = httpx.Client(transport=t, base_url='http://s').get('/v1/me')\n"
        "assert r.status_code == 401, r.status_code\n"
        "from ameli_sandbox.app import openapi_document\n"
        "assert openapi_document.cache_info().misses == 0, 'the spec was read'\n"
        "print(sorted(m for m in sys.modules if m.startswith('ameli_sandbox.features.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['ameli_sandbox.features.accounts']"


def test_a_file_stamped_otherwise_is_checked_and_stamped_again(user_dirs):
    """The stamp is the only shortcut: a file from another schema (or none) goes
    through the migrations and the seeding checks (only they stamp), then carries
    today's stamp."""
    from ameli_sandbox import route_index
    from ameli_sandbox.app import open_database

    db = user_dirs / "data" / "sandbox.sqlite3"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == route_index.SCHEMA_STAMP
    conn.execute("PRAGMA user_version = 12345")
    conn.commit()
    conn.close()
    open_database(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == route_index.SCHEMA_STAMP


@pytest.mark.parametrize(
    "args", [["whoami", "--json"], ["paiements", "list", "--json"], ["vitale", "status", "--json"]]
)
def test_read_commands_import_no_event_loop(user_dirs, args):
    """A read command on the embedded sandbox runs the service without Starlette,
    anyio or asyncio (issue 18: ~110 ms of CPU to import them), and answers."""
    who = person("css")
    login = ["login", "--nir", who.nir, "--password-stdin", "--insecure-storage"]
    env = dict(os.environ)
    signed_in = subprocess.run(
        [sys.executable, "-m", "ameli_cli", *login],
        input=who.password,
        env=env,
        capture_output=True,
        text=True,
    )
    assert signed_in.returncode == 0, signed_in.stderr
    code = (
        "import contextlib, io, json, sys\n"
        "from ameli_cli.__main__ import run\n"
        "out = io.StringIO()\n"
        f"with contextlib.redirect_stdout(out): status = run({args!r})\n"
        "json.loads(out.getvalue())\n"
        "loaded = [m for m in ('starlette', 'anyio', 'asyncio') if m in sys.modules]\n"
        "print(status, loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0 []"
