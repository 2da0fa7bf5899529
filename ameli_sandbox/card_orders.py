"""What the carte Vitale and the CEAM share on the service side: a beneficiary of the
account named by its rank (01 when none is given), anniversaries, an order's status
read from its creation time and the service clock (each card has its own invented
steps), and the offset pages of an account's orders. Both features once carried their
own copy of these; one copy keeps their answers alike (the démarches share theirs in
demarches.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from ameli_sandbox import clock
from ameli_sandbox.http import Request, Response
from ameli_sandbox.params import query_int, query_offset_cursor
from ameli_sandbox.problems import Problem
from ameli_sandbox.web import authenticate, db, json_response, subject_account

OrderView = Callable[[sqlite3.Row, str, datetime], dict[str, Any]]


def parse_time(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 1 March for a 29 February that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def order_status(steps: Sequence[tuple[str, timedelta]], created_at: str, moment: datetime) -> str:
    """The last of `steps` (name, delay after the order) reached at `moment`."""
    elapsed = moment - parse_time(created_at)
    status = steps[0][0]
    for name, after in steps:
        if elapsed >= after:
            status = name
    return status


def list_beneficiaries(conn: sqlite3.Connection, account_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM beneficiaries WHERE account_id = ? ORDER BY rank", (account_id,)
    ).fetchall()


def find_beneficiary(conn: sqlite3.Connection, account_id: int, rank: object) -> sqlite3.Row:
    text = str(rank or "01").strip()
    if text.isdigit() and len(text) <= 2:
        text = text.zfill(2)
    rows = list_beneficiaries(conn, account_id)
    for row in rows:
        if row["rank"] == text:
            return row
    raise Problem(
        404,
        "unknown_beneficiary",
        "Unknown beneficiary",
        f"No beneficiary of rank {text} on this account.",
        ranks=[r["rank"] for r in rows],
    )


def page_params(request: Request) -> tuple[int, int]:
    """`limit` (1 to 200, default 50) and the opaque `cursor` of a previous page."""
    limit = query_int(request, "limit", default=50, low=1, high=200)
    return limit, query_offset_cursor(request)


def page(rows: list[Any], limit: int, offset: int) -> tuple[list[Any], str | None]:
    """Rows fetched with LIMIT limit + 1: the page and the next cursor, if any."""
    return rows[:limit], (str(offset + limit) if len(rows) > limit else None)


def orders_page(request: Request, *, action: str, select: str, view: OrderView) -> Response:
    """One page of the account's orders, newest first: `select` takes (account id,
    limit + 1, offset) and gives each order with its beneficiary's `rank`; `view`
    makes its JSON at the service's now."""
    principal = authenticate(request)
    account = subject_account(request, principal, action=action)
    limit, offset = page_params(request)
    conn = db(request)
    moment = clock.now(conn)
    rows, next_cursor = page(
        conn.execute(select, (account["id"], limit + 1, offset)).fetchall(), limit, offset
    )
    return json_response(
        {"items": [view(r, r["rank"], moment) for r in rows], "next_cursor": next_cursor}
    )
