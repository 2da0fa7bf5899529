"""Where the memory of `ameli attestation batch` goes: the batch process run under
`tracemalloc`, one snapshot when a quarter of the PDFs are written (everything
imported, the caches warm) and one at its end, and the allocations that grew between
the two, by traceback. A batch whose memory does not grow with the count shows
nothing here but noise (issue 18: this is how pathlib's interning of each file name
was found). The page-drawing workers are not traced (tracemalloc stops in them).

    python bench/batch_memory.py [--count 6000] [--top 8] [--tree DIR]

Much slower than a plain batch (tracemalloc keeps 12 frames of every allocation).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from attestations import served_assures  # bench/ is the script's directory: on sys.path

# Runs `ameli` in the batch process with tracemalloc on; argv: count, top, the
# report's path, then ameli's own arguments.
CHILD = r"""
import os, runpy, sys, threading, time, tracemalloc
count, top, report = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
out = sys.argv[sys.argv.index("--out-dir") + 1]
tracemalloc.start(12)
os.register_at_fork(after_in_child=tracemalloc.stop)
first = []
pid = os.getpid()

def watch():
    while True:
        time.sleep(0.1)
        try:
            done = sum(1 for e in os.scandir(out) if e.name.endswith(".pdf"))
        except OSError:
            continue
        if done >= count // 4:
            first.append((done, tracemalloc.take_snapshot(), tracemalloc.get_traced_memory()[0]))
            return

def compare():
    if os.getpid() != pid or not first:
        return
    done, snapshot, traced = first[0]
    end = tracemalloc.take_snapshot()
    with open(report, "w") as f:
        f.write(f"traced at {done} PDFs: {traced / 1e6:.2f} MB; at the end ({count}):"
                f" {tracemalloc.get_traced_memory()[0] / 1e6:.2f} MB\n")
        for stat in end.compare_to(snapshot, "traceback")[:top]:
            f.write(f"\n{stat.size_diff:+,} B in {stat.count_diff:+,} blocks\n")
            for line in stat.traceback.format()[-8:]:
                f.write(f"  {line}\n")

import atexit
atexit.register(compare)
threading.Thread(target=watch, daemon=True).start()
sys.argv = ["ameli", *sys.argv[4:]]
runpy.run_module("ameli_cli", run_name="__main__")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=6000)
    parser.add_argument("--top", type=int, default=8, help="allocation sites to show")
    parser.add_argument("--tree", type=Path, help="another checkout's code")
    args = parser.parse_args()
    with served_assures(args.count, args.tree, foreign_share=0) as served:
        report = served.home / "memory.txt"
        out = served.home / "out"
        command = [sys.executable, "-c", CHILD, str(args.count), str(args.top), str(report)]
        command += ["--backend", served.url, "attestation", "batch"]
        command += ["--input", str(served.source), "--out-dir", str(out)]
        started = time.perf_counter()
        done = subprocess.run(command, env=served.env, cwd=served.home, capture_output=True)
        print(
            f"batch of {args.count} under tracemalloc: exit {done.returncode},"
            f" {time.perf_counter() - started:.1f} s"
        )
        print(report.read_text() if report.exists() else "no report: the batch ended early")


if __name__ == "__main__":
    main()
