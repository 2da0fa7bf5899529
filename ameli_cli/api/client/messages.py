"""The client's calls to the secure mailbox (/v1/messages): categories, conversations,
reading, sending and replying (always with the caller's Idempotency-Key, so that the
outbox retries a send without a duplicate) and attachments. Mixed into `AmeliClient`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ameli_cli.api.client.http_calls import HttpCalls

if TYPE_CHECKING:
    from ameli_cli.records import Conversation, ConversationSummary, MessageCategories


class MessageCalls(HttpCalls):
    """The secure mailbox."""

    def fetch_message_categories(self) -> MessageCategories:
        result: MessageCategories = self.get_json("/v1/messages/categories")
        return result

    def list_messages(
        self, *, unread: bool = False, nir: str | None = None
    ) -> list[ConversationSummary]:
        query = {"unread": "true" if unread else None, "nir": nir}
        return cast("list[ConversationSummary]", list(self.paginate("/v1/messages", query)))

    def fetch_message(self, conversation_id: str, *, nir: str | None = None) -> Conversation:
        result: Conversation = self.get_json(f"/v1/messages/{conversation_id}", {"nir": nir})
        return result

    def mark_message_read(self, conversation_id: str, *, nir: str | None = None) -> Conversation:
        """The conversation, its caisse messages marked read (not when an agent reads)."""
        result: Conversation = self.send_json(
            "POST", f"/v1/messages/{conversation_id}/read", {}, params={"nir": nir}
        )
        return result

    def send_message(self, body: dict[str, Any], *, idempotency_key: str) -> Conversation:
        """Start a conversation; retry with the same key, never a new one."""
        result: Conversation = self.send_json(
            "POST", "/v1/messages", body, idempotency_key=idempotency_key
        )
        return result

    def reply_message(
        self, conversation_id: str, body: dict[str, Any], *, idempotency_key: str
    ) -> Conversation:
        result: Conversation = self.send_json(
            "POST", f"/v1/messages/{conversation_id}/replies", body, idempotency_key=idempotency_key
        )
        return result

    def fetch_message_attachment(
        self, conversation_id: str, attachment_id: str, *, nir: str | None = None
    ) -> bytes:
        response = self.request(
            "GET",
            f"/v1/messages/{conversation_id}/attachments/{attachment_id}",
            params={"nir": nir},
        )
        return response.content
