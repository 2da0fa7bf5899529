"""Estimate a reimbursement (`GET /v1/estimates`) from the one tariff table.

The acts and the rules of a date are public (`GET /v1/estimates/acts`, no sign-in):
the CLI holds no copy. An estimate for a beneficiary uses what the service knows of
them on that date: age, médecin traitant, ALD and CSS coverages, the caisse's régime
(Alsace-Moselle), and what the year's payments already deducted (the 50 € caps).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from ameli_sandbox import clock, tariffs
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.web import authenticate, db, json_response, subject_account

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "estimates"
MIGRATIONS: list[str] = []  # no table of its own: tariffs are code, the rest is read


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    return None


def _date(request: Request, conn: sqlite3.Connection) -> date:
    raw = request.query_params.get("date")
    if not raw:
        return clock.today(conn)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_request("date must be an ISO date (YYYY-MM-DD).", parameter="date") from None


def _flag(request: Request, name: str) -> bool:
    raw = request.query_params.get(name, "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise bad_request(f"{name} is true or false.", parameter=name)
    return raw in ("true", "1")


def _int(request: Request, name: str, *, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise bad_request(f"{name} is a whole number from {low} to {high}.", parameter=name)
    return int(raw)


def rules_of(on: date) -> dict[str, Any]:
    return {
        "participation_forfaitaire": tariffs.participation_unit(on),
        "franchise": tariffs.franchise_unit(on),
        "yearly_cap": tariffs.CAP,
        "hors_parcours_rate": tariffs.HORS_PARCOURS_RATE,
        "local_rates": {str(k): v for k, v in tariffs.LOCAL_RATES.items()},
        "deductions_exempt_under": tariffs.EXEMPT_UNDER,
    }


async def list_acts(request: Request) -> Response:
    on = _date(request, db(request))
    return json_response(
        {
            "date": on.isoformat(),
            "items": [tariffs.act_json(act, on) for act in tariffs.ACTS.values()],
            "rules": rules_of(on),
        }
    )


def _beneficiary(conn: sqlite3.Connection, account_id: int, rank: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM beneficiaries WHERE account_id = ? AND rank = ?", (account_id, rank)
    ).fetchone()
    if row is None:
        raise Problem(
            404,
            "beneficiary_not_found",
            "No such beneficiary",
            f"No beneficiary with rank {rank} on this account.",
        )
    return row


def _covered(conn: sqlite3.Connection, beneficiary_id: int, kind: str, on: date) -> bool:
    day = on.isoformat()
    return (
        conn.execute(
            "SELECT 1 FROM coverages WHERE beneficiary_id = ? AND kind = ? AND start_date <= ?"
            " AND (end_date IS NULL OR end_date >= ?)",
            (beneficiary_id, kind, day, day),
        ).fetchone()
        is not None
    )


def already_deducted(
    conn: sqlite3.Connection, account_id: int, rank: str, on: date
) -> tuple[int, int]:
    """(participation forfaitaire, franchise) deducted from this beneficiary's care of
    the same calendar year up to that day."""
    row = conn.execute(
        "SELECT coalesce(sum(participation_forfaitaire), 0), coalesce(sum(franchise), 0)"
        " FROM payments WHERE account_id = ? AND beneficiary_rank = ?"
        " AND care_date BETWEEN ? AND ?",
        (account_id, rank, f"{on.year}-01-01", on.isoformat()),
    ).fetchone()
    return int(row[0]), int(row[1])


def _act(code: str) -> tariffs.Act:
    act = tariffs.ACTS.get(code.upper())
    if act is None:
        raise Problem(
            422,
            "unknown_act",
            "Unknown act",
            f"No act {code!r} in the tariff table; GET /v1/estimates/acts lists them.",
            known=sorted(tariffs.ACTS),
        )
    return act


async def estimate(request: Request) -> Response:
    principal = authenticate(request)
    conn = db(request)
    account = subject_account(request, principal, action="estimate")
    act = _act(request.query_params.get("act") or "G")
    on = _date(request, conn)
    rank = request.query_params.get("beneficiary", "01")
    if not (len(rank) == 2 and rank.isdigit()):
        raise bad_request("beneficiary is a 2-digit rank (01, 02…).", parameter="beneficiary")
    price = _int(request, "price", low=0, high=10_000_000)
    quantity = _int(request, "quantity", low=1, high=99) or 1
    secteur = _int(request, "secteur", low=1, high=2) or 1
    who = _beneficiary(conn, account["id"], rank)
    local = conn.execute(
        "SELECT local_regime FROM caisses WHERE code = ?", (account["caisse_code"],)
    ).fetchone()[0]
    facts = _Facts(
        age=_age(who["birth_date"], on),
        ald=_flag(request, "ald"),
        has_ald=_covered(conn, who["id"], "ald", on),
        css=_covered(conn, who["id"], "css", on),
        hors_parcours=_flag(request, "hors_parcours") or not who["medecin_traitant"],
        local_regime=bool(local),
        already=already_deducted(conn, account["id"], rank, on),
    )
    result = compute(act, on, facts, price=price, quantity=quantity, secteur=secteur)
    result["beneficiary"] = {
        "rank": rank,
        "name": f"{who['first_names']} {who['last_name']}",
        "age": facts.age,
    }
    return json_response(result)


def _age(birth_date: str, on: date) -> int:
    born = date.fromisoformat(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Facts:
    def __init__(
        self,
        *,
        age: int,
        ald: bool,
        has_ald: bool,
        css: bool,
        hors_parcours: bool,
        local_regime: bool,
        already: tuple[int, int],
    ) -> None:
        self.age, self.ald, self.has_ald, self.css = age, ald, has_ald, css
        self.hors_parcours, self.local_regime, self.already = hors_parcours, local_regime, already


def _base_and_price(
    act: tariffs.Act, on: date, age: int, price: int | None, secteur: int
) -> tuple[int, int]:
    """(base, amount paid): a free-price act's base is its price; a doctor in secteur 1
    charges the tariff (no dépassement)."""
    tariff = act.tariff(on, age)
    if tariff is None:
        if price is None:
            raise Problem(
                422, "price_required", "Price required",
                f"{act.code} has no fixed tariff: give the price paid (price, in cents).",
            )  # fmt: skip
        return price, price
    paid = tariff if price is None else price
    if secteur == 1 and paid > tariff and act.kind == "soins":
        raise Problem(
            422, "price_above_tariff", "Price above the tariff",
            f"A secteur 1 doctor charges the tariff ({tariff} cents) for {act.code}; "
            "a higher price means secteur 2 (secteur=2).",
            tariff=tariff,
        )  # fmt: skip
    return tariff, paid


def compute(
    act: tariffs.Act, on: date, facts: _Facts, *, price: int | None, quantity: int, secteur: int
) -> dict[str, Any]:
    if facts.ald and not facts.has_ald:
        raise Problem(
            422, "no_ald", "No ALD",
            "This beneficiary has no affection de longue durée on that date.",
        )  # fmt: skip
    base, paid = _base_and_price(act, on, facts.age, price, secteur)
    rate = tariffs.applied_rate(
        act,
        age=facts.age,
        hors_parcours=facts.hors_parcours,
        local_regime=facts.local_regime,
        ald=facts.ald,
    )
    gross = tariffs.reimbursable(base, rate)
    exempt = tariffs.exempt_from_deductions(facts.age, css=facts.css)
    pf_due = 0 if exempt or not act.participation else tariffs.participation_unit(on)
    franchise_due = 0 if exempt or not act.franchise else quantity * tariffs.franchise_unit(on)
    pf = tariffs.deduction(1, pf_due, already=facts.already[0], room=gross)
    franchise = tariffs.deduction(1, franchise_due, already=facts.already[1], room=gross - pf)
    reimbursed = gross - pf - franchise
    applied = [
        name
        for name, on_ in (
            ("ald", facts.ald),
            ("hors_parcours", act.parcours and facts.hors_parcours and facts.age >= 16),
            ("alsace_moselle", facts.local_regime and not facts.ald),
            ("under_6", act.tariff(on, 0) != act.tariff(on, 30) and facts.age < 6),
            ("exempt_under_18", facts.age < tariffs.EXEMPT_UNDER),
            ("css", facts.css),
            ("participation_cap", pf < pf_due),
            ("franchise_cap", franchise < franchise_due),
        )
        if on_
    ]
    return {
        "act": {"code": act.code, "label": act.label, "kind": act.kind},
        "date": on.isoformat(),
        "quantity": quantity,
        "secteur": secteur,
        "amount_paid": paid,
        "base": base,
        "depassement": max(0, paid - base),
        "rate": rate,
        "reimbursable": gross,
        "participation_forfaitaire_due": pf_due,
        "franchise_due": franchise_due,
        "already_deducted": {"participation_forfaitaire": facts.already[0],
                             "franchise": facts.already[1]},
        "participation_forfaitaire": pf,
        "franchise": franchise,
        "amount_reimbursed": reimbursed,
        "out_of_pocket": paid - reimbursed,
        "rules_applied": applied,
    }  # fmt: skip


def routes() -> list[Route]:
    return [
        Route("/v1/estimates/acts", list_acts, methods=["GET"]),
        Route("/v1/estimates", estimate, methods=["GET"]),
    ]
