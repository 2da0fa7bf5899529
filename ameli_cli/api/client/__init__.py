"""The thin HTTP client for the ameli API.

It knows URLs, tokens, timeouts, retries and problem+json; nothing of Typer or
Rich. Every call goes through HTTP, even to the embedded sandbox (an in-process
transport), so both backends share this one code path.

The client is one class gathered from one module per family of endpoints (see each
module's docstring); `http_calls` holds the request itself and the generic verbs.
"""

from __future__ import annotations

from ameli_cli.api.client.account import AccountCalls
from ameli_cli.api.client.attestations import AttestationCalls
from ameli_cli.api.client.cards import CardCalls
from ameli_cli.api.client.http_calls import WRITE_METHODS, EventHook, HttpCalls, new_idempotency_key
from ameli_cli.api.client.messages import MessageCalls
from ameli_cli.api.client.payments import PaymentCalls

__all__ = ["WRITE_METHODS", "AmeliClient", "EventHook", "HttpCalls", "new_idempotency_key"]


class AmeliClient(AccountCalls, MessageCalls, CardCalls, PaymentCalls, AttestationCalls):
    """The API's calls, one named method per endpoint (CONTRIBUTING.md: add yours in
    the module of its family)."""
