"""Startup bench: medians of `ameli --help`, `--version` and read commands (`whoami`,
`paiements list`, `vitale status`, `--json`; embedded sandbox, signed in with a
file-stored token) as ratios to `python -c "import typer"`, all measured in this run,
the commands interleaved. Wall time and CPU time (user + system of the child): on a
loaded machine the CPU ratio is the steadier one. Targets (issue 18): --help and
--version <= 1.1x, read commands <= 2.3x.

    python bench/startup.py [--runs 21]
    python bench/startup.py --tree /tmp/h18s-base --tree .   # before/after, interleaved

`--tree DIR` (repeatable) runs the ameli commands with another checkout's code first
on PYTHONPATH (`git archive main ameli_cli ameli_sandbox ameli_rules | tar -x -C DIR`),
every tree's commands taking turns in the same rounds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Issue 18: ratios to `python -c "import typer"` measured in the same run.
TARGETS = {
    "ameli --help": 1.1,
    "ameli --version": 1.1,
    "ameli whoami --json": 2.3,
    "ameli paiements list --json": 2.3,
    "ameli vitale status --json": 2.3,
}


Command = tuple[list[str], dict[str, str]]


READS = (["whoami", "--json"], ["paiements", "list", "--json"], ["vitale", "status", "--json"])


def run_cpu_ms(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall ms, CPU ms: user + system of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=True)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def interleaved(commands: dict[str, Command], runs: int) -> dict[str, Any]:
    """Medians of wall and CPU time per command, the commands taking turns in each
    round (A, B, C, A, B, C…) so that a change of load weighs on all of them alike."""
    for command, env in commands.values():
        subprocess.run(command, env=env, capture_output=True, check=True)  # warm the caches
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            samples[name].append(run_cpu_ms(command, env))
    return {
        name: (
            statistics.median(w for w, _ in values),
            statistics.median(c for _, c in values),
        )
        for name, values in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--tree", action="append", type=Path, help="another checkout (repeatable)")
    args = parser.parse_args()
    trees: list[Path | None] = args.tree or [None]
    python = sys.executable
    ameli = [python, "-m", "ameli_cli"]
    with tempfile.TemporaryDirectory() as home:
        # `python -m` puts the working directory first on sys.path: run from an empty
        # one, so that each tree's code is what PYTHONPATH (or the install) says.
        os.chdir(home)
        env = dict(os.environ)
        for name in ("CONFIG", "DATA", "CACHE"):
            env[f"AMELI_{name}_DIR"] = str(Path(home) / name.lower())
        env.pop("AMELI_TOKEN", None)
        # Measure what users get: Python caches compiled modules (.pyc) unless told
        # not to; this workplace sets PYTHONDONTWRITEBYTECODE, which would add ~80 ms
        # of compiling to every run of an editable install.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("AMELI_BACKEND", None)
        accounts = subprocess.run(
            [*ameli, "sandbox", "accounts", "--json"],
            env=env,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        import json

        account = next(a for a in json.loads(accounts) if not a["otp_required"])
        subprocess.run(
            [*ameli, "login", "--nir", account["nir"], "--password-stdin", "--insecure-storage"],
            input=account["password"],
            env=env,
            capture_output=True,
            check=True,
            text=True,
        )
        commands: dict[str, Command] = {
            "python -c pass": ([python, "-c", "pass"], env),
            'python -c "import typer"': ([python, "-c", "import typer"], env),
        }
        for args_ in (["--help"], ["--version"], *READS):
            for tree in trees:
                tree_env = dict(env)
                label = ""
                if tree is not None:
                    tree_env["PYTHONPATH"] = str(tree.resolve())
                    label = f" [{tree}]" if len(trees) > 1 else ""
                commands["ameli " + " ".join(args_) + label] = ([*ameli, *args_], tree_env)
        medians = interleaved(commands, args.runs)
    base_wall, base_cpu = medians['python -c "import typer"']
    load = os.getloadavg()
    print(
        f"startup bench, medians of {args.runs} interleaved runs each;"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"  {'command':48} {'wall ms':>8} {'ratio':>6} {'CPU ms':>7} {'ratio':>6}  target")
    for name, (wall, cpu) in medians.items():
        target = TARGETS.get(name.split(" [")[0])
        verdict = "" if target is None else ("ok" if cpu / base_cpu <= target else "OVER")
        goal = "" if target is None else f"<= {target}x (CPU) {verdict}"
        print(
            f"  {name:48} {wall:8.1f} {wall / base_wall:5.2f}x {cpu:7.1f} {cpu / base_cpu:5.2f}x  {goal}"
        )


if __name__ == "__main__":
    main()
