"""The one tariff table: acts, their tariffs by date, rates and deductions.

Used by the seeded payment history (`payment_history`) and by the estimate endpoint
(`features/estimates`): the two never disagree (tests/test_estimate.py estimates every
seeded line). Facts from DOMAIN.md:

- consultation G 26.50 € until 2024-12-21, 30 € from 2024-12-22 (35 € under 6);
  téléconsultation 25 € then 26.50 €; rate 70 %, 30 % outside the parcours de soins
  (16 and over, no médecin traitant declared), 90 % in Alsace-Moselle, 100 % for ALD care;
- participation forfaitaire 1 € then 2 € from 2024-05-15 (doctors' acts, lab work);
  franchise 0.50 € then 1 € from 2024-03-31 (per box of medicine, per paramedical act);
  each capped at 50 € per beneficiary and calendar year and never more than the line
  reimburses; none under 18 or under the CSS.

*Invented* (no public source checked): specialist, dental and paramedical tariffs, the
CCAM-like codes; acts with a free price (medicines, lab work, hospital stays) take the
price as their base.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

G_2024_12 = date(2024, 12, 22)
PF_2024_05 = date(2024, 5, 15)
FRANCHISE_2024_03 = date(2024, 3, 31)
CAP = 5000  # 50 € per beneficiary and calendar year, for each of the two deductions
HORS_PARCOURS_RATE = 30
PARCOURS_MIN_AGE = 16  # under 16 no médecin traitant is needed
EXEMPT_UNDER = 18  # no participation forfaitaire nor franchise under 18

# Alsace-Moselle's régime local: national rate → local rate.
LOCAL_RATES = {70: 90, 65: 90, 60: 90, 30: 80, 80: 100}


@dataclass(frozen=True)
class Act:
    code: str
    label: str
    kind: str  # the payments' kind
    rate: int  # national rate, in %
    # (first day, tariff, tariff under 6) in cents, oldest first; () = free price
    tariffs: tuple[tuple[date, int, int], ...] = ()
    parcours: bool = False  # 30 % outside the parcours de soins
    participation: bool = False  # participation forfaitaire (one per act)
    franchise: bool = False  # franchise per unit (box, session)
    rate_from_16: int | None = None  # another rate from 16 (orthodontics)

    @property
    def free_price(self) -> bool:
        return not self.tariffs

    def tariff(self, on: date, age: int) -> int | None:
        current = None
        for first_day, adult, under_6 in self.tariffs:
            if on >= first_day:
                current = under_6 if age < 6 else adult
        return current

    def national_rate(self, age: int) -> int:
        if self.rate_from_16 is not None and age >= PARCOURS_MIN_AGE:
            return self.rate_from_16
        return self.rate


def _fixed(cents: int) -> tuple[tuple[date, int, int], ...]:
    return ((date.min, cents, cents),)


_ACTS = (
    Act(
        "G", "Consultation de médecine générale", "soins", 70,
        ((date.min, 2650, 3150), (G_2024_12, 3000, 3500)), parcours=True, participation=True,
    ),
    Act(
        "TCG", "Téléconsultation de médecine générale", "soins", 70,
        ((date.min, 2500, 2500), (G_2024_12, 2650, 2650)), parcours=True, participation=True,
    ),
    Act(
        "CS", "Consultation de spécialiste", "soins", 70,
        ((date.min, 3000, 3000), (G_2024_12, 3150, 3150)), participation=True,
    ),
    Act("B", "Analyses de biologie médicale", "biologie", 60, participation=True),
    Act("PH7", "Médicaments remboursables à 65 %", "pharmacie", 65, franchise=True),
    Act("PH4", "Médicaments remboursables à 30 %", "pharmacie", 30, franchise=True),
    Act("PH2", "Médicaments remboursables à 15 %", "pharmacie", 15, franchise=True),
    Act("PH1", "Médicaments remboursables à 100 %", "pharmacie", 100, franchise=True),
    Act("C", "Consultation de chirurgien-dentiste", "dentaire", 70, _fixed(2300)),
    Act("BDC", "Examen bucco-dentaire M'T dents", "dentaire", 100, _fixed(3000)),
    Act("HBJD001", "Détartrage et polissage des dents", "dentaire", 70, _fixed(2892)),
    Act("HBMD049", "Restauration d'une dent sur 1 face", "dentaire", 70, _fixed(2697)),
    Act("HBLD634", "Couronne dentaire céramo-métallique", "dentaire", 60, _fixed(12000)),
    Act(
        "TO90", "Traitement d'orthodontie (semestre)", "dentaire", 100, _fixed(19350),
        rate_from_16=0,
    ),
    Act(
        "AMK7.5", "Séance de rééducation (AMK 7,5)", "paramedical", 60, _fixed(1613),
        franchise=True,
    ),
    Act(
        "POD", "Séance de prévention des lésions des pieds (diabète)", "paramedical", 60,
        _fixed(3000), franchise=True,
    ),
    Act("GHS", "Séjour hospitalier en ambulatoire", "hopital", 80),
)  # fmt: skip
ACTS: dict[str, Act] = {act.code: act for act in _ACTS}


def reimbursable(base: int, rate: int) -> int:
    """base × rate, in cents, rounded half up."""
    return (base * rate + 50) // 100


def applied_rate(act: Act, *, age: int, hors_parcours: bool, local_regime: bool, ald: bool) -> int:
    """The rate of one act: ALD care 100 %, else national (30 % outside the parcours for
    an act that has one), then Alsace-Moselle's local rate."""
    if ald:
        return 100
    national = act.national_rate(age)
    if act.parcours and hors_parcours and age >= PARCOURS_MIN_AGE:
        national = HORS_PARCOURS_RATE
    return LOCAL_RATES.get(national, national) if local_regime else national


def participation_unit(on: date) -> int:
    return 200 if on >= PF_2024_05 else 100


def franchise_unit(on: date) -> int:
    return 100 if on >= FRANCHISE_2024_03 else 50


def deduction(units: int, unit: int, *, already: int, room: int) -> int:
    """What one line deducts: units × unit, within the yearly cap and the line's room."""
    return max(0, min(units * unit, CAP - already, room))


def exempt_from_deductions(age: int, *, css: bool) -> bool:
    return age < EXEMPT_UNDER or css


def act_json(act: Act, on: date) -> dict[str, Any]:
    """An act as the API shows it (`ActTariff` schema)."""
    return {
        "code": act.code,
        "label": act.label,
        "kind": act.kind,
        "rate": act.rate,
        "tariff": act.tariff(on, 30),
        "tariff_under_6": act.tariff(on, 0),
        "free_price": act.free_price,
        "parcours_de_soins": act.parcours,
        "participation_forfaitaire": act.participation,
        "franchise": act.franchise,
    }
