"""Accounts: the caisses, the accounts and their beneficiaries and coverages (schema
and seed), who is signed in (/v1/me) and the service's description (/v1/meta).

This module owns the resource and its routes; signing in and out lives in
ameli_sandbox/sign_in.py and the counting of wrong passwords and codes in
ameli_sandbox/login_attempts.py.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from ameli_rules import API_VERSION, __version__
from ameli_sandbox import clock
from ameli_sandbox.demarches import age_on
from ameli_sandbox.http import Request, Response
from ameli_sandbox.passwords import hash_password
from ameli_sandbox.routing import Route
from ameli_sandbox.sign_in import login, logout
from ameli_sandbox.web import authenticate, db, json_response

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
