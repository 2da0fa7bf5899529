"""`documents list` and `documents sync DIR`: every kind, stable names, a manifest,
idempotent, safe against SIGKILL, attestations re-fetched only once expired."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from conftest import person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _manifest(directory: Path) -> dict[str, dict]:
    data = json.loads((directory / "manifest.json").read_text("utf-8"))
    return {entry["id"]: entry for entry in data["documents"]}


def _send_attachment(cli, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(PDF)
    sent = cli(
        "message", "send", "--category", "remboursement", "--subject", "Feuille de soins",
        "--body", "Bonjour, voici la feuille.", "--attach", str(path),
    )  # fmt: skip
    assert sent.exit_code == 0, sent.stderr


def test_list_names_every_kind_the_compte_offers(cli, login, backend, tmp_path):
    login("famille")
    _send_attachment(cli, tmp_path, "feuille.pdf")
    result = cli("documents", "list", "--json")
    assert result.exit_code == 0, result.stderr
    kinds = Counter(d["kind"] for d in result.json)
    assert kinds["attestation-droits"] == 4 and kinds["releve-mensuel"] == 27
    assert kinds["piece-jointe"] == 1
    files = [d["file"] for d in result.json]
    assert len(set(files)) == len(files)
    assert any(f.startswith("releves/") and f.endswith(".pdf") for f in files)
    human = cli("documents", "list")
    assert human.exit_code == 0 and "releve-mensuel-" in human.stdout


def test_sick_pay_documents_are_listed_for_the_ij_account(cli, login):
    login("ij")
    kinds = {d["kind"] for d in cli("documents", "list", "--json").json}
    assert {"attestation-ij", "releve-fiscal", "attestation-droits"} <= kinds


def test_sync_mirrors_everything_then_adds_nothing(cli, login, backend, tmp_path):
    login("famille")
    _send_attachment(cli, tmp_path, "feuille.pdf")
    target = tmp_path / "ameli"
    first = cli("documents", "sync", str(target))
    assert first.exit_code == 0, first.stderr
    events = _events(first.stdout)
    listed = cli("documents", "list", "--json").json
    assert sorted(e["id"] for e in events) == sorted(d["id"] for d in listed)
    assert {e["event"] for e in events} == {"added"}
    manifest = _manifest(target)
    for event in events:
        data = (target / event["file"]).read_bytes()
        assert manifest[event["id"]]["digest"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert event["digest"] == manifest[event["id"]]["digest"]
    attachment = next(e for e in events if e["kind"] == "piece-jointe")
    assert (target / attachment["file"]).read_bytes() == PDF
    stamps = {p: p.stat().st_mtime_ns for p in target.rglob("*.pdf")}
    second = cli("documents", "sync", str(target))
    assert second.exit_code == 0 and second.stdout == ""
    assert {p: p.stat().st_mtime_ns for p in target.rglob("*.pdf")} == stamps
    assert not list(target.rglob("*.tmp"))


def test_sync_kind_and_since_select(cli, login, tmp_path):
    login("famille")
    target = tmp_path / "d"
    result = cli(
        "documents", "sync", str(target), "--kind", "releve-mensuel", "--since", "2026-06-01"
    )
    assert result.exit_code == 0, result.stderr
    events = _events(result.stdout)
    assert events and {e["kind"] for e in events} == {"releve-mensuel"}
    assert all(e["id"] >= "releve-2026-06" for e in events)
    bad = cli("documents", "sync", str(target), "--kind", "photos")
    assert bad.exit_code == 2 and "--kind" in bad.stderr


def test_a_file_written_before_a_kill_is_adopted_not_fetched_twice(cli, login, tmp_path):
    login("famille")
    target = tmp_path / "d"
    cli("documents", "sync", str(target), "--kind", "releve-mensuel")
    manifest = json.loads((target / "manifest.json").read_text("utf-8"))
    lost = manifest["documents"].pop()  # killed after the rename, before the manifest
    (target / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    leftover = target / "releves" / ".releve-mensuel-2026-01.pdf.abc123.tmp"
    leftover.write_bytes(b"%PDF-1.4 half")  # killed while writing
    before = (target / lost["file"]).stat().st_mtime_ns
    again = cli("documents", "sync", str(target), "--kind", "releve-mensuel")
    assert again.exit_code == 0, again.stderr
    assert [(e["event"], e["id"]) for e in _events(again.stdout)] == [("added", lost["id"])]
    assert (target / lost["file"]).stat().st_mtime_ns == before and not leftover.exists()


def test_sync_survives_sigkill(cli, login, user_dirs, tmp_path):
    login("famille")
    token = cli("auth", "token").stdout.strip()
    target = tmp_path / "d"
    env = {**os.environ, "AMELI_TOKEN": token}
    command = [sys.executable, "-m", "ameli_cli", "documents", "sync", str(target)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    seen = [process.stdout.readline() for _ in range(3)]  # killed mid-run
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    rest = subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
    assert rest.returncode == 0, rest.stderr
    ids = [json.loads(line)["id"] for line in [*seen, *rest.stdout.splitlines()] if line.strip()]
    assert len(ids) == len(set(ids))  # nothing twice
    assert set(ids) >= set(_manifest(target)) and not list(target.rglob("*.tmp"))
    for entry in _manifest(target).values():
        data = (target / entry["file"]).read_bytes()
        assert entry["digest"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_expired_attestations_are_refetched_and_nothing_else(cli, login, tmp_path):
    login("famille")
    target = tmp_path / "d"
    cli("documents", "sync", str(target))
    before = _manifest(target)
    assert cli("sandbox", "advance", "100d").exit_code == 0
    login("famille")  # the session has expired meanwhile; the device is still trusted
    later = cli("documents", "sync", str(target))
    assert later.exit_code == 0, later.stderr
    events = _events(later.stdout)
    updated = {e["id"] for e in events if e["event"] == "updated"}
    assert updated == {i for i, e in before.items() if e["kind"] == "attestation-droits"}
    added = {e["kind"] for e in events if e["event"] == "added"}
    assert added <= {"releve-mensuel"}  # months that closed meanwhile


def test_hostile_attachment_names_stay_inside(cli, login, tmp_path, user_dirs):
    import sqlite3

    login("famille")
    _send_attachment(cli, tmp_path, "feuille.pdf")
    # The service now refuses such a name (issue 13); one stored before still syncs safely.
    conn = sqlite3.connect(user_dirs / "data" / "sandbox.sqlite3")
    with conn:
        conn.execute(
            "UPDATE message_attachments SET filename = ? WHERE filename = ?",
            ("..\u202efdp.exe.pdf", "feuille.pdf"),
        )
    conn.close()
    target = tmp_path / "d"
    result = cli("documents", "sync", str(target), "--kind", "piece-jointe")
    assert result.exit_code == 0, result.stderr
    [event] = _events(result.stdout)
    path = (target / event["file"]).resolve()
    assert target.resolve() in path.parents and "\u202e" not in event["file"]


def test_sync_without_a_session_fails_without_prompting(cli, tmp_path):
    result = cli("documents", "sync", str(tmp_path / "d"), input="")
    assert result.exit_code == 4 and result.stdout == ""
    assert person("famille").nir not in result.stderr


def test_an_agent_is_told_documents_are_an_assures_own(cli, login, tmp_path):
    login("agent")
    for args in (("documents", "list"), ("documents", "sync", str(tmp_path / "d"))):
        result = cli(*args)
        assert result.exit_code == 2 and "réservé aux assurés" in result.stderr
        assert "?nir=" not in result.stderr
    assert not (tmp_path / "d").exists()


def test_a_damaged_manifest_is_one_line_and_nothing_is_written(cli, login, tmp_path):
    login("famille")
    target = tmp_path / "d"
    target.mkdir()
    (target / "manifest.json").write_text("{not json", "utf-8")
    result = cli("documents", "sync", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "manifest.json" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == [".ameli-sync.lock", "manifest.json"]


def test_a_ceam_certificate_is_listed_and_synced(cli, login, tmp_path):
    from datetime import date, timedelta

    login("famille")
    departure = (date.today() + timedelta(days=5)).isoformat()
    ordered = cli(
        "ceam", "order", "--beneficiary", "03", "--departure", departure, "--yes",
        "-o", str(tmp_path / "certificat.pdf"),
    )  # fmt: skip
    assert ordered.exit_code == 0, ordered.stderr
    result = cli("documents", "sync", str(tmp_path / "d"), "--kind", "ceam-certificat")
    assert result.exit_code == 0, result.stderr
    [event] = _events(result.stdout)
    assert event["file"].startswith("ceam/certificat-provisoire-ceam-03-")
    assert (tmp_path / "d" / event["file"]).read_bytes().startswith(b"%PDF")
