"""Routes and the routing of a request to one, as Starlette's Router did it (issue 18).

A route is a path template (`{name}`, `{name:int}`, `{name:path}`), the methods it
answers (HEAD with GET) and an async handler `handler(request) -> Response`. The
first route that matches path and method takes the request; a path matched with
another method is a 405 (the app's answer adds `Allow`); a path matched only with
or without its trailing slash is redirected there (307); anything else is a 404.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from functools import cache
from typing import Any

from ameli_sandbox.http import (
    URL,
    HTTPException,
    Receive,
    RedirectResponse,
    Request,
    Response,
    Scope,
    Send,
)

Handler = Callable[[Request], Awaitable[Response]]

NONE, PARTIAL, FULL = 0, 1, 2  # how a route matches a request (Starlette's Match)

_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?}")
_CONVERTORS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "str": ("[^/]+", str),
    "int": ("[0-9]+", int),
    "path": (".*", str),
}


def compile_path(path: str) -> tuple[re.Pattern[str], dict[str, Callable[[str], Any]]]:
    """The template's regex (`$` as Starlette wrote it) and each parameter's converter."""
    regex, index, convert = "^", 0, {}
    for match in _PARAM.finditer(path):
        name, kind = match.group(1), (match.group(2) or ":str")[1:]
        pattern, converter = _CONVERTORS[kind]
        regex += re.escape(path[index : match.start()]) + f"(?P<{name}>{pattern})"
        convert[name] = converter
        index = match.end()
    return re.compile(regex + re.escape(path[index:]) + "$"), convert


class Route:
    def __init__(
        self, path: str, endpoint: Handler, *, methods: Iterable[str], name: str | None = None
    ) -> None:
        assert path.startswith("/"), "Routed paths must start with '/'"
        self.path = path
        self.endpoint = endpoint
        self.name = endpoint.__name__ if name is None else name
        self.methods = {method.upper() for method in methods}
        if "GET" in self.methods:
            self.methods.add("HEAD")
        self.path_regex, self._convert = compile_path(path)
        # A template without parameters matches its own text (and, as the regex's `$`
        # does, that text and a final newline): a string comparison decides.
        self._fixed = None if self._convert else (path, path + "\n")

    def matches(self, scope: Scope) -> tuple[int, dict[str, Any]]:
        if self._fixed is not None and scope["path"] not in self._fixed:
            return NONE, {}
        found = self.path_regex.match(scope["path"])
        if found is None:
            return NONE, {}
        params = {name: self._convert[name](value) for name, value in found.groupdict().items()}
        child = {"endpoint": self.endpoint, "path_params": params}
        return (FULL if scope["method"] in self.methods else PARTIAL), child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in self.methods:
            raise HTTPException(405)
        response = await self.endpoint(Request(scope, receive))
        await response(scope, receive, send)

    def __repr__(self) -> str:
        return f"Route(path={self.path!r}, name={self.name!r}, methods={sorted(self.methods)!r})"


class Router:
    """The first full match, else the first partial one (405), else the slash redirect,
    else 404: over `routes`, in order."""

    def __init__(self, routes: list[Route]) -> None:
        self.routes = routes

    def candidates(self, scope: Scope) -> Iterable[Route]:
        """The routes that may match this request, in order (all of them here)."""
        return self.routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        partial: tuple[Route, dict[str, Any]] | None = None
        for route in self.candidates(scope):
            match, child = route.matches(scope)
            if match == FULL:
                partial = (route, child)
                break
            if match == PARTIAL and partial is None:
                partial = (route, child)
        if partial is not None:
            route, child = partial
            scope["route"] = route
            scope.update(child)
            await route.handle(scope, receive, send)
            return
        path: str = scope["path"]
        if path != "/":
            toggled = {**scope, "path": path.rstrip("/") if path.endswith("/") else path + "/"}
            if any(route.matches(toggled)[0] != NONE for route in self.routes):
                await RedirectResponse(redirect_url(toggled))(scope, receive, send)
                return
        raise HTTPException(404)


@cache
def _host_pattern() -> re.Pattern[str]:
    """Starlette's reading of a Host header; compiled only when a redirect needs it."""
    return re.compile(
        r"^(?P<host>[a-z0-9._~%!$&'()*+,;=-]+|\[(?:(?P<ipv6>[a-f0-9]*:[a-f0-9.:]+)|"
        r"(?-i:v)[a-f0-9]+\.[a-z0-9._~!$&'()*+,;=:-]+)\])(?::(?P<port>[0-9]+))?$",
        re.IGNORECASE,
    )


def redirect_url(scope: Scope) -> str:
    """The absolute URL of this scope, as Starlette's URL(scope=...) wrote it: the
    Host header when valid, else the server's address."""
    from urllib.parse import SplitResult

    path = URL(scope).path
    query = scope.get("query_string", b"").decode()
    netloc = _host_header(scope)
    if netloc is None and scope.get("server") is not None:
        host, port = scope["server"]
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        scheme = scope.get("scheme", "http")
        default = {"http": 80, "https": 443, "ws": 80, "wss": 443}[scheme]
        netloc = host if port == default else f"{host}:{port}"
    if netloc is None:
        if path.startswith("//"):
            path = "/%2F" + path[2:]
        return f"{path}?{query}" if query else path
    parts = SplitResult(scope.get("scheme", "http"), netloc, path, query, "")
    return parts.geturl()


def _host_header(scope: Scope) -> str | None:
    for key, value in scope["headers"]:
        if key == b"host":
            found = _host_pattern().fullmatch(value.decode("latin-1"))
            break
    else:
        return None
    if found is None:
        return None
    if found["ipv6"] is not None:
        from ipaddress import AddressValueError, IPv6Address

        try:
            IPv6Address(found["ipv6"])
        except AddressValueError:
            return None
    port = found["port"]
    if port is not None and (len(port.lstrip("0")) > 5 or int(port.lstrip("0") or "0") > 65535):
        return None
    return found["host"] if port is None else f"{found['host']}:{port}"
