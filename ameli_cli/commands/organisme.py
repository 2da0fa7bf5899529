"""Your caisse: `ameli organisme` (name, code, postal address, 3646, opening hours)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.records import Organisme, Reminder
    from ameli_cli.runtime.context import AppContext

# Commands that sit at the root (`ameli organisme`); see commands/registry.py.
top_level = AmeliTyper()


LABEL_WIDTH = 13


@dataclass
class OrganismeOptions:
    nir: str | None
    json: bool


@top_level.command(
    "organisme",
    help=_(
        "Votre caisse (CPAM) : nom, code organisme, adresse postale, téléphone (3646)"
        " et horaires, avec ses rappels de sécurité."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli organisme\n  ameli organisme --json | jq -r .phone"),
)
def organisme(
    ctx: typer.Context,
    nir: str | None = typer.Option(
        None,
        "--nir",
        metavar="NIR",
        help=_("Agents : NIR de l'assuré concerné (13 ou 15 caractères)."),
    ),
    json_output: JsonOption = False,
) -> None:
    run_organisme(app_context(ctx), OrganismeOptions(nir, json_output))


def run_organisme(app: AppContext, opts: OrganismeOptions) -> Organisme:
    nir = subject_nir(app, opts.nir)
    caisse = app.client().fetch_organisme(nir=nir)
    if opts.json:
        app.io.write_json(caisse)
    else:
        app.io.write(render_organisme(caisse))
    return caisse


def reminder_text(reminder: Reminder) -> str:
    """The caisse's reminder in the user's language; the service's words otherwise."""
    known = {
        "single_phone_number": _("Le 3646 est le seul numéro de téléphone de l'Assurance Maladie."),
        "no_bank_details_by_phone_or_email": _(
            "Votre caisse ne vous demande jamais vos coordonnées bancaires par téléphone"
            " ni par e-mail."
        ),
    }
    return known.get(str(reminder.get("code")), str(reminder.get("text", "")))


def render_organisme(caisse: Organisme) -> str:
    regimes = {"01": _("régime général"), "02": _("régime agricole")}
    code = caisse["code"]
    regime = regimes.get(caisse.get("regime", ""), "")
    lines = [caisse["name"], _line(_("code"), f"{code} ({regime})" if regime else code)]
    address = [*caisse.get("address_lines", []), f"{caisse['postal_code']} {caisse['city']}"]
    for i, part in enumerate(address):
        lines.append(_line(_("adresse") if i == 0 else "", part))
    lines.append(_line(_("téléphone"), caisse["phone"]))
    lines.append(_line(_("horaires"), caisse["hours"]))
    if caisse.get("local_regime"):
        lines.append(_line(_("régime"), _("local d'Alsace-Moselle (remboursement à 90 %)")))
    reminders = caisse.get("reminders") or []
    if reminders:
        lines.append("")
        lines.append(_("Rappels de votre caisse :"))
        lines.extend(f"  - {reminder_text(r)}" for r in reminders)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _line(label: str, value: str) -> str:
    return f"  {label:<{LABEL_WIDTH}}{value}"
