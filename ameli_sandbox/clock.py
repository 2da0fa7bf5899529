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
from typing import Any

from ameli_sandbox import store

PIN_ENV = "AMELI_SANDBOX_TODAY"


def pin(conn: sqlite3.Connection, day: date) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('clock_pinned_day', ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (day.isoformat(),),
    )


def _pinned_or_world(pinned: str) -> datetime:
    if pinned:
        try:
            return datetime.combine(date.fromisoformat(pinned), time(9, 0), UTC)
        except ValueError:
            pass  # a bad pin is ignored rather than breaking the service
    return datetime.now(UTC).replace(microsecond=0)


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
    return _bounded_offset(row["value"] if row else None)


def _bounded_offset(value: str | None) -> int:
    try:
        offset = int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0
    # A database moved too far by an older version would fail every request:
    # read such an offset as the furthest allowed one.
    limit = int(MAX_OFFSET.total_seconds())
    return max(-limit, min(limit, offset))


def now(conn: sqlite3.Connection, memo: dict[Any, Any] | None = None) -> datetime:
    """The world's time, or the pinned day's 09:00 UTC (AMELI_SANDBOX_TODAY first, then
    the pin kept in the database), plus the offset; pin and offset read in one query,
    or from the connection's memo while the database is unchanged (store.memo: every
    request asks the time a few times, issue 18). `memo`: one the caller holds."""
    entries = store.memo(conn) if memo is None else memo
    settings = None if entries is None else entries.get(_SETTINGS)
    if settings is None:
        rows = dict(
            conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('clock_pinned_day', 'clock_offset')"
            ).fetchall()
        )
        settings = (rows.get("clock_pinned_day") or "", _bounded_offset(rows.get("clock_offset")))
        if entries is not None:
            entries[_SETTINGS] = settings
    pinned = os.environ.get(PIN_ENV, "").strip() or settings[0]
    return _pinned_or_world(pinned) + timedelta(seconds=settings[1])


_SETTINGS = "clock.settings"  # (pinned day or "", offset in seconds) in store.memo


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
