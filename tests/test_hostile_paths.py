"""Issue 13, what was still open: hostile attachment names (refused by the service,
made safe on download), `logout` through the session's own backend, damaged local
files named with their repair command, the message quota in `outbox send`."""

from __future__ import annotations

import base64
import json
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
