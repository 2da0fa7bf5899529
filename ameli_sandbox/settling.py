"""What the sandbox clock makes happen: a request accepted, a paper form paid.

A real caisse decides days or weeks after a request. The sandbox writes each request
with the moment it is due (`due_at`) and applies it on the first authenticated call
after that moment (`web.authenticate` calls `settle_due`), so `ameli sandbox advance
30d` then any command shows the outcome, on every backend and in every worker.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cache
from types import ModuleType


@cache
def _settlers() -> tuple[Callable[[sqlite3.Connection, str], None], ...]:
    from ameli_sandbox.app import feature_modules  # app imports the features, which import web

    modules: list[ModuleType] = feature_modules()
    return tuple(m.settle for m in modules if hasattr(m, "settle"))


def settle_due(conn: sqlite3.Connection, now: str) -> None:
    if not _anything_due(conn, now):
        return
    for settle in _settlers():
        settle(conn, now)


def _anything_due(conn: sqlite3.Connection, now: str) -> bool:
    """One indexed query over the settlers' tables (route_index.SETTLERS), so that a
    request with nothing due neither imports the settling features nor asks each
    table in turn (issue 18). A table missing (a database of one part) or a stale
    list: run every settler, as before."""
    from ameli_sandbox.route_index import SETTLERS

    if not SETTLERS:
        return True
    query = " UNION ALL ".join(
        f"SELECT 1 FROM (SELECT 1 FROM {table} WHERE settled_at IS NULL AND due_at <= ? LIMIT 1)"
        for _, table in SETTLERS
    )
    try:
        return conn.execute(query, (now,) * len(SETTLERS)).fetchone() is not None
    except sqlite3.OperationalError:
        return True


def settle_rows(
    conn: sqlite3.Connection,
    table: str,
    now: str,
    apply: Callable[[sqlite3.Row], str],
) -> None:
    """Apply every row of `table` whose `due_at` has come and `settled_at` is unset;
    `apply` does the effect and returns the new status. One transaction; a row is
    claimed by its UPDATE, so two workers never apply it twice."""
    query = f"SELECT * FROM {table} WHERE settled_at IS NULL AND due_at <= ? ORDER BY due_at, id"
    try:
        due = conn.execute(query, (now,)).fetchall()
    except sqlite3.OperationalError:  # a database without this feature (tests of one part)
        return
    if not due:
        return
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN IMMEDIATE")
    try:
        for row in due:
            claimed = conn.execute(
                f"UPDATE {table} SET settled_at = ? WHERE id = ? AND settled_at IS NULL",
                (now, row["id"]),
            ).rowcount
            if claimed:
                status = apply(row)
                conn.execute(f"UPDATE {table} SET status = ? WHERE id = ?", (status, row["id"]))
        if own_transaction:
            conn.execute("COMMIT")
    except BaseException:
        if own_transaction:
            conn.execute("ROLLBACK")
        raise
