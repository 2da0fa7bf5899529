"""Issue 13, the service side: every byte a client sends is hostile.

One-time codes and the password lockout counted atomically, the rate limit keyed on
the socket's address, no enumeration through 401 bodies, idempotency keys bound to
their request, a daily message quota, keyset pagination of the mailbox, a bounded
sandbox clock, a redacted access log, 4xx (never 5xx) for malformed input, and 405
with Allow for methods a path does not answer.
"""

from __future__ import annotations

import re
import socket
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import person
from service_harness import mint_token
from test_service import Served

A, B, AGENT = "famille", "css", "agent"


@pytest.fixture
def db_path(user_dirs: Path) -> Path:
    return user_dirs / "data" / "sandbox.sqlite3"


@pytest.fixture
def service(db_path: Path) -> Iterator[Any]:
    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx

    transport = EmbeddedTransport(db_path)
    client = httpx.Client(transport=transport, base_url="http://sandbox.invalid")
    client.conn = transport._app.state.db  # type: ignore[attr-defined]
    yield client
    client.close()


@pytest.fixture
def served(user_dirs: Path) -> Iterator[Any]:
    servers: list[Served] = []

    def start(*args: str) -> Served:
        servers.append(Served(*args))
        return servers[-1]

    yield start
    for server in servers:
        if server.process.returncode is None:
            server.stop()


def auth(service: Any, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(service.conn, person(key).nir)}"}


def login_body(key: str, **extra: Any) -> dict[str, Any]:
    who = person(key)
    return {"nir": who.nir, "password": who.password, **extra}


# -- authentication ----------------------------------------------------------------------


def test_one_time_code_is_burnt_after_five_wrong_tries(service):
    body = login_body(A, device_id="device-13")
    assert service.post("/v1/auth/login", json=body).json()["code"] == "otp_required"
    code = service.conn.execute("SELECT code FROM otp_codes ORDER BY id DESC LIMIT 1").fetchone()[0]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        r = service.post("/v1/auth/login", json={**body, "otp": wrong})
        assert r.status_code == 401 and r.json()["code"] == "otp_invalid"
    burnt = service.post("/v1/auth/login", json={**body, "otp": code})
    assert burnt.status_code == 401 and "receive a new one" in burnt.json()["detail"]
    assert service.post("/v1/auth/login", json=body).json()["code"] == "otp_required"
    fresh = service.conn.execute("SELECT code FROM otp_codes ORDER BY id DESC LIMIT 1").fetchone()[
        0
    ]
    assert service.post("/v1/auth/login", json={**body, "otp": fresh}).status_code == 200
    # Not a 500 for a code that is not ASCII (compare_digest refuses such str).
    again = service.post("/v1/auth/login", json={**login_body(A, device_id="d2"), "otp": "²²²²²²"})
    assert again.status_code == 401


def test_lockout_counts_atomically_across_workers(served):
    """24 wrong passwords at once on two workers: exactly 5 are checked (4 answered
    401, the fifth locks), every other one is refused as locked without a check."""
    from ameli_cli.api.httpx_without_cli import httpx

    server = served("--workers", "2", "--no-access-log", "--login-rate", "0")
    who = person("ij")

    def attempt(_: int) -> int:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            r = client.post("/v1/auth/login", json={"nir": who.nir, "password": "wrong"})
            return r.status_code

    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(attempt, range(24)))
    assert statuses.count(401) == 4, statuses
    assert statuses.count(423) == 20, statuses


def test_wrong_password_and_unknown_nir_get_the_same_bytes(service):
    from stdnum.fr import nir as nir_lib

    unknown = "1850775123456"
    unknown += nir_lib.calc_check_digits(unknown)
    known = service.post("/v1/auth/login", json={"nir": person("alsace").nir, "password": "x"})
    nobody = service.post("/v1/auth/login", json={"nir": unknown, "password": "x"})
    assert known.status_code == nobody.status_code == 401
    assert known.content == nobody.content
    assert "attempts_remaining" not in known.json()
    assert dict(known.headers) == dict(nobody.headers)


def test_rate_limit_keys_on_the_socket_unless_a_proxy_is_trusted(served):
    """X-Forwarded-For rotated on every attempt: ignored by default (429 after 3),
    believed only from a proxy named with --trust-proxy."""
    from ameli_cli.api.httpx_without_cli import httpx

    def statuses(server: Served) -> list[int]:
        return [
            httpx.post(
                f"{server.url}/v1/auth/login",
                json={"nir": person("css").nir, "password": "wrong"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            ).status_code
            for i in range(5)
        ]

    default = served("--login-rate", "3", "--no-access-log")
    assert statuses(default) == [401, 401, 401, 429, 429]
    default.stop()
    proxied = served("--login-rate", "3", "--no-access-log", "--trust-proxy", "127.0.0.1/32")
    assert 429 not in statuses(proxied)


def test_trust_proxy_takes_only_an_address_or_a_network(cli):
    bad = cli("sandbox", "serve", "--trust-proxy", "not-a-network")
    assert bad.exit_code == 2 and "--trust-proxy" in bad.stderr


# -- idempotency -------------------------------------------------------------------------


def test_idempotency_key_is_bound_to_its_request(service):
    headers = {**auth(service, B), "Idempotency-Key": "k-13"}
    first = {"category": "autre", "subject": "Première", "body": "Bonjour."}
    created = service.post("/v1/messages", json=first, headers=headers)
    assert created.status_code == 201
    replay = service.post("/v1/messages", json=first, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == created.json()["id"]
    other = service.post("/v1/messages", json={**first, "subject": "Autre"}, headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    subjects = service.conn.execute(
        "SELECT count(*) FROM message_conversations WHERE subject IN ('Première', 'Autre')"
    ).fetchone()[0]
    assert subjects == 1


def test_agent_reusing_a_key_for_another_assure_is_refused(service):
    headers = {**auth(service, AGENT), "Idempotency-Key": "agent-key"}
    to_b = service.patch(
        "/v1/profile", params={"nir": person(B).nir}, json={"city": "Lyon"}, headers=headers
    )
    assert to_b.status_code == 200
    audits = service.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    to_a = service.patch(
        "/v1/profile", params={"nir": person("ald").nir}, json={"city": "Lyon"}, headers=headers
    )
    assert to_a.status_code == 422 and to_a.json()["code"] == "idempotency_key_reused"
    assert person("ald").nir not in to_a.text
    assert service.conn.execute("SELECT count(*) FROM audit").fetchone()[0] >= audits


def test_every_write_documents_the_reused_key() -> None:
    from ameli_sandbox.app import openapi_document

    writes = 0
    for item in openapi_document()["paths"].values():
        for operation in item.values():
            refs = [p.get("$ref") for p in operation.get("parameters", [])]
            if "#/components/parameters/IdempotencyKey" in refs:
                writes += 1
                assert "422" in operation["responses"], operation["summary"]
                assert "idempotency_key_reused" in operation["description"]
    assert writes >= 4


def test_reused_key_and_quota_read_as_one_line() -> None:
    from ameli_cli.runtime.errors import ApiError, ExitCode, api_error_message

    reused = ApiError(422, {"code": "idempotency_key_reused", "detail": "x"})
    assert "clé d'idempotence a déjà servi" in api_error_message(reused)
    quota = ApiError(429, {"code": "quota_exceeded", "limit": 20, "retry_after": 12000})
    assert api_error_message(quota) == (
        "Quota atteint pour ce compte (20 par jour) : réessayez dans 3 h 20 min."
    )
    assert quota.exit_code == ExitCode.RETRY_LATER == 7


# -- quotas and flat costs ---------------------------------------------------------------


def test_message_quota_keeps_the_message_in_the_outbox(cli, login, monkeypatch):
    monkeypatch.setenv("AMELI_SANDBOX_MESSAGES_QUOTA", "2")
    login("ald")
    send = ("message", "send", "--category", "autre", "--subject", "Quota")
    assert cli(*send, "--body", "un").exit_code == 0
    assert cli(*send, "--body", "deux").exit_code == 0
    refused = cli(*send, "--body", "trois")
    assert refused.exit_code == 7, refused.stderr
    assert "Quota atteint" in refused.stderr
    assert re.search(r"réessayez dans (24 h|23 h 59 min)\.", refused.stderr)
    assert "boîte d'envoi" in refused.stderr
    [kept] = cli("message", "outbox", "--json").json
    assert kept["request"]["body"] == "trois"
    still = cli("message", "outbox", "send")
    assert still.exit_code == 7 and "Quota atteint" in still.stderr
    assert cli("sandbox", "advance", "1d").exit_code == 0
    login("ald")  # a day later the session has expired too
    assert cli("message", "outbox", "send").exit_code == 0
    assert cli("message", "outbox", "--json").json == []


def test_mailbox_pages_by_keyset_cursor(service):
    headers = auth(service, B)
    account = service.conn.execute(
        "SELECT id FROM accounts WHERE nir = ?", (person(B).nir,)
    ).fetchone()[0]
    service.conn.executemany(
        "INSERT INTO message_conversations (id, account_id, category, subject, created_at,"
        " updated_at) VALUES (?, ?, 'autre', 's', ?, ?)",
        [
            (f"MT{i:04d}", account, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
            for i in range(45)
        ],
    )
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "20", **({"cursor": cursor} if cursor else {})}
        page = service.get("/v1/messages", params=params, headers=headers).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 45
    for hostile in ("²", "1" * 30, "eyJ4Ijo", "W1tbW1s", "WyJhIiwgMTBlOTk5OV0"):
        r = service.get("/v1/messages", params={"cursor": hostile}, headers=headers)
        assert r.status_code == 400 and r.json()["code"] == "invalid_cursor", hostile
    plan = " ".join(
        str(row[3])
        for row in service.conn.execute(
            "EXPLAIN QUERY PLAN SELECT c.* FROM message_conversations c WHERE c.account_id = ?"
            " AND (c.updated_at, c.id) < (?, ?) ORDER BY c.updated_at DESC, c.id DESC LIMIT 21",
            (account, "z", "z"),
        )
    )
    assert "USING INDEX message_conversations_page" in plan and "TEMP B-TREE" not in plan


# -- the sandbox clock -------------------------------------------------------------------


def test_advance_refuses_more_than_ten_years_and_stores_nothing(cli, login, db_path):
    login(B)
    far = cli("sandbox", "advance", "4000d")
    assert far.exit_code == 2 and "10 ans" in far.stderr
    # The clock refuses whatever the caller (an HTTP endpoint will call it too).
    from ameli_sandbox import clock
    from ameli_sandbox.app import open_database

    conn = open_database(db_path)
    with pytest.raises(clock.ClockRangeError):
        clock.advance(conn, 3_000_000 * 86400)
    assert clock.offset_seconds(conn) == 0
    conn.close()
    assert cli("whoami").exit_code == 0
    assert cli("sandbox", "advance", "3650d").exit_code == 0
    assert cli("sandbox", "advance", "4d").exit_code == 2
    # A database an older version moved too far still answers.
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = '259200000000' WHERE key = 'clock_offset'")
    conn.commit()
    conn.close()
    assert cli("sandbox", "accounts").exit_code == 0
    again = cli("login", "--nir", person(B).nir, "--password-stdin", input=person(B).password)
    assert again.exit_code == 0, again.stderr


# -- the access log ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/v1/x/285077512345678",
        "/v1/x/2 85 07 75 123 456 78",
        "/v1/x/2.85.07.75.123.456.78",
        "/v1/x/2-85-07-75-123-456-78",
        "/v1/x/2850775123456",
        "/v1/x/158072a00403148",
        "/v1/x/158072B00403148",
        "/v1/x/%32%38%35%30%37%37%35%31%32%33%34%35%36%37%38",
    ],
)
def test_access_log_masks_nir_spellings(target: str) -> None:
    from ameli_sandbox.middleware import redact_target

    path, _, query = target.partition("?")
    assert redact_target(path, b"") == "/v1/x/[nir]"
    query = f"professional={target.rsplit('/', 1)[1]}&limit=20&type=droits&kind={target[6:]}"
    logged = redact_target("/v1/paiements", query.encode())
    assert logged.startswith("/v1/paiements?professional=***&limit=20&type=droits&kind=")
    assert logged.endswith("[nir]") and "[nir]" * 2 not in logged


# -- malformed input: 4xx, never 5xx -----------------------------------------------------


HOSTILE_QUERIES = [
    ("/v1/paiements/summary", {"year": "²²²²"}),
    ("/v1/paiements", {"limit": "²"}),
    ("/v1/paiements", {"cursor": "²"}),
    ("/v1/paiements", {"since": "²⁰²⁶-01-01"}),
    ("/v1/paiements", {"beneficiary": "²"}),
    ("/v1/paiements", {"professional": "x" * 5000}),
    ("/v1/paiements", {"limit": ""}),
    ("/v1/messages", {"limit": "²"}),
    ("/v1/messages", {"cursor": "9" * 30}),
    ("/v1/audit", {"cursor": "9" * 30}),
    ("/v1/audit", {"limit": "²"}),
    ("/v1/vitale/orders", {"cursor": "9" * 30}),
    ("/v1/ceam/orders", {"cursor": "²"}),
    ("/v1/attestations/fiscale", {"year": "²²²²"}),
    ("/v1/attestations/droits", {"beneficiary": "²²"}),
]


def test_hostile_parameters_get_a_400(service):
    headers = auth(service, B)
    statuses = {}
    for path, params in HOSTILE_QUERIES:
        r = service.get(path, params=params, headers=headers)
        statuses[(path, str(params)[:40])] = r.status_code
    assert set(statuses.values()) == {400}, statuses


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b'{"city": ' + b"9" * 5000 + b"}",
        b'{"city": 1e999999}',
        b'{"city": NaN}',
        b'{"city": "\xff"}',
    ],
    ids=["deep-array", "deep-object", "5000-digits", "huge-float", "nan", "latin1"],
)
def test_hostile_json_bodies_get_a_400(service, body: bytes):
    headers = {**auth(service, B), "Content-Type": "application/json"}
    r = service.patch("/v1/profile", content=body, headers=headers)
    assert r.status_code == 400 and r.json()["code"] == "invalid_request"


def test_client_disconnecting_mid_body_is_logged_as_such(served):
    server = served()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n" + b'{"nir": "1'
        )
        time.sleep(0.3)
    time.sleep(0.5)
    code, log = server.stop()
    assert code == 0
    assert "client disconnected" in log
    assert "Traceback" not in log and " 500 " not in log


# -- the contract ------------------------------------------------------------------------


def test_trace_and_unknown_methods_answer_405_with_allow(service):
    for method, path in (("TRACE", "/v1/messages"), ("FOO", "/v1/me"), ("PUT", "/v1/messages")):
        r = service.request(method, path)
        assert r.status_code == 405, (method, path)
        assert r.json()["code"] == "method_not_allowed"
    allow = service.request("TRACE", "/v1/messages").headers["Allow"]
    assert {"GET", "POST"} <= {m.strip() for m in allow.split(",")}
