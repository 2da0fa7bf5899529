"""Mailbox bench (issue 13): does one large mailbox cost more to list, or slow others?

1. `GET /v1/messages` (first page, 20 conversations) p50/p99 against `ameli sandbox
   serve` on loopback, for one assuré holding 10, 1,000 and 3,000 conversations.
   Target: p99 <= 20 ms at 3,000.
2. Another assuré's `GET /v1/me` (p50/p99) while 4 clients list that 3,000-conversation
   mailbox as fast as they can.

The conversations are written with the service's own storage functions (an assuré's
message, the caisse's acknowledgement, its reply once due), straight into the
database before the server starts. Everything runs in a private temporary dir.

    python bench/mailbox.py [--requests 400] [--sizes 10,1000,3000]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx

AMELI = [sys.executable, "-m", "ameli_cli"]
MAILBOX_OWNER = "css"
BYSTANDER = "ald"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fill_mailbox(db: Path, nir: str, count: int) -> None:
    from ameli_sandbox import clock
    from ameli_sandbox.app import open_database
    from ameli_sandbox.mailbox import store as message_store

    conn = open_database(db)
    account = conn.execute("SELECT id FROM accounts WHERE nir = ?", (nir,)).fetchone()["id"]
    have = conn.execute(
        "SELECT count(*) FROM message_conversations WHERE account_id = ?", (account,)
    ).fetchone()[0]
    now = clock.now(conn)
    conn.execute("BEGIN IMMEDIATE")
    for i in range(have, count):
        at = now - timedelta(days=30, minutes=i)
        conversation = message_store.store_conversation(conn, account, "autre", f"Sujet {i}", at)
        message_store.store_assure_message(
            conn, conversation, account, f"Message {i}", [], None, at
        )
    conn.execute("COMMIT")
    conn.close()


def serve(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        AMELI_CONFIG_DIR=str(home / "c"),
        AMELI_DATA_DIR=str(home / "d"),
        AMELI_CACHE_DIR=str(home / "k"),
    )
    process = subprocess.Popen(
        [*AMELI, "sandbox", "serve", "--port", str(port), "--no-access-log", "--login-rate", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start")


def sign_in(url: str, key: str) -> dict[str, str]:
    from ameli_sandbox.people import PEOPLE

    who = next(p for p in PEOPLE if p.key == key)
    r = httpx.post(f"{url}/v1/auth/login", json={"nir": who.nir, "password": who.password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def timed(client: httpx.Client, path: str, headers: dict[str, str], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        client.get(path, headers=headers).raise_for_status()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(label: str, samples: list[float]) -> None:
    print(
        f"{label:<44} p50 {statistics.median(samples):7.2f} ms   p99 {p(samples, 0.99):7.2f} ms"
        f"   ({len(samples)} requests)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--sizes", default="10,1000,3000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    from ameli_sandbox.people import PEOPLE

    owner = next(p for p in PEOPLE if p.key == MAILBOX_OWNER)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        db = home / "d" / "sandbox.sqlite3"
        for size in sizes:
            fill_mailbox(db, owner.nir, size)
            port = free_port()
            server = serve(home, port)
            url = f"http://127.0.0.1:{port}"
            try:
                headers = sign_in(url, MAILBOX_OWNER)
                with httpx.Client(base_url=url) as client:
                    timed(client, "/v1/messages", headers, 20)  # replies due are delivered
                    report(
                        f"GET /v1/messages, {size} conversations",
                        timed(client, "/v1/messages", headers, args.requests),
                    )
                if size == sizes[-1]:
                    contention(url, headers, sign_in(url, BYSTANDER), args.requests)
            finally:
                server.terminate()
                server.wait(20)


def contention(url: str, owner: dict[str, str], other: dict[str, str], count: int) -> None:
    stop = threading.Event()

    def lister() -> None:
        with httpx.Client(base_url=url) as client:
            while not stop.is_set():
                client.get("/v1/messages", headers=owner)

    threads = [threading.Thread(target=lister) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        with httpx.Client(base_url=url) as client:
            samples = timed(client, "/v1/me", other, count // 4)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    report("another assuré's GET /v1/me, 4 listing", samples)


if __name__ == "__main__":
    main()
