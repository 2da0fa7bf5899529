"""The `attestation` group, on which each verb module registers its commands."""

from __future__ import annotations

from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

app = AmeliTyper(
    help=_(
        "Attestations : de droits, de paiement des indemnités journalières, relevé "
        "fiscal ; PDF signé, vérifiable hors ligne."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli attestation get\n"
        "  ameli attestation verify attestation-droits-dupont-2026-11-24.pdf"
    ),
)


def type_label(kind: str) -> str:
    return {
        "droits": _("attestation de droits"),
        "ij": _("attestation de paiement des indemnités journalières"),
        "fiscale": _("relevé fiscal"),
        "releve": _("relevé mensuel de paiements"),
    }.get(kind, kind)
