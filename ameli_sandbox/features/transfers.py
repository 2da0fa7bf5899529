"""Transfers (`/v1/virements`): payment lines grouped as the bank sees them.

The grouping rules are in `ameli_sandbox.transfers`; this component stores the
result of grouping the seeded `payments` lines, links each line to its transfer
(`payments.transfer_id`) and lists the transfers newest first with their lines.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from ameli_sandbox import transfers as grouping
from ameli_sandbox.features.payments import _date_param, _limit, decode_cursor, encode_cursor
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.web import authenticate, db, json_response, subject_account

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "transfers"
MIGRATIONS = [
    """
    CREATE TABLE transfers (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        amount INTEGER NOT NULL,
        nature TEXT NOT NULL,
        payee_kind TEXT NOT NULL CHECK (payee_kind IN ('assure', 'professionnel')),
        payee_name TEXT NOT NULL,
        bank_label TEXT NOT NULL
    );
    CREATE INDEX transfers_by_date ON transfers (account_id, date, seq);
    CREATE TABLE transfer_lines (
        transfer_seq INTEGER NOT NULL REFERENCES transfers(seq) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        payment_id TEXT,
        beneficiary_rank TEXT,
        beneficiary_name TEXT,
        label TEXT NOT NULL,
        care_date TEXT NOT NULL,
        amount INTEGER NOT NULL,
        recovers_payment_id TEXT,
        recovers_deduction TEXT,
        PRIMARY KEY (transfer_seq, position)
    );
    CREATE TABLE pending_deductions (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        payment_id TEXT NOT NULL,
        deduction TEXT NOT NULL,
        amount INTEGER NOT NULL,
        PRIMARY KEY (account_id, payment_id, deduction)
    );
    ALTER TABLE payments ADD COLUMN transfer_id TEXT
    """,
]


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """Group every account's payment lines (whatever seeded them) into transfers."""
    accounts = conn.execute(
        "SELECT a.id, a.nir, a.first_names, a.last_name, c.name AS caisse FROM accounts a"
        " JOIN caisses c ON c.code = a.caisse_code"
        " WHERE EXISTS (SELECT 1 FROM payments p WHERE p.account_id = a.id) ORDER BY a.id"
    ).fetchall()
    for account in accounts:
        lines = conn.execute(
            "SELECT * FROM payments WHERE account_id = ? ORDER BY payment_date, seq",
            (account["id"],),
        ).fetchall()
        transfers, pending = grouping.group(
            lines,
            nir=account["nir"],
            assure_name=f"{account['first_names']} {account['last_name']}",
            caisse_name=account["caisse"],
        )
        store(conn, account["id"], transfers, pending)


def store(
    conn: sqlite3.Connection,
    account_id: int,
    transfers: list[grouping.Transfer],
    pending: list[grouping.Owed],
) -> None:
    links = []
    for t in transfers:
        cursor = conn.execute(
            "INSERT INTO transfers (id, account_id, date, amount, nature, payee_kind,"
            " payee_name, bank_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                t.id,
                account_id,
                t.date,
                t.amount,
                t.nature,
                t.payee_kind,
                t.payee_name,
                t.bank_label,
            ),
        )
        conn.executemany(
            "INSERT INTO transfer_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    cursor.lastrowid, position, line.payment_id, line.rank, line.name,
                    line.label, line.care_date, line.amount, line.recovers_payment_id,
                    line.recovers_deduction,
                )
                for position, line in enumerate(t.lines)
            ],
        )  # fmt: skip
        links += [(t.id, line.payment_id) for line in t.lines if line.payment_id]
    conn.executemany("UPDATE payments SET transfer_id = ? WHERE id = ?", links)
    conn.executemany(
        "INSERT INTO pending_deductions VALUES (?, ?, ?, ?)",
        [(account_id, o.payment_id, o.deduction, o.amount) for o in pending],
    )


def _line_json(row: sqlite3.Row) -> dict[str, Any]:
    recovers = None
    if row["recovers_payment_id"]:
        recovers = {
            "payment_id": row["recovers_payment_id"],
            "deduction": row["recovers_deduction"],
        }
    beneficiary = None
    if row["beneficiary_rank"]:
        beneficiary = {"rank": row["beneficiary_rank"], "name": row["beneficiary_name"]}
    return {
        "payment_id": row["payment_id"],
        "beneficiary": beneficiary,
        "label": row["label"],
        "care_date": row["care_date"],
        "amount": row["amount"],
        "recovers": recovers,
    }


def transfer_json(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    lines = conn.execute(
        "SELECT * FROM transfer_lines WHERE transfer_seq = ? ORDER BY position", (row["seq"],)
    ).fetchall()
    return {
        "id": row["id"],
        "date": row["date"],
        "amount": row["amount"],
        "nature": row["nature"],
        "payee": {"kind": row["payee_kind"], "name": row["payee_name"]},
        "bank_label": row["bank_label"],
        "lines": [_line_json(line) for line in lines],
    }


def transfers_between(
    conn: sqlite3.Connection, account_id: int, first: str, last: str
) -> list[dict[str, Any]]:
    """Every transfer of an account paid between two dates (included), oldest first."""
    rows = conn.execute(
        "SELECT * FROM transfers WHERE account_id = ? AND date BETWEEN ? AND ? ORDER BY date, seq",
        (account_id, first, last),
    ).fetchall()
    return [transfer_json(conn, row) for row in rows]


async def list_transfers(request: Request) -> Response:
    """Newest transfer first, each with its lines; cursor pages like `/v1/paiements`."""
    principal = authenticate(request)
    account = subject_account(request, principal, action="transfers.list")
    conn = db(request)
    where, args = ["account_id = ?"], [account["id"]]
    since, until = _date_param(request, "since"), _date_param(request, "until")
    if since and until and since > until:
        raise bad_request("since is after until.", parameter="since")
    for bound, op in ((since, ">="), (until, "<=")):
        if bound:
            where.append(f"date {op} ?")
            args.append(bound)
    limit = _limit(request)
    cursor = request.query_params.get("cursor")
    if cursor:
        after_date, after_seq = decode_cursor(cursor)
        where.append("(date, seq) < (?, ?)")
        args.extend([after_date, after_seq])
    rows = conn.execute(
        f"SELECT * FROM transfers WHERE {' AND '.join(where)} ORDER BY date DESC, seq DESC LIMIT ?",
        (*args, limit + 1),
    ).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    pending = conn.execute(
        "SELECT COALESCE(SUM(amount), 0) FROM pending_deductions WHERE account_id = ?",
        (account["id"],),
    ).fetchone()[0]
    return json_response(
        {
            "items": [transfer_json(conn, row) for row in rows],
            "next_cursor": encode_cursor(rows[-1]["date"], rows[-1]["seq"]) if more else None,
            "deductions_pending": int(pending),
        }
    )


def routes() -> list[Route]:
    return [Route("/v1/virements", list_transfers, methods=["GET"])]
