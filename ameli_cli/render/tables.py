"""Tables for people: Rich on a terminal, plain aligned text elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from ameli_cli.render.terminal_text import inert, inert_text
from ameli_cli.runtime.iostreams import IOStreams


def print_table(
    io: IOStreams,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    title: str | None = None,
) -> None:
    if io.stdout_tty:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, header_style="bold" if io.color else None)
        for header in headers:
            table.add_column(header)
        for row in rows:
            # Text cells: Rich never reads markup (`[link=…]`) in what a server sent.
            table.add_row(*(inert_text(cell) for cell in row))
        Console(
            file=io.stdout, no_color=not io.color, force_terminal=io.color, highlight=False
        ).print(table)
        return
    cells = [[str(h) for h in headers]] + [[inert(c, single_line=True) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in cells
    ]
    io.write_data("\n".join(lines) + "\n")  # cells made inert above
