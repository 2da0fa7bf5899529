"""SQLite storage: one file, WAL, a busy timeout, and a versioned schema per component.

Each feature module owns its tables and lists its migrations in order; the
version applied for each component is kept in `schema_versions`, so features grow
their schema independently and an old file is upgraded in place.
"""

from __future__ import annotations

import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

BUSY_TIMEOUT_MS = 5000
MEMO_LIMIT = 4096  # entries; a memo past it starts afresh (random tokens cannot grow it)


class Component(Protocol):
    COMPONENT: str
    MIGRATIONS: Sequence[str]


class Connection(sqlite3.Connection):
    """sqlite3's connection, with a memo of what every request reads (see `memo`)."""

    memo_entries: dict[Any, Any]
    memo_version: tuple[int, int] = (-1, -1)
    memo_checked: bool = False  # data_version read since the current request began


def connect(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(
        str(path), check_same_thread=False, isolation_level=None, factory=Connection
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    # Once per connection: registering a function expires every prepared statement of
    # the connection, so doing it per request (as payments did) re-compiled each query
    # on its next run: ~100 µs on the payments list alone (issue 18).
    conn.create_function("contains_text", 2, contains_text, deterministic=True)
    return conn


def memo(conn: sqlite3.Connection) -> dict[Any, Any] | None:
    """Answers read from the database on this connection (the clock's settings, a
    token's row, the next settling due), kept while the database is unchanged: `PRAGMA
    data_version` moves when another connection (another worker) commits, and
    `total_changes` when this one writes. One pragma (~3 µs) instead of three or four
    queries on each request (issue 18). Only answers that do not depend on the time go
    in: the time is compared with them afterwards. None inside a transaction (read
    the database then) or on a connection `connect` did not make.

    The pragma is read once a request (`new_request`; a request asks the memo 2-3
    times): the others' commits are seen as of the request's first question, this
    connection's own writes at once (`total_changes`, an attribute)."""
    if not isinstance(conn, Connection) or conn.in_transaction:
        return None
    changes = conn.total_changes
    if conn.memo_checked and changes == conn.memo_version[1]:
        return conn.memo_entries
    version = (conn.execute("PRAGMA data_version").fetchone()[0], changes)
    if version != conn.memo_version or len(conn.memo_entries) > MEMO_LIMIT:
        conn.memo_entries = {}
        conn.memo_version = version
    conn.memo_checked = True
    return conn.memo_entries


def new_request(conn: object) -> None:
    """A request begins on this connection: the memo reads `PRAGMA data_version`
    again on its next use (what another worker committed since is seen)."""
    if isinstance(conn, Connection):
        conn.memo_checked = False


# Ids people may type (messages, démarches): 32 characters, no 0/O nor 1/I. A byte's
# low five bits pick one, so every character is equally likely.
ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_ID_TABLE = bytes(ord(ID_ALPHABET[b % 32]) for b in range(256))


def new_id(prefix: str = "", length: int = 6) -> str:
    """A random id from the system's CSPRNG, read once for the whole id
    (`secrets.choice` per character read it once a character: six `getrandom`
    calls, ~0.1 ms of a message's write, issue 18)."""
    return prefix + secrets.token_bytes(length).translate(_ID_TABLE).decode("ascii")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: `pediatre` finds `PÉDIATRE`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def contains_text(haystack: str | None, needle: str) -> int:
    """SQL `contains_text(column, ?)`: 1 when `needle` is in `haystack`, folded."""
    return int(haystack is not None and fold(needle) in fold(haystack))


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def set_user_version(conn: sqlite3.Connection, value: int) -> None:
    conn.execute(f"PRAGMA user_version = {int(value)}")


def migrate(conn: sqlite3.Connection, components: Iterable[Component]) -> bool:
    """Apply what is missing; True when anything was applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_versions"
        " (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )
    applied = {
        row["component"]: row["version"]
        for row in conn.execute("SELECT component, version FROM schema_versions")
    }
    changed = False
    for component in components:
        done = applied.get(component.COMPONENT, 0)
        pending = list(component.MIGRATIONS)[done:]
        if not pending:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for script in pending:
                for statement in _statements(script):
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_versions (component, version) VALUES (?, ?)"
                " ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (component.COMPONENT, len(component.MIGRATIONS)),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        changed = True
    return changed


def _statements(script: str) -> list[str]:
    # executescript() would commit our transaction; split on ';' instead (our DDL
    # never holds a ';' inside a literal).
    return [part.strip() for part in script.split(";") if part.strip()]
