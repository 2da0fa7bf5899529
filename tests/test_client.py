"""The thin client: retries reads (never writes), keys every write, maps problems."""

from __future__ import annotations

import pytest

from ameli_cli.api.client import AmeliClient
from ameli_cli.api.exchange import Answer, InProcessExchange
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


class _Recorder(InProcessExchange):
    """A service in this process that keeps each request as it came and answers
    with a problem for /v1/problem, else 200 and a JSON body."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, bytes, bytes, list[tuple[bytes, bytes]], bytes]] = []

    def exchange(self, method, raw_path, query, headers, body):  # type: ignore[no-untyped-def]
        self.seen.append((method, raw_path, query, headers, body))
        if raw_path == b"/v1/problem":
            problem = b'{"code":"not_found","title":"Introuvable","status":404}'
            return Answer(404, [(b"Content-Type", b"application/problem+json")], problem)
        return Answer(200, [(b"content-type", b"application/json"), (b"X-A", b"1")], b'{"ok":1}')


def _without_boundary(headers, body):  # type: ignore[no-untyped-def]
    """Multipart boundaries are random: the same placeholder on both sides."""
    boundary = next((v.split(b"boundary=")[1] for k, v in headers if b"boundary=" in v), None)
    if boundary is None:
        return headers, body
    return [(k, v.replace(boundary, b"B")) for k, v in headers], body.replace(boundary, b"B")


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/v1/me", {}),
        ("GET", "/v1/paiements", {"params": {"limit": 2, "q": "é &x/+?#", "on": True, "n": None}}),
        ("GET", "/v1/css/simulation", {"params": {"ages": "3,40", "local": False, "l": [1, 2]}}),
        ("POST", "/v1/messages", {"json": {"objet": 'Été \u2028 "x"', "n": [1, 2.5, None]}}),
        ("POST", "/v1/auth/logout", {}),
        ("DELETE", "/v1/auth/devices/dev_1", {}),
        ("GET", "/v1/paiements/pmt%2F1", {}),
        ("GET", "/v1/messages/a b?c=1#d", {}),  # a hostile id: httpx's own encoding
        ("GET", "/v1/messages/../../v1/me", {}),
        ("GET", "/v1/messages/é", {}),
        (
            "POST",
            "/v1/vitale/orders",
            {"data": {"rank": "01"}, "files": {"p": ("p.jpg", b"\xff", "image/jpeg")}},
        ),
    ],
)
def test_the_embedded_path_sends_what_httpx_sends(method, path, kwargs):
    """Without httpx, a request reaches an in-process service byte for byte as httpx
    encoded it (path, query, headers, body), but for Accept-Encoding and Connection."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"ok": 1})

    recorder = _Recorder()
    for transport in (httpx.MockTransport(handler), recorder):
        with AmeliClient("http://sandbox.invalid", token="t0k", transport=transport) as client:
            answer = client.request(method, path, idempotency_key="key-1", **kwargs)
            assert answer.json() == {"ok": 1} and answer.status_code == 200
    [request] = sent
    [(got_method, raw_path, query, headers, body)] = recorder.seen
    dropped = {b"accept-encoding", b"connection"}
    expected = [(k, v) for k, v in request.headers.raw if k.lower() not in dropped]
    assert got_method == request.method
    assert raw_path == request.url.raw_path.split(b"?")[0]
    assert query == request.url.query
    assert _without_boundary(headers, body) == _without_boundary(expected, request.read())


def test_an_in_process_answer_reads_as_an_httpx_response():
    with AmeliClient("http://sandbox.invalid", transport=_Recorder()) as client:
        answer = client.request("GET", "/v1/me")
        assert (
            answer.headers.get("X-a") == "1"
            and answer.headers["CONTENT-TYPE"] == "application/json"
        )
        assert answer.text == '{"ok":1}' and answer.content == b'{"ok":1}'
        with pytest.raises(ApiError) as info:
            client.request("GET", "/v1/problem")
    assert info.value.status == 404 and info.value.code == "not_found"


def test_plain_http_loads_no_certificates_yet_would_refuse_an_unverified_tls_peer():
    """A client of an http:// service skips the CA bundle (a start's CPU), without ever
    trusting a TLS peer unverified; https keeps httpx's full verification."""
    import ssl

    from ameli_cli.api.exchange import tls_verify

    assert tls_verify("https://ameli.example/api") is True
    assert tls_verify("HTTPS://ameli.example") is True
    context = tls_verify("http://127.0.0.1:8000")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0  # nothing trusted, nothing loaded
