"""The reference service: seeded data, its commands, its spec, `serve` over HTTP."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import person
from stdnum.fr import nir as nir_lib


def test_accounts_lists_valid_demo_credentials(cli):
    accounts = cli("sandbox", "accounts", "--json").json
    assert {a["role"] for a in accounts} == {"assure", "agent"}
    assert len([a for a in accounts if a["role"] == "assure"]) >= 4
    for account in accounts:
        assert nir_lib.is_valid(account["nir"])
        assert set(account) >= {"nir", "password", "role", "name", "otp_required"}
    nirs = [a["nir"] for a in accounts]
    assert any(n[5:7] in ("2A", "2B") for n in nirs), "someone born in Corsica"
    assert any(n[5:7] == "99" for n in nirs), "someone born abroad"
    assert any(a["otp_required"] for a in accounts)


def test_every_account_can_sign_in(cli, memory_keyring):
    for account in cli("sandbox", "accounts", "--json").json:
        args = ["login", "--nir", account["nir"], "--password-stdin", "--profile", "p"]
        if account["otp_channels"][:1] == ["app"]:
            args += ["--otp-channel", "email"]  # the app's approval: tests/test_account_devices.py
        result = cli(*args, input=account["password"])
        if account["otp_required"]:
            code = cli("sandbox", "otp", "--nir", account["nir"]).stdout.strip()
            result = cli(*args, "--otp", code, input=account["password"])
        assert result.exit_code == 0, (account["name"], result.stderr)


def test_seed_has_ald_css_and_hashed_passwords(user_dirs):
    conn = sqlite3.connect(user_dirs / "data" / "sandbox.sqlite3")
    kinds = {row[0] for row in conn.execute("SELECT kind FROM coverages")}
    assert {"ald", "css"} <= kinds
    hashes = [row[0] for row in conn.execute("SELECT password_hash FROM accounts")]
    assert all(h.startswith("scrypt$") for h in hashes)
    assert person("ij").password not in " ".join(hashes)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = dict(conn.execute("SELECT component, version FROM schema_versions"))
    assert versions["accounts"] >= 1


def test_reset_rebuilds_the_data(cli, memory_keyring, backend):
    who = person("ald")
    for _ in range(5):
        cli("login", "--nir", who.nir, "--password-stdin", input="wrong")
    assert "bloqué" in cli("login", "--nir", who.nir, "--password-stdin", input=who.password).stderr
    assert cli("sandbox", "reset").exit_code == 2  # no terminal: --yes required
    assert cli("sandbox", "reset", "--yes").exit_code == 0
    assert cli("login", "--nir", who.nir, "--password-stdin", input=who.password).exit_code == 0


def test_otp_without_a_pending_code(cli, backend):
    result = cli("sandbox", "otp", "--nir", person("ij").nir)
    assert result.exit_code == 1
    assert "ameli login" in result.stderr


def test_advance_rejects_bad_durations(cli, backend):
    assert cli("sandbox", "advance", "soon").exit_code == 2
    result = cli("sandbox", "advance", "2d", "--json")
    assert result.exit_code == 0 and result.json["offset_seconds"] == 2 * 86400


def test_advance_stays_within_ten_years_and_stores_nothing_past_it(cli, login, backend, user_dirs):
    """A jump past the range is refused whole (exit 2, clock unmoved); the service keeps
    answering afterwards (a huge offset once bricked every later request)."""
    assert cli("sandbox", "advance", "3000d").exit_code == 0
    refused = cli("sandbox", "advance", "1000d")
    assert refused.exit_code == 2
    assert refused.stderr.count("\n") == 1 and "10 ans" in refused.stderr
    assert "3000 jours" in refused.stderr
    conn = sqlite3.connect(user_dirs / "data" / "sandbox.sqlite3")
    offset = conn.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone()[0]
    assert int(offset) == 3000 * 86400
    assert cli("sandbox", "advance", "3000000d").exit_code == 2
    login("ij")
    assert cli("whoami", "--json").json["last_name"] == "MARTIN"


def test_sandbox_verbs_go_over_http_to_a_served_sandbox(cli, memory_keyring, backend, user_dirs):
    """The verbs act on the backend they are pointed at, not on a local file: against a
    `sandbox serve` whose file is elsewhere, the local one stays untouched."""
    from conftest import HttpServer

    remote_db = user_dirs / "remote" / "sandbox.sqlite3"
    remote_db.parent.mkdir()
    shutil.copy(user_dirs / "data" / "sandbox.sqlite3", remote_db)
    server = HttpServer(remote_db)
    try:
        url = server.url
        who = person("famille")  # asks for a one-time code
        cli("--backend", url, "login", "--nir", who.nir, "--password-stdin", input=who.password)
        code = cli("--backend", url, "sandbox", "otp", "--nir", who.nir, "--json")
        assert code.exit_code == 0, code.stderr
        assert code.json["nir"] == who.nir and len(code.json["code"]) == 6
        assert cli("--backend", url, "sandbox", "advance", "3d").exit_code == 0
        assert len(cli("--backend", url, "sandbox", "accounts", "--json").json) >= 5
        assert cli("--backend", url, "sandbox", "reset", "--yes").exit_code == 0
    finally:
        server.stop()

    def offset(db):
        conn = sqlite3.connect(db)
        row = conn.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone()
        conn.close()
        return int(row[0]) if row else 0

    assert offset(remote_db) == 0  # advanced, then reset: the clock is back to real time
    local = sqlite3.connect(user_dirs / "data" / "sandbox.sqlite3")
    assert local.execute("SELECT count(*) FROM otp_codes").fetchone()[0] == 0
    assert offset(user_dirs / "data" / "sandbox.sqlite3") == 0


@pytest.mark.parametrize(
    "args",
    [
        ["sandbox", "accounts"],
        ["sandbox", "otp", "--nir", person("famille").nir],
        ["sandbox", "advance", "7d"],
        ["sandbox", "reset", "--yes"],
    ],
    ids=lambda args: args[1],
)
def test_sandbox_verbs_refuse_a_backend_that_is_not_a_sandbox(cli, user_dirs, args):
    """The same service without its sandbox controls stands for a real backend: one
    line naming it, exit 2, nothing changed there."""
    from conftest import HttpServer

    db = user_dirs / "data" / "sandbox.sqlite3"
    server = HttpServer(db, sandbox_controls=False)
    try:
        result = cli("--backend", server.url, *args)
    finally:
        server.stop()
    assert result.exit_code == 2, result.stderr
    assert result.stderr == (
        f"erreur : Le backend {server.url} n'est pas un bac à sable : les commandes"
        " « ameli sandbox » ne s'y appliquent pas.\n"
    )
    assert result.stdout == ""
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone() is None


def test_sandbox_only_endpoints_are_marked_and_served_only_by_a_sandbox():
    from ameli_sandbox.app import openapi_document

    sandbox_paths = {p for p in openapi_document()["paths"] if p.startswith("/v1/sandbox/")}
    assert sandbox_paths == {
        "/v1/sandbox/accounts",
        "/v1/sandbox/otp",
        "/v1/sandbox/otp/approve",
        "/v1/sandbox/clock",
        "/v1/sandbox/reset",
    }
    for path in sandbox_paths:
        for op in openapi_document()["paths"][path].values():
            assert op["x-sandbox-only"] is True and "Sandbox only" in op["summary"]
    assert not any(
        p.startswith("/v1/sandbox/") for p in openapi_document(sandbox_controls=False)["paths"]
    )


def test_openapi_document_covers_every_route_and_responses_match(cli, login, backend):
    import jsonschema

    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx
    from ameli_cli.runtime.config import resolve_paths
    from ameli_sandbox.app import create_app

    app = create_app(resolve_paths().sandbox_db)
    if backend == "sandbox":
        client = httpx.Client(
            transport=EmbeddedTransport(resolve_paths().sandbox_db),
            base_url="http://sandbox.invalid",
        )
    else:  # the served document, over a real socket
        client = httpx.Client(base_url=backend)
    with client:
        served = client.get("/openapi.json")
    assert served.status_code == 200 and served.headers["content-type"] == "application/json"
    spec = served.json()
    routes = {
        (route.path, method.lower())
        for route in app.routes
        for method in (route.methods or ())
        if method != "HEAD"
    }
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert routes == documented

    def check(data, schema_name):
        jsonschema.validate(
            data, {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
        )

    login("famille")
    me = cli("whoami", "--json").json
    me.pop("credential")
    check(me, "Me")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_over_real_http(cli, memory_keyring, user_dirs):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ameli_cli", "sandbox", "serve", "--port", str(port)],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(server.stderr.read().decode() if server.stderr else "no server")
                time.sleep(0.1)
        url = f"http://127.0.0.1:{port}"
        who = person("css")
        result = cli(
            "--backend", url, "login", "--nir", who.nir, "--password-stdin", input=who.password
        )
        assert result.exit_code == 0, result.stderr
        me = cli("--backend", url, "whoami", "--json")
        assert me.json["credential"]["backend"] == url
        # The profile is bound to the server it signed in to.
        assert cli("whoami").exit_code == 4
    finally:
        server.send_signal(2)
        server.wait(10)
    assert server.returncode == 0


def test_a_damaged_local_sandbox_is_one_line_and_reset_recreates_it(cli, user_dirs):
    db = user_dirs / "data" / "sandbox.sqlite3"
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    db.write_bytes(b"not a database, whatever it was" * 200)
    broken = cli("sandbox", "accounts")
    assert broken.exit_code == 1
    assert broken.stderr.count("\n") == 1
    assert "illisible" in broken.stderr and "ameli sandbox reset --yes" in broken.stderr
    assert cli("sandbox", "reset", "--yes").exit_code == 0
    assert len(cli("sandbox", "accounts", "--json").json) >= 5


def test_sandbox_records_match_the_openapi_schemas():
    """The client's TypedDicts for the sandbox endpoints name exactly the schema's
    properties, so neither side drifts."""
    from typing import get_type_hints

    from ameli_cli.api import sandbox_controls as records
    from ameli_sandbox.app import openapi_document

    schemas = openapi_document()["components"]["schemas"]
    account = schemas["SandboxAccounts"]["properties"]["items"]["items"]
    for record, schema in (
        (records.SandboxAccount, account),
        (records.SandboxOtp, schemas["SandboxOtp"]),
        (records.SandboxClock, schemas["SandboxClock"]),
    ):
        assert set(get_type_hints(record)) == set(schema["properties"]) == set(schema["required"])
