"""Issue 13, on the client: a crafted server's fields never name a path outside the
folder we write to, user-named output files follow one rule, and damaged local
files give one clear line (never "erreur interne")."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import person

ESCAPE = "/../../../outside/x"


def _poison_attestation(path: str, data: Any) -> Any:
    if path.startswith("/v1/attestations/") and isinstance(data, dict) and "attestation" in data:
        data["attestation"]["issue_date"] = ESCAPE
        data["attestation"]["year"] = ESCAPE
    return data


def test_a_crafted_server_cannot_name_a_file_outside_the_folder(
    cli, login, hostile, tmp_path, monkeypatch
):
    hostile(_poison_attestation)
    login("famille")
    work = tmp_path / "work" / "here"
    work.mkdir(parents=True)
    outside = tmp_path / "outside"
    monkeypatch.chdir(work)
    before = {p: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path, tmp_path / "work", work)}
    for kind in ("droits", "fiscale"):
        result = cli("attestation", "get", kind, "--force")
        assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in work.iterdir())
    # Two files, right here: the crafted fields became part of one harmless name.
    assert len(written) == 2 and all(p.parent == work for p in work.iterdir())
    assert not outside.exists()
    # Nothing we did not create was chmod-ed.
    assert {p: stat.S_IMODE(p.stat().st_mode) for p in before} == before


def test_a_crafted_certificate_date_stays_inside_the_profile_folder(
    cli, login, hostile, user_dirs, tmp_path
):
    def poison(path: str, data: Any) -> Any:
        if path == "/v1/ceam/orders" and isinstance(data, dict) and data.get("certificate"):
            data["certificate"]["valid_from"] = ESCAPE
        return data

    hostile(poison)
    login("famille")
    today = date.fromisoformat(cli("ceam", "status", "--json").json["now"][:10])
    departure = (today + timedelta(days=5)).isoformat()
    result = cli("ceam", "order", "-b", "03", "--departure", departure, "--yes")
    assert result.exit_code == 0, result.stderr
    folder = user_dirs / "data" / "profiles" / "default" / "ceam"
    assert [p.parent for p in folder.iterdir()] == [folder]
    assert not (user_dirs / "outside").exists() and not (tmp_path / "outside").exists()


@pytest.fixture
def signed_in(login):  # type: ignore[no-untyped-def]
    login("famille")


def test_output_onto_a_fifo_is_refused_and_the_fifo_kept(cli, signed_in, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli("attestation", "get", "-o", str(fifo), "--force")
    assert result.exit_code == 2
    assert "n'est pas un fichier ordinaire" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_output_onto_an_existing_file_needs_force(cli, signed_in, tmp_path):
    target = tmp_path / "mine.pdf"
    target.write_bytes(b"keep me")
    refused = cli("attestation", "get", "-o", str(target))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert target.read_bytes() == b"keep me"
    forced = cli("attestation", "get", "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert target.read_bytes().startswith(b"%PDF-")


def test_output_into_a_missing_folder_names_it_and_creates_nothing(cli, signed_in, tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.pdf"
    result = cli("attestation", "get", "-o", str(target))
    assert result.exit_code == 2
    assert str(tmp_path / "nonexistent" / "dir") in result.stderr
    assert "n'existe pas" in result.stderr
    assert not (tmp_path / "nonexistent").exists()


def test_ceam_output_checked_before_anything_is_ordered(cli, signed_in, tmp_path):
    target = tmp_path / "cpr.pdf"
    target.write_bytes(b"keep me")

    def cards() -> Any:
        return cli("ceam", "status", "--json").json["beneficiaries"]

    before = cards()
    result = cli(
        "ceam", "order", "-b", "03", "--departure", "2099-01-01", "--yes", "-o", str(target)
    )
    assert result.exit_code == 2 and "--force" in result.stderr
    assert cards() == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--profile", "x" * 5000, "whoami"), "n'est pas un nom de profil"),
        (("--profile", "²", "whoami"), "n'est pas un nom de profil"),
    ],
)
def test_bad_global_values_are_one_line(cli, args, expected):
    result = cli(*args)
    assert result.exit_code == 2
    assert expected in result.stderr and "interne" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(result.stderr) < 300


@pytest.mark.parametrize("value", ['"abc"', "-1", "[1, 2]", "1e400"])
def test_a_bad_timeout_in_config_names_the_file(cli, user_dirs, value):
    config = user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"timeout = {value}\n")
    result = cli("whoami")
    assert result.exit_code == 2
    assert str(config) in result.stderr and "timeout" in result.stderr
    assert "interne" not in result.stderr


@pytest.mark.parametrize(
    "content",
    [
        "[1]",
        '"x"',
        '{"token": 5}',
        '{"profile": "default", "backend": "sandbox", "store": "file", "nir": 5, "role": "x",'
        ' "name": "n", "expires_at": "2099-01-01T00:00:00Z", "token": "t"}',
        "\x00\xff garbage",
    ],
)
def test_a_damaged_session_file_means_signed_out(cli, user_dirs, content):
    sessions = user_dirs / "config" / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    (sessions / "default.json").write_text(content)
    for args in (("whoami",), ("paiements", "list"), ("attestation", "get", "--json")):
        result = cli(*args)
        assert result.exit_code == 4, (args, result.stderr)
        assert "ameli login" in result.stderr and "interne" not in result.stderr


def test_a_full_disk_is_one_line_naming_the_file(cli, signed_in, tmp_path, monkeypatch):
    import errno

    def no_space(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "x.pdf"))

    monkeypatch.setattr("ameli_cli.runtime.private_files.write_atomic", no_space)
    result = cli("attestation", "get", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "plus de place sur le disque" in result.stderr and "x.pdf" in result.stderr
    assert "interne" not in result.stderr and "No space" not in result.stderr


def test_we_never_chmod_a_folder_we_did_not_create(tmp_path):
    from ameli_cli.runtime.private_files import write_atomic

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    write_atomic(shared / "new" / "f.bin", b"x")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "new").stat().st_mode) == 0o700


def test_safe_name_makes_one_harmless_component():
    from ameli_cli.runtime.safe_paths import safe_name

    for hostile_text in (ESCAPE, "..", ".", "", "a\x00b", "a\nb", "\u202egnp.exe", "x" * 1000):
        name = safe_name(hostile_text)
        assert name and "/" not in name and name not in (".", "..")
        assert not any(ord(c) < 32 or 0x202A <= ord(c) <= 0x202E for c in name)
        assert len(name.encode()) <= 200
    assert safe_name("attestation-2026.pdf") == "attestation-2026.pdf"
    assert person("famille").nir  # the seeded people are there for the CLI tests above


@pytest.mark.parametrize(
    "args",
    [
        ("paiements", "list", "--since", "99999999d"),
        ("paiements", "list", "--since", "9999y"),
        ("paiements", "list", "--beneficiary", "²"),
        ("paiements", "summary", "--year", "²²²²"),
        ("paiements", "list", "--professional", "x" * 100_000),
        ("attestation", "get", "--beneficiary", "²"),
        ("attestation", "get", "-o", "y" * 300 + ".pdf"),
    ],
)
def test_odd_values_are_one_line_and_a_documented_code(cli, signed_in, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code in (1, 2), result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("erreur :"), result.stderr
    assert "interne" not in result.stderr and len(lines[0]) < 500


def test_a_password_file_not_in_utf8_is_named(cli, tmp_path):
    secret = tmp_path / "pw"
    secret.write_bytes("café".encode("latin-1"))
    result = cli("login", "--nir", person("ij").nir, "--password-file", str(secret))
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr and str(secret) in result.stderr
    assert "interne" not in result.stderr


def test_verify_refuses_a_fifo_instead_of_hanging(cli, tmp_path):
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)
    result = cli("attestation", "verify", str(fifo))
    assert result.exit_code == 2 and "n'est pas un fichier ordinaire" in result.stderr


def _pdf_with_attachment(payload: bytes) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Length "
        + str(len(payload)).encode()
        + b" /Type /EmbeddedFile >>\nstream\n"
        + payload
        + b"\nendstream\nendobj\n%%EOF\n"
    )


@pytest.mark.parametrize(
    "envelope",
    [
        b'{"attestation": {"type": "droits"}, "signature": {}}',
        b'{"attestation": {"type": "droits", "assure": "x"}, "signature": {"key_id": [1]}}',
        b'{"attestation": {"type": "droits", "issued_at": 5, "valid_until": {}},'
        b' "signature": {"key_id": "k", "value": 7}}',
        b'{"attestation": {"type": "droits", "assure": {"last_name": "\\u001b]0;pwned\\u0007"}},'
        b' "signature": {"key_id": "nope", "value": "AAAA"}}',
    ],
)
def test_verify_of_a_crafted_pdf_says_tampered(cli, envelope, tmp_path):
    crafted = tmp_path / "crafted.pdf"
    crafted.write_bytes(_pdf_with_attachment(envelope))
    result = cli("attestation", "verify", str(crafted))
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("altérée") and "\x1b" not in result.stdout
    assert "interne" not in result.stderr
    as_json = cli("attestation", "verify", "--json", str(crafted))
    assert as_json.json["status"] == "tampered"


EVIL = "\x1b]8;;http://evil.example/\x07CLICK\x1b]8;;\x07 \x1b[2J \x1b]0;title\x07 \x9b31m \u202e [link=http://evil.example]x[/link]"
TEXT_KEYS = {"first_names", "last_name", "professional", "label", "detail", "name", "act", "city"}


def _poison_text(path: str, data: Any) -> Any:
    """Every human-readable string field of every answer gets escape sequences."""
    if isinstance(data, dict):
        return {
            k: (v + EVIL if k in TEXT_KEYS and isinstance(v, str) else _poison_text(path, v))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_poison_text(path, v) for v in data]
    return data


def _assert_inert(text: str) -> None:
    """No control sequence but our own colours (SGR `ESC [ … m`) reaches the terminal."""
    import re

    ours_removed = re.sub(r"\x1b\[[0-9;]*m", "", text)
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in ours_removed, repr(ours_removed[:300])


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize(
    "args",
    [
        ("whoami",),
        ("paiements", "list"),
        ("paiements", "summary"),
        ("vitale", "status"),
        ("ceam", "status"),
        ("organisme",),
        ("profile", "show"),
        ("paiements", "list", "--professional", "zzz-none"),
    ],
)
def test_escape_sequences_from_a_server_are_shown_not_obeyed(cli, login, hostile, args, tty):
    hostile(_poison_text)
    login("famille")
    env = {"AMELI_FORCE_TTY": "1", "COLUMNS": "200"} if tty else {}
    result = cli(*args, env=env)
    _assert_inert(result.stdout)
    _assert_inert(result.stderr)
    assert "interne" not in result.stderr
    if tty:
        # Rich would have turned `[link=…]` into an OSC 8 hyperlink: it is text here.
        assert "\x1b]8" not in result.stdout


def test_a_problem_detail_from_the_server_is_inert(cli, login, hostile):
    def poison(path: str, data: Any) -> Any:
        if path.startswith("/v1/paiements") and isinstance(data, dict) and "detail" in data:
            data["detail"] = EVIL + "\nerreur : fausse ligne"
            data["code"] = "something_new"
        return data

    hostile(poison)
    login("famille")
    result = cli("paiements", "show", "pmt_does_not_exist")
    assert result.exit_code != 0
    _assert_inert(result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1
