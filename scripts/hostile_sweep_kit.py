"""What the cases of scripts/hostile_sweep.py share: hostile text, expectations, checks."""

from __future__ import annotations

import json
import os
from typing import Any

from hostile_sweep import Env, Outcome

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
    stray = [*env.home.rglob("outside*"), *env.home.parent.glob("outside*")]
    return f"wrote outside: {stray}" if stray else None


def _file(name: str, content: bytes) -> Any:
    def setup(env: Env) -> None:
        (env.work / name).write_bytes(content)

    return setup


def _fifo(name: str) -> Any:
    def setup(env: Env) -> None:
        os.mkfifo(env.work / name)

    return setup


SEND = ("message", "send", "--category", "autre", "--subject", "S", "--body", "b")


def _session_token(env: Env, profile: str = "default") -> str:
    session = json.loads((env.home / "config" / "sessions" / f"{profile}.json").read_text())
    return str(session["token"])
