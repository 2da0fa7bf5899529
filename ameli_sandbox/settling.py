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
from typing import Any

from ameli_sandbox import store


@cache
def _settlers() -> tuple[Callable[[sqlite3.Connection, str], None], ...]:
    from ameli_sandbox.app import feature_modules  # app imports the features, which import web

    modules: list[ModuleType] = feature_modules()
    return tuple(m.settle for m in modules if hasattr(m, "settle"))


def settle_due(conn: sqlite3.Connection, now: str, memo: dict[Any, Any] | None = None) -> None:
    if not _anything_due(conn, now, memo):
        return
    for settle in _settlers():
        settle(conn, now)


_NEXT_DUE = "settling.next_due"  # the earliest due_at not settled yet, in store.memo


def _anything_due(conn: sqlite3.Connection, now: str, memo: dict[Any, Any] | None) -> bool:
    """The earliest due moment over the settlers' tables (route_index.SETTLERS), in
    one indexed query, kept in the connection's memo while the database is unchanged
    (store.memo): a request with nothing due neither imports the settling features
    nor asks each table in turn (issue 18). A table missing (a database of one part)
    or a stale list: run every settler, as before."""
    from ameli_sandbox.route_index import SETTLERS

    if not SETTLERS:
        return True
    entries = store.memo(conn) if memo is None else memo
    if entries is not None and _NEXT_DUE in entries:
        next_due = entries[_NEXT_DUE]
    else:
        query = " UNION ALL ".join(
            f"SELECT MIN(due_at) AS due FROM {table} WHERE settled_at IS NULL"
            for _, table in SETTLERS
        )
        try:
            next_due = conn.execute(f"SELECT MIN(due) FROM ({query})").fetchone()[0]
        except sqlite3.OperationalError:
            return True
        if entries is not None:
            entries[_NEXT_DUE] = next_due
    return next_due is not None and str(next_due) <= now


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
