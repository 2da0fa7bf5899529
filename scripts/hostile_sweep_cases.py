"""The cases of scripts/hostile_sweep.py, by area: bad input, escapes, privacy, server,
contract, faults. Each is one command (or one request) and what it must not do."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hostile_sweep import Case, Env, Outcome, Sweep

from ameli_sandbox.people import PEOPLE

NIR = {p.key: p.nir for p in PEOPLE}
USAGE = frozenset({2})
ERROR_OR_USAGE = frozenset({1, 2})
OK = frozenset({0})
EVIL = (
    "\x1b]8;;http://evil.example/\x07CLICK\x1b]8;;\x07 \x1b[2J \x1b]0;title\x07 \x9b31m"
    " \u202e\u2066 [link=http://evil.example]x[/link]"
)
HOSTILE_NAMES = ["a\x00b.pdf", "\x1b]0;t\x07.pdf", "..", "../../../outside/x.pdf", "\u202egnp.exe"]
TEXT_KEYS = {
    "first_names", "last_name", "professional", "label", "detail", "name", "act", "city",
    "subject", "body", "filename", "address_line", "email", "title", "specialty", "line1",
}  # fmt: skip
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


def one_line(outcome: Outcome) -> str | None:
    errors = [line for line in outcome.stderr.splitlines() if line.strip()]
    return None if len(errors) == 1 else f"{len(errors)} lines on stderr, expected one"


def names(*fragments: str):  # type: ignore[no-untyped-def]
    """A check: stderr names each fragment (a file, a command)."""

    def check(env: Env, outcome: Outcome) -> str | None:
        text = outcome.stderr.replace(str(env.home), "~")
        missing = [f for f in fragments if f.replace(str(env.home), "~") not in text]
        return f"stderr does not name {missing}" if missing else None

    return check


def nothing_outside(env: Env, outcome: Outcome) -> str | None:
    stray = [p for p in env.home.rglob("outside*")]
    return f"wrote outside: {stray}" if stray else None


# -- bad input ------------------------------------------------------------------------------


def _file(name: str, content: bytes) -> Any:
    def setup(env: Env) -> None:
        (env.work / name).write_bytes(content)

    return setup


def _fifo(name: str) -> Any:
    def setup(env: Env) -> None:
        os.mkfifo(env.work / name)

    return setup


SEND = ("message", "send", "--category", "autre", "--subject", "S", "--body", "b")
BAD_INPUT = [
    ("paiements list --since 99999999d", ("paiements", "list", "--since", "99999999d"), USAGE),
    ("paiements list --since 99999y", ("paiements", "list", "--since", "99999y"), USAGE),
    ("paiements list --since 9999y", ("paiements", "list", "--since", "9999y"), USAGE),
    ("paiements list --since ''", ("paiements", "list", "--since", ""), frozenset({0, 2})),
    ("paiements list --until ²²²²-01-01", ("paiements", "list", "--until", "²²²²-01-01"), USAGE),
    ("paiements list --beneficiary ²", ("paiements", "list", "--beneficiary", "²"), USAGE),
    ("paiements list --beneficiary 99", ("paiements", "list", "-b", "99"), ERROR_OR_USAGE),
    ("paiements list --limit ²", ("paiements", "list", "--limit", "²"), USAGE),
    (
        "paiements list --limit 10**30",
        ("paiements", "list", "--limit", "9" * 30),
        frozenset({0, 2}),
    ),
    (
        "paiements list --professional 100 kB",
        ("paiements", "list", "--professional", "x" * 100_000),
        ERROR_OR_USAGE,
    ),
    ("paiements list --nir ²", ("paiements", "list", "--nir", "²"), USAGE),
    ("paiements summary --year ²²²²", ("paiements", "summary", "--year", "²²²²"), USAGE),
    ("paiements summary --year 99999", ("paiements", "summary", "--year", "99999"), ERROR_OR_USAGE),
    ("paiements show 5,000 chars", ("paiements", "show", "x" * 5000), ERROR_OR_USAGE),
    ("paiements show ../../etc", ("paiements", "show", "../../etc/passwd"), ERROR_OR_USAGE),
    ("attestation get --beneficiary ²", ("attestation", "get", "--beneficiary", "²"), USAGE),
    (
        "attestation get fiscale --year ²²²²",
        ("attestation", "get", "fiscale", "--year", "²²²²"),
        USAGE,
    ),
    (
        "attestation get -o 300-char name",
        ("attestation", "get", "-o", "y" * 300 + ".pdf"),
        ERROR_OR_USAGE,
    ),
    (
        "attestation get -o missing folder",
        ("attestation", "get", "-o", "/nonexistent/d/x.pdf"),
        USAGE,
    ),
    ("--backend http://[::1", ("--backend", "http://[::1", "whoami"), USAGE),
    ("--backend http://[::1]:99999", ("--backend", "http://[::1]:99999", "whoami"), USAGE),
    ("--backend '' (as if unset)", ("--backend", "", "whoami"), OK),
    ("--backend ftp://x", ("--backend", "ftp://x", "whoami"), USAGE),
    ("--profile 5,000 chars", ("--profile", "p" * 5000, "whoami"), USAGE),
    ("--profile ²", ("--profile", "²", "whoami"), USAGE),
    ("--profile ../x", ("--profile", "../x", "whoami"), USAGE),
    ("login --nir ²", ("login", "--nir", "²", "--password-stdin"), USAGE),
    ("login --nir 10,000 chars", ("login", "--nir", "1" * 10_000, "--password-stdin"), USAGE),
    (
        "message send --subject 100 kB",
        ("message", "send", "--category", "autre", "--subject", "s" * 100_000, "--body", "b"),
        ERROR_OR_USAGE,
    ),
    (
        "message send --category ESC",
        ("message", "send", "--category", "\x1b]0;x\x07", "--subject", "s", "--body", "b"),
        USAGE,
    ),
    ("message send --attach missing", (*SEND, "--attach", "/nonexistent.pdf"), USAGE),
    ("message send --attach /dev/null", (*SEND, "--attach", "/dev/null"), USAGE),
    ("message send --attach a folder", (*SEND, "--attach", "/tmp"), USAGE),
    ("message show 5,000 chars", ("message", "show", "m" * 5000), ERROR_OR_USAGE),
    (
        "message download --attachment ESC",
        ("message", "download", "MK7P2QX", "--attachment", "\x1b[2J"),
        ERROR_OR_USAGE,
    ),
    (
        "ceam order --departure 99999-01-01",
        ("ceam", "order", "-b", "03", "--departure", "99999-01-01", "--yes"),
        USAGE,
    ),
    ("ceam order -b ²", ("ceam", "order", "-b", "²", "--departure", "2027-01-01", "--yes"), USAGE),
    ("profile update --email ESC", ("profile", "update", "--email", "a\x1b[2J@x.fr"), USAGE),
    ("profile update --iban garbage", ("profile", "update", "--iban", "FR76 ²²²"), USAGE),
    ("profile update --phone ²²", ("profile", "update", "--phone", "²²²²²²²²²²"), USAGE),
    ("profile update --postal-code ²", ("profile", "update", "--postal-code", "²²²²²"), USAGE),
    (
        "profile update --city 100 kB",
        ("profile", "update", "--city", "c" * 100_000),
        ERROR_OR_USAGE,
    ),
    ("sandbox advance 3000000d", ("sandbox", "advance", "3000000d"), USAGE),
    ("sandbox advance ²d", ("sandbox", "advance", "²d"), USAGE),
    ("estimate G --price ²", ("estimate", "G", "--price", "²"), USAGE),
    ("estimate G --date 99999-01-01", ("estimate", "G", "--date", "99999-01-01"), USAGE),
    ("estimate ESC act", ("estimate", "\x1b[2J"), ERROR_OR_USAGE),
    ("releves get ²²²²-10", ("releves", "get", "²²²²-10"), USAGE),
    ("releves get 9999-99", ("releves", "get", "9999-99"), USAGE),
    ("config set timeout abc", ("config", "set", "timeout", "abc"), USAGE),
    ("audit --nir ² (agent)", ("audit", "--nir", "²"), USAGE),
]


def _bad_input() -> list[Case]:
    cases = [
        Case("bad input", name, argv, home="agent" if "agent" in name else "signed", expect=expect)
        for name, argv, expect in BAD_INPUT
    ]
    login = ("login", "--nir", NIR["ij"], "--password-file")
    cases += [
        Case(
            "bad input", "login --password-file Latin-1", (*login, "pw"), home="fresh",
            expect=USAGE, setup=_file("pw", "café".encode("latin-1")), check=names("UTF-8"),
        ),
        Case("bad input", "login --password-file missing", (*login, "nope"), home="fresh", expect=USAGE),
        Case("bad input", "login --password-file a folder", (*login, "/tmp"), home="fresh", expect=USAGE),
        Case(
            "bad input", "message send --attach hostile name", (*SEND, "--attach", "a\x1b[2J.pdf"),
            expect=USAGE, setup=_file("a\x1b[2J.pdf", PDF),
        ),
    ]  # fmt: skip
    return cases


# -- escapes ------------------------------------------------------------------------------


def poison(path: str, data: Any) -> Any:
    """Every human-readable string of every answer gets escape sequences."""
    if isinstance(data, dict):
        return {
            k: (v + EVIL if k in TEXT_KEYS and isinstance(v, str) else poison(path, v))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [poison(path, v) for v in data]
    return data


def poisoned_problem(path: str, data: Any) -> Any:
    if isinstance(data, dict) and "detail" in data and "status" in data:
        data["detail"] = EVIL + "\nerreur : fausse ligne"
        data["title"] = EVIL
        data["code"] = "something_new\x1b[2J"
    return data


VIEWS = [
    ("whoami",),
    ("paiements", "list"),
    ("paiements", "summary"),
    ("paiements", "virements"),
    ("vitale", "status"),
    ("ceam", "status"),
    ("organisme",),
    ("profile", "show"),
    ("message", "list"),
    ("message", "categories"),
    ("releves", "list"),
    ("beneficiaires", "list"),
    ("medecin-traitant", "show"),
    ("css", "status"),
    ("documents", "list"),
    ("auth", "devices", "list"),
    ("estimate", "G"),
    ("doctor",),
    ("attestation", "get", "--force"),
]


def _escapes() -> list[Case]:
    cases = []
    for tty in (False, True):
        label = " (tty)" if tty else ""
        for argv in VIEWS:
            cases.append(
                Case("escapes", "server text: " + " ".join(argv) + label, argv, home="hostile",
                     rewrite=poison, tty=tty)
            )  # fmt: skip
        cases.append(
            Case("escapes", "problem detail: paiements show" + label,
                 ("paiements", "show", "pmt_nope"), home="hostile", rewrite=poisoned_problem,
                 tty=tty, expect=frozenset({1}), check=lambda e, o: one_line(o))
        )  # fmt: skip
        for argv in _stored_views():
            cases.append(
                Case("escapes", "stored text: " + " ".join(a[:14] for a in argv) + label,
                     argv, home="agent", tty=tty, expect=OK, check=nothing_outside)
            )  # fmt: skip
    return cases


def _stored_views() -> list[tuple[str, ...]]:
    nir = NIR["famille"]
    conversation = "{conversation}"
    return [
        ("message", "list", "--nir", nir),
        ("message", "show", conversation, "--nir", nir),
        ("message", "download", conversation, "--nir", nir, "--out-dir", "out"),
        ("--profile", "famille", "message", "list"),
        ("--profile", "famille", "message", "show", conversation),
        ("--profile", "famille", "message", "download", conversation, "--out-dir", "out"),
        ("--profile", "famille", "message", "outbox"),
        ("--profile", "famille", "audit"),
    ]


def prepare_stored(sweep: Sweep) -> None:
    """In the agent's home: famille (profile `famille`) wrote with escapes in every field,
    and its attachments got hostile names straight in the database (older service)."""
    env = sweep.env_for("agent", keep=True)
    sweep.sign_in(env, "famille", None, profile="famille")
    for n in range(len(HOSTILE_NAMES)):
        (env.work / f"p{n}.pdf").write_bytes(PDF + bytes([n]))
    attach = [arg for n in range(len(HOSTILE_NAMES)) for arg in ("--attach", f"p{n}.pdf")]
    sent = env.run(
        "--profile", "famille", "message", "send", "--category", "autre", "--subject",
        "Objet " + EVIL, "--body", "Corps " + EVIL, *attach, "--json",
    )  # fmt: skip
    if sent.exit_code != 0:
        raise RuntimeError(f"could not store the hostile message: {sent.stderr}")
    data = json.loads(sent.stdout)
    sweep.conversation = data["id"]
    ids = [a["id"] for a in data["messages"][0]["attachments"]]
    conn = sqlite3.connect(env.home / "data" / "sandbox.sqlite3")
    with conn:
        for attachment_id, name in zip(ids, HOSTILE_NAMES, strict=True):
            conn.execute(
                "UPDATE message_attachments SET filename = ? WHERE id = ?", (name, attachment_id)
            )
    conn.close()


# -- privacy --------------------------------------------------------------------------------


def _session_token(env: Env, profile: str = "default") -> str:
    session = json.loads((env.home / "config" / "sessions" / f"{profile}.json").read_text())
    return str(session["token"])


def _fresh_server_session(env: Env) -> None:
    env.sweep.sign_in(env, "famille", env.server_url)
    env.state["token"] = _session_token(env)


def _token_refused(env: Env, outcome: Outcome) -> str | None:
    import httpx

    answer = httpx.get(
        env.server_url + "/v1/me", headers={"Authorization": f"Bearer {env.state['token']}"}
    )
    if answer.status_code != 401:
        return f"the token still works on {env.server_url} ({answer.status_code})"
    if env.server_url not in outcome.stderr:
        return "the message does not name the backend signed out"
    return None


def _unreachable_session(env: Env) -> None:
    path = env.home / "config" / "sessions" / "default.json"
    session = json.loads(path.read_text())
    path.write_text(json.dumps({**session, "backend": "http://127.0.0.1:9"}))


def _session_erased(env: Env, outcome: Outcome) -> str | None:
    if (env.home / "config" / "sessions" / "default.json").exists():
        return "the session was kept"
    return one_line(outcome)


def _no_token_shown(env: Env, outcome: Outcome) -> str | None:
    token = _session_token(env)
    return "the token was printed" if token in outcome.stdout + outcome.stderr else None


def _no_password_shown(env: Env, outcome: Outcome) -> str | None:
    return "the password was echoed" if "Wr0ng-pass!" in outcome.stderr + outcome.stdout else None


def _access_log_masks(env: Env) -> str | None:
    from ameli_sandbox.middleware import redact_target

    spellings = ["2 85 07 75 123 456 78", "2.85.07.75.123.456.78", "2850775123456",
                 "158072a00403148", "%32%38%35%30%37%37%35%31%32%33%34%35%36%37%38"]  # fmt: skip
    for nir in spellings:
        if "[nir]" not in redact_target(f"/v1/x/{nir}", b""):
            return f"path NIR logged: {nir}"
        if nir in redact_target("/v1/paiements", f"professional={nir}".encode()):
            return f"query NIR logged: {nir}"
    return None


def _same_401_bodies(env: Env) -> str | None:
    import httpx

    known = {"nir": NIR["famille"], "password": "Wr0ng-pass!"}
    unknown = {"nir": "185057800608491", "password": "Wr0ng-pass!"}
    bodies = [
        httpx.post(env.server_url + "/v1/auth/login", json=b).content for b in (known, unknown)
    ]
    return None if bodies[0] == bodies[1] else "a known and an unknown NIR answer differently"


def _privacy() -> list[Case]:
    logout = ("logout", "--purge", "--backend")
    return [
        Case("privacy", "logout --purge --backend sandbox (session on a server)",
             (*logout, "sandbox"), home="hostile", setup=_fresh_server_session, expect=OK,
             check=_token_refused),
        Case("privacy", "logout --purge --backend other URL",
             (*logout, "http://127.0.0.1:9"), home="hostile", setup=_fresh_server_session,
             expect=OK, check=_token_refused),
        Case("privacy", "logout, the session's backend unreachable", ("logout",),
             setup=_unreachable_session, expect=frozenset({5}), check=_session_erased),
        Case("privacy", "--verbose whoami shows no token", ("--verbose", "whoami"), expect=OK,
             check=_no_token_shown),
        Case("privacy", "doctor shows no token", ("doctor",), check=_no_token_shown),
        Case("privacy", "wrong password not echoed",
             ("login", "--nir", NIR["ij"], "--password-stdin"), home="fresh",
             stdin="Wr0ng-pass!\n", expect=frozenset({4}), check=_no_password_shown),
        Case("privacy", "access log masks NIR spellings", probe=_access_log_masks),
        Case("privacy", "known and unknown NIR: same 401", home="hostile", probe=_same_401_bodies),
    ]  # fmt: skip


# -- server ---------------------------------------------------------------------------------

ESCAPE = "/../../../outside/x"


def _poison_paths(path: str, data: Any) -> Any:
    if isinstance(data, dict):
        for key in ("issue_date", "year", "valid_from", "valid_until", "month", "filename"):
            if key in data and isinstance(data[key], str | int):
                data[key] = ESCAPE + "\x00"
        return {k: _poison_paths(path, v) for k, v in data.items()}
    if isinstance(data, list):
        return [_poison_paths(path, v) for v in data]
    return data


def _shape(target: str, replacement: Any) -> Any:
    def rewrite(path: str, data: Any) -> Any:
        return replacement if path == target else data

    return rewrite


def _server() -> list[Case]:
    cases = [
        Case("server", f"crafted path fields: {' '.join(argv)}", argv, home="hostile",
             rewrite=_poison_paths, check=nothing_outside)
        for argv in (("attestation", "get", "droits", "--force"),
                     ("attestation", "get", "fiscale", "--force"),
                     ("ceam", "order", "-b", "03", "--departure", "2099-01-01", "--yes"),
                     ("releves", "list"))
    ]  # fmt: skip
    odd = [
        ("whoami", "/v1/me", []),
        ("whoami", "/v1/me", {"nir": 5}),
        ("paiements list", "/v1/paiements", {"items": [{}], "next_cursor": None}),
        ("paiements list", "/v1/paiements", {"items": 5}),
        ("profile show", "/v1/profile", "x"),
        ("organisme", "/v1/organisme", {"name": None}),
        ("vitale status", "/v1/vitale", {"beneficiaries": [{"rank": []}]}),
        ("message list", "/v1/messages", {"items": [{"id": 1}]}),
    ]
    for command, path, body in odd:
        cases.append(
            Case("server", f"odd answer to {command}: {json.dumps(body)[:40]}",
                 tuple(command.split()), home="hostile", rewrite=_shape(path, body))
        )  # fmt: skip
    cases += [
        Case("server", "quota (429) on message send: kept, exit 7", SEND, setup=_one_sent,
             env={"AMELI_SANDBOX_MESSAGES_QUOTA": "1"}, expect=frozenset({7}),
             check=names("réessayez dans")),
        Case("server", "quota (429) on outbox send: exit 7", ("message", "outbox", "send"),
             setup=_queued_message, env={"AMELI_SANDBOX_MESSAGES_QUOTA": "1"},
             expect=frozenset({7}), check=names("réessayez dans", "ameli message outbox send")),
    ]  # fmt: skip
    return cases


def _one_sent(env: Env) -> None:
    if env.run(*SEND).exit_code != 0:
        raise RuntimeError("the first message was not sent")


def _queued_message(env: Env) -> None:
    from ameli_cli.domain import outbox

    _one_sent(env)
    request = {"category": "autre", "subject": "Q", "body": "b", "attachments": []}
    entry = outbox.new_entry(backend="sandbox", kind="message", request=request,
                             idempotency_key="sweep-key")  # fmt: skip
    outbox.save(env.home / "data" / "profiles" / "default" / "outbox", entry)


# -- contract -------------------------------------------------------------------------------


def _request(method: str, path: str, expect: int, *, code: str | None = None, **kw: Any) -> Any:
    def probe(env: Env) -> str | None:
        import httpx

        token = _session_token(env)
        headers = {"Authorization": f"Bearer {token}", **kw.pop("headers", {})}
        answer = httpx.request(method, env.server_url + path, headers=headers, **kw)
        if answer.status_code != expect:
            return f"{method} {path[:40]}: {answer.status_code}, expected {expect}"
        if code is not None and answer.json().get("code") != code:
            return f"{method} {path[:40]}: code {answer.json().get('code')}, expected {code}"
        if expect == 405 and "allow" not in answer.headers:
            return "405 without Allow"
        return None

    return probe


def _attachment(name: str) -> dict[str, Any]:
    import base64

    content = base64.b64encode(PDF).decode()
    return {"category": "autre", "subject": "s", "body": "b",
            "attachments": [{"filename": name, "content_base64": content}]}  # fmt: skip


def _contract() -> list[Case]:
    probes = [
        ("GET", "/v1/paiements?limit=²", 400, None, {}),
        ("GET", "/v1/paiements?limit=", 400, None, {}),
        ("GET", "/v1/paiements/summary?year=²²²²", 400, None, {}),
        ("GET", "/v1/attestations/fiscale?year=²²²²", 400, None, {}),
        ("GET", "/v1/messages?cursor=²", 400, None, {}),
        ("GET", "/v1/messages?cursor=" + "9" * 30, 400, None, {}),
        ("GET", "/v1/paiements?professional=" + "x" * 5000, 400, None, {}),
        ("POST", "/v1/messages", 400, None, {"content": b"[" * 100_000 + b"]" * 100_000,
                                             "headers": {"content-type": "application/json"}}),
        ("POST", "/v1/messages", 400, None, {"content": b'{"subject": ' + b"9" * 5000 + b"}",
                                             "headers": {"content-type": "application/json"}}),
        ("TRACE", "/v1/me", 405, None, {}),
        ("BREW", "/v1/me", 405, None, {}),
        ("POST", "/v1/sandbox/clock", 422, "clock_out_of_range", {"json": {"advance_seconds": 10**12}}),
    ]  # fmt: skip
    for name in [*HOSTILE_NAMES, "."]:
        probes.append(("POST", "/v1/messages", 422, "attachment_name", {"json": _attachment(name)}))
    return [
        Case("contract", f"{method} {path[:50]} → {expect}", home="hostile",
             probe=_request(method, path, expect, code=code, **kw))
        for method, path, expect, code, kw in probes
    ]  # fmt: skip


# -- faults --------------------------------------------------------------------------------


def _write(relative: str, content: bytes | str) -> Any:
    def setup(env: Env) -> None:
        path = env.home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)

    return setup


def _link(env: Env) -> None:
    (env.work / "link.pdf").symlink_to(env.home / "elsewhere.pdf")


def _truncate_db(env: Env) -> None:
    db = env.home / "data" / "sandbox.sqlite3"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


@contextlib.contextmanager
def disk_full() -> Iterator[None]:
    """Every fsync of ours fails as a full disk does (SQLite does its own I/O)."""
    real = os.fsync

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    os.fsync = no_space
    try:
        yield
    finally:
        os.fsync = real


SESSION = "config/sessions/default.json"
CONFIG = "config/config.toml"
OUTBOX = "data/profiles/default/outbox/20000101-000000-dead.json"
CATEGORIES = "cache/profiles/default/message-categories.json"
KEYS = "cache/keys/sandbox.json"
DB = "data/sandbox.sqlite3"


def _faults() -> list[Case]:
    cases = []
    for content in ("[1]", '"x"', '{"token": 5}', "\x00\xff garbage", ""):
        cases.append(Case("faults", f"session file {content[:12]!r}", ("whoami",),
                          setup=_write(SESSION, content), expect=frozenset({4}),
                          check=names("ameli login")))  # fmt: skip
    for content in ('timeout = "abc"', "timeout = 1e400", "[[[", "\x00\xff"):
        cases.append(Case("faults", f"config.toml {content[:12]!r}", ("whoami",),
                          setup=_write(CONFIG, content), expect=USAGE,
                          check=names("config.toml")))  # fmt: skip
    for content in ("{not json", "[1]", '{"id": 5}', "\x00\xff"):
        for argv in (("message", "outbox"), ("message", "outbox", "send")):
            cases.append(Case("faults", f"outbox entry {content[:10]!r}: {' '.join(argv)}", argv,
                              setup=_write(OUTBOX, content), expect=frozenset({0, 1}),
                              check=names("20000101-000000-dead.json",
                                          "ameli message outbox discard")))  # fmt: skip
    for content in ("[1]", '{"items": 5}', '{"items": [5]}', '{"items": [{"label": 1}]}', "\xff"):
        for argv in (SEND, ("message", "categories")):
            cases.append(Case("faults", f"categories cache {content[:12]!r}: {argv[1]}", argv,
                              setup=_write(CATEGORIES, content), expect=OK))  # fmt: skip
    for content in ("[1]", '{"keys": 5}', '{"keys": [5]}', '{"keys": [{"key_id": 1}]}', "\xff"):
        cases.append(Case("faults", f"keys cache {content[:12]!r}",
                          ("attestation", "get", "--force"), setup=_write(KEYS, content),
                          expect=OK))  # fmt: skip
    for label, setup in (("truncated", _truncate_db), ("garbage", _write(DB, b"\x00" * 9000))):
        for argv in (("whoami",), ("paiements", "list"), ("sandbox", "accounts")):
            cases.append(Case("faults", f"{label} sandbox database: {' '.join(argv)}", argv,
                              setup=setup, expect=frozenset({1}),
                              check=names("ameli sandbox reset")))  # fmt: skip
        cases.append(Case("faults", f"{label} sandbox database: sandbox reset --yes",
                          ("sandbox", "reset", "--yes"), setup=setup, expect=OK))  # fmt: skip
    out = ("attestation", "get", "--force", "-o")
    cases += [
        Case("faults", "-o onto a FIFO", (*out, "fifo"), setup=_fifo("fifo"), expect=USAGE),
        Case("faults", "-o onto /dev/null", (*out, "/dev/null"), expect=USAGE),
        Case("faults", "-o onto a symbolic link", (*out, "link.pdf"), setup=_link, expect=USAGE),
        Case("faults", "verify a FIFO", ("attestation", "verify", "fifo"), setup=_fifo("fifo"),
             expect=USAGE),
        Case("faults", "verify a crafted PDF", ("attestation", "verify", "x.pdf"),
             setup=_file("x.pdf", b"%PDF-1.4\n<< /Type /EmbeddedFile >>\nstream\n{\"attestation\""
                         b": 5}\nendstream\n%%EOF\n"), expect=frozenset({1, 2})),
        Case("faults", "cache folder is a file", ("attestation", "get", "--force"),
             setup=_write("cache", b"x"), expect=ERROR_OR_USAGE),
    ]  # fmt: skip
    for argv, home, stdin in (
        (("attestation", "get", "--force"), "signed", ""),
        (SEND, "signed", ""),
        (("login", "--nir", NIR["ij"], "--password-stdin", "--insecure-storage"), "fresh",
         next(p.password for p in PEOPLE if p.key == "ij") + "\n"),
    ):  # fmt: skip
        cases.append(Case("faults", f"full disk: {' '.join(argv[:2])}", argv, home=home,
                          stdin=stdin, during=disk_full, expect=ERROR_OR_USAGE,
                          check=_names_a_file))  # fmt: skip
    return cases


def _names_a_file(env: Env, outcome: Outcome) -> str | None:
    if "plus de place sur le disque" not in outcome.stderr:
        return "no 'plus de place' line"
    if "? :" in outcome.stderr or "/" not in outcome.stderr:
        return "the line does not name the file"
    return None


CASES: list[Case] = [
    *_bad_input(),
    *_escapes(),
    *_privacy(),
    *_server(),
    *_contract(),
    *_faults(),
]
