"""How many tries a secret gets: wrong passwords counted per account and locked after
MAX_FAILED_LOGINS (for LOCKOUT), and tries at a one-time code counted per code and
burnt after MAX_OTP_ATTEMPTS. Each count is taken in one statement before the secret
is compared, so parallel workers cannot check more than allowed. Sign-in and the
password change and reset all go through these, which is why they stand apart.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from ameli_sandbox import clock
from ameli_sandbox.problems import Problem

MAX_FAILED_LOGINS = 5
MAX_OTP_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=30)


def invalid_credentials() -> Problem:
    # The same bytes whether or not the NIR has an account (no attempts left to count):
    # a wrong answer must not tell who is insured.
    return Problem(
        401,
        "invalid_credentials",
        "Invalid credentials",
        "The NIR or the password is wrong.",
    )


def _locked(until: str) -> Problem:
    return Problem(
        423,
        "account_locked",
        "Account locked",
        "Too many wrong passwords: the account is locked.",
        locked_until=until,
    )


def reserve_attempt(conn: sqlite3.Connection, account_id: int, moment: datetime) -> int:
    """Count this attempt before the password is checked, in one statement: workers
    checking passwords in parallel can never check more than MAX_FAILED_LOGINS between
    two lockouts (the count is taken, not read then written). An expired lock starts
    a fresh count. Returns the attempt's number; 423 when none is left."""
    now_iso = clock.iso(moment)
    row = conn.execute(
        "UPDATE accounts SET"
        " failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= :now"
        "   THEN 1 ELSE failed_logins + 1 END,"
        " locked_until = CASE WHEN locked_until <= :now THEN NULL ELSE locked_until END"
        " WHERE id = :id AND ("
        "   (locked_until IS NOT NULL AND locked_until <= :now)"
        "   OR (locked_until IS NULL AND failed_logins < :max))"
        " RETURNING failed_logins",
        {"now": now_iso, "id": account_id, "max": MAX_FAILED_LOGINS},
    ).fetchone()
    if row is None:
        current = conn.execute(
            "SELECT locked_until FROM accounts WHERE id = ?", (account_id,)
        ).fetchone()
        # Locked, or the last attempts are being checked right now by other workers.
        raise _locked(current["locked_until"] or clock.iso(moment + LOCKOUT))
    return int(row["failed_logins"])


def record_failure(
    conn: sqlite3.Connection, account_id: int, attempt: int, moment: datetime
) -> None:
    """A wrong password: the attempt stays counted; the last one allowed locks."""
    if attempt >= MAX_FAILED_LOGINS:
        until = clock.iso(moment + LOCKOUT)
        conn.execute(
            "UPDATE accounts SET locked_until = ? WHERE id = ? AND locked_until IS NULL",
            (until, account_id),
        )
        raise _locked(until)
    raise invalid_credentials()


def claim_code_try(
    conn: sqlite3.Connection, table: str, latest_code_sql: str, params: tuple[object, ...]
) -> sqlite3.Row | None:
    """Count one try at a one-time code before it is compared, in one statement (atomic
    across workers): after MAX_OTP_ATTEMPTS tries the code is burnt and a new one must be
    requested. `latest_code_sql` selects the id of the live code; `table` is ours
    (otp_codes, reset_codes), never input. Returns the code's id and value, or None."""
    row: sqlite3.Row | None = conn.execute(
        f"UPDATE {table} SET attempts = attempts + 1 WHERE id = ({latest_code_sql})"
        " AND attempts < ? RETURNING id, code",
        (*params, MAX_OTP_ATTEMPTS),
    ).fetchone()
    return row
