"""Secure messages: send, list, show, reply, attachments, and the outbox that never
loses a message nor delivers it twice."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def _image(fmt: str, size: tuple[int, int]) -> bytes:
    """A real image of random pixels (so each run's bytes differ)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, fmt)
    return buffer.getvalue()


PNG = _image("PNG", (32, 32))
JPEG = _image("JPEG", (64, 48))


def _send(cli, *extra: str, subject: str = "Question sur un remboursement", **kwargs):  # type: ignore[no-untyped-def]
    return cli(
        "message", "send", "--category", "remboursement", "--subject", subject, *extra, **kwargs
    )


def _conversations_with(db: Path, subject: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(
            conn.execute(
                "SELECT count(*) FROM message_conversations WHERE subject = ?", (subject,)
            ).fetchone()[0]
        )
    finally:
        conn.close()


def _outbox(user_dirs: Path) -> Path:
    return user_dirs / "data" / "profiles" / "default" / "outbox"


# -- categories, send, list, show, reply -------------------------------------------------


def test_categories_with_attachment_limits(cli, login, backend):
    login("ald")
    table = cli("message", "categories")
    assert table.exit_code == 0, table.stderr
    assert "remboursement" in table.stdout and "Carte Vitale" in table.stdout
    data = cli("message", "categories", "--json").json
    assert {"code": "autre", "label": "Autre demande"} in data["items"]
    assert data["attachment_limits"]["max_files"] == 5
    assert data["attachment_limits"]["max_bytes"] == 5 * 1024 * 1024


def test_send_then_list_and_show_marks_read(cli, login, backend):
    login("ald")
    sent = _send(cli, "--body", "Bonjour,\nma feuille de soins du 3 n'est pas remboursée.")
    assert sent.exit_code == 0, sent.stderr
    conversation = sent.stdout.strip()
    assert "Message envoyé" in sent.stderr and "Accusé de réception" in sent.stderr

    listed = cli("message", "list", "--json").json
    mine = next(c for c in listed if c["id"] == conversation)
    assert mine["status"] == "awaiting_reply"
    assert mine["unread_count"] == 1  # the caisse's acknowledgement
    assert conversation in [c["id"] for c in cli("message", "list", "--unread", "--json").json]

    shown = cli("message", "show", conversation.lower())
    assert shown.exit_code == 0, shown.stderr
    assert "ma feuille de soins du 3" in shown.stdout
    assert "accusé de réception" in shown.stdout
    assert conversation not in [c["id"] for c in cli("message", "list", "--unread", "--json").json]
    table = cli("message", "list")
    assert conversation in table.stdout and "en attente de réponse" in table.stdout


def test_body_from_stdin_and_from_file(cli, login, backend, tmp_path):
    login("css")
    piped = _send(cli, subject="Par l'entrée standard", input="Texte venu d'un tube\n")
    assert piped.exit_code == 0, piped.stderr
    body_file = tmp_path / "lettre.txt"
    body_file.write_text("Texte venu d'un fichier, accentué : é è à ç\n", "utf-8")
    filed = _send(cli, "--body-file", str(body_file), "--json", subject="Par fichier")
    assert filed.exit_code == 0, filed.stderr
    first = filed.json["messages"][0]
    assert first["author"] == "assure"
    assert first["body"] == "Texte venu d'un fichier, accentué : é è à ç"
    shown = cli("message", "show", piped.stdout.strip(), "--json").json
    assert shown["messages"][0]["body"] == "Texte venu d'un tube"
    dash = _send(cli, "--body-file", "-", "--json", subject="Tiret", input="Par --body-file -\n")
    assert dash.exit_code == 0, dash.stderr
    assert dash.json["messages"][0]["body"] == "Par --body-file -"


def test_caisse_replies_two_days_later_on_the_service_clock_then_reply(cli, login, backend):
    login("ij")
    conversation = _send(cli, "--body", "Où en est mon dossier ?").stdout.strip()
    before = cli("message", "show", conversation, "--json").json
    assert [m["kind"] for m in before["messages"]] == ["message", "acknowledgement"]
    assert cli("sandbox", "advance", "2d").exit_code == 0
    login("ij")  # the 8-hour session expired meanwhile
    assert conversation in [c["id"] for c in cli("message", "list", "--unread", "--json").json]
    after = cli("message", "show", conversation, "--json").json
    assert [m["kind"] for m in after["messages"]] == ["message", "acknowledgement", "reply"]
    assert after["status"] == "answered"
    assert after["messages"][2]["author"] == "caisse"

    replied = cli("message", "reply", conversation, "--body", "Merci pour votre réponse.")
    assert replied.exit_code == 0, replied.stderr
    assert replied.stdout.strip() == conversation
    final = cli("message", "show", conversation, "--json").json
    assert [m["kind"] for m in final["messages"]][-2:] == ["message", "acknowledgement"]
    assert final["messages"][-2]["body"] == "Merci pour votre réponse."
    assert final["status"] == "awaiting_reply"


def test_attachments_round_trip_byte_for_byte(cli, login, backend, tmp_path):
    login("famille")
    files = {"ordonnance.pdf": PDF, "photo.png": PNG, "scan sans extension": JPEG}
    args: list[str] = []
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        args += ["--attach", str(tmp_path / name)]
    sent = _send(cli, "--body", "Voici les pièces.", *args, "--json")
    assert sent.exit_code == 0, sent.stderr
    attachments = sent.json["messages"][0]["attachments"]
    assert [(a["filename"], a["content_type"]) for a in attachments] == [
        ("ordonnance.pdf", "application/pdf"),
        ("photo.png", "image/png"),
        ("scan sans extension", "image/jpeg"),
    ]
    out = tmp_path / "téléchargé"
    got = cli("message", "download", sent.json["id"], "--out-dir", str(out))
    assert got.exit_code == 0, got.stderr
    for name, content in files.items():
        assert (out / name).read_bytes() == content
    assert len(got.stdout.splitlines()) == 3

    again = cli("message", "download", sent.json["id"], "--out-dir", str(out))
    assert again.exit_code == 2 and "--force" in again.stderr
    only = attachments[1]["id"]
    forced = cli(
        "message",
        "download",
        sent.json["id"],
        "--out-dir",
        str(out),
        "--attachment",
        only,
        "--force",
    )
    assert forced.exit_code == 0, forced.stderr
    assert forced.stdout.strip() == str(out / "photo.png")


def test_dry_run_checks_and_sends_nothing(cli, login, tmp_path):
    login("ald")
    (tmp_path / "a.pdf").write_bytes(PDF)
    dry = _send(
        cli,
        "--body",
        "Brouillon",
        "--attach",
        str(tmp_path / "a.pdf"),
        "--dry-run",
        "--json",
        subject="Brouillon",
    )
    assert dry.exit_code == 0, dry.stderr
    assert dry.json["dry_run"] is True
    assert dry.json["request"]["attachments"][0]["content_type"] == "application/pdf"
    assert "content_base64" not in dry.json["request"]["attachments"][0]
    assert "Rien n'a été envoyé" in dry.stderr
    assert "Brouillon" not in cli("message", "list").stdout


def _big_pdf(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(size)
    return path


@pytest.mark.parametrize(
    ("case", "flag"),
    [
        ("empty_body", "--body"),
        ("blank_body", "--body"),
        ("unknown_category", "--category"),
        ("empty_subject", "--subject"),
        ("missing_file", "--attach"),
        ("too_big", "--attach"),
        ("wrong_type_by_content", "--attach"),
        ("six_files", "--attach"),
        ("body_and_body_file", "--body-file"),
        ("unreadable_body_file", "--body-file"),
        ("subject_too_long", "--subject"),
        ("body_too_long", "10000"),
    ],
)
def test_every_validation_error_exits_2_and_sends_nothing(
    cli, login, user_dirs, tmp_path, case, flag
):
    login("ald")
    good = tmp_path / "ok.pdf"
    good.write_bytes(PDF)
    args = {
        "empty_body": [],
        "blank_body": ["--body", "  \n\t "],
        "unknown_category": ["--body", "x"],
        "empty_subject": ["--body", "x"],
        "missing_file": ["--body", "x", "--attach", str(tmp_path / "absent.pdf")],
        "too_big": [
            "--body",
            "x",
            "--attach",
            str(_big_pdf(tmp_path / "gros.pdf", 5 * 1024 * 1024 + 1)),
        ],
        "wrong_type_by_content": ["--body", "x", "--attach", str(tmp_path / "faux.pdf")],
        "six_files": ["--body", "x"] + ["--attach", str(good)] * 6,
        "body_and_body_file": ["--body", "x", "--body-file", str(good)],
        "unreadable_body_file": ["--body-file", str(tmp_path / "absent.txt")],
        "subject_too_long": ["--body", "x"],
        "body_too_long": ["--body", "x" * 10_001],
    }[case]
    (tmp_path / "faux.pdf").write_text("ceci n'est pas un PDF")
    category = "inconnue" if case == "unknown_category" else "remboursement"
    subject = {"empty_subject": "   ", "subject_too_long": "x" * 121}.get(case, "Sujet")
    result = cli(
        "--verbose",
        "message",
        "send",
        "--category",
        category,
        "--subject",
        subject,
        *args,
        input="",
    )
    assert result.exit_code == 2, result.stderr
    assert flag in result.stderr
    said = [line for line in result.stderr.splitlines() if not line.startswith(("→", "←"))]
    assert len(said) == 1 and said[0].startswith("erreur : ")  # one line, no traceback
    assert "→ POST" not in result.stderr  # nothing sent
    assert not any(_outbox(user_dirs).glob("*.json")) if _outbox(user_dirs).exists() else True
    if case == "too_big":
        assert "5 Mo" in result.stderr
    if case == "six_files":
        assert "5 au plus" in result.stderr
    if case == "unknown_category":
        assert "remboursement" in result.stderr  # the valid choices are named


def test_reply_validates_the_id_and_unknown_conversation(cli, login, user_dirs):
    login("ald")
    bad = cli("message", "reply", "../etc", "--body", "x")
    assert bad.exit_code == 2 and "ID" in bad.stderr
    missing = cli("message", "reply", "MZZZZZZ", "--body", "x")
    assert missing.exit_code == 1
    assert "introuvable" in missing.stderr
    assert not list(_outbox(user_dirs).glob("*.json"))  # refused for good: not kept


def test_agent_reads_for_an_assure_without_marking_read_but_cannot_write(cli, login):
    from conftest import person

    login("agent")
    no_nir = cli("message", "list")
    assert no_nir.exit_code == 2 and "--nir" in no_nir.stderr
    listed = cli("message", "list", "--nir", person("ald").nir, "--json").json
    [conversation] = listed
    assert conversation["unread_count"] == 2
    shown = cli("message", "show", conversation["id"], "--nir", person("ald").nir, "--json")
    assert shown.exit_code == 0, shown.stderr
    again = cli("message", "list", "--nir", person("ald").nir, "--json").json
    assert again[0]["unread_count"] == 2  # the agent's reading is not the assuré's
    refused = _send(cli, "--body", "x")
    assert refused.exit_code == 1
    assert "agent" in refused.stderr
    assert cli("message", "outbox", "--json").json == []


def test_not_signed_in_exits_4(cli, user_dirs):
    result = _send(cli, "--body", "x")
    assert result.exit_code == 4
    assert "ameli login" in result.stderr


# -- the outbox under a dead backend -----------------------------------------------------


class Service:
    """The reference service over HTTP on a port that survives a restart."""

    def __init__(self, db: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.db = db
        self.server: object = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import uvicorn

        from ameli_sandbox.app import create_app

        config = uvicorn.Config(
            create_app(self.db),
            host="127.0.0.1",
            port=self.port,
            log_level="critical",
            access_log=False,
            lifespan="off",
        )
        server = uvicorn.Server(config)
        self.server = server
        self.thread = threading.Thread(target=server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        import uvicorn

        assert isinstance(self.server, uvicorn.Server) and self.thread is not None
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def service(user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    svc = Service(user_dirs / "data" / "sandbox.sqlite3")
    svc.start()
    monkeypatch.setenv("AMELI_BACKEND", svc.url)
    yield svc
    if svc.thread is not None and svc.thread.is_alive():
        svc.stop()


def test_outbox_connection_refused_then_delivered_exactly_once(cli, login, service, user_dirs):
    login("ald")
    service.stop()
    subject = "Envoyé pendant une panne"
    down = _send(cli, "--body", "Le service était éteint.", subject=subject)
    assert down.exit_code == 5, down.stderr
    assert "boîte d'envoi" in down.stderr and "ameli message outbox send" in down.stderr
    assert "catégorie non vérifiée" in down.stderr  # nothing cached yet to check it against
    assert len([line for line in down.stderr.splitlines() if line.startswith("erreur")]) == 1

    entries = cli("message", "outbox", "--json").json
    assert len(entries) == 1
    assert entries[0]["request"]["subject"] == subject
    assert entries[0]["may_have_arrived"] is False
    path = next(_outbox(user_dirs).glob("*.json"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert subject in cli("message", "outbox").stdout

    still_down = cli("message", "outbox", "send")
    assert still_down.exit_code == 5
    assert len(cli("message", "outbox", "--json").json) == 1

    service.start()  # same port: the service is back
    sent = cli("message", "outbox", "send")
    assert sent.exit_code == 0, sent.stderr
    assert cli("message", "outbox", "--json").json == []
    assert _conversations_with(user_dirs / "data" / "sandbox.sqlite3", subject) == 1
    assert cli("message", "outbox", "send").exit_code == 0  # nothing left: a no-op
    assert _conversations_with(user_dirs / "data" / "sandbox.sqlite3", subject) == 1


def test_outbox_timeout_after_the_service_received_it_delivers_once(
    cli, login, service, user_dirs, monkeypatch, tmp_path
):
    login("famille")
    (user_dirs / "config").mkdir(parents=True, exist_ok=True)
    (user_dirs / "config" / "config.toml").write_text("timeout = 0.5\n")
    (tmp_path / "piece.png").write_bytes(PNG)
    monkeypatch.setenv("AMELI_SANDBOX_MESSAGE_DELAY", "1.5")
    subject = "Réponse perdue en route"
    slow = _send(
        cli,
        "--body",
        "Le service répond trop tard.",
        "--attach",
        str(tmp_path / "piece.png"),
        subject=subject,
    )
    assert slow.exit_code == 5, slow.stderr
    assert "peut-être été reçu" in slow.stderr
    db = user_dirs / "data" / "sandbox.sqlite3"
    assert _conversations_with(db, subject) == 1  # it did arrive
    entry = cli("message", "outbox", "--json").json[0]
    assert entry["may_have_arrived"] is True

    # Retried at once, while the first request is still being answered.
    monkeypatch.delenv("AMELI_SANDBOX_MESSAGE_DELAY")
    retried = cli("message", "outbox", "send", "--json")
    assert retried.exit_code == 0, retried.stderr
    [result] = retried.json
    assert result["status"] == "delivered"
    assert cli("message", "outbox", "--json").json == []
    time.sleep(1.2)  # let the first request finish too
    assert _conversations_with(db, subject) == 1
    shown = cli("message", "show", result["conversation_id"], "--json").json
    assert [m["kind"] for m in shown["messages"]] == ["message", "acknowledgement"]
    assert len(shown["messages"][0]["attachments"]) == 1


def test_reply_kept_in_outbox_when_refused_then_sent(cli, login, service, user_dirs):
    login("ald")
    conversation = cli("message", "list", "--json").json[0]["id"]
    service.stop()
    kept = cli("message", "reply", conversation, "--body", "Réponse hors ligne", "--json")
    assert kept.exit_code == 5
    assert kept.json["status"] == "queued"
    assert kept.json["outbox"]["conversation_id"] == conversation
    service.start()
    assert cli("message", "outbox", "send").exit_code == 0
    bodies = [m["body"] for m in cli("message", "show", conversation, "--json").json["messages"]]
    assert bodies.count("Réponse hors ligne") == 1


def test_outbox_discard(cli, login, service):
    login("ald")
    service.stop()
    assert _send(cli, "--body", "à jeter").exit_code == 5
    entry = cli("message", "outbox", "--json").json[0]["id"]
    assert cli("message", "outbox", "discard", "nope").exit_code == 2
    assert cli("message", "outbox", "discard", entry).exit_code == 0
    assert cli("message", "outbox", "--json").json == []


def test_offline_category_checked_against_the_cache_or_refused_at_delivery(
    cli, login, service, user_dirs
):
    login("ald")
    service.stop()
    unchecked = cli("message", "send", "--category", "inconnue", "--subject", "s", "--body", "x")
    assert unchecked.exit_code == 5  # nothing cached yet: kept, the service will check
    service.start()
    refused = cli("message", "outbox", "send")
    assert refused.exit_code == 1
    assert "--category" in refused.stderr and "remboursement" in refused.stderr
    [entry] = cli("message", "outbox", "--json").json  # kept, not lost: the user decides
    assert entry["rejected"] is True and "--category" in entry["last_error"]
    assert cli("message", "outbox", "discard", entry["id"]).exit_code == 0

    assert cli("message", "categories").exit_code == 0  # cached from now on
    service.stop()
    typo = cli("message", "send", "--category", "remboursment", "--subject", "s", "--body", "x")
    assert typo.exit_code == 2 and "--category" in typo.stderr
    assert not list(_outbox(user_dirs).glob("*.json"))


def test_responses_match_the_openapi_document(cli, login, backend, tmp_path):
    import jsonschema

    from ameli_sandbox.app import openapi_document

    spec = openapi_document()

    def check(data: object, name: str) -> None:
        jsonschema.validate(
            data, {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        )

    login("famille")
    (tmp_path / "a.png").write_bytes(PNG)
    check(cli("message", "categories", "--json").json, "MessageCategories")
    sent = _send(cli, "--body", "x", "--attach", str(tmp_path / "a.png"), "--json").json
    check(sent, "Conversation")
    for item in cli("message", "list", "--json").json:
        check(item, "ConversationSummary")
    check(cli("message", "show", sent["id"], "--json").json, "Conversation")
    documented = {p for p in spec["paths"] if p.startswith("/v1/messages")}
    assert len(documented) == 6


def test_editor_opens_on_a_terminal_and_comment_lines_are_dropped(cli, login, tmp_path):
    import json
    import pty
    import subprocess
    import sys

    login("ald")
    token = cli("auth", "token").stdout.strip()
    editor = tmp_path / "editeur.sh"
    editor.write_text(
        "#!/bin/sh\nprintf 'Écrit dans mon éditeur\\n# une note pour moi\\n' >> \"$1\"\n"
    )
    editor.chmod(0o755)
    leader, follower = pty.openpty()
    send_args = ("-c", "autre", "-s", "Éditeur", "--json")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ameli_cli", "message", "send", *send_args],
            stdin=follower,
            capture_output=True,
            env=dict(os.environ, AMELI_TOKEN=token, EDITOR=str(editor)),
            timeout=60,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 0, done.stderr.decode()
    sent = json.loads(done.stdout)
    assert sent["messages"][0]["body"] == "Écrit dans mon éditeur"


def test_the_service_enforces_the_limits_itself(cli, login, user_dirs):
    """A client that skips the checks still cannot store a bad message."""
    import base64
    import uuid

    from ameli_cli.api.client import AmeliClient
    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.runtime.errors import ApiError

    login("ald")
    token = cli("auth", "token").stdout.strip()
    transport = EmbeddedTransport(user_dirs / "data" / "sandbox.sqlite3")

    def encoded(name: str, content: bytes) -> dict[str, str]:
        return {"filename": name, "content_base64": base64.b64encode(content).decode()}

    base = {"category": "autre", "subject": "s", "body": "b"}
    cases = {
        "unknown_category": {**base, "category": "nope"},
        "empty_body": {**base, "body": " \n"},
        "empty_subject": {**base, "subject": ""},
        "subject_too_long": {**base, "subject": "x" * 121},
        "too_many_attachments": {**base, "attachments": [encoded("a.pdf", PDF)] * 6},
        "attachment_too_large": {
            **base,
            "attachments": [encoded("a.pdf", b"%PDF-" + bytes(5 * 1024 * 1024))],
        },
        "attachment_type": {**base, "attachments": [encoded("a.pdf", b"GIF89a...")]},
    }
    details: dict[str, str] = {}
    with AmeliClient("http://sandbox.invalid", token=token, transport=transport) as client:
        for expected, body in cases.items():
            with pytest.raises(ApiError) as refused:
                client.send_message(body, idempotency_key=str(uuid.uuid4()))
            assert (refused.value.status, refused.value.code) == (422, expected)
            details[expected] = refused.value.detail
        stored = client.list_messages()
    assert "5 MB" in details["attachment_too_large"]  # the limits are in the messages
    assert "at most 5" in details["too_many_attachments"]
    assert "PDF, JPEG or PNG" in details["attachment_type"]
    assert all(c["subject"] != "s" for c in stored)  # nothing was stored


def test_message_help_imports_nothing_heavy(user_dirs):
    import subprocess
    import sys

    code = (
        "import contextlib, io, sys\n"
        "from ameli_cli.__main__ import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    run(['message', 'send', '--help'])\n"
        "heavy = ('httpx', 'rich', 'ameli_cli.api.client', 'ameli_sandbox', 'sqlite3')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_expired_session_keeps_the_message_until_signed_in_again(cli, login, user_dirs):
    login("css")
    assert cli("sandbox", "advance", "9h").exit_code == 0  # the 8-hour session ends
    expired = _send(cli, "--body", "Écrit trop tard", subject="Session expirée")
    assert expired.exit_code == 4
    assert "ameli login" in expired.stderr and "boîte d'envoi" in expired.stderr
    assert len(cli("message", "outbox", "--json").json) == 1
    login("css")
    assert cli("message", "outbox", "send").exit_code == 0
    assert _conversations_with(user_dirs / "data" / "sandbox.sqlite3", "Session expirée") == 1


def test_the_outbox_names_a_category_in_words_not_its_code(cli, login, service):
    """Issue 14: the outbox showed the raw code (`indemnites`); it shows the category's
    label once the categories are known (they are cached by `message categories`)."""
    login("ij")
    assert cli("message", "categories").exit_code == 0  # caches the labels
    label = next(
        c["label"]
        for c in cli("message", "categories", "--json").json["items"]
        if c["code"] == "indemnites"
    )
    service.stop()
    kept = cli(
        "message", "send", "--category", "indemnites", "--subject", "Mes IJ", "--body", "Bonjour."
    )
    assert kept.exit_code == 5, kept.stderr
    shown = cli("message", "outbox").stdout
    assert label in shown and "indemnites" not in shown
