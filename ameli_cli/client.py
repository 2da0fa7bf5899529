"""The thin HTTP client for the ameli API.

It knows URLs, tokens, timeouts, retries and problem+json; nothing of Typer or
Rich. Every call goes through HTTP, even to the embedded sandbox (an in-process
transport), so both backends share this one code path.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from ameli_cli import __version__
from ameli_cli.errors import ApiError, BackendUnreachable
from ameli_cli.httpx_lite import httpx
from ameli_cli.i18n import _

DEFAULT_TIMEOUT = 10.0
RETRY_STATUSES = frozenset({429, 502, 503, 504})
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
        self.retries = retries
        self.backoff = backoff
        self._on_event = on_event
        # One client per process: a new one builds a TLS context (23 ms measured).
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": f"ameli-cli/{__version__}", "Accept": "application/json"},
        )

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
    ) -> httpx.Response:
        """Send one request; raise `ApiError` for a problem, `BackendUnreachable` when
        no answer came. GETs are retried with backoff; writes carry an Idempotency-Key
        (a new one unless the caller retries an earlier write with its own)."""
        headers: dict[str, str] = {}
        if authenticated and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if method in WRITE_METHODS:
            headers["Idempotency-Key"] = idempotency_key or new_idempotency_key()
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        attempts = 1 + (self.retries if method == "GET" else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
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
            except httpx.TimeoutException as exc:
                sent = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
                if last:
                    raise BackendUnreachable(self._unreachable_message(exc), sent=sent) from None
            except httpx.TransportError as exc:
                sent = not isinstance(exc, httpx.ConnectError)
                if last:
                    raise BackendUnreachable(self._unreachable_message(exc), sent=sent) from None
            else:
                elapsed = (time.perf_counter() - started) * 1000
                self._event(f"← {response.status_code} {method} {path} ({elapsed:.0f} ms)")
                if response.status_code not in RETRY_STATUSES or last:
                    if response.is_error:
                        raise ApiError(response.status_code, _problem_of(response))
                    return response
            time.sleep(self.backoff * (2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params).json()

    def post_json(
        self,
        path: str,
        body: Any,
        *,
        idempotency_key: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        response = self.request(
            "POST", path, json=body, params=params, idempotency_key=idempotency_key
        )
        return response.json() if response.content else None

    def patch_json(
        self,
        path: str,
        body: Any,
        *,
        idempotency_key: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        response = self.request(
            "PATCH", path, json=body, params=params, idempotency_key=idempotency_key
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
        self, nir: str, password: str, *, device_id: str, otp: str | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"nir": nir, "password": password, "device_id": device_id}
        if otp:
            body["otp"] = otp
        response = self.request("POST", "/v1/auth/login", json=body, authenticated=False)
        result: dict[str, Any] = response.json()
        return result

    def logout(self) -> None:
        self.request("POST", "/v1/auth/logout")

    def fetch_me(self) -> dict[str, Any]:
        result: dict[str, Any] = self.get_json("/v1/me")
        return result

    def fetch_service_meta(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("GET", "/v1/meta", authenticated=False).json()
        return result

    # -- profile and organisme (issue 7) ---------------------------------------------

    def fetch_profile(self, *, nir: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.get_json("/v1/profile", {"nir": nir})
        return result

    def update_profile(
        self,
        changes: dict[str, str],
        *,
        nir: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        result: dict[str, Any] = self.patch_json(
            "/v1/profile", changes, params={"nir": nir}, idempotency_key=idempotency_key
        )
        return result

    def fetch_organisme(self, *, nir: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.get_json("/v1/organisme", {"nir": nir})
        return result

    # -- internals -------------------------------------------------------------------

    def _event(self, line: str) -> None:
        if self._on_event is not None:
            self._on_event(line)

    def _unreachable_message(self, exc: Exception) -> str:
        kind = type(exc).__name__
        return _(
            "Le service {url} ne répond pas ({kind}). Vérifiez --backend ou réessayez."
        ).format(url=self.base_url, kind=kind)


def _problem_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {
        "status": response.status_code,
        "title": response.reason_phrase,
        "code": f"http_{response.status_code}",
    }
