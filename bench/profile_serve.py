"""cProfile of `ameli sandbox serve --workers 1` for a while, then the top functions.

    python bench/profile_serve.py [--port 8799] [--seconds 14] [--sort tottime]
    # meanwhile, in another shell (DATA: the AMELI_DATA_DIR printed at start):
    python bench/load.py --url http://127.0.0.1:8799 --db DATA/sandbox.sqlite3 --writes 0.2

The server runs in this process with private temporary data (and a large messages
quota, as load.py gives its own server); after --seconds the profile is written to
serve.prof in the temporary directory and printed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import threading
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--seconds", type=float, default=14.0)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="ameli-profile-"))
    for name in ("CONFIG", "DATA", "CACHE"):
        os.environ[f"AMELI_{name}_DIR"] = str(home / name.lower())
    os.environ.pop("AMELI_BACKEND", None)
    os.environ["AMELI_SANDBOX_MESSAGES_QUOTA"] = "1000000"
    print(f"AMELI_DATA_DIR={home / 'data'}", flush=True)
    from ameli_cli.__main__ import run

    profile = cProfile.Profile()

    def stop() -> None:
        profile.disable()
        out = home / "serve.prof"
        profile.dump_stats(out)
        pstats.Stats(str(out)).sort_stats(args.sort).print_stats(args.top)
        os._exit(0)  # uvicorn holds the main thread

    threading.Timer(args.seconds, stop).start()
    profile.enable()
    run(["sandbox", "serve", "--port", str(args.port), "--workers", "1", "--no-access-log"])


if __name__ == "__main__":
    main()
