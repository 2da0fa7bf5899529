"""Changing the password, and recovering a forgotten one (NIR + date of birth + code).

The recovery never tells whether a NIR has an account: the same answer whatever the
NIR and date, requests counted per NIR (existing or not), and a code burnt after 5
wrong tries. The policy is in ameli_rules.password_policy (invented, documented).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ameli_rules.password_policy import broken_rules
from ameli_sandbox import clock
from ameli_sandbox.features.devices import own_account_only
from ameli_sandbox.http import Request, Response
from ameli_sandbox.login_attempts import (
    MAX_FAILED_LOGINS,
    claim_code_try,
    record_failure,
    reserve_attempt,
)
from ameli_sandbox.passwords import hash_password, verify_password
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.web import db, idempotent, json_object, json_response

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "password"
MIGRATIONS = [
    """
    -- The sandbox's outbox of reset codes (what a real service would e-mail or text).
    CREATE TABLE reset_codes (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        code TEXT NOT NULL, channel TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0
    );
    -- Requests per NIR digest, whether or not the NIR has an account.
    CREATE TABLE reset_requests (nir_digest TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX reset_requests_by_nir ON reset_requests (nir_digest, at)
    """,
]

RESET_CODE_LIFETIME = timedelta(minutes=15)
MAX_RESET_REQUESTS = 3
RESET_WINDOW = timedelta(hours=1)


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """Nothing to seed."""


def weak_password(password: str, nir: str, born: str) -> Problem:
    return Problem(
        422,
        "password_too_weak",
        "Password too weak",
        "The new password does not follow the policy.",
        rules=broken_rules(password, nir=nir, birth_date=born),
    )


def _new_password(body: dict[str, Any], key: str, *, nir: str, born: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise bad_request(f"{key} is required.")
    if broken_rules(value, nir=nir, birth_date=born):
        raise weak_password(value, nir, born)
    return value


def _set_password(
    conn: sqlite3.Connection, account_id: int, password: str, keep_token: int | None
) -> int:
    """New hash, lockout lifted, every session but `keep_token` ended; how many ended."""
    now = clock.iso(clock.now(conn))
    digest = hash_password(password)  # scrypt before the lock: it takes tens of ms
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL"
            " WHERE id = ?",
            (digest, account_id),
        )
        ended = conn.execute(
            "UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL"
            " AND id IS NOT ? AND expires_at > ?",
            (now, account_id, keep_token, now),
        ).rowcount
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return int(ended)


# -- change --------------------------------------------------------------------------


@idempotent
async def change_password(request: Request) -> Response:
    principal = own_account_only(request)
    body = await json_object(request)
    conn = db(request)
    account = conn.execute(
        "SELECT * FROM accounts WHERE id = ?", (principal.account_id,)
    ).fetchone()
    current = body.get("current_password")
    if not isinstance(current, str) or not current:
        raise bad_request("current_password is required.")
    new = _new_password(body, "new_password", nir=account["nir"], born=account["birth_date"])
    moment = clock.now(conn)
    attempt = reserve_attempt(conn, account["id"], moment)
    if not verify_password(current, account["password_hash"]):
        _count_wrong_current(conn, account["id"], attempt, moment)
    conn.execute(
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?", (account["id"],)
    )
    if secrets.compare_digest(current.encode(), new.encode()):
        raise Problem(
            422, "password_unchanged", "Same password", "The new password is the current one."
        )
    ended = _set_password(conn, account["id"], new, principal.token_id)
    return json_response({"changed_at": clock.iso(moment), "sessions_ended": ended})


def _count_wrong_current(
    conn: sqlite3.Connection, account_id: int, attempt: int, moment: datetime
) -> None:
    """A stolen session must not be a way to guess the password: the same atomic
    lockout as sign-in (accounts.reserve_attempt), with its own 422."""
    if attempt >= MAX_FAILED_LOGINS:
        record_failure(conn, account_id, attempt, moment)
    raise Problem(
        422,
        "current_password_wrong",
        "Current password wrong",
        "The current password is wrong.",
        attempts_remaining=MAX_FAILED_LOGINS - attempt,
    )


# -- reset ---------------------------------------------------------------------------


async def _identity(request: Request) -> tuple[dict[str, Any], str, str]:
    body = await json_object(request)
    nir = "".join(str(body.get("nir", "")).split()).upper()
    born = str(body.get("birth_date", ""))
    from stdnum.fr import nir as nir_lib

    if not nir_lib.is_valid(nir):
        raise Problem(
            422, "invalid_nir", "Invalid NIR", "The NIR is not valid (15 characters with its key)."
        )
    try:
        date.fromisoformat(born)
    except ValueError:
        raise bad_request("birth_date is a date (YYYY-MM-DD).") from None
    return body, nir, born


def _matching_account(conn: sqlite3.Connection, nir: str, born: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM accounts WHERE nir = ? AND birth_date = ? AND role = 'assure'",
        (nir, born),
    ).fetchone()
    return row


async def request_reset(request: Request) -> Response:
    body, nir, born = await _identity(request)
    channel = body.get("channel")
    if channel is not None and channel not in ("email", "sms"):
        raise bad_request("channel is email or sms.")
    conn = db(request)
    moment = clock.now(conn)
    digest = hashlib.sha256(nir.encode()).hexdigest()
    since = clock.iso(moment - RESET_WINDOW)
    conn.execute("DELETE FROM reset_requests WHERE at <= ?", (since,))
    recent = conn.execute(
        "SELECT at FROM reset_requests WHERE nir_digest = ? ORDER BY at", (digest,)
    ).fetchall()
    if len(recent) >= MAX_RESET_REQUESTS:
        first = datetime.fromisoformat(recent[0]["at"].replace("Z", "+00:00"))
        retry = max(1, int((first + RESET_WINDOW - moment).total_seconds()))
        raise Problem(
            429,
            "too_many_code_requests",
            "Too many code requests",
            "The maximum number of code requests is reached for now.",
            retry_after=retry,
        )
    conn.execute(
        "INSERT INTO reset_requests (nir_digest, at) VALUES (?, ?)", (digest, clock.iso(moment))
    )
    account = _matching_account(conn, nir, born)
    if account is not None:
        chosen = channel or ("sms" if "sms" in str(account["otp_channels"]) else "email")
        if chosen == "sms" and not account["phone"]:
            chosen = "email"
        conn.execute(
            "INSERT INTO reset_codes (account_id, code, channel, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                account["id"],
                f"{secrets.randbelow(10**6):06d}",
                chosen,
                clock.iso(moment),
                clock.iso(moment + RESET_CODE_LIFETIME),
            ),
        )
    # The same answer whether or not the NIR and date match an account.
    return json_response(
        {
            "status": "sent_if_matching",
            "expires_in_minutes": int(RESET_CODE_LIFETIME.total_seconds() // 60),
        },
        202,
    )


def _wrong_code() -> Problem:
    return Problem(
        422,
        "reset_code_invalid",
        "Invalid code",
        "The code is wrong or expired, or does not match this NIR and date of birth.",
    )


async def confirm_reset(request: Request) -> Response:
    body, nir, born = await _identity(request)
    code = body.get("code")
    if not isinstance(code, str) or not code:
        raise bad_request("code is required.")
    new = _new_password(body, "new_password", nir=nir, born=born)
    conn = db(request)
    moment = clock.iso(clock.now(conn))
    account = _matching_account(conn, nir, born)
    if account is None:
        raise _wrong_code()
    # The same burn-after-5 as sign-in codes (accounts.claim_code_try).
    row = claim_code_try(
        conn,
        "reset_codes",
        "SELECT id FROM reset_codes WHERE account_id = ? AND used_at IS NULL"
        " AND expires_at > ? ORDER BY id DESC LIMIT 1",
        (account["id"], moment),
    )
    if row is None or not secrets.compare_digest(code.encode(), row["code"].encode()):
        raise _wrong_code()
    claimed = conn.execute(
        "UPDATE reset_codes SET used_at = ? WHERE id = ? AND used_at IS NULL", (moment, row["id"])
    ).rowcount
    if not claimed:
        raise _wrong_code()
    ended = _set_password(conn, account["id"], new, None)
    return json_response({"changed_at": moment, "sessions_ended": ended})


def latest_reset_code(conn: sqlite3.Connection, nir: str) -> sqlite3.Row | None:
    """For `ameli sandbox otp`: the live reset code the sandbox « sent »."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT r.code, r.channel, r.created_at, r.expires_at FROM reset_codes r"
        " JOIN accounts a ON a.id = r.account_id WHERE a.nir = ? AND r.used_at IS NULL"
        " AND r.expires_at > ? ORDER BY r.id DESC LIMIT 1",
        (nir, clock.iso(clock.now(conn))),
    ).fetchone()
    return row


def routes() -> list[Route]:
    return [
        Route("/v1/auth/password", change_password, methods=["POST"]),
        Route("/v1/auth/password-reset", request_reset, methods=["POST"]),
        Route("/v1/auth/password-reset/confirm", confirm_reset, methods=["POST"]),
    ]
