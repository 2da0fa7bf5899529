"""Seeded payment history: about three years of realistic lines per assuré.

Deterministic per NIR (`random.Random` seeded from it) and relative to the service's
`today`. Tariffs and deductions follow the date of care (DOMAIN.md):

- consultation G: 26.50 € until 2024-12-21, 30 € from 2024-12-22 (35 € under 6);
  téléconsultation 25 € then 26.50 €; rate 70 %, 90 % in Alsace-Moselle, 30 % for an
  adult without médecin traitant (outside the parcours de soins), 100 % for ALD care;
- participation forfaitaire 1 € then 2 € from 2024-05-15 on doctors' acts and lab work;
  franchise 0.50 € then 1 € from 2024-03-31 per box of medicine and per paramedical
  act; each capped at 50 € per beneficiary and calendar year of care, and never more
  than what the line reimburses; none under 18 or while the CSS covers the person;
- pharmacy at 65 / 30 / 15 / 100 % (Alsace-Moselle 90 / 80 / 15 / 100 %), paid to
  the pharmacist (tiers payant); hospital stays at 80 % (100 % in Alsace-Moselle or
  for ALD), paid to the hospital; CSS means tiers payant for everything;
- sick pay (IJ) after 3 waiting days, paid every 14 days, 50 % of the daily basic wage
  capped at 1.8 SMIC (41.95 €/day from 2025-04-01).

*Invented* (no public source checked): the professionals, specialist and dental
tariffs, the CCAM-like codes and the lab work amounts, which are plausible only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ameli_sandbox import tariffs
from ameli_sandbox.care_kinds import Care, CareKinds, age_on
from ameli_sandbox.people import Beneficiary, Person
from ameli_sandbox.tariffs import reimbursable


@dataclass
class PaymentLine:
    id: str
    payment_date: date
    care_date: date
    care_end_date: date | None
    rank: str
    name: str
    professional_name: str | None
    professional_specialty: str | None
    act_code: str
    act_label: str
    kind: str
    quantity: int
    daily_amount: int | None
    amount_paid: int
    base: int
    rate: int
    amount_reimbursed: int
    participation_forfaitaire: int
    franchise: int
    paid_to: str

    def row(self) -> tuple[Any, ...]:
        return (
            self.id,
            self.payment_date.isoformat(),
            self.care_date.isoformat(),
            self.care_end_date.isoformat() if self.care_end_date else None,
            self.rank,
            self.name,
            self.professional_name,
            self.professional_specialty,
            self.act_code,
            self.act_label,
            self.kind,
            self.quantity,
            self.daily_amount,
            self.amount_paid,
            self.base,
            self.rate,
            self.amount_reimbursed,
            self.participation_forfaitaire,
            self.franchise,
            self.paid_to,
        )


class _Generator(CareKinds):
    """The care each seeded assuré receives, and the payment lines it makes."""

    # -- people ----------------------------------------------------------------------

    def generic(self, who: Beneficiary, *, visits: float = 4.0) -> None:
        age_now = age_on(who.birth_date, self.today)
        for day in self.random_days(visits):
            self.consultation(who, day, tele=age_now >= 16 and self.rng.random() < 0.15)
            if self.rng.random() < 0.75:
                self.pharmacy(who, day)
        for day in self.random_days(2.0):
            self.pharmacy(who, day)
        for day in self.random_days(0.8):
            self.lab(who, day)
        for day in self.random_days(1.0):
            self.dental(who, day)
        specialists: list[str] = [
            r for r in ("dermatologue", "ophtalmologue", "rhumatologue") if r in self.roster
        ]
        if who.relationship != "enfant" and who.rank == "01" and "gynecologue" in self.roster:
            specialists.append("gynecologue")
        if age_now < 16:
            specialists = [r for r in specialists if r == "ophtalmologue"]
        for role in specialists:
            for day in self.random_days(0.5):
                self.specialist(who, day, role)

    def build(self) -> list[Care]:
        p = self.person
        members = p.beneficiaries()
        if p.key == "ald":
            me = members[0]
            day = self.start + timedelta(days=self.rng.randint(0, 20))
            while day <= self.today:  # every quarter: GP, lab work
                self.consultation(me, day, ald=True)
                self.lab(me, day + timedelta(days=self.rng.randint(1, 6)), ald=True)
                day += timedelta(days=self.rng.randint(84, 98))
            day = self.start + timedelta(days=self.rng.randint(0, 10))
            while day <= self.today:  # monthly: insulin, strips, needles
                self.pharmacy(me, day, ald=True)
                day += timedelta(days=self.rng.randint(27, 32))
            for day in self.random_days(2):
                self.specialist(me, day, "endocrinologue", ald=True)
            for day in self.random_days(1):
                self.specialist(me, day, "ophtalmologue", ald=True)
            for day in self.random_days(0.7):
                self.physio(me, day, 1, ald=True)
            for day in self.random_days(2):
                self.consultation(me, day)
                self.pharmacy(me, day)
            for day in self.random_days(0.7):
                self.dental(me, day)
            self.hospital(me, self.day_between(self.start, self.today), ald=True)
        else:
            for who in members:
                age = age_on(who.birth_date, self.today)
                self.generic(who, visits=6.0 if age < 12 else 5.0)
        if p.key == "famille":
            marie, _camille, hugo, _lea = members
            self.orthodontics(hugo, self.today - timedelta(days=800))
            self.physio(marie, self.today - timedelta(days=500), 10)
            self.hospital(hugo, self.today - timedelta(days=420))
        if p.key == "alsace":
            self.hospital(members[1], self.today - timedelta(days=300))
        if p.key == "ij":
            me = members[0]
            self.sick_leave(me, self.today - timedelta(days=700), 21)
            self.physio(me, self.today - timedelta(days=690), 8)
            self.sick_leave(me, self.today - timedelta(days=400), 10)
            self.sick_leave(me, self.today - timedelta(days=80), 120)  # still off work
        return self.cares

    def payment_day(self, care: Care) -> date:
        if care.end is not None:
            day = care.end + timedelta(days=3)
        elif care.paper:
            day = care.day + timedelta(days=self.rng.randint(18, 35))
        else:
            day = care.day + timedelta(days=self.rng.randint(3, 8))
        while day.weekday() >= 5:  # payments go out on working days
            day += timedelta(days=1)
        return day

    def lines(self) -> Iterator[PaymentLine]:
        cares = sorted(self.build(), key=lambda c: c.day)
        used: dict[tuple[str, int, str], int] = {}
        count = 0
        for care in cares:
            if care.day < self.start:
                continue
            payment_day = self.payment_day(care)
            if payment_day > self.today:
                continue
            gross = reimbursable(care.base, care.rate)
            pf = self.deduction(used, care, "pf", gross)
            franchise = self.deduction(used, care, "franchise", gross - pf)
            count += 1
            ident = hashlib.sha256(f"{self.person.nir}/{count}".encode()).hexdigest()[:12]
            yield PaymentLine(
                id=f"pmt_{ident}",
                payment_date=payment_day,
                care_date=care.day,
                care_end_date=care.end,
                rank=care.who.rank,
                name=f"{care.who.first_names} {care.who.last_name}",
                professional_name=care.professional[0] if care.professional else None,
                professional_specialty=care.professional[1] if care.professional else None,
                act_code=care.code,
                act_label=care.label,
                kind=care.kind,
                quantity=care.quantity,
                daily_amount=care.daily,
                amount_paid=care.paid,
                base=care.base,
                rate=care.rate,
                amount_reimbursed=gross - pf - franchise,
                participation_forfaitaire=pf,
                franchise=franchise,
                paid_to=care.paid_to,
            )

    def deduction(
        self, used: dict[tuple[str, int, str], int], care: Care, what: str, room: int
    ) -> int:
        units = care.pf_units if what == "pf" else care.franchise_units
        if not units:
            return 0
        age = age_on(care.who.birth_date, care.day)
        if tariffs.exempt_from_deductions(age, css=self.covered(care.who, "css", care.day)):
            return 0
        if what == "pf":
            unit = tariffs.participation_unit(care.day)
        else:
            unit = tariffs.franchise_unit(care.day)
        key = (care.who.rank, care.day.year, what)
        amount = tariffs.deduction(units, unit, already=used.get(key, 0), room=room)
        used[key] = used.get(key, 0) + amount
        return amount


def history(person: Person, today: date, *, local_regime: bool) -> list[PaymentLine]:
    """The seeded lines of one assuré, oldest care first."""
    return list(_Generator(person, today, local_regime=local_regime).lines())
