"""The thin HTTP client for the ameli API.

It knows URLs, tokens, timeouts, retries and problem+json; nothing of Typer or
Rich. Every call goes through HTTP, even to the embedded sandbox (an in-process
transport), so both backends share this one code path.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from ameli_cli.api.http_policy import DEFAULT_TIMEOUT, RetryPolicy, default_headers
from ameli_cli.api.httpx_without_cli import httpx
from ameli_cli.runtime.answers import note_answer
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.records import (
        AuditEntry,
        CeamOrderResult,
        CeamStatus,
        Conversation,
        ConversationSummary,
        Device,
        DeviceList,
        DevicesRevoked,
        LoginResponse,
        Me,
        MessageCategories,
        Meta,
        Organisme,
        PasswordChange,
        PasswordChanged,
        Payment,
        PaymentSummary,
        Profile,
        ProfileUpdated,
        ResetConfirm,
        ResetRequest,
        ResetRequested,
        SignedAttestation,
        SigningKeys,
        VitaleDeclarationResult,
        VitaleOrderResult,
        VitaleStatus,
    )

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

EventHook = Callable[[str], None]


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


class AmeliClient:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.25,
        on_event: EventHook | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retry_policy = RetryPolicy(retries=retries, backoff=backoff)
        self._on_event = on_event
        # One client per process: a new one builds a TLS context (23 ms measured).
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers=default_headers(),
        )

    @property
    def retries(self) -> int:
        return self.retry_policy.retries

    @retries.setter
    def retries(self, value: int) -> None:
        self.retry_policy = replace(self.retry_policy, retries=value)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AmeliClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- generic verbs ---------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        files: Any = None,
        data: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
        authenticated: bool = True,
        retry: bool = False,
    ) -> httpx.Response:
        """Send one request; raise `ApiError` for a problem, `BackendUnreachable` when
        no answer came. Writes carry an Idempotency-Key (a new one unless the caller
        retries an earlier write with its own); `RetryPolicy` says what is sent again
        (GETs always; a write when `retry` and a key)."""
        headers: dict[str, str] = {}
        if authenticated and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        is_write = method in WRITE_METHODS
        if is_write:
            headers["Idempotency-Key"] = idempotency_key or new_idempotency_key()
        retryable = not is_write or (retry and idempotency_key is not None)
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        policy = self.retry_policy
        for attempt in policy.attempts(retryable):
            last = policy.is_last(attempt, retryable)
            started = time.perf_counter()
            self._event(f"→ {method} {self.base_url}{path}")
            try:
                response = self._http.request(
                    method,
                    path,
                    params=clean_params or None,
                    json=json,
                    files=files,
                    data=data,
                    headers=headers,
                )
            except httpx.TransportError as exc:
                policy.give_up(exc, last=last, base_url=self.base_url)
            else:
                elapsed = (time.perf_counter() - started) * 1000
                self._event(f"← {response.status_code} {method} {path} ({elapsed:.0f} ms)")
                settled = policy.settle(response, last=last)
                if settled is not None:
                    note_answer(self.base_url)
                    return settled
            if is_write:
                self._event(_("nouvel essai avec la même clé d'idempotence"))
            time.sleep(policy.delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params).json()

    def send_json(
        self,
        method: str,
        path: str,
        body: Any,
        *,
        idempotency_key: str | None = None,
        params: dict[str, Any] | None = None,
        authenticated: bool = True,
        retry: bool = False,
    ) -> Any:
        """A write with a JSON body; its JSON answer (None when empty)."""
        response = self.request(
            method,
            path,
            json=body,
            params=params,
            idempotency_key=idempotency_key,
            authenticated=authenticated,
            retry=retry,
        )
        return response.json() if response.content else None

    def paginate(
        self, path: str, params: dict[str, Any] | None = None, *, key: str = "items"
    ) -> Iterator[dict[str, Any]]:
        """Follow `next_cursor` until the last page."""
        query = dict(params or {})
        while True:
            page = self.get_json(path, query)
            yield from page.get(key, [])
            cursor = page.get("next_cursor")
            if not cursor:
                return
            query["cursor"] = cursor

    # -- auth ------------------------------------------------------------------------

    def login(
        self,
        nir: str,
        password: str,
        *,
        device_id: str,
        otp: str | None = None,
        otp_channel: str | None = None,
        device_name: str | None = None,
    ) -> LoginResponse:
        body: dict[str, Any] = {"nir": nir, "password": password, "device_id": device_id}
        if otp:
            body["otp"] = otp
        if otp_channel:
            body["otp_channel"] = otp_channel
        if device_name:
            body["device_name"] = device_name
        response = self.request("POST", "/v1/auth/login", json=body, authenticated=False)
        result: LoginResponse = response.json()
        return result

    def poll_login_approval(self, approval_id: str) -> LoginResponse | None:
        """The session once the sign-in is approved in the app; None while pending."""
        response = self.request(
            "POST", f"/v1/auth/approvals/{approval_id}", json={}, authenticated=False
        )
        if response.status_code == 202:
            return None
        result: LoginResponse = response.json()
        return result

    # -- the account's life: password, devices (issue 16) ----------------------------

    def change_password(self, current: str, new: str) -> PasswordChanged:
        body: PasswordChange = {"current_password": current, "new_password": new}
        result: PasswordChanged = self.send_json("POST", "/v1/auth/password", body)
        return result

    def request_password_reset(
        self, nir: str, birth_date: str, *, channel: str | None = None
    ) -> ResetRequested:
        body: ResetRequest = {"nir": nir, "birth_date": birth_date}
        if channel:
            body["channel"] = channel
        response = self.request("POST", "/v1/auth/password-reset", json=body, authenticated=False)
        result: ResetRequested = response.json()
        return result

    def confirm_password_reset(
        self, nir: str, birth_date: str, code: str, new: str
    ) -> PasswordChanged:
        body: ResetConfirm = {
            "nir": nir,
            "birth_date": birth_date,
            "code": code,
            "new_password": new,
        }
        response = self.request(
            "POST", "/v1/auth/password-reset/confirm", json=body, authenticated=False
        )
        result: PasswordChanged = response.json()
        return result

    def list_devices(self) -> list[Device]:
        page: DeviceList = self.get_json("/v1/auth/devices")
        return page["items"]

    def revoke_device(self, device_id: str) -> DevicesRevoked:
        result: DevicesRevoked = self.request("DELETE", f"/v1/auth/devices/{device_id}").json()
        return result

    def revoke_other_devices(self) -> DevicesRevoked:
        result: DevicesRevoked = self.send_json("POST", "/v1/auth/devices/revoke-others", {})
        return result

    def logout(self) -> None:
        self.request("POST", "/v1/auth/logout")

    def fetch_me(self) -> Me:
        result: Me = self.get_json("/v1/me")
        return result

    def fetch_service_meta(self) -> Meta:
        result: Meta = self.request("GET", "/v1/meta", authenticated=False).json()
        return result

    # -- profile and organisme (issue 7) ---------------------------------------------

    def fetch_profile(self, *, nir: str | None = None) -> Profile:
        result: Profile = self.get_json("/v1/profile", {"nir": nir})
        return result

    def update_profile(
        self,
        changes: dict[str, str],
        *,
        nir: str | None = None,
        idempotency_key: str | None = None,
    ) -> ProfileUpdated:
        result: ProfileUpdated = self.send_json(
            "PATCH", "/v1/profile", changes, params={"nir": nir}, idempotency_key=idempotency_key
        )
        return result

    def fetch_organisme(self, *, nir: str | None = None) -> Organisme:
        result: Organisme = self.get_json("/v1/organisme", {"nir": nir})
        return result

    # -- messages (issue 6) ----------------------------------------------------------

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

    # -- carte Vitale and CEAM (issue 4) --------------------------------------------

    def fetch_vitale(self, *, nir: str | None = None) -> VitaleStatus:
        result: VitaleStatus = self.get_json("/v1/vitale", {"nir": nir})
        return result

    def order_vitale(
        self,
        *,
        beneficiary_rank: str,
        photo: tuple[str, bytes, str],
        id_document: tuple[str, bytes, str],
        idempotency_key: str,
        nir: str | None = None,
    ) -> VitaleOrderResult:
        """Multipart: `photo` and `id_document` are (file name, bytes, media type)."""
        return cast(
            "VitaleOrderResult",
            self._write_with_retries(
                "/v1/vitale/orders",
                idempotency_key=idempotency_key,
                params={"nir": nir},
                data={"beneficiary_rank": beneficiary_rank},
                files={"photo": photo, "id_document": id_document},
            ),
        )

    def declare_vitale(
        self, *, beneficiary_rank: str, reason: str, idempotency_key: str, nir: str | None = None
    ) -> VitaleDeclarationResult:
        return cast(
            "VitaleDeclarationResult",
            self._write_with_retries(
                "/v1/vitale/declarations",
                idempotency_key=idempotency_key,
                params={"nir": nir},
                json={"beneficiary_rank": beneficiary_rank, "reason": reason},
            ),
        )

    def fetch_ceam(self, *, nir: str | None = None) -> CeamStatus:
        result: CeamStatus = self.get_json("/v1/ceam", {"nir": nir})
        return result

    def order_ceam(
        self,
        *,
        beneficiary_rank: str,
        departure: str | None,
        idempotency_key: str,
        nir: str | None = None,
    ) -> CeamOrderResult:
        body: dict[str, Any] = {"beneficiary_rank": beneficiary_rank}
        if departure:
            body["departure"] = departure
        return cast(
            "CeamOrderResult",
            self._write_with_retries(
                "/v1/ceam/orders", idempotency_key=idempotency_key, params={"nir": nir}, json=body
            ),
        )

    def _write_with_retries(
        self, path: str, *, idempotency_key: str, **kwargs: Any
    ) -> dict[str, Any]:
        """POST a write that must happen once, sent again with the same key when its
        answer is lost (see `RetryPolicy`)."""
        response = self.request("POST", path, idempotency_key=idempotency_key, retry=True, **kwargs)
        result: dict[str, Any] = response.json()
        return result

    # -- payments (issue 5) ----------------------------------------------------------

    def list_payments(
        self, filters: dict[str, Any], *, page_size: int = 1000, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Payment lines, newest first, following the cursors; at most `limit` lines.

        `filters`: since, until (ISO dates), beneficiary, kind, professional, nir."""
        size = page_size if limit is None else max(1, min(page_size, limit))
        if limit is not None and limit <= 0:
            return
        pages = self.paginate("/v1/paiements", {**filters, "limit": size})
        for count, item in enumerate(pages, start=1):
            yield item
            if limit is not None and count >= limit:
                return  # before asking for a page nobody will read

    def fetch_payment(self, payment_id: str, *, nir: str | None = None) -> Payment:
        from urllib.parse import quote

        result: Payment = self.get_json(f"/v1/paiements/{quote(payment_id, safe='')}", {"nir": nir})
        return result

    def fetch_payment_summary(
        self, *, by: str, year: int | None = None, nir: str | None = None
    ) -> PaymentSummary:
        result: PaymentSummary = self.get_json(
            "/v1/paiements/summary", {"by": by, "year": year, "nir": nir}
        )
        return result

    # -- transfers and relevés mensuels (issue 15) ------------------------------------

    def list_transfers(
        self, *, since: str | None = None, until: str | None = None, nir: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Transfers (virements), newest first, each with its lines."""
        yield from self.paginate(
            "/v1/virements", {"since": since, "until": until, "nir": nir, "limit": 1000}
        )

    def list_releves(self, *, nir: str | None = None) -> dict[str, Any]:
        """The kept months and when the current one will be available."""
        result: dict[str, Any] = self.get_json("/v1/releves", {"nir": nir})
        return result

    def fetch_releve(self, releve_id: str, *, nir: str | None = None) -> dict[str, Any]:
        """One relevé (its id from `list_releves`): a signed envelope like an attestation's."""
        from urllib.parse import quote

        result: dict[str, Any] = self.get_json(
            f"/v1/releves/{quote(releve_id, safe='')}", {"nir": nir}
        )
        return result

    # -- attestations and audit (issue 3) ---------------------------------------------

    def fetch_attestation(
        self,
        kind: str,
        *,
        beneficiary: str | None = None,
        year: int | None = None,
        nir: str | None = None,
    ) -> SignedAttestation:
        """The signed envelope: `{"attestation": {...}, "signature": {...}}`."""
        result: SignedAttestation = self.get_json(
            f"/v1/attestations/{kind}", {"beneficiary": beneficiary, "year": year, "nir": nir}
        )
        return result

    def fetch_signing_keys(self) -> SigningKeys:
        """The service's public keys (`/v1/keys`): no sign-in needed."""
        result: SigningKeys = self.request("GET", "/v1/keys", authenticated=False).json()
        return result

    def list_audit(self, *, nir: str | None = None) -> list[AuditEntry]:
        return cast(
            "list[AuditEntry]", list(self.paginate("/v1/audit", {"nir": nir, "limit": 200}))
        )

    # -- internals -------------------------------------------------------------------

    def _event(self, line: str) -> None:
        if self._on_event is not None:
            self._on_event(line)
