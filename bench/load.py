"""Load bench: N concurrent clients send authenticated GETs to `ameli sandbox serve`
on loopback for a bounded time, then print requests/s, p50/p90/p99 latency and errors.

    python bench/load.py [--clients 32] [--duration 10] [--workers 1]
    python bench/load.py --url http://127.0.0.1:8765   # a server already running
    python bench/load.py --writes 0.2 --clients 16 --duration 15   # mixed read/write

With `--writes F` a fraction F of the requests are writes (issue 18): profile PATCHes
with an Idempotency-Key, new messages and replies, each with a key of its own, spread
over the seeded accounts. Every acknowledged write (2xx) is counted, and after the run
the database is read to check that each one is there ("every write accounted for":
the idempotency record and the profile change, or the message by its client key).
The server started here gets a messages quota large enough not to refuse the bench
(`AMELI_SANDBOX_MESSAGES_QUOTA`): the quota is still checked on every message.

Without --url it starts `ameli sandbox serve --no-access-log` (`--access-log`: with
it, written to a file) on a free port with private temporary data, and stops it at
the end. Each client keeps one HTTP/1.1 connection alive and waits for each answer
before the next request (closed loop), as a fleet of agents would. The read mix is
sent by wrk when it is on PATH (bench/wrk_driver.py: C, ~0.05 ms of CPU a request),
otherwise, and for the mixed load whose writes are checked one by one, by the Python
generator (bench/python_driver.py, ~0.17 ms a request); `--generator` chooses. The
generator's own CPU is printed beside the server's.
Targets: issue 8, >= 1,000 authenticated GET/s on one worker, p99 <= 50 ms, 0 errors;
issue 18, the mixed load (16 clients, 15 s, 20 % writes) p99 <= 50 ms on one worker,
0 errors, every write accounted for, and the read mix >= 4,000 req/s on 2 workers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from python_driver import Write, cpu_seconds, python_load

# A read mix of what people do most: who am I, my profile, my payments.
DEFAULT_PATHS = ("/v1/me", "/v1/profile", "/v1/paiements?limit=20")
MAX_DURATION = 120.0
MAX_CLIENTS = 512
ACCOUNTS = ("css", "ald", "ij", "alsace")  # no one-time code needed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    workers: int, home: Path, tree: Path | None = None, access_log: bool = False
) -> tuple[subprocess.Popen[bytes], str]:
    env = dict(os.environ)
    if tree is not None:  # another checkout's code (before/after in one run)
        env["PYTHONPATH"] = str(tree.resolve())
    env["AMELI_SANDBOX_MESSAGES_QUOTA"] = "1000000"
    for name in ("CONFIG", "DATA", "CACHE"):
        env[f"AMELI_{name}_DIR"] = str(home / name.lower())
    env.pop("AMELI_BACKEND", None)
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "ameli_cli", "sandbox", "serve"),
            *("--port", str(port), "--workers", str(workers)),
            *([] if access_log else ["--no-access-log"]),
        ],
        env=env,
        cwd=home,  # `python -m` puts the working directory first on sys.path
        stdout=subprocess.DEVNULL,
        # The access log (one line a request) to a file: a pipe nobody reads would fill.
        stderr=(home / "server.log").open("wb"),
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log = (home / "server.log").read_text(errors="replace")[-2000:]
                raise SystemExit(f"the server did not start: {log}") from None
            time.sleep(0.05)
    return process, f"http://127.0.0.1:{port}"


def sign_in(url: str) -> list[tuple[str, str]]:
    """(NIR, token) for each demo account that needs no one-time code."""
    import httpx

    from ameli_sandbox.people import PEOPLE

    tokens = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for person in PEOPLE:
            if person.key not in ACCOUNTS:
                continue
            r = client.post("/v1/auth/login", json={"nir": person.nir, "password": person.password})
            r.raise_for_status()
            tokens.append((person.nir, r.json()["token"]))
    return tokens


def profile_changes(db: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT a.nir, COUNT(c.id) FROM accounts a"
            " LEFT JOIN profile_changes c ON c.account_id = a.id GROUP BY a.nir"
        )
        return dict(rows.fetchall())


def missing_writes(db: Path, acknowledged: list[Write], changes_before: dict[str, int]) -> int:
    """Acknowledged writes the database does not hold: a profile PATCH without its
    idempotency record, or fewer new profile changes than PATCHes acknowledged for an
    account; a message or reply without its item (found by the client key)."""
    missing = 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        for kind, _nir, key in acknowledged:
            if kind == "profile":
                query = "SELECT 1 FROM idempotency WHERE key = ?"
            else:
                query = "SELECT 1 FROM message_items WHERE client_key = ?"
            missing += conn.execute(query, (key,)).fetchone() is None
    after = profile_changes(db)
    for nir in {nir for kind, nir, _ in acknowledged if kind == "profile"}:
        patched = sum(1 for kind, n, _ in acknowledged if kind == "profile" and n == nir)
        missing += max(0, patched - (after.get(nir, 0) - changes_before.get(nir, 0)))
    return missing


def wrk_load(
    url: str, tokens: list[tuple[str, str]], clients: int, duration: float, paths: list[str]
) -> dict[str, Any]:
    """The read mix from wrk (bench/wrk_driver.py): no writes, nothing to check."""
    import wrk_driver

    figures, warm_requests = wrk_driver.drive(
        url, [token for _, token in tokens], clients, duration, paths
    )
    return {
        "requests": figures["requests"],
        "elapsed": figures["elapsed_s"],
        "latency": figures["latency_s"],
        "errors": figures["errors"],
        "error_kinds": figures["error_kinds"],
        "acknowledged": [],
        "warm_requests": warm_requests,
        "client_cpu": figures["cpu_s"],
    }


def pick_generator(choice: str, writes: float) -> str:
    """wrk for the read mix when it is installed; Python for writes (checked one by
    one) and wherever wrk is missing."""
    import wrk_driver

    if writes or choice == "python":
        return "python"
    if choice == "wrk" and not wrk_driver.available():
        raise SystemExit("--generator wrk: wrk is not on PATH (see bench/README.md).")
    return "wrk" if wrk_driver.available() else "python"


def one_run(args: argparse.Namespace, tree: Path | None) -> dict[str, Any]:
    """One server (from `tree`'s code when given), one load, the writes checked."""
    duration = min(max(args.duration, 1.0), MAX_DURATION)
    clients = min(max(args.clients, 1), MAX_CLIENTS)
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    generator = pick_generator(args.generator, args.writes)
    process = None
    db = Path(args.db) if args.db else None
    with tempfile.TemporaryDirectory() as home:
        if args.url:
            url = args.url.rstrip("/")
            if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
                raise SystemExit("--url: loopback only (127.0.0.1, localhost, ::1).")
        else:
            process, url = start_server(args.workers, Path(home), tree, args.access_log)
            db = Path(home) / "data" / "sandbox.sqlite3"
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            tokens = sign_in(url)
            changes_before = profile_changes(db) if db and args.writes else {}
            load_before = os.getloadavg()[0]
            server_before = process_tree_cpu(process.pid) if process is not None else 0.0
            if generator == "wrk":
                run = wrk_load(url, tokens, clients, duration, paths)
            else:
                run = python_load(url, tokens, clients, duration, paths, args.writes)
            server_drive = (process_tree_cpu(process.pid) if process else 0.0) - server_before
            load_after = os.getloadavg()[0]
        finally:
            if process is not None:
                process.terminate()
                process.wait(20)
        # The server's CPU with its start (wrk, a child too, is counted in its own run).
        server_cpu = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN), children_before)
        server_cpu -= run["client_cpu"] if generator == "wrk" else 0.0
        acknowledged = run["acknowledged"]
        missing = missing_writes(db, acknowledged, changes_before) if db and args.writes else None
    return {
        "tree": str(tree or "."),
        "url": url,
        "generator": generator,
        "workers": args.workers if process is not None else None,
        "clients": clients,
        "duration_s": round(run["elapsed"], 2),
        "paths": paths,
        "writes_share": args.writes,
        "requests": run["requests"],
        "requests_per_s": round(run["requests"] / run["elapsed"], 1),
        **{f"{k}_ms": round(run["latency"][k] * 1000, 2) for k in ("p50", "p90", "p99", "max")},
        "errors": run["errors"],
        "error_kinds": run["error_kinds"],
        "writes_acknowledged": len(acknowledged),
        "writes_missing": missing,
        "load_before_after": [round(load_before, 2), round(load_after, 2)],
        "client_cpu_s": round(run["client_cpu"], 2),
        "server_cpu_s": round(server_cpu, 2) if process is not None else None,
        # The load alone (warm-up included): the server's CPU per request answered.
        "server_cpu_ms_per_request": (
            round(server_drive * 1000 / max(1, run["requests"] + run["warm_requests"]), 3)
            if process is not None
            else None
        ),
    }


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live descendants (the server
    and its uvicorn workers), from /proc; 0 where /proc is not there."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def report(figures: dict[str, Any]) -> None:
    print(
        f"load bench ({figures['generator']}): {figures['clients']} clients x"
        f" {figures['duration_s']} s on"
        f" {figures['url']} [{figures['tree']}]"
        + (f" ({figures['workers']} worker(s))" if figures["workers"] else "")
        + f", load {figures['load_before_after'][0]} -> {figures['load_before_after'][1]}"
    )
    print(f"  paths            {', '.join(figures['paths'])}")
    print(f"  requests         {figures['requests']} ({figures['writes_share']:.0%} writes)")
    print(f"  requests/s       {figures['requests_per_s']}")
    print(
        f"  latency          p50 {figures['p50_ms']} ms, p90 {figures['p90_ms']} ms,"
        f" p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms"
    )
    kinds = f" ({', '.join(figures['error_kinds'])})" if figures["errors"] else ""
    print(f"  errors           {figures['errors']}{kinds}")
    if figures["writes_share"]:
        missing = figures["writes_missing"]
        checked = "not checked (no --db)" if missing is None else f"{missing} missing"
        print(f"  writes           {figures['writes_acknowledged']} acknowledged, {checked}")
    server = figures["server_cpu_s"]
    print(
        f"  CPU              client {figures['client_cpu_s']} s"
        + ("" if server is None else f", server {server} s (with its start),")
        + (
            ""
            if server is None
            else f" {figures['server_cpu_ms_per_request']} ms a request under load"
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a server already running on loopback")
    parser.add_argument("--db", help="with --url: its database, to check the writes")
    parser.add_argument("--workers", type=int, default=1, help="for the server started here")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds (at most 120)")
    parser.add_argument("--paths", default=",".join(DEFAULT_PATHS), help="comma-separated")
    parser.add_argument("--writes", type=float, default=0.0, help="share of writes, 0 to 0.5")
    parser.add_argument(
        "--tree",
        action="append",
        type=Path,
        help="serve another checkout's code (repeatable; runs alternate, --rounds times)",
    )
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--access-log", action="store_true", help="serve with the access log (to a file)"
    )
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="auto: wrk for the read mix when installed, Python for writes",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    args.writes = min(max(args.writes, 0.0), 0.5)
    runs = [
        one_run(args, tree) for _ in range(max(1, args.rounds)) for tree in (args.tree or [None])
    ]
    for figures in runs:
        if args.json:
            print(json.dumps(figures, indent=2))
        else:
            report(figures)
    return 1 if any(f["errors"] or f["writes_missing"] for f in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
