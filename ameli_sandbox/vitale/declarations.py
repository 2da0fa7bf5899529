"""Declaring a carte Vitale lost, stolen or defective: the card is blocked (its state
changes; the card row stays) and the declaration kept, once (declaring again the same
way answers the first declaration). Kept apart from ordering: a declaration is what
makes a new order possible, and has its own states and answers.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

from ameli_sandbox import clock
from ameli_sandbox.card_orders import find_beneficiary
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.vitale.cards import card_view, current_card
from ameli_sandbox.web import (
    authenticate,
    db,
    idempotent,
    json_object,
    json_response,
    subject_account,
)

REASON_STATES = {"lost": "blocked_lost", "stolen": "blocked_stolen", "defective": "defective"}


# -- declaring a card lost, stolen or defective ----------------------------------------


@idempotent
async def declare(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="vitale.declare")
    body = await json_object(request)
    reason = body.get("reason")
    if not isinstance(reason, str) or reason not in REASON_STATES:
        raise bad_request("reason must be one of: lost, stolen, defective.")
    conn = db(request)
    beneficiary = find_beneficiary(conn, account["id"], body.get("beneficiary_rank"))
    conn.execute("BEGIN IMMEDIATE")
    try:
        moment = clock.now(conn)
        card = current_card(conn, beneficiary["id"], clock.iso(moment))
        if card is None:
            raise Problem(
                409, "no_card", "No card", "This beneficiary has no carte Vitale to declare."
            )
        state = REASON_STATES[reason]
        if card["state"] == state:
            declaration = conn.execute(
                "SELECT * FROM vitale_declarations WHERE card_id = ? ORDER BY declared_at DESC"
                " LIMIT 1",
                (card["id"],),
            ).fetchone()
            conn.execute("COMMIT")
            return json_response(
                {
                    "status": "already_declared",
                    "declaration": _declaration_view(declaration, card, beneficiary["rank"]),
                    "card": card_view(card),
                }
            )
        if card["state"] != "active":
            raise Problem(
                409,
                "card_not_active",
                "Card not active",
                f"This card is already {card['state']}.",
                card_state=card["state"],
            )
        declaration_id = "vd_" + secrets.token_hex(8)
        now_iso = clock.iso(moment)
        conn.execute(
            "UPDATE vitale_cards SET state = ?, state_changed_at = ? WHERE id = ?",
            (state, now_iso, card["id"]),
        )
        conn.execute(
            "INSERT INTO vitale_declarations (id, card_id, declared_by, reason, declared_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (declaration_id, card["id"], principal.account_id, reason, now_iso),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    card = conn.execute("SELECT * FROM vitale_cards WHERE id = ?", (card["id"],)).fetchone()
    declaration = conn.execute(
        "SELECT * FROM vitale_declarations WHERE id = ?", (declaration_id,)
    ).fetchone()
    return json_response(
        {
            "status": "declared",
            "declaration": _declaration_view(declaration, card, beneficiary["rank"]),
            "card": card_view(card),
        },
        status=201,
    )


def _declaration_view(
    row: sqlite3.Row | None, card: sqlite3.Row, rank: str
) -> dict[str, Any] | None:
    if row is None:  # a seeded blocked card has no declaration record
        return None
    return {
        "id": row["id"],
        "beneficiary_rank": rank,
        "reason": row["reason"],
        "declared_at": row["declared_at"],
        "card_serial": card["serial"],
    }
