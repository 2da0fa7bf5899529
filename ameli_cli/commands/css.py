"""`ameli css simulate|request|status`: the complémentaire santé solidaire.

The thresholds and participations come from the service (`source` says where from)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.runtime.errors import ApiError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_("Complémentaire santé solidaire (CSS) : simuler, demander, suivre la demande."),
    epilog=_(
        "Exemples :\n\n\b\n  ameli css simulate --resources 12000 --ages 34,8\n"
        "  ameli css request --resources 12000 --ages 34,8 avis-imposition.pdf\n"
        "  ameli css status"
    ),
)
RESOURCES_HELP = _("Ressources du foyer sur 12 mois, en euros.")
AGES_HELP = _("L'âge de chaque membre du foyer, séparés par des virgules (34,8).")


def outcome_label(outcome: str | None) -> str:
    return {
        "gratuite": _("CSS sans participation financière"),
        "participation": _("CSS avec participation financière"),
        "non_eligible": _("non éligible"),
    }.get(outcome or "") or _inert(outcome or "")


def status_label(status: str) -> str:
    return {"en_cours": _("en cours"), "accordee": _("accordée"), "refusee": _("refusée")}.get(
        status
    ) or _inert(status)


def parse_ages(raw: str) -> list[int]:
    parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
    if not parts or any(not (p.isascii() and p.isdigit()) or int(p) > 130 for p in parts):
        raise UsageError(
            _("--ages : « {value} » ; écrivez l'âge de chaque membre du foyer : 34,8.").format(
                value=raw
            )
        )
    if len(parts) > 20:
        raise UsageError(_("--ages : 20 membres au plus."))
    return [int(p) for p in parts]


@dataclass
class SimulateOptions:
    resources: str
    ages: str
    regime_local: bool
    json: bool


def simulate(
    ctx: typer.Context,
    resources: str = typer.Option(..., "--resources", metavar=_("EUROS"), help=RESOURCES_HELP),
    ages: str = typer.Option(..., "--ages", metavar=_("ÂGES"), help=AGES_HELP),
    regime_local: bool = typer.Option(
        False, "--alsace-moselle", help=_("Régime local d'Alsace-Moselle (participation réduite).")
    ),
    json_output: JsonOption = False,
) -> None:
    run_simulate(app_context(ctx), SimulateOptions(resources, ages, regime_local, json_output))


def run_simulate(app: AppContext, opts: SimulateOptions) -> dict[str, Any]:
    from ameli_cli.commands.demarches_shared import api, parse_euros

    cents = parse_euros(opts.resources, option="--resources")
    ages = parse_ages(opts.ages)
    result = api(app, authenticated=False).css_simulation(cents, ages, local=opts.regime_local)
    if opts.json:
        app.io.write_json(result)
        return result
    app.io.write(format_simulation(result))
    return result


def format_simulation(r: dict[str, Any]) -> str:
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.money import euros
    from ameli_cli.render.terminal_text import inert

    lines = [
        _("Foyer de {n} personne(s), ressources {amount} sur 12 mois : {outcome}.").format(
            n=r["household_size"],
            amount=euros(r["yearly_resources"]),
            outcome=outcome_label(r["outcome"]),
        ),
        _("  plafond sans participation   {amount}").format(
            amount=euros(r["thresholds"]["gratuite"])
        ),
        _("  plafond avec participation   {amount}").format(
            amount=euros(r["thresholds"]["participation"])
        ),
    ]
    if r["outcome"] == "participation":
        lines.append(
            _("  participation                {amount} par mois ({detail})").format(
                amount=euros(r["monthly_participation"]),
                detail=", ".join(
                    _("{age} ans : {amount}").format(
                        age=m["age"], amount=euros(m["monthly_participation"])
                    )
                    for m in r["members"]
                ),
            )
        )
    source = r["source"]
    lines.append(
        _("Plafonds en vigueur au {date}, source :\n  {source}").format(
            date=display_date(source["valid_from"]),
            source=inert(source["thresholds"], single_line=True),
        )
    )
    return "\n".join(lines) + "\n"


@dataclass
class RequestOptions:
    resources: str
    ages: str
    files: list[Path]
    json: bool


def request(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(
        ..., metavar=_("JUSTIFICATIF…"), help=_("Justificatifs (PDF, JPEG ou PNG).")
    ),
    resources: str = typer.Option(..., "--resources", metavar=_("EUROS"), help=RESOURCES_HELP),
    ages: str = typer.Option(..., "--ages", metavar=_("ÂGES"), help=AGES_HELP),
    json_output: JsonOption = False,
) -> None:
    run_request(app_context(ctx), RequestOptions(resources, ages, files, json_output))


def run_request(app: AppContext, opts: RequestOptions) -> dict[str, Any]:
    from ameli_cli.api.client import new_idempotency_key
    from ameli_cli.commands.demarches_shared import api, parse_euros, refusal
    from ameli_cli.domain.uploads import load_files

    body = {
        "yearly_resources": parse_euros(opts.resources, option="--resources"),
        "ages": parse_ages(opts.ages),
        "justificatifs": load_files(opts.files, option=_("JUSTIFICATIF")),
    }
    try:
        result = api(app).request_css(body, key=new_idempotency_key())
    except ApiError as exc:
        raise refusal(exc) from None
    if opts.json:
        app.io.write_json(result)
        return result
    app.io.write(_request_line(result) + "\n")
    return result


def _request_line(r: dict[str, Any]) -> str:
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.terminal_text import inert

    text = _("Demande de CSS n° {id} : {status}").format(
        id=inert(r["id"], single_line=True), status=status_label(r["status"])
    )
    if r["status"] == "en_cours" and r.get("expected_at"):
        text += _(", réponse vers le {date}").format(date=display_date(r["expected_at"][:10]))
    elif r["status"] == "accordee":
        text += _(" ({outcome}), du {start} au {end}").format(
            outcome=outcome_label(r["outcome"]),
            start=display_date(r["start_date"]),
            end=display_date(r["end_date"]),
        )
    return text + "."


def status(
    ctx: typer.Context,
    nir: NirOption = None,
    json_output: JsonOption = False,
) -> None:
    run_status(app_context(ctx), nir=nir, json_output=json_output)


def run_status(app: AppContext, *, nir: str | None, json_output: bool) -> dict[str, Any]:
    from ameli_cli.commands.demarches_shared import api

    result = api(app).css_requests(nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
        return result
    if not result["items"]:
        app.io.info(_("Aucune demande de CSS."))
        return result
    app.io.write("\n".join(_request_line(r) for r in result["items"]) + "\n")
    return result


app.command(
    "simulate",
    help=_(
        "Simuler la CSS : gratuite, avec une participation mensuelle selon l'âge, ou non"
        " éligible, d'après les ressources et la composition du foyer."
    ),
    epilog=_("Exemple :\n\n\b\n  ameli css simulate --resources 12000 --ages 34,8"),
)(simulate)
app.command(
    "request",
    help=_("Demander la CSS avec ses justificatifs ; la réponse arrive sous deux mois au plus."),
    epilog=_("Exemple :\n\n\b\n  ameli css request --resources 12000 --ages 34,8 avis.pdf"),
)(request)
app.command(
    "status",
    help=_("Les demandes de CSS et leur réponse."),
    epilog=_("Exemples :\n\n\b\n  ameli css status\n  ameli css status --json"),
)(status)


def _inert(value: str) -> str:
    """A value the service sent that we have no words for, shown inert."""
    from ameli_cli.render.terminal_text import inert

    return inert(value, single_line=True)
