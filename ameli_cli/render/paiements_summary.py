"""Payment totals for people: one row per month, beneficiary, professional or kind,
with a bar (reimbursed, then reste à charge) on one scale; Rich on a terminal only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ameli_cli.render.money import euros
from ameli_cli.render.paiements import (
    BAR_WIDTH,
    FULL,
    LIGHT,
    SEPARATOR,
    _console,
    _plain,
    kind_label,
)
from ameli_cli.render.terminal_text import inert_text
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.iostreams import IOStreams

if TYPE_CHECKING:
    from ameli_cli.records import PaymentSummary

NUMERIC = {1, 2, 3, 4}  # the amount columns, right-aligned


def group_label(by: str, group: dict[str, Any]) -> str:
    key, label = group.get("key"), group.get("label")
    if by == "beneficiary":
        return f"{key} {label}"
    if by == "professional":
        return f"{key} ({label})" if key else _("sans professionnel (indemnités)")
    if by == "kind":
        return kind_label(str(key))
    return str(key)


def bar(reimbursed: int, out_of_pocket: int, scale: int, width: int = BAR_WIDTH) -> tuple[str, str]:
    """The two parts of a bar: reimbursed, then reste à charge, on one scale."""
    if scale <= 0:
        return "", ""
    full = round(width * max(reimbursed, 0) / scale)
    total = round(width * (max(reimbursed, 0) + max(out_of_pocket, 0)) / scale)
    return FULL * full, LIGHT * max(0, total - full)


def print_summary(io: IOStreams, summary: PaymentSummary) -> None:
    by = summary["by"]
    groups = summary["groups"]
    headers = [
        {
            "month": _("mois"),
            "beneficiary": _("bénéficiaire"),
            "professional": _("professionnel"),
            "kind": _("nature"),
        }[by],
        _("lignes"),
        _("dépense"),
        _("remboursé"),
        _("reste à charge"),
        "",
    ]
    rows = [
        [
            group_label(by, g),
            str(g["count"]),
            euros(g["amount_paid"]),
            euros(g["amount_reimbursed"]),
            euros(g["out_of_pocket"]),
        ]
        for g in groups
    ]
    t = summary["totals"]
    total_row = [
        _("total {year}").format(year=summary["year"]),
        str(t["count"]),
        euros(t["amount_paid"]),
        euros(t["amount_reimbursed"]),
        euros(t["out_of_pocket"]),
        "",
    ]
    if io.stdout_tty:
        _print_table(io, headers, rows, total_row, groups)
    else:
        _print_plain(io, headers, rows, total_row, groups)


def _scale(groups: Sequence[dict[str, Any]]) -> int:
    """The biggest bar: reimbursed plus reste à charge."""
    biggest: int = max(
        [max(g["amount_reimbursed"], 0) + max(g["out_of_pocket"], 0) for g in groups] or [0]
    )
    return biggest


def _legend() -> str:
    return _("{full} remboursé   {light} reste à charge").format(full=FULL, light=LIGHT)


def _print_plain(
    io: IOStreams,
    headers: list[str],
    rows: list[list[str]],
    total_row: list[str],
    groups: Sequence[dict[str, Any]],
) -> None:
    """Piped: aligned columns, the bars as text, the totals on one line."""
    scale = _scale(groups)
    bars = ["".join(bar(g["amount_reimbursed"], g["out_of_pocket"], scale)) for g in groups]
    _plain(io, headers, [[*r, b] for r, b in zip(rows, bars, strict=True)], NUMERIC)
    io.write(
        "  ".join(
            [
                total_row[0],
                _("{n} lignes").format(n=total_row[1]),
                _("dépense {amount}").format(amount=total_row[2]),
                _("remboursé {amount}").format(amount=total_row[3]),
                _("reste à charge {amount}").format(amount=total_row[4]),
            ]
        )
        + "\n"
    )
    io.write(_legend() + "\n")


def _print_table(
    io: IOStreams,
    headers: list[str],
    rows: list[list[str]],
    total_row: list[str],
    groups: Sequence[dict[str, Any]],
) -> None:
    """On a terminal: a Rich table fitted to the width, coloured bars, totals as footer."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(io)
    cells = [*rows, total_row, headers]
    numbers = sum(max(len(str(r[i])) for r in cells) for i in range(1, 5))
    label_natural = max(len(str(r[0])) for r in cells)
    room = console.width - numbers - SEPARATOR * (len(headers) - 1)
    label_width = max(12, min(label_natural, 40, room - 12))
    width = max(10, min(BAR_WIDTH * 2, room - label_width))
    table = Table(
        show_footer=True,
        header_style="bold" if io.color else None,
        caption=_legend(),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    for index, header in enumerate(headers):
        table.add_column(
            header,
            footer=total_row[index],
            justify="right" if index in NUMERIC else "left",
            no_wrap=True,
            overflow="ellipsis",
            width=(
                label_width
                if index == 0
                else width
                if index == len(headers) - 1
                else max(len(str(r[index])) for r in cells)
            ),
        )
    scale = _scale(groups)
    for row, g in zip(rows, groups, strict=True):
        full, light = bar(g["amount_reimbursed"], g["out_of_pocket"], scale, width)
        chart = Text(full, style="green" if io.color else "")
        chart.append(light, style="yellow" if io.color else "")
        table.add_row(*(inert_text(cell) for cell in row), chart)
    console.print(table)
