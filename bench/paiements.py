"""Payments bench: `ameli paiements list --all --json` over 10,000 and 100,000 lines of
one account, on the embedded sandbox and over loopback HTTP (`ameli sandbox serve`),
with `python -c "import typer"` measured in the same run as the yardstick.

The lines are the `ij` account's seeded history copied, with new ids and payment
dates spread over the three years, into a private database (nothing of yours is
touched).

    python bench/paiements.py [--runs 5] [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

LIST = ["paiements", "list", "--all", "--since", "2000-01-01", "--json"]


def median_ms(command: list[str], env: dict[str, str], runs: int) -> tuple[float, str]:
    out = subprocess.run(command, env=env, capture_output=True, check=True, text=True).stdout
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), out


def grow(db: Path, nir: str, total: int) -> int:
    """Copy the account's lines until it holds `total`; returns the count."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    account = conn.execute("SELECT id FROM accounts WHERE nir = ?", (nir,)).fetchone()[0]
    seeded = conn.execute(
        "SELECT seq FROM payments WHERE account_id = ? AND id NOT LIKE 'bench%' ORDER BY seq",
        (account,),
    ).fetchall()
    have = conn.execute(
        "SELECT COUNT(*) FROM payments WHERE account_id = ?", (account,)
    ).fetchone()[0]
    conn.execute("BEGIN")
    copy = 0
    while have < total:
        batch = min(total - have, len(seeded))
        conn.execute(
            "INSERT INTO payments (account_id, id, payment_date, care_date, care_end_date,"
            " beneficiary_rank, beneficiary_name, professional_name, professional_specialty,"
            " act_code, act_label, kind, quantity, daily_amount, amount_paid, base, rate,"
            " amount_reimbursed, participation_forfaitaire, franchise, paid_to)"
            " SELECT account_id, printf('bench%d_%d', ?, seq),"
            " date(payment_date, printf('-%d days', (seq * 7 + ?) % 1000)),"
            " date(care_date, printf('-%d days', (seq * 7 + ?) % 1000)), care_end_date,"
            " beneficiary_rank, beneficiary_name, professional_name, professional_specialty,"
            " act_code, act_label, kind, quantity, daily_amount, amount_paid, base, rate,"
            " amount_reimbursed, participation_forfaitaire, franchise, paid_to"
            " FROM payments WHERE account_id = ? AND id NOT LIKE 'bench%' ORDER BY seq LIMIT ?",
            (copy + have, copy, copy, account, batch),
        )
        have += batch
        copy += 1
    conn.execute("COMMIT")
    conn.close()
    return have


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    python = sys.executable
    ameli = [python, "-m", "ameli_cli"]
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        for name in ("CONFIG", "DATA", "CACHE"):
            env[f"AMELI_{name}_DIR"] = str(Path(home) / name.lower())
        for var in ("AMELI_TOKEN", "AMELI_BACKEND", "AMELI_PROFILE"):
            env.pop(var, None)
        accounts = json.loads(
            subprocess.run(
                [*ameli, "sandbox", "accounts", "--json"],
                env=env,
                capture_output=True,
                check=True,
                text=True,
            ).stdout
        )
        account = next(a for a in accounts if "indemnités" in a["description"])
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*ameli, "sandbox", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    urllib.request.urlopen(f"{url}/v1/meta", timeout=1).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            for profile, backend in (("default", "sandbox"), ("loop", url)):
                subprocess.run(
                    [
                        *ameli,
                        "login",
                        "--nir",
                        account["nir"],
                        "--password-stdin",
                        "--insecure-storage",
                        "--profile",
                        profile,
                        "--backend",
                        backend,
                    ],
                    input=account["password"],
                    env=env,
                    capture_output=True,
                    check=True,
                    text=True,
                )
            typer_ms, _ = median_ms([python, "-c", "import typer"], env, args.runs)
            print(f"payments bench, median of {args.runs} runs each")
            print(f'  python -c "import typer"                 {typer_ms:8.1f} ms  1.00x')
            db = Path(home) / "data" / "sandbox.sqlite3"
            for size in sizes:
                lines = grow(db, account["nir"], size)
                for label, extra in (
                    ("embedded", []),
                    ("loopback", ["--profile", "loop", "--backend", url]),
                ):
                    ms, out = median_ms([*ameli, *LIST, *extra], env, args.runs)
                    assert len(json.loads(out)) == lines, "not every line came back"
                    print(
                        f"  list --all --json, {lines:>7,} lines, {label:8}"
                        f" {ms:8.1f} ms  {ms / typer_ms:5.1f}x"
                        f"  ({lines / ms * 1000:,.0f} lines/s)"
                    )
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
