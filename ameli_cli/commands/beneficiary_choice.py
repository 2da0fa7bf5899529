"""Choosing a beneficiary of the account (`--beneficiary RANG`), naming them, and
confirming a card order for them: what `vitale` and `ceam` share."""

from __future__ import annotations

from typing import TYPE_CHECKING, overload

from ameli_cli.commands import ask_yes_no
from ameli_cli.runtime.errors import Cancelled, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from typing import TypedDict

    from ameli_cli.records import CeamBeneficiary, CeamStatus, VitaleBeneficiary, VitaleStatus

    class Person(TypedDict):
        """What full_name reads: any record of a person (account, card holder)."""

        first_names: str
        last_name: str

    from ameli_cli.runtime.context import AppContext

RANK_HELP = _("Rang du bénéficiaire (01 l'assuré, 02… les ayants droit). Défaut : 01.")


def order_status_label(status: str) -> str:
    return {
        "received": _("reçue"),
        "in_production": _("en fabrication"),
        "shipped": _("expédiée"),
        "delivered": _("livrée"),
    }.get(status, status)


def parse_rank(raw: str | None, *, option: str = "--beneficiary") -> str:
    if raw is None:
        return "01"
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 19:
        raise UsageError(
            _(
                "{option} : « {value} » n'est pas un rang ; passez 01 pour l'assuré, 02 à 19"
                " pour un ayant droit (voir : ameli whoami)."
            ).format(option=option, value=raw)
        )
    return f"{int(text):02d}"


@overload
def pick_beneficiary(status: VitaleStatus, rank: str) -> VitaleBeneficiary: ...
@overload
def pick_beneficiary(status: CeamStatus, rank: str) -> CeamBeneficiary: ...
def pick_beneficiary(
    status: VitaleStatus | CeamStatus, rank: str
) -> VitaleBeneficiary | CeamBeneficiary:
    people = status["beneficiaries"]
    for person in people:
        if person["rank"] == rank:
            return person
    ranks = ", ".join(p["rank"] for p in people)
    raise UsageError(
        _(
            "--beneficiary : aucun bénéficiaire de rang {rank} sur ce compte (rangs : {ranks})."
        ).format(rank=rank, ranks=ranks)
    )


def full_name(person: Person) -> str:
    return f"{person['first_names']} {person['last_name']}"


def require_confirmation(
    app: AppContext, question: str, *, yes: bool, dry_run_flag: bool = True
) -> None:
    if yes:
        return
    if not app.io.can_prompt:
        if not dry_run_flag:
            raise UsageError(_("Pas de terminal pour confirmer : passez --yes."))
        raise UsageError(
            _(
                "Pas de terminal pour confirmer : passez --yes (ou --dry-run pour voir ce qui"
                " serait envoyé)."
            )
        )
    if not ask_yes_no(question):
        raise Cancelled(_("Abandon : rien n'a été envoyé."))
