"""`ameli audit`: who at the caisse reached my data, when, for what."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.options import json_option
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.records import AuditEntry
    from ameli_cli.runtime.context import AppContext


# Commands that sit at the root (`ameli audit`); see commands/registry.py.
top_level = AmeliTyper()


@top_level.command(
    "audit",
    help=_(
        "Journal des accès : quel agent de la caisse a consulté vos données "
        "(attestations…), quand et pour quoi."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli audit\n  ameli audit --json | jq '.[0]'"),
)
def audit(
    ctx: typer.Context,
    json_output: bool = json_option(_("Sortie JSON (liste).")),
) -> None:
    run_audit(app_context(ctx), json_output=json_output)


def _action_label(action: str) -> str:
    labels = {
        "attestation.droits": _("attestation de droits"),
        "attestation.ij": _("attestation de paiement des IJ"),
        "attestation.fiscale": _("relevé fiscal"),
        "audit.read": _("lecture de ce journal"),
        "estimate": _("estimation d'un remboursement"),
        "medecin_traitant.show": _("médecin traitant"),
        "beneficiaires.list": _("bénéficiaires et demandes"),
        "css.list": _("demandes de CSS"),
        "documents.sent": _("documents envoyés"),
    }
    return labels.get(action, action)


def _local_time(iso: str) -> str:
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def run_audit(app: AppContext, *, json_output: bool) -> list[AuditEntry]:
    items = app.client().list_audit()
    if json_output:
        app.io.write_json(items)
        return items
    if not items:
        app.io.info(_("Aucun accès d'un agent à vos données."))
        return items
    from ameli_cli.render.tables import Column, print_table

    print_table(
        app.io,
        [
            Column(_("date"), "date"),
            Column(_("agent"), min_width=14),
            Column(_("caisse"), priority=1, min_width=14),
            Column(_("action"), min_width=16),
        ],
        [
            [
                _local_time(item["at"]),
                f"{item['actor']['first_names']} {item['actor']['last_name']}",
                item["actor"]["caisse"]["name"],
                _action_label(item["action"]),
            ]
            for item in items
        ],
    )
    return items
