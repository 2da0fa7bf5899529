"""What the service does around every request: body limits, login rate limiting,
and (when served over HTTP) a redacted access log.

Plain ASGI middleware, standard library only: the embedded path pays nothing to
import it. Errors are RFC 9457 problems, like the rest of the service.
"""

from __future__ import annotations

import json
import re
import time
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote

from ameli_sandbox.http import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    import logging

LOGIN_PATH = "/v1/auth/login"
# Anonymous paths that check a secret: one budget per address for all of them.
RATE_LIMITED_PATHS = frozenset(
    {LOGIN_PATH, "/v1/auth/password-reset", "/v1/auth/password-reset/confirm"}
)

# Request bodies: 1 MiB for JSON, more where files travel. A message carries up to
# 5 attachments of 5 MiB, base64 in JSON (x 4/3); a carte Vitale order a photo and
# an ID document in multipart. Longest matching prefix wins.
DEFAULT_BODY_LIMIT = 1024 * 1024
BODY_LIMITS: dict[str, int] = {
    "/v1/messages": 36 * 1024 * 1024,
    "/v1/vitale/orders": 16 * 1024 * 1024,
    # Démarches: up to 5 files of 10 MiB, base64 in JSON (x 4/3).
    "/v1/beneficiaires/requests": 16 * 1024 * 1024,
    "/v1/css/requests": 70 * 1024 * 1024,
    "/v1/documents/submissions": 70 * 1024 * 1024,
}

# Sign-in attempts per client address and minute, shared by every worker through
# the database (features/limits.py). Lockout (5 wrong passwords) protects one
# account; this protects the service from someone trying many NIRs.
DEFAULT_LOGIN_RATE = 30
LOGIN_RATE_ENV = "AMELI_SANDBOX_LOGIN_RATE"
LOGIN_WINDOW_SECONDS = 60

ACCESS_LOGGER = "ameli.sandbox.access"


def body_limit_for(path: str) -> int:
    best, limit = -1, DEFAULT_BODY_LIMIT
    for prefix, value in BODY_LIMITS.items():
        if (path == prefix or path.startswith(prefix + "/")) and len(prefix) > best:
            best, limit = len(prefix), value
    return limit


async def send_problem(
    send: Send,
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
    **extra: Any,
) -> None:
    body = json.dumps(
        {
            "type": f"/problems/{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            **extra,
        }
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse request bodies over the path's limit with 413, before the handler
    reads them: at once from Content-Length, or as soon as a chunked body passes it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope["path"])
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await send_problem(
                    send, 400, "invalid_request", "Invalid request", "Bad Content-Length header."
                )
                return
            if int(declared) > limit:
                await _too_large(send, limit)
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, limit)


async def _too_large(send: Send, limit: int) -> None:
    await send_problem(
        send,
        413,
        "payload_too_large",
        "Payload too large",
        f"The request body is larger than {limit} bytes.",
        limit=limit,
    )


class LoginRateLimit:
    """At most `per_minute` sign-in attempts per client address; then 429 with
    Retry-After. 0 turns it off."""

    def __init__(self, app: ASGIApp, per_minute: int = DEFAULT_LOGIN_RATE) -> None:
        self.app = app
        self.per_minute = per_minute

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] not in RATE_LIMITED_PATHS
            or scope["method"] != "POST"
            or self.per_minute <= 0
        ):
            await self.app(scope, receive, send)
            return
        from ameli_sandbox.features.limits import take_attempt

        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        conn = scope["app"].state.db
        retry_after = take_attempt(
            conn, f"login:{address}", self.per_minute, LOGIN_WINDOW_SECONDS, time.time()
        )
        if retry_after is None:
            await self.app(scope, receive, send)
            return
        await send_problem(
            send,
            429,
            "rate_limited",
            "Too many requests",
            f"More than {self.per_minute} sign-in attempts in a minute from this address;"
            f" retry in {retry_after} s.",
            headers=[(b"retry-after", str(retry_after).encode("ascii"))],
            retry_after=retry_after,
        )


# -- access log ------------------------------------------------------------------------

# Query values are written as *** except those of this allowlist, which say how a
# page was asked for and name nobody. Anything shaped like a NIR is masked wherever it
# appears (path or allowed value), in every spelling a client may use: compact,
# spaced, dotted or dashed, 13 characters without the key, percent-encoded, Corsica's
# 2A/2B in either case.
LOGGED_PARAMS = frozenset(
    {"limit", "cursor", "type", "kind", "by", "unread", "year", "since", "until", "status"}
)
_SEP = r"[ .\-_/]?"
NIR_REGEX = (
    r"(?<![0-9A-Za-z])[12378]"
    + _SEP
    + r"[0-9]{2}"
    + _SEP
    + r"[0-9]{2}"
    + _SEP
    + r"(?:[0-9]{2}|2[AaBb])"
    + _SEP
    + r"[0-9]{3}"
    + _SEP
    + r"[0-9]{3}"
    + r"(?:"
    + _SEP
    + r"[0-9]{2})?(?![0-9A-Za-z])"
)


@cache
def _nir_pattern() -> re.Pattern[str]:
    return re.compile(NIR_REGEX)  # compiled on first use: the embedded path never logs


def mask_nirs(text: str) -> str:
    """`text` with every NIR-shaped run replaced by [nir], percent-decoding first (a
    client may encode digits or separators) and `+` read as a space."""
    decoded = unquote(text.replace("+", " "), errors="replace")
    return _nir_pattern().sub("[nir]", decoded)


def redact_target(path: str, query_string: bytes) -> str:
    target = "/".join(quote(mask_nirs(part), safe="[]@:,;=") for part in path.split("/"))
    if not query_string:
        return target
    parts = []
    for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        shown = mask_nirs(value) if key.lower() in LOGGED_PARAMS else "***"
        parts.append(f"{quote(mask_nirs(key), safe='[]')}={quote(shown, safe='*[]:,')}")
    return f"{target}?{'&'.join(parts)}"


class AccessLog:
    """One line per request: client, method, redacted target, status, bytes, time.
    Never headers (Authorization), never bodies (passwords)."""

    def __init__(self, app: ASGIApp, logger: logging.Logger | None = None) -> None:
        import logging  # only when served over HTTP

        self.app = app
        self.logger = logger or logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        size = 0

        async def logged_send(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, logged_send)
        finally:
            client = scope.get("client")
            self.logger.info(
                '%s "%s %s" %d %d %.1fms',
                f"{client[0]}:{client[1]}" if client else "-",
                scope["method"],
                redact_target(scope["path"], scope.get("query_string", b"")),
                status,
                size,
                (time.perf_counter() - started) * 1000,
            )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return None


def service_middleware(login_rate: int | None = None) -> list[tuple[Any, dict[str, Any]]]:
    """The middleware `create_app` installs, outermost first: (class, its options)."""
    import os

    if login_rate is None:
        raw = os.environ.get(LOGIN_RATE_ENV, "")
        login_rate = int(raw) if raw.isdigit() else DEFAULT_LOGIN_RATE
    return [(BodyLimit, {}), (LoginRateLimit, {"per_minute": login_rate})]


def add_shared_responses(document: dict[str, Any]) -> dict[str, Any]:
    """Write into the merged spec the responses every operation of a kind can give,
    so that no fragment has to repeat them (and none can forget one):

    - an operation taking `?nir=` follows web.subject_account: 400 (an agent without
      `?nir=`), 403 (an assuré naming someone else), 404 (no assuré with that NIR);
    - an operation with query parameters or a body: 400 (params.py, web.parse_json);
    - a secured operation: 401;
    - an operation with a request body: 413 (BodyLimit);
    - a write taking `Idempotency-Key`: 422 `idempotency_key_reused` (web.idempotent);
    - sign-in and password reset: 429 (LoginRateLimit).
    """
    problem = {"$ref": "#/components/responses/Problem"}
    default_security = document.get("security", [])
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            params = [*item.get("parameters", []), *operation.get("parameters", [])]
            refs = [p.get("$ref", "") for p in params]
            named = [p.get("name") for p in params if "name" in p]
            in_query = [p for p in params if p.get("in") == "query" or "$ref" in p]
            for parameter in params:
                _not_empty(parameter)
            wanted: list[str] = []
            if "#/components/parameters/Nir" in refs or "nir" in named:
                wanted += ["400", "403", "404"]
            if in_query or "requestBody" in operation:
                wanted.append("400")
            if operation.get("security", default_security) not in ([], [{}]):
                wanted.append("401")
            if "requestBody" in operation:
                wanted.append("413")
            if "#/components/parameters/IdempotencyKey" in refs:
                wanted.append("422")
                _describe_idempotency(operation)
            if path in RATE_LIMITED_PATHS and method == "post":
                wanted.append("429")
            for status in wanted:
                responses.setdefault(status, problem)
    return document


def _not_empty(parameter: dict[str, Any]) -> None:
    """A query parameter given empty is refused (app.checked_query, params.py): say so."""
    schema = parameter.get("schema", {})
    if parameter.get("in") == "query" and schema.get("type") == "string":
        schema.setdefault("minLength", 1)


IDEMPOTENCY_NOTE = (
    " An `Idempotency-Key` is bound to the request it first answered (caller, assuré,"
    " method, path, query and body): the same request again replays the first response;"
    " any other request with that key answers 422 `idempotency_key_reused`."
)


def _describe_idempotency(operation: dict[str, Any]) -> None:
    description = str(operation.get("description", ""))
    if IDEMPOTENCY_NOTE not in description:
        operation["description"] = (description + IDEMPOTENCY_NOTE).strip()
