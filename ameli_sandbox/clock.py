"""The service clock: real time plus an offset that `ameli sandbox advance` moves.

Demos and tests watch orders ship and tokens expire without waiting. The offset
lives in the database, so every process serving the same file agrees on the time.

A pinned day stops the world's clock at 09:00 UTC that day (the offset still moves
it): the seeded history, the figures and the dates then depend on nothing but that
date, so the README's and docs' examples give the same output every day. The pin
comes from AMELI_SANDBOX_TODAY=2026-11-30 (one process), or is kept in the database
by `ameli sandbox reset --today 2026-11-30` (every process serving that file).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, date, datetime, time, timedelta

PIN_ENV = "AMELI_SANDBOX_TODAY"


def pin(conn: sqlite3.Connection, day: date) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('clock_pinned_day', ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (day.isoformat(),),
    )


def real_now(conn: sqlite3.Connection | None = None) -> datetime:
    """The world's time, or the pinned day's 09:00 UTC (AMELI_SANDBOX_TODAY first,
    then the pin kept in the database)."""
    pinned = os.environ.get(PIN_ENV, "").strip()
    if not pinned and conn is not None:
        row = conn.execute("SELECT value FROM meta WHERE key = 'clock_pinned_day'").fetchone()
        pinned = row["value"] if row else ""
    if pinned:
        try:
            return datetime.combine(date.fromisoformat(pinned), time(9, 0), UTC)
        except ValueError:
            pass  # a bad pin is ignored rather than breaking the service
    return datetime.now(UTC).replace(microsecond=0)


def offset_seconds(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'clock_offset'").fetchone()
    return int(row["value"]) if row else 0


def now(conn: sqlite3.Connection) -> datetime:
    return real_now(conn) + timedelta(seconds=offset_seconds(conn))


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
