"""Payments: seeded history that adds up, filters, pages, CSV, one line, totals."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta

import pytest
from conftest import person

ASSURES = ("famille", "ald", "css", "ij", "alsace")
EVERYTHING = ("--since", "2000-01-01", "--all")


def _age(birth: str, day: str) -> int:
    born, on = date.fromisoformat(birth), date.fromisoformat(day)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _all_lines(cli, *extra: str) -> list[dict]:
    result = cli("paiements", "list", *EVERYTHING, "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return result.json


@pytest.fixture
def every_account(cli, login) -> dict[str, list[dict]]:
    login("agent")
    return {key: _all_lines(cli, "--nir", person(key).nir) for key in ASSURES}


def test_seeded_lines_add_up_and_respect_the_caps(every_account):
    today = date.today()
    for key, lines in every_account.items():
        who = person(key)
        births = {b.rank: b.birth_date for b in who.beneficiaries()}
        assert len(lines) > 40, key
        dates = sorted(line["payment_date"] for line in lines)
        # About three years of history, nothing paid in the future.
        assert dates[0] <= (today - timedelta(days=900)).isoformat(), key
        assert dates[-1] <= today.isoformat()
        per_year: dict[tuple[str, int, str], int] = defaultdict(int)
        for line in lines:
            gross = (line["base"] * line["rate"] + 50) // 100
            deducted = line["participation_forfaitaire"] + line["franchise"]
            assert line["amount_reimbursed"] == gross - deducted, line
            assert line["amount_reimbursed"] >= 0 and deducted >= 0, line
            expected_rest = 0 if line["kind"] == "ij" else line["amount_paid"] - gross + deducted
            assert line["out_of_pocket"] == expected_rest, line
            assert line["care_date"] <= line["payment_date"]
            year = int(line["care_date"][:4])
            rank = line["beneficiary"]["rank"]
            per_year[rank, year, "pf"] += line["participation_forfaitaire"]
            per_year[rank, year, "franchise"] += line["franchise"]
            if _age(births[rank], line["care_date"]) < 18:
                assert deducted == 0, line  # minors pay neither
        assert max(per_year.values()) <= 5000, key  # 50 € a year, each
    # The caps do bind: the ALD account's monthly medicine reaches 50 € of franchises.
    ald = every_account["ald"]
    franchises: dict[int, int] = defaultdict(int)
    for line in ald:
        franchises[int(line["care_date"][:4])] += line["franchise"]
    full_years = [y for y in franchises if date(y, 1, 1) >= date.today() - timedelta(days=3 * 365)]
    assert any(franchises[y] == 5000 for y in full_years)


def test_tariffs_rates_and_people(every_account):
    # G at 30 € since 2024-12-22: 30 × 70 % − 2 € = 19 € for an adult with a médecin traitant.
    adult_g = [
        line
        for line in every_account["famille"]
        if line["act"]["code"] == "G"
        and line["care_date"] >= "2024-12-22"
        and line["beneficiary"]["rank"] == "01"
    ]
    assert adult_g
    for line in adult_g:
        assert (line["amount_paid"], line["rate"], line["amount_reimbursed"]) == (3000, 70, 1900)
    # Alsace-Moselle: 90 %.
    alsace_g = [li for li in every_account["alsace"] if li["act"]["code"] in ("G", "TCG")]
    assert alsace_g and {li["rate"] for li in alsace_g} == {90}
    # CSS: neither deduction, tiers payant, while it covers her.
    css = [li for li in every_account["css"] if "2026-03-01" <= li["care_date"] <= "2027-02-28"]
    assert css
    for line in css:
        assert line["participation_forfaitaire"] == line["franchise"] == 0
        assert line["paid_to"] == "professionnel"
    # Both ways of being paid appear.
    assert {li["paid_to"] for li in every_account["famille"]} == {"assure", "professionnel"}
    # Sick pay only for the `ij` account: days × daily amount, 14 days at most.
    for key, lines in every_account.items():
        ij = [li for li in lines if li["kind"] == "ij"]
        assert bool(ij) == (key == "ij"), key
        for line in ij:
            assert line["amount_reimbursed"] == line["quantity"] * line["daily_amount"]
            span = date.fromisoformat(line["care_end_date"]) - date.fromisoformat(line["care_date"])
            assert span.days + 1 == line["quantity"] <= 14
            assert line["professional"] is None and line["paid_to"] == "assure"
    kinds = {li["kind"] for lines in every_account.values() for li in lines}
    assert kinds == {"soins", "pharmacie", "biologie", "paramedical", "dentaire", "hopital", "ij"}


def test_filters(cli, login, backend):
    login("famille")
    everything = _all_lines(cli)
    today = date.today()

    def ids(lines):
        return [line["id"] for line in lines]

    checks = {
        ("--since", "2025-03-01", "--until", "2025-08-31"): lambda li: (
            "2025-03-01" <= li["payment_date"] <= "2025-08-31"
        ),
        ("--beneficiary", "3"): lambda li: li["beneficiary"]["rank"] == "03",
        ("--kind", "pharmacie"): lambda li: li["kind"] == "pharmacie",
        ("--professional", "garnier"): lambda li: (
            li["professional"] and "GARNIER" in li["professional"]["name"]
        ),
        ("--professional", "PÉDIATRE"): lambda li: (
            li["professional"] and li["professional"]["specialty"] == "pédiatre"
        ),
    }
    for flags, keep in checks.items():
        expected = ids(li for li in everything if keep(li))
        assert expected, flags
        assert ids(_all_lines(cli, *flags)) == expected, flags
    # Relative dates, and the default range: the last 6 months.
    since_30d = (today - timedelta(days=30)).isoformat()
    result = cli("paiements", "list", "--since", "30d", "--all", "--json")
    assert ids(result.json) == ids(li for li in everything if li["payment_date"] >= since_30d)
    default = cli("paiements", "list", "--all", "--json").json
    six_months_ago = (today - timedelta(days=184)).isoformat()
    assert default and all(li["payment_date"] >= six_months_ago for li in default)
    assert len(default) < len(everything)


def test_pages_follow_cursors_across_boundaries(cli, login, backend):
    login("ald")
    whole = _all_lines(cli)
    small = _all_lines(cli, "--page-size", "7")
    assert small == whole
    assert len({li["id"] for li in whole}) == len(whole) > 14
    keys = [li["payment_date"] for li in whole]
    assert keys == sorted(keys, reverse=True)
    # Some page boundary falls between two lines paid the same day.
    assert any(keys[i - 1] == keys[i] for i in range(7, len(keys), 7))
    limited = cli("paiements", "list", "--since", "2000-01-01", "-n", "10", "--json")
    assert [li["id"] for li in limited.json] == [li["id"] for li in whole[:10]]
    assert "--all" in limited.stderr  # says there is more


def test_csv_parses_back_to_the_same_records(cli, login, backend):
    login("ij")
    records = _all_lines(cli)
    result = cli("paiements", "list", *EVERYTHING, "--csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.count(b"\r\n") == len(records) + 1
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert len(rows) == len(records)
    assert any("," in row["act_label"] for row in rows)  # quoting was needed, and worked

    def number(text: str) -> int | None:
        return int(text) if text else None

    for row, record in zip(rows, records, strict=True):
        professional = record["professional"] or {}
        assert row["id"] == record["id"]
        assert row["payment_date"] == record["payment_date"]
        assert row["care_date"] == record["care_date"]
        assert (row["care_end_date"] or None) == record["care_end_date"]
        assert row["beneficiary_rank"] == record["beneficiary"]["rank"]
        assert row["beneficiary_name"] == record["beneficiary"]["name"]
        assert (row["professional_name"] or None) == professional.get("name")
        assert (row["professional_specialty"] or None) == professional.get("specialty")
        assert (row["act_code"], row["act_label"]) == (
            record["act"]["code"],
            record["act"]["label"],
        )
        assert (row["kind"], row["paid_to"]) == (record["kind"], record["paid_to"])
        for field in (
            "quantity",
            "daily_amount",
            "amount_paid",
            "base",
            "rate",
            "amount_reimbursed",
            "participation_forfaitaire",
            "franchise",
            "out_of_pocket",
        ):
            assert number(row[field]) == record[field], field


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("list", "--since", "2025-13-01"), "--since"),
        (("list", "--since", "hier"), "--since"),
        (("list", "--until", "31/12/2025"), "--until"),
        (("list", "--since", "2025-06-01", "--until", "2025-01-01"), "--since"),
        (("list", "--kind", "massage"), "--kind"),
        (("list", "--beneficiary", "abc"), "--beneficiary"),
        (("list", "--json", "--csv"), "--csv"),
        (("list", "--all", "--limit", "5"), "--limit"),
        (("summary", "--year", "25"), "--year"),
        (("summary", "--by", "week"), "--by"),
    ],
)
def test_bad_input_exits_2_before_sending(cli, login, args, flag):
    login("ij")
    result = cli("--verbose", "paiements", *args)
    assert result.exit_code == 2, result.stderr
    assert flag in result.stderr
    assert "→" not in result.stderr  # no request went out
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_every_field(cli, login, backend):
    login("ij")
    lines = _all_lines(cli, "--kind", "ij")
    line = lines[0]
    shown = cli("paiements", "show", line["id"], "--json")
    assert shown.exit_code == 0
    assert shown.json == line
    text = cli("paiements", "show", line["id"]).stdout
    for needle in ("base de remboursement", "indemnités", f"{line['quantity']} jours", "taux"):
        assert needle in text
    missing = cli("paiements", "show", "pmt_doesnotexist")
    assert missing.exit_code == 1
    assert "ameli paiements list" in missing.stderr
    # Another assuré's payment is not reachable.
    login("css", "--profile", "autre")
    other = cli("paiements", "show", line["id"], "--profile", "autre")
    assert other.exit_code == 1


def test_summary_totals_match_the_lines(cli, login, backend):
    login("famille")
    year = date.today().year - 1
    lines = _all_lines(cli, "--since", f"{year}-01-01", "--until", f"{year}-12-31")
    for by in ("month", "beneficiary", "professional", "kind"):
        result = cli("paiements", "summary", "--by", by, "--year", str(year), "--json")
        assert result.exit_code == 0, result.stderr
        summary = result.json
        assert summary["totals"]["count"] == len(lines)
        for field in ("amount_paid", "amount_reimbursed", "out_of_pocket"):
            assert summary["totals"][field] == sum(li[field] for li in lines)
            assert sum(g[field] for g in summary["groups"]) == summary["totals"][field]
    months = cli("paiements", "summary", "--year", str(year), "--json").json["groups"]
    assert [g["key"] for g in months] == [f"{year}-{m:02d}" for m in range(1, 13)]
    chart = cli("paiements", "summary", "--by", "beneficiary", "--year", str(year))
    assert "█" in chart.stdout and "reste à charge" in chart.stdout
    assert "Léa DUPONT" in chart.stdout


def test_terminal_table_has_a_totals_row(cli, login):
    from ameli_cli.render.money import euros

    login("ij")
    lines = cli("paiements", "list", "--since", "1y", "--json").json
    tty = {"AMELI_FORCE_TTY": "1", "COLUMNS": "200", "NO_COLOR": "1"}
    result = cli("paiements", "list", "--since", "1y", env=tty)
    assert result.exit_code == 0
    rows = result.stdout.splitlines()
    assert "reste à charge" in rows[0]
    total = next(row for row in rows if row.startswith(f"total ({len(lines)} lignes)"))
    for field in ("amount_paid", "amount_reimbursed", "out_of_pocket"):
        assert euros(sum(li[field] for li in lines)) in total


def test_agent_names_the_assure(cli, login, backend):
    login("agent")
    result = cli("paiements", "list", "--nir", person("alsace").nir, "--json", "-n", "3")
    assert result.exit_code == 0 and len(result.json) == 3
    assert cli("paiements", "list").exit_code == 2  # an agent must name the assuré


def test_help_stays_light(user_dirs):
    import os

    from test_cli import _imported_after

    for args in (["paiements", "--help"], ["paiements", "list", "--help"]):
        assert _imported_after(args, dict(os.environ)) == []


def test_responses_match_the_openapi_document_and_bad_queries_are_400(cli, login, backend):
    import jsonschema

    from ameli_cli.api.httpx_without_cli import httpx
    from ameli_sandbox.app import openapi_document

    spec = openapi_document()

    def check(data: dict, name: str) -> None:
        jsonschema.validate(
            data, {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
        )

    login("ij")
    lines = _all_lines(cli)
    for line in lines:
        check(line, "Payment")
    check(cli("paiements", "show", lines[0]["id"], "--json").json, "Payment")
    for by in ("month", "kind", "professional"):
        check(cli("paiements", "summary", "--by", by, "--json").json, "PaymentSummary")
    if backend == "sandbox":
        return
    # What the CLI never sends, the service still refuses with a problem naming it.
    token = cli("auth", "token").stdout.strip()
    with httpx.Client(base_url=backend, headers={"Authorization": f"Bearer {token}"}) as http:
        page = http.get("/v1/paiements", params={"limit": 2, "since": "2000-01-01"}).json()
        check(page, "PaymentPage")
        assert page["next_cursor"]
        for params, parameter in (
            ({"cursor": "not-a-cursor"}, "cursor"),
            ({"limit": 5000}, "limit"),
            ({"kind": "massage"}, "kind"),
            ({"since": "2025-02-30"}, "since"),
            ({"beneficiary": "1"}, "beneficiary"),
        ):
            response = http.get("/v1/paiements", params=params)
            assert response.status_code == 400, params
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["parameter"] == parameter
        assert http.get("/v1/paiements/summary", params={"by": "week"}).status_code == 400
