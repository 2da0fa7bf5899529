"""`ameli beneficiaires list|add|confirm`: a child added with its birth certificate,
a child attached to the other parent's account once that parent confirms, on the
sandbox clock; the result shows in whoami."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    path = tmp_path / "acte de naissance.pdf"
    path.write_bytes(PDF)
    return path


def advance(cli, login, key: str, days: int) -> None:
    assert cli("sandbox", "advance", f"{days}d").exit_code == 0
    login(key)


def child_args(certificate: Path, born: str = "2026-11-02") -> list[str]:
    return [
        "beneficiaires", "add", "--first-names", "Jules", "--last-name", "Martin",
        "--birth-date", born, "--birth-certificate", str(certificate),
    ]  # fmt: skip


def test_list_shows_rank_birth_relationship_and_card(cli, login, backend):
    login("famille")
    listed = cli("beneficiaires", "list")
    assert listed.exit_code == 0, listed.stderr
    assert "Camille DUPONT" in listed.stdout and "30/06/2009" in listed.stdout
    assert all(len(line) <= 80 for line in listed.stdout.splitlines())
    data = cli("beneficiaires", "list", "--json").json
    assert [b["rank"] for b in data["items"]] == ["01", "02", "03", "04"]
    assert {"relationship", "also_attached_to_other_parent", "card_status"} <= set(data["items"][1])


def test_a_newborn_is_accepted_after_five_days_and_shows_in_whoami(
    cli, login, backend, certificate
):
    login("ij")
    sent = cli(*child_args(certificate))
    assert sent.exit_code == 0, sent.stderr
    assert "naissance" in sent.stdout and "en cours" in sent.stdout
    assert "Jules" not in cli("whoami").stdout
    advance(cli, login, "ij", 6)
    assert "Jules" in cli("whoami").stdout
    data = cli("beneficiaires", "list", "--json").json
    assert data["items"][-1]["first_names"] == "Jules" and data["items"][-1]["rank"] == "02"
    assert data["requests"][0]["status"] == "acceptee"


def test_bad_child_inputs(cli, login, backend, certificate, tmp_path):
    login("ij")
    text = tmp_path / "acte.pdf"
    text.write_text("pas un PDF")
    not_pdf = cli(*child_args(text))
    assert not_pdf.exit_code == 2 and "ni un PDF" in not_pdf.stderr
    adult = cli(*child_args(certificate, born="2001-01-01"))
    assert adult.exit_code == 2 and "18 ans" in adult.stderr
    missing = cli("beneficiaires", "add", "--first-names", "Jules")
    assert missing.exit_code == 2 and "--birth-certificate" in missing.stderr
    bad_date = cli(*child_args(certificate, born="02/11/2026"))
    assert bad_date.exit_code == 2 and "--birth-date" in bad_date.stderr
    assert cli("beneficiaires", "list", "--json").json["requests"] == []


def test_co_attachment_waits_for_the_other_parent(cli, login, backend):
    thomas = person("parent")
    login("famille")
    asked = cli(
        "beneficiaires", "add", "--beneficiary", "03", "--other-parent", thomas.nir, "--json"
    )
    assert asked.exit_code == 0, asked.stderr
    request = asked.json
    assert (
        request["status"] == "en_attente_autre_parent"
        and request["other_parent"] == "Thomas DUPONT"
    )
    advance(cli, login, "famille", 10)  # nothing happens until Thomas confirms
    assert cli("beneficiaires", "list", "--json").json["requests"][0]["status"] == request["status"]
    login("parent")
    listed = cli("beneficiaires", "list")
    assert f"ameli beneficiaires confirm {request['id']}" in listed.stdout
    confirmed = cli("beneficiaires", "confirm", request["id"])
    assert confirmed.exit_code == 0 and "en cours" in confirmed.stdout
    advance(cli, login, "parent", 3)
    assert "Hugo" in cli("whoami").stdout
    hugo = cli("beneficiaires", "list", "--json").json["items"][-1]
    assert hugo["first_names"] == "Hugo" and hugo["also_attached_to_other_parent"]
    login("famille")
    mine = cli("beneficiaires", "list", "--json").json["items"]
    assert next(b for b in mine if b["rank"] == "03")["also_attached_to_other_parent"]


def test_co_attachment_bad_inputs(cli, login, backend):
    login("famille")
    adult = cli(
        "beneficiaires", "add", "--beneficiary", "01", "--other-parent", person("parent").nir
    )
    assert adult.exit_code == 2 and "enfant" in adult.stderr
    bad_nir = cli(
        "beneficiaires", "add", "--beneficiary", "03", "--other-parent", "1 82 10 75 114 023 99"
    )
    assert bad_nir.exit_code == 2 and "--other-parent" in bad_nir.stderr
    login("ij")
    stranger = cli("beneficiaires", "confirm", "BZZZZZ")
    assert stranger.exit_code == 2 and "Aucune demande" in stranger.stderr


def test_agents_read_but_add_nothing(cli, login, backend, certificate):
    login("agent")
    data = cli("beneficiaires", "list", "--nir", person("famille").nir, "--json")
    assert data.exit_code == 0 and len(data.json["items"]) == 4
    refused = cli(*child_args(certificate))
    assert refused.exit_code == 1 and "n'envoie rien en son nom" in refused.stderr
