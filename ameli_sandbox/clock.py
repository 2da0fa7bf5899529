"""The service clock: real time plus an offset that `ameli sandbox advance` moves.

Demos and tests watch orders ship and tokens expire without waiting. The offset
lives in the database, so every process serving the same file agrees on the time.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

# How far the clock may be moved, in total (issue 13): ten years covers every demo
# (orders, expiries, a fiscal year) and keeps every date the service computes in range.
MAX_OFFSET = timedelta(days=3653)


class ClockRangeError(ValueError):
    """A move that would take the clock further than MAX_OFFSET: nothing stored."""

    def __init__(self, offset: int) -> None:
        super().__init__(
            f"The sandbox clock moves at most {MAX_OFFSET.days} days in total"
            f" (asked: {offset // 86400} days)."
        )
        self.offset = offset


def offset_seconds(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone()
    try:
        offset = int(row["value"]) if row else 0
    except (TypeError, ValueError):
        return 0
    # A database moved too far by an older version would fail every request:
    # read such an offset as the furthest allowed one.
    limit = int(MAX_OFFSET.total_seconds())
    return max(-limit, min(limit, offset))


def now(conn: sqlite3.Connection) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=offset_seconds(conn))


def today(conn: sqlite3.Connection) -> date:
    return now(conn).date()


def advance(conn: sqlite3.Connection, seconds: int) -> datetime:
    """Move the clock; ClockRangeError (nothing stored) past MAX_OFFSET in total."""
    conn.execute("BEGIN IMMEDIATE")  # read and write the offset as one step
    try:
        offset = offset_seconds(conn) + seconds
        if abs(offset) > MAX_OFFSET.total_seconds():
            raise ClockRangeError(offset)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('clock_offset', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(offset),),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return now(conn)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
