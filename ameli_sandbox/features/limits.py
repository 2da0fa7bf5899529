"""Rate limits shared by every worker serving one database (no routes of its own).

A fixed window per key (`login:<address>`), counted in SQLite so that `ameli
sandbox serve --workers N` enforces one limit, not N. Real time, not the service
clock: `ameli sandbox advance` must not unlock a flood.
"""

from __future__ import annotations

import math
import os
import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ameli_sandbox import clock
from ameli_sandbox.problems import Problem
from ameli_sandbox.routing import Route

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "limits"
MIGRATIONS = [
    """
    CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY, window_start REAL NOT NULL, count INTEGER NOT NULL
    )
    """,
    # Quotas (issue 13): one row per counted action, on the service clock.
    """
    CREATE TABLE quota_events (key TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX quota_events_key ON quota_events (key, at)
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


# -- quotas ----------------------------------------------------------------------------

DAY = timedelta(days=1)


def quota_from_env(name: str, default: int) -> int:
    """A quota an operator (or a test) can change: `AMELI_SANDBOX_<NAME>_QUOTA`."""
    raw = os.environ.get(f"AMELI_SANDBOX_{name.upper()}_QUOTA", "")
    return int(raw) if raw.isascii() and raw.isdigit() else default


def take_quota(
    conn: sqlite3.Connection, key: str, limit: int, window: timedelta, now: datetime
) -> None:
    """Count one action under `key` (e.g. `messages:<account id>`), or refuse it with
    429 `quota_exceeded` and the seconds until the oldest counted action leaves the
    sliding window. Call it inside the caller's write transaction (BEGIN IMMEDIATE),
    so that workers racing for the last unit cannot both take it. Service clock:
    `ameli sandbox advance 1d` gives a new day. 0 means no quota."""
    if limit <= 0:
        return
    since = clock.iso(now - window)
    conn.execute("DELETE FROM quota_events WHERE key = ? AND at <= ?", (key, since))
    rows = conn.execute(
        "SELECT at FROM quota_events WHERE key = ? ORDER BY at LIMIT ?", (key, limit)
    ).fetchall()
    if len(rows) >= limit:
        oldest = datetime.fromisoformat(rows[0]["at"].replace("Z", "+00:00"))
        retry_after = max(1, math.ceil((oldest + window - now).total_seconds()))
        raise Problem(
            429,
            "quota_exceeded",
            "Quota exceeded",
            f"At most {limit} in {_human(window)} for this account; retry in {retry_after} s.",
            limit=limit,
            retry_after=retry_after,
        )
    conn.execute("INSERT INTO quota_events (key, at) VALUES (?, ?)", (key, clock.iso(now)))


def _human(window: timedelta) -> str:
    return "a day" if window == DAY else f"{int(window.total_seconds())} s"
