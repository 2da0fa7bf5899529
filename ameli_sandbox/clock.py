"""The service clock: real time plus an offset that `ameli sandbox advance` moves.

Demos and tests watch orders ship and tokens expire without waiting. The offset
lives in the database, so every process serving the same file agrees on the time.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta


def offset_seconds(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone()
    return int(row["value"]) if row else 0


def now(conn: sqlite3.Connection) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=offset_seconds(conn))


def today(conn: sqlite3.Connection) -> date:
    return now(conn).date()


# Ten years each way: far enough for any demo (orders, expiries, a decade of
# attestations), near enough that every date the service computes stays a real date.
MAX_OFFSET_SECONDS = 10 * 366 * 24 * 3600


class ClockOutOfRange(ValueError):
    """The jump would put the clock further than MAX_OFFSET_SECONDS from real time."""


def advance(conn: sqlite3.Connection, seconds: int) -> datetime:
    """Move the clock; refuse (ClockOutOfRange, nothing stored) a jump past the range."""
    if abs(offset_seconds(conn) + seconds) > MAX_OFFSET_SECONDS:
        raise ClockOutOfRange(seconds)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('clock_offset', ?)"
        " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
        (str(seconds),),
    )
    return now(conn)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
