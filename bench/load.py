"""Load bench: N concurrent clients send authenticated GETs to `ameli sandbox serve`
on loopback for a bounded time, then print requests/s, p50/p90/p99 latency and errors.

    python bench/load.py [--clients 32] [--duration 10] [--workers 1]
    python bench/load.py --url http://127.0.0.1:8765   # a server already running

Without --url it starts `ameli sandbox serve --no-access-log` on a free port with
private temporary data, and stops it at the end. Each client keeps one HTTP/1.1
connection alive and waits for each answer before the next request (closed loop),
as a fleet of agents would. Clients speak raw HTTP over asyncio streams so that the
client side costs little of the CPU the server needs. Target (issue 8): >= 1,000
authenticated GET/s on one worker, p99 <= 50 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

# A read mix of what people do most: who am I, my profile, my payments.
DEFAULT_PATHS = ("/v1/me", "/v1/profile", "/v1/paiements?limit=20")
MAX_DURATION = 120.0
MAX_CLIENTS = 512
ACCOUNTS = ("css", "ald", "ij", "alsace")  # no one-time code needed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(workers: int, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "CACHE"):
        env[f"AMELI_{name}_DIR"] = str(home / name.lower())
    env.pop("AMELI_BACKEND", None)
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "ameli_cli", "sandbox", "serve"),
            *("--port", str(port), "--workers", str(workers), "--no-access-log"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {process.stderr}") from None
            time.sleep(0.05)
    return process, f"http://127.0.0.1:{port}"


def sign_in(url: str) -> list[str]:
    """One token per demo account that needs no one-time code."""
    import httpx

    from ameli_sandbox.people import PEOPLE

    tokens = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for person in PEOPLE:
            if person.key not in ACCOUNTS:
                continue
            r = client.post("/v1/auth/login", json={"nir": person.nir, "password": person.password})
            r.raise_for_status()
            tokens.append(r.json()["token"])
    return tokens


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def client(
    host: str,
    port: int,
    requests: list[bytes],
    stop_at: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    index = 0
    try:
        while time.perf_counter() < stop_at:
            request = requests[index % len(requests)]
            index += 1
            started = time.perf_counter()
            try:
                writer.write(request)
                status = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError) as exc:
                errors.append(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(str(status))
    finally:
        writer.close()


async def drive(url: str, tokens: list[str], clients: int, duration: float, paths: list[str]):
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    per_client = [
        [
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Authorization: Bearer {tokens[(i + j) % len(tokens)]}\r\n\r\n"
            ).encode()
            for j, path in enumerate(paths)
        ]
        for i in range(clients)
    ]
    latencies: list[float] = []
    errors: list[str] = []
    # Warm-up (connections, caches), not counted.
    warm_stop = time.perf_counter() + min(1.0, duration / 5)
    await asyncio.gather(
        *(client(host, port, r, warm_stop, [], []) for r in per_client[: max(1, clients // 4)])
    )
    started = time.perf_counter()
    stop_at = started + duration
    await asyncio.gather(*(client(host, port, r, stop_at, latencies, errors) for r in per_client))
    elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a server already running on loopback")
    parser.add_argument("--workers", type=int, default=1, help="for the server started here")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds (at most 120)")
    parser.add_argument("--paths", default=",".join(DEFAULT_PATHS), help="comma-separated")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    duration = min(max(args.duration, 1.0), MAX_DURATION)
    clients = min(max(args.clients, 1), MAX_CLIENTS)
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]

    process = None
    with tempfile.TemporaryDirectory() as home:
        if args.url:
            url = args.url.rstrip("/")
            if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
                raise SystemExit("--url: loopback only (127.0.0.1, localhost, ::1).")
        else:
            process, url = start_server(args.workers, Path(home))
        try:
            tokens = sign_in(url)
            latencies, errors, elapsed = asyncio.run(drive(url, tokens, clients, duration, paths))
        finally:
            if process is not None:
                process.terminate()
                process.wait(20)
    latencies.sort()
    figures = {
        "url": url,
        "workers": args.workers if process is not None else None,
        "clients": clients,
        "duration_s": round(elapsed, 2),
        "paths": paths,
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p90_ms": round(percentile(latencies, 0.90) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "max_ms": round((latencies[-1] if latencies else float("nan")) * 1000, 2),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(
            f"load bench: {clients} clients x {elapsed:.1f} s on {url}"
            + (f" ({args.workers} worker(s))" if process is not None else "")
        )
        print(f"  paths            {', '.join(paths)}")
        print(f"  requests         {figures['requests']}")
        print(f"  requests/s       {figures['requests_per_s']}")
        print(
            f"  latency          p50 {figures['p50_ms']} ms, p90 {figures['p90_ms']} ms,"
            f" p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms"
        )
        kinds = f" ({', '.join(figures['error_kinds'])})" if errors else ""
        print(f"  errors           {figures['errors']}{kinds}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
