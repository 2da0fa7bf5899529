"""Complémentaire santé solidaire (CSS): simulate, request, follow the request.

Thresholds: yearly resources of the household, métropole, applicable from 2025-04-01
to 2026-04-01 (efl.fr, "Complémentaire santé solidaire : conditions de ressources");
the later ones were not found and the sandbox keeps these. Monthly participation per
member by age at 1 January (arrêté du 29 décembre 2023: 8, 14, 21, 25, 30 €;
Alsace-Moselle's régime local 2.80, 4.90, 7.30, 8.70, 10.50 € per the CPAM des
Bouches-du-Rhône's partners page). *Invented*: the decision delay (30 days; the law
allows two months) and granting from the first day of the next month for one year.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock
from ameli_sandbox.demarches import decode_files, new_id, reader, submitter
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.settling import settle_rows
from ameli_sandbox.web import db, idempotent, json_object, json_response

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "css"
MIGRATIONS = [
    """
    CREATE TABLE css_requests (
        id INTEGER PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        yearly_resources INTEGER NOT NULL,
        ages TEXT NOT NULL,
        files TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        due_at TEXT NOT NULL,
        settled_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('en_cours', 'accordee', 'refusee')),
        outcome TEXT,
        start_date TEXT,
        end_date TEXT
    );
    CREATE INDEX css_requests_due ON css_requests (settled_at, due_at)
    """,
]
SOURCE = {
    "thresholds": "efl.fr, Complémentaire santé solidaire : conditions de ressources",
    "valid_from": "2025-04-01",
    "participation": "arrêté du 29 décembre 2023 (JORF)",
}
# cents per year: (free, with participation) for 1..4 people, then per extra person
FREE = (1_033_900, 1_550_800, 1_860_900, 2_171_100)
FREE_EXTRA = 413_500
PAID = (1_395_700, 2_093_600, 2_512_300, 2_931_100)
PAID_EXTRA = 558_300
# monthly participation by age band (upper age, cents); national and Alsace-Moselle
BANDS = ((29, 800, 280), (49, 1400, 490), (59, 2100, 730), (69, 2500, 870), (200, 3000, 1050))
DECISION_DELAY = timedelta(days=30)  # invented
MAX_MEMBERS = 20


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    return None


def threshold(table: tuple[int, ...], extra: int, size: int) -> int:
    return table[min(size, 4) - 1] + max(0, size - 4) * extra


def simulate(resources: int, ages: list[int], *, local_regime: bool) -> dict[str, Any]:
    size = len(ages)
    free, paid = threshold(FREE, FREE_EXTRA, size), threshold(PAID, PAID_EXTRA, size)
    outcome = "gratuite" if resources <= free else "participation" if resources <= paid else None
    members = []
    for age in ages:
        band = next(b for b in BANDS if age <= b[0])
        monthly = (band[2] if local_regime else band[1]) if outcome == "participation" else 0
        members.append({"age": age, "monthly_participation": monthly})
    return {
        "household_size": size,
        "yearly_resources": resources,
        "outcome": outcome or "non_eligible",
        "thresholds": {"gratuite": free, "participation": paid},
        "members": members,
        "monthly_participation": sum(m["monthly_participation"] for m in members),
        "regime_local": local_regime,
        "source": SOURCE,
    }


def _ages(value: Any) -> list[int]:
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    try:
        ages = [int(str(a).strip()) for a in (value or [])]
    except ValueError:
        raise bad_request("ages is a list of ages in years.", parameter="ages") from None
    if not 1 <= len(ages) <= MAX_MEMBERS or any(not 0 <= a <= 130 for a in ages):
        raise bad_request(
            f"ages: one age (0 to 130) per member of the household, 1 to {MAX_MEMBERS}.",
            parameter="ages",
        )
    return ages


def _resources(value: Any) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**10:
        raise bad_request(
            "yearly_resources is a whole number of cents.", parameter="yearly_resources"
        )
    return value


async def simulation(request: Request) -> Response:
    params = request.query_params
    local = params.get("regime_local", "false").lower() in ("true", "1")
    result = simulate(
        _resources(params.get("yearly_resources")), _ages(params.get("ages")), local_regime=local
    )
    return json_response(result)


def _view(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["public_id"],
        "yearly_resources": row["yearly_resources"],
        "ages": json.loads(row["ages"]),
        "justificatifs": json.loads(row["files"]),
        "requested_at": row["requested_at"],
        "expected_at": row["due_at"] if row["settled_at"] is None else None,
        "decided_at": row["settled_at"],
        "status": row["status"],
        "outcome": row["outcome"],
        "start_date": row["start_date"],
        "end_date": row["end_date"],
    }


async def list_requests(request: Request) -> Response:
    account = reader(request, "css.list")
    rows = db(request).execute(
        "SELECT * FROM css_requests WHERE account_id = ? ORDER BY requested_at DESC, id DESC",
        (account["id"],),
    )
    return json_response({"items": [_view(r) for r in rows]})


@idempotent
async def create_request(request: Request) -> Response:
    _, account = submitter(request, "css.request")
    conn = db(request)
    body = await json_object(request)
    resources, ages = _resources(body.get("yearly_resources")), _ages(body.get("ages"))
    files = decode_files(body.get("justificatifs"), field="justificatifs")
    now = clock.now(conn)
    pending = conn.execute(
        "SELECT 1 FROM css_requests WHERE account_id = ? AND status = 'en_cours'", (account["id"],)
    ).fetchone()
    if pending:
        raise Problem(409, "css_request_pending", "Request pending", "A CSS request is pending.")
    row_id = conn.execute(
        "INSERT INTO css_requests (public_id, account_id, yearly_resources, ages, files,"
        " requested_at, due_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'en_cours')",
        (
            new_id("S"), account["id"], resources, json.dumps(ages), json.dumps(files),
            clock.iso(now), clock.iso(now + DECISION_DELAY),
        ),
    ).lastrowid  # fmt: skip
    row = conn.execute("SELECT * FROM css_requests WHERE id = ?", (row_id,)).fetchone()
    return json_response(_view(row), status=201)


def _first_of_next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


# The table settle() works through (route_index.SETTLERS: nothing due, nothing imported).
SETTLES = "css_requests"


def settle(conn: sqlite3.Connection, now: str) -> None:
    def decide(row: sqlite3.Row) -> str:
        local = conn.execute(
            "SELECT c.local_regime FROM accounts a JOIN caisses c ON c.code = a.caisse_code"
            " WHERE a.id = ?",
            (row["account_id"],),
        ).fetchone()[0]
        result = simulate(row["yearly_resources"], json.loads(row["ages"]), local_regime=local)
        if result["outcome"] == "non_eligible":
            conn.execute(
                "UPDATE css_requests SET outcome = 'non_eligible' WHERE id = ?", (row["id"],)
            )
            return "refusee"
        start = _first_of_next_month(date.fromisoformat(row["due_at"][:10]))
        end = date(start.year + 1, start.month, 1) - timedelta(days=1)
        label = (
            "Complémentaire santé solidaire sans participation financière"
            if result["outcome"] == "gratuite"
            else "Complémentaire santé solidaire avec participation financière"
            f" ({result['monthly_participation'] / 100:.2f} € par mois)".replace(".", ",")
        )
        for b in conn.execute(
            "SELECT id FROM beneficiaries WHERE account_id = ?", (row["account_id"],)
        ):
            conn.execute(
                "INSERT INTO coverages (beneficiary_id, kind, start_date, end_date, label)"
                " VALUES (?, 'css', ?, ?, ?)",
                (b["id"], start.isoformat(), end.isoformat(), label),
            )
        conn.execute(
            "UPDATE css_requests SET outcome = ?, start_date = ?, end_date = ? WHERE id = ?",
            (result["outcome"], start.isoformat(), end.isoformat(), row["id"]),
        )
        return "accordee"

    settle_rows(conn, SETTLES, now, decide)


def routes() -> list[Route]:
    return [
        Route("/v1/css/simulation", simulation, methods=["GET"]),
        Route("/v1/css/requests", list_requests, methods=["GET"]),
        Route("/v1/css/requests", create_request, methods=["POST"]),
    ]
