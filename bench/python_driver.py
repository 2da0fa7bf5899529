"""The Python load generator of bench/load.py: raw HTTP/1.1 over asyncio streams, one
connection a client, each waiting for its answer before the next request (closed
loop). It sends the mixed load (`--writes`), whose every acknowledged write load.py
then looks up in the database, and the read mix where wrk is not installed. Its own
CPU (~0.17 ms a request) is counted and printed apart from the server's.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import resource
import time
from typing import Any
from urllib.parse import urlsplit


def message_category(url: str, token: str) -> str:
    import httpx

    r = httpx.get(f"{url}/v1/messages/categories", headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    return str(r.json()["items"][0]["code"])


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, (await reader.readexactly(length) if length else b"")


Write = tuple[str, str, str]  # (kind, NIR, Idempotency-Key)
_keys = itertools.count()


class Workload:
    """What one client sends: the read paths in turn, and a write whenever the share
    of writes so far falls below `writes` (every 5th request for 0.2), rotating a
    profile PATCH, a new message, a reply to this client's latest conversation."""

    def __init__(self, address: str, account: tuple[str, str], paths: list[str], writes: float,
                 category: str, offset: int) -> None:  # fmt: skip
        self.address, (self.nir, token), self.writes = address, account, writes
        self.auth = f"Authorization: Bearer {token}\r\n"
        self.reads = [self._request("GET", path) for path in paths]
        self.category, self.index, self.written, self.sent = category, offset, 0, 0
        self.conversation: str | None = None

    def _request(self, method: str, path: str, body: Any = None, key: str = "") -> bytes:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.address}\r\n{self.auth}"
        if key:
            head += f"Idempotency-Key: {key}\r\n"
        if body is None:
            return (head + "\r\n").encode()
        payload = json.dumps(body).encode()
        head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        return head.encode() + payload

    def next(self) -> tuple[bytes, Write | None]:
        self.sent += 1
        if self.written < self.writes * self.sent:
            self.written += 1
            return self._write(self.written % 3)
        self.index += 1
        return self.reads[self.index % len(self.reads)], None

    def _write(self, turn: int) -> tuple[bytes, Write]:
        key = f"bench-{os.getpid()}-{next(_keys)}"
        if turn == 0 or (turn == 2 and self.conversation is None):
            body = {"city": f"Ville {key[-8:]}"}
            return self._request("PATCH", "/v1/profile", body, key), ("profile", self.nir, key)
        if turn == 1:
            body = {"category": self.category, "subject": f"Bench {key}", "body": "Bonjour."}
            return self._request("POST", "/v1/messages", body, key), ("message", self.nir, key)
        path = f"/v1/messages/{self.conversation}/replies"
        return self._request("POST", path, {"body": "Merci."}, key), ("reply", self.nir, key)

    def answered(self, write: Write | None, body: bytes) -> None:
        if write is not None and write[0] == "message":
            self.conversation = json.loads(body)["id"]


async def client(
    host: str,
    port: int,
    workload: Workload,
    stop_at: float,
    latencies: list[float],
    errors: list[str],
    acknowledged: list[Write],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < stop_at:
            request, write = workload.next()
            started = time.perf_counter()
            try:
                writer.write(request)
                status, body = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError) as exc:
                errors.append(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            latencies.append(time.perf_counter() - started)
            if not 200 <= status < 300:
                errors.append(str(status))
            elif write is not None:
                acknowledged.append(write)
                workload.answered(write, body)
    finally:
        writer.close()


async def drive(
    url: str,
    tokens: list[tuple[str, str]],
    clients: int,
    duration: float,
    paths: list[str],
    writes: float,
) -> tuple[list[float], list[str], float, list[Write], int]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    category = message_category(url, tokens[0][1]) if writes else ""
    workloads = [
        Workload(f"{host}:{port}", tokens[i % len(tokens)], paths, writes, category, i)
        for i in range(clients)
    ]
    latencies: list[float] = []
    errors: list[str] = []
    acknowledged: list[Write] = []
    warm_latencies: list[float] = []
    # Warm-up (connections, caches), not counted; its writes are checked too.
    warm_stop = time.perf_counter() + min(1.0, duration / 5)
    await asyncio.gather(
        *(
            client(host, port, w, warm_stop, warm_latencies, [], acknowledged)
            for w in workloads[: max(1, clients // 4)]
        )
    )
    started = time.perf_counter()
    stop_at = started + duration
    await asyncio.gather(
        *(client(host, port, w, stop_at, latencies, errors, acknowledged) for w in workloads)
    )
    elapsed = time.perf_counter() - started
    return latencies, errors, elapsed, acknowledged, len(warm_latencies)


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def python_load(
    url: str, tokens: list[tuple[str, str]], clients: int, duration: float, paths: list[str],
    writes: float,
) -> dict[str, Any]:  # fmt: skip
    """The Python generator (asyncio streams): the mixed load, or the fallback."""
    self_before = resource.getrusage(resource.RUSAGE_SELF)
    latencies, errors, elapsed, acknowledged, warm_requests = asyncio.run(
        drive(url, tokens, clients, duration, paths, writes)
    )
    client_cpu = cpu_seconds(resource.getrusage(resource.RUSAGE_SELF), self_before)
    latencies.sort()
    return {
        "requests": len(latencies),
        "elapsed": elapsed,
        "latency": {
            "p50": percentile(latencies, 0.50),
            "p90": percentile(latencies, 0.90),
            "p99": percentile(latencies, 0.99),
            "max": latencies[-1] if latencies else float("nan"),
        },
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "acknowledged": acknowledged,
        "warm_requests": warm_requests,
        "client_cpu": client_cpu,
    }


def cpu_seconds(after: resource.struct_rusage, before: resource.struct_rusage) -> float:
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
