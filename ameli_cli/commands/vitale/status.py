"""`ameli vitale status`: each beneficiary's card and any order under way."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.beneficiary_choice import full_name, order_status_label
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.commands.vitale.group import ATTESTATION_COMMAND, app, state_label
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.records import VitaleBeneficiary, VitaleStatus
    from ameli_cli.runtime.context import AppContext


@app.command(
    "status",
    help=_("La carte Vitale de chaque bénéficiaire et toute commande en cours."),
    epilog=_("Exemples :\n\n\b\n  ameli vitale status\n  ameli vitale status --json"),
)
def status(
    ctx: typer.Context,
    nir: NirOption = None,
    json_output: JsonOption = False,
) -> None:
    run_status(app_context(ctx), nir=nir, json_output=json_output)


def run_status(app: AppContext, *, nir: str | None, json_output: bool) -> VitaleStatus:
    result = app.client().fetch_vitale(nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
        return result
    from ameli_cli.render.tables import Column, print_table, terminal_width, wrap_note

    print_table(
        app.io,
        [
            Column(_("rang"), "code"),
            Column(_("bénéficiaire"), min_width=12),
            Column(_("âge"), "number", priority=3),
            Column(_("carte"), "code"),
            Column(_("n° de série"), "id"),
            Column(_("délivrée le"), "date", priority=2),
            Column(_("photo"), "code", priority=4),
            Column(_("commande en cours"), priority=1, min_width=14),
        ],
        [status_row(b) for b in result["beneficiaries"]],
    )
    width = terminal_width() if app.io.stdout_tty or os.environ.get("COLUMNS") else None
    for b in result["beneficiaries"]:
        note = status_note(b)
        if note:
            app.io.write(wrap_note(note, width))
    return result


def status_row(b: VitaleBeneficiary) -> list[Any]:
    card = b["card"]
    order = b["pending_order"]
    return [
        b["rank"],
        full_name(b),
        b["age"],
        state_label(b["card_state"]),
        card["serial"] if card else "",
        display_date(card["issued_on"] if card else None),
        (_("oui") if card["with_photo"] else _("non")) if card else "",
        _("{status}, livraison prévue le {date}").format(
            status=order_status_label(order["status"]),
            date=display_date(order["expected_delivery"]),
        )
        if order
        else "",
    ]


def status_note(b: VitaleBeneficiary) -> str | None:
    """What to do next, for a beneficiary without a working card and no order."""
    if b["pending_order"]:
        return None
    if b["card_state"] == "none" and b.get("orderable_from"):
        if b["age"] < 12:
            return _("{name} : commande possible à partir du {date} (12 ans).").format(
                name=b["first_names"], date=display_date(b["orderable_from"])
            )
        return _(
            "{name} : pas encore de carte ; commandez-la : ameli vitale order"
            " --beneficiary {rank} --photo PHOTO --id-document PIÈCE"
        ).format(name=b["first_names"], rank=b["rank"])
    if b["card_state"] not in ("active", "none"):
        return _(
            "{name} : carte {state}, aucune commande en cours ; une attestation de droits"
            " couvre l'attente ({command})."
        ).format(
            name=b["first_names"],
            state=state_label(b["card_state"]),
            command=ATTESTATION_COMMAND,
        )
    return None
