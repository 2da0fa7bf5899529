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
        _client(handler).post_json("/v1/messages", {"x": 1})
    assert len(calls) == 1
    assert info.value.exit_code == ExitCode.UNREACHABLE
    assert calls[0].headers["Idempotency-Key"]
    # A caller retrying an earlier write passes its own key through.
    calls.clear()
    with pytest.raises(ApiError):
        _client(handler).post_json("/v1/messages", {}, idempotency_key="k-1")
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
        _client(handler).post_json("/v1/messages", {})
    assert info.value.sent is True


def test_bearer_token_is_sent_and_never_logged():
    lines: list[str] = []

    def handler(request):
        assert request.headers["Authorization"] == "Bearer secret-token"
        return httpx.Response(200, json={})

    client = _client(handler, token="secret-token", on_event=lines.append)
    client.get_json("/v1/me")
    assert lines and all("secret-token" not in line for line in lines)
