"""The kinds of care a seeded payment history is made of, one method each
(consultation, specialist, pharmacy, lab work, dental, orthodontics, physiotherapy,
hospital stay, sick leave), with the invented professionals of each account and the
rates that apply on the date of care. What each kind costs and is reimbursed
follows the rules in payment_history's docstring; which care each assuré receives,
and what is deducted, is decided there. Kept apart so that adding a kind of care
does not mean reading the whole generator.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta

from ameli_sandbox import tariffs
from ameli_sandbox.people import Beneficiary, Person

YEARS = 3
IJ_CAP_2025_04 = date(2025, 4, 1)


def _act(code: str, on: date, age: int = 30) -> tuple[str, str, int]:
    """(code, label, tariff) from the shared tariff table."""
    act = tariffs.ACTS[code]
    return act.code, act.label, act.tariff(on, age) or 0


@dataclass
class Care:
    """A line before deductions: what the care was and what is due."""

    day: date
    who: Beneficiary
    professional: tuple[str, str] | None
    code: str
    label: str
    kind: str
    paid: int
    base: int
    rate: int
    paid_to: str = "assure"
    quantity: int = 1
    pf_units: int = 0  # participation forfaitaire owed (acts)
    franchise_units: int = 0  # franchise owed (boxes, paramedical acts)
    end: date | None = None
    daily: int | None = None
    paper: bool = False


# Invented professionals, per account (name, specialty).
ROSTERS: dict[str, dict[str, tuple[str, str]]] = {
    "famille": {
        "generaliste": ("Dr Hélène GARNIER", "médecin généraliste"),
        "pediatre": ("Dr Antoine ROUSSEAU", "pédiatre"),
        "dermatologue": ("Dr Claire BENHAMOU", "dermatologue"),
        "ophtalmologue": ("Dr Paul LEFÈVRE", "ophtalmologue"),
        "gynecologue": ("Dr Nadia HADDAD", "gynécologue"),
        "dentiste": ("Dr Julien MOREAU", "chirurgien-dentiste"),
        "orthodontiste": ("Dr Sarah COHEN", "orthodontiste"),
        "pharmacie": ("Pharmacie de la Convention", "pharmacie"),
        "laboratoire": ("Laboratoire Vaugirard Biologie", "laboratoire"),
        "kine": ("Thomas PETIT", "masseur-kinésithérapeute"),
        "hopital": ("Hôpital Pédiatrique Lecourbe", "établissement de santé"),
    },
    "ald": {
        "generaliste": ("Dr Marc-Antoine PIETRI", "médecin généraliste"),
        "endocrinologue": ("Dr Laetitia CASANOVA", "endocrinologue"),
        "ophtalmologue": ("Dr François ALBERTINI", "ophtalmologue"),
        "podologue": ("Anne-Marie LUCIANI", "pédicure-podologue"),
        "dentiste": ("Dr Paul-Antoine MATTEI", "chirurgien-dentiste"),
        "pharmacie": ("Pharmacie du Cours Napoléon", "pharmacie"),
        "laboratoire": ("Laboratoire d'analyses du Diamant", "laboratoire"),
        "hopital": ("Centre hospitalier de la Miséricorde", "établissement de santé"),
    },
    "css": {
        "generaliste": ("Dr Karim BENSAÏD", "médecin généraliste"),
        "gynecologue": ("Dr Fatou DIALLO", "gynécologue"),
        "dermatologue": ("Dr Élise MARCHAND", "dermatologue"),
        "dentiste": ("Centre dentaire de la Croix-de-Chavaux", "chirurgien-dentiste"),
        "pharmacie": ("Pharmacie de la Mairie", "pharmacie"),
        "laboratoire": ("Laboratoire Montreuil Biologie", "laboratoire"),
    },
    "ij": {
        "generaliste": ("Dr Céline VIDAL", "médecin généraliste"),
        "rhumatologue": ("Dr Olivier FAURE", "rhumatologue"),
        "dentiste": ("Dr Mehdi CHAOUI", "chirurgien-dentiste"),
        "pharmacie": ("Pharmacie Garibaldi", "pharmacie"),
        "laboratoire": ("Laboratoire Lyon Part-Dieu", "laboratoire"),
        "kine": ("Julie BERNARD", "masseur-kinésithérapeute"),
    },
    "alsace": {
        "generaliste": ("Dr Martin SCHMITT", "médecin généraliste"),
        "ophtalmologue": ("Dr Anne MEYER", "ophtalmologue"),
        "dermatologue": ("Dr Thomas KLEIN", "dermatologue"),
        "dentiste": ("Dr Camille WEBER", "chirurgien-dentiste"),
        "pharmacie": ("Pharmacie des Bateliers", "pharmacie"),
        "laboratoire": ("Laboratoire Strasbourg Krutenau", "laboratoire"),
        "hopital": ("Clinique de l'Orangerie", "établissement de santé"),
    },
}


def _seed_of(nir: str) -> int:
    return int.from_bytes(hashlib.sha256(nir.encode()).digest()[:8], "big")


def age_on(birth_date: str, day: date) -> int:
    born = date.fromisoformat(birth_date)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class CareKinds:
    """Builds a list of `Care` for one person: the building blocks and the kinds of care."""

    def __init__(self, person: Person, today: date, *, local_regime: bool) -> None:
        self.person = person
        self.rng = random.Random(_seed_of(person.nir))
        self.today = today
        self.start = today - timedelta(days=365 * YEARS)
        self.local = local_regime
        self.roster = ROSTERS.get(person.key, ROSTERS["ij"])
        self.cares: list[Care] = []

    # -- building blocks -------------------------------------------------------------

    def day_between(self, first: date, last: date) -> date:
        day = first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))
        return day + timedelta(days=1) if day.weekday() == 6 else day  # no Sunday care

    def random_days(self, per_year: float) -> list[date]:
        """About `per_year` dates a year over the whole span."""
        count = max(0, round(self.rng.gauss(per_year * YEARS, (per_year * YEARS) ** 0.5)))
        return sorted(self.day_between(self.start, self.today) for _ in range(count))

    def covered(self, who: Beneficiary, kind: str, day: date) -> bool:
        for cov in self.person.coverages:
            if (cov.rank, cov.kind) == (who.rank, kind) and cov.start <= day.isoformat():
                return cov.end is None or day.isoformat() <= cov.end
        return False

    def rate(self, national: int, day: date, who: Beneficiary, *, ald: bool = False) -> int:
        if ald and self.covered(who, "ald", day):
            return 100
        if self.local:
            return tariffs.LOCAL_RATES.get(national, national)
        return national

    def paid_to(self, who: Beneficiary, day: date, default: str = "assure") -> str:
        return "professionnel" if self.covered(who, "css", day) else default

    def add(self, care: Care) -> None:
        self.cares.append(care)

    # -- kinds of care ---------------------------------------------------------------

    def consultation(
        self, who: Beneficiary, day: date, *, ald: bool = False, tele: bool = False
    ) -> None:
        age = age_on(who.birth_date, day)
        pro = self.roster["pediatre"] if age < 16 and "pediatre" in self.roster else None
        pro = pro or self.roster["generaliste"]
        act = tariffs.ACTS["TCG" if tele else "G"]
        code, label, tariff = act.code, act.label, act.tariff(day, age) or 0
        hors_parcours = age >= tariffs.PARCOURS_MIN_AGE and not who.medecin_traitant
        if hors_parcours:
            label += " (hors parcours de soins)"
        rate = tariffs.applied_rate(
            act,
            age=age,
            hors_parcours=hors_parcours,
            local_regime=self.local,
            ald=ald and self.covered(who, "ald", day),
        )
        default_to = "professionnel" if rate == 100 else "assure"  # tiers payant in ALD
        self.add(
            Care(
                day, who, pro, code, label, "soins", tariff, tariff, rate,
                paid_to=self.paid_to(who, day, default_to), pf_units=1,
                paper=self.rng.random() < 0.06,
            )
        )  # fmt: skip

    def specialist(self, who: Beneficiary, day: date, role: str, *, ald: bool = False) -> None:
        pro = self.roster[role]
        base = tariffs.ACTS["CS"].tariff(day, 30) or 0
        # Some specialists charge more than the base (secteur 2 dépassements).
        paid = base + (self.rng.choice((0, 0, 1500, 2850)) if role in ("dermatologue",) else 0)
        rate = self.rate(70, day, who, ald=ald)
        self.add(
            Care(
                day, who, pro, "CS", f"Consultation de spécialiste ({pro[1]})", "soins",
                paid, base, rate, paid_to=self.paid_to(who, day), pf_units=1,
            )
        )  # fmt: skip

    def pharmacy(self, who: Beneficiary, day: date, *, ald: bool = False) -> None:
        day = day + timedelta(days=self.rng.choice((0, 0, 0, 1)))
        if ald and self.covered(who, "ald", day):
            national, boxes = 100, self.rng.randint(4, 7)
            unit = self.rng.randint(1500, 4500)
        else:
            national = self.rng.choices((65, 30, 15, 100), weights=(60, 20, 10, 10))[0]
            boxes, unit = self.rng.randint(1, 4), self.rng.randint(180, 1800)
        price = boxes * unit
        code = {65: "PH7", 30: "PH4", 15: "PH2", 100: "PH1"}[national]
        self.add(
            Care(
                day, who, self.roster["pharmacie"], code,
                f"Médicaments remboursables à {national} %", "pharmacie", price, price,
                self.rate(national, day, who), paid_to="professionnel",
                quantity=boxes, franchise_units=boxes,
            )
        )  # fmt: skip

    def lab(self, who: Beneficiary, day: date, *, ald: bool = False) -> None:
        base = self.rng.choice((1620, 2430, 3510, 4860))
        label = "Hémoglobine glyquée et bilan" if ald else "Analyses de biologie médicale"
        self.add(
            Care(
                day, who, self.roster["laboratoire"], "B", label, "biologie", base, base,
                self.rate(60, day, who, ald=ald),
                paid_to=self.paid_to(who, day, self.rng.choice(("assure", "professionnel"))),
                pf_units=1,
            )
        )  # fmt: skip

    def dental(self, who: Beneficiary, day: date) -> None:
        age = age_on(who.birth_date, day)
        if age < 25 and self.rng.random() < 0.5:
            code, label, base = _act("BDC", day)
            rate, paid = tariffs.ACTS["BDC"].rate, base
        else:
            code, label, base = self.rng.choice(
                (_act("HBJD001", day), _act("HBMD049", day), _act("C", day))
            )
            rate, paid = self.rate(tariffs.ACTS[code].rate, day, who), base
            if self.rng.random() < 0.12:
                code, label, base = _act("HBLD634", day)
                paid = self.rng.choice((50000, 62000))
                rate = self.rate(tariffs.ACTS[code].rate, day, who)
        self.add(
            Care(
                day, who, self.roster["dentiste"], code, label, "dentaire", paid, base, rate,
                paid_to=self.paid_to(who, day),
            )
        )  # fmt: skip

    def orthodontics(self, who: Beneficiary, first: date) -> None:
        day = first
        for _ in range(6):  # one semester of treatment at a time, six semesters
            if day > self.today:
                return
            code, label, base = _act("TO90", day)
            rate = tariffs.ACTS[code].national_rate(age_on(who.birth_date, day))
            self.add(
                Care(
                    day, who, self.roster["orthodontiste"], code, label, "dentaire", 70000,
                    base, rate,
                )
            )  # fmt: skip
            day = day + timedelta(days=182)

    def physio(self, who: Beneficiary, first: date, sessions: int, *, ald: bool = False) -> None:
        role = "podologue" if ald else "kine"
        day = first
        code, label, base = _act("POD" if ald else "AMK7.5", day)
        for _ in range(sessions):
            if day > self.today:
                return
            self.add(
                Care(
                    day, who, self.roster[role], code, label, "paramedical", base, base,
                    self.rate(60, day, who, ald=ald), paid_to=self.paid_to(who, day),
                    franchise_units=1,
                )
            )  # fmt: skip
            day = day + timedelta(days=self.rng.choice((2, 3, 4, 7)))

    def hospital(self, who: Beneficiary, day: date, *, ald: bool = False) -> None:
        base = self.rng.choice((118000, 164500, 243000))
        self.add(
            Care(
                day, who, self.roster["hopital"], "GHS", "Séjour hospitalier en ambulatoire",
                "hopital", base, base, self.rate(80, day, who, ald=ald), paid_to="professionnel",
            )
        )  # fmt: skip

    def sick_leave(self, who: Beneficiary, first: date, days: int) -> None:
        """An arrêt de travail: the consultation, then IJ every 14 days after 3 days."""
        self.consultation(who, first)
        daily = 4195 if first >= IJ_CAP_2025_04 else 4438
        last = min(first + timedelta(days=days - 1), self.today)
        start = first + timedelta(days=3)  # délai de carence
        while start <= last:
            end = min(start + timedelta(days=13), last)
            paid_on = end + timedelta(days=3)
            if paid_on > self.today or (end == self.today and days > (end - first).days + 1):
                return  # the current fortnight is not paid yet
            count = (end - start).days + 1
            self.add(
                Care(
                    start, who, None, "IJ", "Indemnités journalières maladie", "ij", 0,
                    count * daily, 100, quantity=count, end=end, daily=daily,
                )
            )  # fmt: skip
            start = end + timedelta(days=1)
