"""Signing in and out: the password checked (lockout counted in login_attempts), the
one-time code a new device needs (sent and trusted through devices), and the bearer
token of a session (TOKEN_LIFETIME), also issued when the app approves a sign-in.
The account's own data and /v1/me stay in features/accounts.py; this is the session's life.
"""

from __future__ import annotations

import functools
import secrets
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from ameli_sandbox import clock
from ameli_sandbox.http import Request, Response
from ameli_sandbox.login_attempts import (
    MAX_OTP_ATTEMPTS,
    claim_code_try,
    invalid_credentials,
    record_failure,
    reserve_attempt,
)
from ameli_sandbox.passwords import hash_password, verify_password
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.web import authenticate, db, hash_token, json_object, json_response

TOKEN_LIFETIME = timedelta(hours=8)


async def login(request: Request) -> Response:
    body = await json_object(request)
    nir = str(body.get("nir", "")).replace(" ", "").upper()
    password = body.get("password")
    device_id = str(body.get("device_id") or "")
    device_name = str(body.get("device_name") or "")
    otp = body.get("otp")
    channel = body.get("otp_channel")
    if not nir or not isinstance(password, str) or not password:
        raise bad_request("nir and password are required.")
    if len(device_id) > 100 or len(device_name) > 100:
        raise bad_request("device_id or device_name is longer than 100 characters.")
    if channel is not None and channel not in ("email", "sms", "app"):
        raise bad_request("otp_channel is one of email, sms, app.")
    from stdnum.fr import nir as nir_lib

    if not nir_lib.is_valid(nir):
        raise Problem(
            422, "invalid_nir", "Invalid NIR", "The NIR is not valid (15 characters with its key)."
        )
    conn = db(request)
    moment = clock.now(conn)
    account = conn.execute("SELECT * FROM accounts WHERE nir = ?", (nir,)).fetchone()
    if account is None:
        # Hash anyway so that timing does not tell which NIRs have an account.
        await request.run_blocking(verify_password, password, _dummy_hash())
        raise invalid_credentials()
    attempt = reserve_attempt(conn, account["id"], moment)
    # scrypt off the server's loop: other requests are answered meanwhile.
    if not await request.run_blocking(verify_password, password, account["password_hash"]):
        record_failure(conn, account["id"], attempt, moment)
    conn.execute(
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?", (account["id"],)
    )
    from ameli_sandbox.features import devices

    if account["otp_required"] and not devices.is_trusted(conn, account["id"], device_id, moment):
        if not device_id:
            raise bad_request("This account needs a device_id to sign in.")
        if otp is None or otp == "":
            raise devices.send_login_code(conn, account, device_id, device_name, channel, moment)
        _check_otp(conn, account["id"], device_id, otp, moment)
        devices.trust_device(conn, account["id"], device_id, device_name, moment)
    elif device_id:
        devices.touch_device(conn, account["id"], device_id, moment)
    return json_response(issue_session(conn, account, device_id, moment))


def issue_session(
    conn: sqlite3.Connection, account: sqlite3.Row, device_id: str, moment: datetime
) -> dict[str, Any]:
    """A new bearer token for this account on this device: the body of a sign-in."""
    token = "amt_" + secrets.token_urlsafe(32)
    expires = moment + TOKEN_LIFETIME
    conn.execute(
        "INSERT INTO tokens (account_id, token_hash, device_id, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            account["id"],
            hash_token(token),
            device_id or None,
            clock.iso(moment),
            clock.iso(expires),
        ),
    )
    return {
        "token": token,
        "token_type": "Bearer",
        "expires_at": clock.iso(expires),
        "account": {
            "nir": account["nir"],
            "role": account["role"],
            "last_name": account["last_name"],
            "first_names": account["first_names"],
        },
    }


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(8))


def _check_otp(
    conn: sqlite3.Connection, account_id: int, device_id: str, otp: object, moment: datetime
) -> None:
    """The latest live code sent to this device (by e-mail or SMS: the app approves)."""
    now_iso = clock.iso(moment)
    row = claim_code_try(
        conn,
        "otp_codes",
        "SELECT id FROM otp_codes WHERE account_id = ? AND device_id = ?"
        " AND channel != 'app' AND used_at IS NULL AND expires_at > ? ORDER BY id DESC LIMIT 1",
        (account_id, device_id, now_iso),
    )
    if row is None or not secrets.compare_digest(
        str(otp).encode("utf-8"), row["code"].encode("utf-8")
    ):
        raise Problem(
            401,
            "otp_invalid",
            "Invalid one-time code",
            f"The one-time code is wrong or has expired; after {MAX_OTP_ATTEMPTS} wrong tries"
            " it no longer works: sign in again without a code to receive a new one.",
        )
    conn.execute("UPDATE otp_codes SET used_at = ? WHERE id = ?", (now_iso, row["id"]))


async def logout(request: Request) -> Response:
    principal = authenticate(request)
    conn = db(request)
    conn.execute(
        "UPDATE tokens SET revoked_at = ? WHERE id = ?",
        (clock.iso(clock.now(conn)), principal.token_id),
    )
    return Response(status_code=204)
