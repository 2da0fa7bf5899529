"""Tables for people: one plain style for every list, fitted to the terminal.

Every list command draws its table here: a bold header, a light rule under it,
columns two spaces apart, numbers right-aligned, an optional footer (totals) under
a second rule. No boxes: the output reads the same on a terminal, in a pipe and in
the README.

On a terminal, or when COLUMNS is exported, the table fits that width: ids, dates,
amounts and codes are never cut; text columns (names, labels) wrap onto more lines
first; then the columns with the highest `priority` number are left out, and a line
on stderr says which and that `--wide` shows them. A pipe, or `--wide`, gets every
column at its natural width (scripts and `grep` see whole rows). Cells go through
`inert()`: a table shows server text, never runs it.
"""

from __future__ import annotations

import os
import shutil
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.iostreams import IOStreams

Kind = Literal["text", "id", "date", "amount", "number", "code"]
GAP = "  "
HEADER_ONE_LINE = 16
LONGEST_UNBROKEN = 16


@dataclass(frozen=True)
class Column:
    header: str
    # text wraps; every other kind is shown whole or not at all.
    kind: Kind = "text"
    # 0: always shown; otherwise the highest number is left out first when narrow.
    priority: int = 0
    # A text column narrower than this is left out rather than wrapped further.
    min_width: int = 12

    @property
    def cuttable(self) -> bool:
        return self.kind == "text"

    @property
    def right(self) -> bool:
        return self.kind in ("amount", "number")


def cell_width(text: str) -> int:
    """Columns a string takes on a terminal (wide CJK = 2, combining marks = 0)."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def terminal_width() -> int:
    try:
        return max(20, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        return shutil.get_terminal_size((80, 24)).columns


def _as_column(spec: Column | str) -> Column:
    return spec if isinstance(spec, Column) else Column(spec)


def _fit(
    columns: list[Column], cells: list[int], width: int | None, words: list[int]
) -> tuple[list[int], dict[int, int]]:
    """Which columns to show and their widths, for a terminal `width` wide (None: all).
    `cells` is the widest cell of each column; headers may wrap at their spaces."""
    natural = [max(cells[i], cell_width(c.header)) for i, c in enumerate(columns)]
    shown = list(range(len(columns)))
    if width is None:
        return shown, {i: natural[i] for i in shown}

    def floor(i: int) -> int:
        # A short header stays on one line; only a long one wraps at its spaces.
        header = cell_width(columns[i].header)
        if header > HEADER_ONE_LINE:
            header = max((cell_width(w) for w in columns[i].header.split()), default=1)
        if columns[i].cuttable:
            # Wide enough not to break a word (up to LONGEST_UNBROKEN characters).
            word = min(words[i], LONGEST_UNBROKEN)
            return max(min(cells[i], columns[i].min_width), header, word)
        return max(cells[i], header)

    def needed(indexes: list[int]) -> int:
        return sum(floor(i) for i in indexes) + len(GAP) * (len(indexes) - 1)

    while needed(shown) > width:
        droppable = [i for i in shown if columns[i].priority > 0]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda i: (columns[i].priority, i)))
    widths = {i: floor(i) for i in shown}
    left = width - needed(shown)
    # Share what is left among the text columns, the most squeezed first.
    while left > 0:
        short = [i for i in shown if widths[i] < natural[i]]
        if not short:
            break
        grow = max(short, key=lambda i: natural[i] - widths[i])
        widths[grow] += 1
        left -= 1
    return shown, widths


def _wrap(text: str, width: int) -> list[str]:
    if cell_width(text) <= width:
        return [text]
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=True) or [""]


def _pad(text: str, width: int, right: bool) -> str:
    room = " " * max(0, width - cell_width(text))
    return room + text if right else text + room


def render_table(
    columns: Sequence[Column | str],
    rows: Sequence[Sequence[object]],
    *,
    footer: Sequence[object] | None = None,
    width: int | None = None,
    bold: bool = False,
) -> tuple[str, list[str]]:
    """The table as text, and the headers of the columns left out to fit `width`."""
    specs = [_as_column(c) for c in columns]
    body = [["" if c is None else inert(str(c), single_line=True) for c in row] for row in rows]
    foot = (
        ["" if c is None else inert(str(c), single_line=True) for c in footer]
        if footer is not None
        else None
    )
    specs = [
        Column(inert(c.header, single_line=True), c.kind, c.priority, c.min_width) for c in specs
    ]
    everything = [*body, *([foot] if foot else [])]
    cells = [max((cell_width(r[i]) for r in everything), default=0) for i in range(len(specs))]
    words = [
        max((cell_width(w) for r in everything for w in r[i].split()), default=0)
        for i in range(len(specs))
    ]
    shown, widths = _fit(specs, cells, width, words)

    def lines_of(row: list[str], style: str = "") -> list[str]:
        wrapped = [_wrap(row[i], widths[i]) for i in shown]
        out = []
        for n in range(max(len(w) for w in wrapped)):
            parts = [
                _pad(w[n] if n < len(w) else "", widths[i], specs[i].right)
                for i, w in zip(shown, wrapped, strict=True)
            ]
            line = GAP.join(parts).rstrip()
            out.append(f"\x1b[{style}m{line}\x1b[0m" if style and line else line)
        return out

    rule = GAP.join("─" * widths[i] for i in shown)
    text = [*lines_of([c.header for c in specs], "1" if bold else ""), rule]
    for row in body:
        text += lines_of(row)
    if foot is not None:
        text += [rule, *lines_of(foot, "1" if bold else "")]
    hidden = [specs[i].header for i in range(len(specs)) if i not in shown]
    return "\n".join(text) + "\n", hidden


def print_table(
    io: IOStreams,
    columns: Sequence[Column | str],
    rows: Sequence[Sequence[object]],
    *,
    footer: Sequence[object] | None = None,
    wide: bool = False,
    title: str | None = None,
) -> None:
    # A pipe gets whole rows, unless COLUMNS was exported on purpose (docs, tests).
    fitted = (io.stdout_tty or bool(os.environ.get("COLUMNS"))) and not (wide or io.wide)
    text, hidden = render_table(
        columns, rows, footer=footer, width=terminal_width() if fitted else None, bold=io.color
    )
    if title:
        io.write(title + "\n")
    io.write_data(text)  # cells made inert in render_table; only our bold remains
    if hidden:
        io.info(
            _(
                "(colonnes masquées pour tenir dans le terminal : {names} ; --wide les montre)"
            ).format(names=", ".join(hidden))
        )


def wrap_note(text: str, width: int | None) -> str:
    """A sentence under a table, wrapped to the same width (whole words; a command
    longer than the line stays whole on its own line)."""
    if width is None or cell_width(text) <= width:
        return text + "\n"
    lines = textwrap.wrap(
        inert(text), width, break_long_words=False, break_on_hyphens=False, subsequent_indent="  "
    )
    return "\n".join(lines) + "\n"
