"""Startup bench: medians of `ameli --help` and `ameli whoami --json` (embedded
sandbox, signed in with a file-stored token) as ratios to `python -c "import typer"`,
all measured in this run. Targets: --help <= 1.5x, a read command <= 3x.

    python bench/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_ms(command: list[str], env: dict[str, str], runs: int) -> float:
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm the caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    python = sys.executable
    ameli = [python, "-m", "ameli_cli"]
    with tempfile.TemporaryDirectory() as home:
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
        rows = [
            ("python -c pass", median_ms([python, "-c", "pass"], env, args.runs)),
            ('python -c "import typer"', median_ms([python, "-c", "import typer"], env, args.runs)),
            ("ameli --help", median_ms([*ameli, "--help"], env, args.runs)),
            ("ameli whoami --json", median_ms([*ameli, "whoami", "--json"], env, args.runs)),
        ]
    baseline = rows[1][1]
    targets = {"ameli --help": 1.5, "ameli whoami --json": 3.0}
    print(f"startup bench, median of {args.runs} runs each")
    for name, ms in rows:
        ratio = ms / baseline
        target = targets.get(name)
        verdict = "" if target is None else (" ok" if ratio <= target else " OVER")
        goal = "" if target is None else f"  (target <= {target}x){verdict}"
        print(f"  {name:28} {ms:7.1f} ms  {ratio:4.2f}x{goal}")


if __name__ == "__main__":
    main()
