"""cProfile (CPU clock) of the service as `ameli sandbox serve` runs it, under load.

    python bench/profile_serve.py [--writes 0.2] [--seconds 10] [--sort tottime]

The app `sandbox serve` builds in a worker (serve.Served) is served by granian in
this process (granian's embedded server: same Rust HTTP side, same ASGI calls), with
private temporary data and a large messages quota, as load.py gives its own server.
bench/load.py drives it meanwhile: the read mix (wrk when installed) or, with
--writes, the mixed load. The profile counts the CPU time of the thread running the
app (`time.thread_time`): waiting does not count, nor granian's Rust threads.
Sign-in (scrypt, ~70 ms a call) is in the profile too: read it apart.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def drive(url: str, db: Path, args: argparse.Namespace, stop: Any) -> None:
    """Wait for the port, run the load, then stop the server."""
    port = int(url.rsplit(":", 1)[1])
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    command = [
        *(sys.executable, str(BENCH / "load.py"), "--url", url, "--db", str(db)),
        *("--writes", str(args.writes), "--clients", str(args.clients)),
        *("--duration", str(args.seconds)),
    ]
    subprocess.run(command, check=False)
    stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of load")
    parser.add_argument("--writes", type=float, default=0.0, help="share of writes (mixed load)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--access-log", action="store_true", help="with the access log")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="ameli-profile-"))
    for name in ("CONFIG", "DATA", "CACHE"):
        os.environ[f"AMELI_{name}_DIR"] = str(home / name.lower())
    os.environ.pop("AMELI_BACKEND", None)
    os.environ["AMELI_SANDBOX_MESSAGES_QUOTA"] = "1000000"
    if args.access_log:  # the lines to a file, as load.py --access-log does
        import logging

        handler = logging.FileHandler(home / "access.log")
        logging.getLogger("ameli.sandbox.access").addHandler(handler)
        logging.getLogger("ameli.sandbox.access").setLevel(logging.INFO)
    from granian.constants import HTTPModes, Interfaces
    from granian.server.embed import Server

    from ameli_sandbox.app import open_database
    from ameli_sandbox.serve import Served

    db = home / "data" / "sandbox.sqlite3"
    open_database(db).close()
    port = free_port()
    server = Server(
        Served(str(db), args.access_log),
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGI,
        http=HTTPModes.http1,
        websockets=False,
    )
    loop = asyncio.new_event_loop()
    with_uvloop = "uvloop" in sys.modules or _try_uvloop()
    if with_uvloop:
        import uvloop

        loop = uvloop.new_event_loop()
    asyncio.set_event_loop(loop)
    url = f"http://127.0.0.1:{port}"
    driver = threading.Thread(
        target=drive, args=(url, db, args, lambda: loop.call_soon_threadsafe(server.stop))
    )
    profile = cProfile.Profile(time.thread_time)
    driver.start()
    profile.enable()
    loop.run_until_complete(server.serve())
    profile.disable()
    driver.join()
    out = home / "serve.prof"
    profile.dump_stats(out)
    print(f"profile: {out} (uvloop: {with_uvloop})")
    pstats.Stats(str(out)).sort_stats(args.sort).print_stats(args.top)


def _try_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
