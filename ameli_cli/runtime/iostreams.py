"""The one object that knows where output goes and what the terminal can do.

stdout carries data; stderr carries progress, warnings and errors. Colour, spinners
and prompts only ever appear on a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from ameli_cli.runtime.i18n import _


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class IOStreams:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    stdin_tty: bool
    stdout_tty: bool
    stderr_tty: bool
    color: bool = False
    quiet: bool = False
    verbose: bool = False

    @classmethod
    def system(
        cls, *, no_color: bool = False, quiet: bool = False, verbose: bool = False
    ) -> IOStreams:
        # AMELI_FORCE_TTY lets tests and demos see what a terminal user sees.
        forced = os.environ.get("AMELI_FORCE_TTY", "") not in ("", "0")
        stdout_tty = forced or _isatty(sys.stdout)
        color = stdout_tty and not no_color and not os.environ.get("NO_COLOR")
        return cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin_tty=_isatty(sys.stdin),
            stdout_tty=stdout_tty,
            stderr_tty=forced or _isatty(sys.stderr),
            color=color,
            quiet=quiet,
            verbose=verbose,
        )

    @property
    def can_prompt(self) -> bool:
        return self.stdin_tty

    def write(self, text: str) -> None:
        """Text for a person: made inert (escape sequences, controls and bidi overrides
        shown, not obeyed), since it often holds what a server or another person wrote."""
        from ameli_cli.render.terminal_text import inert

        self.write_data(inert(text))

    def write_data(self, text: str) -> None:
        """Data for programs (JSON, NDJSON, CSV, a completion script), written as is."""
        self.stdout.write(text)
        self.stdout.flush()

    def write_json(self, data: Any) -> None:
        """Stable JSON for scripts: never through Rich, never translated."""
        self.write_data(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def write_bytes(self, data: bytes) -> None:
        buffer = getattr(self.stdout, "buffer", None)
        if buffer is None:
            self.stdout.write(data.decode("latin-1"))
        else:
            self.stdout.flush()
            buffer.write(data)
            buffer.flush()

    def info(self, message: str) -> None:
        """Progress and confirmations: stderr, silenced by --quiet."""
        if not self.quiet:
            self._to_stderr(message)

    def warn(self, message: str) -> None:
        self._to_stderr(_("avertissement : {message}").format(message=message))

    def debug(self, message: str) -> None:
        if self.verbose:
            self._to_stderr(message)

    def _to_stderr(self, message: str) -> None:
        from ameli_cli.render.terminal_text import inert

        print(inert(message), file=self.stderr, flush=True)
