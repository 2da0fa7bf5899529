"""Payments for people: the list with a totals row, one line in full, totals with bars,
and CSV. Rich only on a terminal (imported inside the functions that use it)."""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Iterable, Sequence
from typing import Any

from ameli_cli.render.dates import display_date
from ameli_cli.render.money import euros
from ameli_cli.render.terminal_text import inert, inert_text
from ameli_cli.runtime.i18n import _, ngettext
from ameli_cli.runtime.iostreams import IOStreams

# The flat CSV columns: the API's fields, nested objects joined with `_`.
CSV_FIELDS = (
    "id",
    "payment_date",
    "care_date",
    "care_end_date",
    "beneficiary_rank",
    "beneficiary_name",
    "professional_name",
    "professional_specialty",
    "act_code",
    "act_label",
    "kind",
    "quantity",
    "daily_amount",
    "amount_paid",
    "base",
    "rate",
    "amount_reimbursed",
    "participation_forfaitaire",
    "franchise",
    "out_of_pocket",
    "paid_to",
    "transfer_id",
)
BAR_WIDTH = 32
FULL, LIGHT = "█", "░"


def kind_label(kind: str) -> str:
    labels = {
        "soins": _("soins"),
        "pharmacie": _("pharmacie"),
        "biologie": _("biologie"),
        "paramedical": _("paramédical"),
        "dentaire": _("dentaire"),
        "hopital": _("hôpital"),
        "ij": _("indemnités journalières"),
    }
    return labels.get(kind, kind)


def paid_to_label(paid_to: str) -> str:
    return {"assure": _("vous"), "professionnel": _("professionnel")}.get(paid_to, paid_to)


def _professional(item: dict[str, Any]) -> str:
    pro = item.get("professional")
    return str(pro["name"]) if pro else "—"


def totals(items: Iterable[dict[str, Any]]) -> dict[str, int]:
    keys = ("amount_paid", "amount_reimbursed", "out_of_pocket")
    sums = dict.fromkeys(keys, 0)
    count = 0
    for item in items:
        count += 1
        for key in keys:
            sums[key] += int(item[key])
    return {"count": count, **sums}


# -- list ------------------------------------------------------------------------------


def print_payments(io: IOStreams, items: Sequence[dict[str, Any]]) -> None:
    headers = [
        _("id"),
        _("payé le"),
        _("soins le"),
        _("bénéficiaire"),
        _("professionnel"),
        _("acte"),
        _("dépense"),
        _("taux"),
        _("remboursé"),
        _("déduit"),
        _("reste à charge"),
        _("versé à"),
    ]
    rows = [
        [
            item["id"],
            display_date(item["payment_date"]),
            display_date(item["care_date"]),
            item["beneficiary"]["name"],
            _professional(item),
            item["act"]["label"],
            euros(item["amount_paid"]),
            f"{item['rate']} %",
            euros(item["amount_reimbursed"]),
            euros(item["participation_forfaitaire"] + item["franchise"]),
            euros(item["out_of_pocket"]),
            paid_to_label(item["paid_to"]),
        ]
        for item in items
    ]
    sums = totals(items)
    total_row = [
        ngettext("total ({n} ligne)", "total ({n} lignes)", sums["count"]).format(n=sums["count"]),
        "",
        "",
        "",
        "",
        "",
        euros(sums["amount_paid"]),
        "",
        euros(sums["amount_reimbursed"]),
        euros(sum(i["participation_forfaitaire"] + i["franchise"] for i in items)),
        euros(sums["out_of_pocket"]),
        "",
    ]
    numeric = {6, 7, 8, 9, 10}
    if not io.stdout_tty:
        _plain(io, headers, [*rows, total_row], numeric)
        return
    from rich import box
    from rich.table import Table

    console = _console(io)
    cells = [*rows, total_row, headers]
    natural = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    # Columns to drop first when the terminal is too narrow for all of them; the text
    # columns (beneficiary, professional, act) shrink to their minimum before that.
    drop_order = (2, 11, 7, 9, 6, 4)
    text = {3: 14, 4: 18, 5: 24}
    shown = list(range(len(headers)))
    for index in drop_order:
        floor = sum(text.get(i) or natural[i] for i in shown) + SEPARATOR * (len(shown) - 1)
        if floor <= console.width:
            break
        shown.remove(index)
    widths = _share_widths(natural, shown, text, console.width)
    table = Table(
        show_footer=True,
        header_style="bold" if io.color else None,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    for index in shown:
        table.add_column(
            headers[index],
            footer=total_row[index],
            justify="right" if index in numeric else "left",
            no_wrap=True,  # one line per payment; long names end with an ellipsis
            overflow="ellipsis",
            width=widths[index],
        )
    for row in rows:
        table.add_row(*(inert_text(row[i]) for i in shown))
    console.print(table)


SEPARATOR = 3  # what Rich puts between two columns (padding and rule)


def _share_widths(
    natural: list[int], shown: list[int], text: dict[int, int], total: int
) -> dict[int, int]:
    """Fixed columns get their content's width; text columns share what is left."""
    widths = {i: natural[i] for i in shown if i not in text}
    flexible = [i for i in shown if i in text]
    left = total - sum(widths.values()) - SEPARATOR * (len(shown) - 1)
    wanted = {i: min(natural[i], 32) for i in flexible}
    for i in flexible:
        widths[i] = text[i]
    left -= sum(text[i] for i in flexible)
    # Grow the text columns one character at a time, the most truncated first.
    while left > 0:
        short = [i for i in flexible if widths[i] < wanted[i]]
        if not short:
            break
        grow = max(short, key=lambda i: wanted[i] - widths[i])
        widths[grow] += 1
        left -= 1
    return widths


def _plain(
    io: IOStreams, headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]
) -> None:
    cells = [list(headers), *[list(r) for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(parts).rstrip())
    io.write("\n".join(lines) + "\n")


def _console(io: IOStreams) -> Any:
    from rich.console import Console

    return Console(file=io.stdout, no_color=not io.color, force_terminal=io.color, highlight=False)


# -- one payment -----------------------------------------------------------------------


def payment_detail(item: dict[str, Any]) -> str:
    pro = item.get("professional")
    rows: list[tuple[str, str]] = [
        (_("paiement"), item["id"]),
        (_("payé le"), display_date(item["payment_date"])),
        (_("versé à"), paid_to_label(item["paid_to"])),
        (_("virement"), inert(item.get("transfer_id") or "—", single_line=True)),
        (_("nature"), kind_label(item["kind"])),
        (
            _("bénéficiaire"),
            f"{item['beneficiary']['name']} ({_('rang')} {item['beneficiary']['rank']})",
        ),
    ]
    if item.get("care_end_date"):
        rows.append(
            (
                _("période"),
                _("du {start} au {end}").format(
                    start=display_date(item["care_date"]), end=display_date(item["care_end_date"])
                ),
            )
        )
    else:
        rows.append((_("soins le"), display_date(item["care_date"])))
    rows.append((_("professionnel"), f"{pro['name']} ({pro['specialty']})" if pro else "—"))
    rows.append((_("acte"), f"{item['act']['label']} ({item['act']['code']})"))
    if item["kind"] == "ij":
        rows.append(
            (
                _("indemnités"),
                _("{days} jours × {daily}").format(
                    days=item["quantity"], daily=euros(item["daily_amount"])
                ),
            )
        )
    elif item["quantity"] != 1:
        rows.append((_("quantité"), str(item["quantity"])))
    rows += [
        (_("dépense"), euros(item["amount_paid"])),
        (_("base de remboursement"), euros(item["base"])),
        (_("taux"), f"{item['rate']} %"),
        (_("participation forfaitaire"), euros(item["participation_forfaitaire"])),
        (_("franchise"), euros(item["franchise"])),
        (_("remboursé"), euros(item["amount_reimbursed"])),
        (_("reste à charge"), euros(item["out_of_pocket"])),
    ]
    width = max(len(label) for label, _value in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows) + "\n"


# -- summary ---------------------------------------------------------------------------


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


def print_summary(io: IOStreams, summary: dict[str, Any]) -> None:
    by = summary["by"]
    groups = summary["groups"]
    scale = max(
        [max(g["amount_reimbursed"], 0) + max(g["out_of_pocket"], 0) for g in groups] or [0]
    )
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
    rows = []
    for g in groups:
        rows.append(
            [
                group_label(by, g),
                str(g["count"]),
                euros(g["amount_paid"]),
                euros(g["amount_reimbursed"]),
                euros(g["out_of_pocket"]),
            ]
        )
    t = summary["totals"]
    total_row = [
        _("total {year}").format(year=summary["year"]),
        str(t["count"]),
        euros(t["amount_paid"]),
        euros(t["amount_reimbursed"]),
        euros(t["out_of_pocket"]),
        "",
    ]
    legend = _("{full} remboursé   {light} reste à charge").format(full=FULL, light=LIGHT)
    numeric = {1, 2, 3, 4}
    if not io.stdout_tty:
        bars = ["".join(bar(g["amount_reimbursed"], g["out_of_pocket"], scale)) for g in groups]
        _plain(io, headers, [[*r, b] for r, b in zip(rows, bars, strict=True)], numeric)
        io.write(
            "  ".join(
                [
                    total_row[0],
                    _("{n} lignes").format(n=t["count"]),
                    _("dépense {amount}").format(amount=total_row[2]),
                    _("remboursé {amount}").format(amount=total_row[3]),
                    _("reste à charge {amount}").format(amount=total_row[4]),
                ]
            )
            + "\n"
        )
        io.write(legend + "\n")
        return
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
        caption=legend,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
    )
    for index, header in enumerate(headers):
        table.add_column(
            header,
            footer=total_row[index],
            justify="right" if index in numeric else "left",
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
    for row, g in zip(rows, groups, strict=True):
        full, light = bar(g["amount_reimbursed"], g["out_of_pocket"], scale, width)
        chart = Text(full, style="green" if io.color else "")
        chart.append(light, style="yellow" if io.color else "")
        table.add_row(*(inert_text(cell) for cell in row), chart)
    console.print(table)


# -- JSON ------------------------------------------------------------------------------


def json_list(items: Sequence[dict[str, Any]]) -> str:
    """A JSON array with one record per line: `indent=` would send `json` through its
    pure-Python encoder, 5× slower on 100,000 lines; pipe to `jq` to pretty-print."""
    import json

    if not items:
        return "[]\n"
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "[\n" + ",\n".join(encode(item) for item in items) + "\n]\n"


# -- CSV -------------------------------------------------------------------------------


def flatten(item: dict[str, Any]) -> dict[str, Any]:
    pro = item.get("professional") or {}
    return {
        "id": item["id"],
        "payment_date": item["payment_date"],
        "care_date": item["care_date"],
        "care_end_date": item.get("care_end_date"),
        "beneficiary_rank": item["beneficiary"]["rank"],
        "beneficiary_name": item["beneficiary"]["name"],
        "professional_name": pro.get("name"),
        "professional_specialty": pro.get("specialty"),
        "act_code": item["act"]["code"],
        "act_label": item["act"]["label"],
        "kind": item["kind"],
        "quantity": item["quantity"],
        "daily_amount": item.get("daily_amount"),
        "amount_paid": item["amount_paid"],
        "base": item["base"],
        "rate": item["rate"],
        "amount_reimbursed": item["amount_reimbursed"],
        "participation_forfaitaire": item["participation_forfaitaire"],
        "franchise": item["franchise"],
        "out_of_pocket": item["out_of_pocket"],
        "paid_to": item["paid_to"],
        "transfer_id": item.get("transfer_id"),
    }


def csv_text(items: Iterable[dict[str, Any]]) -> str:
    """RFC 4180: a header row, CRLF line ends, quotes where needed; amounts in cents."""
    buffer = _io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        writer.writerow({k: ("" if v is None else v) for k, v in flatten(item).items()})
    return buffer.getvalue()
