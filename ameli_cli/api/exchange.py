"""How the synchronous client sends one request: through httpx (a URL backend, a
plugin's transport) or straight to a service in this process (the embedded sandbox),
with no HTTP client library at all.

Read commands on the embedded backend are most of what people run, and httpx costs
more to import (65-95 ms of CPU) than the request itself; so the embedded path encodes
the request here, as httpx would (same path, query and JSON bytes, same headers but
Accept-Encoding and Connection: nothing is compressed or kept alive in a call), and
gets back an `Answer` that offers what the client reads of an `httpx.Response`.
Multipart uploads (rare) borrow httpx's encoder.

Cheap to import: nothing here imports httpx until a session needs it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import ssl

    from ameli_cli.api.httpx_without_cli import httpx

RawHeaders = list[tuple[bytes, bytes]]


class NoAnswer(Exception):
    """No answer came. `kind` names what happened (httpx's exception class, e.g.
    `ConnectError`); `sent` is False when the request surely never reached the service."""

    def __init__(self, kind: str, *, sent: bool) -> None:
        super().__init__(kind)
        self.kind = kind
        self.sent = sent


class HeaderLookup(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...


class Response(Protocol):
    """What the client and `http_policy` read of an answer: an `httpx.Response` or an
    `Answer`."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> HeaderLookup: ...
    @property
    def content(self) -> bytes: ...
    @property
    def text(self) -> str: ...
    @property
    def is_error(self) -> bool: ...
    @property
    def reason_phrase(self) -> str: ...
    def json(self) -> Any: ...


class Headers:
    """An answer's headers, looked up without regard to case (several values of one
    name are joined with ", ", as httpx does)."""

    def __init__(self, raw: RawHeaders) -> None:
        self.raw = raw
        self._values: dict[str, list[str]] = {}
        for name, value in raw:
            self._values.setdefault(name.decode("latin-1").lower(), []).append(
                value.decode("latin-1")
            )

    def get(self, key: str, default: Any = None) -> Any:
        values = self._values.get(key.lower())
        return default if values is None else ", ".join(values)

    def __getitem__(self, key: str) -> str:
        values = self._values.get(key.lower())
        if values is None:
            raise KeyError(key)
        return ", ".join(values)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._values


class Answer:
    """One answer from a service in this process."""

    def __init__(self, status_code: int, headers: RawHeaders, content: bytes) -> None:
        self.status_code = status_code
        self.headers = Headers(headers)
        self.content = content

    @property
    def text(self) -> str:
        charset = _charset(self.headers.get("content-type") or "")
        try:
            return self.content.decode(charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset: httpx falls back to UTF-8 too
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        import json

        return json.loads(self.content)

    @property
    def is_error(self) -> bool:
        return 400 <= self.status_code <= 599

    @property
    def reason_phrase(self) -> str:
        from http import HTTPStatus

        try:
            return HTTPStatus(self.status_code).phrase
        except ValueError:
            return ""


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


class InProcessExchange:
    """What a backend returns to be called without httpx: a service in this process
    taking one encoded request (`raw_path` percent-encoded, `query` encoded, both
    without "?") and giving its whole answer. The embedded sandbox is one."""

    def exchange(
        self, method: str, raw_path: bytes, query: bytes, headers: RawHeaders, body: bytes
    ) -> Answer:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the service holds (its database)."""


class Session(Protocol):
    """One request out, one answer back (`NoAnswer` when none came)."""

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None,
        json: Any,
        files: Any,
        data: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> Response: ...

    def close(self) -> None: ...


def open_session(
    base_url: str, transport: Any, *, timeout: float, headers: dict[str, str]
) -> Session:
    """A session for this transport: an in-process exchange is called directly; anything
    else (None: the network) goes through an `httpx.Client`."""
    if isinstance(transport, InProcessExchange):
        return DirectSession(base_url, transport, headers)
    return HttpxSession(base_url, transport, timeout=timeout, headers=headers)


class HttpxSession:
    def __init__(
        self,
        base_url: str,
        transport: httpx.BaseTransport | None,
        *,
        timeout: float,
        headers: dict[str, str],
    ) -> None:
        from ameli_cli.api.httpx_without_cli import httpx

        self._http = httpx.Client(
            base_url=base_url,
            transport=transport,
            verify=tls_verify(base_url),
            timeout=timeout,
            headers=headers,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None,
        json: Any,
        files: Any,
        data: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> Response:
        from ameli_cli.api.httpx_without_cli import httpx

        try:
            return self._http.request(
                method, path, params=params, json=json, files=files, data=data, headers=headers
            )
        except httpx.TransportError as exc:
            raise no_answer(exc) from exc

    def close(self) -> None:
        self._http.close()


def tls_verify(base_url: str) -> ssl.SSLContext | bool:
    """httpx's `verify` for a client of `base_url`.

    https: True, httpx's full verification (certifi's bundle, or SSL_CERT_FILE).
    Plain http: a TLS context with verification on (certificate and host name
    required) and no certificate loaded. Loading the CA bundle costs ~25 ms of CPU a
    client, at every start of a batch or a command, for a connection that never
    shakes hands; were one ever to (an absolute https URL), no certificate is trusted
    and it fails, never goes unverified. An https proxy keeps its own, full context."""
    if not base_url.lower().startswith("http://"):
        return True
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # defaults: CERT_REQUIRED, check_hostname


def no_answer(exc: httpx.TransportError) -> NoAnswer:
    """httpx's failure as a `NoAnswer`: a refused connection never reached the
    service; a timeout may have."""
    from ameli_cli.api.httpx_without_cli import httpx

    not_sent = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
    return NoAnswer(type(exc).__name__, sent=not isinstance(exc, not_sent))


# A path httpx would send as it is: no "?" or "#", nothing to percent-encode, and no
# "." or ".." segment to normalize. Anything else is encoded by httpx itself.
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9\-._~/!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*")
_DROPPED = frozenset({"accept-encoding", "connection"})


class DirectSession:
    """Requests encoded here and handed to an `InProcessExchange`."""

    def __init__(self, base_url: str, exchange: InProcessExchange, headers: dict[str, str]) -> None:
        from urllib.parse import urlsplit

        self._base_url = base_url
        self._exchange = exchange
        self._headers = headers
        parts = urlsplit(base_url)
        self._host = parts.netloc.lower().encode("ascii")
        base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self._base_path = base_path
        self._httpx_client: httpx.Client | None = None

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None,
        json: Any,
        files: Any,
        data: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> Response:
        merged = self._base_path + path.lstrip("/")
        if files is not None or data is not None or not _is_plain(merged):
            encoded = self._encode_with_httpx(method, path, params, json, files, data, headers)
            return self._exchange.exchange(method, *encoded)
        raw_headers = [(b"Host", self._host)]
        raw_headers += _merged_headers(self._headers, headers)
        body = b""
        if json is not None:
            body = _json_bytes(json)
            raw_headers += [
                (b"Content-Length", str(len(body)).encode("ascii")),
                (b"Content-Type", b"application/json"),
            ]
        elif method in ("POST", "PUT", "PATCH"):
            raw_headers.insert(1, (b"Content-Length", b"0"))
        return self._exchange.exchange(
            method, merged.encode("ascii"), query_string(params), raw_headers, body
        )

    def _encode_with_httpx(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        json: Any,
        files: Any,
        data: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> tuple[bytes, bytes, RawHeaders, bytes]:
        """Multipart bodies and unusual paths: httpx's own encoding (imported then)."""
        from ameli_cli.api.httpx_without_cli import httpx

        if self._httpx_client is None:
            # Used only to build requests: no network transport, no proxy from the
            # environment, so no TLS context is made.
            self._httpx_client = httpx.Client(
                base_url=self._base_url,
                headers=self._headers,
                transport=httpx.BaseTransport(),
                trust_env=False,
            )
        request = self._httpx_client.build_request(
            method, path, params=params, json=json, files=files, data=data, headers=headers
        )
        body = request.read()
        raw = [(k, v) for k, v in request.headers.raw if k.lower().decode() not in _DROPPED]
        return request.url.raw_path.split(b"?")[0], request.url.query, raw, body

    def close(self) -> None:
        self._exchange.close()
        if self._httpx_client is not None:
            self._httpx_client.close()


def _is_plain(path: str) -> bool:
    if not _PLAIN_PATH.fullmatch(path):
        return False
    segments = path.split("/")
    return "." not in segments and ".." not in segments


def _merged_headers(defaults: dict[str, str], extra: dict[str, str]) -> RawHeaders:
    """httpx's merge: a request's header replaces the default of the same name (any
    case) and goes last, after the defaults kept in their order."""
    overridden = {name.lower() for name in extra}
    items = [(k, v) for k, v in defaults.items() if k.lower() not in overridden]
    items += extra.items()
    return [(k.encode("ascii"), v.encode("ascii")) for k, v in items]


def _json_bytes(value: Any) -> bytes:
    """The body httpx sends for `json=`: compact, UTF-8, no NaN."""
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def query_string(params: dict[str, Any] | None) -> bytes:
    """The query httpx sends for `params=`: form-encoded (space as +), a list as a
    repeated name, True/False/None as true/false/empty."""
    if not params:
        return b""
    from urllib.parse import urlencode

    items: list[tuple[str, str]] = []
    for name, value in params.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            items.append((str(name), _primitive(one)))
    return urlencode(items).encode("ascii")


def _primitive(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)
