"""One exchange with the service's ASGI app without httpx (ameli_sandbox.inprocess): the
app sees the scope and body httpx's ASGITransport gave it, and the caller gets the
same answer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ameli_cli.api.httpx_without_cli import httpx
from ameli_sandbox.inprocess import InProcessAnswer, call_app


class Recorder:
    """An ASGI app that keeps what it was given and answers with a fixed reply."""

    def __init__(self, *, fail: bool = False) -> None:
        self.scopes: list[dict[str, Any]] = []
        self.bodies: list[bytes] = []
        self.fail = fail

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.scopes.append(dict(scope))
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        if self.fail:
            raise RuntimeError("boom")
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [(b"content-type", b"application/json"), (b"x-a", b"1")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"ok":', "more_body": True})
        await send({"type": "http.response.body", "body": b"true}"})


def _through_httpx(app: Recorder, request: httpx.Request) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.send(request)

    return asyncio.run(go())


def _through_call_app(app: Recorder, request: httpx.Request) -> InProcessAnswer:
    raw_path = request.url.raw_path.split(b"?")[0]
    return call_app(
        app, request.method, raw_path, request.url.query, request.headers.raw, request.read()
    )


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("GET", "http://sandbox.invalid/v1/me", {}),
        ("GET", "http://sandbox.invalid/v1/paiements", {"params": {"limit": 2, "q": "é &x"}}),
        ("GET", "http://sandbox.invalid/v1/messages/a%2Fb%20c", {}),
        ("POST", "http://127.0.0.1:8765/v1/messages", {"json": {"objet": "Été"}}),
        ("PATCH", "http://[::1]:9000/v1/profile", {"content": b"x" * 10, "headers": {"X-Y": "z"}}),
    ],
)
def test_the_app_sees_what_httpx_gave_it(method, url, kwargs):
    by_httpx, by_call = Recorder(), Recorder()
    with httpx.Client() as client:
        request = client.build_request(method, url, **kwargs)
    answer = _through_httpx(by_httpx, request)
    request = httpx.Client().build_request(method, url, **kwargs)
    ours = _through_call_app(by_call, request)
    assert by_call.scopes == by_httpx.scopes
    assert by_call.bodies == by_httpx.bodies
    assert ours.status == answer.status_code == 201
    assert ours.headers == answer.headers.raw
    assert ours.body == answer.content == b'{"ok":true}'


def test_an_exception_in_the_app_is_a_500():
    request = httpx.Client().build_request("GET", "http://sandbox.invalid/v1/me")
    answer = _through_call_app(Recorder(fail=True), request)
    assert answer == InProcessAnswer(500, [], b"")
