"""`ameli estimate ACT`: what the Assurance Maladie would reimburse for one act, and
the reste à charge before any mutuelle; `ameli estimate --list`: the acts known.

The tariffs and rules come from the service (the CLI holds no copy of them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.runtime.errors import ApiError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

# A command at the root (`ameli estimate`); see commands/registry.py.
top_level = AmeliTyper()
EPILOG = _(
    "Exemples :\n\n\b\n  ameli estimate G\n  ameli estimate G --beneficiary 04\n"
    "  ameli estimate CS --price 60 --secteur 2\n  ameli estimate PH7 --price 12,40 --quantity 2\n"
    "  ameli estimate --list"
)


@dataclass
class EstimateOptions:
    act: str | None
    list_acts: bool
    beneficiary: str | None
    price: str | None
    quantity: int | None
    secteur: int | None
    hors_parcours: bool
    ald: bool
    on: str | None
    json: bool
    nir: str | None = None


@top_level.command(
    "estimate",
    help=_(
        "Estimer le remboursement d'un acte et le reste à charge avant mutuelle, aux "
        "tarifs et règles de la date ; --list pour les actes connus."
    ),
    epilog=EPILOG,
)
def estimate(
    ctx: typer.Context,
    act: str | None = typer.Argument(None, metavar=_("ACTE"), help=_("Code de l'acte (G, CS…).")),
    list_acts: bool = typer.Option(False, "--list", help=_("Lister les actes connus.")),
    beneficiary: str | None = typer.Option(
        None, "--beneficiary", "-b", metavar=_("RANG"), help=_("Rang du bénéficiaire (défaut 01).")
    ),
    price: str | None = typer.Option(
        None, "--price", metavar=_("EUROS"), help=_("Prix payé (défaut : le tarif).")
    ),
    quantity: int | None = typer.Option(
        None,
        "--quantity",
        metavar="N",
        min=1,
        max=99,
        help=_("Boîtes de médicaments ou séances (défaut 1)."),
    ),
    secteur: int | None = typer.Option(
        None,
        "--secteur",
        metavar="1|2",
        min=1,
        max=2,
        help=_("Secteur du médecin : 1 (tarif) ou 2."),
    ),
    hors_parcours: bool = typer.Option(
        False,
        "--hors-parcours",
        help=_("Hors parcours de soins (sans passer par le médecin traitant)."),
    ),
    ald: bool = typer.Option(False, "--ald", help=_("Soins liés à l'affection de longue durée.")),
    on: str | None = typer.Option(
        None, "--date", metavar=_("AAAA-MM-JJ"), help=_("Date des soins (défaut : aujourd'hui).")
    ),
    json_output: JsonOption = False,
    nir: NirOption = None,
) -> None:
    opts = EstimateOptions(
        act, list_acts, beneficiary, price, quantity, secteur, hors_parcours, ald, on,
        json_output, nir,
    )  # fmt: skip
    if opts.list_acts:
        run_list(app_context(ctx), opts)
    else:
        run_estimate(app_context(ctx), opts)


def parse_date(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        raise UsageError(
            _("--date : « {value} » n'est pas une date ; écrivez AAAA-MM-JJ (2026-11-30).").format(
                value=raw
            )
        ) from None


def run_list(app: AppContext, opts: EstimateOptions) -> dict[str, Any]:
    from ameli_cli.commands.demarches_shared import api

    if opts.act is not None:
        raise UsageError(_("--list ne prend pas d'acte ; lancez : ameli estimate --list"))
    result = api(app, authenticated=False).list_acts(on=parse_date(opts.on))
    if opts.json:
        app.io.write_json(result)
        return result
    from ameli_cli.render.money import euros
    from ameli_cli.render.tables import print_table
    from ameli_cli.render.terminal_text import inert

    rows = [
        [
            inert(act["code"], single_line=True),
            inert(act["label"], single_line=True),
            euros(act["tariff"]) if act["tariff"] is not None else _("prix payé"),
            f"{act['rate']} %",
        ]
        for act in result["items"]
    ]
    print_table(app.io, [_("code"), _("acte"), _("base"), _("taux")], rows)
    rules = result["rules"]
    notes = [
        _("{code} avant 6 ans : {amount}.").format(
            code=inert(a["code"], single_line=True), amount=euros(a["tariff_under_6"])
        )
        for a in result["items"]
        if a["tariff_under_6"] != a["tariff"]
    ]
    notes.append(
        _(
            "Participation forfaitaire {pf} par consultation, franchise {fr} par boîte ou séance ;"
            " plafond {cap} par an chacune ; aucune avant 18 ans ni avec la CSS."
        ).format(
            pf=euros(rules["participation_forfaitaire"]),
            fr=euros(rules["franchise"]),
            cap=euros(rules["yearly_cap"]),
        )
    )
    app.io.write("\n".join(notes) + "\n")
    return result


def _params(opts: EstimateOptions) -> dict[str, Any]:
    from ameli_cli.commands.beneficiary_choice import parse_rank
    from ameli_cli.commands.demarches_shared import parse_euros

    if not opts.act or not opts.act.strip():
        raise UsageError(
            _("Quel acte ? Par exemple : ameli estimate G (liste : ameli estimate --list).")
        )
    return {
        "act": opts.act.strip().upper(),
        "beneficiary": parse_rank(opts.beneficiary),
        "price": parse_euros(opts.price, option="--price") if opts.price is not None else None,
        "quantity": opts.quantity,
        "secteur": opts.secteur,
        "hors_parcours": "true" if opts.hors_parcours else None,
        "ald": "true" if opts.ald else None,
        "date": parse_date(opts.on),
    }


def run_estimate(app: AppContext, opts: EstimateOptions) -> dict[str, Any]:
    from ameli_cli.commands.demarches_shared import api, refusal

    params = _params(opts)
    nir = subject_nir(app, opts.nir)
    try:
        result = api(app).estimate(params, nir=nir)
    except ApiError as exc:
        raise refusal(exc) from None
    if opts.json:
        app.io.write_json(result)
        return result
    app.io.write(format_estimate(result))
    return result


RULE_LABELS = {
    "ald": lambda: _("affection de longue durée : 100 %"),
    "hors_parcours": lambda: _("hors parcours de soins : 30 % au lieu de 70 %"),
    "alsace_moselle": lambda: _("régime local d'Alsace-Moselle"),
    "under_6": lambda: _("tarif des moins de 6 ans"),
    "exempt_under_18": lambda: _("moins de 18 ans : ni participation forfaitaire ni franchise"),
    "css": lambda: _("complémentaire santé solidaire : ni participation ni franchise"),
    "participation_cap": lambda: _("plafond annuel de la participation forfaitaire atteint"),
    "franchise_cap": lambda: _("plafond annuel des franchises atteint"),
}


def format_estimate(r: dict[str, Any]) -> str:
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.money import euros
    from ameli_cli.render.terminal_text import inert

    who = r["beneficiary"]
    lines = [
        _("{label} ({code}) pour {name} ({rank}), le {date}").format(
            label=inert(r["act"]["label"], single_line=True),
            code=inert(r["act"]["code"], single_line=True),
            name=inert(who["name"], single_line=True),
            rank=inert(who["rank"], single_line=True),
            date=display_date(r["date"]),
        )
    ]
    rows = [
        (_("prix payé"), euros(r["amount_paid"])),
        (_("base de remboursement"), euros(r["base"])),
        *([(_("dont dépassement"), euros(r["depassement"]))] if r["depassement"] else []),
        (_("taux"), f"{r['rate']} %"),
        (_("remboursable"), euros(r["reimbursable"])),
    ]
    if r["participation_forfaitaire_due"]:
        rows.append((_("participation forfaitaire"), euros(-r["participation_forfaitaire"])))
    if r["franchise_due"]:
        rows.append((_("franchise"), euros(-r["franchise"])))
    rows += [
        (_("remboursé"), euros(r["amount_reimbursed"])),
        (_("reste à charge (avant mutuelle)"), euros(r["out_of_pocket"])),
    ]
    width = max(len(label) for label, _v in rows)
    lines += [f"  {label.ljust(width)}  {value.rjust(12)}" for label, value in rows]
    done = r["already_deducted"]
    if r["participation_forfaitaire_due"] or r["franchise_due"]:
        lines.append(
            _(
                "  déjà déduit en {year} : participation {pf}, franchises {fr} (plafond 50,00 € chacune)"
            ).format(
                year=r["date"][:4],
                pf=euros(done["participation_forfaitaire"]),
                fr=euros(done["franchise"]),
            )
        )
    for rule in r["rules_applied"]:
        label = RULE_LABELS.get(rule)
        lines.append("  · " + (label() if label else inert(rule, single_line=True)))
    return "\n".join(lines) + "\n"
