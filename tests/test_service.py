"""The reference service as a shared server (issue 8): the contract fuzzed against the
checked-in OpenAPI document, the access-control matrix over every endpoint, the
abuse rules, and `ameli sandbox serve` (workers, body limits, redacted access log,
graceful shutdown).

The contract and the matrix read the spec: they cover every endpoint that exists
when they run.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import person
from service_harness import Operation, mint_token, operations, request_body

OPERATIONS = operations()
SECURED = [op for op in OPERATIONS if not op.public]

A, B, AGENT = "famille", "css", "agent"


# -- helpers ---------------------------------------------------------------------------


@pytest.fixture
def db_path(user_dirs: Path) -> Path:
    return user_dirs / "data" / "sandbox.sqlite3"


@pytest.fixture
def service(db_path: Path) -> Iterator[Any]:
    """The service in this process (same app `ameli sandbox serve` runs), driven by
    an httpx client with no socket."""
    from ameli_cli.api.embedded import EmbeddedTransport
    from ameli_cli.api.httpx_without_cli import httpx

    transport = EmbeddedTransport(db_path)
    client = httpx.Client(transport=transport, base_url="http://sandbox.invalid")
    client.conn = transport._app.state.db  # type: ignore[attr-defined]
    yield client
    client.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """`ameli sandbox serve` in a subprocess (the real command, real workers)."""

    def __init__(self, *args: str, port: int | None = None) -> None:
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ameli_cli",
                "sandbox",
                "serve",
                "--port",
                str(self.port),
                *args,
            ],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its workers too can be stopped by group id
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.process.kill()
                    raise RuntimeError(self.process.communicate()[1].decode()) from None
                time.sleep(0.05)

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            _, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            err = b""
        # Workers left behind (the parent was SIGKILLed, or hung): end the group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(10)
        return self.process.returncode, err.decode("utf-8", errors="replace")


@pytest.fixture
def served(user_dirs: Path) -> Iterator[Any]:
    servers: list[Served] = []

    def start(*args: str, port: int | None = None) -> Served:
        servers.append(Served(*args, port=port))
        return servers[-1]

    yield start
    for server in servers:
        if server.process.returncode is None:
            server.stop()


def nir_of(key: str) -> str:
    return person(key).nir


# -- contract: schemathesis over every operation ------------------------------------------

# Bounded for CI; raise it for a deeper run: AMELI_CONTRACT_EXAMPLES=500 pytest -k contract
CONTRACT_EXAMPLES = int(os.environ.get("AMELI_CONTRACT_EXAMPLES", "12"))


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
def test_contract_holds_under_generated_requests(op: Operation, db_path: Path) -> None:
    """Schemathesis generates valid and invalid requests from the spec, as an assuré
    and as an agent, under every check (`--checks all`): no 5xx, every status, content
    type, header and body as documented, valid data accepted and invalid data refused,
    unsupported methods answered 405 with Allow, and a secured operation refuses the
    same request without its token."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode
    from schemathesis.checks import CHECKS, ignored_auth, load_all_checks

    from ameli_sandbox.app import create_app, openapi_document

    app = create_app(db_path)
    conn = app.state.db
    # schemathesis.toml (repo root) allows the rejections a schema cannot express.
    schema = schemathesis.openapi.from_dict(openapi_document())
    schema.app = app
    operation = schema[op.path][op.method.upper()]
    takes_nir = op.subject_scoped
    load_all_checks()  # `--checks all`, as the CLI runs it
    checks = [
        check for check in CHECKS.get_all() if op.public is False or check is not ignored_auth
    ]
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases, who=st.sampled_from([A, AGENT]))
    @settings(
        max_examples=CONTRACT_EXAMPLES,
        # CI draws the same examples every run (no flaky red); a deeper run is random.
        derandomize="AMELI_CONTRACT_EXAMPLES" not in os.environ,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, who: str) -> None:
        headers = {"Authorization": f"Bearer {mint_token(conn, nir_of(who))}"}
        if who == AGENT and takes_nir and "nir" not in (case.query or {}):
            # An agent always acts for a named assuré (web.subject_account answers 400
            # otherwise: a rule between the caller and a parameter, not in the schema).
            case.query = {**(case.query or {}), "nir": nir_of(B)}
        case.call_and_validate(headers=headers, checks=checks)

    run()


def test_spec_documents_the_service_errors() -> None:
    """The statuses the middleware adds are in the document."""
    login = next(op for op in OPERATIONS if op.path == "/v1/auth/login")
    assert {"413", "429"} <= set(login.spec["responses"])


# -- access control: every operation x {anonymous, A, B, agent, expired, revoked} ---------


def _snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the data is made of (not the logs: audit, tokens, idempotency, limits)."""
    skip = {"audit", "tokens", "idempotency", "rate_limits", "otp_codes", "sqlite_sequence"}
    tables = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if r[0] not in skip
    ]
    return {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")), key=repr) for t in tables}


def _own_values(client: Any, op: Operation, token: str) -> dict[str, str] | None:
    """Path parameter values naming resources of this assuré: from an enum, else an
    item of the nearest list (`/v1/messages` for `/v1/messages/{id}`), else of a list
    field of the parent resource (`attachments` of `/v1/messages/{id}`); the first
    combination that resolves every parameter."""
    segments = op.path.split("/")
    headers = {"Authorization": f"Bearer {token}"}

    def candidates(index: int, values: dict[str, str]) -> list[str]:
        name = segments[index][1:-1]
        param = next(p for p in op.path_params if p["name"] == name)
        enum = param.get("schema", {}).get("enum")
        if enum:
            return [str(enum[0])]
        parent = "/".join(segments[:index]).format(**values)
        response = client.get(parent, headers=headers)
        items: list[Any] = []
        if response.status_code == 200 and isinstance(response.json(), dict):
            items = response.json().get("items", [])
        else:
            grand = "/".join(segments[: index - 1]).format(**values)
            response = client.get(grand, headers=headers)
            if response.status_code == 200:
                items = list(_lists_named(response.json(), segments[index - 1]))
        return [
            str(item.get("id", item.get(name)))
            for item in items[:30]
            if isinstance(item, dict) and (item.get("id") or item.get(name))
        ]

    def search(index: int, values: dict[str, str]) -> dict[str, str] | None:
        while index < len(segments) and not segments[index].startswith("{"):
            index += 1
        if index == len(segments):
            return values
        for value in candidates(index, values):
            found = search(index + 1, {**values, segments[index][1:-1]: value})
            if found is not None:
                return found
        return None

    return search(0, {})


def _lists_named(node: Any, key: str) -> Iterator[Any]:
    """The items of every list under `key`, at any depth of a JSON document."""
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key and isinstance(value, list):
                yield from value
            else:
                yield from _lists_named(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _lists_named(value, key)


def _send_message_with_attachment(client: Any, token: str) -> None:
    """The seed has no attachment: the assuré sends one, as `ameli message send` would."""
    import base64

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client.post(
        "/v1/messages",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "category": "attestation",
            "subject": "Pièce jointe",
            "body": "Voici le document.",
            "attachments": [
                {"filename": "piece.pdf", "content_base64": base64.b64encode(pdf).decode()}
            ],
        },
    )
    assert response.status_code == 201, response.text


def _leaks(response: Any, key: str) -> bool:
    who = person(key)
    text = response.text
    return who.nir in text or who.last_name in text


@pytest.mark.parametrize("op", SECURED, ids=lambda op: op.id)
def test_access_control_matrix(op: Operation, service: Any) -> None:
    conn = service.conn
    a_nir, b_nir = nir_of(A), nir_of(B)
    if "/attachments/" in op.path and op.path.startswith("/v1/messages/"):
        _send_message_with_attachment(service, mint_token(conn, a_nir))
    values = _own_values(service, op, mint_token(conn, a_nir))
    assert values is not None, f"{op.id}: no resource of the assuré to aim at (empty list?)"
    path = op.path.format(**values)
    owned_ids = bool(op.path_params) and not all(
        p.get("schema", {}).get("enum") for p in op.path_params
    )

    def call(token: str | None, nir: str | None = None) -> Any:
        headers = {"Idempotency-Key": os.urandom(8).hex()} if op.is_write else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        params = {"nir": nir} if nir else None
        return service.request(
            op.method.upper(), path, headers=headers, params=params, **request_body(op)
        )

    def audits(actor: str, subject: str) -> int:
        return int(
            conn.execute(
                "SELECT count(*) FROM audit au JOIN accounts x ON x.id = au.actor_account_id"
                " JOIN accounts s ON s.id = au.subject_account_id WHERE x.nir = ? AND s.nir = ?",
                (actor, subject),
            ).fetchone()[0]
        )

    failures: list[str] = []

    def expect(cell: str, response: Any, ok: bool) -> None:
        if not ok:
            failures.append(f"{cell}: {response.status_code} {response.text[:160]}")

    before = _snapshot(conn)
    # Refused cells first: none of them may change anything.
    for cell, token, code in (
        ("anonymous", None, "auth_required"),
        ("expired token", mint_token(conn, a_nir, expired=True), "token_expired"),
        ("revoked token", mint_token(conn, a_nir, revoked=True), "token_invalid"),
    ):
        r = call(token)
        expect(cell, r, r.status_code == 401 and r.json().get("code") == code)
        expect(f"{cell} (leak)", r, not _leaks(r, A))
    if op.subject_scoped:
        r = call(mint_token(conn, b_nir), nir=a_nir)
        expect("assuré B naming A's NIR", r, r.status_code == 403 and not _leaks(r, A))
        r = call(mint_token(conn, AGENT and nir_of(AGENT)))
        expect("agent without ?nir=", r, 400 <= r.status_code < 500 and not _leaks(r, A))
    if owned_ids:
        r = call(mint_token(conn, b_nir))
        expect("assuré B on A's id", r, r.status_code in (403, 404) and not _leaks(r, A))
        if op.subject_scoped:
            r = call(mint_token(conn, nir_of(AGENT)), nir=b_nir)
            expect("agent for B on A's id", r, r.status_code in (403, 404) and not _leaks(r, A))
        else:
            r = call(mint_token(conn, nir_of(AGENT)))
            expect("agent (no ?nir=) on A's id", r, r.status_code in (403, 404))
    after = _snapshot(conn)
    changed = [t for t in before if before[t] != after.get(t)]
    assert not changed, f"{op.id}: refused requests changed {changed}"

    # Allowed cells: the assuré on its own data, with or without naming itself.
    def allowed(r: Any) -> bool:
        if op.is_write:
            return r.status_code < 500 and r.status_code not in (401, 403, 404)
        return 200 <= r.status_code < 300

    if op.agents_only:
        # Agents only (the NIRs are in the body, the spec's example names A): assurés
        # are refused without a leak, the agent gets A's data, audited.
        for cell, nir in (("assuré A", a_nir), ("assuré B", b_nir)):
            r = call(mint_token(conn, nir))
            expect(cell, r, r.status_code == 403 and not _leaks(r, A))
        assert _snapshot(conn) == after, f"{op.id}: refused requests changed data"
        before_audit = audits(nir_of(AGENT), a_nir)
        r = call(mint_token(conn, nir_of(AGENT)))
        expect("agent for A", r, allowed(r) and a_nir in r.text)
        expect("agent for A (audited)", r, audits(nir_of(AGENT), a_nir) > before_audit)
        assert not failures, f"{op.id}:\n  " + "\n  ".join(failures)
        return
    r = call(mint_token(conn, a_nir))
    expect("assuré A", r, allowed(r))
    if op.subject_scoped:
        r = call(mint_token(conn, a_nir), nir=a_nir)
        expect("assuré A naming itself", r, allowed(r))
        before_audit = audits(nir_of(AGENT), a_nir)
        r = call(mint_token(conn, nir_of(AGENT)), nir=a_nir)
        expect("agent for A", r, allowed(r))
        if 200 <= r.status_code < 300:
            expect("agent for A (audited)", r, audits(nir_of(AGENT), a_nir) > before_audit)
    if not owned_ids:
        # B on a collection gets its own data, never A's.
        r = call(mint_token(conn, b_nir))
        expect("assuré B on its own", r, allowed(r) and not _leaks(r, A))
    if not op.subject_scoped and not owned_ids:
        r = call(mint_token(conn, nir_of(AGENT)))
        expect("agent as itself", r, r.status_code not in (401,) and r.status_code < 500)
    assert not failures, f"{op.id}:\n  " + "\n  ".join(failures)


def test_matrix_covers_every_route_that_refuses_strangers(service) -> None:
    """Every route the service serves, asked without a token: those that refuse (401)
    are exactly the matrix's operations, each documenting its 401; the others are the
    spec's public ones. A route added without its spec, or its sign-in, fails here."""
    from ameli_sandbox.app import create_app

    app = create_app(":memory:")
    documented = {op.id: op.path_params for op in OPERATIONS}
    refused, open_ = set(), set()
    for route in app.routes:
        for method in sorted((route.methods or set()) - {"HEAD"}):
            if method == "POST" and route.path == "/v1/sandbox/reset":
                open_.add(f"{method} {route.path}")  # public; not worth re-seeding here
                continue
            path = route.path
            for param in documented.get(f"{method} {route.path}", []):
                value = param.get("schema", {}).get("enum", ["x"])[0]
                path = path.replace("{" + param["name"] + "}", str(value))
            answer = service.request(method, path, json={} if method != "GET" else None)
            (refused if answer.status_code == 401 else open_).add(f"{method} {route.path}")
    assert refused == {op.id for op in SECURED}
    assert open_ == {op.id for op in OPERATIONS if op.public}
    for op in SECURED:
        assert op.spec.get("responses", {}).get("401"), f"{op.id} does not document 401"


# -- abuse rules ---------------------------------------------------------------------------


def test_lockout_after_five_wrong_passwords_lifts_after_thirty_minutes(cli, memory_keyring):
    who = person("ij")
    for _ in range(5):
        cli("login", "--nir", who.nir, "--password-stdin", input="not-the-password")
    locked = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert locked.exit_code == 4 and "bloqué" in locked.stderr
    assert cli("sandbox", "advance", "29min").exit_code == 0
    still = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert still.exit_code == 4 and "bloqué" in still.stderr
    assert cli("sandbox", "advance", "2min").exit_code == 0
    assert cli("login", "--nir", who.nir, "--password-stdin", input=who.password).exit_code == 0


def test_token_expires_after_eight_hours(cli, login):
    login("css")
    assert cli("whoami").exit_code == 0
    assert cli("sandbox", "advance", "479min").exit_code == 0
    assert cli("whoami").exit_code == 0
    assert cli("sandbox", "advance", "2min").exit_code == 0
    expired = cli("whoami")
    assert expired.exit_code == 4
    assert "expiré" in expired.stderr and "ameli login" in expired.stderr


def test_sign_in_takes_as_long_for_an_unknown_nir(service):
    """Constant-time answers: an unknown NIR costs the same password hashing as a
    known one with a wrong password, so timing does not tell who has an account."""
    from stdnum.fr import nir as nir_lib

    unknown = "1850775123456"
    unknown += nir_lib.calc_check_digits(unknown)
    known = person("alsace").nir

    def median_ms(nir: str) -> float:
        samples = []
        for _ in range(4):
            started = time.perf_counter()
            r = service.post("/v1/auth/login", json={"nir": nir, "password": "wrong-password"})
            samples.append((time.perf_counter() - started) * 1000)
            assert r.status_code in (401, 423)
        return sorted(samples)[len(samples) // 2]

    known_ms, unknown_ms = median_ms(known), median_ms(unknown)
    assert known_ms > 5, "password hashing is what makes a guess cost"
    assert 0.5 < unknown_ms / known_ms < 2, (known_ms, unknown_ms)


def test_secrets_are_compared_in_constant_time(service, monkeypatch) -> None:
    """Passwords (scrypt digests) and one-time codes reach a constant-time comparison
    (hmac/secrets.compare_digest, spied on while real sign-ins run); tokens are kept
    only as their SHA-256, so a lookup never compares the secret as text."""
    import hashlib
    import hmac
    import secrets

    real = hmac.compare_digest
    compared: list[tuple[Any, Any]] = []

    def spy(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    monkeypatch.setattr(secrets, "compare_digest", spy)
    who = person("famille")  # password, then a one-time code
    body = {"nir": who.nir, "password": who.password, "device_id": "d-1"}
    assert service.post("/v1/auth/login", json=body).json()["code"] == "otp_required"
    assert any(len(a) == len(b) == 64 and isinstance(a, bytes) for a, b in compared)
    code = service.conn.execute("SELECT code FROM otp_codes ORDER BY id DESC LIMIT 1").fetchone()[
        "code"
    ]
    compared.clear()
    wrong = "000000" if code != "000000" else "111111"
    assert service.post("/v1/auth/login", json={**body, "otp": wrong}).status_code == 401

    def text(value: Any) -> str:
        return value.decode("latin-1") if isinstance(value, bytes) else str(value)

    assert any(wrong in map(text, pair) for pair in compared), compared
    signed_in = service.post("/v1/auth/login", json={**body, "otp": code})
    assert signed_in.status_code == 200
    token = signed_in.json()["token"]
    stored = [row[0] for row in service.conn.execute("SELECT token_hash FROM tokens")]
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_login_rate_limit_per_address(cli, memory_keyring, monkeypatch):
    """Past the limit, sign-in is refused with 429 whatever the NIR (trying many NIRs
    is not a way round the lockout); the CLI says when to retry."""
    monkeypatch.setenv("AMELI_SANDBOX_LOGIN_RATE", "4")
    nirs = [person(k).nir for k in ("famille", "ald", "css", "ij")]
    for nir in nirs:
        result = cli("login", "--nir", nir, "--password-stdin", input="wrong")
        assert result.exit_code == 4 and "incorrect" in result.stderr
    who = person("alsace")
    refused = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert refused.exit_code == 7  # ExitCode.RETRY_LATER
    assert "Trop de tentatives" in refused.stderr and "réessayez dans" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_rate_limit_window_reopens() -> None:
    from ameli_sandbox import store
    from ameli_sandbox.features import limits

    conn = store.connect(":memory:")
    store.migrate(conn, [limits])
    assert [limits.take_attempt(conn, "k", 2, 60, 1000.0 + i) for i in range(3)] == [
        None,
        None,
        58,
    ]
    assert limits.take_attempt(conn, "other", 2, 60, 1003.0) is None
    assert limits.take_attempt(conn, "k", 2, 60, 1060.0) is None


def test_body_limits(service):
    token = mint_token(service.conn, nir_of(A))
    big = {"nir": nir_of(A), "password": "x" * (2 * 1024 * 1024)}
    r = service.post("/v1/auth/login", json=big)
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
    assert r.headers["content-type"] == "application/problem+json"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"email": "'
        for _ in range(40):
            yield b"a" * 65536
        yield b'"}'

    r = service.patch(
        "/v1/profile",
        content=chunks(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert r.status_code == 413
    unchanged = service.get("/v1/profile", headers={"Authorization": f"Bearer {token}"})
    assert unchanged.json()["email"] != "a" * 65536
    # Where files travel, the limit is higher: this 2 MiB message reaches the handler.
    r = service.post(
        "/v1/messages",
        headers={"Authorization": f"Bearer {token}"},
        json={"category": "nope", "subject": "s", "body": "b" * (2 * 1024 * 1024)},
    )
    assert r.status_code == 422


def test_refusals_read_in_french() -> None:
    """413 and 429 reach a person as a sentence that says what to do, not a code."""
    from ameli_cli.runtime.errors import ApiError, ExitCode, api_error_message

    too_large = ApiError(413, {"code": "payload_too_large", "limit": 1048576, "detail": "x"})
    assert api_error_message(too_large) == (
        "Envoi trop volumineux : le service accepte au plus 1048576 octets par requête."
    )
    assert too_large.exit_code == ExitCode.USAGE
    limited = ApiError(429, {"code": "rate_limited", "retry_after": 12, "detail": "x"})
    assert "réessayez dans 12 s" in api_error_message(limited)


# -- `ameli sandbox serve` -----------------------------------------------------------------


def _login_over_http(url: str, key: str) -> str:
    from ameli_cli.api.httpx_without_cli import httpx

    who = person(key)
    r = httpx.post(f"{url}/v1/auth/login", json={"nir": who.nir, "password": who.password})
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def test_access_log_has_no_token_nir_or_password(served):
    from ameli_cli.api.httpx_without_cli import httpx

    server = served("--workers", "1")
    token = _login_over_http(server.url, "css")
    agent = _login_over_http(server.url, "agent")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/v1/me", headers=headers).status_code == 200
    r = httpx.get(
        f"{server.url}/v1/profile",
        params={"nir": nir_of("css")},
        headers={"Authorization": f"Bearer {agent}"},
    )
    assert r.status_code == 200
    httpx.get(f"{server.url}/v1/nothing/{nir_of('ald')}")
    code, log = server.stop()
    assert code == 0
    lines = [line for line in log.splitlines() if '"' in line]
    assert any('"GET /v1/me" 200' in line for line in lines), log
    assert any('"GET /v1/profile?nir=***" 200' in line for line in lines), log
    assert any('"GET /v1/nothing/[nir]" 404' in line for line in lines), log
    assert any('"POST /v1/auth/login" 200' in line for line in lines), log
    for secret in (token, agent, person("css").password, nir_of("css"), nir_of("ald")):
        assert secret not in log
    assert not re.search(r"[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}", log)


def test_no_access_log_when_asked(served):
    server = served("--no-access-log")
    _login_over_http(server.url, "css")
    code, log = server.stop()
    assert code == 0 and "/v1/auth/login" not in log


def test_serve_is_a_sandbox_unless_told_otherwise(served, cli, monkeypatch):
    """`ameli sandbox serve` serves the sandbox's own endpoints (a team drives it with
    `ameli --backend URL sandbox …`); with AMELI_SANDBOX_CONTROLS=0 it stands for a
    real backend: neither served nor in its OpenAPI document."""
    import httpx

    sandbox = served()
    assert cli("--backend", sandbox.url, "sandbox", "advance", "1h").exit_code == 0
    monkeypatch.setenv("AMELI_SANDBOX_CONTROLS", "0")
    plain = served()
    refused = cli("--backend", plain.url, "sandbox", "advance", "1h")
    assert refused.exit_code == 2 and "n'est pas un bac à sable" in refused.stderr
    paths = httpx.get(f"{plain.url}/openapi.json").json()["paths"]
    assert "/v1/me" in paths and not any(p.startswith("/v1/sandbox/") for p in paths)


def test_workers_share_one_database_under_concurrent_writes(served, db_path):
    """Two workers, 24 clients writing at once (profile updates, messages): every
    request answered, no 5xx, every write in the one SQLite file (WAL, busy timeout)."""
    from concurrent.futures import ThreadPoolExecutor

    from ameli_cli.api.httpx_without_cli import httpx

    server = served("--workers", "2", "--no-access-log")
    tokens = {key: _login_over_http(server.url, key) for key in ("css", "ald", "ij")}

    def write(i: int) -> int:
        key = ("css", "ald", "ij")[i % 3]
        headers = {"Authorization": f"Bearer {tokens[key]}", "Idempotency-Key": f"w8-{i}"}
        with httpx.Client(base_url=server.url, timeout=30) as client:
            if i % 2:
                r = client.patch("/v1/profile", json={"city": f"Ville {i}"}, headers=headers)
            else:
                r = client.post(
                    "/v1/messages",
                    json={"category": "autre", "subject": f"Charge {i}", "body": "Bonjour."},
                    headers=headers,
                )
            return r.status_code

    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(write, range(96)))
    assert all(s < 500 for s in statuses), statuses
    code, _ = server.stop()
    assert code == 0
    conn = sqlite3.connect(db_path)
    sent = conn.execute(
        "SELECT count(*) FROM message_conversations WHERE subject LIKE 'Charge %'"
    ).fetchone()[0]
    assert sent == sum(1 for i, s in enumerate(statuses) if i % 2 == 0 and s == 201)
    assert sent == 48
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_graceful_shutdown_finishes_the_request_in_flight(served):
    """SIGTERM while a request is half received: the server stops accepting, finishes
    that request, answers it, then exits 0 (here with two workers)."""
    server = served("--workers", "2", "--no-access-log")
    who = person("css")
    body = json.dumps({"nir": who.nir, "password": who.password}).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:10]
        )
        time.sleep(0.5)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        sock.sendall(body[10:])
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert b'"token"' in answer
    code, _ = server.stop()
    assert code == 0
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=0.5).close()


# -- faults: the server killed in the middle of work ---------------------------------------


class KillingProxy:
    """A loopback TCP proxy in front of the server that SIGKILLs it at a chosen moment:
    when `trigger(request_head, answers_seen)` says so, as the server's answer comes
    back (the server has done the work; the client never hears of it). After that it
    drops every connection until the server is back on the same port."""

    def __init__(self, upstream_port: int, trigger: Any, kill: Any) -> None:
        import threading

        self.upstream_port = upstream_port
        self.trigger = trigger
        self.kill = kill
        self.killed = threading.Event()
        self.answers = 0
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                downstream, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(downstream,), daemon=True).start()

    def _serve(self, downstream: socket.socket) -> None:
        import threading

        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        except OSError:
            downstream.close()
            return
        with self.lock:
            self.open += [downstream, upstream]
        last_request = [b""]

        def pump_up() -> None:
            try:
                while data := downstream.recv(65536):
                    if data[:4] in (b"GET ", b"POST", b"PATC"):
                        last_request[0] = data[:200]
                    upstream.sendall(data)
            except OSError:
                pass
            finally:
                upstream.close()

        threading.Thread(target=pump_up, daemon=True).start()
        try:
            while data := upstream.recv(65536):
                if data.startswith(b"HTTP/1.1 "):
                    with self.lock:
                        self.answers += 1
                        fire = not self.killed.is_set() and self.trigger(
                            last_request[0], self.answers
                        )
                        if fire:
                            self.killed.set()
                    if fire:
                        self.kill()
                        self._drop_all()
                        return
                downstream.sendall(data)
        except OSError:
            pass
        finally:
            downstream.close()

    def _drop_all(self) -> None:
        with self.lock:
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open.clear()

    def close(self) -> None:
        self.listener.close()
        self._drop_all()


def _sign_in_through(cli: Any, url: str, key: str) -> None:
    who = person(key)
    result = cli(
        "--backend", url, "login", "--nir", who.nir, "--password-stdin", input=who.password
    )
    assert result.exit_code == 0, result.stderr


def test_server_killed_mid_attestation_batch_then_rerun_completes(
    cli, memory_keyring, served, db_path, tmp_path
):
    """SIGKILL as the second chunk of attestations is answered (of three: 25, 25, 10
    NIRs); the batch stops (backend unreachable); after a restart the same command
    fetches only what is missing: every NIR has exactly one complete PDF, and no
    half-written file is left."""
    from ameli_sandbox.app import open_database
    from ameli_sandbox.features.attestations import add_synthetic_assures

    conn = open_database(db_path)
    nirs = add_synthetic_assures(conn, 60)
    conn.close()
    (tmp_path / "nirs.txt").write_text("\n".join(nirs) + "\n")
    out = tmp_path / "pdf"

    server = served("--no-access-log")
    chunks_answered: list[int] = []
    proxy = KillingProxy(
        server.port,
        trigger=lambda request, answers: (
            b"/v1/attestations/" in request
            and len(chunks_answered.append(1) or chunks_answered) >= 2
        ),
        kill=lambda: server.process.kill(),
    )
    try:
        _sign_in_through(cli, proxy.url, "agent")
        batch = ("--backend", proxy.url, "attestation", "batch", "-i", str(tmp_path / "nirs.txt"))
        first = cli(*batch, "-d", str(out), "-c", "4")
        assert proxy.killed.is_set()
        assert first.exit_code != 0
        done_first = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
        assert 0 < len(done_first) < len(nirs)

        served("--no-access-log", port=server.port)
        second = cli(*batch, "-d", str(out), "-c", "4")
        assert second.exit_code == 0, second.stderr
    finally:
        proxy.close()
    lines = [json.loads(line) for line in second.stdout.splitlines()]
    assert sorted(line["nir"] for line in lines) == sorted(nirs)
    assert all(line["status"] == "ok" for line in lines)
    skipped = {Path(line["file"]).name for line in lines if line.get("skipped")}
    assert skipped == set(done_first)
    files = sorted(out.iterdir())
    assert len(files) == len(nirs) and all(f.suffix == ".pdf" for f in files)
    for f in files:
        data = f.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), f.name
        if f.name in done_first:
            assert data == done_first[f.name]  # not fetched again


def test_server_killed_mid_message_send_then_outbox_send_delivers_once(
    cli, memory_keyring, served, db_path
):
    """The server stores the message and dies before answering: `message send` keeps it
    in the outbox; after a restart `message outbox send` delivers it, and the service
    recognises the Idempotency-Key: one message, not two. The other case too: the
    server dies before the request arrives; the retry then creates it, once."""
    server = served("--no-access-log")
    proxy = KillingProxy(
        server.port,
        trigger=lambda request, answers: request.startswith(b"POST /v1/messages "),
        kill=lambda: server.process.kill(),
    )
    try:
        _sign_in_through(cli, proxy.url, "css")
        assert cli("--backend", proxy.url, "message", "categories").exit_code == 0
        sent = cli(
            *("--backend", proxy.url, "message", "send", "--category", "autre"),
            *("--subject", "Envoi interrompu", "--body", "Bonjour, ceci est un test."),
        )
        assert proxy.killed.is_set()
        assert sent.exit_code == 5, sent.stderr
        assert "boîte d'envoi" in sent.stderr and "doublon" in sent.stderr
        stored = sqlite3.connect(db_path).execute(
            "SELECT count(*) FROM message_conversations WHERE subject = 'Envoi interrompu'"
        )
        assert stored.fetchone()[0] == 1  # it did arrive before the crash

        # Dead server, nothing listening: a second message cannot arrive at all.
        down = cli(
            *("--backend", proxy.url, "message", "send", "--category", "autre"),
            *("--subject", "Envoi pendant la panne", "--body", "Bonjour."),
        )
        assert down.exit_code == 5, down.stderr

        served("--no-access-log", port=server.port)
        flushed = cli("--backend", proxy.url, "message", "outbox", "send")
        assert flushed.exit_code == 0, flushed.stderr
        again = cli("--backend", proxy.url, "message", "outbox", "send")
        assert again.exit_code == 0
    finally:
        proxy.close()
    conn = sqlite3.connect(db_path)
    counts = dict(
        conn.execute(
            "SELECT subject, count(*) FROM message_conversations"
            " WHERE subject IN ('Envoi interrompu', 'Envoi pendant la panne') GROUP BY subject"
        ).fetchall()
    )
    assert counts == {"Envoi interrompu": 1, "Envoi pendant la panne": 1}


def test_workers_answer_without_nagle_delay(served):
    """With --workers the listening socket reaches each worker without its TCP
    protocol number, and asyncio then left Nagle on: every answer waited 40 ms for a
    delayed ACK. 40 keep-alive requests on one connection must take well under that."""
    server = served("--workers", "2", "--no-access-log")
    request = b"GET /v1/meta HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        reader = sock.makefile("rb")

        def exchange() -> None:
            sock.sendall(request)
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            assert len(reader.read(length)) == length

        exchange()
        started = time.perf_counter()
        for _ in range(40):
            exchange()
        elapsed = time.perf_counter() - started
    assert elapsed < 0.8, f"40 requests took {elapsed * 1000:.0f} ms"


def test_attestation_batch_answers_a_line_per_nir_in_order_each_audited(service) -> None:
    """`POST /v1/attestations/batch`: the envelope the single fetch signs, or the
    problem it would answer for that NIR alone; an agent's fetches are audited."""
    conn = service.conn
    agent = {"Authorization": f"Bearer {mint_token(conn, nir_of(AGENT))}"}
    unknown = "285017500000130"
    nirs = [nir_of(A), unknown, nir_of("ald")]
    before = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    r = service.post("/v1/attestations/batch", headers=agent, json={"type": "droits", "nirs": nirs})
    assert r.status_code == 200 and r.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [line["nir"] for line in lines] == nirs
    assert lines[0]["envelope"]["attestation"]["assure"]["nir"] == nir_of(A)
    assert lines[1]["problem"]["status"] == 404 and lines[1]["problem"]["code"] == "not_found"
    assert "envelope" in lines[2]
    assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == before + 2
    single = service.get("/v1/attestations/droits", headers=agent, params={"nir": nir_of(A)})
    assert single.json()["attestation"].keys() == lines[0]["envelope"]["attestation"].keys()
    # Strict: 101 NIRs, an unknown field, a bad type are 400 before any work.
    for body in (
        {"type": "droits", "nirs": [nir_of(A)] * 101},
        {"type": "droits", "nirs": [nir_of(A)], "limit": 3},
        {"type": "releve", "nirs": [nir_of(A)]},
        {"type": "droits", "nirs": ["12"]},
    ):
        assert service.post("/v1/attestations/batch", headers=agent, json=body).status_code == 400


def test_serve_answers_an_unknown_method_with_405_and_allow(served):
    """The HTTP server of `sandbox serve` hands a method it does not know to the
    service, which answers 405 with Allow as the spec says (uvicorn's httptools
    parser answered 400 before the service saw it)."""
    server = served("--no-access-log")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"BREW /v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 405"), head
    headers = dict(line.split(": ", 1) for line in head.decode().lower().split("\r\n")[1:])
    assert headers["allow"] == "get, head"
    assert json.loads(body)["code"] == "method_not_allowed"
