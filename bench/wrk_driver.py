"""The read mix driven by wrk (a load generator in C), for bench/load.py.

The Python generator costs ~0.17 ms of CPU a request on the same 2 cores as the
server: at 4,000 requests/s that is a third of a core taken from the server. wrk
costs a tenth of that. It runs bench/wrk_read_mix.lua: one thread a connection, each
with a bearer token of its own from the list, the paths in turn; the script prints
its counts, errors and latency distribution as one JSON line that is parsed here.

Install: `apt-get install wrk` (Debian, Ubuntu), `brew install wrk` (macOS).
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).with_name("wrk_read_mix.lua")
MAX_THREADS = 64  # past this, connections share a thread (and its token)
MARKER = "wrk-json "


def available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    url: str, tokens: list[str], paths: list[str], connections: int, seconds: int
) -> dict[str, Any]:
    """One wrk run: its figures (latency in seconds) and the CPU wrk itself used."""
    command = [
        *("wrk", "-t", str(min(connections, MAX_THREADS)), "-c", str(connections)),
        *("-d", f"{max(1, seconds)}s", "--timeout", "10s", "-s", str(SCRIPT), url),
        *("--", ",".join(tokens), ",".join(paths)),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in done.stdout.splitlines() if x.startswith(MARKER)), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}"[:2000])
    data = json.loads(line.removeprefix(MARKER))
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    errors = {kind: count for kind, count in data["errors"].items() if count}
    latency = {key: value / 1e6 for key, value in data["latency_us"].items()}
    return {
        "requests": int(data["requests"]),
        "elapsed_s": data["duration_us"] / 1e6,
        "latency_s": latency,
        "errors": sum(errors.values()),
        # "status": answers other than 2xx/3xx; the others are socket errors.
        "error_kinds": sorted(errors),
        "cpu_s": cpu,
    }


def drive(
    url: str, tokens: list[str], clients: int, duration: float, paths: list[str]
) -> tuple[dict[str, Any], int]:
    """A short warm-up (a quarter of the connections, 1 s, not counted), then the
    run: its figures, and how many requests the warm-up made (the server's CPU a
    request counts them, as the Python generator's figures do)."""
    warm = run_wrk(url, tokens, paths, max(1, clients // 4), 1)
    figures = run_wrk(url, tokens, paths, clients, round(duration))
    figures["cpu_s"] += warm["cpu_s"]
    return figures, warm["requests"]
