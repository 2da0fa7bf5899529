"""Carte Vitale: one card per beneficiary, orders (photo + ID document), declarations.

An order's status is computed from its creation time and the service clock when it
is read (no background job): `received` → `in_production` (after 2 days) →
`shipped` (after 9) → `delivered` (after 16). These statuses and delays are
invented (ameli publishes only "2 to 3 weeks"). The card an order produces is
written when the order is taken, with the moment it becomes available; the
current card of a beneficiary is the latest one available at the service's now.
Only a fingerprint of the photo and ID document is kept, never the files.

This module owns the resource (schema, seed, routes, the status of every
beneficiary); in the vitale package, cards holds the card rows, orders the orders
and declarations the cards declared lost, stolen or defective.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock
from ameli_sandbox.card_orders import add_years, list_beneficiaries
from ameli_sandbox.demarches import age_on
from ameli_sandbox.http import Request, Response
from ameli_sandbox.routing import Route
from ameli_sandbox.vitale.cards import card_view, current_card
from ameli_sandbox.vitale.declarations import declare
from ameli_sandbox.vitale.orders import (
    MINIMUM_AGE,
    create_order,
    list_orders,
    order_view,
    pending_order,
)
from ameli_sandbox.web import authenticate, db, json_response, subject_account

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "vitale"
MIGRATIONS = [
    """
    CREATE TABLE vitale_cards (
        id INTEGER PRIMARY KEY,
        beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id) ON DELETE CASCADE,
        serial TEXT NOT NULL UNIQUE,
        issued_on TEXT NOT NULL,
        with_photo INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'blocked_lost', 'blocked_stolen',
                                             'defective')),
        state_changed_at TEXT,
        available_at TEXT NOT NULL
    );
    CREATE INDEX vitale_cards_beneficiary ON vitale_cards (beneficiary_id, available_at);
    CREATE TABLE vitale_orders (
        id TEXT PRIMARY KEY,
        beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id) ON DELETE CASCADE,
        ordered_by INTEGER NOT NULL REFERENCES accounts(id),
        kind TEXT NOT NULL CHECK (kind IN ('first', 'replacement')),
        created_at TEXT NOT NULL,
        card_id INTEGER NOT NULL REFERENCES vitale_cards(id),
        photo_media_type TEXT NOT NULL, photo_width INTEGER NOT NULL,
        photo_height INTEGER NOT NULL, photo_bytes INTEGER NOT NULL, photo_sha256 TEXT NOT NULL,
        id_document_media_type TEXT NOT NULL, id_document_bytes INTEGER NOT NULL,
        id_document_sha256 TEXT NOT NULL
    );
    CREATE INDEX vitale_orders_beneficiary ON vitale_orders (beneficiary_id, created_at);
    CREATE TABLE vitale_declarations (
        id TEXT PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES vitale_cards(id) ON DELETE CASCADE,
        declared_by INTEGER NOT NULL REFERENCES accounts(id),
        reason TEXT NOT NULL CHECK (reason IN ('lost', 'stolen', 'defective')),
        declared_at TEXT NOT NULL
    )
    """,
]

# Invented lifecycle (see the module docstring).

AUTOMATIC_AGE = 16  # the caisse sends a child its own card at 16


# -- seed ------------------------------------------------------------------------------


def _serial(seed: str) -> str:
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16) % 10**10).zfill(10)


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """One card per beneficiary, in states worth showing (see the README)."""
    moment = clock.now(conn)

    def card(p: Person, rank: str, issued: date, photo: bool, state: str = "active") -> None:
        row = conn.execute(
            "SELECT b.id FROM beneficiaries b JOIN accounts a ON a.id = b.account_id"
            " WHERE a.nir = ? AND b.rank = ?",
            (p.nir, rank),
        ).fetchone()
        if row is None:
            return
        changed = clock.iso(moment - timedelta(days=40)) if state != "active" else None
        conn.execute(
            "INSERT INTO vitale_cards (beneficiary_id, serial, issued_on, with_photo, state,"
            " state_changed_at, available_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row["id"],
                _serial(f"{p.nir}/{rank}/{issued}"),
                issued.isoformat(),
                int(photo),
                state,
                changed,
                issued.isoformat() + "T08:00:00Z",
            ),
        )

    def years_ago(n: int, month: int = 3, day: int = 12) -> date:
        return date(today.year - n, month, day)

    for p in people:
        if p.role != "assure":
            continue
        if p.key == "famille":
            card(p, "01", years_ago(6), True)
            # Rank 02 turned 16: the caisse sent her a card on its own.
            born = date.fromisoformat(p.dependants[0].birth_date)
            sixteen = date(born.year + AUTOMATIC_AGE, born.month, 1) + timedelta(days=40)
            card(p, "02", min(sixteen, today - timedelta(days=30)), True)
            # Ranks 03 (13) and 04 (10): no card yet.
        elif p.key == "ald":
            card(p, "01", date(2006, 3, 15), False)  # a first-generation card, no photo
        elif p.key == "alsace":
            card(p, "01", years_ago(4), True)
            card(p, "02", years_ago(5, 9, 3), True, "blocked_stolen")
        else:
            card(p, "01", years_ago(3), True)


def beneficiary_view(conn: sqlite3.Connection, b: sqlite3.Row, moment: datetime) -> dict[str, Any]:
    card = current_card(conn, b["id"], clock.iso(moment))
    pending = pending_order(conn, b["id"], moment)
    age = age_on(b["birth_date"], moment.date())
    born = date.fromisoformat(b["birth_date"])
    child = b["relationship"] == "enfant"
    return {
        "rank": b["rank"],
        "first_names": b["first_names"],
        "last_name": b["last_name"],
        "birth_date": b["birth_date"],
        "age": age,
        "relationship": b["relationship"],
        "card_state": card["state"] if card else "none",
        "card": card_view(card),
        "pending_order": order_view(pending, b["rank"], moment) if pending else None,
        "orderable_from": add_years(born, MINIMUM_AGE).isoformat() if child else None,
        "automatic_card_from": add_years(born, AUTOMATIC_AGE).isoformat() if child else None,
    }


async def status(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="vitale.read")
    conn = db(request)
    moment = clock.now(conn)
    return json_response(
        {
            "now": clock.iso(moment),
            "beneficiaries": [
                beneficiary_view(conn, b, moment) for b in list_beneficiaries(conn, account["id"])
            ],
        }
    )


def routes() -> list[Route]:
    return [
        Route("/v1/vitale", status, methods=["GET"]),
        Route("/v1/vitale/orders", list_orders, methods=["GET"]),
        Route("/v1/vitale/orders", create_order, methods=["POST"]),
        Route("/v1/vitale/declarations", declare, methods=["POST"]),
    ]
