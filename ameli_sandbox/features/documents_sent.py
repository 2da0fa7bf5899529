"""Documents sent to the caisse: a feuille de soins, an arrêt de travail, a justificatif.

Files are PDF, JPEG or PNG by content; only their type, size and SHA-256 are kept. On
the sandbox clock (*invented* delays and contents; the sandbox cannot read a scan):

- a feuille de soins is processed after 30 days ("a month on paper", DOMAIN.md) and
  becomes a payment line: a consultation G on the day it was sent, at the tariff and
  with the deductions of that day, paid to the assuré;
- an arrêt de travail (14 days from the day sent) starts IJ: after the 3 waiting days,
  11 days of IJ paid 3 days after the arrêt ends;
- a justificatif is filed after 7 days.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock, tariffs
from ameli_sandbox.demarches import age_on, beneficiary, decode_files, new_id, reader, submitter
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.settling import settle_rows
from ameli_sandbox.web import db, idempotent, json_object, json_response

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "documents_sent"
TYPES = ("feuille-de-soins", "arret-de-travail", "justificatif")
MIGRATIONS = [
    f"""
    CREATE TABLE document_submissions (
        id INTEGER PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        type TEXT NOT NULL CHECK (type IN ({", ".join(f"'{t}'" for t in TYPES)})),
        beneficiary_rank TEXT NOT NULL,
        files TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        settled_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('recu', 'traite')),
        payment_id TEXT
    );
    CREATE INDEX document_submissions_due ON document_submissions (settled_at, due_at);
    CREATE INDEX document_submissions_account ON document_submissions (account_id, sent_at)
    """,
]
DELAYS = {
    "feuille-de-soins": timedelta(days=30),
    "arret-de-travail": timedelta(days=17),
    "justificatif": timedelta(days=7),
}
ARRET_DAYS = 14
CARENCE_DAYS = 3
IJ_DAILY = 4195  # 50 % of the daily wage capped at 1.8 SMIC (from 2025-04-01)


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    return None


def _view(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["public_id"],
        "type": row["type"],
        "beneficiary_rank": row["beneficiary_rank"],
        "files": json.loads(row["files"]),
        "sent_at": row["sent_at"],
        "expected_at": row["due_at"] if row["settled_at"] is None else None,
        "processed_at": row["settled_at"],
        "status": row["status"],
        "payment_id": row["payment_id"],
    }


async def list_sent(request: Request) -> Response:
    account = reader(request, "documents.sent")
    rows = db(request).execute(
        "SELECT * FROM document_submissions WHERE account_id = ? ORDER BY sent_at DESC, id DESC",
        (account["id"],),
    )
    return json_response({"items": [_view(r) for r in rows]})


@idempotent
async def send(request: Request) -> Response:
    _, account = submitter(request, "documents.send")
    conn = db(request)
    body = await json_object(request)
    kind = body.get("type")
    if kind not in TYPES:
        raise bad_request(f"type is one of {', '.join(TYPES)}.", parameter="type")
    who = beneficiary(conn, account["id"], body.get("beneficiary_rank", "01"))
    if kind == "arret-de-travail" and who["rank"] != "01":
        raise bad_request("An arrêt de travail is the assuré's own (rank 01).")
    files = decode_files(body.get("files"), field="files")
    now = clock.now(conn)
    row_id = conn.execute(
        "INSERT INTO document_submissions (public_id, account_id, type, beneficiary_rank, files,"
        " sent_at, due_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'recu')",
        (
            new_id("D"), account["id"], kind, who["rank"], json.dumps(files),
            clock.iso(now), clock.iso(now + DELAYS[kind]),
        ),
    ).lastrowid  # fmt: skip
    row = conn.execute("SELECT * FROM document_submissions WHERE id = ?", (row_id,)).fetchone()
    return json_response(_view(row), status=201)


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _payment_row(conn: sqlite3.Connection, row: sqlite3.Row, now: str) -> tuple[Any, ...] | None:
    from ameli_sandbox.features.estimates import _Facts, already_deducted, compute

    account = conn.execute("SELECT * FROM accounts WHERE id = ?", (row["account_id"],)).fetchone()
    who = beneficiary(conn, row["account_id"], row["beneficiary_rank"])
    sent = date.fromisoformat(row["sent_at"][:10])
    paid_on = _working_day(date.fromisoformat(row["due_at"][:10])).isoformat()
    name = f"{who['first_names']} {who['last_name']}"
    ident = "pmt_" + hashlib.sha256(f"{row['public_id']}/{now}".encode()).hexdigest()[:12]
    if row["type"] == "arret-de-travail":
        start, end = sent + timedelta(days=CARENCE_DAYS), sent + timedelta(days=ARRET_DAYS - 1)
        days = (end - start).days + 1
        return (
            account["id"], ident, paid_on, start.isoformat(), end.isoformat(), "01", name,
            None, None, "IJ", "Indemnités journalières maladie", "ij", days, IJ_DAILY, 0,
            days * IJ_DAILY, 100, days * IJ_DAILY, 0, 0, "assure",
        )  # fmt: skip
    local = conn.execute(
        "SELECT local_regime FROM caisses WHERE code = ?", (account["caisse_code"],)
    ).fetchone()[0]
    coverage = "SELECT 1 FROM coverages WHERE beneficiary_id = ? AND kind = ? AND start_date <= ?"
    act = tariffs.ACTS["G"]
    facts = _Facts(
        age=age_on(who["birth_date"], sent),
        ald=False,
        has_ald=False,
        css=conn.execute(coverage, (who["id"], "css", sent.isoformat())).fetchone() is not None,
        hors_parcours=not who["medecin_traitant"],
        local_regime=bool(local),
        already=already_deducted(conn, account["id"], who["rank"], sent),
    )
    est = compute(act, sent, facts, price=None, quantity=1, secteur=1)
    return (
        account["id"], ident, paid_on, sent.isoformat(), None, who["rank"], name, None, None,
        act.code, act.label + " (feuille de soins papier)", act.kind, 1, None,
        est["amount_paid"], est["base"], est["rate"], est["amount_reimbursed"],
        est["participation_forfaitaire"], est["franchise"], "assure",
    )  # fmt: skip


# The table settle() works through (route_index.SETTLERS: nothing due, nothing imported).
SETTLES = "document_submissions"


def settle(conn: sqlite3.Connection, now: str) -> None:
    def process(row: sqlite3.Row) -> str:
        if row["type"] != "justificatif":
            from ameli_sandbox.features import payments

            line = _payment_row(conn, row, now)
            if line is not None:
                payments.insert(conn, [line])
                conn.execute(
                    "UPDATE document_submissions SET payment_id = ? WHERE id = ?",
                    (line[1], row["id"]),
                )
        return "traite"

    settle_rows(conn, SETTLES, now, process)


def routes() -> list[Route]:
    return [
        Route("/v1/documents/submissions", list_sent, methods=["GET"]),
        Route("/v1/documents/submissions", send, methods=["POST"]),
    ]
