"""`ameli medecin-traitant show|declare|search`: the médecin traitant of each
beneficiary, declaring one (RPPS number checked by its Luhn key), the directory."""

from __future__ import annotations

from dataclasses import dataclass
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
    help=_(
        "Médecin traitant : voir celui de chaque bénéficiaire, en déclarer un, chercher un médecin."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli medecin-traitant show\n  ameli medecin-traitant search garnier\n"
        "  ameli medecin-traitant declare --beneficiary 01 --rpps 10001583920"
    ),
)


def show(
    ctx: typer.Context,
    nir: NirOption = None,
    json_output: JsonOption = False,
) -> None:
    run_show(app_context(ctx), nir=nir, json_output=json_output)


def run_show(app: AppContext, *, nir: str | None, json_output: bool) -> dict[str, Any]:
    from ameli_cli.commands.demarches_shared import api
    from ameli_cli.render.tables import print_table
    from ameli_cli.render.terminal_text import inert

    result = api(app).medecin_traitant(nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
        return result
    rows = []
    for b in result["beneficiaries"]:
        rows.append(
            [
                inert(b["rank"], single_line=True),
                inert(b["name"], single_line=True),
                _doctor_cell(b),
            ]
        )
    print_table(app.io, [_("rang"), _("bénéficiaire"), _("médecin traitant")], rows)
    notes = [_pending_line(b) for b in result["beneficiaries"] if b.get("pending")]
    if notes:
        app.io.write("\n".join(notes) + "\n")
    missing = [b for b in result["beneficiaries"] if b["required"] and not b["declared"]]
    if missing:
        rates = result["rates"]
        app.io.write(
            _(
                "Sans médecin traitant, à partir de 16 ans, une consultation est remboursée à"
                " {hors} % au lieu de {parcours} % : ameli medecin-traitant declare.\n"
            ).format(hors=rates["hors_parcours"], parcours=rates["parcours"])
        )
    return result


def _doctor_cell(b: dict[str, Any]) -> str:
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.terminal_text import inert

    if b["declared"] and b["doctor"]:
        text = _("{name} ({city}), depuis le {date}").format(
            name=inert(b["doctor"]["name"], single_line=True),
            city=inert(b["doctor"]["city"], single_line=True),
            date=display_date(b["since"]),
        )
    elif b["required"]:
        text = _("aucun")
    else:
        text = _("aucun (facultatif avant 16 ans)")
    return text


def _pending_line(b: dict[str, Any]) -> str:
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.terminal_text import inert

    pending = b["pending"]
    return _("Rang {rank} : déclaration de {name} en cours, enregistrée vers le {date}.").format(
        rank=b["rank"],
        name=inert(pending["doctor"]["name"], single_line=True),
        date=display_date(pending["expected_at"][:10]),
    )


# -- declare ---------------------------------------------------------------------------


@dataclass
class DeclareOptions:
    beneficiary: str | None
    rpps: str
    json: bool


def declare(
    ctx: typer.Context,
    rpps: str = typer.Option(
        ..., "--rpps", metavar=_("NUMÉRO"), help=_("Numéro RPPS du médecin (11 chiffres).")
    ),
    beneficiary: str | None = typer.Option(
        None, "--beneficiary", "-b", metavar=_("RANG"), help=_("Rang du bénéficiaire (défaut 01).")
    ),
    json_output: JsonOption = False,
) -> None:
    run_declare(app_context(ctx), DeclareOptions(beneficiary, rpps, json_output))


def parse_rpps(raw: str) -> str:
    from ameli_rules import rpps

    number = rpps.compact(raw)
    wrong = rpps.problem(number)
    if wrong is None:
        return number
    reasons = {
        "digits": _("il ne contient que des chiffres"),
        "length": _("il a 11 chiffres"),
        "key": _("son dernier chiffre (clé de Luhn) ne correspond pas ; vérifiez-le"),
    }
    raise UsageError(
        _("--rpps : « {value} » n'est pas un numéro RPPS : {reason}.").format(
            value=raw, reason=reasons[wrong]
        )
    )


def run_declare(app: AppContext, opts: DeclareOptions) -> dict[str, Any]:
    from ameli_cli.api.client import new_idempotency_key
    from ameli_cli.commands.beneficiary_choice import parse_rank
    from ameli_cli.commands.demarches_shared import api, refusal
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.terminal_text import inert

    rank = parse_rank(opts.beneficiary)
    number = parse_rpps(opts.rpps)
    try:
        result = api(app).declare_medecin_traitant(rank, number, key=new_idempotency_key())
    except ApiError as exc:
        raise refusal(exc) from None
    if opts.json:
        app.io.write_json(result)
        return result
    head = (
        _("Une déclaration est déjà en cours pour le rang {rank} : n° {id}.")
        if result["status"] == "already_pending"
        else _("Déclaration envoyée pour le rang {rank} : n° {id}.")
    )
    app.io.write(
        head.format(rank=rank, id=inert(result["id"], single_line=True))
        + "\n"
        + _("  médecin     {name}, {city} (RPPS {rpps})").format(
            name=inert(result["doctor"]["name"], single_line=True),
            city=inert(result["doctor"]["city"], single_line=True),
            rpps=inert(result["doctor"]["rpps"], single_line=True),
        )
        + "\n"
        + _("  enregistrée par la caisse vers le {date}").format(
            date=display_date(result["expected_at"][:10])
        )
        + "\n"
    )
    return result


# -- search ----------------------------------------------------------------------------


def search(
    ctx: typer.Context,
    name: str | None = typer.Argument(
        None, metavar=_("NOM"), help=_("Partie du nom, ville ou code postal.")
    ),
    rpps: str | None = typer.Option(None, "--rpps", metavar=_("NUMÉRO"), help=_("Numéro RPPS.")),
    json_output: JsonOption = False,
) -> None:
    run_search(app_context(ctx), name=name, rpps=rpps, json_output=json_output)


def run_search(
    app: AppContext, *, name: str | None, rpps: str | None, json_output: bool
) -> dict[str, Any]:
    from ameli_cli.commands.demarches_shared import api
    from ameli_cli.render.tables import print_table
    from ameli_cli.render.terminal_text import inert

    if not (name and name.strip()) and rpps is None:
        raise UsageError(_("Donnez un nom (ameli medecin-traitant search garnier) ou --rpps."))
    number = parse_rpps(rpps) if rpps is not None else None
    result = api(app).search_doctors(query=name.strip() if name else None, rpps=number)
    if json_output:
        app.io.write_json(result)
        return result
    if not result["items"]:
        app.io.info(_("Aucun médecin trouvé."))
        return result
    print_table(
        app.io,
        [_("RPPS"), _("médecin"), _("spécialité"), _("ville")],
        [
            [inert(d[k], single_line=True) for k in ("rpps", "name", "specialty")]
            + [inert(f"{d['postal_code']} {d['city']}", single_line=True)]
            for d in result["items"]
        ],
    )
    return result


app.command(
    "show",
    help=_("Le médecin traitant de chaque bénéficiaire, depuis quand, ou aucun."),
    epilog=_(
        "Exemples :\n\n\b\n  ameli medecin-traitant show\n  ameli medecin-traitant show --json"
    ),
)(show)
app.command(
    "declare",
    help=_(
        "Déclarer un médecin traitant (numéro RPPS vérifié par sa clé). Un parent déclare pour"
        " un enfant de moins de 16 ans ; à partir de 16 ans, le bénéficiaire le fait lui-même."
    ),
    epilog=_(
        "Exemple :\n\n\b\n  ameli medecin-traitant declare --beneficiary 03 --rpps 10002744158"
    ),
)(declare)
app.command(
    "search",
    help=_("Chercher un médecin dans l'annuaire du service, par nom, ville ou numéro RPPS."),
    epilog=_(
        "Exemples :\n\n\b\n  ameli medecin-traitant search garnier\n  ameli medecin-traitant search --rpps 10001583920"
    ),
)(search)
