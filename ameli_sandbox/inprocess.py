"""One HTTP exchange with the service's ASGI app in this process, without a socket and
without an HTTP client library: what the CLI's embedded backend calls for each request.

The ASGI scope is the one httpx's `ASGITransport` builds (same keys, path unquoted,
`raw_path` without the query, lower-case header names, client ("127.0.0.1", 123),
server from the Host header), so the service sees exactly what it saw through httpx.
An exception in the app is a 500 (httpx's `raise_app_exceptions=False`).

The app runs on one asyncio event loop kept for the life of the process (made on the
first call): a new loop per request would cost more than the request.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, NamedTuple
from urllib.parse import unquote_to_bytes

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


_loop: asyncio.AbstractEventLoop | None = None


def _process_loop() -> asyncio.AbstractEventLoop:
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
    return _loop


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
    return _process_loop().run_until_complete(_exchange(app, scope, body))


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
    response_complete = asyncio.Event()

    async def receive() -> Message:
        nonlocal request_sent
        if request_sent:
            await response_complete.wait()
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
            if not message.get("more_body", False):
                response_complete.set()

    # An exception in the app is a 500, as httpx's raise_app_exceptions=False gives.
    with contextlib.suppress(Exception):
        await app(scope, receive, send)
    return InProcessAnswer(
        500 if status is None else status, response_headers or [], b"".join(parts)
    )
