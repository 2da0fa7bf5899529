"""`ameli doctor` diagnoses what a user would otherwise have to guess."""

from __future__ import annotations

import os

from conftest import person


def _checks(result):
    return {c["name"]: c for c in result.json["checks"]}


def test_headless_machine_without_keyring(cli, failing_keyring, backend):
    who = person("ij")
    cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    result = cli("doctor", "--json")
    assert result.exit_code == 0, result.stderr
    checks = _checks(result)
    assert checks["keyring"]["status"] == "warn"
    assert checks["keyring"]["details"]["usable"] is False
    assert checks["session"]["status"] == "ok"
    assert checks["session"]["details"]["store"] == "file"
    assert checks["backend"]["status"] == "ok"
    assert checks["api_version"]["status"] == "ok"
    human = cli("doctor")
    assert "trousseau inutilisable" in human.stdout
    assert "fichier privé" in human.stdout


def test_working_keyring_and_signed_in(cli, login, backend):
    login("css")
    checks = _checks(cli("doctor", "--json"))
    assert checks["keyring"]["status"] == "ok"
    assert checks["session"]["details"]["signed_in"] is True
    assert checks["session"]["details"]["store"] == "keyring"


def test_unreachable_backend_fails_with_what_to_do(cli):
    result = cli("--backend", "http://127.0.0.1:9", "doctor")
    assert result.exit_code == 1
    assert "injoignable" in result.stdout
    assert "ameli sandbox serve" in result.stdout


def test_loose_file_permissions_are_reported(cli, login, user_dirs):
    login("ij")
    loose = user_dirs / "config" / "config.toml"
    loose.write_text("timeout = 5\n")
    os.chmod(loose, 0o644)
    result = cli("doctor", "--json")
    assert result.exit_code == 1
    checks = _checks(result)
    assert checks["permissions"]["status"] == "fail"
    assert any("config.toml" in entry for entry in checks["permissions"]["details"]["loose"])
    assert "chmod" in cli("doctor").stdout


def test_completion_check_follows_the_shell(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SHELL", "/bin/fish")
    monkeypatch.setenv("HOME", str(tmp_path))
    checks = _checks(cli("doctor", "--json"))
    assert checks["completion"]["status"] == "warn"
    target = tmp_path / ".config" / "fish" / "completions" / "ameli.fish"
    target.parent.mkdir(parents=True)
    target.write_text(cli("completion", "fish").stdout)
    checks = _checks(cli("doctor", "--json"))
    assert checks["completion"]["status"] == "ok"
    assert checks["completion"]["details"]["installed"] == str(target)
