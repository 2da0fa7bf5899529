"""Attestations (`/v1/attestations/{type}`) and the service's signing keys (`/v1/keys`).

An attestation is data, not a PDF: the client draws the page. The service signs the
canonical JSON of the attestation (keys sorted, no spaces, UTF-8) with Ed25519; the
public key is published at `/v1/keys`, so anyone can check a document offline.

Types:
- `droits`: the attestation de droits (assuré, organisme, period of rights, every
  beneficiary, médecin traitant, ALD / CSS mentions). Valid 3 months (invented
  length; ameli issues them "for months"), never beyond the end of rights.
- `ij`: attestation de paiement des indemnités journalières over a year or the last
  12 months. Read from the `payments` table when the payments component provides IJ
  lines; otherwise computed from this component's own `sick_leaves` (an IJ payment
  every 14 days, as the caisse does).
- `fiscale`: the relevé fiscal of taxable benefits (IJ) for a calendar year.

Invented for the sandbox: rights are open from `rights_start` to 31 December of next
year; the taxable amount of an IJ is its gross less the deductible CSG (3.8 %).
The documents are built in ameli_sandbox/attestation_documents.py.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ameli_rules import ATTESTATION_TYPES
from ameli_sandbox import clock, signing
from ameli_sandbox.attestation_documents import build_droits, build_fiscale, build_ij
from ameli_sandbox.http import Request, Response
from ameli_sandbox.params import is_ascii_digits, query_optional_int, query_text
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.web import authenticate, db, json_response, subject_account

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "attestations"
MIGRATIONS = [
    """
    CREATE TABLE signing_keys (
        key_id TEXT PRIMARY KEY,
        algorithm TEXT NOT NULL DEFAULT 'Ed25519',
        private_key BLOB NOT NULL,
        public_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE sick_leaves (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        daily_gross_cents INTEGER NOT NULL,
        employer TEXT NOT NULL
    );
    CREATE INDEX sick_leaves_account ON sick_leaves (account_id, start_date)
    """,
    # A retired key stays published with the moment it stopped signing (issue 13).
    "ALTER TABLE signing_keys ADD COLUMN retired_at TEXT",
]

# Where a document is signed: ameli_sandbox/signing.py (shared with relevés and CEAM).
sign = signing.sign

# A reset keeps the keys (what they signed must keep verifying) and retires the current
# one: app.reset_database calls `before_reset`, then skips these tables.
KEPT_ON_RESET = ("signing_keys",)


def before_reset(conn: sqlite3.Connection) -> None:
    signing.retire_keys(conn)


# -- seed -------------------------------------------------------------------------------


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    signing.new_signing_key(conn)
    for p in people:
        if "ij" not in p.features:
            continue
        account_id = conn.execute("SELECT id FROM accounts WHERE nir = ?", (p.nir,)).fetchone()[
            "id"
        ]
        # A first sick leave last year, and one that began 10 weeks ago and goes on.
        leaves = (
            (
                date(today.year - 1, 3, 2),
                date(today.year - 1, 4, 12),
                4195,
                "Transports Rhône-Alpes",
            ),
            (
                today - timedelta(weeks=10),
                today + timedelta(weeks=4),
                4195,
                "Transports Rhône-Alpes",
            ),
        )
        for start, end, daily, employer in leaves:
            conn.execute(
                "INSERT INTO sick_leaves (account_id, start_date, end_date, daily_gross_cents,"
                " employer) VALUES (?, ?, ?, ?, ?)",
                (account_id, start.isoformat(), end.isoformat(), daily, employer),
            )


async def get_attestation(request: Request) -> Response:
    kind = request.path_params["type"]
    if kind not in ATTESTATION_TYPES:
        raise Problem(
            404,
            "unknown_attestation_type",
            "Unknown attestation type",
            f"Attestation types: {', '.join(ATTESTATION_TYPES)}.",
        )
    principal = authenticate(request)
    conn = db(request)
    beneficiary = query_text(request, "beneficiary", max_length=4)
    if beneficiary in ("all", "tous"):
        beneficiary = None
    if beneficiary is not None and not (is_ascii_digits(beneficiary) and len(beneficiary) == 2):
        raise bad_request("beneficiary is a 2-digit rank (01, 02…) or 'all'.")
    year = _year_param(request, conn)
    account = subject_account(request, principal, action=f"attestation.{kind}")
    if kind == "droits":
        document = build_droits(conn, account, beneficiary)
    elif kind == "ij":
        document = build_ij(conn, account, year)
    else:
        document = build_fiscale(conn, account, year or clock.today(conn).year - 1)
    signature = sign(conn, request.app.state.db_path, document)
    return json_response({"attestation": document, "signature": signature})


def _year_param(request: Request, conn: sqlite3.Connection) -> int | None:
    return query_optional_int(request, "year", low=2000, high=clock.today(conn).year)


async def list_keys(request: Request) -> Response:
    return json_response({"keys": signing.published_keys(db(request))})


def routes() -> list[Route]:
    from ameli_sandbox.features.attestations_batch import post_batch

    return [
        # Before /v1/attestations/{type}: "batch" is not a type.
        Route("/v1/attestations/batch", post_batch, methods=["POST"]),
        Route("/v1/attestations/{type}", get_attestation, methods=["GET"]),
        Route("/v1/keys", list_keys, methods=["GET"]),
    ]


# -- load testing ---------------------------------------------------------------------------


def add_synthetic_assures(conn: sqlite3.Connection, count: int, *, start: int = 0) -> list[str]:
    """Insert `count` extra assurés (no usable password) for benches and resume tests;
    returns their NIRs. Names are invented: `TEST` + a number."""
    from stdnum.fr import nir as nir_lib

    caisse = conn.execute("SELECT code FROM caisses ORDER BY code LIMIT 1").fetchone()["code"]
    today = clock.today(conn)
    created = clock.iso(clock.now(conn))
    nirs = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for i in range(start, start + count):
            first13 = (
                f"1{80 + i % 20:02d}{1 + i % 12:02d}75{(100 + i // 1000) % 1000:03d}{i % 1000:03d}"
            )
            nir = first13 + nir_lib.calc_check_digits(first13)
            cursor = conn.execute(
                "INSERT INTO accounts (nir, role, last_name, first_names, birth_date,"
                " caisse_code, password_hash, rights_start, created_at)"
                " VALUES (?, 'assure', ?, 'Camille', ?, ?, '!', ?, ?)",
                (
                    nir,
                    f"TEST{i:05d}",
                    f"19{80 + i % 20:02d}-{1 + i % 12:02d}-15",
                    caisse,
                    date(today.year - 1, 1, 1).isoformat(),
                    created,
                ),
            )
            conn.execute(
                "INSERT INTO beneficiaries (account_id, rank, last_name, first_names,"
                " birth_date, relationship) VALUES (?, '01', ?, 'Camille', ?, 'assure')",
                (cursor.lastrowid, f"TEST{i:05d}", f"19{80 + i % 20:02d}-{1 + i % 12:02d}-15"),
            )
            nirs.append(nir)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return nirs
