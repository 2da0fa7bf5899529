"""Every hostile case of issue 13, run against the CLI, and counted per area.

    .venv/bin/python scripts/hostile_sweep.py [-v]

Each case runs the real entry point (`ameli_cli.__main__.run`) in this process, in a
private temporary HOME (a copy of a signed-in one), against the embedded sandbox or a
hostile server (tests/hostile_server.py: the real service over HTTP with chosen answers
rewritten). A case fails when it ends in a traceback, an "erreur interne", an exit code
outside the README's table (or other than the one expected), a hang, or a raw escape
sequence (ESC, BEL, CSI, bidi override, NUL) reaching a human view. The cases are in
scripts/hostile_sweep_cases.py; tests/test_hostile_sweep.py runs them all and expects
0 failures. Exit status: 0 when nothing fails, 1 otherwise.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "tests", ROOT / "scripts"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

AREAS = ("bad input", "escapes", "privacy", "server", "contract", "faults")
EXIT_TABLE = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 130})
RAW = ("\x1b", "\x07", "\x9b", "\x00", "\u202e", "\u2066")
OUR_COLOURS = re.compile(r"\x1b\[[0-9;]*m")
HANG_SECONDS = 20
FAMILLE, AGENT = "famille", "agent"


@dataclass
class Env:
    """One case's world: its HOME copy, its working folder, the hostile server."""

    home: Path
    work: Path
    server_url: str
    sweep: Sweep
    state: dict[str, Any] = field(default_factory=dict)

    def run(self, *argv: str, stdin: str = "", env: dict[str, str] | None = None) -> Outcome:
        return self.sweep.invoke(self, list(argv), stdin=stdin, variables=env or {})


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    hung: bool = False


Argv = tuple[str, ...] | Callable[[Env], tuple[str, ...]]


@dataclass
class Case:
    area: str
    name: str
    argv: Argv = ()
    home: str = "signed"  # fresh | signed (famille) | agent | hostile (famille, on the server)
    expect: frozenset[int] | None = None
    setup: Callable[[Env], None] | None = None
    check: Callable[[Env, Outcome], str | None] | None = None
    probe: Callable[[Env], str | None] | None = None  # instead of a command: a request
    rewrite: Callable[[str, Any], Any] | None = None
    tty: bool = False
    stdin: str = ""
    data_out: bool = False  # stdout is data (--json, CSV, a PDF): faithful, not checked
    env: dict[str, str] = field(default_factory=dict)
    # Around the command only (a full disk): a context manager factory.
    during: Callable[[], contextlib.AbstractContextManager[None]] | None = None


class Hung(BaseException):
    """Raised by the alarm: not an Exception, so the CLI cannot turn it into a line."""


class _Stdout(io.TextIOWrapper):
    def isatty(self) -> bool:
        return os.environ.get("AMELI_FORCE_TTY") == "1"


def failures_of(case: Case, outcome: Outcome) -> list[str]:
    found = []
    if outcome.hung:
        return ["hang"]
    if "Traceback" in outcome.stderr:
        found.append("traceback")
    if "erreur interne" in outcome.stderr or "internal error" in outcome.stderr:
        found.append(outcome.stderr.strip().splitlines()[-1][:100])
    if outcome.exit_code not in EXIT_TABLE:
        found.append(f"exit {outcome.exit_code} not in the README table")
    elif case.expect is not None and outcome.exit_code not in case.expect:
        found.append(f"exit {outcome.exit_code}, expected {sorted(case.expect)}")
    human = outcome.stderr + ("" if case.data_out else outcome.stdout)
    plain = OUR_COLOURS.sub("", human)
    if any(raw in plain for raw in RAW):
        line = next(x for x in plain.splitlines() if any(raw in x for raw in RAW))
        found.append(f"raw escape in a human view: {line[:100]!r}")
    return found


class Sweep:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.homes: dict[str, Path] = {}
        self.server: Any = None
        self.rewrite: Callable[[str, Any], Any] | None = None
        self.conversation = ""  # the stored hostile conversation (agent home)

    # -- running one command ---------------------------------------------------------------

    def invoke(
        self, env: Env, argv: list[str], *, stdin: str, variables: dict[str, str]
    ) -> Outcome:
        from ameli_cli.__main__ import run

        variables = {
            "AMELI_CONFIG_DIR": str(env.home / "config"),
            "AMELI_DATA_DIR": str(env.home / "data"),
            "AMELI_CACHE_DIR": str(env.home / "cache"),
            "AMELI_LANG": "fr",
            "AMELI_KEYRING_TIMEOUT": "2",
            "COLUMNS": "100",
            **variables,
        }
        saved = {k: os.environ.get(k) for k in (*variables, "AMELI_TOKEN", "AMELI_BACKEND")}
        out_buffer, err = io.BytesIO(), io.StringIO()
        stdout = _Stdout(out_buffer, encoding="utf-8", write_through=True)
        streams = (sys.stdin, sys.stdout, sys.stderr)
        cwd = os.getcwd()
        hung = False
        try:
            os.environ.pop("AMELI_TOKEN", None)
            os.environ.pop("AMELI_BACKEND", None)
            os.environ.update(variables)
            os.chdir(env.work)
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
            sys.stdout, sys.stderr = stdout, err
            signal.alarm(HANG_SECONDS)
            try:
                code = run(argv)
            except Hung:
                code, hung = -1, True
            finally:
                signal.alarm(0)
            with contextlib.suppress(ValueError):
                stdout.flush()
        finally:
            sys.stdin, sys.stdout, sys.stderr = streams
            os.chdir(cwd)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        text = out_buffer.getvalue().decode("utf-8", errors="replace")
        return Outcome(code, text, err.getvalue(), hung)

    # -- homes ------------------------------------------------------------------------------

    def prepare(self) -> None:
        import keyring
        from hostile_server import HostileServer
        from keyring.backends.fail import Keyring as FailKeyring

        from ameli_sandbox.app import open_database

        keyring.set_keyring(FailKeyring())  # tokens go to the session files (copied)
        fresh = self.base / "homes" / "fresh"
        (fresh / "data").mkdir(parents=True)
        conn = open_database(fresh / "data" / "sandbox.sqlite3")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        self.homes["fresh"] = fresh
        served_db = self.base / "served.sqlite3"
        shutil.copy(fresh / "data" / "sandbox.sqlite3", served_db)
        self.server = HostileServer(served_db, self._current_rewrite)
        for name, who, backend in (
            ("signed", FAMILLE, None),
            ("agent", AGENT, None),
            ("hostile", FAMILLE, self.server.url),
        ):
            home = self.base / "homes" / name
            shutil.copytree(fresh, home)
            self.homes[name] = home
            self.sign_in(self.env_for(name, keep=True), who, backend)
        from hostile_sweep_cases import prepare_stored

        prepare_stored(self)

    def _current_rewrite(self, path: str, data: Any) -> Any:
        return self.rewrite(path, data) if self.rewrite else data

    def sign_in(self, env: Env, who: str, backend: str | None, *, profile: str = "") -> None:
        from ameli_sandbox.people import PEOPLE

        someone = next(p for p in PEOPLE if p.key == who)
        flags = ["--backend", backend] if backend else []
        flags += ["--profile", profile] if profile else []
        login = ["login", "--nir", someone.nir, "--password-stdin", "--insecure-storage"]
        result = env.run(*login, *flags, stdin=someone.password + "\n")
        if result.exit_code == 4 and "--otp" in result.stderr:
            code = env.run("sandbox", "otp", "--nir", someone.nir, *flags).stdout.strip()
            result = env.run(*login, "--otp", code, *flags, stdin=someone.password + "\n")
        if result.exit_code != 0:
            raise RuntimeError(f"sign-in as {who} failed: {result.stderr}")

    def env_for(self, home: str, *, keep: bool = False) -> Env:
        if keep:
            case_home = self.homes[home]
        else:
            case_home = Path(tempfile.mkdtemp(dir=self.base, prefix="case-"))
            shutil.copytree(self.homes[home], case_home, dirs_exist_ok=True)
        work = case_home / "work"
        work.mkdir(exist_ok=True)
        return Env(case_home, work, self.server.url if self.server else "", self)

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()

    # -- one case -------------------------------------------------------------------------

    def run_case(self, case: Case) -> list[str]:
        env = self.env_for(case.home)
        self.rewrite = case.rewrite
        try:
            if case.setup is not None:
                case.setup(env)
            if case.probe is not None:
                reason = case.probe(env)
                return [reason] if reason else []
            argv = case.argv(env) if callable(case.argv) else case.argv
            argv = tuple(a.replace("{conversation}", self.conversation) for a in argv)
            variables = dict(case.env)
            if case.home == "hostile":
                variables["AMELI_BACKEND"] = env.server_url
            if case.tty:
                variables.update(AMELI_FORCE_TTY="1", COLUMNS="200")
            with case.during() if case.during else contextlib.nullcontext():
                outcome = env.run(*argv, stdin=case.stdin, env=variables)
            found = failures_of(case, outcome)
            if case.check is not None and not outcome.hung and (extra := case.check(env, outcome)):
                found.append(extra)
            return found
        except Exception as exc:  # a broken case is a failing case, never a crash
            return [f"sweep error: {type(exc).__name__}: {exc}"[:200]]
        finally:
            self.rewrite = None
            shutil.rmtree(env.home, ignore_errors=True)


@contextlib.contextmanager
def sweep_in(directory: Path | None = None) -> Iterator[Sweep]:
    def on_alarm(signum: int, frame: Any) -> None:
        raise Hung

    import keyring

    previous = signal.signal(signal.SIGALRM, on_alarm)
    previous_keyring = keyring.get_keyring()
    with tempfile.TemporaryDirectory(prefix="ameli-sweep-", dir=directory) as base:
        sweep = Sweep(Path(base))
        try:
            sweep.prepare()
            yield sweep
        finally:
            sweep.close()
            signal.signal(signal.SIGALRM, previous)
            keyring.set_keyring(previous_keyring)


def run_all(verbose: bool = False) -> dict[str, tuple[int, list[tuple[str, list[str]]]]]:
    """{area: (cases tried, [(case, reasons)] failing)}."""
    from hostile_sweep_cases import CASES

    results: dict[str, tuple[int, list[tuple[str, list[str]]]]] = {a: (0, []) for a in AREAS}
    with sweep_in() as sweep:
        for case in CASES:
            started = time.monotonic()
            found = sweep.run_case(case)
            tried, failing = results[case.area]
            if found:
                failing.append((case.name, found))
            results[case.area] = (tried + 1, failing)
            if verbose:
                status = "FAIL " + "; ".join(found) if found else "ok"
                took = time.monotonic() - started
                print(f"  [{case.area}] {case.name}: {status} ({took:.2f} s)", file=sys.stderr)
    return results


def report(results: dict[str, tuple[int, list[tuple[str, list[str]]]]]) -> str:
    lines = [f"{'area':<10} {'tried':>5} {'failing':>7}"]
    for area in AREAS:
        tried, failing = results[area]
        lines.append(f"{area:<10} {tried:>5} {len(failing):>7}")
    total = sum(t for t, _ in results.values())
    failed = sum(len(f) for _, f in results.values())
    lines.append(f"{'total':<10} {total:>5} {failed:>7}")
    for area in AREAS:
        for name, reasons in results[area][1]:
            lines.append(f"FAIL [{area}] {name}: {'; '.join(reasons)}")
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    results = run_all(verbose="-v" in sys.argv[1:])
    print(report(results))
    print(f"({time.monotonic() - started:.1f} s)")
    return 0 if all(not failing for _, failing in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
