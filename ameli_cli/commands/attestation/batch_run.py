"""`ameli attestation batch`: agents fetch one attestation per NIR.

- Input: one NIR per line, or a CSV (`,` `;` or tab) with a `nir` column; blank lines
  and `#` comments are skipped.
- Bounded concurrency: N workers share one `httpx.AsyncClient` (N connections).
- One NDJSON line per input line on stdout, as each completes:
  `{"line", "nir", "status": ok|invalid_nir|not_found|error, "file", "error", "skipped"}`.
  A bad NIR never stops the batch; exit 6 when any line failed.
- Resumable: PDFs are written atomically (temporary name, then rename), so a file
  that exists is complete; a re-run keeps it (`"skipped": true`) if it verifies
  (signature, NIR and type: `verified_attestation_file`), else fetches it again
  (`"replaced": true`), and removes the temporaries a killed run left. A NIR listed twice is fetched once.
- Refusals that concern every line stop the batch at once: 403 (only agents may
  name other NIRs), 401 (signed out), and an unreachable backend.
- Drawing a page is CPU work (about 7 ms, half of it the QR code): with more than one
  core and a batch of some size, pages are drawn by a few forked worker processes
  while the event loop keeps the requests going; otherwise in a thread (so that the
  fsync of each file does not stall the fetches).
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ameli_cli.commands.attestation.batch_input import Entry, check_nir, read_entries, read_input
from ameli_cli.commands.attestation.batch_pages import complete, render_to_file, renderer_pool
from ameli_cli.commands.attestation.keys import keys_for_batch
from ameli_cli.domain.attestations import verified_attestation_file
from ameli_cli.runtime.errors import (
    AmeliError,
    ApiError,
    AuthRequired,
    BackendUnreachable,
    PartialFailure,
    UsageError,
    os_reason,
)
from ameli_cli.runtime.hints import command
from ameli_cli.runtime.i18n import _, ngettext
from ameli_rules import ATTESTATION_TYPES

if TYPE_CHECKING:
    from ameli_cli.api.async_client import AsyncAmeliClient
    from ameli_cli.runtime.context import AppContext

MAX_CONCURRENCY = 64


@dataclass
class BatchOptions:
    input: str
    out_dir: Path
    kind: str
    concurrency: int
    json: bool


@dataclass
class Run:
    app: AppContext
    kind: str
    out_dir: Path
    client: AsyncAmeliClient
    queue: deque[Entry]
    emit: Any
    pool: Any = None  # a ProcessPoolExecutor, or None for a thread
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # to check existing files
    done: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    abort: AmeliError | None = None
    results: list[dict[str, Any]] = field(default_factory=list)

    def file_for(self, nir: str) -> Path:
        return self.out_dir / f"attestation-{self.kind}-{nir}.pdf"

    async def worker(self) -> None:
        while self.queue and self.abort is None:
            entry = self.queue.popleft()
            result = await self.process(entry)
            if result is None:  # aborted
                return
            self.results.append(result)
            self.emit(result)

    async def process(self, entry: Entry) -> dict[str, Any] | None:
        nir, why = check_nir(entry.raw)
        base: dict[str, Any] = {
            "line": entry.line,
            "nir": nir or entry.raw,
            "status": "ok",
            "file": None,
            "error": None,
            "skipped": False,
        }
        if nir is None:
            return {**base, "status": "invalid_nir", "error": why}
        earlier = self.done.get(nir)
        if earlier is not None:
            first = await earlier
            return {**base, **{k: first[k] for k in ("status", "file", "error")}, "skipped": True}
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.done[nir] = future
        result = await self.fetch(nir, base)
        future.set_result(result or {**base, "status": "error", "error": "batch stopped"})
        return result

    async def fetch(self, nir: str, base: dict[str, Any]) -> dict[str, Any] | None:
        path = self.file_for(nir)
        if complete(path):
            # Kept only if it verifies (issue 13): a file that merely looks whole is replaced.
            if verified_attestation_file(path, self.keys, nir, self.kind):
                return {**base, "file": str(path), "skipped": True}
            base["replaced"] = True
        try:
            envelope = await self.client.fetch_attestation(self.kind, nir=nir)
        except ApiError as exc:
            if exc.status == 404 and exc.code in ("not_found", "no_sick_pay"):
                return {**base, "status": "not_found", "error": exc.detail}
            if exc.status in (401, 403):
                self.abort = self.abort or _refusal(exc)
                return None
            return {**base, "status": "error", "error": f"{exc.code}: {exc.detail}"}
        except BackendUnreachable as exc:
            self.abort = self.abort or exc
            return None
        try:
            if self.pool is not None:
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(self.pool, render_to_file, envelope, str(path))
            else:
                # In a thread: write_atomic's fsync (several ms) must not stall the fetches.
                await asyncio.to_thread(render_to_file, envelope, str(path))
        except OSError as exc:
            return {**base, "status": "error", "error": f"write failed: {exc.strerror or exc}"}
        return {**base, "file": str(path)}


def _refusal(exc: ApiError) -> AmeliError:
    if exc.status == 403:
        return AmeliError(
            _(
                "Refusé par le service (HTTP 403) : seul un compte agent peut obtenir les"
                " attestations d'autres assurés. Un assuré obtient la sienne avec : ameli"
                " attestation get"
            )
        )
    return AuthRequired(
        _("La session n'est plus valable. Lancez : {command}").format(command=command("login"))
    )


def run_batch(app: AppContext, opts: BatchOptions) -> list[dict[str, Any]]:
    kind = opts.kind.strip().lower()
    if kind not in ATTESTATION_TYPES:
        raise UsageError(
            _("--type : « {value} » inconnu ; choisissez droits, ij ou fiscale.").format(
                value=opts.kind
            )
        )
    if not 1 <= opts.concurrency <= MAX_CONCURRENCY:
        raise UsageError(
            _("--concurrency : donnez un nombre de 1 à {max}.").format(max=MAX_CONCURRENCY)
        )
    entries = read_entries(read_input(app, opts.input))
    if not entries:
        raise UsageError(_("--input : aucun NIR dans l'entrée."))
    out_dir = opts.out_dir.expanduser()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for stale in out_dir.glob(".attestation-*.pdf.*.tmp"):
            stale.unlink()
    except OSError as exc:
        raise UsageError(
            _("--out-dir : impossible d'utiliser {path} ({error}).").format(
                path=out_dir, error=os_reason(exc)
            )
        ) from None
    token = app.require_token()
    keys = keys_for_batch(app, out_dir, kind)  # a re-run checks the files it finds
    pool = renderer_pool(len(entries), opts.concurrency)
    try:
        results = asyncio.run(_batch(app, kind, out_dir, entries, token, opts, pool, keys))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    failed = [r for r in results if r["status"] != "ok"]
    ok = len(results) - len(failed)
    skipped = sum(1 for r in results if r["status"] == "ok" and r["skipped"])
    app.io.info(
        _(
            "{total} entrée(s) : {ok} attestation(s) ({skipped} déjà faite(s)), {failed} en échec."
        ).format(total=len(results), ok=ok, skipped=skipped, failed=len(failed))
    )
    if failed:
        if opts.json or not app.io.stdout_tty:
            message = ngettext(
                "{n} ligne en échec (voir le champ status de la sortie NDJSON).",
                "{n} lignes en échec (voir le champ status de la sortie NDJSON).",
                len(failed),
            )
        else:
            message = ngettext(
                "{n} ligne en échec (voir ci-dessus).",
                "{n} lignes en échec (voir ci-dessus).",
                len(failed),
            )
        raise PartialFailure(message.format(n=len(failed)))
    return results


async def _batch(
    app: AppContext,
    kind: str,
    out_dir: Path,
    entries: list[Entry],
    token: str,
    opts: BatchOptions,
    pool: Any,
    keys: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    from ameli_cli.api import backends as backends
    from ameli_cli.api.async_client import AsyncAmeliClient

    connection = backends.connect(app.backend, app.paths.data_dir, asynchronous=True)
    client = AsyncAmeliClient(
        connection.base_url,
        token=token,
        transport=connection.transport,
        timeout=app.timeout,
        max_connections=opts.concurrency,
    )
    io = app.io
    as_json = opts.json or not io.stdout_tty
    progress = _Progress(app, len(entries))

    def emit(result: dict[str, Any]) -> None:
        if as_json:
            line = json.dumps(result, ensure_ascii=False)
        else:
            from ameli_cli.render.batch import human_line

            line = human_line(result, app.display_nir)
        if as_json:
            io.write_data(line + "\n")
        elif progress.shown:
            progress.print_above(line)  # same terminal: above the bar, not through it
        else:
            io.write(line + "\n")
        progress.advance()

    run = Run(app, kind, out_dir, client, deque(entries), emit, pool, keys=keys)
    try:
        with progress:
            workers = [asyncio.create_task(run.worker()) for _ in range(opts.concurrency)]
            await asyncio.gather(*workers)
    finally:
        await client.aclose()
    if run.abort is not None:
        raise run.abort
    return run.results


class _Progress:
    """A Rich progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, app: AppContext, total: int) -> None:
        self._bar: Any = None
        self._task: Any = None
        if app.io.stderr_tty and not app.io.quiet:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=app.io.stderr, no_color=not app.io.err_color),
                transient=False,
            )
            self._task = self._bar.add_task(_("attestations"), total=total)

    def __enter__(self) -> _Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def print_above(self, line: str) -> None:
        from ameli_cli.render.terminal_text import inert

        self._bar.console.print(inert(line), markup=False, highlight=False, soft_wrap=True)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)
