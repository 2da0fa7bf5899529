"""Writing in a mailbox: starting a conversation and replying, by the assuré only.
Each write is checked (category, subject and body lengths, attachments), counted
against the daily quota, stored once per Idempotency-Key even when two requests race,
and may be slowed by the fault-injection delay the outbox tests use; these rules are
about sending, so they live apart from reading.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from typing import Any

from ameli_sandbox import clock
from ameli_sandbox.features.limits import DAY, quota_from_env, take_quota
from ameli_sandbox.http import Request, Response
from ameli_sandbox.mailbox.attachments import parse_attachments
from ameli_sandbox.mailbox.conversations import detail_view
from ameli_sandbox.mailbox.store import (
    CATEGORY_LABELS,
    find_conversation,
    store_assure_message,
    store_conversation,
)
from ameli_sandbox.problems import Problem, forbidden
from ameli_sandbox.web import (
    authenticate,
    db,
    idempotent,
    json_object,
    json_response,
    subject_account,
)

MAX_SUBJECT = 120
MAX_BODY = 10_000

DAILY_MESSAGES = 20  # new conversations + replies per account per day (env: ..._MESSAGES_QUOTA)
# Fault injection for demos and tests: seconds to wait after a message is stored and
# before answering, so a client with a short timeout gives up after the service
# received it (the case the client's outbox must survive without a duplicate).
DELAY_ENV = "AMELI_SANDBOX_MESSAGE_DELAY"


# -- validation ------------------------------------------------------------------------


def _text(body: dict[str, Any], field: str, limit: int) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise Problem(
            422, f"empty_{field}", f"Empty {field}", f"The {field} is empty.", field=field
        )
    value = value.strip()
    if len(value) > limit:
        raise Problem(
            422,
            f"{field}_too_long",
            f"{field.capitalize()} too long",
            f"The {field} has {len(value)} characters; at most {limit}.",
            field=field,
            limit=limit,
        )
    return value


def _writer(request: Request, action: str) -> sqlite3.Row:
    principal = authenticate(request)
    if principal.role == "agent":
        raise forbidden("Only the assuré writes in its own conversations.")
    return subject_account(request, principal, action=action)


@idempotent
async def create_conversation(request: Request) -> Response:
    account = _writer(request, "messages.send")
    body = await json_object(request)
    category = str(body.get("category") or "")
    if category not in CATEGORY_LABELS:
        raise Problem(
            422,
            "unknown_category",
            "Unknown category",
            f"Unknown category {category!r}; one of: {', '.join(CATEGORY_LABELS)}.",
            categories=list(CATEGORY_LABELS),
        )
    subject = _text(body, "subject", MAX_SUBJECT)
    text = _text(body, "body", MAX_BODY)
    files = parse_attachments(body)
    key = request.headers.get("idempotency-key") or None
    conn = db(request)
    now = clock.now(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        existing = _by_client_key(conn, account["id"], key)
        if existing is None:
            _take_quota(conn, account["id"], now)
            conversation = store_conversation(conn, account["id"], category, subject, now)
            store_assure_message(conn, conversation, account["id"], text, files, key, now)
        else:
            conversation = existing
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    await _injected_delay(request)
    row = find_conversation(conn, account["id"], conversation)
    return json_response(detail_view(conn, row), status=201)


@idempotent
async def reply(request: Request) -> Response:
    account = _writer(request, "messages.reply")
    body = await json_object(request)
    conn = db(request)
    row = find_conversation(conn, account["id"], request.path_params["id"])
    text = _text(body, "body", MAX_BODY)
    files = parse_attachments(body)
    key = request.headers.get("idempotency-key") or None
    now = clock.now(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _by_client_key(conn, account["id"], key) is None:
            _take_quota(conn, account["id"], now)
            store_assure_message(conn, row["id"], account["id"], text, files, key, now)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    await _injected_delay(request)
    return json_response(
        detail_view(conn, find_conversation(conn, account["id"], row["id"])), status=201
    )


def _take_quota(conn: sqlite3.Connection, account_id: int, now: datetime) -> None:
    """New conversations and replies together, per account and day: one account cannot
    fill the caisse's inbox (nor make its own mailbox costly to read)."""
    limit = quota_from_env("messages", DAILY_MESSAGES)
    take_quota(conn, f"messages:{account_id}", limit, DAY, now)


def _by_client_key(conn: sqlite3.Connection, account_id: int, key: str | None) -> str | None:
    if key is None:
        return None
    found = conn.execute(
        "SELECT conversation_id FROM message_items WHERE account_id = ? AND client_key = ?",
        (account_id, key),
    ).fetchone()
    return None if found is None else str(found["conversation_id"])


async def _injected_delay(request: Request) -> None:
    delay = os.environ.get(DELAY_ENV)
    if delay:
        await request.sleep(float(delay))
