"""The assuré's contact and bank details (`/v1/profile`) and its caisse (`/v1/organisme`).

The details themselves live in the `accounts` table (see accounts.py); this component
adds the history of changes: each field changed, when, and by whom (the assuré or an
agent). Values are not kept in the history: the old IBAN is nobody's business.

A PATCH is all or nothing: every field is checked first and any invalid one fails
the whole request (422 `invalid_profile`, with one entry per field in `errors`).
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from ameli_rules.rib import rib_key_valid
from ameli_sandbox import clock
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.web import (
    authenticate,
    db,
    idempotent,
    json_object,
    json_response,
    subject_account,
)

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "profile"
MIGRATIONS = [
    """
    CREATE TABLE profile_changes (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        changed_at TEXT NOT NULL,
        field TEXT NOT NULL,
        changed_by TEXT NOT NULL CHECK (changed_by IN ('assure', 'agent'))
    );
    CREATE INDEX profile_changes_account ON profile_changes (account_id, changed_at)
    """,
    # The history is read newest first, ties in id order (profile_of): an index in that
    # order, so that GET /v1/profile reads 50 entries instead of sorting them all
    # (issue 18: 130 us and growing with each change under the write load).
    """
    CREATE INDEX profile_changes_recent ON profile_changes (account_id, changed_at DESC, id)
    """,
]

FIELDS = ("email", "phone", "address_line", "postal_code", "city", "iban")
MAX_LENGTH = {"address_line": 100, "city": 60}
HISTORY_LIMIT = 50

# What the caisse itself reminds every assuré of (see DOMAIN.md, "Account and messages").
REMINDERS = (
    {
        "code": "single_phone_number",
        "text": "Le 3646 est le seul numéro de téléphone de l'Assurance Maladie.",
    },
    {
        "code": "no_bank_details_by_phone_or_email",
        "text": (
            "Votre caisse ne vous demande jamais vos coordonnées bancaires par téléphone"
            " ni par e-mail."
        ),
    },
)

_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    """Nothing to seed: the details are the accounts' own, and no change happened yet."""


# -- checks (the service's own: it trusts no client) ------------------------------------


def _check(field: str, raw: object) -> tuple[str | None, dict[str, str] | None]:
    """The value to store, or an error entry for `errors`."""
    if not isinstance(raw, str):
        return None, {"field": field, "code": "not_a_string", "detail": f"{field} is a string."}
    value = raw.strip()
    if field == "email":
        if len(value) > 254 or ".." in value or not _EMAIL.fullmatch(value):
            return None, _error(field, "invalid_email", "Not an e-mail address.")
        return value, None
    if field == "phone":
        digits = "".join(ch for ch in value if ch not in " .-()\u00a0")
        for prefix in ("+33", "0033"):
            if digits.startswith(prefix):
                digits = "0" + digits[len(prefix) :].removeprefix("0")
        if not (len(digits) == 10 and digits.isdigit() and digits[0] == "0"):
            return None, _error(field, "invalid_phone", "Not a French phone number (10 digits).")
        if digits[1] not in "12345679":
            return None, _error(field, "invalid_phone", "Not a personal French phone number.")
        return digits, None
    if field == "postal_code":
        if not (len(value) == 5 and value.isdigit() and value[:2] != "00"):
            return None, _error(field, "invalid_postal_code", "A postal code has 5 digits.")
        return value, None
    if field == "iban":
        from stdnum import iban as iban_lib

        compact = "".join(value.split()).upper()
        if not iban_lib.is_valid(compact):
            return None, _error(field, "invalid_iban", "Not a valid IBAN.")
        if compact.startswith(("FR", "MC")) and not rib_key_valid(compact[4:]):
            return None, _error(field, "invalid_rib_key", "The French RIB key does not match.")
        return compact, None
    single_line = " ".join(value.split())
    if not single_line or len(single_line) > MAX_LENGTH[field]:
        return None, _error(field, "invalid_text", f"1 to {MAX_LENGTH[field]} characters.")
    if any(ord(ch) < 32 and not ch.isspace() for ch in value):
        return None, _error(field, "invalid_text", "Control characters are not allowed.")
    return single_line, None


def _error(field: str, code: str, detail: str) -> dict[str, str]:
    return {"field": field, "code": code, "detail": detail}


def mask_iban(iban: str | None) -> str | None:
    if not iban:
        return None
    hidden = iban[:4] + "*" * (len(iban) - 8) + iban[-4:]
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))


# -- representations -------------------------------------------------------------------


def profile_of(conn: sqlite3.Connection, account: sqlite3.Row) -> dict[str, Any]:
    caisse = conn.execute(
        "SELECT code, name, regime FROM caisses WHERE code = ?", (account["caisse_code"],)
    ).fetchone()
    changes = conn.execute(
        "SELECT changed_at, field, changed_by FROM profile_changes WHERE account_id = ?"
        " ORDER BY changed_at DESC, id ASC LIMIT ?",
        (account["id"], HISTORY_LIMIT),
    ).fetchall()
    return {
        "nir": account["nir"],
        "last_name": account["last_name"],
        "first_names": account["first_names"],
        "birth_date": account["birth_date"],
        "email": account["email"],
        "phone": account["phone"],
        "address_line": account["address_line"],
        "postal_code": account["postal_code"],
        "city": account["city"],
        # Never the whole IBAN over the wire: it is only ever shown masked.
        "iban_masked": mask_iban(account["iban"]),
        "caisse": {"code": caisse["code"], "name": caisse["name"], "regime": caisse["regime"]},
        "changes": [
            {"field": c["field"], "changed_at": c["changed_at"], "changed_by": c["changed_by"]}
            for c in changes
        ],
    }


def organisme_of(conn: sqlite3.Connection, code: str) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM caisses WHERE code = ?", (code,)).fetchone()
    return {
        "code": row["code"],
        "name": row["name"],
        "regime": row["regime"],
        "address_lines": row["address_lines"].split("\n"),
        "postal_code": row["postal_code"],
        "city": row["city"],
        "phone": row["phone"],
        "hours": row["hours"],
        "local_regime": bool(row["local_regime"]),
        "reminders": [dict(r) for r in REMINDERS],
    }


# -- handlers --------------------------------------------------------------------------


async def get_profile(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="profile.read")
    return json_response(profile_of(db(request), account))


@idempotent
async def patch_profile(request: Request) -> Response:
    principal = authenticate(request)
    body = await json_object(request)
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise bad_request(
            f"Unknown field(s): {', '.join(unknown)}. Allowed: {', '.join(FIELDS)}.",
            unknown_fields=unknown,
        )
    if not body:
        raise bad_request(f"Nothing to change: give at least one of {', '.join(FIELDS)}.")
    values: dict[str, str] = {}
    errors: list[dict[str, str]] = []
    for field in FIELDS:
        if field in body:
            value, error = _check(field, body[field])
            if error is not None:
                errors.append(error)
            elif value is not None:
                values[field] = value
    if errors:
        raise Problem(
            422,
            "invalid_profile",
            "Invalid profile",
            "Some fields are invalid: nothing was changed.",
            errors=errors,
        )
    conn = db(request)
    account = subject_account(request, principal, action="profile.update")
    changed = [f for f in FIELDS if f in values and values[f] != account[f]]
    if changed:
        now = clock.iso(clock.now(conn))
        conn.execute("BEGIN IMMEDIATE")
        try:
            assignments = ", ".join(f"{f} = ?" for f in changed)
            conn.execute(
                f"UPDATE accounts SET {assignments} WHERE id = ?",
                (*(values[f] for f in changed), account["id"]),
            )
            conn.executemany(
                "INSERT INTO profile_changes (account_id, changed_at, field, changed_by)"
                " VALUES (?, ?, ?, ?)",
                [(account["id"], now, f, principal.role) for f in changed],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        account = conn.execute("SELECT * FROM accounts WHERE id = ?", (account["id"],)).fetchone()
    result = profile_of(conn, account)
    result["changed_fields"] = changed
    return json_response(result)


async def get_organisme(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="organisme.read")
    return json_response(organisme_of(db(request), account["caisse_code"]))


def routes() -> list[Route]:
    return [
        Route("/v1/profile", get_profile, methods=["GET"]),
        Route("/v1/profile", patch_profile, methods=["PATCH"]),
        Route("/v1/organisme", get_organisme, methods=["GET"]),
    ]
