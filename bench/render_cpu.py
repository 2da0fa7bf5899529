"""CPU time to draw one attestation page (`render_attestation`), per document.

CPU time (time.process_time) rather than wall time: the bench machine is shared and
loaded, and CPU time is what a page costs whatever the load. Each sample is a fresh
`python` process drawing --pages pages of a signed envelope (French names and
Łukasz NGUYỄN alternately) after one warm-up page; the figure is the median of the
samples' CPU per page. With several --tree, the trees' samples are interleaved
(A, B, A, B…) in one run, so their ratio is not skewed by a change of load.

    python bench/render_cpu.py [--tree DIR ...] [--samples 7] [--pages 40]

--tree is a directory holding ameli_cli/ ameli_sandbox/ ameli_rules/ (e.g. an older
commit: `git archive OLD ameli_cli ameli_sandbox ameli_rules | tar -x -C /tmp/old`);
default: this checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
pages = int(sys.argv[1])
from ameli_sandbox.app import create_app
from ameli_sandbox.attestation_documents import build_droits
from ameli_sandbox.features.attestations import sign
from ameli_sandbox.people import PEOPLE
envelopes = []
with tempfile.TemporaryDirectory() as home:
    db = str(Path(home) / "s.sqlite3")
    conn = create_app(db).state.db
    for who in PEOPLE:
        account = conn.execute("SELECT * FROM accounts WHERE nir = ?", (who.nir,)).fetchone()
        try:
            document = build_droits(conn, account, None)
        except Exception:
            continue
        envelopes.append({"attestation": document, "signature": sign(conn, db, document)})
    conn.close()
from ameli_cli.render.attestation_pdf import render_attestation
render_attestation(envelopes[0])  # warm-up: imports, fonts
started = time.process_time()
for n in range(pages):
    render_attestation(envelopes[n % len(envelopes)])
cpu = time.process_time() - started
print(json.dumps({"cpu_ms_per_page": cpu * 1000 / pages, "envelopes": len(envelopes)}))
"""


def sample(tree: Path, pages: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(pages)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    ).stdout
    return float(json.loads(out.splitlines()[-1])["cpu_ms_per_page"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", action="append", type=Path)
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--pages", type=int, default=40)
    args = parser.parse_args()
    trees = [t.resolve() for t in (args.tree or [Path(__file__).resolve().parent.parent])]
    results: dict[Path, list[float]] = {t: [] for t in trees}
    for _ in range(args.samples):
        for tree in trees:
            results[tree].append(sample(tree, args.pages))
    report: dict[str, Any] = {
        str(tree): {"cpu_ms_per_page_median": round(statistics.median(values), 2)}
        for tree, values in results.items()
    }
    report["load_average_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
