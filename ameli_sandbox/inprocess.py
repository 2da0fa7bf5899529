"""One HTTP exchange with the service's ASGI app in this process, without a socket and
without an HTTP client library: what the CLI's embedded backend calls for each request.

The ASGI scope is the one httpx's `ASGITransport` builds (same keys, path unquoted,
`raw_path` without the query, lower-case header names, client ("127.0.0.1", 123),
server from the Host header), so the service sees exactly what it saw through httpx.
An exception in the app is a 500 (httpx's `raise_app_exceptions=False`).

No event loop: the service awaits nothing but `receive` and `send` (and, where it
would wait on a server's loop, `Request.run_blocking`/`sleep` run inline while
`http.driven_without_loop` says so), so its coroutine runs to its end on the first
`send(None)`, and asyncio is never imported (~40 ms of CPU on a read command, issue 18).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from typing import Any, NamedTuple
from urllib.parse import unquote_to_bytes

from ameli_sandbox.http import driven_without_loop

Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Message, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]

CLIENT = ("127.0.0.1", 123)


class InProcessAnswer(NamedTuple):
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class AwaitedOutsideALoop(RuntimeError):
    """The app waited for something only an event loop gives (a bug of the service:
    what it may wait for goes through Request.run_blocking or Request.sleep)."""


def call_app(
    app: ASGIApp,
    method: str,
    raw_path: bytes,
    query_string: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
) -> InProcessAnswer:
    """Send one request (`raw_path` percent-encoded, without `?`; `query_string`
    encoded, without `?`) to `app` and return its whole answer."""
    scope = http_scope(method, raw_path, query_string, headers)
    token = driven_without_loop.set(True)
    try:
        return run_to_end(_exchange(app, scope, body))
    finally:
        driven_without_loop.reset(token)


def run_to_end(coroutine: Coroutine[Any, Any, InProcessAnswer]) -> InProcessAnswer:
    """The coroutine's result, driven by hand: it must finish without suspending."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        answer: InProcessAnswer = done.value
        return answer
    coroutine.close()
    raise AwaitedOutsideALoop("the service awaited something outside an event loop")


def http_scope(
    method: str, raw_path: bytes, query_string: bytes, headers: list[tuple[bytes, bytes]]
) -> dict[str, Any]:
    """The ASGI http scope of one request, key for key as httpx's ASGITransport."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "headers": [(name.lower(), value) for name, value in headers],
        "scheme": "http",
        "path": unquote_to_bytes(raw_path).decode("utf-8", errors="surrogateescape"),
        "raw_path": raw_path,
        "query_string": query_string,
        "server": _server(headers),
        "client": CLIENT,
        "root_path": "",
    }


def _server(headers: list[tuple[bytes, bytes]]) -> tuple[str, int | None]:
    """(host, port) as httpx reads them off the URL, here off the Host header that
    httpx writes from the same URL (the port only when not the scheme's default)."""
    for name, value in headers:
        if name.lower() == b"host":
            text = value.decode("ascii")
            if text.startswith("["):  # an IPv6 address: [::1]:8000
                host, _, rest = text[1:].partition("]")
                port = rest[1:]
            else:
                host, _, port = text.partition(":")
            return host, int(port) if port.isdigit() else None
    return "", None


async def _exchange(app: ASGIApp, scope: dict[str, Any], body: bytes) -> InProcessAnswer:
    status: int | None = None
    response_headers: list[tuple[bytes, bytes]] | None = None
    parts: list[bytes] = []
    request_sent = False

    async def receive() -> Message:
        # Once the body is given, the only news is that the exchange is over (an ASGI
        # server waits for the response to end first; here nothing else can happen).
        nonlocal request_sent
        if request_sent:
            return {"type": "http.disconnect"}
        request_sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status, response_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            response_headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            if chunk and scope["method"] != "HEAD":
                parts.append(chunk)

    # An exception in the app is a 500, as httpx's raise_app_exceptions=False gives.
    with contextlib.suppress(Exception):
        await app(scope, receive, send)
    return InProcessAnswer(
        500 if status is None else status, response_headers or [], b"".join(parts)
    )
