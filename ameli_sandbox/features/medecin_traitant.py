"""Médecin traitant: who is declared for each beneficiary, declaring one, and the
sandbox's small directory of doctors (RPPS numbers, Luhn key).

A declaration is recorded by the caisse about a week after it is sent (*invented*
delay; on ameli the doctor usually declares online at once). From 16 a beneficiary
declares their own médecin traitant: a parent declares only for a child under 16.
Without one, an adult's consultations are reimbursed at 30 % instead of 70 %.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ameli_rules import rpps
from ameli_sandbox import clock, tariffs
from ameli_sandbox.demarches import age_on, beneficiary, full_name, new_id, reader, submitter
from ameli_sandbox.http import Request, Response
from ameli_sandbox.params import query_text
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.settling import settle_rows
from ameli_sandbox.web import authenticate, db, idempotent, json_object, json_response

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "medecin_traitant"
MIGRATIONS = [
    """
    CREATE TABLE doctors (
        rpps TEXT PRIMARY KEY, last_name TEXT NOT NULL, first_names TEXT NOT NULL,
        specialty TEXT NOT NULL, address_line TEXT NOT NULL, postal_code TEXT NOT NULL,
        city TEXT NOT NULL
    );
    CREATE TABLE mt_declarations (
        id INTEGER PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        beneficiary_rank TEXT NOT NULL,
        rpps TEXT NOT NULL REFERENCES doctors(rpps),
        requested_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        settled_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('en_cours', 'enregistree'))
    );
    CREATE INDEX mt_declarations_due ON mt_declarations (settled_at, due_at);
    CREATE INDEX mt_declarations_account ON mt_declarations (account_id, beneficiary_rank)
    """,
]
RECORDING_DELAY = timedelta(days=7)  # invented

# The directory: (first 10 digits of the RPPS, last name, first names, specialty,
# address, postal code, city, the seeded account whose médecin traitant this is).
# Invented people; the GPs are those of the seeded payment history.
_DOCTORS = (
    ("1000158392", "GARNIER", "Hélène", "médecin généraliste",
     "18 rue de la Convention", "75015", "Paris", "famille"),
    ("1000274415", "ROUSSEAU", "Antoine", "pédiatre", "5 rue Lecourbe", "75015", "Paris", None),
    ("1000339904", "PIETRI", "Marc-Antoine", "médecin généraliste",
     "2 cours Grandval", "20000", "Ajaccio", "ald"),
    ("1000412876", "BENSAÏD", "Karim", "médecin généraliste",
     "31 rue de Paris", "93100", "Montreuil", None),
    ("1000587213", "VIDAL", "Céline", "médecin généraliste",
     "12 rue Garibaldi", "69006", "Lyon", "ij"),
    ("1000693348", "SCHMITT", "Martin", "médecin généraliste",
     "7 quai des Bateliers", "67000", "Strasbourg", "alsace"),
    ("1000716625", "GARNIER", "Louis", "médecin généraliste",
     "44 boulevard Garibaldi", "75015", "Paris", "parent"),
    ("1000820437", "N'DIAYE", "Aminata", "médecin généraliste",
     "9 place de la République", "93100", "Montreuil", None),
)  # fmt: skip
SEEDED_SINCE = "2018-09-03"  # invented


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    stamp = clock.iso(clock.now(conn))
    for first10, last, first, specialty, address, postal, city, key in _DOCTORS:
        number = rpps.with_key(first10)
        conn.execute(
            "INSERT INTO doctors VALUES (?, ?, ?, ?, ?, ?, ?)",
            (number, last, first, specialty, address, postal, city),
        )
        person = next((p for p in people if p.key == key), None) if key else None
        if person is None:
            continue
        account = conn.execute("SELECT id FROM accounts WHERE nir = ?", (person.nir,)).fetchone()
        for b in person.beneficiaries():
            if b.medecin_traitant:
                since = max(SEEDED_SINCE, b.birth_date)
                conn.execute(
                    "INSERT INTO mt_declarations (public_id, account_id, beneficiary_rank, rpps,"
                    " requested_at, due_at, settled_at, status)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 'enregistree')",
                    (new_id("T"), account[0], b.rank, number, since, since, stamp),
                )


def doctor_view(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "rpps": row["rpps"],
        "name": f"Dr {row['first_names']} {row['last_name']}",
        "specialty": row["specialty"],
        "address_line": row["address_line"],
        "postal_code": row["postal_code"],
        "city": row["city"],
    }


def _doctor(conn: sqlite3.Connection, number: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM doctors WHERE rpps = ?", (number,)
    ).fetchone()
    return row


def _declaration_view(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    doctor = _doctor(conn, row["rpps"])
    assert doctor is not None
    return {
        "id": row["public_id"],
        "beneficiary_rank": row["beneficiary_rank"],
        "doctor": doctor_view(doctor),
        "requested_at": row["requested_at"],
        "expected_at": row["due_at"],
        "status": row["status"],
    }


def _latest(conn: sqlite3.Connection, account_id: int, rank: str, status: str) -> Any:
    return conn.execute(
        "SELECT * FROM mt_declarations WHERE account_id = ? AND beneficiary_rank = ?"
        " AND status = ? ORDER BY requested_at DESC, id DESC LIMIT 1",
        (account_id, rank, status),
    ).fetchone()


async def show(request: Request) -> Response:
    account = reader(request, "medecin_traitant.show")
    conn = db(request)
    today = clock.today(conn)
    items = []
    for b in conn.execute(
        "SELECT * FROM beneficiaries WHERE account_id = ? ORDER BY rank", (account["id"],)
    ):
        current = _latest(conn, account["id"], b["rank"], "enregistree")
        pending = _latest(conn, account["id"], b["rank"], "en_cours")
        age = age_on(b["birth_date"], today)
        declared = bool(b["medecin_traitant"])
        doctor = _doctor(conn, current["rpps"]) if declared and current else None
        items.append(
            {
                "rank": b["rank"],
                "name": full_name(b),
                "age": age,
                "required": age >= tariffs.PARCOURS_MIN_AGE,
                "declared": declared,
                "doctor": doctor_view(doctor) if doctor else None,
                "since": current["requested_at"][:10] if declared and current else None,
                "pending": _declaration_view(conn, pending) if pending else None,
            }
        )
    return json_response(
        {
            "beneficiaries": items,
            "rates": {"parcours": 70, "hors_parcours": tariffs.HORS_PARCOURS_RATE},
        }
    )


def _checked_rpps(value: Any) -> str:
    if not isinstance(value, str):
        raise bad_request("rpps is an 11-digit string.", parameter="rpps")
    number = rpps.compact(value)
    wrong = rpps.problem(number)
    if wrong is not None:
        raise Problem(
            422, "invalid_rpps", "Invalid RPPS number",
            "An RPPS number has 11 digits, the last one a Luhn key.", problem=wrong,
        )  # fmt: skip
    return number


@idempotent
async def declare(request: Request) -> Response:
    _, account = submitter(request, "medecin_traitant.declare")
    conn = db(request)
    body = await json_object(request)
    number = _checked_rpps(body.get("rpps"))
    who = beneficiary(conn, account["id"], body.get("beneficiary_rank", "01"))
    now = clock.now(conn)
    age = age_on(who["birth_date"], now.date())
    if who["relationship"] == "enfant" and age >= tariffs.PARCOURS_MIN_AGE:
        raise Problem(
            422, "beneficiary_declares_own", "The beneficiary declares",
            f"From {tariffs.PARCOURS_MIN_AGE} a beneficiary declares their own médecin"
            " traitant; a parent declares only for a child under 16.",
            age=age,
        )  # fmt: skip
    if _doctor(conn, number) is None:
        raise Problem(
            422, "doctor_not_found", "Unknown doctor",
            "No doctor with this RPPS number in the directory (GET /v1/doctors).",
        )  # fmt: skip
    current = _latest(conn, account["id"], who["rank"], "enregistree")
    if who["medecin_traitant"] and current is not None and current["rpps"] == number:
        raise Problem(
            409, "already_declared", "Already declared",
            "This doctor is already the médecin traitant of this beneficiary.",
        )  # fmt: skip
    pending = _latest(conn, account["id"], who["rank"], "en_cours")
    if pending is not None:
        return json_response({**_declaration_view(conn, pending), "status": "already_pending"})
    conn.execute(
        "INSERT INTO mt_declarations (public_id, account_id, beneficiary_rank, rpps,"
        " requested_at, due_at, status) VALUES (?, ?, ?, ?, ?, ?, 'en_cours')",
        (
            new_id("T"), account["id"], who["rank"], number,
            clock.iso(now), clock.iso(now + RECORDING_DELAY),
        ),
    )  # fmt: skip
    row = _latest(conn, account["id"], who["rank"], "en_cours")
    return json_response(_declaration_view(conn, row), status=201)


# The table settle() works through (route_index.SETTLERS: nothing due, nothing imported).
SETTLES = "mt_declarations"


def settle(conn: sqlite3.Connection, now: str) -> None:
    def record(row: sqlite3.Row) -> str:
        conn.execute(
            "UPDATE beneficiaries SET medecin_traitant = 1 WHERE account_id = ? AND rank = ?",
            (row["account_id"], row["beneficiary_rank"]),
        )
        return "enregistree"

    settle_rows(conn, SETTLES, now, record)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


async def search_doctors(request: Request) -> Response:
    authenticate(request)
    conn = db(request)
    # Bounded as the spec says (q ≤ 100, rpps ≤ 20 characters, no control characters).
    query = _folded((query_text(request, "q", max_length=100) or "").strip())
    number = rpps.compact(query_text(request, "rpps", max_length=20) or "")
    items = [
        doctor_view(row)
        for row in conn.execute("SELECT * FROM doctors ORDER BY last_name, first_names, rpps")
        if (not query and not number)  # the whole (small) directory
        or (number and row["rpps"] == number)
        or (
            query
            and query
            in _folded(
                f"{row['first_names']} {row['last_name']} {row['city']} {row['postal_code']}"
            )
        )
    ]
    return json_response({"items": items})


def routes() -> list[Route]:
    return [
        Route("/v1/medecin-traitant", show, methods=["GET"]),
        Route("/v1/medecin-traitant/declarations", declare, methods=["POST"]),
        Route("/v1/doctors", search_doctors, methods=["GET"]),
    ]
