"""One request to the API and the generic verbs every family of calls builds on: the
HTTP session (one per process), the bearer token, Idempotency-Keys on writes, the
retry policy (`RetryPolicy`: GETs always, a write only with its own key), the
debug events, and `get_json`, `send_json`, `paginate`, `write_with_retries`. The
families of endpoints (account, messages, cards, payments, attestations) subclass
`HttpCalls`; `AmeliClient` gathers them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, Self

from ameli_cli.api.exchange import NoAnswer, Response, open_session
from ameli_cli.api.http_policy import DEFAULT_TIMEOUT, RetryPolicy, default_headers
from ameli_cli.runtime.answers import note_answer
from ameli_cli.runtime.i18n import _

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

EventHook = Callable[[str], None]


def new_idempotency_key() -> str:
    import uuid  # 2-4 ms: only writes need it

    return str(uuid.uuid4())


class HttpCalls:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        transport: Any = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.25,
        on_event: EventHook | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retry_policy = RetryPolicy(retries=retries, backoff=backoff)
        self._on_event = on_event
        # One session per process: a new httpx client builds a TLS context (23 ms
        # measured). An in-process service (the embedded sandbox) is called without
        # httpx (see exchange.py).
        self._http = open_session(
            self.base_url, transport, timeout=timeout, headers=default_headers()
        )

    @property
    def retries(self) -> int:
        return self.retry_policy.retries

    @retries.setter
    def retries(self, value: int) -> None:
        self.retry_policy = self.retry_policy._replace(retries=value)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
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
    ) -> Response:
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
            except NoAnswer as exc:
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

    def write_with_retries(
        self, path: str, *, idempotency_key: str, **kwargs: Any
    ) -> dict[str, Any]:
        """POST a write that must happen once, sent again with the same key when its
        answer is lost (see `RetryPolicy`)."""
        response = self.request("POST", path, idempotency_key=idempotency_key, retry=True, **kwargs)
        result: dict[str, Any] = response.json()
        return result

    # -- internals -------------------------------------------------------------------

    def _event(self, line: str) -> None:
        if self._on_event is not None:
            self._on_event(line)
