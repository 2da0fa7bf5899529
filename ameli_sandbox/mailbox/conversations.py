"""Reading a mailbox: the JSON of a conversation (summary and detail), the categories
endpoint, the paginated list, one conversation and marking it read. Each read first
delivers the caisse's replies that are due, so a reader sees them as soon as the
service clock passes their time; the writing handlers answer with the same detail.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ameli_sandbox import clock
from ameli_sandbox.http import Request, Response
from ameli_sandbox.mailbox.attachments import (
    ALLOWED_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
)
from ameli_sandbox.mailbox.replies import deliver_due_replies
from ameli_sandbox.mailbox.store import (
    CATEGORIES,
    CATEGORY_LABELS,
    REPLY_DELAY,
    find_conversation,
    parse_time,
)
from ameli_sandbox.params import decode_cursor, encode_cursor, query_flag, query_int, query_text
from ameli_sandbox.web import authenticate, db, json_response, subject_account

# -- representation --------------------------------------------------------------------


def _summary(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    counts = conn.execute(
        "SELECT count(*) AS total,"
        " sum(CASE WHEN author = 'caisse' AND read_at IS NULL THEN 1 ELSE 0 END) AS unread,"
        " (SELECT author FROM message_items WHERE conversation_id = ? ORDER BY seq DESC"
        "  LIMIT 1) AS last_author"
        " FROM message_items WHERE conversation_id = ?",
        (row["id"], row["id"]),
    ).fetchone()
    pending = conn.execute(
        "SELECT i.created_at FROM message_items i WHERE i.conversation_id = ?"
        " AND i.author = 'assure' AND NOT EXISTS"
        " (SELECT 1 FROM message_items r WHERE r.answers_seq = i.seq)"
        " ORDER BY i.seq DESC LIMIT 1",
        (row["id"],),
    ).fetchone()
    return {
        "id": row["id"],
        "category": row["category"],
        "category_label": CATEGORY_LABELS.get(row["category"], row["category"]),
        "subject": row["subject"],
        "status": "awaiting_reply" if pending else "answered",
        "reply_expected_by": clock.iso(parse_time(pending["created_at"]) + REPLY_DELAY)
        if pending
        else None,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "message_count": counts["total"],
        "unread_count": counts["unread"] or 0,
        "last_author": counts["last_author"],
    }


def detail_view(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    result = _summary(conn, row)
    items = conn.execute(
        "SELECT * FROM message_items WHERE conversation_id = ? ORDER BY seq", (row["id"],)
    ).fetchall()
    attachments: dict[int, list[dict[str, Any]]] = {}
    for a in conn.execute(
        "SELECT a.id, a.item_seq, a.filename, a.content_type, a.size, a.sha256"
        " FROM message_attachments a JOIN message_items i ON i.seq = a.item_seq"
        " WHERE i.conversation_id = ? ORDER BY a.item_seq, a.position",
        (row["id"],),
    ):
        attachments.setdefault(a["item_seq"], []).append(
            {
                "id": a["id"],
                "filename": a["filename"],
                "content_type": a["content_type"],
                "size": a["size"],
                "sha256": a["sha256"],
            }
        )
    result["messages"] = [
        {
            "id": i["id"],
            "author": i["author"],
            "kind": i["kind"],
            "body": i["body"],
            "created_at": i["created_at"],
            "read_at": i["read_at"],
            "attachments": attachments.get(i["seq"], []),
        }
        for i in items
    ]
    return result


async def categories(request: Request) -> Response:
    authenticate(request)
    return json_response(
        {
            "items": [{"code": code, "label": label} for code, label in CATEGORIES],
            "attachment_limits": {
                "max_files": MAX_ATTACHMENTS,
                "max_bytes": MAX_ATTACHMENT_BYTES,
                "content_types": list(ALLOWED_TYPES),
            },
        }
    )


async def list_conversations(request: Request) -> Response:
    """Most recently updated first, one page of an index: the cost does not grow with
    the mailbox (keyset cursor on (updated_at, id), like payments)."""
    principal = authenticate(request)
    limit = query_int(request, "limit", default=20, low=1, high=100)
    raw_cursor = query_text(request, "cursor", max_length=200)
    unread = query_flag(request, "unread")
    account = subject_account(request, principal, action="messages.list")
    conn = db(request)
    deliver_due_replies(conn, account["id"], clock.now(conn))
    where = "c.account_id = ?"
    args: list[Any] = [account["id"]]
    if raw_cursor:
        after = decode_cursor(raw_cursor, (str, str))
        where += " AND (c.updated_at, c.id) < (?, ?)"
        args.extend(after)
    if unread:
        where += (
            " AND EXISTS (SELECT 1 FROM message_items i WHERE i.conversation_id = c.id"
            " AND i.author = 'caisse' AND i.read_at IS NULL)"
        )
    rows = conn.execute(
        f"SELECT c.* FROM message_conversations c WHERE {where}"
        " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
        (*args, limit + 1),
    ).fetchall()
    items = [_summary(conn, r) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(last["updated_at"], last["id"]) if last else None
    return json_response({"items": items, "next_cursor": next_cursor})


async def show_conversation(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="messages.show")
    conn = db(request)
    deliver_due_replies(conn, account["id"], clock.now(conn))
    row = find_conversation(conn, account["id"], request.path_params["id"])
    return json_response(detail_view(conn, row))


async def mark_read(request: Request) -> Response:
    # Idempotent by nature (marking read twice changes nothing): no stored replay,
    # which would keep a copy of the conversation for every reading.
    principal = authenticate(request)
    account = subject_account(request, principal, action="messages.show")
    conn = db(request)
    now = clock.now(conn)
    deliver_due_replies(conn, account["id"], now)
    row = find_conversation(conn, account["id"], request.path_params["id"])
    if principal.role != "agent":  # an agent reading does not mark the assuré's mail
        conn.execute(
            "UPDATE message_items SET read_at = ? WHERE conversation_id = ?"
            " AND author = 'caisse' AND read_at IS NULL",
            (clock.iso(now), row["id"]),
        )
    return json_response(detail_view(conn, row))
