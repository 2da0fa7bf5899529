"""The reconciliation report for people: counts, then one section per kind of gap."""

from __future__ import annotations

from typing import Any

from ameli_cli.render.dates import display_date
from ameli_cli.render.money import euros
from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.i18n import _

WIDTH = 80


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(day: str, amount: int, text: str, extra: str = "") -> str:
    left = f"  {display_date(day)}  {euros(amount).rjust(11)}  "
    room = WIDTH - len(left) - len(extra) - (1 if extra else 0)
    return (left + _cut(inert(text, single_line=True), room).ljust(room) + " " + extra).rstrip()


def report_text(report: dict[str, Any]) -> str:
    period = report["period"]
    lines = [
        _("Relevé {format} du {start} au {end} : {matched} virement(s) retrouvé(s).").format(
            format=report["format"].upper(),
            start=display_date(period["start"]),
            end=display_date(period["end"]),
            matched=len(report["matched"]),
        )
    ]
    sections = (
        ("amount_differs", _("Montants différents (virement → banque) :")),
        ("unexplained_credits", _("Crédits CPAM qu'aucun virement n'explique :")),
        ("missing_transfers", _("Virements absents du relevé :")),
    )
    for key, title in sections:
        items = report[key]
        if not items:
            continue
        lines += ["", title]
        for item in items:
            if key == "amount_differs":
                extra = "→ " + euros(item["bank_amount"])
                lines.append(_row(item["date"], item["amount"], item["transfer_id"], extra))
            elif key == "unexplained_credits":
                lines.append(_row(item["date"], item["amount"], item["label"]))
            else:
                lines.append(_row(item["date"], item["amount"], item["bank_label"]))
    if report["all_matched"]:
        lines.append(_("Tout correspond."))
    return "\n".join(lines) + "\n"
