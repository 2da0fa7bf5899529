"""Relevés mensuels: 27 closed months, the current one not yet, a signed PDF checked
by the attestations' verification."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import person


def _months_back(today: date, back: int) -> str:
    index = today.year * 12 + today.month - 1 - back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def test_list_gives_27_closed_months_and_when_the_current_one_comes(cli, login, backend):
    login("famille")
    result = cli("releves", "list", "--json")
    assert result.exit_code == 0, result.stderr
    today = date.today()
    months = [item["month"] for item in result.json["items"]]
    assert months == [_months_back(today, back) for back in range(1, 28)]
    assert result.json["current_month"]["month"] == _months_back(today, 0)
    human = cli("releves", "list")
    assert human.exit_code == 0 and _months_back(today, 1) in human.stdout
    assert "sera disponible le 01/" in human.stderr


def test_the_current_month_says_when_it_will_be_available(cli, login):
    login("famille")
    today = date.today()
    result = cli("releves", "get", _months_back(today, 0))
    assert result.exit_code == 1
    assert "pas encore disponible" in result.stderr and "01/" in result.stderr
    too_old = cli("releves", "get", _months_back(today, 28))
    assert too_old.exit_code == 1 and "27 derniers mois" in too_old.stderr
    bad = cli("releves", "get", "novembre")
    assert bad.exit_code == 2 and "AAAA-MM" in bad.stderr


def test_a_releve_pdf_is_signed_and_verified_like_an_attestation(cli, login, backend, tmp_path):
    login("famille")
    month = _months_back(date.today(), 1)
    data = cli("releves", "get", month, "--json").json
    releve = data["attestation"]
    assert releve["type"] == "releve" and releve["month"] == month
    totals = releve["totals"]
    assert totals["transfer_count"] == len(releve["transfers"])
    assert totals["paid_to_assure"] == sum(
        t["amount"] for t in releve["transfers"] if t["payee"]["kind"] == "assure"
    )
    assert all(t["date"][:7] == month for t in releve["transfers"])
    out = tmp_path / "r.pdf"
    result = cli("releves", "get", month, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    for verb in (("releves", "verify"), ("attestation", "verify")):
        checked = cli(*verb, str(out), "--json")
        assert checked.exit_code == 0, checked.stdout
        assert checked.json["status"] == "valid" and checked.json["type"] == "releve"
    first = releve["transfers"][0]
    edits = {
        # a transfer's amount edited in the signed data
        "data.pdf": pdf.replace(
            f'"amount":{first["amount"]},"bank_label"'.encode(),
            f'"amount":{first["amount"] + 1000},"bank_label"'.encode(),
            1,
        ),
        "page.pdf": pdf.replace(b"/Lang (fr-FR)", b"/Lang (en-GB)"),
    }
    for name, content in edits.items():
        assert content != pdf, name
        (tmp_path / name).write_bytes(content)
        refused = cli("releves", "verify", str(tmp_path / name))
        assert refused.exit_code == 1 and refused.stdout.startswith("altérée"), name


def test_the_page_groups_each_transfer_by_beneficiary(cli, login, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    login("famille")
    month = _months_back(date.today(), 1)
    releve = cli("releves", "get", month, "--json").json["attestation"]
    out = tmp_path / "r.pdf"
    cli("releves", "get", month, "-o", str(out))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(out)).pages)
    assert "Relevé mensuel de vos paiements" in text and "CPAM de Paris" in text
    for transfer in releve["transfers"]:
        day = transfer["date"]
        assert f"Paiement effectué le {day[8:10]}/{day[5:7]}/{day[:4]}" in text
        assert transfer["bank_label"] in text.replace("\n", " ")


def test_an_agent_gets_an_assures_releve(cli, login):
    login("agent")
    month = _months_back(date.today(), 2)
    result = cli("releves", "get", month, "--nir", person("ij").nir, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json["attestation"]["assure"]["last_name"] == person("ij").last_name


def test_releves_cannot_leave_the_directory_named(cli, login, tmp_path: Path):
    login("famille")
    month = _months_back(date.today(), 1)
    result = cli("releves", "get", month, "-o", str(tmp_path))
    assert result.exit_code == 0
    assert (tmp_path / f"releve-mensuel-{month}.pdf").exists()
    assert json.loads(cli("releves", "list", "--json").stdout)["items"]
