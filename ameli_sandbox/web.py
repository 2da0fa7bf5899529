"""What every endpoint shares: the database, JSON bodies, the caller, idempotency."""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, NamedTuple

from ameli_sandbox import clock
from ameli_sandbox.http import JSONResponse, Request, Response
from ameli_sandbox.problems import Problem, bad_request, forbidden, not_found

Handler = Callable[[Request], Awaitable[Response]]


def db(request: Request) -> sqlite3.Connection:
    conn: sqlite3.Connection = request.app.state.db
    return conn


def json_response(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


# JSON bodies we parse (issue 13): no API object nests deeper than a few levels, and no
# number of ours has more than 20 digits. Past these a body is refused with 400, before
# Python's parser recurses or converts a 5,000-digit integer.
MAX_JSON_DEPTH = 32
MAX_JSON_NUMBER = 40  # characters


def _bounded_number(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if len(text) > MAX_JSON_NUMBER:
            raise ValueError("number too long")
        value = kind(text)
        if not math.isfinite(value):  # 1e999 reads as infinity
            raise ValueError("number out of range")
        return value

    return parse


def _refuse_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def parse_json(raw: bytes) -> Any:
    """Strict, bounded JSON: 400 for anything else (never a 500)."""
    try:
        value = json.loads(
            raw,
            parse_int=_bounded_number(int),
            parse_float=_bounded_number(float),
            parse_constant=_refuse_constant,
        )
    except RecursionError:  # the C parser stops at the interpreter's recursion limit
        raise bad_request(f"The body nests deeper than {MAX_JSON_DEPTH} levels.") from None
    except (ValueError, UnicodeDecodeError):
        raise bad_request("The body is not valid JSON (or holds a number too long).") from None
    if _too_deep(value):
        raise bad_request(f"The body nests deeper than {MAX_JSON_DEPTH} levels.")
    return value


def _too_deep(value: Any) -> bool:
    """Walked without recursion: no handler of ours recurses into a hostile body."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        if depth > MAX_JSON_DEPTH:
            return True
        pending.extend((child, depth + 1) for child in item if isinstance(child, dict | list))
    return False


async def json_object(request: Request) -> dict[str, Any]:
    body = parse_json((await request.body()) or b"null")
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    return body


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Principal(NamedTuple):
    """The signed-in caller (a named tuple: a frozen dataclass costs ~1 ms to define,
    on every embedded request's import)."""

    account_id: int
    nir: str
    role: str
    token_id: int


PRINCIPAL_KEY = "ameli.principal"


def authenticate(request: Request) -> Principal:
    """The caller, from the bearer token; 401 otherwise. Once per request: a write
    with an Idempotency-Key asks twice (its scope, then the handler), and the answer
    cannot differ within one request (issue 18: a token lookup and a clock read saved)."""
    known = request.scope.get(PRINCIPAL_KEY)
    if isinstance(known, Principal):
        return known
    principal = _authenticate(request)
    request.scope[PRINCIPAL_KEY] = principal
    return principal


def _authenticate(request: Request) -> Principal:
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
    now = clock.iso(clock.now(conn))
    if row["expires_at"] <= now:
        raise Problem(
            401,
            "token_expired",
            "Token expired",
            "This session has expired.",
            expired_at=row["expires_at"],
        )
    from ameli_sandbox.settling import settle_due

    settle_due(conn, now)
    return Principal(row["account_id"], row["nir"], row["role"], row["id"])


NIR_PARAM = re.compile(r"[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}")


def subject_account(request: Request, principal: Principal, action: str) -> sqlite3.Row:
    """The assuré whose data is asked for.

    The one rule for every endpoint: an agent names the assuré with `?nir=`; an
    assuré may omit it or name itself, never anyone else. Agent access is audited.
    """
    conn = db(request)
    nir = request.query_params.get("nir")
    if nir is not None and not NIR_PARAM.fullmatch(nir):
        # As the spec says: 15 characters, compact, Corsica's 2A/2B in capitals.
        raise bad_request("nir is 15 characters (13 digits or 2A/2B, then the key).")
    if principal.role == "agent":
        if not nir:
            raise bad_request("An agent must name the assuré with ?nir=.")
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM accounts WHERE nir = ? AND role = 'assure'", (nir,)
        ).fetchone()
        if row is None:
            raise not_found("No assuré with this NIR.", resource="assure")
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

    The first response (unless an error) is stored per caller and key, with a
    fingerprint of the request it answered (as Stripe does): the caller, the assuré
    acted for, the method, the path and query, and the body's digest. The same request
    again is answered with the stored response and `Idempotent-Replayed: true`; any
    other request bearing that key is refused with 422 `idempotency_key_reused`
    (never the first result for a different write, never a write silently dropped).
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
        fingerprint = request_fingerprint(request, scope, await request.body())
        row = conn.execute(
            "SELECT status, body, method, path, fingerprint FROM idempotency"
            " WHERE scope = ? AND key = ?",
            (scope, key),
        ).fetchone()
        if row is not None:
            stored = row["fingerprint"]
            if (row["method"], row["path"]) != (request.method, request.url.path) or (
                stored is not None and stored != fingerprint
            ):
                raise idempotency_key_reused()
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
                " created_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scope,
                    key,
                    request.method,
                    request.url.path,
                    response.status_code,
                    bytes(response.body),
                    clock.iso(clock.now(conn)),
                    fingerprint,
                ),
            )
        return response

    return wrapper


def idempotency_key_reused() -> Problem:
    return Problem(
        422,
        "idempotency_key_reused",
        "Idempotency key reused",
        "This Idempotency-Key was used for a different request (another body, path or"
        " assuré); use a new key for a new request.",
    )


def request_fingerprint(request: Request, scope: str, body: bytes) -> str:
    """What makes two writes the same write: who, for whom, what, with which body."""
    nir = "".join((request.query_params.get("nir") or "").split()).upper()
    query = sorted((k, v) for k, v in request.query_params.multi_items() if k != "nir")
    parts = [scope, nir, request.method, request.url.path, json.dumps(query)]
    parts.append(hashlib.sha256(_without_boundary(request, body)).hexdigest())
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _without_boundary(request: Request, body: bytes) -> bytes:
    """A multipart body with its boundary (random, new on each retry) made fixed: the
    same parts are the same request."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/"):
        return body
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.lower() == "boundary" and value.strip('"'):
            return body.replace(value.strip('"').encode("latin-1"), b"boundary")
    return body


def _idempotency_scope(request: Request) -> str:
    # Per account, not per token: a message retried after signing in again must
    # still be recognised.
    try:
        return f"account:{authenticate(request).account_id}"
    except Problem:
        return "anonymous"
