"""Ordering a carte Vitale: the invented lifecycle (`received` → `in_production` after
2 days → `shipped` after 9 → `delivered` after 16), the JSON of an order, the rules
before an order (age, no active card, one pending order at a time), the checks of
the photo and ID document (only their fingerprints are kept), the order itself and
the list of an account's orders. Everything about an order, apart from declaring a
card lost, which has rules of its own (vitale.declarations).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import date, datetime, timedelta
from typing import Any

from ameli_rules import filetypes
from ameli_sandbox import clock
from ameli_sandbox.card_orders import (
    add_years,
    find_beneficiary,
    order_status,
    orders_page,
    parse_time,
)
from ameli_sandbox.demarches import age_on
from ameli_sandbox.forms import UploadFile
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.vitale.cards import current_card
from ameli_sandbox.web import authenticate, db, idempotent, json_response, subject_account

ORDER_STEPS = (
    ("received", timedelta(0)),
    ("in_production", timedelta(days=2)),
    ("shipped", timedelta(days=9)),
    ("delivered", timedelta(days=16)),
)
DELIVERY_DELAY = ORDER_STEPS[-1][1]
MINIMUM_AGE = 12  # a parent may order for a child from 12

MAX_UPLOAD = filetypes.ID_DOCUMENT_MAX_BYTES + filetypes.PHOTO_MAX_BYTES + 64 * 1024


def order_view(row: sqlite3.Row, rank: str, moment: datetime) -> dict[str, Any]:
    created = parse_time(row["created_at"])
    status = order_status(ORDER_STEPS, row["created_at"], moment)
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


def pending_order(conn: sqlite3.Connection, beneficiary_id: int, moment: datetime) -> Any:
    return conn.execute(
        "SELECT o.*, c.serial FROM vitale_orders o JOIN vitale_cards c ON c.id = o.card_id"
        " WHERE o.beneficiary_id = ? AND o.created_at > ? ORDER BY o.created_at DESC LIMIT 1",
        (beneficiary_id, clock.iso(moment - DELIVERY_DELAY)),
    ).fetchone()


async def list_orders(request: Request) -> Response:
    return orders_page(
        request,
        action="vitale.read",
        select=(
            "SELECT o.*, c.serial, b.rank FROM vitale_orders o"
            " JOIN vitale_cards c ON c.id = o.card_id"
            " JOIN beneficiaries b ON b.id = o.beneficiary_id"
            " WHERE b.account_id = ? ORDER BY o.created_at DESC, o.id LIMIT ? OFFSET ?"
        ),
        view=order_view,
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
    pending = pending_order(conn, b["id"], moment)
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
            orderable_from=add_years(born, MINIMUM_AGE).isoformat(),
        )
    card = current_card(conn, b["id"], clock.iso(moment))
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
    beneficiary = find_beneficiary(conn, account["id"], rank)
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
