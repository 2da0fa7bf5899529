"""A real pseudo-terminal for tests of what a person sees: prompts, Ctrl-C, Ctrl-D,
colour. The command runs as `python -m ameli_cli` with the pty as its controlling
terminal (getpass reads /dev/tty), 80 columns wide unless told otherwise."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], *, columns: int = 80) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))

        def become_session_leader() -> None:  # the pty becomes the controlling terminal
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.master = master
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ameli_cli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "COLUMNS": str(columns)},
            preexec_fn=become_session_leader,
        )
        os.close(slave)
        self.output = b""

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the child closed the terminal
            return False
        self.output += chunk
        return bool(chunk)

    def expect(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text:
            if time.monotonic() > deadline or (
                not self._read(0.2) and self.proc.poll() is not None
            ):
                if text in self.text:
                    return
                raise AssertionError(f"never saw {text!r} in:\n{self.text}")

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def wait(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        while self._read(0.05):
            pass
        code = self.proc.wait(timeout=1)
        os.close(self.master)
        return code
