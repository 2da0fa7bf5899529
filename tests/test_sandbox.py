"""The reference service: seeded data, its commands, its spec, `serve` over HTTP."""

from __future__ import annotations

import os
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
            args += ["--otp-channel", "email"]  # the app's approval: tests/test_account.py
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


def test_reset_rebuilds_the_data(cli, memory_keyring):
    who = person("ald")
    for _ in range(5):
        cli("login", "--nir", who.nir, "--password-stdin", input="wrong")
    assert "bloqué" in cli("login", "--nir", who.nir, "--password-stdin", input=who.password).stderr
    assert cli("sandbox", "reset").exit_code == 2  # no terminal: --yes required
    assert cli("sandbox", "reset", "--yes").exit_code == 0
    assert cli("login", "--nir", who.nir, "--password-stdin", input=who.password).exit_code == 0


def test_otp_without_a_pending_code(cli):
    result = cli("sandbox", "otp", "--nir", person("ij").nir)
    assert result.exit_code == 1
    assert "ameli login" in result.stderr


def test_advance_rejects_bad_durations(cli):
    assert cli("sandbox", "advance", "soon").exit_code == 2
    result = cli("sandbox", "advance", "2d", "--json")
    assert result.exit_code == 0 and result.json["offset_seconds"] == 2 * 86400


def test_openapi_document_covers_every_route_and_responses_match(cli, login, backend):
    import jsonschema

    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx
    from ameli_cli.runtime.config import resolve_paths
    from ameli_sandbox.app import create_app

    app = create_app(resolve_paths().sandbox_db)
    with httpx.Client(
        transport=EmbeddedTransport(resolve_paths().sandbox_db), base_url="http://sandbox.invalid"
    ) as client:
        spec = client.get("/openapi.json").json()
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
