"""`documents list`: every document the compte offers, with its stable file name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.documents import app, refuse_agents
from ameli_cli.commands.options import json_option
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext


def kind_label(kind: str) -> str:
    return {
        "attestation-droits": _("attestation de droits"),
        "attestation-ij": _("attestation IJ"),
        "releve-fiscal": _("relevé fiscal"),
        "releve-mensuel": _("relevé mensuel"),
        "ceam-certificat": _("certificat CEAM"),
        "piece-jointe": _("pièce jointe"),
    }.get(kind, kind)


@app.command(
    "list",
    help=_(
        "Lister tous les documents du compte : attestations de droits (une par"
        " bénéficiaire), attestation IJ, relevé fiscal, relevés mensuels, certificats CEAM,"
        " pièces jointes des messages ; avec le nom de fichier que leur donne « sync »."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli documents list\n  ameli documents list --json"),
)
def list_command(
    ctx: typer.Context,
    json_output: bool = json_option(_("Sortie JSON (une liste).")),
) -> None:
    run_list(app_context(ctx), json_output=json_output)


def run_list(app: AppContext, *, json_output: bool) -> list[dict[str, Any]]:
    from ameli_cli.commands.attestation.get import _today
    from ameli_cli.commands.documents.catalogue import catalogue

    refuse_agents(app)
    documents = [doc.public() for doc in catalogue(app.client(), _today(app))]
    if json_output:
        app.io.write_json(documents)
        return documents
    from ameli_cli.render.tables import print_table
    from ameli_cli.render.terminal_text import inert

    rows = [
        (
            kind_label(d["kind"]),
            inert(d["id"], single_line=True),
            inert(d["file"], single_line=True),
        )
        for d in documents
    ]
    print_table(app.io, (_("Nature"), _("Id"), _("Fichier (sync)")), rows)
    return documents
