"""Carte Vitale: one card per beneficiary, orders (photo + ID document), declarations.

An order's status is computed from its creation time and the service clock when it
is read (no background job): `received` → `in_production` (after 2 days) →
`shipped` (after 9) → `delivered` (after 16). These statuses and delays are
invented (ameli publishes only "2 to 3 weeks"). The card an order produces is
written when the order is taken, with the moment it becomes available; the
current card of a beneficiary is the latest one available at the service's now.
Only a fingerprint of the photo and ID document is kept, never the files.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ameli_rules import filetypes
from ameli_sandbox import clock
from ameli_sandbox.params import query_int, query_offset_cursor
from ameli_sandbox.problems import Problem, bad_request
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

COMPONENT = "vitale"
MIGRATIONS = [
    """
    CREATE TABLE vitale_cards (
        id INTEGER PRIMARY KEY,
        beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id) ON DELETE CASCADE,
        serial TEXT NOT NULL UNIQUE,
        issued_on TEXT NOT NULL,
        with_photo INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'blocked_lost', 'blocked_stolen',
                                             'defective')),
        state_changed_at TEXT,
        available_at TEXT NOT NULL
    );
    CREATE INDEX vitale_cards_beneficiary ON vitale_cards (beneficiary_id, available_at);
    CREATE TABLE vitale_orders (
        id TEXT PRIMARY KEY,
        beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id) ON DELETE CASCADE,
        ordered_by INTEGER NOT NULL REFERENCES accounts(id),
        kind TEXT NOT NULL CHECK (kind IN ('first', 'replacement')),
        created_at TEXT NOT NULL,
        card_id INTEGER NOT NULL REFERENCES vitale_cards(id),
        photo_media_type TEXT NOT NULL, photo_width INTEGER NOT NULL,
        photo_height INTEGER NOT NULL, photo_bytes INTEGER NOT NULL, photo_sha256 TEXT NOT NULL,
        id_document_media_type TEXT NOT NULL, id_document_bytes INTEGER NOT NULL,
        id_document_sha256 TEXT NOT NULL
    );
    CREATE INDEX vitale_orders_beneficiary ON vitale_orders (beneficiary_id, created_at);
    CREATE TABLE vitale_declarations (
        id TEXT PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES vitale_cards(id) ON DELETE CASCADE,
        declared_by INTEGER NOT NULL REFERENCES accounts(id),
        reason TEXT NOT NULL CHECK (reason IN ('lost', 'stolen', 'defective')),
        declared_at TEXT NOT NULL
    )
    """,
]

# Invented lifecycle (see the module docstring).
ORDER_STEPS = (
    ("received", timedelta(0)),
    ("in_production", timedelta(days=2)),
    ("shipped", timedelta(days=9)),
    ("delivered", timedelta(days=16)),
)
DELIVERY_DELAY = ORDER_STEPS[-1][1]
MINIMUM_AGE = 12  # a parent may order for a child from 12
AUTOMATIC_AGE = 16  # the caisse sends a child its own card at 16
REASON_STATES = {"lost": "blocked_lost", "stolen": "blocked_stolen", "defective": "defective"}
MAX_UPLOAD = filetypes.ID_DOCUMENT_MAX_BYTES + filetypes.PHOTO_MAX_BYTES + 64 * 1024


# -- seed ------------------------------------------------------------------------------


def _serial(seed: str) -> str:
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16) % 10**10).zfill(10)


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """One card per beneficiary, in states worth showing (see the README)."""
    moment = clock.now(conn)

    def card(p: Person, rank: str, issued: date, photo: bool, state: str = "active") -> None:
        row = conn.execute(
            "SELECT b.id FROM beneficiaries b JOIN accounts a ON a.id = b.account_id"
            " WHERE a.nir = ? AND b.rank = ?",
            (p.nir, rank),
        ).fetchone()
        if row is None:
            return
        changed = clock.iso(moment - timedelta(days=40)) if state != "active" else None
        conn.execute(
            "INSERT INTO vitale_cards (beneficiary_id, serial, issued_on, with_photo, state,"
            " state_changed_at, available_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row["id"],
                _serial(f"{p.nir}/{rank}/{issued}"),
                issued.isoformat(),
                int(photo),
                state,
                changed,
                issued.isoformat() + "T08:00:00Z",
            ),
        )

    def years_ago(n: int, month: int = 3, day: int = 12) -> date:
        return date(today.year - n, month, day)

    for p in people:
        if p.role != "assure":
            continue
        if p.key == "famille":
            card(p, "01", years_ago(6), True)
            # Rank 02 turned 16: the caisse sent her a card on its own.
            born = date.fromisoformat(p.dependants[0].birth_date)
            sixteen = date(born.year + AUTOMATIC_AGE, born.month, 1) + timedelta(days=40)
            card(p, "02", min(sixteen, today - timedelta(days=30)), True)
            # Ranks 03 (13) and 04 (10): no card yet.
        elif p.key == "ald":
            card(p, "01", date(2006, 3, 15), False)  # a first-generation card, no photo
        elif p.key == "alsace":
            card(p, "01", years_ago(4), True)
            card(p, "02", years_ago(5, 9, 3), True, "blocked_stolen")
        else:
            card(p, "01", years_ago(3), True)


# -- reading ---------------------------------------------------------------------------


def order_status(created_at: str, moment: datetime) -> str:
    elapsed = moment - _parse(created_at)
    status = ORDER_STEPS[0][0]
    for name, after in ORDER_STEPS:
        if elapsed >= after:
            status = name
    return status


def _parse(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def order_view(row: sqlite3.Row, rank: str, moment: datetime) -> dict[str, Any]:
    created = _parse(row["created_at"])
    status = order_status(row["created_at"], moment)
    return {
        "id": row["id"],
        "beneficiary_rank": rank,
        "kind": row["kind"],
        "status": status,
        "created_at": row["created_at"],
        "expected_delivery": (created + DELIVERY_DELAY).date().isoformat(),
        "timeline": [
            {"status": name, "at": clock.iso(created + after)}
            for name, after in ORDER_STEPS
            if created + after <= moment
        ],
        "card_serial": row["serial"] if status == "delivered" else None,
        "photo": {
            "media_type": row["photo_media_type"],
            "width": row["photo_width"],
            "height": row["photo_height"],
            "bytes": row["photo_bytes"],
            "sha256": row["photo_sha256"],
        },
        "id_document": {
            "media_type": row["id_document_media_type"],
            "bytes": row["id_document_bytes"],
            "sha256": row["id_document_sha256"],
        },
    }


def _current_card(conn: sqlite3.Connection, beneficiary_id: int, now_iso: str) -> Any:
    return conn.execute(
        "SELECT * FROM vitale_cards WHERE beneficiary_id = ? AND available_at <= ?"
        " ORDER BY available_at DESC, id DESC LIMIT 1",
        (beneficiary_id, now_iso),
    ).fetchone()


def _pending_order(conn: sqlite3.Connection, beneficiary_id: int, moment: datetime) -> Any:
    return conn.execute(
        "SELECT o.*, c.serial FROM vitale_orders o JOIN vitale_cards c ON c.id = o.card_id"
        " WHERE o.beneficiary_id = ? AND o.created_at > ? ORDER BY o.created_at DESC LIMIT 1",
        (beneficiary_id, clock.iso(moment - DELIVERY_DELAY)),
    ).fetchone()


def card_view(row: sqlite3.Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "serial": row["serial"],
        "issued_on": row["issued_on"],
        "with_photo": bool(row["with_photo"]),
        "state": row["state"],
        "state_changed_at": row["state_changed_at"],
    }


def age_on(birth_date: str, today: date) -> int:
    born = date.fromisoformat(birth_date)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def beneficiary_view(conn: sqlite3.Connection, b: sqlite3.Row, moment: datetime) -> dict[str, Any]:
    card = _current_card(conn, b["id"], clock.iso(moment))
    pending = _pending_order(conn, b["id"], moment)
    age = age_on(b["birth_date"], moment.date())
    born = date.fromisoformat(b["birth_date"])
    child = b["relationship"] == "enfant"
    return {
        "rank": b["rank"],
        "first_names": b["first_names"],
        "last_name": b["last_name"],
        "birth_date": b["birth_date"],
        "age": age,
        "relationship": b["relationship"],
        "card_state": card["state"] if card else "none",
        "card": card_view(card),
        "pending_order": order_view(pending, b["rank"], moment) if pending else None,
        "orderable_from": _birthday(born, MINIMUM_AGE).isoformat() if child else None,
        "automatic_card_from": _birthday(born, AUTOMATIC_AGE).isoformat() if child else None,
    }


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return date(born.year + years, 3, 1)


def _beneficiaries(conn: sqlite3.Connection, account_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM beneficiaries WHERE account_id = ? ORDER BY rank", (account_id,)
    ).fetchall()


def _beneficiary(conn: sqlite3.Connection, account_id: int, rank: object) -> sqlite3.Row:
    text = str(rank or "01").strip()
    if text.isdigit() and len(text) <= 2:
        text = text.zfill(2)
    rows = _beneficiaries(conn, account_id)
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


async def status(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="vitale.read")
    conn = db(request)
    moment = clock.now(conn)
    return json_response(
        {
            "now": clock.iso(moment),
            "beneficiaries": [
                beneficiary_view(conn, b, moment) for b in _beneficiaries(conn, account["id"])
            ],
        }
    )


def page_params(request: Request) -> tuple[int, int]:
    """`limit` (1 to 200, default 50) and the opaque `cursor` of a previous page."""
    limit = query_int(request, "limit", default=50, low=1, high=200)
    return limit, query_offset_cursor(request)


def page(rows: list[Any], limit: int, offset: int) -> tuple[list[Any], str | None]:
    """Rows fetched with LIMIT limit + 1: the page and the next cursor, if any."""
    return rows[:limit], (str(offset + limit) if len(rows) > limit else None)


async def list_orders(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="vitale.read")
    limit, offset = page_params(request)
    conn = db(request)
    moment = clock.now(conn)
    rows, next_cursor = page(
        conn.execute(
            "SELECT o.*, c.serial, b.rank FROM vitale_orders o"
            " JOIN vitale_cards c ON c.id = o.card_id"
            " JOIN beneficiaries b ON b.id = o.beneficiary_id"
            " WHERE b.account_id = ? ORDER BY o.created_at DESC, o.id LIMIT ? OFFSET ?",
            (account["id"], limit + 1, offset),
        ).fetchall(),
        limit,
        offset,
    )
    return json_response(
        {"items": [order_view(r, r["rank"], moment) for r in rows], "next_cursor": next_cursor}
    )


# -- ordering --------------------------------------------------------------------------


async def _upload(form: Any, name: str) -> bytes:
    part = form.get(name)
    if not isinstance(part, UploadFile):
        raise bad_request(f"The multipart body needs a file part named {name!r}.")
    data = await part.read()
    return bytes(data)


def _check_photo(data: bytes) -> filetypes.Sniffed:
    kind = filetypes.sniff(data)
    if kind.media_type not in filetypes.PHOTO_TYPES:
        raise Problem(
            415,
            "unsupported_photo_type",
            "Unsupported photo type",
            "The photo must be a JPEG or PNG image.",
            accepted=list(filetypes.PHOTO_TYPES),
        )
    if len(data) > filetypes.PHOTO_MAX_BYTES:
        raise Problem(
            413,
            "photo_too_large",
            "Photo too large",
            f"The photo is larger than {filetypes.PHOTO_MAX_BYTES} bytes.",
            max_bytes=filetypes.PHOTO_MAX_BYTES,
        )
    if (
        kind.width is None
        or kind.height is None
        or kind.width < filetypes.PHOTO_MIN_WIDTH
        or kind.height < filetypes.PHOTO_MIN_HEIGHT
    ):
        raise Problem(
            422,
            "photo_too_small",
            "Photo too small",
            f"The photo must be at least {filetypes.PHOTO_MIN_WIDTH}x"
            f"{filetypes.PHOTO_MIN_HEIGHT} pixels.",
            min_width=filetypes.PHOTO_MIN_WIDTH,
            min_height=filetypes.PHOTO_MIN_HEIGHT,
        )
    return kind


def _check_id_document(data: bytes) -> filetypes.Sniffed:
    kind = filetypes.sniff(data)
    if kind.media_type not in filetypes.ID_DOCUMENT_TYPES:
        raise Problem(
            415,
            "unsupported_id_document_type",
            "Unsupported ID document type",
            "The ID document must be a JPEG, PNG or PDF file.",
            accepted=list(filetypes.ID_DOCUMENT_TYPES),
        )
    if len(data) > filetypes.ID_DOCUMENT_MAX_BYTES:
        raise Problem(
            413,
            "id_document_too_large",
            "ID document too large",
            f"The ID document is larger than {filetypes.ID_DOCUMENT_MAX_BYTES} bytes.",
            max_bytes=filetypes.ID_DOCUMENT_MAX_BYTES,
        )
    return kind


def check_order_rules(
    conn: sqlite3.Connection, b: sqlite3.Row, moment: datetime
) -> dict[str, Any] | None:
    """The rules before a card may be ordered; a pending order is returned as is."""
    pending = _pending_order(conn, b["id"], moment)
    if pending is not None:
        return order_view(pending, b["rank"], moment)
    born = date.fromisoformat(b["birth_date"])
    if b["relationship"] == "enfant" and age_on(b["birth_date"], moment.date()) < MINIMUM_AGE:
        raise Problem(
            422,
            "beneficiary_too_young",
            "Beneficiary too young",
            f"A carte Vitale can be ordered for a child from age {MINIMUM_AGE}.",
            minimum_age=MINIMUM_AGE,
            orderable_from=_birthday(born, MINIMUM_AGE).isoformat(),
        )
    card = _current_card(conn, b["id"], clock.iso(moment))
    if card is not None and card["state"] == "active":
        raise Problem(
            409,
            "active_card_exists",
            "Active card exists",
            "This beneficiary has an active card: declare it lost, stolen or defective first.",
            card_serial=card["serial"],
        )
    return None


@idempotent
async def create_order(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="vitale.order")
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_UPLOAD:
        raise Problem(
            413, "payload_too_large", "Payload too large", "The request body is too large."
        )
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Problem(
            415,
            "multipart_required",
            "Multipart required",
            "Send the order as multipart/form-data with the photo and the ID document.",
        )
    async with request.form(max_files=2, max_fields=10) as form:
        rank = form.get("beneficiary_rank")
        photo = await _upload(form, "photo")
        document = await _upload(form, "id_document")
    conn = db(request)
    beneficiary = _beneficiary(conn, account["id"], rank)
    photo_kind = _check_photo(photo)
    document_kind = _check_id_document(document)
    conn.execute("BEGIN IMMEDIATE")
    try:
        moment = clock.now(conn)
        existing = check_order_rules(conn, beneficiary, moment)
        if existing is not None:
            conn.execute("COMMIT")
            return json_response({"status": "already_pending", "order": existing})
        previous = conn.execute(
            "SELECT 1 FROM vitale_cards WHERE beneficiary_id = ?", (beneficiary["id"],)
        ).fetchone()
        delivery = moment + DELIVERY_DELAY
        card = conn.execute(
            "INSERT INTO vitale_cards (beneficiary_id, serial, issued_on, with_photo, state,"
            " available_at) VALUES (?, ?, ?, 1, 'active', ?)",
            (
                beneficiary["id"],
                str(secrets.randbelow(10**10)).zfill(10),
                delivery.date().isoformat(),
                clock.iso(delivery),
            ),
        )
        order_id = "vo_" + secrets.token_hex(8)
        conn.execute(
            "INSERT INTO vitale_orders (id, beneficiary_id, ordered_by, kind, created_at,"
            " card_id, photo_media_type, photo_width, photo_height, photo_bytes, photo_sha256,"
            " id_document_media_type, id_document_bytes, id_document_sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                order_id,
                beneficiary["id"],
                principal.account_id,
                "replacement" if previous else "first",
                clock.iso(moment),
                card.lastrowid,
                photo_kind.media_type,
                photo_kind.width,
                photo_kind.height,
                len(photo),
                hashlib.sha256(photo).hexdigest(),
                document_kind.media_type,
                len(document),
                hashlib.sha256(document).hexdigest(),
            ),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    row = conn.execute(
        "SELECT o.*, c.serial FROM vitale_orders o JOIN vitale_cards c ON c.id = o.card_id"
        " WHERE o.id = ?",
        (order_id,),
    ).fetchone()
    return json_response(
        {"status": "created", "order": order_view(row, beneficiary["rank"], moment)}, status=201
    )


# -- declaring a card lost, stolen or defective ----------------------------------------


@idempotent
async def declare(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="vitale.declare")
    body = await json_object(request)
    reason = body.get("reason")
    if not isinstance(reason, str) or reason not in REASON_STATES:
        raise bad_request("reason must be one of: lost, stolen, defective.")
    conn = db(request)
    beneficiary = _beneficiary(conn, account["id"], body.get("beneficiary_rank"))
    conn.execute("BEGIN IMMEDIATE")
    try:
        moment = clock.now(conn)
        card = _current_card(conn, beneficiary["id"], clock.iso(moment))
        if card is None:
            raise Problem(
                409, "no_card", "No card", "This beneficiary has no carte Vitale to declare."
            )
        state = REASON_STATES[reason]
        if card["state"] == state:
            declaration = conn.execute(
                "SELECT * FROM vitale_declarations WHERE card_id = ? ORDER BY declared_at DESC"
                " LIMIT 1",
                (card["id"],),
            ).fetchone()
            conn.execute("COMMIT")
            return json_response(
                {
                    "status": "already_declared",
                    "declaration": _declaration_view(declaration, card, beneficiary["rank"]),
                    "card": card_view(card),
                }
            )
        if card["state"] != "active":
            raise Problem(
                409,
                "card_not_active",
                "Card not active",
                f"This card is already {card['state']}.",
                card_state=card["state"],
            )
        declaration_id = "vd_" + secrets.token_hex(8)
        now_iso = clock.iso(moment)
        conn.execute(
            "UPDATE vitale_cards SET state = ?, state_changed_at = ? WHERE id = ?",
            (state, now_iso, card["id"]),
        )
        conn.execute(
            "INSERT INTO vitale_declarations (id, card_id, declared_by, reason, declared_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (declaration_id, card["id"], principal.account_id, reason, now_iso),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    card = conn.execute("SELECT * FROM vitale_cards WHERE id = ?", (card["id"],)).fetchone()
    declaration = conn.execute(
        "SELECT * FROM vitale_declarations WHERE id = ?", (declaration_id,)
    ).fetchone()
    return json_response(
        {
            "status": "declared",
            "declaration": _declaration_view(declaration, card, beneficiary["rank"]),
            "card": card_view(card),
        },
        status=201,
    )


def _declaration_view(
    row: sqlite3.Row | None, card: sqlite3.Row, rank: str
) -> dict[str, Any] | None:
    if row is None:  # a seeded blocked card has no declaration record
        return None
    return {
        "id": row["id"],
        "beneficiary_rank": rank,
        "reason": row["reason"],
        "declared_at": row["declared_at"],
        "card_serial": card["serial"],
    }


def routes() -> list[Route]:
    return [
        Route("/v1/vitale", status, methods=["GET"]),
        Route("/v1/vitale/orders", list_orders, methods=["GET"]),
        Route("/v1/vitale/orders", create_order, methods=["POST"]),
        Route("/v1/vitale/declarations", declare, methods=["POST"]),
    ]
