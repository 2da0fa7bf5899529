"""`paiements virements`: payments as the bank sees them (one transfer, its lines)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import NirOption, json_option
from ameli_cli.commands.paiements_group import DEFAULT_SINCE, app
from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext


@dataclass
class TransfersOptions:
    since: str | None = None
    until: str | None = None
    json: bool = False
    nir: str | None = None


@app.command(
    "virements",
    help=_(
        "Lister les virements de la caisse, du plus récent au plus ancien (par défaut les"
        " 6 derniers mois) : date, montant, nature, bénéficiaire du virement, libellé"
        " bancaire, et les lignes de soins qu'il paie (franchises récupérées en négatif)."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli paiements virements\n"
        "  ameli paiements virements --since 2026-01-01 --until 2026-03-31 --json"
    ),
)
def virements(
    ctx: typer.Context,
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help=_("Payés depuis cette date (incluse) ; défaut : 6mo.")
    ),
    until: str | None = typer.Option(
        None, "--until", metavar="DATE", help=_("Payés jusqu'à cette date (incluse).")
    ),
    json_output: bool = json_option(_("Sortie JSON (une liste).")),
    nir: NirOption = None,
) -> None:
    run_virements(app_context(ctx), TransfersOptions(since, until, json_output, nir))


def period(since: str | None, until: str | None, today: date) -> tuple[str, str | None]:
    """--since / --until checked (dates or durations), as ISO dates."""
    from ameli_cli.domain.durations import parse_date

    first = parse_date(since or DEFAULT_SINCE, option="--since", today=today)
    last = parse_date(until, option="--until", today=today) if until else None
    if last is not None and first > last:
        raise UsageError(
            _("--since ({since}) est après --until ({until}) : inversez-les.").format(
                since=first.isoformat(), until=last.isoformat()
            )
        )
    return first.isoformat(), last.isoformat() if last else None


def run_virements(app: AppContext, opts: TransfersOptions) -> list[dict[str, Any]]:
    since, until = period(opts.since, opts.until, date.today())
    subject = subject_nir(app, opts.nir)
    items = list(app.client().list_transfers(since=since, until=until, nir=subject))
    if opts.json:
        from ameli_cli.render.json_list import json_list

        app.io.write_data(json_list(items))
    elif items:
        from ameli_cli.render.transfers import transfers_text

        app.io.write(transfers_text(items))
    else:
        app.io.info(_("Aucun virement sur cette période."))
    return items
