"""The async client: attestation batches fetch many NIRs at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ameli_cli.api.exchange import no_answer, tls_verify
from ameli_cli.api.http_policy import DEFAULT_TIMEOUT, RetryPolicy, default_headers
from ameli_cli.api.httpx_without_cli import httpx

if TYPE_CHECKING:
    from ameli_cli.api.exchange import Response


class AsyncAmeliClient:
    """`httpx.AsyncClient` with the same problem handling as `AmeliClient`: GETs only
    (what batches need), retried with backoff; problems raise `ApiError`, no answer
    raises `BackendUnreachable`."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.25,
        max_connections: int = 10,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retry_policy = RetryPolicy(retries=retries, backoff=backoff)
        headers = default_headers()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            verify=tls_verify(self.base_url),
            timeout=timeout,
            headers=headers,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        response = await self._send("GET", path, params=clean or None)
        return response.json()

    async def _send(self, method: str, path: str, **kwargs: Any) -> Response:
        """One request, retried with backoff (reads only: GETs, and POSTs that read)."""
        import asyncio

        policy = self.retry_policy
        for attempt in policy.attempts(True):
            last = policy.is_last(attempt, True)
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                policy.give_up(no_answer(exc), last=last, base_url=self.base_url)
            else:
                settled = policy.settle(response, last=last)
                if settled is not None:
                    return settled
            await asyncio.sleep(policy.delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    async def fetch_attestation_lines(self, kind: str, nirs: list[str]) -> list[bytes]:
        """Agents: `POST /v1/attestations/batch`, one NDJSON line per NIR, in order, left
        undecoded (the page-drawing workers decode them). A read: retried like a GET
        (a retry only adds audit entries, as a repeated GET would)."""
        response = await self._send(
            "POST", "/v1/attestations/batch", json={"type": kind, "nirs": nirs}
        )
        return response.content.splitlines()

    async def fetch_attestation(
        self, kind: str, *, nir: str | None = None, year: int | None = None
    ) -> dict[str, Any]:
        result: dict[str, Any] = await self.get_json(
            f"/v1/attestations/{kind}", {"nir": nir, "year": year}
        )
        return result
