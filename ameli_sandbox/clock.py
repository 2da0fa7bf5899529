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


def advance(conn: sqlite3.Connection, seconds: int) -> datetime:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('clock_offset', ?)"
        " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
        (str(seconds),),
    )
    return now(conn)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
