"""The `ameli paiements` group: the verbs of paiements.py, paiements_transfers.py and
paiements_reconcile.py each add their command to `app` (no module imports another)."""

from __future__ import annotations

from ameli_cli.commands.registry import help_for
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

app = AmeliTyper(
    help=help_for("paiements"),
    epilog=_(
        "Exemples :\n\n\b\n  ameli paiements list --since 1y --kind pharmacie\n"
        "  ameli paiements summary --by beneficiary"
    ),
)

DEFAULT_SINCE = "6m"
