"""Payments ("Mes paiements"): every reimbursement line, filters, cursor pages, totals.

The seed writes about three years of lines per assuré, deterministic per NIR, with
the tariffs and deductions in force on each date of care (see `sandbox.payment_history`).
Amounts are integer cents; `rate` is a percentage. On every line

    amount_reimbursed = round_half_up(base × rate / 100)
                        − participation_forfaitaire − franchise

and `out_of_pocket` (reste à charge, before any mutuelle) is amount_paid −
amount_reimbursed, or 0 for sick pay (`kind = 'ij'`: nothing was paid out).
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock
from ameli_sandbox.http import Request, Response
from ameli_sandbox.params import (
    invalid_cursor,
    query_choice,
    query_date,
    query_digits,
    query_int,
    query_text,
)
from ameli_sandbox.problems import Problem, bad_request, not_found
from ameli_sandbox.routing import Route
from ameli_sandbox.web import authenticate, db, json_response, subject_account

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "payments"
# The API's kinds of payment (the CLI checks --kind against the same list).
KINDS = ("soins", "pharmacie", "biologie", "paramedical", "dentaire", "hopital", "ij")
MIGRATIONS = [
    f"""
    CREATE TABLE payments (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        payment_date TEXT NOT NULL,
        care_date TEXT NOT NULL,
        care_end_date TEXT,
        beneficiary_rank TEXT NOT NULL,
        beneficiary_name TEXT NOT NULL,
        professional_name TEXT,
        professional_specialty TEXT,
        act_code TEXT NOT NULL,
        act_label TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ({", ".join(f"'{k}'" for k in KINDS)})),
        quantity INTEGER NOT NULL DEFAULT 1,
        daily_amount INTEGER,
        amount_paid INTEGER NOT NULL,
        base INTEGER NOT NULL,
        rate INTEGER NOT NULL,
        amount_reimbursed INTEGER NOT NULL,
        participation_forfaitaire INTEGER NOT NULL DEFAULT 0,
        franchise INTEGER NOT NULL DEFAULT 0,
        paid_to TEXT NOT NULL CHECK (paid_to IN ('assure', 'professionnel'))
    );
    CREATE INDEX payments_by_date ON payments (account_id, payment_date, seq);
    CREATE INDEX payments_by_kind ON payments (account_id, kind, payment_date, seq);
    CREATE INDEX payments_by_beneficiary
        ON payments (account_id, beneficiary_rank, payment_date, seq)
    """,
]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
GROUPINGS = ("month", "beneficiary", "professional", "kind")

# One expression, used by the list and the totals alike.
OUT_OF_POCKET_SQL = "CASE WHEN kind = 'ij' THEN 0 ELSE amount_paid - amount_reimbursed END"
# SQLite writes each line's JSON itself: building dicts and encoding them in Python
# cost more than the query on 100,000 lines. The shape is the `Payment` schema.
PAYMENT_JSON_SQL = f"""json_object(
    'id', id, 'payment_date', payment_date, 'care_date', care_date,
    'care_end_date', care_end_date,
    'beneficiary', json_object('rank', beneficiary_rank, 'name', beneficiary_name),
    'professional', CASE WHEN professional_name IS NOT NULL THEN
        json_object('name', professional_name, 'specialty', professional_specialty) END,
    'act', json_object('code', act_code, 'label', act_label),
    'kind', kind, 'quantity', quantity, 'daily_amount', daily_amount,
    'amount_paid', amount_paid, 'base', base, 'rate', rate,
    'amount_reimbursed', amount_reimbursed,
    'participation_forfaitaire', participation_forfaitaire, 'franchise', franchise,
    'out_of_pocket', {OUT_OF_POCKET_SQL}, 'paid_to', paid_to, 'transfer_id', transfer_id)"""


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    from ameli_sandbox import payment_history  # only when seeding

    rows = []
    for person in people:
        if person.role != "assure":
            continue
        account = conn.execute("SELECT id FROM accounts WHERE nir = ?", (person.nir,)).fetchone()
        caisse = conn.execute(
            "SELECT local_regime FROM caisses WHERE code = ?", (person.caisse,)
        ).fetchone()
        for line in payment_history.history(person, today, local_regime=bool(caisse[0])):
            rows.append((account[0], *line.row()))
    insert(conn, rows)


def insert(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Rows as (account_id, *PaymentLine.row())."""
    conn.executemany(
        "INSERT INTO payments (account_id, id, payment_date, care_date, care_end_date,"
        " beneficiary_rank, beneficiary_name, professional_name, professional_specialty,"
        " act_code, act_label, kind, quantity, daily_amount, amount_paid, base, rate,"
        " amount_reimbursed, participation_forfaitaire, franchise, paid_to)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


# -- filters ---------------------------------------------------------------------------


def _date_param(request: Request, name: str) -> str | None:
    value = query_date(request, name)
    return None if value is None else value.isoformat()


def _filters(request: Request, account_id: int) -> tuple[list[str], list[Any]]:
    where = ["account_id = ?"]
    args: list[Any] = [account_id]
    since = _date_param(request, "since")
    until = _date_param(request, "until")
    if since and until and since > until:
        raise bad_request("since is after until.", parameter="since")
    if since:
        where.append("payment_date >= ?")
        args.append(since)
    if until:
        where.append("payment_date <= ?")
        args.append(until)
    rank = query_digits(request, "beneficiary", length=2)
    if rank:
        _check_rank(db(request), account_id, rank)
        where.append("beneficiary_rank = ?")
        args.append(rank)
    kind = query_choice(request, "kind", KINDS)
    if kind:
        where.append("kind = ?")
        args.append(kind)
    professional = query_text(request, "professional")
    if professional:
        # Case-insensitive substring on the name or the specialty (LIKE is ASCII-only
        # case-insensitive in SQLite, so compare casefolded in Python via a function).
        where.append(
            "(contains_text(professional_name, ?) OR contains_text(professional_specialty, ?))"
        )
        args.extend([professional, professional])
    return where, args


def _check_rank(conn: sqlite3.Connection, account_id: int, rank: str) -> None:
    """A rank the account does not have is refused (as vitale and attestations do),
    rather than answered with an empty list that looks like "no payment"."""
    ranks = [
        row["rank"]
        for row in conn.execute(
            "SELECT rank FROM beneficiaries WHERE account_id = ? ORDER BY rank", (account_id,)
        )
    ]
    if rank not in ranks:
        raise Problem(
            404,
            "unknown_beneficiary",
            "Unknown beneficiary",
            f"No beneficiary of rank {rank} on this account.",
            ranks=ranks,
        )


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: `pediatre` finds `PÉDIATRE`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _contains_text(haystack: str | None, needle: str) -> int:
    return int(haystack is not None and _fold(needle) in _fold(haystack))


def _ensure_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("contains_text", 2, _contains_text, deterministic=True)


# -- cursors ---------------------------------------------------------------------------


def encode_cursor(payment_date: str, seq: int) -> str:
    raw = json.dumps([payment_date, seq], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payment_date, seq = json.loads(raw)
        date.fromisoformat(payment_date)
        if not isinstance(seq, int) or not 0 <= seq < 2**62:
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise invalid_cursor() from None
    return payment_date, seq


def _limit(request: Request) -> int:
    return query_int(request, "limit", default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT)


# -- handlers --------------------------------------------------------------------------


async def list_payments(request: Request) -> Response:
    """Newest payment first; ties on the date broken by the line's sequence."""
    principal = authenticate(request)
    account = subject_account(request, principal, action="payments.list")
    conn = db(request)
    _ensure_functions(conn)
    where, args = _filters(request, account["id"])
    limit = _limit(request)
    cursor = query_text(request, "cursor", max_length=200)
    if cursor:
        after_date, after_seq = decode_cursor(cursor)
        # A row value, so that SQLite seeks in the index instead of scanning it.
        where.append("(payment_date, seq) < (?, ?)")
        args.extend([after_date, after_seq])
    rows = conn.execute(
        f"SELECT seq, payment_date, {PAYMENT_JSON_SQL} AS line FROM payments"
        f" WHERE {' AND '.join(where)} ORDER BY payment_date DESC, seq DESC LIMIT ?",
        (*args, limit + 1),
    ).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor(rows[-1]["payment_date"], rows[-1]["seq"]) if more and rows else None
    )
    body = '{"items":[%s],"next_cursor":%s}' % (  # noqa: UP031 (a JSON template)
        ",".join(r["line"] for r in rows),
        json.dumps(next_cursor),
    )
    return Response(body, media_type="application/json")


async def show_payment(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="payments.show")
    row = (
        db(request)
        .execute(
            f"SELECT {PAYMENT_JSON_SQL} AS line FROM payments WHERE account_id = ? AND id = ?",
            (account["id"], request.path_params["payment_id"]),
        )
        .fetchone()
    )
    if row is None:
        raise not_found(
            "No payment with this id for this assuré.",
            resource="payment",
            id=request.path_params["payment_id"],
        )
    return Response(row["line"], media_type="application/json")


_TOTALS_SQL = (
    "COUNT(*) AS count, COALESCE(SUM(amount_paid), 0) AS amount_paid,"
    " COALESCE(SUM(amount_reimbursed), 0) AS amount_reimbursed,"
    " COALESCE(SUM(participation_forfaitaire), 0) AS participation_forfaitaire,"
    " COALESCE(SUM(franchise), 0) AS franchise,"
    f" COALESCE(SUM({OUT_OF_POCKET_SQL}), 0) AS out_of_pocket"
)
_GROUP_KEYS = {
    "month": ("substr(payment_date, 1, 7)", "substr(payment_date, 1, 7)"),
    "beneficiary": ("beneficiary_rank", "MAX(beneficiary_name)"),
    "professional": ("professional_name", "MAX(professional_specialty)"),
    "kind": ("kind", "kind"),
}


TOTAL_KEYS = (
    "count",
    "amount_paid",
    "amount_reimbursed",
    "participation_forfaitaire",
    "franchise",
    "out_of_pocket",
)


def _totals(row: sqlite3.Row) -> dict[str, int]:
    return {key: int(row[key]) for key in TOTAL_KEYS}


async def summary(request: Request) -> Response:
    """Totals per month, beneficiary, professional or kind over one year of payments."""
    principal = authenticate(request)
    account = subject_account(request, principal, action="payments.summary")
    conn = db(request)
    by = query_choice(request, "by", GROUPINGS, default="month") or "month"
    today = clock.today(conn)
    year = query_int(request, "year", default=today.year, low=1900, high=9999)
    where = "account_id = ? AND payment_date >= ? AND payment_date <= ?"
    args = (account["id"], f"{year:04d}-01-01", f"{year:04d}-12-31")
    key_sql, label_sql = _GROUP_KEYS[by]
    rows = conn.execute(
        f"SELECT {key_sql} AS key, {label_sql} AS label, {_TOTALS_SQL}"
        f" FROM payments WHERE {where} GROUP BY {key_sql}",
        args,
    ).fetchall()
    groups = [{"key": r["key"], "label": r["label"], **_totals(r)} for r in rows]
    if by == "month":
        last = 12 if year < today.year else (today.month if year == today.year else 0)
        present = {g["key"] for g in groups}
        for month in range(1, last + 1):
            key = f"{year:04d}-{month:02d}"
            if key not in present:
                groups.append({"key": key, "label": key, **dict.fromkeys(TOTAL_KEYS, 0)})
        groups.sort(key=lambda g: str(g["key"]))
    elif by == "beneficiary":
        groups.sort(key=lambda g: str(g["key"]))
    else:
        groups.sort(key=lambda g: (-int(g["amount_paid"]), -int(g["amount_reimbursed"])))
    total = conn.execute(f"SELECT {_TOTALS_SQL} FROM payments WHERE {where}", args).fetchone()
    return json_response({"by": by, "year": year, "groups": groups, "totals": _totals(total)})


def routes() -> list[Route]:
    return [
        Route("/v1/paiements", list_payments, methods=["GET"]),
        Route("/v1/paiements/summary", summary, methods=["GET"]),
        Route("/v1/paiements/{payment_id}", show_payment, methods=["GET"]),
    ]
