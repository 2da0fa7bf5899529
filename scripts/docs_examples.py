"""Run the console examples of README.md and docs/*.md, and compare their output.

    python scripts/docs_examples.py              # check every file; exit 1 on a difference
    python scripts/docs_examples.py docs/x.md    # check some files
    python scripts/docs_examples.py --update     # rewrite the outputs from a fresh run

The marker: a block fenced ```console is run; ```text (or any other language) is
not. In a console block, a line starting with `$ ` is a command (a line ending
with `\\` continues on the next one); the lines up to the next command are its
expected output, stdout and stderr together as a person sees them in a pipe.

All blocks of one file run in order in one bash process (variables and `cd` carry
over), in a fresh environment: private AMELI config/data/cache dirs and HOME under
a temporary directory, the embedded sandbox with its clock pinned
(AMELI_SANDBOX_TODAY=2026-11-30), AMELI_LANG=fr, TZ=Europe/Paris, COLUMNS=80,
NO_COLOR=1, stdin from /dev/null. So each file signs in itself, and its figures are
the same every day.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINNED_TODAY = "2026-11-30"
FENCE = re.compile(r"^```console\s*$")
MARK = "\x1e--ameli-docs-example--"


@dataclass
class Example:
    command: list[str]  # the lines of the command, without "$ " / "> "
    expected: list[str] = field(default_factory=list)
    start: int = 0  # line index of the command's first line
    end: int = 0  # line index after its output


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def parse(lines: list[str]) -> list[Example]:
    examples: list[Example] = []
    inside = False
    current: Example | None = None
    continued = False
    for index, line in enumerate(lines):
        if not inside:
            inside = bool(FENCE.match(line))
            continue
        if line.startswith("```"):
            if current:
                current.end = index
            inside, current, continued = False, None, False
            continue
        if continued and current is not None:
            current.command.append(line)
            continued = line.endswith("\\")
            continue
        if line.startswith("$ "):
            if current:
                current.end = index
            current = Example([line[2:]], start=index)
            examples.append(current)
            continued = line.endswith("\\")
        elif current is not None:
            current.expected.append(line)
    return examples


def environment(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AMELI_", "LC_", "PYTHON_KEYRING")) and key not in ("LANG",)
    }
    bin_dir = str(Path(sys.executable).parent)
    env.update(
        HOME=str(home),
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        AMELI_CONFIG_DIR=str(home / "config"),
        AMELI_DATA_DIR=str(home / "data"),
        AMELI_CACHE_DIR=str(home / "cache"),
        AMELI_SANDBOX_TODAY=PINNED_TODAY,
        AMELI_LANG="fr",
        AMELI_KEYRING_TIMEOUT="2",
        TZ="Europe/Paris",
        COLUMNS="80",
        NO_COLOR="1",
        SHELL="/bin/bash",
    )
    env.pop("AMELI_FORCE_TTY", None)
    return env


def run(examples: list[Example], *, timeout: float = 600) -> list[list[str]]:
    """Every command of one file in one bash, in order; the output of each."""
    script = []
    for example in examples:
        script.append("\n".join(example.command))
        # Keep the command's exit status for a following `echo $?`.
        script.append(f"__status=$?; printf '\\n%s\\n' '{MARK}'; (exit $__status)")
    with tempfile.TemporaryDirectory(prefix="ameli-docs-") as tmp:
        home = Path(tmp)
        (home / "work").mkdir()
        path = home / "examples.sh"
        path.write_text("exec 2>&1\n" + "\n".join(script) + "\n", "utf-8")
        done = subprocess.run(
            ["bash", str(path)],
            cwd=home / "work",
            env=environment(home),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    text = done.stdout.decode("utf-8", errors="replace").replace(tmp, "/tmp/ameli-docs")
    pieces = text.split(f"\n{MARK}\n")
    outputs = [_clean(piece) for piece in pieces[: len(examples)]]
    while len(outputs) < len(examples):
        outputs.append(["(no output: the script stopped)"])
    return outputs


def _clean(piece: str) -> list[str]:
    lines = [line.rstrip() for line in piece.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def check(path: Path, *, update: bool = False) -> list[str]:
    """The differences for one file (empty when it is true); rewrites it on update."""
    lines = path.read_text("utf-8").split("\n")
    examples = parse(lines)
    if not examples:
        return []
    outputs = run(examples)
    problems = []
    for example, got in zip(examples, outputs, strict=True):
        want = [line.rstrip() for line in example.expected]
        while want and not want[-1]:
            want.pop()
        if got != want:
            diff = difflib.unified_diff(want, got, "documented", "got", lineterm="", n=1)
            where = f"{path.relative_to(ROOT)}:{example.start + 1}: $ {example.command[0]}"
            problems.append(where + "\n" + "\n".join(diff))
    if update and problems:
        for example, got in reversed(list(zip(examples, outputs, strict=True))):
            first_output = example.start + len(example.command)
            lines[first_output : example.end] = got
        path.write_text("\n".join(lines), "utf-8")
    return problems


def main(argv: list[str]) -> int:
    update = "--update" in argv
    names = [a for a in argv if not a.startswith("--")]
    paths = [Path(n).resolve() for n in names] or documents()
    failed = 0
    for path in paths:
        problems = check(path, update=update)
        for problem in problems:
            print(problem, file=sys.stderr)
        failed += bool(problems)
        state = "mis à jour" if update and problems else "différent" if problems else "ok"
        print(f"{path.relative_to(ROOT)} : {state}")
    return 1 if failed and not update else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
