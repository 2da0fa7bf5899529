"""Trusted devices and how the one-time code travels (e-mail, SMS, app approval).

A new device signs in with a one-time code, sent by the channel the assuré prefers
(or the one asked for); "app" means approving the sign-in in the Compte ameli app,
which the sandbox does with `ameli sandbox otp --nir NIR --approve`. A confirmed
device stays trusted ~6 months; the assuré lists devices and revokes them, which
ends their sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, forbidden, not_found
from ameli_sandbox.routing import Route
from ameli_sandbox.web import Principal, authenticate, db, hash_token, idempotent, json_response

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "devices"
MIGRATIONS = [
    """
    ALTER TABLE accounts ADD COLUMN otp_channels TEXT NOT NULL DEFAULT 'email';
    ALTER TABLE devices ADD COLUMN public_id TEXT;
    ALTER TABLE devices ADD COLUMN name TEXT NOT NULL DEFAULT '';
    ALTER TABLE devices ADD COLUMN first_seen TEXT;
    ALTER TABLE devices ADD COLUMN last_seen TEXT;
    CREATE UNIQUE INDEX devices_public_id ON devices (public_id);
    ALTER TABLE otp_codes ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
    ALTER TABLE otp_codes ADD COLUMN device_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE otp_codes ADD COLUMN approval_hash TEXT;
    ALTER TABLE otp_codes ADD COLUMN approved_at TEXT
    """,
]

CHANNELS = ("email", "sms", "app")
DEVICE_TRUST = timedelta(days=182)
OTP_LIFETIME = timedelta(minutes=15)
MAX_DEVICE_NAME = 80

# Seeded trusted devices (name, first seen and last seen, in days before today).
SEEDED_DEVICES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "famille": (("Firefox sur Windows (salon)", 120, 9), ("Safari sur iPhone", 40, 2)),
}


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    moment = datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC)
    for p in people:
        conn.execute(
            "UPDATE accounts SET otp_channels = ? WHERE nir = ?", (",".join(p.otp_channels), p.nir)
        )
        account = conn.execute("SELECT id FROM accounts WHERE nir = ?", (p.nir,)).fetchone()
        for n, (name, first, last) in enumerate(SEEDED_DEVICES.get(p.key, ())):
            # Stable ids (derived, not random): the docs show them.
            digest = hashlib.sha256(f"{p.nir}:{n}".encode()).hexdigest()
            first_seen = moment - timedelta(days=first)
            conn.execute(
                "INSERT INTO devices (account_id, device_id, trusted_until, public_id, name,"
                " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    account["id"],
                    "seeded-" + digest[:32],
                    clock.iso(first_seen + DEVICE_TRUST),
                    "dev_" + digest[:8],
                    name,
                    clock.iso(first_seen),
                    clock.iso(moment - timedelta(days=last)),
                ),
            )


# -- masked destinations -------------------------------------------------------------


def mask_email(email: str) -> str:
    """marie.dupont@example.fr → m•••@example.fr"""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def mask_phone(phone: str) -> str:
    """0612345678 → 06 •• •• •• 78"""
    digits = "".join(c for c in phone if c.isdigit())
    return f"{digits[:2]} •• •• •• {digits[-2:]}"


def destination(account: sqlite3.Row, channel: str) -> str:
    if channel == "sms":
        return mask_phone(account["phone"] or "")
    if channel == "app":
        return "Compte ameli"
    return mask_email(account["email"] or "")


# -- the one-time code at sign-in ----------------------------------------------------


def available_channels(account: sqlite3.Row) -> list[str]:
    return [c for c in str(account["otp_channels"]).split(",") if c in CHANNELS]


def send_login_code(
    conn: sqlite3.Connection,
    account: sqlite3.Row,
    device_id: str,
    device_name: str,
    channel: str | None,
    moment: datetime,
) -> Problem:
    """Send a code (or an app approval request) and return the 401 that says so."""
    offered = available_channels(account)
    chosen = channel or offered[0]
    if chosen not in offered:
        return Problem(
            422,
            "otp_channel_unavailable",
            "Channel not available",
            f"This account cannot receive a code by {chosen}.",
            available_channels=offered,
        )
    code = f"{secrets.randbelow(10**6):06d}"
    approval_id = "apr_" + secrets.token_urlsafe(24) if chosen == "app" else None
    expires = clock.iso(moment + OTP_LIFETIME)
    conn.execute(
        "INSERT INTO otp_codes (account_id, device_id, code, created_at, expires_at, channel,"
        " device_name, approval_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            account["id"],
            device_id,
            code,
            clock.iso(moment),
            expires,
            chosen,
            device_name,
            hash_token(approval_id) if approval_id else None,
        ),
    )
    extra: dict[str, Any] = {
        "channel": chosen,
        "destination": destination(account, chosen),
        "available_channels": offered,
        "expires_at": expires,
    }
    if approval_id:
        extra["approval_id"] = approval_id
        detail = "Approve this sign-in in the Compte ameli app; it is valid 15 minutes."
    else:
        by = "SMS" if chosen == "sms" else "e-mail"
        detail = f"A 6-digit code was sent by {by}; it is valid 15 minutes."
    return Problem(401, "otp_required", "One-time code required", detail, **extra)


def is_trusted(conn: sqlite3.Connection, account_id: int, device_id: str, moment: datetime) -> bool:
    if not device_id:
        return False
    row = conn.execute(
        "SELECT trusted_until FROM devices WHERE account_id = ? AND device_id = ?",
        (account_id, device_id),
    ).fetchone()
    return row is not None and row["trusted_until"] > clock.iso(moment)


def trust_device(
    conn: sqlite3.Connection, account_id: int, device_id: str, name: str, moment: datetime
) -> None:
    now = clock.iso(moment)
    conn.execute(
        "INSERT INTO devices (account_id, device_id, trusted_until, public_id, name, first_seen,"
        " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (account_id, device_id) DO UPDATE SET trusted_until ="
        " excluded.trusted_until, last_seen = excluded.last_seen",
        (
            account_id,
            device_id,
            clock.iso(moment + DEVICE_TRUST),
            "dev_" + secrets.token_hex(4),
            name[:MAX_DEVICE_NAME],
            now,
            now,
        ),
    )


def touch_device(
    conn: sqlite3.Connection, account_id: int, device_id: str, moment: datetime
) -> None:
    conn.execute(
        "UPDATE devices SET last_seen = ? WHERE account_id = ? AND device_id = ?",
        (clock.iso(moment), account_id, device_id),
    )


def approve_pending(conn: sqlite3.Connection, nir: str) -> sqlite3.Row | None:
    """What the Compte ameli app does when the assuré taps « Oui, c'est moi »."""
    moment = clock.iso(clock.now(conn))
    row: sqlite3.Row | None = conn.execute(
        "SELECT o.id, o.device_name, o.expires_at FROM otp_codes o"
        " JOIN accounts a ON a.id = o.account_id WHERE a.nir = ? AND o.channel = 'app'"
        " AND o.used_at IS NULL AND o.approved_at IS NULL AND o.expires_at > ?"
        " ORDER BY o.id DESC LIMIT 1",
        (nir, moment),
    ).fetchone()
    if row is not None:
        conn.execute("UPDATE otp_codes SET approved_at = ? WHERE id = ?", (moment, row["id"]))
    return row


async def poll_approval(request: Request) -> Response:
    """The waiting device asks whether the sign-in was approved in the app."""
    from ameli_sandbox.sign_in import issue_session

    conn = db(request)
    moment = clock.now(conn)
    approval_id = str(request.path_params["approval_id"])
    row = conn.execute(
        "SELECT o.*, a.role FROM otp_codes o JOIN accounts a ON a.id = o.account_id"
        " WHERE o.approval_hash = ? AND o.used_at IS NULL AND o.expires_at > ?",
        (hash_token(approval_id), clock.iso(moment)),
    ).fetchone()
    if row is None:
        raise Problem(
            404,
            "approval_unknown",
            "Unknown approval",
            "This approval request is unknown, already used or expired.",
        )
    if row["approved_at"] is None:
        return json_response({"status": "pending", "expires_at": row["expires_at"]}, 202)
    conn.execute("UPDATE otp_codes SET used_at = ? WHERE id = ?", (clock.iso(moment), row["id"]))
    trust_device(conn, row["account_id"], row["device_id"], row["device_name"], moment)
    account = conn.execute("SELECT * FROM accounts WHERE id = ?", (row["account_id"],)).fetchone()
    return json_response(issue_session(conn, account, row["device_id"], moment))


# -- the assuré's devices ------------------------------------------------------------


def own_account_only(request: Request) -> Principal:
    """Password and devices are the caller's own: nobody, agent included, acts for another."""
    principal = authenticate(request)
    nir = "".join(request.query_params.get("nir", "").split()).upper()
    if nir and nir != principal.nir:
        raise forbidden("Only the account holder can manage its password and devices.")
    return principal


def _current_device(conn: sqlite3.Connection, principal: Principal) -> str | None:
    row = conn.execute(
        "SELECT device_id FROM tokens WHERE id = ?", (principal.token_id,)
    ).fetchone()
    return row["device_id"] if row else None


def device_json(row: sqlite3.Row, current: str | None) -> dict[str, Any]:
    return {
        "id": row["public_id"],
        "name": row["name"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "trusted_until": row["trusted_until"],
        "current": row["device_id"] == current,
    }


async def list_devices(request: Request) -> Response:
    principal = own_account_only(request)
    conn = db(request)
    current = _current_device(conn, principal)
    rows = conn.execute(
        "SELECT * FROM devices WHERE account_id = ? AND trusted_until > ?"
        " ORDER BY last_seen DESC, public_id",
        (principal.account_id, clock.iso(clock.now(conn))),
    ).fetchall()
    return json_response({"items": [device_json(r, current) for r in rows], "next_cursor": None})


def _revoke(conn: sqlite3.Connection, account_id: int, rows: list[sqlite3.Row]) -> int:
    """Forget the devices' trust and end their sessions, in one transaction."""
    now = clock.iso(clock.now(conn))
    conn.execute("BEGIN IMMEDIATE")
    try:
        for row in rows:
            conn.execute(
                "DELETE FROM devices WHERE account_id = ? AND device_id = ?",
                (account_id, row["device_id"]),
            )
            conn.execute(
                "UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND device_id = ?"
                " AND revoked_at IS NULL",
                (now, account_id, row["device_id"]),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)


@idempotent
async def revoke_device(request: Request) -> Response:
    principal = own_account_only(request)
    conn = db(request)
    row = conn.execute(
        "SELECT * FROM devices WHERE account_id = ? AND public_id = ?",
        (principal.account_id, str(request.path_params["device_id"])),
    ).fetchone()
    if row is None:
        raise not_found(
            "No trusted device with this id on this account.",
            resource="device",
            id=str(request.path_params["device_id"]),
        )
    current = _current_device(conn, principal)
    _revoke(conn, principal.account_id, [row])
    return json_response({"revoked": [device_json(row, current)]})


@idempotent
async def revoke_other_devices(request: Request) -> Response:
    principal = own_account_only(request)
    conn = db(request)
    current = _current_device(conn, principal)
    rows = conn.execute(
        "SELECT * FROM devices WHERE account_id = ? AND device_id IS NOT ?",
        (principal.account_id, current),
    ).fetchall()
    _revoke(conn, principal.account_id, rows)
    return json_response({"revoked": [device_json(r, current) for r in rows]})


def routes() -> list[Route]:
    return [
        Route("/v1/auth/approvals/{approval_id}", poll_approval, methods=["POST"]),
        Route("/v1/auth/devices", list_devices, methods=["GET"]),
        Route("/v1/auth/devices/revoke-others", revoke_other_devices, methods=["POST"]),
        Route("/v1/auth/devices/{device_id}", revoke_device, methods=["DELETE"]),
    ]
