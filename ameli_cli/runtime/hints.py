"""The exact command to run next, with the global flags the user gave.

A hint such as "Lancez : ameli login" must sign in where the failing command looked:
after `ameli whoami -p equipe --backend http://…`, the hint is
`ameli login -p equipe --backend http://…`. The root callback records the flags given
on the command line (flags from the environment stay in the environment).
"""

from __future__ import annotations

import shlex

_given: list[str] = []


def remember(*, profile: str | None, backend: str | None) -> None:
    _given.clear()
    if profile:
        _given.extend(["-p", profile])
    if backend:
        _given.extend(["--backend", backend])


def command(*words: str) -> str:
    return " ".join(shlex.quote(w) for w in ("ameli", *words, *_given))


def given_flag(name: str) -> bool:
    return name in _given
