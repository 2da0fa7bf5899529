"""Messages bench: medians of `ameli message send` (text only, and with the largest
allowed load: 5 attachments of 5 MB), `message list`, `message show` and
`message outbox` on the embedded sandbox, with `python -c "import typer"` measured in
the same run as the yardstick. Everything runs in private temporary dirs.

    python bench/messages.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_ms(command: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    ameli = [sys.executable, "-m", "ameli_cli"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = dict(
            os.environ,
            AMELI_CONFIG_DIR=str(root / "c"),
            AMELI_DATA_DIR=str(root / "d"),
            AMELI_CACHE_DIR=str(root / "k"),
            AMELI_LANG="fr",
        )
        env.pop("AMELI_BACKEND", None)
        accounts = json.loads(
            subprocess.run(
                [*ameli, "sandbox", "accounts", "--json"], env=env, capture_output=True, check=True
            ).stdout
        )
        ij = next(a for a in accounts if a["nir"].startswith("191"))
        subprocess.run(
            [*ameli, "login", "--nir", ij["nir"], "--password-stdin", "--insecure-storage"],
            input=ij["password"].encode(),
            env=env,
            capture_output=True,
            check=True,
        )
        subprocess.run([*ameli, "message", "categories"], env=env, check=True, capture_output=True)
        attachments: list[str] = []
        for i in range(5):
            path = root / f"scan{i}.pdf"
            path.write_bytes(b"%PDF-1.4\n" + os.urandom(5 * 1024 * 1024 - 16))
            attachments += ["--attach", str(path)]
        send = [*ameli, "message", "send", "-c", "autre", "-s", "Bench", "-b", "Texte"]
        rows = {
            'python -c "import typer"': median_ms(
                [sys.executable, "-c", "import typer"], env, runs
            ),
            "message send (texte)": median_ms(send, env, runs),
            "message send (5 x 5 Mo)": median_ms([*send, *attachments], env, max(3, runs // 2)),
            "message list": median_ms([*ameli, "message", "list"], env, runs),
            "message outbox (vide)": median_ms([*ameli, "message", "outbox"], env, runs),
        }
        conversation = json.loads(
            subprocess.run(
                [*ameli, "message", "list", "--json"], env=env, capture_output=True, check=True
            ).stdout
        )[0]["id"]
        rows["message show"] = median_ms([*ameli, "message", "show", conversation], env, runs)
    base = rows['python -c "import typer"']
    width = max(len(k) for k in rows)
    for name, ms in rows.items():
        print(f"{name.ljust(width)}  {ms:7.0f} ms  {ms / base:5.1f}x")


if __name__ == "__main__":
    main()
