"""The `vitale` group, on which each verb module registers its commands, and the
words for a card's state and a declaration's reason."""

from __future__ import annotations

from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

# Each verb registers on `app` when its module is imported: only the verb that runs
# (or every verb, for a help), in the order `ameli vitale --help` lists them.
app = AmeliTyper(
    lazy_verbs=(
        ("status", "ameli_cli.commands.vitale.status"),
        ("order", "ameli_cli.commands.vitale.order"),
        ("declare-loss", "ameli_cli.commands.vitale.declare"),
    ),
    help=_("Carte Vitale : état des cartes, commande, déclaration de perte, de vol ou de panne."),
    epilog=_(
        "Exemples :\n\n\b\n  ameli vitale status\n"
        "  ameli vitale declare-loss --reason lost --dry-run"
    ),
)

ATTESTATION_COMMAND = "ameli attestation get droits"
REASONS = ("lost", "stolen", "defective")


def state_label(state: str) -> str:
    return {
        "active": _("active"),
        "blocked_lost": _("bloquée (perdue)"),
        "blocked_stolen": _("bloquée (volée)"),
        "defective": _("défectueuse"),
        "none": _("aucune"),
    }.get(state, state)


def reason_label(reason: str) -> str:
    return {"lost": _("perte"), "stolen": _("vol"), "defective": _("panne")}.get(reason, reason)
