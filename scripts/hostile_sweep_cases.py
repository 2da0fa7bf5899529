"""The cases of scripts/hostile_sweep.py, by area: bad input, escapes and privacy here;
server, contract and faults in hostile_sweep_faults.py. Each is one command (or one
request) and what it must not do."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from hostile_sweep import Case, Env, Outcome, Sweep
from hostile_sweep_faults import contract_cases, fault_cases, server_cases
from hostile_sweep_kit import (
    ERROR_OR_USAGE,
    EVIL,
    HOSTILE_NAMES,
    NIR,
    OK,
    PDF,
    SEND,
    TEXT_KEYS,
    USAGE,
    _file,
    _session_token,
    names,
    nothing_outside,
    one_line,
)

# -- bad input ------------------------------------------------------------------------------


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


CASES: list[Case] = [
    *_bad_input(),
    *_escapes(),
    *_privacy(),
    *server_cases(),
    *contract_cases(),
    *fault_cases(),
]
