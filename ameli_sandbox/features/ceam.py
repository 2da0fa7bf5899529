"""CEAM (carte européenne d'assurance maladie): cards valid 2 years, orders, and the
provisional replacement certificate (valid 3 months) for a departure too soon.

As for the carte Vitale, an order's status is computed from the service clock when
read: `received` → `in_production` (after 1 day) → `shipped` (after 4) →
`delivered` (after 10). The steps are invented; "about 10 days" is ameli's figure.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock, signing
from ameli_sandbox.card_orders import (
    add_years,
    find_beneficiary,
    list_beneficiaries,
    order_status,
    orders_page,
    parse_time,
)
from ameli_sandbox.demarches import age_on
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.web import (
    authenticate,
    db,
    idempotent,
    json_object,
    json_response,
    subject_account,
)

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "ceam"
MIGRATIONS = [
    """
    CREATE TABLE ceam_cards (
        id INTEGER PRIMARY KEY,
        beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id) ON DELETE CASCADE,
        number TEXT NOT NULL UNIQUE,
        issued_on TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        available_at TEXT NOT NULL
    );
    CREATE TABLE ceam_orders (
        id TEXT PRIMARY KEY,
        beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id) ON DELETE CASCADE,
        ordered_by INTEGER NOT NULL REFERENCES accounts(id),
        created_at TEXT NOT NULL,
        departure TEXT,
        card_id INTEGER NOT NULL REFERENCES ceam_cards(id)
    );
    CREATE INDEX ceam_orders_beneficiary ON ceam_orders (beneficiary_id, created_at);
    CREATE TABLE ceam_certificates (
        id TEXT PRIMARY KEY,
        beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id) ON DELETE CASCADE,
        order_id TEXT REFERENCES ceam_orders(id),
        issued_at TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL
    )
    """,
]

ORDER_STEPS = (
    ("received", timedelta(0)),
    ("in_production", timedelta(days=1)),
    ("shipped", timedelta(days=4)),
    ("delivered", timedelta(days=10)),
)
DELIVERY_DELAY = ORDER_STEPS[-1][1]
VALIDITY_YEARS = 2
NOTICE_DAYS = 15  # ask at least 15 days before leaving, or get a provisional certificate
CERTIFICATE_MONTHS = 3


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _number(beneficiary_id: int) -> str:
    # The "numéro d'identification de la carte" is 20 digits; these are invented.
    return f"8025{beneficiary_id:04d}{secrets.randbelow(10**12):012d}"


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """Marie DUPONT's CEAM is valid; Jean-Baptiste SANTONI's has expired."""
    for key, rank, issued in (
        ("famille", "01", today - timedelta(days=300)),
        ("ald", "01", add_years(today, -3)),
    ):
        person = next((p for p in people if p.key == key), None)
        if person is None:
            continue
        row = conn.execute(
            "SELECT b.id FROM beneficiaries b JOIN accounts a ON a.id = b.account_id"
            " WHERE a.nir = ? AND b.rank = ?",
            (person.nir, rank),
        ).fetchone()
        if row is None:
            continue
        conn.execute(
            "INSERT INTO ceam_cards (beneficiary_id, number, issued_on, valid_until,"
            " available_at) VALUES (?, ?, ?, ?, ?)",
            (
                row["id"],
                _number(row["id"]),
                issued.isoformat(),
                add_years(issued, VALIDITY_YEARS).isoformat(),
                issued.isoformat() + "T08:00:00Z",
            ),
        )


def order_view(row: sqlite3.Row, rank: str, moment: datetime) -> dict[str, Any]:
    created = parse_time(row["created_at"])
    status = order_status(ORDER_STEPS, row["created_at"], moment)
    return {
        "id": row["id"],
        "beneficiary_rank": rank,
        "status": status,
        "created_at": row["created_at"],
        "expected_delivery": (created + DELIVERY_DELAY).date().isoformat(),
        "departure": row["departure"],
        "card_number": row["number"] if status == "delivered" else None,
    }


def card_view(row: sqlite3.Row | None, today: date) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "number": row["number"],
        "issued_on": row["issued_on"],
        "valid_until": row["valid_until"],
        "state": "valid" if row["valid_until"] >= today.isoformat() else "expired",
    }


def certificate_view(
    conn: sqlite3.Connection, row: sqlite3.Row | None, b: sqlite3.Row, db_path: str
) -> dict[str, Any] | None:
    """Everything the provisional certificate prints, signed like an attestation (the
    signature covers every other field): the client renders it offline, and
    `attestation verify` checks the PDF."""
    if row is None:
        return None
    account = conn.execute(
        "SELECT a.nir, c.code, c.name FROM accounts a JOIN caisses c ON c.code = a.caisse_code"
        " WHERE a.id = ?",
        (b["account_id"],),
    ).fetchone()
    certificate = {
        "id": row["id"],
        "kind": "ceam_provisional_certificate",
        "beneficiary": {
            "rank": b["rank"],
            "last_name": b["last_name"],
            "first_names": b["first_names"],
            "birth_date": b["birth_date"],
        },
        "nir": account["nir"],
        "institution": {"code": account["code"], "name": account["name"], "country": "FR"},
        "issued_at": row["issued_at"],
        "valid_from": row["valid_from"],
        "valid_until": row["valid_until"],
        "order_id": row["order_id"],
    }
    return {**certificate, "signature": signing.sign(conn, db_path, certificate)}


def _current_card(conn: sqlite3.Connection, beneficiary_id: int, now_iso: str) -> Any:
    return conn.execute(
        "SELECT * FROM ceam_cards WHERE beneficiary_id = ? AND available_at <= ?"
        " ORDER BY available_at DESC, id DESC LIMIT 1",
        (beneficiary_id, now_iso),
    ).fetchone()


def _pending_order(conn: sqlite3.Connection, beneficiary_id: int, moment: datetime) -> Any:
    return conn.execute(
        "SELECT o.*, c.number FROM ceam_orders o JOIN ceam_cards c ON c.id = o.card_id"
        " WHERE o.beneficiary_id = ? AND o.created_at > ? ORDER BY o.created_at DESC LIMIT 1",
        (beneficiary_id, clock.iso(moment - DELIVERY_DELAY)),
    ).fetchone()


def _valid_certificate(conn: sqlite3.Connection, beneficiary_id: int, today: date) -> Any:
    return conn.execute(
        "SELECT * FROM ceam_certificates WHERE beneficiary_id = ? AND valid_until >= ?"
        " ORDER BY issued_at DESC LIMIT 1",
        (beneficiary_id, today.isoformat()),
    ).fetchone()


def beneficiary_view(
    conn: sqlite3.Connection, b: sqlite3.Row, moment: datetime, db_path: str
) -> dict[str, Any]:
    today = moment.date()
    pending = _pending_order(conn, b["id"], moment)
    return {
        "rank": b["rank"],
        "first_names": b["first_names"],
        "last_name": b["last_name"],
        "age": age_on(b["birth_date"], today),
        "card": card_view(_current_card(conn, b["id"], clock.iso(moment)), today),
        "pending_order": order_view(pending, b["rank"], moment) if pending else None,
        "certificate": certificate_view(conn, _valid_certificate(conn, b["id"], today), b, db_path),
    }


async def status(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="ceam.read")
    conn = db(request)
    moment = clock.now(conn)
    return json_response(
        {
            "now": clock.iso(moment),
            "beneficiaries": [
                beneficiary_view(conn, b, moment, request.app.state.db_path)
                for b in list_beneficiaries(conn, account["id"])
            ],
        }
    )


async def list_orders(request: Request) -> Response:
    return orders_page(
        request,
        action="ceam.read",
        select=(
            "SELECT o.*, c.number, b.rank FROM ceam_orders o"
            " JOIN ceam_cards c ON c.id = o.card_id"
            " JOIN beneficiaries b ON b.id = o.beneficiary_id WHERE b.account_id = ?"
            " ORDER BY o.created_at DESC, o.id LIMIT ? OFFSET ?"
        ),
        view=order_view,
    )


@idempotent
async def create_order(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="ceam.order")
    body = await json_object(request)
    conn = db(request)
    beneficiary = find_beneficiary(conn, account["id"], body.get("beneficiary_rank"))
    departure_text = body.get("departure")
    departure: date | None = None
    if departure_text is not None:
        try:
            departure = date.fromisoformat(str(departure_text))
        except ValueError:
            raise bad_request("departure must be an ISO date (YYYY-MM-DD).") from None
    conn.execute("BEGIN IMMEDIATE")
    try:
        moment = clock.now(conn)
        today = moment.date()
        if departure is not None and departure < today:
            raise Problem(
                422,
                "departure_in_past",
                "Departure in the past",
                "The departure date is before today.",
                today=today.isoformat(),
            )
        pending = _pending_order(conn, beneficiary["id"], moment)
        status = "already_pending" if pending is not None else "created"
        order_id = pending["id"] if pending is not None else "co_" + secrets.token_hex(8)
        if pending is None:
            delivery = moment + DELIVERY_DELAY
            card = conn.execute(
                "INSERT INTO ceam_cards (beneficiary_id, number, issued_on, valid_until,"
                " available_at) VALUES (?, ?, ?, ?, ?)",
                (
                    beneficiary["id"],
                    _number(beneficiary["id"]),
                    delivery.date().isoformat(),
                    add_years(delivery.date(), VALIDITY_YEARS).isoformat(),
                    clock.iso(delivery),
                ),
            )
            conn.execute(
                "INSERT INTO ceam_orders (id, beneficiary_id, ordered_by, created_at, departure,"
                " card_id) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    order_id,
                    beneficiary["id"],
                    principal.account_id,
                    clock.iso(moment),
                    departure.isoformat() if departure else None,
                    card.lastrowid,
                ),
            )
        certificate = _valid_certificate(conn, beneficiary["id"], today)
        if certificate is None and departure is not None and (departure - today).days < NOTICE_DAYS:
            certificate_id = "cpr_" + secrets.token_hex(8)
            conn.execute(
                "INSERT INTO ceam_certificates (id, beneficiary_id, order_id, issued_at,"
                " valid_from, valid_until) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    certificate_id,
                    beneficiary["id"],
                    order_id,
                    clock.iso(moment),
                    today.isoformat(),
                    _add_months(today, CERTIFICATE_MONTHS).isoformat(),
                ),
            )
            certificate = conn.execute(
                "SELECT * FROM ceam_certificates WHERE id = ?", (certificate_id,)
            ).fetchone()
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    row = conn.execute(
        "SELECT o.*, c.number FROM ceam_orders o JOIN ceam_cards c ON c.id = o.card_id"
        " WHERE o.id = ?",
        (order_id,),
    ).fetchone()
    return json_response(
        {
            "status": status,
            "order": order_view(row, beneficiary["rank"], moment),
            "provisional_certificate": certificate_view(
                conn, certificate, beneficiary, request.app.state.db_path
            ),
        },
        status=201 if status == "created" else 200,
    )


def routes() -> list[Route]:
    return [
        Route("/v1/ceam", status, methods=["GET"]),
        Route("/v1/ceam/orders", list_orders, methods=["GET"]),
        Route("/v1/ceam/orders", create_order, methods=["POST"]),
    ]
