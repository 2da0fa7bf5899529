"""The service's own HTTP layer (ameli_sandbox/http.py, issue 18): work that would
block a server's event loop leaves it when there is one, and runs inline when the
embedded backend drives a request without a loop."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from ameli_sandbox.http import JSONResponse, Request, Response
from ameli_sandbox.inprocess import call_app
from ameli_sandbox.routing import Route, Router


async def where_it_ran(request: Request) -> Response:
    await request.sleep(0)
    worker = await request.run_blocking(threading.get_ident)
    return JSONResponse({"same_thread": worker == threading.get_ident()})


APP = Router([Route("/where", where_it_ran, methods=["GET"])])


def _on_a_loop() -> dict[str, Any]:
    scope = {"type": "http", "method": "GET", "path": "/where", "headers": [], "query_string": b""}
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    asyncio.run(APP(scope, receive, send))
    answer: dict[str, Any] = json.loads(sent[-1]["body"])
    return answer


def test_blocking_work_leaves_a_servers_loop():
    assert _on_a_loop() == {"same_thread": False}


def test_blocking_work_runs_inline_without_a_loop():
    answer = call_app(APP, "GET", b"/where", b"", [(b"host", b"sandbox.invalid")], b"")
    assert answer.status == 200
    assert json.loads(answer.body) == {"same_thread": True}


def test_without_a_loop_even_inside_one():
    """A caller already on a loop (an async host calling the CLI's code) still gets an
    answer: the request is not this loop's to await."""

    async def host() -> bytes:
        answer = call_app(APP, "GET", b"/where", b"", [], b"")
        return answer.body

    assert json.loads(asyncio.run(host())) == {"same_thread": True}
