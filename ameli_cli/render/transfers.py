"""Transfers (virements) for people: one block per transfer, its lines beneath."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ameli_cli.render.dates import display_date
from ameli_cli.render.money import euros
from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.i18n import _

WIDTH = 80


def nature_label(nature: str) -> str:
    return {
        "REMBOURSEMENT_SOINS": _("remboursement de soins"),
        "PAIEMENT_A_UN_TIERS": _("tiers payant"),
        "INDEMNITE_JOURNALIERE_ASSURE": _("indemnités journalières"),
    }.get(nature, nature)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _line_text(line: dict[str, Any]) -> str:
    amount = euros(line["amount"])
    who = line["beneficiary"]["rank"] + " " if line.get("beneficiary") else "   "
    care = display_date(line["care_date"])
    room = WIDTH - 4 - len(who) - len(care) - len(amount) - 3
    label = _cut(inert(line["label"], single_line=True), room)
    return f"    {who}{care} {label.ljust(room)} {amount}".rstrip()


def transfer_block(transfer: dict[str, Any]) -> str:
    """Date, amount, nature, payee and id on one line; the bank label; the lines."""
    head = "{date}  {amount}  {nature}  {id}".format(
        date=display_date(transfer["date"]),
        amount=euros(transfer["amount"]).rjust(10),
        nature=nature_label(transfer["nature"]),
        id=inert(transfer["id"], single_line=True),
    )
    payee = _("à {name}").format(name=inert(transfer["payee"]["name"], single_line=True))
    label = inert(transfer["bank_label"], single_line=True)
    lines = [head, f"    {_cut(payee, WIDTH - 4)}", f"    {_cut(label, WIDTH - 4)}"]
    lines += [_line_text(line) for line in transfer["lines"]]
    return "\n".join(lines)


def transfers_text(transfers: Sequence[dict[str, Any]]) -> str:
    return "\n\n".join(transfer_block(t) for t in transfers) + "\n"
