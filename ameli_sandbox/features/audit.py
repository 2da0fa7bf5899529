"""The access trail (`/v1/audit`): which agent reached whose data, when, for what.

Rows are written by `web.subject_account` each time an agent names an assuré with
`?nir=` (the `audit` table belongs to the accounts component). An assuré reads its
own trail; an agent reads an assuré's trail by naming the NIR (itself audited).
Newest first, cursor-paginated.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from ameli_sandbox.http import Request, Response
from ameli_sandbox.params import query_int, query_offset_cursor
from ameli_sandbox.routing import Route
from ameli_sandbox.web import authenticate, db, json_response, subject_account

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "audit"
MIGRATIONS: list[str] = []
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """Nothing to seed: the trail starts empty."""


def _limit(request: Request) -> int:
    return query_int(request, "limit", default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT)


def _cursor(request: Request) -> int | None:
    before = query_offset_cursor(request, high=2**62)
    return before or None


async def list_audit(request: Request) -> Response:
    principal = authenticate(request)
    limit = _limit(request)
    before = _cursor(request)
    conn = db(request)
    account = subject_account(request, principal, action="audit.read")
    query = (
        "SELECT au.id, au.at, au.action, a.nir, a.role, a.last_name, a.first_names,"
        " c.code AS caisse_code, c.name AS caisse_name"
        " FROM audit au JOIN accounts a ON a.id = au.actor_account_id"
        " JOIN caisses c ON c.code = a.caisse_code"
        " WHERE au.subject_account_id = ?"
    )
    params: list[Any] = [account["id"]]
    if before is not None:
        query += " AND au.id < ?"
        params.append(before)
    query += " ORDER BY au.id DESC LIMIT ?"
    params.append(limit + 1)
    rows = conn.execute(query, params).fetchall()
    page = rows[:limit]
    items = [
        {
            "id": str(r["id"]),
            "at": r["at"],
            "action": r["action"],
            "subject_nir": account["nir"],
            "actor": {
                "role": r["role"],
                "last_name": r["last_name"],
                "first_names": r["first_names"],
                "caisse": {"code": r["caisse_code"], "name": r["caisse_name"]},
            },
        }
        for r in page
    ]
    next_cursor = str(page[-1]["id"]) if len(rows) > limit else None
    return json_response({"items": items, "next_cursor": next_cursor})


def routes() -> list[Route]:
    return [Route("/v1/audit", list_audit, methods=["GET"])]
