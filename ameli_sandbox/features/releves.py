"""Relevés mensuels (`/v1/releves`, `/v1/releves/{releve_id}`): one statement a month.

The compte keeps 27 closed months of them (DOMAIN.md: partenaires-cpam94.fr, the
retention setting `portailAs.relevesMensuels.rsij.retention`); the current month is
not available until it closes, and the statement service answers 400 for it.

A relevé is data signed like an attestation (same envelope, same key, `type` =
`releve`): the client draws the page and `attestation verify` checks it. It lists
every transfer paid in the month, to the assuré and to professionals (tiers payant),
with their lines and the deductions recovered. `valid_until` is the last day the
compte keeps it (*invented* meaning: a relevé does not expire otherwise).
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock
from ameli_sandbox.attestation_documents import _common
from ameli_sandbox.features.attestations import sign
from ameli_sandbox.features.transfers import transfers_between
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem
from ameli_sandbox.routing import Route
from ameli_sandbox.web import authenticate, db, json_response, subject_account

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "releves"
MIGRATIONS: list[str] = []
RETENTION_MONTHS = 27


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """Nothing to store: a relevé is built from the transfers when asked for."""


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _bounds(year: int, month: int) -> tuple[date, date]:
    next_year, next_month = _shift(year, month, 1)
    return date(year, month, 1), date(next_year, next_month, 1) - timedelta(days=1)


def kept_months(today: date) -> list[str]:
    """The closed months the compte keeps, newest first."""
    months = (_shift(today.year, today.month, -back) for back in range(1, RETENTION_MONTHS + 1))
    return [f"{year:04d}-{month:02d}" for year, month in months]


def releve_id(nir: str, month: str) -> str:
    """Opaque and per account: another assuré's id names nothing of yours."""
    return "rel_" + hashlib.sha256(f"{nir}/releve/{month}".encode()).hexdigest()[:12]


def _totals(transfers: list[dict[str, Any]]) -> dict[str, int]:
    to_assure = [t for t in transfers if t["payee"]["kind"] == "assure"]
    return {
        "transfer_count": len(transfers),
        "paid_to_assure": sum(t["amount"] for t in to_assure),
        "paid_to_professionals": sum(t["amount"] for t in transfers if t not in to_assure),
        "deductions_recovered": -sum(
            line["amount"] for t in to_assure for line in t["lines"] if line["recovers"]
        ),
    }


async def list_releves(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="releves.list")
    conn = db(request)
    today = clock.today(conn)
    items = []
    for month in kept_months(today):
        first, last = _bounds(int(month[:4]), int(month[5:]))
        transfers = transfers_between(conn, account["id"], first.isoformat(), last.isoformat())
        items.append({"id": releve_id(account["nir"], month), "month": month, **_totals(transfers)})
    year, month_number = _shift(today.year, today.month, 1)
    current = f"{today.year:04d}-{today.month:02d}"
    return json_response(
        {
            "items": items,
            "current_month": {
                "id": releve_id(account["nir"], current),
                "month": current,
                "available_from": date(year, month_number, 1).isoformat(),
            },
        }
    )


async def get_releve(request: Request) -> Response:
    principal = authenticate(request)
    conn = db(request)
    account = subject_account(request, principal, action="releves.show")
    today = clock.today(conn)
    wanted = request.path_params["releve_id"]
    current = f"{today.year:04d}-{today.month:02d}"
    if wanted == releve_id(account["nir"], current):
        raise Problem(
            400,
            "releve_not_available",
            "Statement not available yet",
            "A month's statement is available once the month has closed.",
            month=current,
            available_from=date(*_shift(today.year, today.month, 1), 1).isoformat(),
        )
    kept = {releve_id(account["nir"], month): month for month in kept_months(today)}
    if wanted not in kept:
        raise Problem(
            404,
            "releve_not_found",
            "No such statement",
            f"No statement with this id: the compte keeps the last {RETENTION_MONTHS} closed"
            " months (ids in GET /v1/releves).",
        )
    month = kept[wanted]
    year, month_number = int(month[:4]), int(month[5:])
    first, last = _bounds(year, month_number)
    kept_until = _bounds(*_shift(year, month_number, RETENTION_MONTHS))[1]
    document = _common(conn, account, "releve", kept_until)
    transfers = transfers_between(conn, account["id"], first.isoformat(), last.isoformat())
    document["month"] = month
    document["period"] = {"start": first.isoformat(), "end": last.isoformat()}
    document["transfers"] = transfers
    document["totals"] = _totals(transfers)
    signature = sign(conn, request.app.state.db_path, document)
    return json_response({"attestation": document, "signature": signature})


def routes() -> list[Route]:
    return [
        Route("/v1/releves", list_releves, methods=["GET"]),
        Route("/v1/releves/{releve_id}", get_releve, methods=["GET"]),
    ]
