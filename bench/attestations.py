"""Attestation bench.

1. `ameli attestation batch` for N NIRs (default 1,000 synthetic assurés) against
   `ameli sandbox serve` on loopback: wall time, PDFs per second, CPU a document all
   included (the batch, its page-drawing workers, the server), peak RSS/PSS.
   Targets (issue 18): <= 4 s, <= 6 ms of CPU a document and <= 120 MB for 1,000.
   `--foreign-share` (default 5 %) of the assurés get a name Helvetica cannot print
   (Łukasz NGUYỄN, Greek, Cyrillic…), whose page embeds a font.
2. One page's render time (median) with `render.pdf` against bare fpdf2 drawing the
   same text: in a core font (cannot print ł or ễ), with the full DejaVu Sans loaded by
   `add_font` for each document, and with segno's default QR (best of 8 masks) drawn
   one `rect()` per module.

    python bench/attestations.py [--count 1000] [--concurrency 8] [--runs 41]
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, deadline: float = 20.0) -> None:
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("the service did not start")


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of a process and of every process under it, those alive now (a
    server's workers: granian serves from child processes)."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            total += process_cpu_s(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def tree_memory_mb(pid: int, cpu_seen: dict[int, float] | None = None) -> tuple[float, float]:
    """(RSS of the process itself, PSS summed over it and its children), in MB. PSS
    shares each page among the processes mapping it: forked workers' shared pages
    count once, so the sum is the memory really used. `cpu_seen` gets each process's
    CPU seconds so far (the last sample before it ends is kept)."""
    own_rss = 0
    total_pss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            if current == pid:
                status = Path(f"/proc/{current}/status").read_text()
                line = next(x for x in status.splitlines() if x.startswith("VmRSS"))
                own_rss = int(line.split()[1])
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            line = next(x for x in rollup.splitlines() if x.startswith("Pss:"))
            total_pss += int(line.split()[1])
            if cpu_seen is not None:
                cpu_seen[current] = process_cpu_s(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return own_rss / 1024, total_pss / 1024


# Names Helvetica cannot print (windows-1252): their pages embed a DejaVu cut. Real
# lists have some; the synthetic assurés are all `TEST00042 Camille` otherwise.
FOREIGN_NAMES = (
    ("NGUYỄN", "Łukasz"),
    ("ΠΑΠΑΔΟΠΟΥΛΟΣ", "Δημήτρης"),
    ("ИВАНОВА", "Мария"),
    ("POPESCU", "Ștefan"),
    ("DVOŘÁK", "Jiří"),
    ("YILMAZ", "Ağrı"),
)


def name_some_foreign(conn: Any, nirs: list[str], share: float) -> int:
    """Give `share` of the assurés (spread evenly) a name from FOREIGN_NAMES, on the
    account and its beneficiary line; how many."""
    step = round(1 / share) if share > 0 else 0
    chosen = nirs[::step] if step else []
    with conn:
        for n, nir in enumerate(chosen):
            last, first = FOREIGN_NAMES[n % len(FOREIGN_NAMES)]
            account = conn.execute("SELECT id FROM accounts WHERE nir = ?", (nir,)).fetchone()[0]
            conn.execute(
                "UPDATE accounts SET last_name = ?, first_names = ? WHERE id = ?",
                (last, first, account),
            )
            conn.execute(
                "UPDATE beneficiaries SET last_name = ?, first_names = ? WHERE account_id = ?",
                (last, first, account),
            )
    return len(chosen)


@dataclass
class Served:
    """`sandbox serve` over a database of N synthetic assurés, an agent signed in,
    their NIRs in `source`: what a batch bench runs against."""

    ameli: list[str]  # the command line of `ameli` (the tree's code, by PYTHONPATH)
    env: dict[str, str]
    home: Path  # the commands' working directory and user dirs
    url: str
    server: subprocess.Popen[bytes]
    source: Path
    foreign: int  # assurés given a name Helvetica cannot print


@contextmanager
def served_assures(
    count: int, tree: Path | None = None, foreign_share: float = 0.05
) -> Iterator[Served]:
    from ameli_sandbox.app import open_database
    from ameli_sandbox.features.attestations import add_synthetic_assures
    from ameli_sandbox.people import PEOPLE

    ameli = [sys.executable, "-m", "ameli_cli"]
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        for name in ("CONFIG", "DATA", "CACHE"):
            env[f"AMELI_{name}_DIR"] = str(Path(home) / name.lower())
        for name in ("AMELI_TOKEN", "AMELI_BACKEND", "AMELI_PROFILE"):
            env.pop(name, None)
        # Compiled modules cached as users have them (not recompiled in every process).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if tree is not None:  # another checkout's code (before/after in one run)
            env["PYTHONPATH"] = str(tree)
        # Commands run in `home`: `python -m` puts the working directory first on
        # sys.path, which would shadow PYTHONPATH with the checkout the bench runs in.
        conn = open_database(Path(home) / "data" / "sandbox.sqlite3")
        nirs = add_synthetic_assures(conn, count)
        foreign = name_some_foreign(conn, nirs, foreign_share)
        conn.close()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*ameli, "sandbox", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=home,
        )
        try:
            wait_for(port)
            agent = next(p for p in PEOPLE if p.role == "agent")
            login = ["login", "--nir", agent.nir, "--password-stdin", "--insecure-storage"]
            subprocess.run(
                [*ameli, "--backend", url, *login],
                input=agent.password,
                env=env,
                cwd=home,
                text=True,
                capture_output=True,
                check=True,
            )
            source = Path(home) / "nirs.txt"
            source.write_text("\n".join(nirs) + "\n")
            yield Served(ameli, env, Path(home), url, server, source, foreign)
        finally:
            server.terminate()
            server.wait(10)


def batch_bench(
    count: int, concurrency: int, tree: Path | None = None, foreign_share: float = 0.05
) -> dict[str, Any]:
    with served_assures(count, tree, foreign_share) as served:
        ameli, env, home, url = served.ameli, served.env, served.home, served.url
        server, source, foreign = served.server, served.source, served.foreign
        out = Path(home) / "out"
        command = [*ameli, "--backend", url, "attestation", "batch", "--input", str(source)]
        command += ["--out-dir", str(out), "--concurrency", str(concurrency)]
        server_cpu_before = tree_cpu_s(server.pid)  # its start and the sign-in
        started = time.perf_counter()
        import threading

        peak_main = peak_tree = 0.0
        cpu_seen: dict[int, float] = {}
        # (seconds, PDFs written so far, batch RSS, PSS of the batch and its
        # workers) every 1.5 s: whether memory grows with the count, or levels off.
        over_time: list[tuple[float, int, float, float]] = []
        with open(os.devnull, "wb") as sink:
            process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink, cwd=home)
            finished = threading.Event()

            def sample() -> None:
                nonlocal peak_main, peak_tree
                ticks = 0
                while not finished.wait(0.02):
                    main, tree = tree_memory_mb(process.pid, cpu_seen)
                    peak_main, peak_tree = max(peak_main, main), max(peak_tree, tree)
                    ticks += 1
                    if ticks % 75 == 0 and out.is_dir():
                        done = sum(1 for e in os.scandir(out) if e.name.endswith(".pdf"))
                        seconds = round(time.perf_counter() - started, 1)
                        over_time.append((seconds, done, round(main, 1), round(tree, 1)))

            sampler = threading.Thread(target=sample)
            sampler.start()
            _, status, usage = os.wait4(process.pid, 0)
            finished.set()
            sampler.join()
        wall = time.perf_counter() - started
        server_cpu = tree_cpu_s(server.pid)
        pdfs = len(list(out.glob("*.pdf")))
        # A re-run finds every file complete: the resume path.
        started = time.perf_counter()
        again = subprocess.run(command, env=env, capture_output=True, cwd=home)
        if again.returncode != 0:
            raise RuntimeError(f"re-run failed: {again.stderr.decode()[-500:]}")
        rerun = time.perf_counter() - started
    return {
        "count": count,
        "foreign_names": foreign,
        "concurrency": concurrency,
        "exit_status": os.waitstatus_to_exitcode(status),
        "pdfs": pdfs,
        "wall_s": round(wall, 2),
        "pdfs_per_s": round(pdfs / wall, 1),
        # Sampled every 20 ms: the batch process's own RSS, and the PSS of it and its
        # page-drawing workers together; getrusage's figure is the largest process.
        "peak_rss_main_mb": round(peak_main, 1),
        "peak_pss_all_processes_mb": round(peak_tree, 1),
        "peak_rss_getrusage_mb": round(usage.ru_maxrss / 1024, 1),
        # CPU seconds: what the wall time would approach on an idle machine.
        # (wait4 counts the reaped page-drawing workers too.)
        "batch_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "cpu_ms_per_document_all_included": round(
            (usage.ru_utime + usage.ru_stime + server_cpu) * 1000 / max(pdfs, 1), 2
        ),
        "server_cpu_s": round(server_cpu, 2),
        # Of which during the batch (without its start and the sign-in's scrypt).
        "server_cpu_during_batch_s": round(server_cpu - server_cpu_before, 2),
        # Sampled: the batch process, then its page-drawing workers (a lower bound).
        "cpu_s_by_process_sampled": [
            round(cpu_seen[p], 2) for p in sorted(cpu_seen, key=lambda p: p != process.pid)
        ],
        "load_average_1m": round(os.getloadavg()[0], 2),
        "rerun_all_skipped_s": round(rerun, 2),
        "memory_over_time_s_pdfs_rss_pss": over_time,
    }


def sample_envelope(key: str) -> dict[str, Any]:
    """A signed attestation from a fresh embedded sandbox."""
    from ameli_sandbox.app import create_app
    from ameli_sandbox.attestation_documents import build_droits
    from ameli_sandbox.features.attestations import sign
    from ameli_sandbox.people import PEOPLE

    with tempfile.TemporaryDirectory() as home:
        db = str(Path(home) / "s.sqlite3")
        app = create_app(db)
        conn = app.state.db
        who = next(p for p in PEOPLE if p.key == key)
        account = conn.execute("SELECT * FROM accounts WHERE nir = ?", (who.nir,)).fetchone()
        document = build_droits(conn, account, None)
        envelope = {"attestation": document, "signature": sign(conn, db, document)}
        conn.close()
    return envelope


def page_lines(document: Any) -> list[str]:
    from ameli_cli.render import pdf_model as model

    lines: list[str] = [document.banner, *document.header_lines]
    for block in document.blocks:
        if isinstance(block, model.Heading | model.Paragraph | model.Notice):
            lines.append(block.text)
        elif isinstance(block, model.Fields):
            lines += [f"{label}  {value}" for label, value in block.rows]
        elif isinstance(block, model.Table):
            lines += ["  ".join(block.headers), *("  ".join(row) for row in block.rows)]
    return lines + list(document.footer_lines)


def bare_fpdf2(document: Any, *, font: str, qr: bool) -> bytes:
    """Plain fpdf2: the page's lines with `text()`, optionally segno's default QR one
    `rect()` per dark module."""
    import segno
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(document.created)
    if font == "core":
        pdf.core_fonts_encoding = "windows-1252"
        pdf.set_font("helvetica", size=9.5)
    else:
        pdf.add_font("dejavu", "", str(DEJAVU / "DejaVuSans.ttf"))
        pdf.add_font("dejavu", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
        pdf.set_font("dejavu", size=9.5)
    pdf.add_page()
    y = 20.0
    for line in page_lines(document):
        if font == "core":
            line = line.encode("cp1252", "replace").decode("cp1252")
        pdf.text(18, y, line)
        y += 4.5
    if qr and document.qr_text:
        code = segno.make(document.qr_text, error="m")
        size = 42 / len(code.matrix)
        pdf.set_fill_color(0)
        for r, row in enumerate(code.matrix):
            for c, dark in enumerate(row):
                if dark:
                    pdf.rect(150 + c * size, 18 + r * size, size, size, style="F")
    return bytes(pdf.output())


def median_ms(function: Any, runs: int) -> float:
    function()  # warm up: imports, caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def render_bench(runs: int) -> dict[str, Any]:
    from ameli_cli.render.attestation_pdf import attestation_document, render_attestation

    results: dict[str, Any] = {}
    for key, label in (("famille", "french"), ("alsace", "lukasz_nguyen")):
        envelope = sample_envelope(key)
        document = attestation_document(envelope)
        results[label] = {
            "ameli_render_ms": median_ms(lambda e=envelope: render_attestation(e), runs),
            "bare_core_font_no_qr_ms": median_ms(
                lambda d=document: bare_fpdf2(d, font="core", qr=False), runs
            ),
            "bare_core_font_default_qr_ms": median_ms(
                lambda d=document: bare_fpdf2(d, font="core", qr=True), runs
            ),
            "bare_full_dejavu_default_qr_ms": median_ms(
                lambda d=document: bare_fpdf2(d, font="dejavu", qr=True), max(runs // 4, 5)
            ),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-render", action="store_true")
    parser.add_argument(
        "--tree",
        action="append",
        type=Path,
        help="a checkout (ameli_cli/ ameli_sandbox/ ameli_rules/) to batch with, repeatable:"
        " the trees' batches alternate (A, B, A, B…) --rounds times",
    )
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--foreign-share",
        type=float,
        default=0.05,
        help="share of assurés given a name Helvetica cannot print (Łukasz NGUYỄN…)",
    )
    args = parser.parse_args()
    report: dict[str, Any] = {}
    if not args.skip_render:
        report["render"] = render_bench(args.runs)
    if not args.skip_batch:
        trees = args.tree or [None]
        runs: dict[str, list[dict[str, Any]]] = {str(t or "."): [] for t in trees}
        for _ in range(args.rounds):
            for tree in trees:
                runs[str(tree or ".")].append(
                    batch_bench(args.count, args.concurrency, tree, args.foreign_share)
                )
        report["batch"] = runs
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
