"""Secure messages: /v1/messages, /v1/messages/categories.

Mirrors the OpenAPI component schemas of ameli_sandbox/openapi/ (tests/test_records.py
keeps the keys in step).
"""

from typing import TypedDict


class MessageCategory(TypedDict):
    code: str
    label: str


class AttachmentLimits(TypedDict):
    max_files: int
    max_bytes: int
    content_types: list[str]


class MessageCategories(TypedDict):
    items: list[MessageCategory]
    attachment_limits: AttachmentLimits


class ConversationSummary(TypedDict):
    id: str
    category: str
    category_label: str
    subject: str
    status: str
    reply_expected_by: str | None
    created_at: str
    updated_at: str
    message_count: int
    unread_count: int
    last_author: str


class Attachment(TypedDict):
    id: str
    filename: str
    content_type: str
    size: int
    sha256: str


class Message(TypedDict):
    id: str
    author: str
    kind: str
    body: str
    created_at: str
    read_at: str | None
    attachments: list[Attachment]


class Conversation(ConversationSummary):
    messages: list[Message]
