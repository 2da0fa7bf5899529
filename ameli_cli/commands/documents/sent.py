"""`ameli documents sent`: the documents sent to the caisse and what became of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext
    from ameli_cli.runtime.typer_app import AmeliTyper


def sent(
    ctx: typer.Context,
    nir: NirOption = None,
    json_output: JsonOption = False,
) -> None:
    run_sent(app_context(ctx), nir=nir, json_output=json_output)


def run_sent(app: AppContext, *, nir: str | None, json_output: bool) -> dict[str, Any]:
    from ameli_cli.commands.demarches_shared import api
    from ameli_cli.commands.documents.send import status_label, type_label
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.tables import print_table
    from ameli_cli.render.terminal_text import inert

    result = api(app).documents_sent(nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
        return result
    if not result["items"]:
        app.io.info(_("Aucun document envoyé."))
        return result
    rows = []
    for r in result["items"]:
        outcome = inert(r["payment_id"] or "", single_line=True)
        if not outcome and r["expected_at"]:
            outcome = _("vers le {date}").format(date=display_date(r["expected_at"][:10]))
        rows.append(
            [
                inert(r["id"], single_line=True),
                display_date(r["sent_at"][:10]),
                type_label(r["type"]),
                inert(r["beneficiary_rank"], single_line=True),
                status_label(r["status"]),
                outcome,
            ]
        )
    # Fits 80 columns on a terminal (Rich borders): no column for the file count.
    headers = [
        _("n°"),
        _("envoyé le"),
        _("type"),
        _("rang"),
        _("statut"),
        _("suite"),
    ]
    print_table(app.io, headers, rows)
    return result


def register(app: AmeliTyper) -> None:
    app.command(
        "sent",
        help=_(
            "Les documents envoyés : type, date, statut ; une feuille de soins traitée renvoie"
            " au paiement (ameli paiements show ID)."
        ),
        epilog=_("Exemples :\n\n\b\n  ameli documents sent\n  ameli documents sent --json"),
    )(sent)
