"""`paiements reconcile`: bank exports made from the seeded transfers, with perturbations."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from bank_exports import Credit, camt053, credits_from, csv_fr, ofx

FORMATS = ("ofx1", "ofx2", "csv", "csv-split", "camt053")


def _write(tmp_path: Path, fmt: str, credits: list[Credit]) -> Path:
    if fmt.startswith("ofx"):
        path = tmp_path / "releve.ofx"
        path.write_text(ofx(credits, version=int(fmt[-1])), encoding="utf-8")
    elif fmt.startswith("csv"):
        path = tmp_path / "releve.csv"
        path.write_bytes(csv_fr(credits, split_columns=fmt == "csv-split"))
    else:
        path = tmp_path / "releve.xml"
        path.write_text(camt053(credits), encoding="utf-8")
    return path


@pytest.fixture
def transfers(cli, login) -> list[dict]:
    login("famille")
    result = cli("paiements", "virements", "--since", "400d", "--json")
    assert result.exit_code == 0, result.stderr
    return list(reversed(result.json))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_clean_export_matches_every_transfer(cli, transfers, tmp_path, fmt):
    path = _write(tmp_path, fmt, credits_from(transfers))
    result = cli("paiements", "reconcile", str(path), "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    report = result.json
    to_assure = [t for t in transfers if t["payee"]["kind"] == "assure"]
    assert {m["transfer_id"] for m in report["matched"]} == {t["id"] for t in to_assure}
    assert report["all_matched"] and not report["unexplained_credits"]
    human = cli("paiements", "reconcile", str(path))
    assert human.exit_code == 0 and "Tout correspond." in human.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_perturbations_are_each_reported_and_exit_6(cli, transfers, tmp_path, fmt):
    credits = credits_from(transfers)
    cpam = [c for c in credits if c.label.startswith("CPAM")]
    missing, shifted, changed = cpam[3], cpam[6], cpam[9]
    credits.remove(missing)
    shifted.day += timedelta(days=3)
    changed.cents += 150
    foreign = Credit(cpam[12].day, 4_242, "CPAM DU RHONE REMB SOINS 010101")
    credits.append(foreign)
    result = cli("paiements", "reconcile", str(_write(tmp_path, fmt, credits)), "--json")
    assert result.exit_code == 6, result.stderr
    report = result.json
    assert [(c["amount"], c["label"]) for c in report["unexplained_credits"]] == [
        (4_242, foreign.label)
    ]
    assert [m["bank_label"] for m in report["missing_transfers"]] == [missing.label]
    [differs] = report["amount_differs"]
    assert (differs["bank_amount"], differs["bank_label"]) == (changed.cents, changed.label)
    assert differs["amount"] == changed.cents - 150
    moved = next(m for m in report["matched"] if m["bank_label"] == shifted.label)
    assert moved["days_apart"] == 4
    human = cli("paiements", "reconcile", str(_write(tmp_path, fmt, credits)))
    assert human.exit_code == 6
    for text in ("Montants différents", "qu'aucun virement n'explique", "absents du relevé"):
        assert text in human.stdout
    assert "42,42 €" in human.stdout and max(map(len, human.stdout.splitlines())) <= 80


def test_reconcile_over_http(backend, cli, transfers, tmp_path):
    path = _write(tmp_path, "ofx2", credits_from(transfers))
    result = cli("paiements", "reconcile", str(path), "--json")
    assert result.exit_code == 0 and result.json["all_matched"], result.stderr


def test_unreadable_files_are_a_usage_error_in_one_line(cli, login, tmp_path):
    login("famille")
    for name, content in (
        ("broken.ofx", b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1>"),
        (
            "broken.xml",
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Ntry>',
        ),
        ("nohead.csv", b"a;b;c\n1;2;3\n"),
        ("baddate.csv", "Date;Libellé;Montant\n31/02/2026;CPAM;1,00\n".encode()),
    ):
        (tmp_path / name).write_bytes(content)
        result = cli("paiements", "reconcile", str(tmp_path / name))
        assert result.exit_code == 2, (name, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    missing = cli("paiements", "reconcile", str(tmp_path / "absent.ofx"))
    assert missing.exit_code == 2 and "absent.ofx" in missing.stderr


def test_csv_columns_can_be_named(cli, transfers, tmp_path):
    credits = credits_from(transfers)
    lines = ["Jour;Opération;Somme"] + [
        f"{c.day:%d/%m/%Y};{c.label};{c.cents / 100:.2f}".replace(".", ",") for c in credits
    ]
    path = tmp_path / "banque.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    unnamed = cli("paiements", "reconcile", str(path))
    assert unnamed.exit_code == 2 and "--column" in unnamed.stderr
    named = cli(
        "paiements", "reconcile", str(path),
        "--column", "date=Jour", "--column", "label=Opération", "--column", "amount=Somme",
    )  # fmt: skip
    assert named.exit_code == 0, named.stdout + named.stderr
    bad = cli("paiements", "reconcile", str(path), "--column", "montant")
    assert bad.exit_code == 2 and "--column" in bad.stderr
