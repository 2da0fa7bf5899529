"""Payment lines grouped into transfers (virements), as the real compte shows them.

What the compte ameli shows (DOMAIN.md, "What the real compte shows"): a payment is a
transfer, "Paiement effectué le 12/11/2026 pour un montant de 20,34 €", grouping the
care lines it pays, for one or several beneficiaries; its nature is
`REMBOURSEMENT_SOINS` (to the assuré), `PAIEMENT_A_UN_TIERS` (tiers payant: to the
professional) or `INDEMNITE_JOURNALIERE_ASSURE` (sick pay). Under tiers payant the
participation forfaitaire and franchises are recovered later, deducted from a future
transfer to the assuré.

The rules here:
- one transfer per payment date and payee: the assuré's care lines of a day together
  (every beneficiary), its sick pay apart, and one per professional paid that day;
- a line paid to the assuré carries `amount_reimbursed`; a tiers-payant line pays the
  professional the whole share (base × rate), and its deductions are owed by the assuré;
- owed deductions are recovered oldest first from the assuré's next transfers, each
  in full and once, as a negative line naming the line it recovers, as long as the
  transfer stays above zero; what no transfer could absorb yet stays pending;
- a transfer's amount is the sum of its lines.

*Invented* (no public source): the label a bank statement shows for a CPAM transfer
(`CPAM PARIS REMB SOINS 121126`: caisse, nature, date as JJMMAA) and the rule that a
recovery waits for a transfer large enough to absorb it whole.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SOINS = "REMBOURSEMENT_SOINS"
TIERS = "PAIEMENT_A_UN_TIERS"
IJ = "INDEMNITE_JOURNALIERE_ASSURE"
NATURES = (SOINS, TIERS, IJ)
_LABEL_WORDS = {SOINS: "REMB SOINS", TIERS: "TIERS PAYANT", IJ: "IJ MALADIE"}
DEDUCTIONS = ("participation_forfaitaire", "franchise")
_DEDUCTION_LABELS = {
    "participation_forfaitaire": "Participation forfaitaire récupérée",
    "franchise": "Franchise médicale récupérée",
}


@dataclass
class TransferLine:
    payment_id: str | None
    rank: str | None
    name: str | None
    label: str
    care_date: str
    amount: int
    recovers_payment_id: str | None = None
    recovers_deduction: str | None = None


@dataclass
class Transfer:
    id: str
    date: str
    nature: str
    payee_kind: str  # assure, professionnel
    payee_name: str
    bank_label: str
    lines: list[TransferLine] = field(default_factory=list)

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass
class Owed:
    payment_id: str
    deduction: str
    amount: int
    care_date: str
    act_label: str
    paid_on: str


def caisse_word(caisse_name: str) -> str:
    """`CPAM de la Seine-Saint-Denis` → `SEINE-SAINT-DENIS`: the place, ASCII capitals."""
    place = caisse_name
    for prefix in ("CPAM de la ", "CPAM de l'", "CPAM des ", "CPAM du ", "CPAM de ", "CPAM "):
        if place.startswith(prefix):
            place = place[len(prefix) :]
            break
    folded = unicodedata.normalize("NFKD", place)
    return "".join(c for c in folded if not unicodedata.combining(c)).upper().replace(" ", "-")


def bank_label(caisse_name: str, nature: str, day: str) -> str:
    """*Invented* format: `CPAM PARIS REMB SOINS 121126` (date as JJMMAA)."""
    yyyy, mm, dd = day.split("-")
    return f"CPAM {caisse_word(caisse_name)} {_LABEL_WORDS[nature]} {dd}{mm}{yyyy[2:]}"


def _transfer_id(nir: str, day: str, nature: str, payee: str) -> str:
    digest = hashlib.sha256(f"{nir}/{day}/{nature}/{payee}".encode()).hexdigest()[:12]
    return f"vir_{digest}"


def group(
    lines: Iterable[Mapping[str, Any]], *, nir: str, assure_name: str, caisse_name: str
) -> tuple[list[Transfer], list[Owed]]:
    """Transfers of one account, oldest first, and the deductions still pending.

    `lines` are payment lines as the `payments` table holds them (id, payment_date,
    care_date, beneficiary_rank, beneficiary_name, professional_name, act_label, kind,
    amount_reimbursed, participation_forfaitaire, franchise, paid_to), in payment order."""
    by_key: dict[tuple[str, str, str], Transfer] = {}
    owed_by_day: dict[str, list[Owed]] = {}
    for line in lines:
        day = str(line["payment_date"])
        to_assure = line["paid_to"] == "assure"
        nature = (IJ if line["kind"] == "ij" else SOINS) if to_assure else TIERS
        payee = assure_name if to_assure else str(line["professional_name"] or "Professionnel")
        key = (day, nature, payee)
        transfer = by_key.get(key)
        if transfer is None:
            transfer = Transfer(
                _transfer_id(nir, day, nature, payee),
                day,
                nature,
                "assure" if to_assure else "professionnel",
                payee,
                bank_label(caisse_name, nature, day),
            )
            by_key[key] = transfer
        amount = int(line["amount_reimbursed"])
        if not to_assure:
            for deduction in DEDUCTIONS:
                value = int(line[deduction])
                if value:
                    amount += value  # the professional gets the whole share…
                    owed_by_day.setdefault(day, []).append(  # …and the assuré owes it
                        Owed(
                            str(line["id"]),
                            deduction,
                            value,
                            str(line["care_date"]),
                            str(line["act_label"]),
                            day,
                        )
                    )
        transfer.lines.append(
            TransferLine(
                str(line["id"]),
                str(line["beneficiary_rank"]),
                str(line["beneficiary_name"]),
                str(line["act_label"]),
                str(line["care_date"]),
                amount,
            )
        )
    transfers = sorted(by_key.values(), key=lambda t: (t.date, t.nature, t.payee_name))
    return transfers, _recover(transfers, owed_by_day)


def _recover(transfers: list[Transfer], owed_by_day: dict[str, list[Owed]]) -> list[Owed]:
    """Deduct owed deductions, oldest first, from the assuré's transfers of a later day."""
    pending: list[Owed] = []
    days = sorted(owed_by_day)
    for transfer in transfers:
        while days and days[0] < transfer.date:
            pending.extend(owed_by_day[days.pop(0)])
        if transfer.payee_kind != "assure":
            continue
        room = transfer.amount
        while pending and pending[0].amount < room:  # the transfer stays above zero
            owed = pending.pop(0)
            room -= owed.amount
            transfer.lines.append(
                TransferLine(
                    None,
                    None,
                    None,
                    f"{_DEDUCTION_LABELS[owed.deduction]} ({owed.act_label})",
                    owed.care_date,
                    -owed.amount,
                    owed.payment_id,
                    owed.deduction,
                )
            )
    for day in days:
        pending.extend(owed_by_day[day])
    return pending
