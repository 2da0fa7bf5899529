"""Attachments of a message: the invented limits (PDF, JPEG and PNG told apart by
their content, at most 5 files of 5 MB each), the checks of the files and names a
message arrives with, and the download of one attachment. Files are the hostile part
of a message, so their rules live in one place that both the writing handlers and
the categories endpoint (which publishes the limits) read.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import quote

from ameli_rules import filetypes
from ameli_rules.filenames import MAX_ATTACHMENT_NAME, attachment_name_problem
from ameli_sandbox.http import Request, Response
from ameli_sandbox.mailbox.store import find_conversation
from ameli_sandbox.problems import Problem, bad_request, not_found
from ameli_sandbox.web import authenticate, db, subject_account

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

MAX_FILENAME = MAX_ATTACHMENT_NAME

ALLOWED_TYPES = (filetypes.PDF, filetypes.JPEG, filetypes.PNG)


def sniff(content: bytes) -> str | None:
    """The content type of a file from its bytes, among the allowed ones."""
    media_type = filetypes.sniff(content).media_type
    return media_type if media_type in ALLOWED_TYPES else None


def parse_attachments(body: dict[str, Any]) -> list[tuple[str, str, bytes]]:
    raw = body.get("attachments", [])
    if not isinstance(raw, list):  # {} and null too: the spec says an array
        raise bad_request("attachments must be a list.")
    if len(raw) > MAX_ATTACHMENTS:
        raise Problem(
            422,
            "too_many_attachments",
            "Too many attachments",
            f"{len(raw)} files attached; at most {MAX_ATTACHMENTS} per message.",
            limit=MAX_ATTACHMENTS,
        )
    result: list[tuple[str, str, bytes]] = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            raise bad_request("Each attachment is an object.")
        filename = item.get("filename")
        if not isinstance(filename, str) or not filename:
            raise bad_request(f"Each attachment needs a filename (at most {MAX_FILENAME}).")
        _check_attachment_name(filename, position)
        try:
            content = base64.b64decode(str(item.get("content_base64") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(f"{filename}: content_base64 is not valid base64.") from None
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise Problem(
                422,
                "attachment_too_large",
                "Attachment too large",
                f"{filename} has {len(content)} bytes; at most {MAX_ATTACHMENT_BYTES}"
                " (5 MB) per file.",
                filename=filename,
                limit=MAX_ATTACHMENT_BYTES,
            )
        content_type = sniff(content)
        if content_type is None:
            raise Problem(
                422,
                "attachment_type",
                "Attachment type not allowed",
                f"{filename} is not a PDF, JPEG or PNG file (checked by its content).",
                filename=filename,
                allowed=list(ALLOWED_TYPES),
            )
        result.append((filename, content_type, content))
    return result


def _check_attachment_name(filename: str, position: int) -> None:
    """Refused rather than silently cleaned (issue 13): the name is what the agent and
    the assuré see and what a download calls the file, so it must be harmless as sent."""
    reason = attachment_name_problem(filename)
    if reason is not None:
        raise Problem(
            422,
            "attachment_name",
            "Attachment name not allowed",
            f"Attachment {position + 1}: its name is refused ({reason}): no control, format"
            f" or bidi character, no / or \\, not . or .., no leading or trailing space,"
            f" at most {MAX_FILENAME} characters.",
            reason=reason,
            position=position,
        )


async def attachment(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="messages.download")
    conn = db(request)
    row = find_conversation(conn, account["id"], request.path_params["id"])
    found = conn.execute(
        "SELECT a.filename, a.content_type, a.content FROM message_attachments a"
        " JOIN message_items i ON i.seq = a.item_seq"
        " WHERE a.id = ? AND i.conversation_id = ?",
        (request.path_params["attachment"].upper(), row["id"]),
    ).fetchone()
    if found is None:
        raise not_found(
            "No such attachment in this conversation.",
            resource="attachment",
            id=request.path_params["attachment"],
        )
    return Response(
        bytes(found["content"]),
        media_type=found["content_type"],
        headers={"Content-Disposition": "attachment; filename*=UTF-8''" + quote(found["filename"])},
    )
