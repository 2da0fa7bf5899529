"""Questions asked on a terminal: on stderr, punctuated the French way (`NIR : `).

Ctrl-D (end of input) at a question means "I give up": `Cancelled` (exit 3, nothing
sent), not an interrupt. Ctrl-C stays an interrupt (exit 130), which `__main__`
reports on a line of its own. `ask_again` gives a person three tries at an answer
that a check refuses (a mistyped NIR, a wrong code), saying what was wrong each time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from ameli_cli.runtime.errors import AmeliError, Cancelled, UsageError
from ameli_cli.runtime.i18n import _

Answer = TypeVar("Answer")
TRIES = 3


def ask(question: str, *, secret: bool = False, default: str = "") -> str:
    label = _("{question} : ").format(question=question)
    try:
        if secret:
            import getpass

            answer = getpass.getpass(label, stream=sys.stderr)
        else:
            sys.stderr.write(label)
            sys.stderr.flush()
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            answer = line.rstrip("\r\n")
    except EOFError:
        sys.stderr.write("\n")
        raise Cancelled(_("abandonné : rien n'a été envoyé.")) from None
    return answer or default


def ask_again(
    question: str,
    check: Callable[[str], Answer],
    *,
    secret: bool = False,
    tries: int = TRIES,
    retry_on: type[AmeliError] = UsageError,
) -> Answer:
    """Ask until `check` accepts the answer (it raises `retry_on` to refuse), at most
    `tries` times; the last refusal (or any other error) ends the command."""
    for attempt in range(1, tries + 1):
        answer = ask(question, secret=secret)
        try:
            return check(answer)
        except retry_on as refused:
            if attempt == tries:
                raise
            print(
                _("{problem} (essai {n} sur {tries} ; réessayez)").format(
                    problem=refused.message, n=attempt, tries=tries
                ),
                file=sys.stderr,
            )
    raise AssertionError("unreachable")
