"""Drawing the pages of `ameli attestation batch`: CPU work (about 5 ms a page), done
by forked workers (one per core by default, `--workers`) for a big batch, else in a
thread; each envelope's signature is checked against the published keys before its
page is drawn; and how a re-run knows a page is already done."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


def complete(path: str) -> bool:
    """A PDF that a previous run finished (files are renamed into place when whole)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(5) != b"%PDF-":
                return False
            handle.seek(-32, 2)
            return b"%%EOF" in handle.read()
    except OSError:
        return False


# key_id -> its record from /v1/keys (public_key, valid_until…)
Keys = dict[str, dict[str, Any]]


def render_to_file(envelope: dict[str, Any], path: str, keys: Keys) -> str | None:
    """Check the envelope's signature, then draw its page and write it atomically (in
    a worker or a thread). The error for the NDJSON line, or None when written."""
    from ameli_cli.domain.attestations import check_signature
    from ameli_cli.render.attestation_pdf import render_attestation
    from ameli_cli.runtime.private_files import write_atomic

    verdict = check_signature(envelope, keys)
    if verdict != "valid":
        return f"signature invalid ({verdict}): not signed by a key the service publishes"
    write_atomic(path, render_attestation(envelope), private=False)
    return None


def draw_lines(jobs: list[tuple[str, bytes, str]], keys: Keys) -> list[tuple[str, str | None]]:
    """For each (NIR, its line of `POST /v1/attestations/batch`, file): decode the
    line, check the signature, draw and write the page (in a worker or a thread). The
    (status, error) of each, for the NDJSON: ok, not_found or error.

    Each file is written (temporary name, fsync, rename) by a thread while the next
    page is drawn: the fsync waits for the disk (several ms on a busy one), not for
    the CPU, and a worker blocked on it would leave its core idle."""
    from ameli_cli.runtime.private_files import write_atomic

    pending: list[tuple[str, str | None] | Future[str]] = []
    for nir, line, path in jobs:
        drawn = _draw_line(nir, line, keys)
        if isinstance(drawn, bytes):
            pending.append(_writers().submit(write_atomic, path, drawn, private=False))
        else:
            pending.append(drawn)
    return [_outcome(item) for item in pending]


def _outcome(item: tuple[str, str | None] | Future[str]) -> tuple[str, str | None]:
    if not isinstance(item, Future):
        return item
    try:
        item.result()
    except OSError as exc:
        return "error", f"write failed: {exc.strerror or exc}"
    return "ok", None


def _writers() -> ThreadPoolExecutor:
    """This process's file-writing threads, made on first use. Kept by process id: a
    worker forked from a process that had them inherits the object, not its threads."""
    import os

    pid = os.getpid()
    if _WRITERS.get(pid) is None:
        _WRITERS.clear()
        _WRITERS[pid] = ThreadPoolExecutor(WRITERS, thread_name_prefix="attestation-write")
    return _WRITERS[pid]


_WRITERS: dict[int, ThreadPoolExecutor] = {}


WRITERS = 4  # files being written at once by a page-drawing process


def _draw_line(nir: str, line: bytes, keys: Keys) -> bytes | tuple[str, str | None]:
    """The page of one answer line, or the (status, error) that replaces it."""
    import json

    from ameli_cli.domain.attestations import check_signature, is_envelope
    from ameli_cli.render.attestation_pdf import render_attestation

    try:
        answer = json.loads(line)
    except ValueError:
        return "error", "the service's answer is not JSON"
    if not isinstance(answer, dict) or answer.get("nir") != nir:
        return "error", "the service's answer is for another NIR"
    problem = answer.get("problem")
    if isinstance(problem, dict):
        code, detail = str(problem.get("code")), str(problem.get("detail"))
        if problem.get("status") == 404 and code in ("not_found", "no_sick_pay"):
            return "not_found", detail
        return "error", f"{code}: {detail}"
    envelope: Any = answer.get("envelope")
    if not is_envelope(envelope):
        return "error", "the service's answer holds no signed attestation"
    try:
        verdict = check_signature(envelope, keys)
        if verdict != "valid":
            return (
                "error",
                f"signature invalid ({verdict}): not signed by a key the service publishes",
            )
        return render_attestation(envelope)
    except (KeyError, TypeError, ValueError):  # signed, yet not a page we can draw
        return "error", "the signed attestation lacks a field the page needs"


POOL_THRESHOLD = 50  # below this, forking workers costs more than it saves
MAX_WORKERS = 64


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


def cores() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def renderer_pool(entries: int, workers: int | None) -> Any:
    """Forked page-drawing workers, or None (pages drawn in a thread): `workers`
    processes when given (0: none), else one per core for a batch of some size."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if workers is None:
        workers = cores() if entries >= POOL_THRESHOLD else 0
        if workers < 2:
            return None
    if workers == 0:
        return None
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        return None
    # Loaded once here, shared by the forked workers (copy-on-write): the drawing
    # modules, fpdf2, the QR encoder, the signature check, and the renderer id (an
    # importlib.metadata scan).
    import fpdf  # noqa: F401
    import zxingcpp  # noqa: F401
    from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: F401

    import ameli_cli.render.pdf  # noqa: F401
    from ameli_cli.render.attestation_pdf import renderer_id

    renderer_id()

    # Objects made so far stay out of the collector's sight: its passes in a worker
    # would write to them (reference counts, GC links) and copy the parent's pages,
    # growing each worker's private memory over a long batch.
    import gc

    gc.freeze()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init)
    # Start the workers now, before the event loop and its threads exist.
    list(pool.map(_ready, range(workers)))
    return pool
