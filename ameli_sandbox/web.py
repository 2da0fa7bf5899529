"""What every endpoint shares: the database, JSON bodies, the caller, idempotency."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ameli_sandbox import clock
from ameli_sandbox.problems import Problem, bad_request, forbidden, not_found

Handler = Callable[[Request], Awaitable[Response]]


def db(request: Request) -> sqlite3.Connection:
    conn: sqlite3.Connection = request.app.state.db
    return conn


def json_response(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


async def json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise bad_request("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    return body


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """The signed-in caller."""

    account_id: int
    nir: str
    role: str
    token_id: int


def authenticate(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "auth_required", "Authentication required", "Sign in first.")
    conn = db(request)
    row = conn.execute(
        "SELECT t.id, t.account_id, t.expires_at, t.revoked_at, a.nir, a.role"
        " FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = ?",
        (hash_token(token.strip()),),
    ).fetchone()
    if row is None or row["revoked_at"] is not None:
        raise Problem(401, "token_invalid", "Invalid token", "This token is not valid.")
    if row["expires_at"] <= clock.iso(clock.now(conn)):
        raise Problem(
            401,
            "token_expired",
            "Token expired",
            "This session has expired.",
            expired_at=row["expires_at"],
        )
    from ameli_sandbox.settling import settle_due

    settle_due(conn, clock.iso(clock.now(conn)))
    return Principal(row["account_id"], row["nir"], row["role"], row["id"])


def subject_account(request: Request, principal: Principal, action: str) -> sqlite3.Row:
    """The assuré whose data is asked for.

    The one rule for every endpoint: an agent names the assuré with `?nir=`; an
    assuré may omit it or name itself, never anyone else. Agent access is audited.
    """
    conn = db(request)
    nir = request.query_params.get("nir")
    if nir is not None:
        nir = "".join(nir.split()).upper()
    if principal.role == "agent":
        if not nir:
            raise bad_request("An agent must name the assuré with ?nir=.")
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM accounts WHERE nir = ? AND role = 'assure'", (nir,)
        ).fetchone()
        if row is None:
            raise not_found("No assuré with this NIR.")
        record_audit(conn, principal.account_id, row["id"], action)
        return row
    if nir and nir != principal.nir:
        raise forbidden("An assuré can only reach its own data.")
    own: sqlite3.Row | None = conn.execute(
        "SELECT * FROM accounts WHERE id = ?", (principal.account_id,)
    ).fetchone()
    assert own is not None
    return own


def record_audit(conn: sqlite3.Connection, actor: int, subject: int, action: str) -> None:
    conn.execute(
        "INSERT INTO audit (at, actor_account_id, subject_account_id, action) VALUES (?, ?, ?, ?)",
        (clock.iso(clock.now(conn)), actor, subject, action),
    )


def idempotent(handler: Handler) -> Handler:
    """Honour `Idempotency-Key` on a write: the same key never acts twice.

    The first response (unless a 5xx) is stored per caller and key, and replayed
    with `Idempotent-Replayed: true` for any later request bearing that key.
    """

    @wraps(handler)
    async def wrapper(request: Request) -> Response:
        key = request.headers.get("idempotency-key")
        if not key:
            return await handler(request)
        if len(key) > 200:
            raise bad_request("Idempotency-Key is longer than 200 characters.")
        conn = db(request)
        scope = _idempotency_scope(request)
        row = conn.execute(
            "SELECT status, body, method, path FROM idempotency WHERE scope = ? AND key = ?",
            (scope, key),
        ).fetchone()
        if row is not None:
            if (row["method"], row["path"]) != (request.method, request.url.path):
                raise Problem(
                    422,
                    "idempotency_key_reused",
                    "Idempotency key reused",
                    "This Idempotency-Key was used for another request.",
                )
            return Response(
                row["body"],
                status_code=row["status"],
                media_type="application/json",
                headers={"Idempotent-Replayed": "true"},
            )
        response = await handler(request)
        if response.status_code < 500:
            conn.execute(
                "INSERT OR IGNORE INTO idempotency (scope, key, method, path, status, body,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    scope,
                    key,
                    request.method,
                    request.url.path,
                    response.status_code,
                    bytes(response.body),
                    clock.iso(clock.now(conn)),
                ),
            )
        return response

    return wrapper


def _idempotency_scope(request: Request) -> str:
    # Per account, not per token: a message retried after signing in again must
    # still be recognised.
    try:
        return f"account:{authenticate(request).account_id}"
    except Problem:
        return "anonymous"
