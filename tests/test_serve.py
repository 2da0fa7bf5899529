"""`ameli sandbox serve` with several workers: each worker keeps a memo of what every
request reads (a token's row, the clock, the next settling: store.memo), valid only
while the database is unchanged. What one worker writes, the others see at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import person


@pytest.fixture
def workers(user_dirs: Path) -> Iterator[tuple[Any, Any]]:
    """Two apps over one file, as two workers of `sandbox serve` are: two connections."""
    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx

    db = user_dirs / "data" / "sandbox.sqlite3"
    clients = [
        httpx.Client(transport=EmbeddedTransport(db), base_url="http://sandbox.invalid")
        for _ in range(2)
    ]
    yield clients[0], clients[1]
    for client in clients:
        client.close()


def _sign_in(client: Any, key: str) -> dict[str, str]:
    who = person(key)
    answer = client.post("/v1/auth/login", json={"nir": who.nir, "password": who.password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_a_session_ended_on_one_worker_is_refused_by_the_other_at_once(workers):
    first, second = workers
    auth = _sign_in(first, "css")
    for _ in range(2):  # the second worker has read the token (and kept it)
        assert second.get("/v1/me", headers=auth).status_code == 200
    assert first.post("/v1/auth/logout", headers=auth).status_code in (200, 204)
    refused = second.get("/v1/me", headers=auth)
    assert refused.status_code == 401 and refused.json()["code"] == "token_invalid"


def test_the_clock_moved_on_one_worker_moves_on_the_other(workers):
    first, second = workers
    auth = _sign_in(first, "css")
    before = second.get("/v1/meta").json()["now"]
    assert second.get("/v1/me", headers=auth).status_code == 200
    moved = first.post("/v1/sandbox/clock", json={"advance_seconds": 9 * 3600})
    assert moved.status_code == 200, moved.text
    assert second.get("/v1/meta").json()["now"] > before
    # Eight hours later the session has ended, on the worker that had read the token.
    expired = second.get("/v1/me", headers=auth)
    assert expired.status_code == 401 and expired.json()["code"] == "token_expired"


def test_a_profile_change_on_one_worker_is_read_on_the_other(workers):
    first, second = workers
    auth = _sign_in(first, "css")
    assert second.get("/v1/profile", headers=auth).json()["city"] != "Quimper"
    changed = first.patch("/v1/profile", json={"city": "Quimper"}, headers=auth)
    assert changed.status_code == 200, changed.text
    assert second.get("/v1/profile", headers=auth).json()["city"] == "Quimper"
