"""What the démarches (médecin traitant, bénéficiaires, CSS, documents) share on the
service side: who may submit, files received as base64 in JSON, beneficiaries.

Agents read an assuré's démarches (`?nir=`, audited) but submit nothing in an
assuré's name: a declaration, a request or a form is the assuré's own act (a CPAM
agent who takes a paper form keys it in the caisse's own tools, not the assuré's
account).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import sqlite3
from datetime import date
from typing import Any

from ameli_rules import filetypes
from ameli_sandbox.http import Request
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.web import Principal, authenticate, db, subject_account

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILENAME = 200
FILE_TYPES = (filetypes.PDF, filetypes.JPEG, filetypes.PNG)
_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: ids are typed by people


def new_id(prefix: str, length: int = 6) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def submitter(request: Request, action: str) -> tuple[Principal, sqlite3.Row]:
    """The signed-in assuré submitting for itself; an agent is refused (403)."""
    principal = authenticate(request)
    if principal.role == "agent":
        raise Problem(
            403,
            "agents_cannot_submit",
            "Agents cannot submit",
            "An agent reads an assuré's démarches but submits nothing in the assuré's name.",
        )
    return principal, subject_account(request, principal, action=action)


def reader(request: Request, action: str) -> sqlite3.Row:
    return subject_account(request, authenticate(request), action=action)


def age_on(birth_date: str, on: date) -> int:
    born = date.fromisoformat(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def beneficiary(conn: sqlite3.Connection, account_id: int, rank: Any) -> sqlite3.Row:
    if not (isinstance(rank, str) and len(rank) == 2 and rank.isdigit()):
        raise bad_request("beneficiary_rank is a 2-digit rank (01, 02…).")
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM beneficiaries WHERE account_id = ? AND rank = ?", (account_id, rank)
    ).fetchone()
    if row is None:
        raise Problem(
            422,
            "beneficiary_not_found",
            "No such beneficiary",
            f"No beneficiary with rank {rank} on this account.",
        )
    return row


def full_name(row: sqlite3.Row) -> str:
    return f"{row['first_names']} {row['last_name']}"


def decode_files(items: Any, *, field: str, required: bool = True) -> list[dict[str, Any]]:
    """[{filename, content_base64}] → [{filename, media_type, bytes, sha256}], each
    file a PDF, JPEG or PNG by its content (never its name). Only these facts are kept."""
    if items is None:
        items = []
    if not isinstance(items, list) or len(items) > MAX_FILES:
        raise bad_request(f"{field} is a list of at most {MAX_FILES} files.")
    if required and not items:
        raise Problem(422, "file_required", "File required", f"{field} needs at least one file.")
    files = []
    for item in items:
        if not isinstance(item, dict):
            raise bad_request(f"Each item of {field} is an object.")
        filename = str(item.get("filename") or "")[:MAX_FILENAME] or "document"
        try:
            content = base64.b64decode(str(item.get("content_base64") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(f"{filename}: content_base64 is not valid base64.") from None
        if len(content) > MAX_FILE_BYTES:
            raise Problem(
                413, "file_too_large", "File too large",
                f"{filename} is larger than {MAX_FILE_BYTES} bytes.", max_bytes=MAX_FILE_BYTES,
            )  # fmt: skip
        media_type = filetypes.sniff(content).media_type
        if media_type not in FILE_TYPES:
            raise Problem(
                422, "unsupported_file", "Unsupported file",
                f"{filename} is not a PDF, JPEG or PNG file.", filename=filename,
                accepted=list(FILE_TYPES),
            )  # fmt: skip
        files.append(
            {
                "filename": filename,
                "media_type": media_type,
                "bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    return files


def next_rank(conn: sqlite3.Connection, account_id: int) -> str:
    row = conn.execute(
        "SELECT max(CAST(rank AS INTEGER)) FROM beneficiaries WHERE account_id = ?", (account_id,)
    ).fetchone()
    return f"{int(row[0] or 1) + 1:02d}"


def json_body_field(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{name} is required.", parameter=name)
    return value.strip()


def conn_of(request: Request) -> sqlite3.Connection:
    return db(request)
