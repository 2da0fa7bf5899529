"""A hostile service: the real reference service over HTTP, with chosen answers rewritten.

Sign-in, tokens and every other answer stay real; only the JSON bodies of the paths a
test names are passed through its `rewrite(path, data) -> data` first. That is how a
crafted (or compromised) server looks to the CLI.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import HttpServer

Rewrite = Callable[[str, Any], Any]


def hostile_app(app: Any, rewrite: Rewrite) -> Any:
    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path = scope["path"]
        start: dict[str, Any] = {}
        body = bytearray()

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            data = bytes(body)
            with contextlib.suppress(ValueError):  # not JSON (empty, a PDF): as it was
                data = json.dumps(rewrite(path, json.loads(data))).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(data)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": data})

        await app(scope, receive, capture)

    return wrapped


class HostileServer(HttpServer):
    def __init__(self, db_path: Path, rewrite: Rewrite) -> None:
        self._rewrite = rewrite
        super().__init__(db_path)

    def make_app(self, db_path: Path) -> Any:
        return hostile_app(super().make_app(db_path), self._rewrite)
