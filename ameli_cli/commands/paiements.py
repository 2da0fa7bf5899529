"""Payments: `paiements list`, `paiements show`, `paiements summary`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption, NirOption, json_option
from ameli_cli.commands.paiements_group import DEFAULT_SINCE, app
from ameli_cli.runtime.errors import AmeliError, ApiError, UsageError
from ameli_cli.runtime.i18n import _, ngettext
from ameli_cli.runtime.typer_app import choices

if TYPE_CHECKING:
    from ameli_cli.records import Payment, PaymentSummary
    from ameli_cli.runtime.context import AppContext


# The API's values (the service checks them too; here they make a clear usage error).
KINDS = ("soins", "pharmacie", "biologie", "paramedical", "dentaire", "hopital", "ij")
GROUPINGS = ("month", "beneficiary", "professional", "kind")
MAX_FILTER_LENGTH = 100  # a name, not a document: longer would not fit in a URL anyway
DEFAULT_LIMIT = 50
PAGE_SIZE = 1000


# -- list ------------------------------------------------------------------------------


@dataclass
class ListOptions:
    since: str | None = None
    until: str | None = None
    beneficiary: str | None = None
    kind: str | None = None
    professional: str | None = None
    limit: int | None = None
    all: bool = False
    json: bool = False
    csv: bool = False
    nir: str | None = None
    page_size: int = PAGE_SIZE


@app.command(
    "list",
    help=_(
        "Lister les paiements, du plus récent au plus ancien (par défaut les 6 derniers"
        " mois, 50 lignes), avec une ligne de totaux. Les dates portent sur la date de"
        " paiement : AAAA-MM-JJ, ou une durée écoulée (30d, 2w, 6mo, 1y ; « 6m » est refusé :"
        " minutes ou mois ?)."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli paiements list\n"
        "  ameli paiements list --since 2025-01-01 --until 2025-12-31 --kind pharmacie --all\n"
        "  ameli paiements list --beneficiary 02 --since 1y --csv > remboursements.csv"
    ),
)
def list_command(
    ctx: typer.Context,
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="DATE",
        help=_("Payés depuis cette date (incluse) ; défaut : 6mo (6 mois)."),
    ),
    until: str | None = typer.Option(
        None, "--until", metavar="DATE", help=_("Payés jusqu'à cette date (incluse).")
    ),
    beneficiary: str | None = typer.Option(
        None,
        "--beneficiary",
        "-b",
        metavar=_("RANG"),
        help=_("Rang du bénéficiaire : 01 l'assuré, 02… les ayants droit (ameli whoami)."),
    ),
    kind: str | None = typer.Option(
        None,
        "--kind",
        metavar=_("NATURE"),
        click_type=choices(KINDS),
        help=_("Nature : {kinds}.").format(kinds=", ".join(KINDS)),
    ),
    professional: str | None = typer.Option(
        None,
        "--professional",
        metavar=_("TEXTE"),
        help=_("Professionnel dont le nom ou la spécialité contient ce texte."),
    ),
    limit: int | None = typer.Option(
        None, "--limit", "-n", metavar="N", help=_("Au plus N lignes (défaut : 50).")
    ),
    all_lines: bool = typer.Option(False, "--all", help=_("Toutes les lignes de la période.")),
    json_output: bool = json_option(_("Sortie JSON (une liste).")),
    csv_output: bool = typer.Option(
        False, "--csv", help=_("Sortie CSV (RFC 4180, en-tête, montants en centimes).")
    ),
    nir: NirOption = None,
    page_size: int = typer.Option(PAGE_SIZE, "--page-size", hidden=True),
) -> None:
    opts = ListOptions(
        since,
        until,
        beneficiary,
        kind,
        professional,
        limit,
        all_lines,
        json_output,
        csv_output,
        nir,
        page_size,
    )
    run_list(app_context(ctx), opts)


def list_filters(opts: ListOptions, today: date | Callable[[], date]) -> dict[str, Any]:
    """Check every flag and turn them into the API's query; nothing is sent yet (the
    service's date, a request, is asked for last, and only for a relative date)."""
    from ameli_cli.domain.durations import parse_date

    if opts.json and opts.csv:
        raise UsageError(_("--json et --csv s'excluent : choisissez-en un."))
    if opts.all and opts.limit is not None:
        raise UsageError(_("--all et --limit s'excluent : choisissez-en un."))
    if opts.limit is not None and opts.limit < 1:
        raise UsageError(_("--limit : donnez un nombre de lignes d'au moins 1."))
    if not 1 <= opts.page_size <= 1000:
        raise UsageError(_("--page-size : entre 1 et 1000."))
    beneficiary = parse_rank(opts.beneficiary) if opts.beneficiary else None
    kind = parse_kind(opts.kind) if opts.kind else None
    if opts.professional is not None and len(opts.professional) > MAX_FILTER_LENGTH:
        raise UsageError(
            _("--professional : {n} caractères au plus (un nom ou une partie de nom).").format(
                n=MAX_FILTER_LENGTH
            )
        )
    # Both dates' spelling checked before the service's date is asked for.
    for option, text in (("--since", opts.since), ("--until", opts.until)):
        if text:
            parse_date(text, option=option, today=date.max.replace(year=9000))
    since = parse_date(opts.since or DEFAULT_SINCE, option="--since", today=today)
    until = parse_date(opts.until, option="--until", today=today) if opts.until else None
    if until is not None and since > until:
        raise UsageError(
            _("--since ({since}) est après --until ({until}) : inversez-les.").format(
                since=since.isoformat(), until=until.isoformat()
            )
        )
    return {
        "since": since.isoformat(),
        "until": until.isoformat() if until else None,
        "beneficiary": beneficiary,
        "kind": kind,
        "professional": opts.professional.strip() or None if opts.professional else None,
    }


def parse_rank(text: str) -> str:
    value = text.strip()
    if (value.isascii() and value.isdigit()) and 1 <= int(value) <= 19:
        return f"{int(value):02d}"
    raise UsageError(
        _(
            "--beneficiary : « {value} » n'est pas un rang (01 pour l'assuré, 02 à 19 pour"
            " les ayants droit ; voir ameli whoami)."
        ).format(value=text)
    )


def parse_kind(text: str) -> str:
    value = text.strip().lower()
    if value in KINDS:
        return value
    raise UsageError(
        _("--kind : « {value} » n'est pas une nature ; choisissez parmi : {kinds}.").format(
            value=text, kinds=", ".join(KINDS)
        )
    )


def run_list(app: AppContext, opts: ListOptions) -> list[dict[str, Any]]:
    from functools import cache

    filters = list_filters(opts, cache(app.today))  # one request at most, and only if needed
    filters["nir"] = subject_nir(app, opts.nir)
    limit = None if opts.all else (opts.limit or DEFAULT_LIMIT)
    client = app.client()
    # One line more than asked tells whether the period holds more.
    items = list(
        client.list_payments(
            filters, page_size=opts.page_size, limit=None if limit is None else limit + 1
        )
    )
    truncated = limit is not None and len(items) > limit
    items = items[:limit] if limit is not None else items
    if opts.json:
        from ameli_cli.render.json_list import json_list

        app.io.write_data(json_list(items))
    else:
        _print_list(app, items, csv_output=opts.csv)
    if truncated and limit is not None:
        app.io.info(
            ngettext(
                "{n} ligne affichée, il y en a d'autres : --all pour toutes, ou --limit N,"
                " ou --since pour changer la période.",
                "{n} lignes affichées, il y en a d'autres : --all pour toutes, ou --limit N,"
                " ou --since pour changer la période.",
                limit,
            ).format(n=limit)
        )
    return items


def _print_list(app: AppContext, items: list[dict[str, Any]], *, csv_output: bool) -> None:
    from ameli_cli.render import paiements as render

    if csv_output:
        app.io.write_data(render.csv_text(items))
    elif items:
        render.print_payments(app.io, items)
    else:
        app.io.info(_("Aucun paiement sur cette période avec ces filtres."))


# -- show ------------------------------------------------------------------------------


@app.command(
    "show",
    help=_("Afficher tous les champs d'un paiement (son id est dans « paiements list »)."),
    epilog=_(
        "Exemple :\n\n\b\n  ameli paiements show $(ameli paiements list --json -n 1 | jq -r '.[0].id')"
    ),
)
def show(
    ctx: typer.Context,
    payment_id: str = typer.Argument(..., metavar="ID", help=_("Identifiant du paiement.")),
    json_output: JsonOption = False,
    nir: NirOption = None,
) -> None:
    run_show(app_context(ctx), payment_id, json_output=json_output, nir=nir)


def run_show(
    app: AppContext, payment_id: str, *, json_output: bool, nir: str | None = None
) -> Payment:
    ident = payment_id.strip()
    if not ident or len(ident) > 100 or not ident.isprintable():
        raise UsageError(_("ID : donnez l'identifiant d'un paiement (colonne id de la liste)."))
    subject = subject_nir(app, nir)
    try:
        item = app.client().fetch_payment(ident, nir=subject)
    except ApiError as exc:
        if exc.status == 404 and exc.code == "not_found":
            raise AmeliError(
                _(
                    "Aucun paiement « {id} » pour ce compte ; les ids sont dans"
                    " « ameli paiements list »."
                ).format(id=ident)
            ) from None
        raise
    if json_output:
        app.io.write_json(item)
    else:
        from ameli_cli.render.paiements import payment_detail

        app.io.write(payment_detail(item))
    return item


# -- summary ---------------------------------------------------------------------------


@app.command(
    "summary",
    help=_(
        "Totaux d'une année de paiements par mois, bénéficiaire, professionnel ou nature :"
        " dépense, remboursé, reste à charge, avec un graphique en barres."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli paiements summary\n"
        "  ameli paiements summary --by beneficiary --year 2025\n"
        "  ameli paiements summary --by kind --json"
    ),
)
def summary(
    ctx: typer.Context,
    by: str = typer.Option(
        "month",
        "--by",
        metavar="month|beneficiary|professional|kind",
        click_type=choices(GROUPINGS),
        help=_("Regroupement."),
    ),
    year: str | None = typer.Option(
        None,
        "--year",
        metavar=_("AAAA"),
        help=_("Année des paiements ; défaut : l'année en cours."),
    ),
    json_output: JsonOption = False,
    nir: NirOption = None,
) -> None:
    run_summary(app_context(ctx), by=by, year=year, json_output=json_output, nir=nir)


def run_summary(
    app: AppContext, *, by: str, year: str | None, json_output: bool, nir: str | None = None
) -> PaymentSummary:
    grouping = by.strip().lower()
    if grouping not in GROUPINGS:
        raise UsageError(
            _("--by : « {value} » ; choisissez parmi : {choices}.").format(
                value=by, choices=", ".join(GROUPINGS)
            )
        )
    number: int | None = None
    if year is not None:
        text = year.strip()
        if not (len(text) == 4 and (text.isascii() and text.isdigit()) and int(text) >= 1900):
            raise UsageError(
                _("--year : « {value} » n'est pas une année (4 chiffres, ex. 2025).").format(
                    value=year
                )
            )
        number = int(text)
    result = app.client().fetch_payment_summary(by=grouping, year=number, nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
    else:
        from ameli_cli.render.paiements_summary import print_summary

        print_summary(app.io, result)
    return result
