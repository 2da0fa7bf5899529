"""Sign-in, sign-out, whoami and token storage, on both backends."""

from __future__ import annotations

import json
import os
import stat

from conftest import person


def test_login_then_whoami_masks_nir_on_a_terminal(cli, login, backend):
    login("ij")
    result = cli("whoami", env={"AMELI_FORCE_TTY": "1"})
    assert result.exit_code == 0, result.stderr
    assert "Lucas MARTIN" in result.stdout
    assert "1 91 ** ** *** *** 68" in result.stdout
    assert "191026912308768" not in result.stdout
    assert "CPAM du Rhône" in result.stdout


def test_whoami_json_has_api_fields_and_full_nir(cli, login, backend):
    login("famille")
    me = cli("whoami", "--json").json
    assert me["nir"] == person("famille").nir
    assert me["role"] == "assure"
    assert [b["rank"] for b in me["beneficiaries"]] == ["01", "02", "03", "04"]
    ages = sorted(b["age"] for b in me["beneficiaries"] if b["relationship"] == "enfant")
    assert ages[0] in (9, 10) and ages[1] in (12, 13) and ages[2] in (16, 17)
    assert me["credential"]["store"] == "keyring"


def test_nir_accepted_with_spaces_and_13_characters(cli, memory_keyring, backend):
    who = person("ij")
    spaced = "1 91 02 69 123 087"
    result = cli("login", "--nir", spaced, "--password-stdin", input=who.password)
    assert result.exit_code == 0, result.stderr


def test_wrong_nir_key_exits_2_before_any_request(cli, memory_keyring, backend):
    result = cli("--verbose", "login", "--nir", "191026912308769", "--password-stdin", input="x\n")
    assert result.exit_code == 2
    assert "clé du NIR" in result.stderr
    assert "→" not in result.stderr  # no request line: nothing was sent


def test_missing_password_without_terminal_names_the_flags(cli, backend):
    result = cli("login", "--nir", person("ij").nir)
    assert result.exit_code == 2
    assert "--password-stdin" in result.stderr and "--password-file" in result.stderr


def test_missing_nir_without_terminal_names_the_flag(cli, backend):
    result = cli("login", "--password-stdin", input="x")
    assert result.exit_code == 2
    assert "--nir" in result.stderr


def test_there_is_no_password_flag(cli):
    result = cli("login", "--nir", person("ij").nir, "--password", "secret")
    assert result.exit_code == 2
    assert "No such option" in result.stderr or "--password" in result.stderr


def test_password_file(cli, memory_keyring, backend, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text(person("css").password + "\n")
    result = cli("login", "--nir", person("css").nir, "--password-file", str(secret))
    assert result.exit_code == 0, result.stderr
    missing = cli("login", "--nir", person("css").nir, "--password-file", str(tmp_path / "no"))
    assert missing.exit_code == 2 and "--password-file" in missing.stderr


def test_one_time_code_on_new_device_then_trusted(cli, memory_keyring, backend):
    who = person("famille")
    first = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert first.exit_code == 4
    assert "--otp" in first.stderr
    code = cli("sandbox", "otp", "--nir", who.nir).stdout.strip()
    assert len(code) == 6 and code.isdigit()
    wrong = "000000" if code != "000000" else "111111"
    bad = cli("login", "--nir", who.nir, "--password-stdin", "--otp", wrong, input=who.password)
    assert bad.exit_code == 4 and "Code" in bad.stderr
    ok = cli("login", "--nir", who.nir, "--password-stdin", "--otp", code, input=who.password)
    assert ok.exit_code == 0, ok.stderr
    cli("logout")
    # The device is now trusted: no code asked.
    again = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert again.exit_code == 0, again.stderr


def test_five_wrong_passwords_lock_the_account(cli, memory_keyring, backend):
    who = person("ald")
    for _ in range(4):
        result = cli("login", "--nir", who.nir, "--password-stdin", input="wrong")
        assert result.exit_code == 4
        # No count left: it would tell that this NIR has an account (issue 13).
        assert result.stderr == "erreur : NIR ou mot de passe incorrect.\n"
    locked = cli("login", "--nir", who.nir, "--password-stdin", input="wrong")
    assert locked.exit_code == 4
    assert "bloqué" in locked.stderr
    # Even the right password is refused while locked.
    right = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert right.exit_code == 4 and "bloqué" in right.stderr


def test_logout_revokes_on_the_server(cli, login, backend):
    login("ij")
    token = cli("auth", "token").stdout.strip()
    assert token.startswith("amt_")
    out = cli("logout")
    assert out.exit_code == 0
    # The token no longer works even when given explicitly.
    result = cli("whoami", env={"AMELI_TOKEN": token})
    assert result.exit_code == 4
    assert cli("whoami").exit_code == 4


def test_not_signed_in_exits_4_with_the_command_to_run(cli, backend):
    result = cli("whoami")
    assert result.exit_code == 4
    assert "ameli login" in result.stderr


def test_env_token_overrides_everything(cli, login, backend):
    login("ij")
    token = cli("auth", "token").stdout.strip()
    cli("logout")
    login("css")
    me = cli("whoami", "--json", env={"AMELI_TOKEN": token})
    # A revoked token from env is refused even though a valid session exists.
    assert me.exit_code == 4


def test_file_fallback_when_no_keyring(cli, failing_keyring, backend, user_dirs):
    who = person("ij")
    result = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert result.exit_code == 0, result.stderr
    assert "avertissement" in result.stderr and "trousseau" in result.stderr
    session_file = user_dirs / "config" / "sessions" / "default.json"
    assert stat.S_IMODE(os.stat(session_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(session_file.parent).st_mode) == 0o700
    assert json.loads(session_file.read_text())["store"] == "file"
    # The warning is given once, at login; later commands are quiet about it.
    me = cli("whoami", "--json")
    assert me.exit_code == 0 and "avertissement" not in me.stderr
    assert me.json["credential"]["store"] == "file"


def test_insecure_storage_forces_the_file(cli, memory_keyring, backend):
    who = person("ij")
    result = cli(
        "login", "--nir", who.nir, "--password-stdin", "--insecure-storage", input=who.password
    )
    assert result.exit_code == 0
    assert memory_keyring.store == {}
    assert cli("whoami", "--json").json["credential"]["store"] == "file"


def test_keyring_that_drops_writes_falls_back_to_file(cli, memory_keyring, backend, monkeypatch):
    monkeypatch.setattr(memory_keyring, "set_password", lambda *a: None)
    who = person("ij")
    result = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert result.exit_code == 0
    assert "trousseau" in result.stderr
    assert cli("whoami", "--json").json["credential"]["store"] == "file"


def test_hanging_keyring_times_out_and_falls_back(cli, memory_keyring, backend, monkeypatch):
    import time

    monkeypatch.setenv("AMELI_KEYRING_TIMEOUT", "0.2")
    monkeypatch.setattr(memory_keyring, "set_password", lambda *a: time.sleep(5))
    who = person("ij")
    started = time.monotonic()
    result = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert result.exit_code == 0
    assert time.monotonic() - started < 3
    assert "ne répond pas" in result.stderr


def test_profiles_keep_accounts_side_by_side(cli, login, backend):
    login("ij")
    login("css", "--profile", "autre")
    assert cli("whoami", "--json").json["last_name"] == "MARTIN"
    assert cli("whoami", "--json", "--profile", "autre").json["last_name"] == "DEMIR"
    assert cli("whoami", "--json", env={"AMELI_PROFILE": "autre"}).json["last_name"] == "DEMIR"


def test_token_and_password_never_in_verbose_output(cli, memory_keyring, backend):
    who = person("ij")
    result = cli("--verbose", "login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert result.exit_code == 0
    token = cli("auth", "token").stdout.strip()
    verbose = cli("whoami", "--verbose")
    assert "→ GET" in verbose.stderr
    for text in (result.stderr, result.stdout, verbose.stderr, verbose.stdout):
        assert who.password not in text
        assert token not in text
