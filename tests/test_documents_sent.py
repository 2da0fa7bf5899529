"""`ameli documents send|sent`: files checked by content before sending; on the
sandbox clock a feuille de soins becomes a payment line and an arrêt de travail IJ."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import person


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    path = tmp_path / "feuille.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return path


def test_a_feuille_de_soins_becomes_a_payment_line_a_month_later(cli, login, backend, scan):
    login("ij")
    sent = cli("documents", "send", "--type", "feuille-de-soins", str(scan), "--json")
    assert sent.exit_code == 0, sent.stderr
    submission = sent.json
    assert (
        submission["status"] == "recu" and submission["files"][0]["media_type"] == "application/pdf"
    )
    listed = cli("documents", "sent")
    assert submission["id"] in listed.stdout and "feuille de soins" in listed.stdout
    assert cli("sandbox", "advance", "31d").exit_code == 0
    login("ij")
    done = cli("documents", "sent", "--json").json["items"][0]
    assert done["status"] == "traite" and done["payment_id"]
    line = cli("paiements", "show", done["payment_id"], "--json")
    assert line.exit_code == 0, line.stderr
    assert line.json["act"]["code"] == "G" and line.json["amount_reimbursed"] == 1900


def test_an_arret_de_travail_starts_ij(cli, login, backend, scan):
    login("ij")
    assert cli("documents", "send", "--type", "arret-de-travail", str(scan)).exit_code == 0
    assert cli("sandbox", "advance", "18d").exit_code == 0
    login("ij")
    done = cli("documents", "sent", "--json").json["items"][0]
    line = cli("paiements", "show", done["payment_id"], "--json").json
    assert line["kind"] == "ij" and line["quantity"] == 11


def test_bad_inputs_send_nothing(cli, login, backend, scan, tmp_path):
    login("famille")
    text = tmp_path / "ordonnance.pdf"
    text.write_text("ceci n'est pas un PDF")
    not_pdf = cli("documents", "send", "--type", "justificatif", str(text))
    assert not_pdf.exit_code == 2 and "ni un PDF" in not_pdf.stderr
    wrong_type = cli("documents", "send", "--type", "ordonnance", str(scan))
    assert wrong_type.exit_code == 2 and "feuille-de-soins" in wrong_type.stderr
    missing = cli("documents", "send", "--type", "justificatif", str(tmp_path / "absent.pdf"))
    assert missing.exit_code == 2 and "introuvable" in missing.stderr
    child_leave = cli("documents", "send", "--type", "arret-de-travail", "-b", "02", str(scan))
    assert child_leave.exit_code == 2
    empty = cli("documents", "sent")
    assert empty.exit_code == 0 and "Aucun document" in empty.stderr
    ok = cli("documents", "send", "--type", "justificatif", "--beneficiary", "03", str(scan))
    assert ok.exit_code == 0 and "rang 03" in ok.stdout


def test_agents_read_but_send_nothing(cli, login, scan):
    login("agent")
    listed = cli("documents", "sent", "--nir", person("ij").nir, "--json")
    assert listed.exit_code == 0 and listed.json == {"items": []}
    refused = cli("documents", "send", "--type", "justificatif", str(scan))
    assert refused.exit_code == 1 and "n'envoie rien en son nom" in refused.stderr
