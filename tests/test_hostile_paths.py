"""Issue 13, what was still open: hostile attachment names (refused by the service,
made safe on download), `logout` through the session's own backend, damaged local
files named with their repair command, the message quota in `outbox send`."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import HttpServer, person

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"
HOSTILE_NAMES = [
    "a\x00b.pdf",
    "\x1b]0;pwned\x07titre.pdf",
    "\x1b[2Jclear.pdf",
    "\u202egnp.exe",
    "\u2066isolate\u2069.pdf",
    "\x9b31mred.pdf",
    "../../../outside/x.pdf",
    "dir/x.pdf",
    "dir\\x.pdf",
    "..",
    ".",
    " padded.pdf",
    "line\nbreak.pdf",
]


def _raw_inert(text: str) -> bool:
    return not any(c in text for c in ("\x00", "\x1b", "\x07", "\x9b", "\u202e", "\u2066"))


# -- attachment names --------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_service_refuses_a_hostile_attachment_name(service_client: Any, name: str) -> None:
    token = service_client.sign_in("ald")
    body = {
        "category": "autre",
        "subject": "Nom piégé",
        "body": "x",
        "attachments": [
            {"filename": "ok.pdf", "content_base64": base64.b64encode(PDF).decode()},
            {"filename": name, "content_base64": base64.b64encode(PDF).decode()},
        ],
    }
    response = service_client.post(
        "/v1/messages", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "attachment_name" and problem["position"] == 1
    assert problem["reason"] in {"control", "separator", "dot", "spaces"}
    stored = service_client.conn.execute(
        "SELECT count(*) FROM message_conversations WHERE subject = 'Nom piégé'"
    ).fetchone()[0]
    assert stored == 0


def test_a_file_with_a_hostile_name_is_refused_before_sending(cli, login, tmp_path, user_dirs):
    login("ald")
    hostile = tmp_path / "facture\x1b[2J.pdf"
    hostile.write_bytes(PDF)
    result = cli(
        "message", "send", "--category", "autre", "--subject", "S", "--body", "b",
        "--attach", str(hostile),
    )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert "renommez le fichier" in result.stderr and _raw_inert(result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (user_dirs / "data" / "profiles" / "default" / "outbox").exists()


def test_a_refused_name_from_the_service_reads_in_french() -> None:
    from ameli_cli.runtime.errors import ApiError, ExitCode

    error = ApiError(422, {"code": "attachment_name", "reason": "control", "position": 0})
    assert "Nom de pièce jointe refusé" in error.message and error.exit_code == ExitCode.USAGE


def test_names_stored_before_the_rule_download_safely(cli, login, backend, tmp_path, user_dirs):
    login("ald")
    files = []
    for n in range(5):
        path = tmp_path / f"p{n}.pdf"
        path.write_bytes(PDF + bytes([n]))
        files += ["--attach", str(path)]
    send = ("message", "send", "--category", "autre", "--subject", "Anciens noms", "--body", "b")
    sent = cli(*send, *files, "--json")
    assert sent.exit_code == 0, sent.stderr
    conversation = sent.json["id"]
    hostile = [*HOSTILE_NAMES[:5], "../../../outside/x.pdf", "..", "", "x" * 1000 + ".pdf"]
    conn = sqlite3.connect(user_dirs / "data" / "sandbox.sqlite3")
    ids = [a["id"] for a in sent.json["messages"][0]["attachments"]]
    with conn:  # written straight into the database, as an older service stored them
        for attachment_id, name in zip(ids, hostile[:5], strict=True):
            conn.execute(
                "UPDATE message_attachments SET filename = ? WHERE id = ?", (name, attachment_id)
            )
    out = tmp_path / "work" / "out"
    out.parent.mkdir()
    for names in (hostile[:5], hostile[5:]):
        with conn:
            for attachment_id, name in zip(ids, names, strict=False):
                conn.execute(
                    "UPDATE message_attachments SET filename = ? WHERE id = ?",
                    (name, attachment_id),
                )
        got = cli("message", "download", conversation, "--out-dir", str(out), "--force")
        assert got.exit_code == 0, got.stderr
        assert _raw_inert(got.stdout) and _raw_inert(got.stderr)
        written = sorted(out.iterdir())
        assert len(written) == 5 and all(p.parent == out for p in written)
        assert all(len(p.name.encode()) <= 200 and _raw_inert(p.name) for p in written)
        assert sorted(p.read_bytes()[-1] for p in written) == list(range(5))
        for path in written:
            path.unlink()
        shown = cli("message", "show", conversation)
        assert shown.exit_code == 0 and _raw_inert(shown.stdout)
    conn.close()
    assert not (tmp_path / "outside").exists() and not (tmp_path / "work" / "outside").exists()


def test_download_never_writes_through_a_link_or_onto_a_fifo(cli, login, tmp_path):
    import os

    login("ald")
    (tmp_path / "a.pdf").write_bytes(PDF)
    (tmp_path / "b.pdf").write_bytes(PDF + b"b")
    send = ("message", "send", "--category", "autre", "--subject", "L", "--body", "b")
    sent = cli(*send, "--attach", str(tmp_path / "a.pdf"), "--attach", str(tmp_path / "b.pdf"))
    conversation = sent.stdout.strip()
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"mine")
    (out / "a.pdf").symlink_to(elsewhere)
    os.mkfifo(out / "b.pdf")
    linked = cli("message", "download", conversation, "--out-dir", str(out), "--force")
    assert linked.exit_code == 2 and len(linked.stderr.strip().splitlines()) == 1
    assert elsewhere.read_bytes() == b"mine" and (out / "b.pdf").is_fifo()
    (out / "a.pdf").unlink()
    fifo = cli("message", "download", conversation, "--out-dir", str(out), "--force")
    assert fifo.exit_code == 2 and "fichier ordinaire" in fifo.stderr, fifo.stderr
    assert (out / "b.pdf").is_fifo() and not (out / "a.pdf").exists()


# -- logout through the session's backend ----------------------------------------------------


@pytest.fixture
def server(user_dirs: Path):  # type: ignore[no-untyped-def]
    served = HttpServer(user_dirs / "data" / "sandbox.sqlite3")
    yield served
    served.stop()


@pytest.mark.parametrize("other", ["sandbox", "http://127.0.0.1:9"])
def test_logout_revokes_where_the_session_was_made(cli, login, server, other):
    login("ij", "--backend", server.url)
    token = cli("auth", "token", "--backend", server.url).stdout.strip()
    assert token.startswith("amt_")
    out = cli("logout", "--purge", "--backend", other)
    assert out.exit_code == 0, out.stderr
    assert f"Déconnecté de {server.url}" in out.stderr
    refused = cli("whoami", "--backend", server.url, env={"AMELI_TOKEN": token})
    assert refused.exit_code == 4
    assert cli("whoami", "--backend", server.url).exit_code == 4


def test_logout_when_the_sessions_backend_is_down(cli, login, server, user_dirs):
    login("ij", "--backend", server.url)
    token = cli("auth", "token", "--backend", server.url).stdout.strip()
    server.stop()
    out = cli("logout", "--purge")
    assert out.exit_code == 5, out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("erreur :")]
    assert len(errors) == 1 and server.url in errors[0] and "non révoqué" in errors[0]
    assert "Effacé de cette machine" in out.stderr
    # Erased here all the same (documented): the next command asks to sign in...
    assert "ameli login" in cli("whoami", "--backend", server.url).stderr
    # ...and the token still works on that service until it expires, as the line says.
    again = HttpServer(user_dirs / "data" / "sandbox.sqlite3")
    try:
        me = cli("whoami", "--json", "--backend", again.url, env={"AMELI_TOKEN": token})
        assert me.exit_code == 0 and me.json["nir"] == person("ij").nir
    finally:
        again.stop()


def test_logout_when_the_sessions_plugin_is_gone(cli, login, user_dirs):
    login("ij")
    path = user_dirs / "config" / "sessions" / "default.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "backend": "gone-plugin"}))
    out = cli("logout")
    assert out.exit_code in (1, 2), out.stderr
    assert out.stderr.startswith("erreur : gone-plugin n'a pas révoqué le jeton (")
    assert "jeton effacé d'ici" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not path.exists()


# -- damaged local files ------------------------------------------------------------------


def _outbox_dir(user_dirs: Path) -> Path:
    return user_dirs / "data" / "profiles" / "default" / "outbox"


def test_a_damaged_outbox_entry_costs_no_other_message(cli, login, user_dirs):
    from ameli_cli.domain import outbox as box

    login("ald")
    outbox = _outbox_dir(user_dirs)
    request = {"category": "autre", "subject": "Gardé", "body": "b", "attachments": []}
    good = box.save(
        outbox,
        box.new_entry(backend="sandbox", kind="message", request=request, idempotency_key="k1"),
    )
    entry = json.loads(good.read_text())
    for n, damage in enumerate(
        ["{not json", "[1]", json.dumps({**entry, "request": 5, "id": "x"}), "\x00\xff"]
    ):
        (outbox / f"20000101-00000{n}-dead.json").write_text(damage)
    listed = cli("message", "outbox")
    assert listed.exit_code == 0, listed.stderr
    assert "Gardé" in listed.stdout and "interne" not in listed.stderr
    warnings = [line for line in listed.stderr.splitlines() if "illisible" in line]
    assert len(warnings) == 4
    assert all("ameli message outbox discard" in line for line in warnings)
    sent = cli("message", "outbox", "send")
    assert "interne" not in sent.stderr and "Traceback" not in sent.stderr
    assert sent.exit_code == 6, sent.stderr  # one sent, the damaged ones stay: partial
    assert len([line for line in sent.stderr.splitlines() if "illisible" in line]) == 4
    assert not good.exists()  # the good one went
    for n in range(4):
        discard = cli("message", "outbox", "discard", f"20000101-00000{n}-dead")
        assert discard.exit_code == 0, discard.stderr
    assert cli("message", "outbox", "--json").json == []


@pytest.mark.parametrize("content", ["[1]", '{"items": 5}', '{"items": [5]}', "\xff"])
def test_a_damaged_categories_cache_is_named_and_rewritten(cli, login, user_dirs, content):
    login("ald")
    cache = user_dirs / "cache" / "profiles" / "default" / "message-categories.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(content)
    sent = cli("message", "send", "--category", "autre", "--subject", "S", "--body", "b")
    assert sent.exit_code == 0, sent.stderr
    assert f"{cache} : cache illisible" in sent.stderr
    assert "ameli message categories" in sent.stderr and "interne" not in sent.stderr
    assert isinstance(json.loads(cache.read_text())["items"], list)  # rewritten


@pytest.mark.parametrize("content", ["[1]", '{"keys": 5}', '{"keys": [5]}', "\xff"])
def test_a_damaged_keys_cache_is_fetched_again(cli, login, user_dirs, content, tmp_path):
    login("famille")
    keys = user_dirs / "cache" / "keys" / "sandbox.json"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text(content)
    result = cli("attestation", "get", "-o", str(tmp_path / "a.pdf"))
    assert result.exit_code == 0, result.stderr
    assert "interne" not in result.stderr


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_a_damaged_sandbox_names_sandbox_reset(cli, user_dirs, damage):
    db = user_dirs / "data" / "sandbox.sqlite3"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3] if damage == "truncate" else b"\x00" * 9000)
    for args in (("whoami",), ("sandbox", "accounts")):
        result = cli(*args)
        assert result.exit_code == 1, result.stderr
        assert str(db) in result.stderr and "ameli sandbox reset" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert cli("sandbox", "reset", "--yes").exit_code == 0
    assert cli("sandbox", "accounts").exit_code == 0


def test_an_unclosed_ipv6_backend_is_one_line(cli):
    result = cli("--backend", "http://[::1", "whoami")
    assert result.exit_code == 2
    assert result.stderr.startswith("erreur : Backend inconnu : « http://[::1 »")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_full_disk_names_the_file_it_could_not_write(cli, memory_keyring, monkeypatch, user_dirs):
    import errno
    import os

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    who = person("ij")
    result = cli(
        "login", "--nir", who.nir, "--password-stdin", "--insecure-storage",
        input=who.password + "\n",
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert "plus de place sur le disque" in result.stderr
    assert result.stderr.startswith(f"erreur : {user_dirs / 'config'}/")
    assert len(result.stderr.strip().splitlines()) == 1


# -- the message quota in the outbox ---------------------------------------------------------


def test_outbox_send_stops_at_the_quota_and_exits_7(cli, login, user_dirs, monkeypatch):
    from ameli_cli.domain import outbox as box

    login("ald")
    monkeypatch.setenv("AMELI_SANDBOX_MESSAGES_QUOTA", "1")
    outbox = _outbox_dir(user_dirs)
    for n in range(3):
        request = {"category": "autre", "subject": f"Q{n}", "body": "b", "attachments": []}
        box.save(
            outbox,
            box.new_entry(
                backend="sandbox", kind="message", request=request, idempotency_key=f"q{n}"
            ),
        )
    result = cli("message", "outbox", "send")
    assert result.exit_code == 7, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("erreur : 1 envoyé(s), 2 toujours dans la boîte d'envoi.")
    assert re.search(r"réessayez dans (24 h|23 h 59 min)\.", last)
    assert last.endswith("Puis : ameli message outbox send")
    kept = cli("message", "outbox", "--json").json
    # The third was not even tried: the quota is the account's, it would be refused too.
    assert sorted(e["attempts"] for e in kept) == [0, 1]
