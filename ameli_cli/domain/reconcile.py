"""Matching the caisse's transfers to the credits of a bank statement.

A CPAM credit is a credit whose label names the caisse (CPAM, CNAM, Assurance
Maladie, ameli). A transfer to the assuré and a CPAM credit match when the amounts
are equal and the credit lands within `window` days after the transfer date (a day
before is tolerated: value dates); among candidates the one whose label carries the
transfer's bank label (or its JJMMAA date) wins, then the nearest date. What is left
pairs up as "amount differs" when the label or the date says it is the same transfer.

Which transfers the statement should show: those dated from its first day to its last
day minus the window (a transfer of the last days may land after the export).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ameli_cli.domain.bank_files import Entry, Statement

DEFAULT_WINDOW = 5
_CPAM = re.compile(r"\b(CPAM|CNAM|CGSS|ASSURANCE\s+MALADIE|AMELI)\b", re.IGNORECASE)


def is_cpam(entry: Entry) -> bool:
    return entry.amount > 0 and _CPAM.search(entry.label) is not None


def _normal(text: str) -> str:
    return " ".join(text.upper().split())


@dataclass
class _Candidate:
    transfer: dict[str, Any]
    credit: Entry
    days: int
    label_match: bool


def _label_match(transfer: dict[str, Any], credit: Entry) -> bool:
    label = _normal(credit.label)
    if _normal(transfer["bank_label"]) in label:
        return True
    code = date.fromisoformat(transfer["date"]).strftime("%d%m%y")
    return code in label


def _pairs(
    transfers: Iterable[dict[str, Any]], credits: Iterable[Entry], window: int, *, same_amount: bool
) -> list[_Candidate]:
    found = []
    for transfer in transfers:
        day = date.fromisoformat(transfer["date"])
        for credit in credits:
            days = (credit.date - day).days
            if not -1 <= days <= window:
                continue
            if same_amount and credit.amount != transfer["amount"]:
                continue
            match = _label_match(transfer, credit)
            if not same_amount and not match:
                continue
            found.append(_Candidate(transfer, credit, days, match))
    found.sort(key=lambda c: (not c.label_match, abs(c.days), c.transfer["date"]))
    return found


def _greedy(candidates: list[_Candidate]) -> list[_Candidate]:
    used_transfers: set[str] = set()
    used_credits: set[int] = set()
    chosen = []
    for c in candidates:
        if c.transfer["id"] in used_transfers or id(c.credit) in used_credits:
            continue
        used_transfers.add(c.transfer["id"])
        used_credits.add(id(c.credit))
        chosen.append(c)
    return chosen


def _credit_json(credit: Entry) -> dict[str, Any]:
    return {"date": credit.date.isoformat(), "amount": credit.amount, "label": credit.label}


def _transfer_json(transfer: dict[str, Any]) -> dict[str, Any]:
    return {
        "transfer_id": transfer["id"],
        "date": transfer["date"],
        "amount": transfer["amount"],
        "bank_label": transfer["bank_label"],
    }


def reconcile(
    statement: Statement, transfers: list[dict[str, Any]], *, window: int = DEFAULT_WINDOW
) -> dict[str, Any]:
    """The report: matched, amount_differs, unexplained_credits, missing_transfers."""
    period = statement.period()
    credits = [e for e in statement.entries if is_cpam(e)]
    to_assure = [t for t in transfers if t["payee"]["kind"] == "assure"]
    matched = _greedy(_pairs(to_assure, credits, window, same_amount=True))
    left_t = [t for t in to_assure if t["id"] not in {c.transfer["id"] for c in matched}]
    left_c = [e for e in credits if id(e) not in {id(c.credit) for c in matched}]
    differs = _greedy(_pairs(left_t, left_c, window, same_amount=False))
    left_t = [t for t in left_t if t["id"] not in {c.transfer["id"] for c in differs}]
    left_c = [e for e in left_c if id(e) not in {id(c.credit) for c in differs}]
    expected_until = period[1] - timedelta(days=window) if period else date.min
    missing = [
        t
        for t in left_t
        if period and period[0].isoformat() <= t["date"] <= expected_until.isoformat()
    ]
    report = {
        "format": statement.format,
        "period": {"start": period[0].isoformat(), "end": period[1].isoformat()}
        if period
        else None,
        "window_days": window,
        "matched": [
            {**_transfer_json(c.transfer), "bank_date": c.credit.date.isoformat(),
             "bank_entry": c.credit.label, "days_apart": c.days}
            for c in sorted(matched, key=lambda c: c.transfer["date"])
        ],
        "amount_differs": [
            {**_transfer_json(c.transfer), "bank_date": c.credit.date.isoformat(),
             "bank_amount": c.credit.amount, "bank_entry": c.credit.label}
            for c in sorted(differs, key=lambda c: c.transfer["date"])
        ],
        "unexplained_credits": [_credit_json(e) for e in sorted(left_c, key=lambda e: e.date)],
        "missing_transfers": [_transfer_json(t) for t in sorted(missing, key=lambda t: t["date"])],
    }  # fmt: skip
    report["all_matched"] = not (
        report["amount_differs"] or report["unexplained_credits"] or report["missing_transfers"]
    )
    return report
