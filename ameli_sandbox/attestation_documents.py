"""The attestations' data, built from the sandbox's tables (the routes live in
features/attestations.py): `droits` (the assuré, the caisse, rights and every
beneficiary), `ij` (sick pay paid over a year, from the payments table or computed
from the sick leaves) and `fiscale` (the taxable part of that sick pay for a calendar
year). Relevés reuse the common header fields (`_common`)."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import date, timedelta
from typing import Any

from ameli_sandbox import clock
from ameli_sandbox.problems import Problem

FORMAT_VERSION = 1
VALIDITY = timedelta(days=91)  # three months
IJ_PERIOD_DAYS = 14
CSG_RATE_PERMILLE = 62  # CSG 6.2 % on IJ
CRDS_RATE_PERMILLE = 5  # CRDS 0.5 %
DEDUCTIBLE_CSG_PERMILLE = 38  # of which deductible from taxable income: 3.8 %
REGIMES = {"01": "Régime général", "02": "Régime agricole"}


def _caisse(conn: sqlite3.Connection, code: str) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM caisses WHERE code = ?", (code,)).fetchone()
    local = bool(row["local_regime"])
    return {
        "code": row["code"],
        "name": row["name"],
        "regime": row["regime"],
        "regime_label": REGIMES.get(row["regime"], row["regime"]),
        "local_regime": local,
        "reimbursement_rate": 90 if local else 70,
        "address_lines": row["address_lines"].split("\n"),
        "postal_code": row["postal_code"],
        "city": row["city"],
    }


def _assure(account: sqlite3.Row) -> dict[str, Any]:
    return {
        "nir": account["nir"],
        "last_name": account["last_name"],
        "first_names": account["first_names"],
        "birth_date": account["birth_date"],
    }


def _common(
    conn: sqlite3.Connection, account: sqlite3.Row, kind: str, valid_until: date
) -> dict[str, Any]:
    moment = clock.now(conn)
    return {
        "format": FORMAT_VERSION,
        "id": "att_" + secrets.token_hex(8),
        "type": kind,
        "issued_at": clock.iso(moment),
        "issue_date": moment.date().isoformat(),
        "valid_until": valid_until.isoformat(),
        "assure": _assure(account),
        "organisme": _caisse(conn, account["caisse_code"]),
    }


def build_droits(
    conn: sqlite3.Connection, account: sqlite3.Row, beneficiary: str | None
) -> dict[str, Any]:
    today = clock.today(conn)
    rights_end = date(today.year + 1, 12, 31)
    valid_until = min(today + VALIDITY, rights_end)
    rows = conn.execute(
        "SELECT * FROM beneficiaries WHERE account_id = ? ORDER BY rank", (account["id"],)
    ).fetchall()
    if beneficiary is not None:
        rows = [r for r in rows if r["rank"] == beneficiary]
        if not rows:
            raise Problem(
                404,
                "beneficiary_not_found",
                "No such beneficiary",
                f"No beneficiary with rank {beneficiary} on this account.",
            )
    beneficiaries = []
    mentions = []
    for r in rows:
        beneficiaries.append(
            {
                "rank": r["rank"],
                "last_name": r["last_name"],
                "first_names": r["first_names"],
                "birth_date": r["birth_date"],
                "relationship": r["relationship"],
                "medecin_traitant": bool(r["medecin_traitant"]),
            }
        )
        for cov in conn.execute(
            "SELECT * FROM coverages WHERE beneficiary_id = ? ORDER BY start_date, id", (r["id"],)
        ):
            if cov["end_date"] is not None and cov["end_date"] < today.isoformat():
                continue
            mentions.append(
                {
                    "kind": cov["kind"],
                    "rank": r["rank"],
                    "label": cov["label"],
                    "start": cov["start_date"],
                    "end": cov["end_date"],
                    # An ALD exempts its care from the ticket modérateur (paid 100 %).
                    "ticket_moderateur_exempt": cov["kind"] == "ald",
                }
            )
    document = _common(conn, account, "droits", valid_until)
    document["rights"] = {"start": account["rights_start"], "end": rights_end.isoformat()}
    document["beneficiaries"] = beneficiaries
    document["mentions"] = mentions
    return document


def _has_component(conn: sqlite3.Connection, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM schema_versions WHERE component = ?", (name,)).fetchone()
        is not None
    )


def ij_payments(
    conn: sqlite3.Connection, account_id: int, start: date, end: date, today: date
) -> list[dict[str, Any]]:
    """IJ paid between start and end (payment dates), oldest first."""
    from_payments = _ij_from_payments_table(conn, account_id, start, end, today)
    if from_payments is not None:
        return from_payments
    payments = []
    for leave in conn.execute(
        "SELECT * FROM sick_leaves WHERE account_id = ? ORDER BY start_date", (account_id,)
    ):
        first = date.fromisoformat(leave["start_date"])
        last = min(date.fromisoformat(leave["end_date"]), today)
        period_start = first
        while period_start <= last:
            period_end = min(period_start + timedelta(days=IJ_PERIOD_DAYS - 1), last)
            paid_on = period_end + timedelta(days=3)
            if paid_on > today:
                break
            if start <= paid_on <= end:
                days = (period_end - period_start).days + 1
                payments.append(
                    _ij_line(period_start, period_end, days, leave["daily_gross_cents"], paid_on)
                )
            period_start = period_end + timedelta(days=1)
    payments.sort(key=lambda p: (p["paid_on"], p["period_start"]))
    return payments


def _ij_line(
    period_start: date, period_end: date, days: int, daily_cents: int, paid_on: date
) -> dict[str, Any]:
    gross = days * daily_cents
    csg = gross * CSG_RATE_PERMILLE // 1000
    crds = gross * CRDS_RATE_PERMILLE // 1000
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "days": days,
        "daily_gross_cents": daily_cents,
        "gross_cents": gross,
        "csg_crds_cents": csg + crds,
        "net_cents": gross - csg - crds,
        "taxable_cents": gross - gross * DEDUCTIBLE_CSG_PERMILLE // 1000,
        "paid_on": paid_on.isoformat(),
    }


def _ij_from_payments_table(
    conn: sqlite3.Connection, account_id: int, start: date, end: date, today: date
) -> list[dict[str, Any]] | None:
    """IJ lines from the payments component (issue 5) when it is installed: one row
    per fortnight, `kind = 'ij'`, `care_date`..`care_end_date` the period paid,
    `quantity` the days, `daily_amount` the gross daily IJ, `payment_date`.

    Read defensively: None (compute from `sick_leaves`) unless the table has the
    columns used here."""
    if not _has_component(conn, "payments"):
        return None
    columns = {row["name"] for row in conn.execute("PRAGMA table_info(payments)")}
    needed = {"account_id", "kind", "payment_date", "care_date", "care_end_date", "daily_amount"}
    if not needed <= columns:
        return None
    rows = conn.execute(
        "SELECT care_date, care_end_date, daily_amount, payment_date FROM payments"
        " WHERE account_id = ? AND kind = 'ij' AND payment_date BETWEEN ? AND ?"
        " AND payment_date <= ? ORDER BY payment_date, care_date",
        (account_id, start.isoformat(), end.isoformat(), today.isoformat()),
    ).fetchall()
    lines = []
    for r in rows:
        first = date.fromisoformat(r["care_date"])
        last = date.fromisoformat(r["care_end_date"] or r["care_date"])
        days = (last - first).days + 1
        lines.append(
            _ij_line(
                first,
                last,
                days,
                int(r["daily_amount"] or 0),
                date.fromisoformat(r["payment_date"]),
            )
        )
    return lines


def _totals(payments: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "days": sum(p["days"] for p in payments),
        "gross_cents": sum(p["gross_cents"] for p in payments),
        "csg_crds_cents": sum(p["csg_crds_cents"] for p in payments),
        "net_cents": sum(p["net_cents"] for p in payments),
        "taxable_cents": sum(p["taxable_cents"] for p in payments),
    }


def build_ij(conn: sqlite3.Connection, account: sqlite3.Row, year: int | None) -> dict[str, Any]:
    today = clock.today(conn)
    if year is None:
        start, end = today - timedelta(days=365), today
    else:
        start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    payments = ij_payments(conn, account["id"], start, end, today)
    if not payments:
        raise Problem(
            404,
            "no_sick_pay",
            "No sick pay",
            "No indemnités journalières were paid over this period.",
            period_start=start.isoformat(),
            period_end=end.isoformat(),
        )
    document = _common(conn, account, "ij", today + VALIDITY)
    document["period"] = {"start": start.isoformat(), "end": end.isoformat()}
    document["payments"] = payments
    document["totals"] = _totals(payments)
    return document


def build_fiscale(conn: sqlite3.Connection, account: sqlite3.Row, year: int) -> dict[str, Any]:
    today = clock.today(conn)
    start, end = date(year, 1, 1), date(year, 12, 31)
    payments = ij_payments(conn, account["id"], start, end, today)
    totals = _totals(payments)
    # The relevé fiscal stays in the compte 6 months; the PDF keeps its value a year.
    document = _common(conn, account, "fiscale", today + timedelta(days=365))
    document["year"] = year
    document["lines"] = [
        {
            "label": "Indemnités journalières maladie",
            "taxable_cents": totals["taxable_cents"],
            "gross_cents": totals["gross_cents"],
            "days": totals["days"],
        }
    ]
    document["taxable_total_cents"] = totals["taxable_cents"]
    return document


# -- endpoints --------------------------------------------------------------------------
