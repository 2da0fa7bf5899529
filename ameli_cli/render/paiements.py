"""Payments for people: the list with a totals row, one line in full, and CSV (the
totals with bars are paiements_summary.py). Rich only on a terminal (imported inside the functions that use it)."""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ameli_cli.render.dates import display_date
from ameli_cli.render.money import euros
from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.i18n import _, ngettext
from ameli_cli.runtime.iostreams import IOStreams

if TYPE_CHECKING:
    from ameli_cli.records import Payment

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


def print_payments(io: IOStreams, items: Sequence[dict[str, Any]], *, wide: bool = False) -> None:
    from ameli_cli.render.tables import Column, print_table

    # Priorities: what a person needs to recognise a payment stays; the detail columns
    # (care date, rate, who was paid, deductions) go first on a narrow terminal.
    columns = [
        Column(_("id"), "id"),
        Column(_("payé le"), "date"),
        Column(_("soins le"), "date", priority=6),
        Column(_("bénéficiaire"), "text", priority=1, min_width=10),
        Column(_("professionnel"), "text", priority=3, min_width=12),
        Column(_("acte"), "text", min_width=14),
        Column(_("dépense"), "amount", priority=4),
        Column(_("taux"), "number", priority=7),
        Column(_("remboursé"), "amount"),
        Column(_("déduit"), "amount", priority=5),
        Column(_("reste à charge"), "amount", priority=2),
        Column(_("versé à"), "text", priority=8, min_width=8),
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
    print_table(io, columns, rows, footer=total_row, wide=wide)


SEPARATOR = 3  # what Rich puts between two columns (padding and rule)


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


def payment_detail(item: Payment) -> str:
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


# -- JSON ------------------------------------------------------------------------------


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
