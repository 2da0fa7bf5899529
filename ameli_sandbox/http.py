"""The service's own HTTP types over ASGI: a request, responses, and an exception.

They replace Starlette's (issue 18): `import starlette.applications` cost ~112 ms of
CPU (asyncio and anyio with it) on every `ameli` read command over the embedded
sandbox, and its Request/Response machinery a share of each request on the server.
Standard library only; nothing here awaits anything but the ASGI `receive`, so the
embedded path can drive a request without an event loop (inprocess.py).

What handlers see is what Starlette gave them, byte for byte where it shows: the
same JSON (`JSONResponse.render`), the same headers in the same order, the same
multi-dict reading of the query (`get` takes the last value), case-insensitive
request headers (`get` takes the first), the multipart form of forms.py.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping, MutableMapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import parse_qsl

if TYPE_CHECKING:
    from ameli_sandbox.forms import FormData

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
V = TypeVar("V")
T = TypeVar("T")

# The reason phrases Starlette's HTTPException took from http.client (not imported:
# it brings the e-mail package along).
REASONS = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


class HTTPException(Exception):
    """An answer the routing gives itself: 404, 405, a malformed multipart body (400)."""

    def __init__(self, status_code: int, detail: str | None = None) -> None:
        super().__init__(status_code, detail)
        self.status_code = status_code
        self.detail = REASONS.get(status_code, "") if detail is None else detail

    def __str__(self) -> str:
        return f"{self.status_code}: {self.detail}"


class ClientDisconnect(Exception):
    """The client went away before sending the whole body."""


class State:
    """Attributes the service keeps for its life (`app.state.db`...)."""

    db: Any
    db_path: str
    sandbox_controls: bool


class Headers(Mapping[str, str]):
    """Request headers, read-only and case-insensitive; `get` gives the first value."""

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        self.raw = raw

    def __getitem__(self, key: str) -> str:
        wanted = key.lower().encode("latin-1")
        for name, value in self.raw:
            if name == wanted:
                return value.decode("latin-1")
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and any(
            name == key.lower().encode("latin-1") for name, _ in self.raw
        )

    def __iter__(self) -> Iterator[str]:
        return (name.decode("latin-1") for name, _ in self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    @overload
    def get(self, key: str) -> str | None: ...
    @overload
    def get(self, key: str, default: str) -> str: ...
    @overload
    def get(self, key: str, default: T) -> str | T: ...
    def get(self, key: str, default: Any = None) -> Any:
        wanted = key.lower().encode("latin-1")
        for name, value in self.raw:
            if name == wanted:
                return value.decode("latin-1")
        return default


class MultiDict(Mapping[str, V]):
    """A read-only multi-dict: `get` and `[]` give a key's last value, `multi_items`
    every pair in order (Starlette's ImmutableMultiDict)."""

    def __init__(self, items: list[tuple[str, V]]) -> None:
        self._list = items
        self._dict = dict(items)

    def __getitem__(self, key: str) -> V:
        return self._dict[key]

    def __contains__(self, key: object) -> bool:
        return key in self._dict

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    @overload
    def get(self, key: str) -> V | None: ...
    @overload
    def get(self, key: str, default: V) -> V: ...
    @overload
    def get(self, key: str, default: T) -> V | T: ...
    def get(self, key: str, default: Any = None) -> Any:
        return self._dict.get(key, default)

    def multi_items(self) -> list[tuple[str, V]]:
        return list(self._list)


class QueryParams(MultiDict[str]):
    def __init__(self, query_string: bytes) -> None:
        text = query_string.decode("latin-1")
        super().__init__(parse_qsl(text, keep_blank_values=True) if text else [])


class URL:
    """What handlers read of the request's URL: its path, as Starlette's `url.path`
    wrote it (`?`, `#` and `\\` percent-encoded)."""

    def __init__(self, scope: Scope) -> None:
        self.path: str = scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")


class Request:
    """One HTTP request as a handler reads it."""

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self.scope = scope
        self._receive = receive
        self._body: bytes | None = None
        self._query: QueryParams | None = None
        self._headers: Headers | None = None

    @property
    def app(self) -> Any:
        return self.scope["app"]

    @property
    def method(self) -> str:
        method: str = self.scope["method"]
        return method

    @property
    def url(self) -> URL:
        return URL(self.scope)

    @property
    def path_params(self) -> dict[str, Any]:
        params: dict[str, Any] = self.scope.get("path_params", {})
        return params

    @property
    def query_params(self) -> QueryParams:
        if self._query is None:
            self._query = QueryParams(self.scope.get("query_string", b""))
        return self._query

    @property
    def headers(self) -> Headers:
        if self._headers is None:
            self._headers = Headers(list(self.scope["headers"]))
        return self._headers

    async def body(self) -> bytes:
        if self._body is None:
            chunks: list[bytes] = []
            while True:
                message = await self._receive()
                if message["type"] == "http.disconnect":
                    raise ClientDisconnect()
                if message["type"] == "http.request":
                    chunks.append(bytes(message.get("body", b"")))
                    if not message.get("more_body", False):
                        break
            self._body = b"".join(chunks)
        return self._body

    async def json(self) -> Any:
        return json.loads(await self.body())

    async def run_blocking(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` off the event loop when there is one (a server keeps
        answering other requests meanwhile: a scrypt hash is ~50 ms of CPU), inline
        when the request is driven without a loop (inprocess.py)."""
        if not _on_a_loop():
            return function(*args)
        import asyncio

        return await asyncio.to_thread(function, *args)

    async def sleep(self, seconds: float) -> None:
        """A pause that lets a server's loop answer others; a plain sleep without one."""
        if not _on_a_loop():
            import time

            time.sleep(seconds)
            return
        import asyncio

        await asyncio.sleep(seconds)

    def form(self, *, max_files: int = 1000, max_fields: int = 1000) -> FormContext:
        """`async with request.form(...) as form` (or `await`): a multipart body's
        fields, uploaded files as forms.UploadFile."""
        return FormContext(self, max_files, max_fields)


# True while a caller drives the app without an event loop (inprocess.call_app): a
# loop may be running further up the same thread, but it is not this request's.
driven_without_loop: ContextVar[bool] = ContextVar("driven_without_loop", default=False)


def _on_a_loop() -> bool:
    """Whether this request runs on an asyncio loop it may await (asyncio is not even
    imported on the embedded path)."""
    if driven_without_loop.get():
        return False
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and asyncio._get_running_loop() is not None


class FormContext:
    def __init__(self, request: Request, max_files: int, max_fields: int) -> None:
        self._request = request
        self._limits = (max_files, max_fields)
        self._form: FormData | None = None

    async def _parse(self) -> FormData:
        from ameli_sandbox.forms import parse_form

        content_type = self._request.headers.get("content-type")
        body = await self._request.body()
        self._form = parse_form(content_type, body, *self._limits)
        return self._form

    def __await__(self) -> Any:
        return self._parse().__await__()

    async def __aenter__(self) -> FormData:
        return await self._parse()

    async def __aexit__(self, *exc: object) -> None:
        return None


class Response:
    """A whole response: status, headers (`raw_headers`, as sent) and body."""

    media_type: str | None = None

    def __init__(
        self,
        content: Any = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
    ) -> None:
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type
        self.body = self.render(content)
        raw: list[tuple[bytes, bytes]] = []
        names: set[bytes] | tuple[()] = ()
        if headers:
            raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
            names = {name for name, _ in raw}
        if b"content-length" not in names and not (status_code < 200 or status_code in (204, 304)):
            raw.append((b"content-length", str(len(self.body)).encode("latin-1")))
        media = self.media_type
        if media is not None and b"content-type" not in names:
            if media.startswith("text/") and "charset=" not in media.lower():
                media += "; charset=utf-8"
            raw.append((b"content-type", media.encode("latin-1")))
        self.raw_headers = raw

    def render(self, content: Any) -> bytes:
        if content is None:
            return b""
        if isinstance(content, bytes | bytearray | memoryview):
            return bytes(content)
        return str(content).encode("utf-8")

    @property
    def headers(self) -> ResponseHeaders:
        return ResponseHeaders(self.raw_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        await send({"type": "http.response.body", "body": self.body})


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
        ).encode("utf-8")


class RedirectResponse(Response):
    def __init__(self, url: str) -> None:
        from urllib.parse import quote

        super().__init__(b"", status_code=307)
        self.headers["location"] = quote(url, safe=":/%#?=@[]!$&'()*+,;")


class ResponseHeaders(Headers):
    """A response's headers, writable: setting a name replaces every value it had."""

    def __setitem__(self, key: str, value: str) -> None:
        name = key.lower().encode("latin-1")
        found = [i for i, (existing, _) in enumerate(self.raw) if existing == name]
        for index in reversed(found[1:]):
            del self.raw[index]
        if found:
            self.raw[found[0]] = (name, value.encode("latin-1"))
        else:
            self.raw.append((name, value.encode("latin-1")))
