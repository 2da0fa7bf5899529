"""Beneficiaries (ayants droit): the list, adding a child, and attaching a child to the
other parent's account as well ("inscrire un enfant sur la carte Vitale de l'autre
parent").

- Adding a newborn or a child (under 18) takes a birth certificate (PDF, JPEG or PNG by
  content); the caisse accepts it after 5 days (*invented* delay).
- A co-attachment names the other parent's NIR; it waits until the other parent, signed
  in to their own account, confirms it (`POST /v1/beneficiaires/confirmations`); the
  caisse then records it after 2 days (*invented*), and the child appears on the other
  parent's account (and in its /v1/me).
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock
from ameli_sandbox.demarches import (
    age_on,
    beneficiary,
    decode_files,
    full_name,
    json_body_field,
    new_id,
    next_rank,
    reader,
    submitter,
)
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.settling import settle_rows
from ameli_sandbox.web import db, idempotent, json_object, json_response

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "beneficiaires"
MIGRATIONS = [
    """
    CREATE TABLE beneficiary_requests (
        id INTEGER PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('naissance', 'enfant', 'rattachement')),
        last_name TEXT NOT NULL, first_names TEXT NOT NULL, birth_date TEXT NOT NULL,
        child_rank TEXT,
        other_account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
        certificate TEXT,
        requested_at TEXT NOT NULL,
        confirmed_at TEXT,
        due_at TEXT,
        settled_at TEXT,
        status TEXT NOT NULL,
        new_rank TEXT
    );
    CREATE INDEX beneficiary_requests_due ON beneficiary_requests (settled_at, due_at);
    CREATE TABLE beneficiary_links (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        rank TEXT NOT NULL,
        other_account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        other_rank TEXT NOT NULL,
        PRIMARY KEY (account_id, rank, other_account_id)
    )
    """,
]
CHILD_DELAY = timedelta(days=5)  # invented
LINK_DELAY = timedelta(days=2)  # invented
ADULT_AGE = 18
# Statuses: en_cours (waiting for the caisse), en_attente_autre_parent, acceptee.


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    return None


def _card_status(conn: sqlite3.Connection, beneficiary_id: int, now: str) -> str:
    try:
        row = conn.execute(
            "SELECT state FROM vitale_cards WHERE beneficiary_id = ? AND available_at <= ?"
            " ORDER BY available_at DESC, id DESC LIMIT 1",
            (beneficiary_id, now),
        ).fetchone()
    except sqlite3.OperationalError:
        return "none"
    return str(row["state"]) if row else "none"


def _request_view(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    other = None
    if row["other_account_id"] is not None:
        acc = conn.execute(
            "SELECT first_names, last_name FROM accounts WHERE id = ?", (row["other_account_id"],)
        ).fetchone()
        other = full_name(acc)
    return {
        "id": row["public_id"],
        "kind": row["kind"],
        "name": f"{row['first_names']} {row['last_name']}",
        "birth_date": row["birth_date"],
        "child_rank": row["child_rank"],
        "other_parent": other,
        "certificate": _certificate(row),
        "requested_at": row["requested_at"],
        "confirmed_at": row["confirmed_at"],
        "expected_at": row["due_at"] if row["settled_at"] is None else None,
        "status": row["status"],
        "new_rank": row["new_rank"],
    }


def _certificate(row: sqlite3.Row) -> dict[str, Any] | None:
    import json

    return json.loads(row["certificate"]) if row["certificate"] else None


async def list_beneficiaires(request: Request) -> Response:
    account = reader(request, "beneficiaires.list")
    conn = db(request)
    now = clock.iso(clock.now(conn))
    today = clock.today(conn)
    items = []
    for b in conn.execute(
        "SELECT * FROM beneficiaries WHERE account_id = ? ORDER BY rank", (account["id"],)
    ):
        linked = conn.execute(
            "SELECT 1 FROM beneficiary_links WHERE account_id = ? AND rank = ?",
            (account["id"], b["rank"]),
        ).fetchone()
        items.append(
            {
                "rank": b["rank"],
                "last_name": b["last_name"],
                "first_names": b["first_names"],
                "birth_date": b["birth_date"],
                "age": age_on(b["birth_date"], today),
                "relationship": b["relationship"],
                "also_attached_to_other_parent": linked is not None,
                "card_status": _card_status(conn, b["id"], now),
            }
        )
    mine = conn.execute(
        "SELECT * FROM beneficiary_requests WHERE account_id = ? ORDER BY requested_at, id",
        (account["id"],),
    ).fetchall()
    asked = conn.execute(
        "SELECT * FROM beneficiary_requests WHERE other_account_id = ?"
        " AND status = 'en_attente_autre_parent' ORDER BY requested_at, id",
        (account["id"],),
    ).fetchall()
    return json_response(
        {
            "items": items,
            "requests": [_request_view(conn, r) for r in mine],
            "to_confirm": [_request_view(conn, r) for r in asked],
        }
    )


def _birth_date(value: Any, today: date) -> date:
    try:
        born = date.fromisoformat(str(value))
    except ValueError:
        raise bad_request(
            "birth_date is an ISO date (YYYY-MM-DD).", parameter="birth_date"
        ) from None
    if born > today:
        raise Problem(422, "birth_date_in_future", "Birth date in the future", "Check the date.")
    if age_on(born.isoformat(), today) >= ADULT_AGE:
        raise Problem(
            422, "beneficiary_too_old", "Too old to be attached",
            f"From {ADULT_AGE} a person has their own account, not a parent's.",
        )  # fmt: skip
    return born


def _add_child(conn: sqlite3.Connection, account: sqlite3.Row, body: dict[str, Any]) -> int:
    now = clock.now(conn)
    last_name = json_body_field(body, "last_name")[:80]
    first_names = json_body_field(body, "first_names")[:80]
    born = _birth_date(body.get("birth_date"), now.date())
    certificate = body.get("birth_certificate")
    files = decode_files([certificate] if certificate else [], field="birth_certificate")
    same = conn.execute(
        "SELECT 1 FROM beneficiaries WHERE account_id = ? AND birth_date = ?"
        " AND upper(first_names) = upper(?)",
        (account["id"], born.isoformat(), first_names),
    ).fetchone()
    if same:
        raise Problem(409, "already_attached", "Already attached", "This child is on the account.")
    import json

    kind = "naissance" if age_on(born.isoformat(), now.date()) < 1 else "enfant"
    return conn.execute(
        "INSERT INTO beneficiary_requests (public_id, account_id, kind, last_name, first_names,"
        " birth_date, certificate, requested_at, due_at, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'en_cours')",
        (
            new_id("B"), account["id"], kind, last_name.upper(), first_names, born.isoformat(),
            json.dumps(files[0]), clock.iso(now), clock.iso(now + CHILD_DELAY),
        ),
    ).lastrowid or 0  # fmt: skip


def _co_attach(conn: sqlite3.Connection, account: sqlite3.Row, body: dict[str, Any]) -> int:
    from stdnum.fr import nir as nir_lib

    child = beneficiary(conn, account["id"], body.get("beneficiary_rank"))
    if child["relationship"] != "enfant":
        raise Problem(
            422, "not_a_child", "Not a child", "Only a child is attached to both parents."
        )
    raw = "".join(str(body.get("other_parent_nir") or "").split()).upper()
    if not nir_lib.is_valid(raw):
        raise bad_request("other_parent_nir is not a valid NIR.", parameter="other_parent_nir")
    other = conn.execute(
        "SELECT id FROM accounts WHERE nir = ? AND role = 'assure' AND id != ?",
        (raw, account["id"]),
    ).fetchone()
    if other is None:
        raise Problem(
            422, "other_parent_not_found", "No such account",
            "The other parent needs a compte ameli of their own to confirm.",
        )  # fmt: skip
    now = clock.iso(clock.now(conn))
    return conn.execute(
        "INSERT INTO beneficiary_requests (public_id, account_id, kind, last_name, first_names,"
        " birth_date, child_rank, other_account_id, requested_at, status)"
        " VALUES (?, ?, 'rattachement', ?, ?, ?, ?, ?, ?, 'en_attente_autre_parent')",
        (
            new_id("B"), account["id"], child["last_name"], child["first_names"],
            child["birth_date"], child["rank"], other["id"], now,
        ),
    ).lastrowid or 0  # fmt: skip


@idempotent
async def create_request(request: Request) -> Response:
    _, account = submitter(request, "beneficiaires.request")
    conn = db(request)
    body = await json_object(request)
    kind = body.get("kind")
    if kind == "enfant":
        row_id = _add_child(conn, account, body)
    elif kind == "rattachement":
        row_id = _co_attach(conn, account, body)
    else:
        raise bad_request("kind is enfant or rattachement.", parameter="kind")
    row = conn.execute("SELECT * FROM beneficiary_requests WHERE id = ?", (row_id,)).fetchone()
    return json_response(_request_view(conn, row), status=201)


@idempotent
async def confirm(request: Request) -> Response:
    _, account = submitter(request, "beneficiaires.confirm")
    conn = db(request)
    body = await json_object(request)
    row = conn.execute(
        "SELECT * FROM beneficiary_requests WHERE public_id = ? AND other_account_id = ?",
        (str(body.get("request_id") or ""), account["id"]),
    ).fetchone()
    if row is None:
        raise Problem(
            422, "request_not_found", "No such request",
            "No co-attachment request addressed to this account with this id.",
        )  # fmt: skip
    if row["status"] == "en_attente_autre_parent":
        now = clock.now(conn)
        conn.execute(
            "UPDATE beneficiary_requests SET status = 'en_cours', confirmed_at = ?, due_at = ?"
            " WHERE id = ?",
            (clock.iso(now), clock.iso(now + LINK_DELAY), row["id"]),
        )
        row = conn.execute(
            "SELECT * FROM beneficiary_requests WHERE id = ?", (row["id"],)
        ).fetchone()
    return json_response(_request_view(conn, row))


def _insert_child(conn: sqlite3.Connection, account_id: int, row: sqlite3.Row) -> str:
    rank = next_rank(conn, account_id)
    conn.execute(
        "INSERT INTO beneficiaries (account_id, rank, last_name, first_names, birth_date,"
        " relationship, medecin_traitant) VALUES (?, ?, ?, ?, ?, 'enfant', 0)",
        (account_id, rank, row["last_name"], row["first_names"], row["birth_date"]),
    )
    return rank


# The table settle() works through (route_index.SETTLERS: nothing due, nothing imported).
SETTLES = "beneficiary_requests"


def settle(conn: sqlite3.Connection, now: str) -> None:
    def accept(row: sqlite3.Row) -> str:
        if row["kind"] == "rattachement":
            rank = _insert_child(conn, row["other_account_id"], row)
            for mine, my_rank, theirs, their_rank in (
                (row["account_id"], row["child_rank"], row["other_account_id"], rank),
                (row["other_account_id"], rank, row["account_id"], row["child_rank"]),
            ):
                conn.execute(
                    "INSERT OR IGNORE INTO beneficiary_links VALUES (?, ?, ?, ?)",
                    (mine, my_rank, theirs, their_rank),
                )
        else:
            rank = _insert_child(conn, row["account_id"], row)
        conn.execute("UPDATE beneficiary_requests SET new_rank = ? WHERE id = ?", (rank, row["id"]))
        return "acceptee"

    settle_rows(conn, SETTLES, now, accept)


def routes() -> list[Route]:
    return [
        Route("/v1/beneficiaires", list_beneficiaires, methods=["GET"]),
        Route("/v1/beneficiaires/requests", create_request, methods=["POST"]),
        Route("/v1/beneficiaires/confirmations", confirm, methods=["POST"]),
    ]
