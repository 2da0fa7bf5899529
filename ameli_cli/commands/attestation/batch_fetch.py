"""How `ameli attestation batch` fetches and draws: the NIRs in input order, triaged
(invalid, listed twice, already done), the others asked for in chunks with
`POST /v1/attestations/batch` (one request for up to CHUNK NIRs: the HTTP work is
paid once a chunk, on both sides), or one `GET /v1/attestations/{type}?nir=` each
from a service without that endpoint (404/405 to it).

A chunk's answer lines go undecoded to the page-drawing workers by small groups: a
worker decodes each line, checks its signature, draws and writes the page, and
sends back only (status, error). At most `--concurrency` requests are in flight, so
memory stays flat whatever the count.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ameli_cli.commands.attestation.batch_input import Entry, check_nir
from ameli_cli.commands.attestation.batch_pages import (
    Keys,
    complete,
    draw_lines,
    render_to_file,
)
from ameli_cli.runtime.errors import AmeliError, ApiError, AuthRequired, BackendUnreachable
from ameli_cli.runtime.hints import command
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ameli_cli.api.async_client import AsyncAmeliClient

CHUNK = 25  # NIRs a request: small enough for the first pages to start at once
RENDER_GROUP = 5  # lines a worker task: fewer round trips between the processes

# (entry, NIR, the NDJSON line so far) of a NIR to fetch
OK_DONE = ("ok", None, None)  # a NIR done: its file is Run.file_for(nir)
Pending = tuple[Entry, str, dict[str, Any]]


@dataclass
class Run:
    kind: str
    out_dir: Path
    client: AsyncAmeliClient
    emit: Any
    keys: Keys  # the service's public keys, by key_id
    pool: Any = None  # a ProcessPoolExecutor, or None for a thread
    # Each NIR in flight (its future), and each that failed (its status and error).
    # A NIR that succeeded is forgotten: listed again, its file is found and verified
    # as on a re-run, so memory does not grow with the count (issue 18).
    done: dict[str, Any] = field(default_factory=dict)
    abort: AmeliError | None = None
    bulk: bool = True  # False once the service has shown it lacks the batch endpoint
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def file_for(self, nir: str) -> str:
        # A str, never out_dir / name: pathlib interns every part of a path it parses,
        # and a name a NIR grew the interpreter's table (~2 MB near 2,000 NIRs).
        return os.path.join(self.out_dir, f"attestation-{self.kind}-{nir}.pdf")

    async def run(self, entries: Iterable[Entry], concurrency: int) -> None:
        slots = asyncio.Semaphore(concurrency)
        chunk: list[Pending] = []
        for entry in entries:
            if self.abort is not None:
                break
            pending = self._triage(entry)
            if pending is not None:
                chunk.append(pending)
            if len(chunk) == CHUNK:
                await self._dispatch(chunk, slots)
                chunk = []
        if chunk and self.abort is None:
            await self._dispatch(chunk, slots)
        while self._tasks:
            await asyncio.gather(*list(self._tasks))
        for state in self.done.values():  # stopped before they were fetched
            if isinstance(state, asyncio.Future) and not state.done():
                state.set_result(("error", None, "batch stopped"))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _triage(self, entry: Entry) -> Pending | None:
        """Emit what needs no request; else the NIR to fetch."""
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
            self.emit({**base, "status": "invalid_nir", "error": why})
            return None
        earlier = self.done.get(nir)
        if earlier is not None:
            self._spawn(self._repeat(earlier, base))
            return None
        path = self.file_for(nir)
        if complete(path):
            from ameli_cli.domain.attestations import verified_attestation_file

            # Kept only if it verifies (issue 13): a file that merely looks whole is replaced.
            if verified_attestation_file(path, self.keys, nir, self.kind):
                self.emit({**base, "file": path, "skipped": True})
                return None
            base["replaced"] = True
        self.done[nir] = asyncio.get_running_loop().create_future()
        return entry, nir, base

    async def _repeat(self, earlier: Any, base: dict[str, Any]) -> None:
        """A NIR listed again: the first one's outcome, fetched once."""
        status, file, error = await earlier if isinstance(earlier, asyncio.Future) else earlier
        if status == "ok":
            file = self.file_for(base["nir"])
        if self.abort is None:
            self.emit({**base, "status": status, "file": file, "error": error, "skipped": True})

    def _settle(self, pending: Pending, status: str, error: str | None) -> None:
        _, nir, base = pending
        file = self.file_for(nir) if status == "ok" else None
        outcome = OK_DONE if status == "ok" else (status, None, error)
        state = self.done.pop(nir) if status == "ok" else self.done[nir]
        if status != "ok":
            self.done[nir] = outcome
        if isinstance(state, asyncio.Future) and not state.done():
            state.set_result(outcome)  # the repeats waiting for this NIR
        self.emit({**base, "status": status, "file": file, "error": error})

    async def _dispatch(self, chunk: list[Pending], slots: asyncio.Semaphore) -> None:
        await slots.acquire()  # at most --concurrency requests in flight
        self._spawn(self._chunk(chunk, slots))

    async def _chunk(self, chunk: list[Pending], slots: asyncio.Semaphore) -> None:
        try:
            if self.bulk:
                lines = await self._fetch_lines(chunk)
                if lines is not None:
                    await self._draw(chunk, lines)
                    return
            if self.abort is None:
                await asyncio.gather(*(self._single(pending) for pending in chunk))
        finally:
            slots.release()

    async def _fetch_lines(self, chunk: list[Pending]) -> list[bytes] | None:
        """The chunk's answer lines; None when the service has no batch endpoint (or
        the batch stopped)."""
        try:
            lines = await self.client.fetch_attestation_lines(self.kind, [p[1] for p in chunk])
        except ApiError as exc:
            if exc.status in (404, 405):  # another service, without the batch endpoint
                self.bulk = False
            elif exc.status in (401, 403):
                self.abort = self.abort or _refusal(exc)
            else:
                for pending in chunk:
                    self._settle(pending, "error", f"{exc.code}: {exc.detail}")
                return []
            return None
        except BackendUnreachable as exc:
            self.abort = self.abort or exc
            return None
        if len(lines) != len(chunk):
            for pending in chunk:
                self._settle(pending, "error", "the service answered another number of lines")
            return []
        return lines

    async def _draw(self, chunk: list[Pending], lines: list[bytes]) -> None:
        jobs = [
            (nir, line, self.file_for(nir)) for (_, nir, _), line in zip(chunk, lines, strict=True)
        ]
        groups = range(0, len(jobs), RENDER_GROUP)
        await asyncio.gather(
            *(
                self._draw_group(chunk[i : i + RENDER_GROUP], jobs[i : i + RENDER_GROUP])
                for i in groups
            )
        )

    async def _draw_group(self, pending: list[Pending], jobs: list[tuple[str, bytes, str]]) -> None:
        if self.pool is not None:
            loop = asyncio.get_running_loop()
            outcomes = await loop.run_in_executor(self.pool, draw_lines, jobs, self.keys)
        else:
            # In a thread: write_atomic's fsync (several ms) must not stall the fetches.
            outcomes = await asyncio.to_thread(draw_lines, jobs, self.keys)
        for item, (status, error) in zip(pending, outcomes, strict=True):
            self._settle(item, status, error)

    async def _single(self, pending: Pending) -> None:
        """One NIR with `GET /v1/attestations/{type}?nir=` (a service without the
        batch endpoint)."""
        _, nir, _ = pending
        path = self.file_for(nir)
        try:
            envelope = await self.client.fetch_attestation(self.kind, nir=nir)
        except ApiError as exc:
            if exc.status == 404 and exc.code in ("not_found", "no_sick_pay"):
                self._settle(pending, "not_found", exc.detail)
            elif exc.status in (401, 403):
                self.abort = self.abort or _refusal(exc)
            else:
                self._settle(pending, "error", f"{exc.code}: {exc.detail}")
            return
        except BackendUnreachable as exc:
            self.abort = self.abort or exc
            return
        try:
            if self.pool is not None:
                loop = asyncio.get_running_loop()
                refused = await loop.run_in_executor(
                    self.pool, render_to_file, envelope, path, self.keys
                )
            else:
                refused = await asyncio.to_thread(render_to_file, envelope, path, self.keys)
        except OSError as exc:
            self._settle(pending, "error", f"write failed: {exc.strerror or exc}")
            return
        self._settle(pending, "error" if refused else "ok", refused)


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
