"""Drawing the pages of `ameli attestation batch`: CPU work (about 7 ms a page, half
of it the QR code), done by a few forked workers for a big batch on several cores,
else in a thread; and how a re-run knows a page is already done."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def complete(path: Path) -> bool:
    """A PDF that a previous run finished (files are renamed into place when whole)."""
    try:
        with path.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                return False
            handle.seek(-32, 2)
            return b"%%EOF" in handle.read()
    except OSError:
        return False


def render_to_file(envelope: dict[str, Any], path: str) -> None:
    """Draw one attestation and write it atomically (run in a worker or a thread)."""
    from ameli_cli.render.attestation_pdf import render_attestation
    from ameli_cli.runtime.private_files import write_atomic

    write_atomic(Path(path), render_attestation(envelope), private=False)


POOL_THRESHOLD = 50  # below this, forking workers costs more than it saves
MAX_WORKERS = 4


def _worker_init() -> None:
    import signal

    # Ctrl-C is the parent's to handle; and a worker dies with its parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


def _ready(_: int) -> bool:
    return True


def renderer_pool(entries: int, concurrency: int) -> Any:
    """Forked page-drawing workers, or None when one core or a small batch."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    workers = min(cores, concurrency, MAX_WORKERS)
    if workers < 2 or entries < POOL_THRESHOLD:
        return None
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        return None
    # Loaded once here, shared by the forked workers (copy-on-write): the drawing
    # modules, fpdf2, the QR encoder, and the renderer id (an importlib.metadata scan).
    import fpdf  # noqa: F401
    import zxingcpp  # noqa: F401

    import ameli_cli.render.pdf  # noqa: F401
    from ameli_cli.render.attestation_pdf import renderer_id

    renderer_id()

    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init)
    # Start the workers now, before the event loop and its threads exist.
    list(pool.map(_ready, range(workers)))
    return pool
