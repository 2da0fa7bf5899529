"""The server, contract and faults cases of scripts/hostile_sweep.py."""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hostile_sweep import Case, Env, Outcome
from hostile_sweep_kit import (
    ERROR_OR_USAGE,
    HOSTILE_NAMES,
    NIR,
    OK,
    PDF,
    SEND,
    USAGE,
    _fifo,
    _file,
    _session_token,
    names,
    nothing_outside,
)

from ameli_sandbox.people import PEOPLE

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


def server_cases() -> list[Case]:
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
        Case("server", "crafted attachment name: message download", _download_argv,
             home="hostile", setup=_sent_with_attachment, rewrite=_poison_paths, expect=OK,
             check=nothing_outside),
        Case("server", "quota (429) on message send: kept, exit 7", SEND, setup=_one_sent,
             env={"AMELI_SANDBOX_MESSAGES_QUOTA": "1"}, expect=frozenset({7}),
             check=names("réessayez dans")),
        Case("server", "quota (429) on outbox send: exit 7", ("message", "outbox", "send"),
             setup=_queued_message, env={"AMELI_SANDBOX_MESSAGES_QUOTA": "1"},
             expect=frozenset({7}), check=names("réessayez dans", "ameli message outbox send")),
    ]  # fmt: skip
    return cases


def _sent_with_attachment(env: Env) -> None:
    """A conversation with one attachment, on the hostile server (its id in argv)."""
    (env.work / "piece.pdf").write_bytes(PDF)
    sent = env.run(*SEND, "--attach", "piece.pdf", "--json", env={"AMELI_BACKEND": env.server_url})
    if sent.exit_code != 0:
        raise RuntimeError(f"no conversation to download from: {sent.stderr}")
    env.state["conversation"] = json.loads(sent.stdout)["id"]


def _download_argv(env: Env) -> tuple[str, ...]:
    return ("message", "download", env.state["conversation"], "--out-dir", "out")


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


def contract_cases() -> list[Case]:
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


def fault_cases() -> list[Case]:
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
