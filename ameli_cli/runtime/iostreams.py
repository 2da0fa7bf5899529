"""The one object that knows where output goes and what the terminal can do.

stdout carries data; stderr carries progress, warnings and errors. Colour, spinners
and prompts only ever appear on a terminal.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from ameli_cli.runtime.i18n import _

# SGR codes by meaning, so every command colours the same thing the same way.
STYLES = {
    "error": "1;31",  # bold red
    "warning": "33",  # yellow
    "success": "32",  # green
    "ok": "32",
    "warn": "33",
    "fail": "1;31",
    "bold": "1",
    "dim": "2",
}


def paint(text: str, role: str, enabled: bool) -> str:
    return f"\x1b[{STYLES[role]}m{text}\x1b[0m" if enabled and text else text


def stderr_is_terminal() -> bool:
    forced = os.environ.get("AMELI_FORCE_TTY", "") not in ("", "0")
    return forced or _isatty(sys.stderr)


def stderr_color(no_color: bool = False) -> bool:
    """Colour on stderr: only on a terminal, never under NO_COLOR or --no-color."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return stderr_is_terminal()


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
    err_color: bool = False
    wide: bool = False  # --wide: tables show every column whatever the width
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
            stderr_tty=stderr_is_terminal(),
            color=color,
            err_color=stderr_color(no_color),
            quiet=quiet,
            verbose=verbose,
        )

    @classmethod
    def test(cls, stdin: str = "", *, tty: bool = False) -> IOStreams:
        """In-memory streams for tests that call a `run_<verb>` directly (like gh's
        iostreams.Test()): read what was written with `io.stdout.getvalue()`."""
        from io import StringIO

        return cls(
            stdin=StringIO(stdin),
            stdout=StringIO(),
            stderr=StringIO(),
            stdin_tty=tty,
            stdout_tty=tty,
            stderr_tty=tty,
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
        import json  # here: `ameli --help` and --version never write JSON

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

    def success(self, message: str) -> None:
        """A confirmation that something was done (green on a terminal)."""
        from ameli_cli.render.terminal_text import inert

        if not self.quiet:
            print(paint(inert(message), "success", self.err_color), file=self.stderr, flush=True)

    def warn(self, message: str) -> None:
        from ameli_cli.render.terminal_text import inert

        label = _("avertissement :")
        text = self._fitted(f"{label} {inert(message)}")
        print(
            paint(label, "warning", self.err_color) + text[len(label) :],
            file=self.stderr,
            flush=True,
        )

    def debug(self, message: str) -> None:
        if self.verbose:
            self._to_stderr(message)

    def _to_stderr(self, message: str) -> None:
        from ameli_cli.render.terminal_text import inert

        print(self._fitted(inert(message)), file=self.stderr, flush=True)

    def _fitted(self, text: str) -> str:
        """On a terminal, a line longer than its width wrapped at whole words (the
        terminal would cut it anywhere, mid-word); pipes and files get each line whole."""
        if not self.stderr_tty:
            return text
        import shutil

        width = shutil.get_terminal_size((80, 24)).columns
        if all(len(line) <= width for line in text.splitlines()):
            return text
        import textwrap

        return "\n".join(
            textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False)
            if len(line) > width
            else line
            for line in text.splitlines()
        )
