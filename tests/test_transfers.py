"""Transfers (virements): seeded lines grouped as the bank sees them, and the CLI."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import person

ASSURES = ("famille", "ald", "css", "ij", "alsace")


@pytest.fixture(scope="module")
def seeded(template_db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{template_db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _account(conn: sqlite3.Connection, key: str) -> int:
    return int(
        conn.execute("SELECT id FROM accounts WHERE nir = ?", (person(key).nir,)).fetchone()[0]
    )


@pytest.mark.parametrize("key", ASSURES)
def test_every_transfer_adds_up_and_every_line_is_paid_once(seeded, key):
    account = _account(seeded, key)
    transfers = seeded.execute(
        "SELECT * FROM transfers WHERE account_id = ? ORDER BY date", (account,)
    ).fetchall()
    # Three years of history, grouped: fewer transfers than lines.
    assert transfers[0]["date"] <= (date.today() - timedelta(days=900)).isoformat()
    lines = seeded.execute("SELECT * FROM payments WHERE account_id = ?", (account,)).fetchall()
    assert len(transfers) < len(lines)
    paid: Counter[str] = Counter()
    for t in transfers:
        rows = seeded.execute(
            "SELECT * FROM transfer_lines WHERE transfer_seq = ?", (t["seq"],)
        ).fetchall()
        assert t["amount"] == sum(r["amount"] for r in rows) > 0, dict(t)
        assert t["bank_label"].startswith("CPAM ") and t["bank_label"].endswith(
            t["date"][8:10] + t["date"][5:7] + t["date"][2:4]
        )
        paid.update(r["payment_id"] for r in rows if r["payment_id"])
    assert paid == Counter(line["id"] for line in lines)  # each line in exactly one transfer
    for line in lines:
        t = seeded.execute(
            "SELECT * FROM transfers WHERE id = ?", (line["transfer_id"],)
        ).fetchone()
        assert t["date"] == line["payment_date"]
        if line["paid_to"] == "professionnel":  # tiers payant: the professional is paid
            assert (t["payee_kind"], t["nature"]) == ("professionnel", "PAIEMENT_A_UN_TIERS")
            assert t["payee_name"] == line["professional_name"]
        else:
            nature = (
                "INDEMNITE_JOURNALIERE_ASSURE" if line["kind"] == "ij" else "REMBOURSEMENT_SOINS"
            )
            assert (t["payee_kind"], t["nature"]) == ("assure", nature)


@pytest.mark.parametrize("key", ASSURES)
def test_every_deduction_under_tiers_payant_is_recovered_once_later(seeded, key):
    account = _account(seeded, key)
    owed = {}
    for line in seeded.execute(
        "SELECT * FROM payments WHERE account_id = ? AND paid_to = 'professionnel'", (account,)
    ):
        for what in ("participation_forfaitaire", "franchise"):
            if line[what]:
                owed[line["id"], what] = (line[what], line["payment_date"])
    recoveries = seeded.execute(
        "SELECT l.*, t.date, t.payee_kind FROM transfer_lines l"
        " JOIN transfers t ON t.seq = l.transfer_seq"
        " WHERE t.account_id = ? AND l.recovers_payment_id IS NOT NULL",
        (account,),
    ).fetchall()
    seen = Counter((r["recovers_payment_id"], r["recovers_deduction"]) for r in recoveries)
    assert all(n == 1 for n in seen.values())  # never twice
    for r in recoveries:
        amount, paid_on = owed[r["recovers_payment_id"], r["recovers_deduction"]]
        assert r["amount"] == -amount and r["payee_kind"] == "assure" and r["date"] > paid_on
    pending = {
        (p["payment_id"], p["deduction"])
        for p in seeded.execute("SELECT * FROM pending_deductions WHERE account_id = ?", (account,))
    }
    assert pending | set(seen) == set(owed) and not pending & set(seen)
    if key in ("famille", "ald"):
        assert seen  # the accounts with tiers payant do get deductions recovered


def test_virements_lists_transfers_with_their_lines(cli, login, backend):
    login("famille")
    result = cli("paiements", "virements", "--since", "1y", "--json")
    assert result.exit_code == 0, result.stderr
    transfers = result.json
    assert transfers and transfers == sorted(transfers, key=lambda t: t["date"], reverse=True)
    natures = {t["nature"] for t in transfers}
    assert {"REMBOURSEMENT_SOINS", "PAIEMENT_A_UN_TIERS"} <= natures
    for t in transfers:
        assert t["amount"] == sum(line["amount"] for line in t["lines"])
    by_id = {t["id"]: t for t in transfers}
    lines = cli("paiements", "list", "--since", "1y", "--all", "--json").json
    for line in lines:
        paid_by = by_id[line["transfer_id"]]
        assert line["id"] in {x["payment_id"] for x in paid_by["lines"]}
    assert any(x["recovers"] for t in transfers for x in t["lines"])


def test_virements_for_people_fits_80_columns_and_names_the_bank_label(cli, login):
    login("famille")
    result = cli("paiements", "virements", "--since", "2mo")
    assert result.exit_code == 0, result.stderr
    assert "CPAM PARIS REMB SOINS" in result.stdout and "tiers payant" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    json_ids = [t["id"] for t in cli("paiements", "virements", "--since", "2mo", "--json").json]
    assert all(i in result.stdout for i in json_ids)


def test_virements_bad_period_is_a_usage_error(cli, login):
    login("famille")
    result = cli("paiements", "virements", "--since", "2026-05-01", "--until", "2026-01-01")
    assert result.exit_code == 2 and "--since" in result.stderr


def test_an_agent_lists_an_assures_transfers(cli, login):
    login("agent")
    result = cli("paiements", "virements", "--nir", person("ij").nir, "--since", "1y", "--json")
    assert result.exit_code == 0, result.stderr
    assert "INDEMNITE_JOURNALIERE_ASSURE" in {t["nature"] for t in result.json}


def test_show_and_csv_name_the_transfer_of_a_line(cli, login):
    import csv
    import io

    login("famille")
    [line] = cli("paiements", "list", "-n", "1", "--json").json
    shown = cli("paiements", "show", line["id"])
    assert shown.exit_code == 0 and line["transfer_id"] in shown.stdout
    rows = list(csv.DictReader(io.StringIO(cli("paiements", "list", "-n", "1", "--csv").stdout)))
    assert rows[0]["transfer_id"] == line["transfer_id"]


def test_transfer_pages_follow_the_cursor_without_gaps(cli, login, user_dirs):
    import httpx
    from conftest import HttpServer

    login("ij")
    headers = {"Authorization": f"Bearer {cli('auth', 'token').stdout.strip()}"}
    server = HttpServer(user_dirs / "data" / "sandbox.sqlite3")
    with httpx.Client(base_url=server.url, headers=headers) as http:
        whole = http.get("/v1/virements", params={"limit": 1000}).json()
        ids, cursor = [], None
        while True:
            query = {"limit": 7, **({"cursor": cursor} if cursor else {})}
            page = http.get("/v1/virements", params=query).json()
            ids += [t["id"] for t in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert ids == [t["id"] for t in whole["items"]] and len(ids) > 7
        bad = http.get("/v1/virements", params={"since": "2026-05-01", "until": "2026-01-01"})
        assert bad.status_code == 400
        assert bad.headers["content-type"].startswith("application/problem+json")
    server.stop()
