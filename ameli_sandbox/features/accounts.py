"""Accounts, sign-in (password, one-time code on a new device, lockout), tokens, /v1/me."""

from __future__ import annotations

import functools
import secrets
import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ameli_rules import API_VERSION, __version__
from ameli_sandbox import clock
from ameli_sandbox.passwords import hash_password, verify_password
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.web import authenticate, db, hash_token, json_object, json_response

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "accounts"
MIGRATIONS = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE caisses (
        code TEXT PRIMARY KEY, name TEXT NOT NULL, regime TEXT NOT NULL,
        address_lines TEXT NOT NULL, postal_code TEXT NOT NULL, city TEXT NOT NULL,
        phone TEXT NOT NULL, hours TEXT NOT NULL, local_regime INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        nir TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('assure', 'agent')),
        last_name TEXT NOT NULL, first_names TEXT NOT NULL, birth_date TEXT NOT NULL,
        birth_place TEXT NOT NULL DEFAULT '',
        caisse_code TEXT NOT NULL REFERENCES caisses(code),
        email TEXT, phone TEXT, address_line TEXT, postal_code TEXT, city TEXT, iban TEXT,
        password_hash TEXT NOT NULL,
        otp_required INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        rights_start TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE beneficiaries (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        rank TEXT NOT NULL,
        last_name TEXT NOT NULL, first_names TEXT NOT NULL, birth_date TEXT NOT NULL,
        relationship TEXT NOT NULL CHECK (relationship IN ('assure', 'conjoint', 'enfant')),
        medecin_traitant INTEGER NOT NULL DEFAULT 1,
        UNIQUE (account_id, rank)
    );
    CREATE TABLE coverages (
        id INTEGER PRIMARY KEY,
        beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('ald', 'css')),
        start_date TEXT NOT NULL, end_date TEXT, label TEXT NOT NULL
    );
    CREATE TABLE tokens (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        device_id TEXT,
        created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT
    );
    CREATE TABLE devices (
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        device_id TEXT NOT NULL, trusted_until TEXT NOT NULL,
        PRIMARY KEY (account_id, device_id)
    );
    -- The sandbox's mailbox: the one-time codes a real service would e-mail.
    CREATE TABLE otp_codes (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        device_id TEXT NOT NULL, code TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT
    );
    CREATE TABLE idempotency (
        scope TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
        status INTEGER NOT NULL, body BLOB NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (scope, key)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL,
        actor_account_id INTEGER NOT NULL REFERENCES accounts(id),
        subject_account_id INTEGER NOT NULL REFERENCES accounts(id),
        action TEXT NOT NULL
    );
    CREATE INDEX audit_subject ON audit (subject_account_id, at)
    """,
    # Issue 13: an Idempotency-Key is bound to the request it first answered, and a
    # one-time code is burnt after MAX_OTP_ATTEMPTS wrong tries.
    """
    ALTER TABLE idempotency ADD COLUMN fingerprint TEXT;
    ALTER TABLE otp_codes ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0
    """,
]

TOKEN_LIFETIME = timedelta(hours=8)
MAX_FAILED_LOGINS = 5
MAX_OTP_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=30)


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    from ameli_sandbox.people import CAISSES

    for c in CAISSES:
        conn.execute(
            "INSERT INTO caisses (code, name, regime, address_lines, postal_code, city, phone,"
            " hours, local_regime) VALUES (?, ?, ?, ?, ?, ?, '3646', ?, ?)",
            (
                c.code,
                c.name,
                c.regime,
                "\n".join(c.address_lines),
                c.postal_code,
                c.city,
                c.hours,
                int(c.local_regime),
            ),
        )
    created = clock.iso(clock.now(conn))
    for p in people:
        cursor = conn.execute(
            "INSERT INTO accounts (nir, role, last_name, first_names, birth_date, birth_place,"
            " caisse_code, email, phone, address_line, postal_code, city, iban, password_hash,"
            " otp_required, rights_start, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p.nir,
                p.role,
                p.last_name,
                p.first_names,
                p.birth_date,
                p.birth_place,
                p.caisse,
                p.email,
                p.phone,
                p.address_line,
                p.postal_code,
                p.city,
                p.iban,
                hash_password(p.password),
                int(p.otp_required),
                date(today.year - 1, 1, 1).isoformat(),
                created,
            ),
        )
        account_id = cursor.lastrowid
        if p.role != "assure":
            continue
        ids: dict[str, int] = {}
        for b in p.beneficiaries():
            row = conn.execute(
                "INSERT INTO beneficiaries (account_id, rank, last_name, first_names,"
                " birth_date, relationship, medecin_traitant) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    account_id,
                    b.rank,
                    b.last_name,
                    b.first_names,
                    b.birth_date,
                    b.relationship,
                    int(b.medecin_traitant),
                ),
            )
            ids[b.rank] = int(row.lastrowid or 0)
        for cov in p.coverages:
            conn.execute(
                "INSERT INTO coverages (beneficiary_id, kind, start_date, end_date, label)"
                " VALUES (?, ?, ?, ?, ?)",
                (ids[cov.rank], cov.kind, cov.start, cov.end, cov.label),
            )


def age_on(birth_date: str, today: date) -> int:
    born = date.fromisoformat(birth_date)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


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
        verify_password(password, _dummy_hash())
        raise _invalid_credentials()
    attempt = reserve_attempt(conn, account["id"], moment)
    if not verify_password(password, account["password_hash"]):
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


def _invalid_credentials() -> Problem:
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
    raise _invalid_credentials()


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


async def me(request: Request) -> Response:
    principal = authenticate(request)
    conn = db(request)
    account = conn.execute(
        "SELECT * FROM accounts WHERE id = ?", (principal.account_id,)
    ).fetchone()
    return json_response(identity(conn, account))


def caisse_summary(conn: sqlite3.Connection, code: str) -> dict[str, Any]:
    row = conn.execute("SELECT code, name, regime FROM caisses WHERE code = ?", (code,)).fetchone()
    return {"code": row["code"], "name": row["name"], "regime": row["regime"]}


def beneficiaries(conn: sqlite3.Connection, account_id: int, today: date) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT * FROM beneficiaries WHERE account_id = ? ORDER BY rank", (account_id,)
    ).fetchall()
    return [
        {
            "rank": r["rank"],
            "last_name": r["last_name"],
            "first_names": r["first_names"],
            "birth_date": r["birth_date"],
            "age": age_on(r["birth_date"], today),
            "relationship": r["relationship"],
            "medecin_traitant": bool(r["medecin_traitant"]),
        }
        for r in rows
    ]


def identity(conn: sqlite3.Connection, account: sqlite3.Row) -> dict[str, Any]:
    return {
        "nir": account["nir"],
        "role": account["role"],
        "last_name": account["last_name"],
        "first_names": account["first_names"],
        "birth_date": account["birth_date"],
        "email": account["email"],
        "caisse": caisse_summary(conn, account["caisse_code"]),
        "beneficiaries": beneficiaries(conn, account["id"], clock.today(conn)),
    }


async def service_meta(request: Request) -> Response:
    conn = db(request)
    return json_response(
        {
            "service": "ameli-cli reference service",
            "version": __version__,
            "api_version": API_VERSION,
            "now": clock.iso(clock.now(conn)),
        }
    )


def routes() -> list[Route]:
    return [
        Route("/v1/auth/login", login, methods=["POST"]),
        Route("/v1/auth/logout", logout, methods=["POST"]),
        Route("/v1/me", me, methods=["GET"]),
        Route("/v1/meta", service_meta, methods=["GET"]),
    ]
