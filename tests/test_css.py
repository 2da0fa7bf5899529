"""`ameli css simulate|request|status`: thresholds from the service with their source,
a request with justificatifs decided on the sandbox clock, the CSS mention on the
attestation de droits once granted."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import person


@pytest.fixture
def avis(tmp_path: Path) -> Path:
    path = tmp_path / "avis-imposition.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return path


def test_simulate_needs_no_sign_in_and_names_its_source(cli, backend):
    free = cli("css", "simulate", "--resources", "12000", "--ages", "34,8")
    assert free.exit_code == 0, free.stderr
    assert "sans participation" in free.stdout and "15 508,00 €" in free.stdout
    assert "01/04/2025" in free.stdout and "efl.fr" in free.stdout
    paid = cli("css", "simulate", "--resources", "19000", "--ages", "34,8,5", "--json").json
    assert paid["outcome"] == "participation" and paid["monthly_participation"] == 3000
    assert [m["monthly_participation"] for m in paid["members"]] == [1400, 800, 800]
    local = cli(
        "css", "simulate", "--resources", "13000", "--ages", "72", "--alsace-moselle", "--json"
    )
    assert local.json["monthly_participation"] == 1050
    over = cli("css", "simulate", "--resources", "14000", "--ages", "30", "--json").json
    assert over["outcome"] == "non_eligible"


def test_simulate_bad_inputs(cli):
    assert cli("css", "simulate", "--resources", "beaucoup", "--ages", "30").exit_code == 2
    ages = cli("css", "simulate", "--resources", "1000", "--ages", "trente")
    assert ages.exit_code == 2 and "--ages" in ages.stderr


def test_request_granted_after_a_month_shows_on_the_attestation(cli, login, backend, avis):
    login("ij")
    sent = cli("css", "request", "--resources", "9000", "--ages", "35", str(avis))
    assert sent.exit_code == 0, sent.stderr
    assert "en cours" in sent.stdout
    again = cli("css", "request", "--resources", "9000", "--ages", "35", str(avis))
    assert again.exit_code == 1 and "déjà en cours" in again.stderr
    assert cli("sandbox", "advance", "31d").exit_code == 0
    login("ij")
    status = cli("css", "status", "--json").json["items"][0]
    assert status["status"] == "accordee" and status["outcome"] == "gratuite"
    assert "accordée" in cli("css", "status").stdout
    droits = cli("attestation", "get", "droits", "--json")
    assert droits.exit_code == 0, droits.stderr
    mentions = droits.json["attestation"]["mentions"]
    assert any(m["kind"] == "css" and m["start"] == status["start_date"] for m in mentions)


def test_request_refused_over_the_ceiling_and_bad_files(cli, login, backend, avis, tmp_path):
    login("ij")
    text = tmp_path / "bulletin.jpg"
    text.write_text("texte")
    bad = cli("css", "request", "--resources", "9000", "--ages", "35", str(text))
    assert bad.exit_code == 2 and "ni un PDF" in bad.stderr
    assert cli("css", "request", "--resources", "90000", "--ages", "35", str(avis)).exit_code == 0
    assert cli("sandbox", "advance", "31d").exit_code == 0
    login("ij")
    assert cli("css", "status", "--json").json["items"][0]["status"] == "refusee"


def test_agents_read_but_request_nothing(cli, login, avis):
    login("agent")
    listed = cli("css", "status", "--nir", person("css").nir, "--json")
    assert listed.exit_code == 0 and listed.json["items"] == []
    refused = cli("css", "request", "--resources", "9000", "--ages", "35", str(avis))
    assert refused.exit_code == 1 and "n'envoie rien en son nom" in refused.stderr
