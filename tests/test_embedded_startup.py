"""The embedded sandbox loads only what a request needs (issue 18) and answers as the
full service does: same handler, same strict checks, same 404/405."""

from __future__ import annotations

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


def _clients(user_dirs: Path):  # type: ignore[no-untyped-def]
    from service_harness import mint_token
    from starlette.testclient import TestClient

    from ameli_sandbox.app import create_app

    db = user_dirs / "data" / "sandbox.sqlite3"
    lazy, full = create_app(db, lazy=True), create_app(db)
    token = mint_token(lazy.state.db, person("ald").nir)
    headers = {"Authorization": f"Bearer {token}"}
    return TestClient(lazy, headers=headers), TestClient(full, headers=headers)


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
    answers = [
        c.request(method, path, json=body, follow_redirects=False)
        for c in (lazy_client, full_client)
    ]
    assert answers[0].status_code == answers[1].status_code
    assert answers[0].headers.get("allow") == answers[1].headers.get("allow")
    assert answers[0].headers.get("location") == answers[1].headers.get("location")
    if path != "/v1/me" or method != "GET":
        assert answers[0].content == answers[1].content
    else:
        assert answers[0].json()["nir"] == answers[1].json()["nir"] == person("ald").nir


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
