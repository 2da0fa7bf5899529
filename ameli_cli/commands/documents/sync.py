"""`documents sync DIR`: mirror every document of the compte into a directory.

Idempotent: a document already in the manifest with its file present is not fetched
again (an attestation is, once the stored one has expired). Safe against SIGKILL:
each file is written to a temporary name then renamed, and the manifest after it;
a file found at its stable name but missing from the manifest (killed in between)
is adopted, not fetched twice; temporary files left by a kill are removed. One
NDJSON line per document added or refreshed on stdout; never a prompt.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.documents import app, refuse_agents
from ameli_cli.runtime.errors import AmeliError, ApiError, ExitCode, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ameli_cli.api.client import AmeliClient
    from ameli_cli.commands.documents.catalogue import Document
    from ameli_cli.runtime.context import AppContext

LOCK = ".ameli-sync.lock"


@dataclass
class SyncOptions:
    directory: Path
    since: str | None = None
    kinds: list[str] = field(default_factory=list)


@app.command(
    "sync",
    help=_(
        "Copier tous les documents du compte dans DOSSIER, sous des noms stables, avec un"
        " manifeste (manifest.json) ; une seconde exécution n'ajoute rien. Chaque document"
        " ajouté est annoncé sur la sortie standard en NDJSON. Fait pour cron : jamais de"
        " question."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli documents sync ~/Documents/ameli\n"
        "  ameli documents sync ~/Documents/ameli --kind releve-mensuel --since 2026-01-01"
    ),
)
def sync(
    ctx: typer.Context,
    directory: Path = typer.Argument(..., metavar=_("DOSSIER"), help=_("Dossier de destination.")),
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="DATE",
        help=_("Seulement les documents datés depuis (AAAA-MM-JJ, 6m…)."),
    ),
    kinds: list[str] = typer.Option(
        [],
        "--kind",
        metavar=_("NATURE"),
        help=_("Seulement cette nature (répétable ; voir documents list)."),
    ),
) -> None:
    failures = run_sync(app_context(ctx), SyncOptions(directory, since, kinds))
    if failures:
        raise typer.Exit(int(ExitCode.PARTIAL))


def _check(opts: SyncOptions, today: date) -> tuple[str | None, set[str]]:
    from ameli_cli.commands.documents.catalogue import KINDS
    from ameli_cli.domain.durations import parse_date

    kinds = {k.strip() for item in opts.kinds for k in item.split(",") if k.strip()}
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise UsageError(
            _("--kind : « {value} » ; choisissez parmi : {kinds}.").format(
                value=", ".join(unknown), kinds=", ".join(KINDS)
            )
        )
    since = (
        parse_date(opts.since, option="--since", today=today).isoformat() if opts.since else None
    )
    return since, kinds


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One sync at a time per directory (cron overlapping a manual run)."""
    import fcntl

    with open(directory / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AmeliError(
                _("Une autre synchronisation écrit déjà dans {dir} ; réessayez plus tard.").format(
                    dir=directory
                )
            ) from None
        yield


def _remove_leftovers(directory: Path) -> None:
    """Temporary files of a sync killed while writing (write_atomic's `.NAME.*.tmp`)."""
    for leftover in directory.rglob(".*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def run_sync(app: AppContext, opts: SyncOptions) -> int:
    """Returns the number of documents that could not be fetched."""
    from ameli_cli.commands.attestation.get import _today
    from ameli_cli.commands.documents import catalogue as docs
    from ameli_cli.runtime.private_files import ensure_private_dir

    refuse_agents(app)
    today = _today(app)
    since, kinds = _check(opts, today)
    directory = opts.directory.expanduser()
    try:
        ensure_private_dir(directory)  # health data: 0700
    except OSError as exc:
        raise UsageError(
            _("DOSSIER : impossible de créer {dir} ({error}).").format(
                dir=directory, error=exc.strerror
            )
        ) from None
    client = app.client()
    failures = 0
    with _locked(directory):
        _remove_leftovers(directory)
        try:
            manifest = docs.load_manifest(directory)
        except (ValueError, KeyError) as exc:
            raise AmeliError(
                _(
                    "{file} est illisible ({error}) : déplacez-le, la synchronisation le refera."
                ).format(file=directory / docs.MANIFEST, error=exc)
            ) from None
        for doc in docs.catalogue(client, today):
            if (kinds and doc.kind not in kinds) or (since and doc.date < since):
                continue
            try:
                event = _sync_one(app, client, directory, doc, manifest, today)
            except ApiError as exc:
                failures += 1
                app.io.warn(
                    _("{id} : non récupéré ({error}).").format(id=doc.id, error=exc.message)
                )
                continue
            if event is not None:
                docs.save_manifest(directory, manifest)
                app.io.write_data(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
    return failures


def _sync_one(
    app: AppContext,
    client: AmeliClient,
    directory: Path,
    doc: Document,
    manifest: dict[str, dict[str, Any]],
    today: date,
) -> dict[str, Any] | None:
    from ameli_cli.commands.documents.catalogue import digest
    from ameli_cli.runtime.private_files import write_atomic
    from ameli_cli.runtime.safe_paths import path_inside

    target = path_inside(directory, doc.file)
    entry = manifest.get(doc.id)
    valid_until = entry.get("valid_until") if entry else None
    expired = bool(valid_until) and str(valid_until) < today.isoformat()
    if target.exists() and not expired:
        if entry is not None:
            return None
        data = target.read_bytes()  # written, then killed before the manifest: adopt it
        event = "added"
        valid_until = _valid_until_of(data)
    else:
        data, valid_until = _fetch(app, client, doc)
        write_atomic(target, data)
        event = "updated" if entry is not None else "added"
    manifest[doc.id] = {
        "kind": doc.kind,
        "id": doc.id,
        "file": doc.file,
        "digest": digest(data),
        "size": len(data),
        "valid_until": valid_until,
        "fetched_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
    return {"event": event, **{k: manifest[doc.id][k] for k in ("kind", "id", "file", "digest")}}


def _valid_until_of(pdf: bytes) -> str | None:
    from ameli_cli.domain.attestations import extract_envelope

    envelope = extract_envelope(pdf)
    if envelope is None or envelope["attestation"].get("type") in (None, "releve"):
        return None
    return str(envelope["attestation"]["valid_until"])


def _fetch(app: AppContext, client: AmeliClient, doc: Document) -> tuple[bytes, str | None]:
    """The document's bytes, and until when it is valid (None: never re-fetched)."""
    from ameli_cli.render.attestation_pdf import render_attestation

    source = doc.source
    if doc.kind == "releve-mensuel":
        envelope = client.fetch_releve(source["releve_id"])
        return render_attestation(envelope), None
    if doc.kind == "ceam-certificat":
        from ameli_cli.render.ceam_pdf import render_ceam_certificate

        return render_ceam_certificate(source["certificate"]), None
    if doc.kind == "piece-jointe":
        import hashlib

        data = client.fetch_message_attachment(source["conversation"], source["attachment"])
        expected = source.get("sha256")
        if expected and hashlib.sha256(data).hexdigest() != expected:
            raise AmeliError(
                _("{id} : la pièce jointe reçue ne correspond pas à son empreinte.").format(
                    id=doc.id
                )
            )
        return data, None
    signed = client.fetch_attestation(
        source["type"], beneficiary=source.get("beneficiary"), year=source.get("year")
    )
    from ameli_cli.commands.attestation.get import _remember_key

    _remember_key(app, client, signed)
    return render_attestation(signed), str(signed["attestation"]["valid_until"])
