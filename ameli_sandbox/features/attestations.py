"""Attestations (`/v1/attestations/{type}`) and the service's signing keys (`/v1/keys`).

An attestation is data, not a PDF: the client draws the page. The service signs the
canonical JSON of the attestation (keys sorted, no spaces, UTF-8) with Ed25519; the
public key is published at `/v1/keys`, so anyone can check a document offline.

Types:
- `droits`: the attestation de droits (assuré, organisme, period of rights, every
  beneficiary, médecin traitant, ALD / CSS mentions). Valid 3 months (invented
  length; ameli issues them "for months"), never beyond the end of rights.
- `ij`: attestation de paiement des indemnités journalières over a year or the last
  12 months. Read from the `payments` table when the payments component provides IJ
  lines; otherwise computed from this component's own `sick_leaves` (an IJ payment
  every 14 days, as the caisse does).
- `fiscale`: the relevé fiscal of taxable benefits (IJ) for a calendar year.

Invented for the sandbox: rights are open from `rights_start` to 31 December of next
year; the taxable amount of an IJ is its gross less the deductible CSG (3.8 %).
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ameli_rules import ATTESTATION_TYPES
from ameli_sandbox import clock, signing
from ameli_sandbox.params import is_ascii_digits, query_optional_int, query_text
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.web import authenticate, db, json_response, subject_account

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "attestations"
MIGRATIONS = [
    """
    CREATE TABLE signing_keys (
        key_id TEXT PRIMARY KEY,
        algorithm TEXT NOT NULL DEFAULT 'Ed25519',
        private_key BLOB NOT NULL,
        public_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE sick_leaves (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        daily_gross_cents INTEGER NOT NULL,
        employer TEXT NOT NULL
    );
    CREATE INDEX sick_leaves_account ON sick_leaves (account_id, start_date)
    """,
    # A retired key stays published with the moment it stopped signing (issue 13).
    "ALTER TABLE signing_keys ADD COLUMN retired_at TEXT",
]

FORMAT_VERSION = 1
VALIDITY = timedelta(days=91)  # three months
IJ_PERIOD_DAYS = 14
CSG_RATE_PERMILLE = 62  # CSG 6.2 % on IJ
CRDS_RATE_PERMILLE = 5  # CRDS 0.5 %
DEDUCTIBLE_CSG_PERMILLE = 38  # of which deductible from taxable income: 3.8 %
REGIMES = {"01": "Régime général", "02": "Régime agricole"}


# Where a document is signed: ameli_sandbox/signing.py (shared with relevés and CEAM).
sign = signing.sign

# A reset keeps the keys (what they signed must keep verifying) and retires the current
# one: app.reset_database calls `before_reset`, then skips these tables.
KEPT_ON_RESET = ("signing_keys",)


def before_reset(conn: sqlite3.Connection) -> None:
    signing.retire_keys(conn)


# -- seed -------------------------------------------------------------------------------


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    signing.new_signing_key(conn)
    for p in people:
        if "ij" not in p.features:
            continue
        account_id = conn.execute("SELECT id FROM accounts WHERE nir = ?", (p.nir,)).fetchone()[
            "id"
        ]
        # A first sick leave last year, and one that began 10 weeks ago and goes on.
        leaves = (
            (
                date(today.year - 1, 3, 2),
                date(today.year - 1, 4, 12),
                4195,
                "Transports Rhône-Alpes",
            ),
            (
                today - timedelta(weeks=10),
                today + timedelta(weeks=4),
                4195,
                "Transports Rhône-Alpes",
            ),
        )
        for start, end, daily, employer in leaves:
            conn.execute(
                "INSERT INTO sick_leaves (account_id, start_date, end_date, daily_gross_cents,"
                " employer) VALUES (?, ?, ?, ?, ?)",
                (account_id, start.isoformat(), end.isoformat(), daily, employer),
            )


# -- building the documents -------------------------------------------------------------


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


async def get_attestation(request: Request) -> Response:
    kind = request.path_params["type"]
    if kind not in ATTESTATION_TYPES:
        raise Problem(
            404,
            "unknown_attestation_type",
            "Unknown attestation type",
            f"Attestation types: {', '.join(ATTESTATION_TYPES)}.",
        )
    principal = authenticate(request)
    conn = db(request)
    beneficiary = query_text(request, "beneficiary", max_length=4)
    if beneficiary in ("all", "tous"):
        beneficiary = None
    if beneficiary is not None and not (is_ascii_digits(beneficiary) and len(beneficiary) == 2):
        raise bad_request("beneficiary is a 2-digit rank (01, 02…) or 'all'.")
    year = _year_param(request, conn)
    account = subject_account(request, principal, action=f"attestation.{kind}")
    if kind == "droits":
        document = build_droits(conn, account, beneficiary)
    elif kind == "ij":
        document = build_ij(conn, account, year)
    else:
        document = build_fiscale(conn, account, year or clock.today(conn).year - 1)
    signature = sign(conn, request.app.state.db_path, document)
    return json_response({"attestation": document, "signature": signature})


def _year_param(request: Request, conn: sqlite3.Connection) -> int | None:
    return query_optional_int(request, "year", low=2000, high=clock.today(conn).year)


async def list_keys(request: Request) -> Response:
    return json_response({"keys": signing.published_keys(db(request))})


def routes() -> list[Route]:
    from ameli_sandbox.features.attestations_batch import post_batch

    return [
        # Before /v1/attestations/{type}: "batch" is not a type.
        Route("/v1/attestations/batch", post_batch, methods=["POST"]),
        Route("/v1/attestations/{type}", get_attestation, methods=["GET"]),
        Route("/v1/keys", list_keys, methods=["GET"]),
    ]


# -- load testing ---------------------------------------------------------------------------


def add_synthetic_assures(conn: sqlite3.Connection, count: int, *, start: int = 0) -> list[str]:
    """Insert `count` extra assurés (no usable password) for benches and resume tests;
    returns their NIRs. Names are invented: `TEST` + a number."""
    from stdnum.fr import nir as nir_lib

    caisse = conn.execute("SELECT code FROM caisses ORDER BY code LIMIT 1").fetchone()["code"]
    today = clock.today(conn)
    created = clock.iso(clock.now(conn))
    nirs = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for i in range(start, start + count):
            first13 = (
                f"1{80 + i % 20:02d}{1 + i % 12:02d}75{(100 + i // 1000) % 1000:03d}{i % 1000:03d}"
            )
            nir = first13 + nir_lib.calc_check_digits(first13)
            cursor = conn.execute(
                "INSERT INTO accounts (nir, role, last_name, first_names, birth_date,"
                " caisse_code, password_hash, rights_start, created_at)"
                " VALUES (?, 'assure', ?, 'Camille', ?, ?, '!', ?, ?)",
                (
                    nir,
                    f"TEST{i:05d}",
                    f"19{80 + i % 20:02d}-{1 + i % 12:02d}-15",
                    caisse,
                    date(today.year - 1, 1, 1).isoformat(),
                    created,
                ),
            )
            conn.execute(
                "INSERT INTO beneficiaries (account_id, rank, last_name, first_names,"
                " birth_date, relationship) VALUES (?, '01', ?, 'Camille', ?, 'assure')",
                (cursor.lastrowid, f"TEST{i:05d}", f"19{80 + i % 20:02d}-{1 + i % 12:02d}-15"),
            )
            nirs.append(nir)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return nirs
