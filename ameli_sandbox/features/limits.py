"""Rate limits shared by every worker serving one database (no routes of its own).

A fixed window per key (`login:<address>`), counted in SQLite so that `ameli
sandbox serve --workers N` enforces one limit, not N. Real time, not the service
clock: `ameli sandbox advance` must not unlock a flood.
"""

from __future__ import annotations

import math
import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from starlette.routing import Route

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "limits"
MIGRATIONS = [
    """
    CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY, window_start REAL NOT NULL, count INTEGER NOT NULL
    )
    """,
]


def routes() -> list[Route]:
    return []


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """Nothing to seed."""


def take_attempt(
    conn: sqlite3.Connection, key: str, limit: int, window: float, now: float
) -> int | None:
    """Count one attempt; None when allowed, else the seconds to wait."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute(
            "SELECT window_start, count FROM rate_limits WHERE key = ?", (key,)
        ).fetchone()
        if row is None or now - row["window_start"] >= window:
            conn.execute(
                "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)"
                " ON CONFLICT(key) DO UPDATE SET window_start = excluded.window_start, count = 1",
                (key, now),
            )
            # Forget other stale windows now and then, so the table stays small.
            conn.execute("DELETE FROM rate_limits WHERE window_start < ?", (now - 10 * window,))
            conn.execute("COMMIT")
            return None
        if row["count"] >= limit:
            conn.execute("COMMIT")
            return max(1, math.ceil(float(row["window_start"]) + window - now))
        conn.execute("UPDATE rate_limits SET count = count + 1 WHERE key = ?", (key,))
        conn.execute("COMMIT")
        return None
    except BaseException:
        conn.execute("ROLLBACK")
        raise
