"""`ameli attestation batch`: agents fetch one attestation per NIR.

- Input: one NIR per line, or a CSV (`,` `;` or tab) with a `nir` column; blank lines
  and `#` comments are skipped.
- Requests: chunks of NIRs with `POST /v1/attestations/batch` (one GET per NIR from a
  service without it), at most N at once over one `httpx.AsyncClient`
  (batch_fetch.py).
- One NDJSON line per input line on stdout, as each completes:
  `{"line", "nir", "status": ok|invalid_nir|not_found|error, "file", "error", "skipped"}`.
  A bad NIR never stops the batch; exit 6 when any line failed.
- Resumable: PDFs are written atomically (temporary name, then rename), so a file
  that exists is complete; a re-run keeps it (`"skipped": true`) if it verifies
  (signature, NIR and type: `verified_attestation_file`), else fetches it again
  (`"replaced": true`), and removes the temporaries a killed run left. A NIR listed
  twice is fetched once.
- Refusals that concern every line stop the batch at once: 403 (only agents may
  name other NIRs), 401 (signed out), and an unreachable backend.
- Every envelope's Ed25519 signature is checked against the keys the service
  publishes (`/v1/keys`, fetched once) before its page is drawn: a bad one is an
  `error` line, and no file.
- Drawing a page is CPU work (about 5 ms): with more than one core and a batch of
  some size, pages are drawn by forked worker processes, one per core (`--workers`),
  while the event loop keeps the requests going; otherwise in a thread (so that the
  fsync of each file does not stall the fetches).
- Memory stays flat with the count: results are counted as they are printed, not
  kept.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ameli_cli.commands.attestation.batch_fetch import Run
from ameli_cli.commands.attestation.batch_input import (
    Entry,
    count_entries,
    iter_entries,
    read_input,
)
from ameli_cli.commands.attestation.batch_pages import MAX_WORKERS, Keys, renderer_pool
from ameli_cli.runtime.errors import (
    PartialFailure,
    UsageError,
    os_reason,
)
from ameli_cli.runtime.i18n import _, ngettext
from ameli_rules import ATTESTATION_TYPES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ameli_cli.api.async_client import AsyncAmeliClient
    from ameli_cli.records import SigningKeys
    from ameli_cli.runtime.context import AppContext

MAX_CONCURRENCY = 64


@dataclass
class BatchOptions:
    input: str
    out_dir: Path
    kind: str
    concurrency: int
    json: bool
    workers: int | None = None  # page-drawing processes; None: one per core


def run_batch(app: AppContext, opts: BatchOptions) -> None:
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
    if opts.workers is not None and not 0 <= opts.workers <= MAX_WORKERS:
        raise UsageError(_("--workers : donnez un nombre de 0 à {max}.").format(max=MAX_WORKERS))
    text = read_input(app, opts.input)
    count = count_entries(text)  # the whole input checked before anything is sent
    if not count:
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
    pool = renderer_pool(count, opts.workers)
    try:
        entries = iter_entries(text)
        tally = asyncio.run(_batch(app, kind, out_dir, entries, count, token, opts, pool))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    failed = tally.total - tally.ok
    app.io.info(
        _(
            "{total} entrée(s) : {ok} attestation(s) ({skipped} déjà faite(s)), {failed} en échec."
        ).format(total=tally.total, ok=tally.ok, skipped=tally.skipped, failed=failed)
    )
    if failed:
        if opts.json or not app.io.stdout_tty:
            message = ngettext(
                "{n} ligne en échec (voir le champ status de la sortie NDJSON).",
                "{n} lignes en échec (voir le champ status de la sortie NDJSON).",
                failed,
            )
        else:
            message = ngettext(
                "{n} ligne en échec (voir ci-dessus).",
                "{n} lignes en échec (voir ci-dessus).",
                failed,
            )
        raise PartialFailure(message.format(n=failed))


@dataclass
class _Tally:
    total: int = 0
    ok: int = 0
    skipped: int = 0  # ok lines whose file was already there


async def _batch(
    app: AppContext,
    kind: str,
    out_dir: Path,
    entries: Iterable[Entry],  # the NIRs, one at a time
    count: int,
    token: str,
    opts: BatchOptions,
    pool: Any,
) -> _Tally:
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
    progress = _Progress(app, count)
    tally = _Tally()

    def emit(result: dict[str, Any]) -> None:
        tally.total += 1
        if result["status"] == "ok":
            tally.ok += 1
            tally.skipped += result["skipped"]
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

    try:
        keys = await _published_keys(app, client)
        run = Run(kind, out_dir, client, emit, keys, pool)
        with progress:
            await run.run(entries, opts.concurrency)
    finally:
        await client.aclose()
    if run.abort is not None:
        raise run.abort
    return tally


async def _published_keys(app: AppContext, client: AsyncAmeliClient) -> Keys:
    """The service's public keys, asked for once (every envelope is checked, and a
    re-run checks the files it finds), merged into the keys cache for `verify`; the
    cache alone when the service cannot say (then unknown keys fail their lines)."""
    from ameli_cli.commands.attestation.keys import cached_keys, keys_cache
    from ameli_cli.domain.attestations import save_keys

    keys, _corrupt = cached_keys(app)
    published = await client.get_json("/v1/keys")
    if not isinstance(published, dict):
        return keys
    try:
        return save_keys(keys_cache(app), cast("SigningKeys", published), keys)
    except OSError as exc:  # a read-only cache: the keys still serve this run
        app.io.debug(f"keys cache: {exc}")
        return {
            **keys,
            **{
                k["key_id"]: dict(k)
                for k in published.get("keys", [])
                if isinstance(k, dict) and isinstance(k.get("key_id"), str)
            },
        }


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
