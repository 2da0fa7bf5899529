"""`ameli estimate`: tariffs served by the API, rules of the date, the yearly caps;
and the estimate never disagrees with the seeded payment history (one tariff table)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import person
from service_harness import mint_token


@pytest.fixture
def service(user_dirs: Path) -> Any:
    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx

    transport = EmbeddedTransport(user_dirs / "data" / "sandbox.sqlite3")
    client = httpx.Client(transport=transport, base_url="http://sandbox.invalid")
    client.conn = transport._app.state.db  # type: ignore[attr-defined]
    yield client
    client.close()


def _has(conn: sqlite3.Connection, account_id: int, rank: str, kind: str, day: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM coverages c JOIN beneficiaries b ON b.id = c.beneficiary_id"
            " WHERE b.account_id = ? AND b.rank = ? AND c.kind = ? AND c.start_date <= ?"
            " AND (c.end_date IS NULL OR c.end_date >= ?)",
            (account_id, rank, kind, day, day),
        ).fetchone()
        is not None
    )


@pytest.mark.parametrize("key", ["famille", "ald", "css", "ij", "alsace", "parent"])
def test_every_seeded_payment_line_is_what_the_estimate_says(service: Any, key: str) -> None:
    """Each seeded line (all but IJ) estimated through GET /v1/estimates: base, rate,
    amount reimbursable and the deductions owed agree; the deductions applied are
    those owed within the 50 € caps, counted line by line as the year goes."""
    conn = service.conn
    nir = person(key).nir
    headers = {"Authorization": f"Bearer {mint_token(conn, nir)}"}
    account = conn.execute("SELECT id FROM accounts WHERE nir = ?", (nir,)).fetchone()[0]
    lines = conn.execute(
        "SELECT * FROM payments WHERE account_id = ? AND kind != 'ij'"
        " AND act_label NOT LIKE '%feuille de soins papier%' ORDER BY care_date, seq",
        (account,),
    ).fetchall()
    assert len(lines) > 20
    used: dict[tuple[str, str, str], int] = {}
    for line in lines:
        ald = line["rate"] == 100 and _has(conn, account, line["beneficiary_rank"], "ald",
                                             line["care_date"])  # fmt: skip
        params = {
            "act": line["act_code"],
            "beneficiary": line["beneficiary_rank"],
            "date": line["care_date"],
            "price": line["amount_paid"],
            "quantity": line["quantity"],
            "secteur": 2 if line["amount_paid"] > line["base"] else 1,
            "hors_parcours": "true" if "hors parcours" in line["act_label"] else "false",
            "ald": "true" if ald else "false",
        }
        r = service.get("/v1/estimates", params=params, headers=headers)
        assert r.status_code == 200, (dict(line), r.text)
        est = r.json()
        where = f"{key} {line['id']} {line['act_code']} {line['care_date']}"
        assert (est["base"], est["rate"]) == (line["base"], line["rate"]), where
        assert est["amount_paid"] == line["amount_paid"], where
        year = line["care_date"][:4]
        pf_key = (line["beneficiary_rank"], year, "pf")
        fr_key = (line["beneficiary_rank"], year, "franchise")
        pf = max(0, min(est["participation_forfaitaire_due"], 5000 - used.get(pf_key, 0),
                        est["reimbursable"]))  # fmt: skip
        franchise = max(0, min(est["franchise_due"], 5000 - used.get(fr_key, 0),
                               est["reimbursable"] - pf))  # fmt: skip
        assert (line["participation_forfaitaire"], line["franchise"]) == (pf, franchise), where
        assert line["amount_reimbursed"] == est["reimbursable"] - pf - franchise, where
        used[pf_key] = used.get(pf_key, 0) + pf
        used[fr_key] = used.get(fr_key, 0) + franchise


def test_estimate_of_a_consultation_and_its_reste_a_charge(cli, login, backend):
    login("ij")
    human = cli("estimate", "G", "--date", "2026-11-30")
    assert human.exit_code == 0, human.stderr
    assert (
        "Consultation de médecine générale (G) pour Lucas MARTIN (01), le 30/11/2026"
        in human.stdout
    )
    assert "30,00 €" in human.stdout and "70 %" in human.stdout
    assert "-2,00 €" in human.stdout and "19,00 €" in human.stdout and "11,00 €" in human.stdout
    data = cli("estimate", "G", "--date", "2026-11-30", "--json").json
    assert (data["amount_reimbursed"], data["out_of_pocket"]) == (1900, 1100)
    hors = cli("estimate", "g", "--hors-parcours", "--json").json
    assert hors["rate"] == 30 and "hors_parcours" in hors["rules_applied"]
    spec = cli("estimate", "CS", "--price", "60", "--secteur", "2", "--json").json
    assert (spec["base"], spec["depassement"], spec["amount_paid"]) == (3150, 2850, 6000)


def test_rules_of_the_date_and_the_beneficiary(cli, login):
    login("famille")
    lea_at_3 = cli("estimate", "G", "--beneficiary", "04", "--date", "2019-06-03", "--json").json
    assert lea_at_3["base"] == 3150 and "under_6" in lea_at_3["rules_applied"]
    assert (
        lea_at_3["participation_forfaitaire"] == 0
        and "exempt_under_18" in lea_at_3["rules_applied"]
    )
    before = cli("estimate", "G", "--date", "2024-12-21", "--json").json
    after = cli("estimate", "G", "--date", "2024-12-22", "--json").json
    assert (before["base"], after["base"]) == (2650, 3000)
    login("alsace")
    assert cli("estimate", "G", "--json").json["rate"] == 90
    login("ald")
    ald = cli("estimate", "G", "--ald", "--json").json
    assert ald["rate"] == 100 and ald["rules_applied"][0] == "ald"


def test_yearly_cap_counts_what_the_years_payments_deducted(cli, login, user_dirs):
    login("ald")
    data = cli(
        "estimate", "PH7", "--price", "10", "--quantity", "3", "--date", "2026-11-30", "--json"
    ).json
    conn = sqlite3.connect(user_dirs / "data" / "sandbox.sqlite3")
    deducted = conn.execute(
        "SELECT sum(franchise) FROM payments p JOIN accounts a ON a.id = p.account_id"
        " WHERE a.nir = ? AND beneficiary_rank = '01' AND care_date BETWEEN '2026-01-01'"
        " AND '2026-11-30'",
        (person("ald").nir,),
    ).fetchone()[0]
    assert data["already_deducted"]["franchise"] == deducted
    assert data["franchise"] == max(0, min(300, 5000 - deducted))
    if deducted >= 5000:
        assert "franchise_cap" in data["rules_applied"]


def test_bad_inputs_say_what_to_fix(cli, login, backend):
    login("ij")
    unknown = cli("estimate", "XYZ")
    assert unknown.exit_code == 2 and "Acte inconnu" in unknown.stderr and "G" in unknown.stderr
    no_price = cli("estimate", "PH7")
    assert no_price.exit_code == 2 and "--price" in no_price.stderr
    assert cli("estimate", "G", "--price", "douze").exit_code == 2
    assert cli("estimate", "G", "--date", "30/11/2026").exit_code == 2
    assert cli("estimate", "G", "--beneficiary", "42").exit_code == 2
    no_ald = cli("estimate", "G", "--ald")
    assert no_ald.exit_code == 2 and "longue durée" in no_ald.stderr
    over = cli("estimate", "G", "--price", "45")
    assert over.exit_code == 2 and "--secteur 2" in over.stderr
    assert "Traceback" not in unknown.stderr + no_price.stderr


def test_list_needs_no_sign_in_and_comes_from_the_service(cli, backend):
    listed = cli("estimate", "--list")
    assert listed.exit_code == 0, listed.stderr
    assert (
        "G" in listed.stdout
        and "30,00 €" in listed.stdout
        and "G avant 6 ans : 35,00 €." in listed.stdout
    )
    old = cli("estimate", "--list", "--date", "2024-01-10", "--json").json
    g = next(a for a in old["items"] if a["code"] == "G")
    assert g["tariff"] == 2650 and old["rules"]["participation_forfaitaire"] == 100


def test_agent_estimates_for_an_assure(cli, login):
    login("agent")
    refused = cli("estimate", "G")
    assert refused.exit_code == 2 and "--nir" in refused.stderr
    data = cli("estimate", "G", "--nir", person("css").nir, "--json").json
    assert data["beneficiary"]["name"] == "Aylin DEMIR" and "css" in data["rules_applied"]
