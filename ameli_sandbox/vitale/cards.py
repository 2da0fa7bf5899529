"""A beneficiary's carte Vitale as the service holds it: the card current at a moment
(the latest one available then; an order writes its card ahead, dated when it is
delivered) and the JSON of a card. Reading the status, ordering and declaring a card
lost all start from here, so it sits below those three modules.
"""

from __future__ import annotations

import sqlite3
from typing import Any


def current_card(conn: sqlite3.Connection, beneficiary_id: int, now_iso: str) -> Any:
    return conn.execute(
        "SELECT * FROM vitale_cards WHERE beneficiary_id = ? AND available_at <= ?"
        " ORDER BY available_at DESC, id DESC LIMIT 1",
        (beneficiary_id, now_iso),
    ).fetchone()


def card_view(row: sqlite3.Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "serial": row["serial"],
        "issued_on": row["issued_on"],
        "with_photo": bool(row["with_photo"]),
        "state": row["state"],
        "state_changed_at": row["state_changed_at"],
    }
