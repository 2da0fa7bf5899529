"""The thin client: retries reads (never writes), keys every write, maps problems."""

from __future__ import annotations

import pytest

from ameli_cli.api.client import AmeliClient
from ameli_cli.api.httpx_without_cli import httpx
from ameli_cli.runtime.errors import ApiError, BackendUnreachable, ExitCode


def _client(handler, **kwargs) -> AmeliClient:
    return AmeliClient(
        "http://api.test", transport=httpx.MockTransport(handler), backoff=0, **kwargs
    )


def test_reads_are_retried_on_503_then_succeed():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) < 3:
            return httpx.Response(503)
        return httpx.Response(200, json={"ok": True})

    assert _client(handler).get_json("/v1/me") == {"ok": True}
    assert len(calls) == 3


def test_writes_are_never_retried_and_always_carry_an_idempotency_key():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503, json={"code": "unavailable", "title": "down"})

    with pytest.raises(ApiError) as info:
        _client(handler).send_json("POST", "/v1/messages", {"x": 1})
    assert len(calls) == 1
    assert info.value.exit_code == ExitCode.UNREACHABLE
    assert calls[0].headers["Idempotency-Key"]
    # A caller retrying an earlier write passes its own key through.
    calls.clear()
    with pytest.raises(ApiError):
        _client(handler).send_json("POST", "/v1/messages", {}, idempotency_key="k-1")
    assert calls[0].headers["Idempotency-Key"] == "k-1"


def test_problem_json_becomes_a_typed_error():
    def handler(request):
        return httpx.Response(
            423,
            headers={"content-type": "application/problem+json"},
            json={
                "type": "/problems/account_locked",
                "title": "Account locked",
                "status": 423,
                "code": "account_locked",
                "detail": "locked",
                "locked_until": "2026-01-01",
            },
        )

    with pytest.raises(ApiError) as info:
        _client(handler).get_json("/v1/me")
    assert info.value.code == "account_locked"
    assert info.value.problem["locked_until"] == "2026-01-01"
    assert info.value.exit_code == ExitCode.AUTH


def test_connection_refused_is_unreachable_and_not_sent():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(BackendUnreachable) as info:
        _client(handler, retries=1).get_json("/v1/me")
    assert info.value.sent is False
    assert info.value.exit_code == ExitCode.UNREACHABLE


def test_read_timeout_on_a_write_may_have_been_received():
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(BackendUnreachable) as info:
        _client(handler).send_json("POST", "/v1/messages", {})
    assert info.value.sent is True


def test_bearer_token_is_sent_and_never_logged():
    lines: list[str] = []

    def handler(request):
        assert request.headers["Authorization"] == "Bearer secret-token"
        return httpx.Response(200, json={})

    client = _client(handler, token="secret-token", on_event=lines.append)
    client.get_json("/v1/me")
    assert lines and all("secret-token" not in line for line in lines)


def test_a_write_asked_to_retry_is_sent_again_with_the_same_key():
    """Orders (carte Vitale, CEAM) retry a lost answer under the one Idempotency-Key;
    the service replays its first answer instead of ordering twice."""
    calls = []

    def handler(request):
        calls.append(request.headers["Idempotency-Key"])
        if len(calls) == 1:
            raise httpx.ReadTimeout("answer lost", request=request)
        return httpx.Response(201, json={"id": "o-1"})

    client = _client(handler)
    assert client.send_json("POST", "/v1/ceam/orders", {}, idempotency_key="k-9", retry=True) == {
        "id": "o-1"
    }
    assert calls == ["k-9", "k-9"]
    # Without a key of the caller's, a write is never sent twice, even when asked.
    calls.clear()
    with pytest.raises(BackendUnreachable):
        client.send_json("POST", "/v1/ceam/orders", {}, retry=True)
    assert len(calls) == 1


def test_the_async_client_follows_the_same_retry_policy():
    import asyncio

    from ameli_cli.api.async_client import AsyncAmeliClient

    statuses = [503, 429, 200]
    seen = []

    def handler(request):
        seen.append(request.url.path)
        status = statuses[len(seen) - 1]
        return httpx.Response(status, json={"ok": True} if status == 200 else {"code": "busy"})

    async def fetch(retries: int):
        client = AsyncAmeliClient(
            "http://api.test", transport=httpx.MockTransport(handler), backoff=0, retries=retries
        )
        try:
            return await client.get_json("/v1/attestations/droits")
        finally:
            await client.aclose()

    assert asyncio.run(fetch(2)) == {"ok": True}
    assert len(seen) == 3
    seen.clear()
    with pytest.raises(ApiError) as info:
        asyncio.run(fetch(0))
    assert info.value.status == 503 and len(seen) == 1

    def refuse(request):
        raise httpx.ConnectError("refused", request=request)

    async def unreachable():
        client = AsyncAmeliClient(
            "http://api.test", transport=httpx.MockTransport(refuse), backoff=0
        )
        try:
            await client.get_json("/v1/keys")
        finally:
            await client.aclose()

    with pytest.raises(BackendUnreachable) as gone:
        asyncio.run(unreachable())
    assert gone.value.sent is False
