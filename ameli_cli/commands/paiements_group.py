"""The `ameli paiements` group: the verbs of paiements.py, paiements_transfers.py and
paiements_reconcile.py each add their command to `app` (no module imports another)."""

from __future__ import annotations

from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

# `reconcile` and `virements` register on `app` when their module is imported: only
# when they run or a help lists them.
app = AmeliTyper(
    lazy_verbs=(
        ("reconcile", "ameli_cli.commands.paiements_reconcile"),
        ("virements", "ameli_cli.commands.paiements_transfers"),
    ),
    help=_(
        "Vos remboursements ligne par ligne : dates, bénéficiaire, professionnel, "
        "acte, base, taux, montants remboursés et déduits ; totaux et graphique."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli paiements list --since 1y --kind pharmacie\n"
        "  ameli paiements summary --by beneficiary"
    ),
)

DEFAULT_SINCE = "6mo"  # one duration grammar: a bare "m" is refused
