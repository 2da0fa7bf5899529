"""`ameli attestation batch` (agents): one attestation PDF per NIR; the work is in
batch_run.py, imported only when a batch runs (asyncio costs the other verbs)."""

from __future__ import annotations

from pathlib import Path

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.attestation.group import app
from ameli_cli.commands.options import json_option
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import choices
from ameli_rules import ATTESTATION_TYPES


@app.command(
    "batch",
    help=_(
        "Agents : une attestation PDF par NIR (un NIR par ligne, ou un CSV avec une colonne"
        " nir). Une ligne NDJSON par entrée sur la sortie standard ; reprise sans doublon"
        " après interruption ; code 6 si une ligne a échoué."
    ),
    epilog=_(
        "Exemple :\n\n\b\n  ameli attestation batch --input nirs.csv --out-dir attestations/"
        " --concurrency 8 > rapport.ndjson"
    ),
)
def batch(
    ctx: typer.Context,
    input_file: str = typer.Option(
        ...,
        "--input",
        "-i",
        metavar=_("FICHIER|-"),
        help=_("Liste des NIR (« - » : entrée standard)."),
    ),
    out_dir: Path = typer.Option(
        ..., "--out-dir", "-d", metavar=_("DOSSIER"), help=_("Dossier des PDF (créé au besoin).")
    ),
    kind: str = typer.Option(
        "droits",
        "--type",
        "-t",
        metavar="droits|ij|fiscale",
        click_type=choices(ATTESTATION_TYPES),
        help=_("Type d'attestation."),
    ),
    concurrency: int = typer.Option(
        8, "--concurrency", "-c", metavar="N", help=_("Requêtes simultanées (1 à 64).")
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-w",
        metavar="N",
        help=_(
            "Processus qui dessinent les pages (0 à 64 ; 0 : dans le processus du lot)."
            " Par défaut : un par cœur dès 50 NIR."
        ),
    ),
    json_output: bool = json_option(
        _("Sortie NDJSON (c'est déjà le format de la sortie standard).")
    ),
) -> None:
    # Imported here: asyncio and the batch machinery cost nothing to the other verbs.
    from ameli_cli.commands.attestation.batch_run import BatchOptions, run_batch

    opts = BatchOptions(input_file, out_dir, kind, concurrency, json_output, workers)
    run_batch(app_context(ctx), opts)
