"""PDF documents drawn with fpdf2 from a small document model (attestations, and any
other one-page certificate: the CEAM provisional certificate reuses it).

Entry point: `render_pdf(Document(...)) -> bytes`. The same Document gives the same
bytes (the creation date comes from the document, never the clock), so a verifier
can draw the page again and compare.

Fonts, correct and fast:
- Text a core font can print in windows-1252 (French, € ’ œ – …) is set in Helvetica:
  no font to embed, about 1 ms for a page.
- Any other string (`Łukasz Nguyễn`, Greek, Cyrillic…) is set, whole, in DejaVu Sans
  cut down beforehand (shipped in `fonts/`, see scripts/cut_fonts.py): a cut the
  document already embeds if one has all its characters, else the smallest that has
  them (`greek`, `cyrillic`, `latin`, else `subset`). It is loaded only by a document
  that needs it, once per cut and style, so a French page never pays for TrueType
  parsing and subsetting (fpdf2 parses the file at `add_font` and subsets it at
  `output`, for each document: about 7 ms a style, bench/README.md).
- What repeats from page to page (labels at the same places, the widths and
  windows-1252 bytes of the same strings, a paragraph's lines) is kept in bounded
  caches: a batch draws the same page a thousand times with other names.
- The QR code is encoded by zxing-cpp (compiled) and drawn as one inline image mask
  (a bit a module), not a rectangle per module or per run.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ameli_cli.render.pdf_model import (
    BLACK,
    Block,
    Document,
    Fields,
    Heading,
    Notice,
    Paragraph,
    Spacer,
    Table,
)
from ameli_cli.render.pdf_qr import draw_qr
from ameli_cli.render.pdf_text import (
    CORE,
    FONT_DIR,
    UNICODE_STEMS,
    core_operators,
    core_printable,
    core_width_units,
    core_wrap,
    rgb_operands,
    unicode_cut,
    wrap_words,
)

# Bump whenever the drawing changes (tests/test_attestation.py keeps a page's hash):
# `attestation verify` compares a page byte for byte with a fresh rendering only when
# it was drawn by the same version; older pages get their signature checked alone.
# 5: DejaVu cuts without OpenType layout tables, `greek` and `cyrillic` cuts, a cut
# already embedded preferred; 4: the QR's mask pattern given (0), not searched; 3: QR as an image mask, core-font
# text written directly; 2: QR by zxing-cpp, a path (1: segno).
RENDER_VERSION = 5

A4_WIDTH = 210.0
A4_HEIGHT = 297.0
MARGIN = 18.0
BOTTOM = A4_HEIGHT - 20.0
LINE = 1.35  # line height as a multiple of the font size in mm
PT = 0.3528  # mm per point

BLUE = (0, 84, 147)
GREY = (90, 90, 90)
LIGHT = (232, 240, 248)


# -- drawing ---------------------------------------------------------------------------


@cache
def _quiet_fpdf2_log() -> None:
    """fpdf2 logs a warning quoting each missing glyph: a server's ESC would reach the
    terminal raw through it. A library's log is not for our users: errors only (set
    once: setLevel clears the logging module's caches each time)."""
    import logging

    logging.getLogger("fpdf").setLevel(logging.ERROR)


class _Page:
    """fpdf2 with the font switch and a cursor that moves down the page."""

    def __init__(self, document: Document) -> None:
        from fpdf import FPDF

        _quiet_fpdf2_log()
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.core_fonts_encoding = "windows-1252"
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_creation_date(document.created)
        pdf.set_title(document.title)
        pdf.set_author(document.author)
        pdf.set_subject(document.subject or document.title)
        pdf.set_creator(document.producer)
        pdf.set_producer(document.producer)
        pdf.set_lang(document.lang)
        pdf.set_display_mode("fullpage")
        self.pdf = pdf
        self.document = document
        self.y = MARGIN
        self._unicode_fonts: set[tuple[str, str]] = set()
        self._cuts: tuple[str, ...] = ()  # DejaVu cuts embedded, in the order added
        # What was last given to set_font / set_text_color, to skip repeating it.
        self._font_set: tuple[str, str, float] | None = None
        self._color_set: tuple[int, int, int] | None = None
        self._drawing_set: dict[str, tuple[float, ...]] = {}  # setter -> its last arguments
        # Helvetica and its bold, registered once: core text names them itself.
        self._core: dict[str, Any] = {}
        for style in ("", "B"):
            pdf.set_font(CORE, style, 10)
            self._core[style] = pdf.current_font
        self._core_on_page: set[tuple[int, int]] = set()  # (font number, page)

    # fonts

    def font(self, text: str, size: float, bold: bool = False) -> None:
        style = "B" if bold else ""
        cut = None if core_printable(text) else unicode_cut(text, self._cuts)
        family = CORE if cut is None else "dejavu-" + cut
        if (family, style, size) == self._font_set:
            return  # fpdf2's set_font normalizes its arguments on every call: skip it
        if cut is not None and (family, style) not in self._unicode_fonts:
            path = FONT_DIR / f"{UNICODE_STEMS[style]}-{cut}.ttf"
            self.pdf.add_font(family, style, str(path))
            self._unicode_fonts.add((family, style))
            if cut not in self._cuts:
                self._cuts += (cut,)
        self.pdf.set_font(family, style, size)
        self._font_set = (family, style, size)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        if core_printable(text):
            # fpdf2's get_string_width runs its bidi and styling machinery for every
            # call (a third of a page's time); a core font's widths are a table, and
            # measuring needs no set_font.
            return core_width_units(text, bold) * size * 0.001 / float(self.pdf.k)
        self.font(text, size, bold)
        return float(self.pdf.get_string_width(text))

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        color: tuple[int, int, int] = BLACK,
        align_right: bool = False,
    ) -> None:
        if not text:
            return
        if align_right:
            x -= self.width(text, size, bold)
        pdf = self.pdf
        if core_printable(text):
            # A core font: the text operators written here (font, size, colour and
            # text in one q…Q), without fpdf2's set_font/text() and their per-call
            # checks and normalization (most of a page's drawing time).
            font = self._core["B" if bold else ""]
            if (font.i, pdf.page) not in self._core_on_page:
                from fpdf.enums import PDFResourceType

                pdf._resource_catalog.add(PDFResourceType.FONT, font.i, pdf.page)
                self._core_on_page.add((font.i, pdf.page))
            k = pdf.k
            pdf._out(
                core_operators(font.i, text, size, x * k, (pdf.h - y) * k, rgb_operands(color))
            )
            return
        self.font(text, size, bold)
        if color != self._color_set:
            pdf.set_text_color(*color)
            self._color_set = color
        pdf.text(x, y, text)

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        if core_printable(text):  # then so is every part of it: measured from tables
            return list(core_wrap(text, size, width, bold, float(self.pdf.k)))
        return wrap_words(text, lambda candidate: self.width(candidate, size, bold) > width)

    def fit(self, text: str, size: float, width: float, bold: bool = False) -> float:
        """The size at which `text` fits `width` (never below 6 pt)."""
        while size > 6 and self.width(text, size, bold) > width:
            size -= 0.5
        return size

    def drawing(self, setter: str, *args: float) -> None:
        """fpdf2's set_draw_color, set_fill_color or set_line_width, called only when
        the value changes: each call builds colour objects even when it writes nothing
        (fpdf2 itself writes an operator only on a change, so the page is the same)."""
        if self._drawing_set.get(setter) != args:
            getattr(self.pdf, setter)(*args)
            self._drawing_set[setter] = args

    # flow

    def need(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.new_page()

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = MARGIN

    def advance(self, size: float, lines: int = 1) -> None:
        self.y += size * PT * LINE * lines


def render_pdf(document: Document) -> bytes:
    """Draw the document on A4 pages and return the PDF bytes."""
    page = _Page(document)
    page.new_page()
    _draw_header(page)
    content_width = A4_WIDTH - 2 * MARGIN
    for block in document.blocks:
        _draw_block(page, block, content_width)
    _draw_footer(page)
    for attachment in document.attachments:
        page.pdf.embed_file(
            bytes=attachment.data,
            basename=attachment.name,
            mime_type=attachment.mime_type,
            desc=attachment.description,
            creation_date=document.created,
            modification_date=document.created,
            compress=False,
        )
    return bytes(page.pdf.output())


QR_SIZE = 42.0


def _draw_header(page: _Page) -> None:
    document = page.document
    top = MARGIN
    if document.qr_text:
        x = A4_WIDTH - MARGIN - QR_SIZE
        draw_qr(page.pdf, document.qr_text, x, top, QR_SIZE)
        y = top + QR_SIZE + 3
        for line in document.qr_caption:
            page.text(x + QR_SIZE, y, line, 6.5, color=GREY, align_right=True)
            y += 6.5 * PT * LINE
    y = top + 5
    if document.banner:
        page.text(MARGIN, y, document.banner, 15, bold=True, color=BLUE)
        y += 8
    for line in document.header_lines:
        page.text(MARGIN, y, line, 9, color=GREY)
        y += 9 * PT * LINE
    page.y = max(y, top + (QR_SIZE + 4 + len(document.qr_caption) * 3.2 if document.qr_text else 0))
    page.y += 4


def _draw_block(page: _Page, block: Block, width: float) -> None:
    pdf = page.pdf
    if isinstance(block, Spacer):
        page.y += block.height
    elif isinstance(block, Heading):
        page.need(block.size * PT * 3 + 10)
        page.y += 2
        page.advance(block.size)
        page.text(MARGIN, page.y, block.text, block.size, bold=True, color=BLUE)
        page.drawing("set_draw_color", *BLUE)
        page.drawing("set_line_width", 0.3)
        pdf.line(MARGIN, page.y + 1.5, MARGIN + width, page.y + 1.5)
        page.y += 3
    elif isinstance(block, Paragraph):
        for line in page.wrap(block.text, block.size, width, block.bold):
            page.need(block.size * PT * LINE)
            page.advance(block.size)
            page.text(MARGIN, page.y, line, block.size, bold=block.bold, color=block.color)
    elif isinstance(block, Notice):
        lines = page.wrap(block.text, block.size, width - 8, True)
        height = len(lines) * block.size * PT * LINE + 4
        page.need(height + 2)
        page.drawing("set_fill_color", *LIGHT)
        page.drawing("set_draw_color", *BLUE)
        page.drawing("set_line_width", 0.4)
        pdf.rect(MARGIN, page.y + 1, width, height, style="DF")
        page.y += 2
        for line in lines:
            page.advance(block.size)
            page.text(MARGIN + 4, page.y, line, block.size, bold=True, color=BLUE)
        page.y += 3
    elif isinstance(block, Fields):
        for label, value in block.rows:
            lines = page.wrap(value, block.size, width - block.label_width, True)
            page.need(len(lines) * block.size * PT * LINE)
            page.advance(block.size)
            page.text(MARGIN, page.y, label, block.size, color=GREY)
            for i, line in enumerate(lines):
                if i:
                    page.advance(block.size)
                page.text(MARGIN + block.label_width, page.y, line, block.size, bold=True)
    elif isinstance(block, Table):
        _draw_table(page, block, width)


def _draw_table(page: _Page, table: Table, width: float) -> None:
    pdf = page.pdf
    widths = list(table.widths)
    if widths and widths[-1] == 0:
        widths[-1] = width - sum(widths[:-1])
    row_height = table.size * PT * LINE + 1.6

    def row(cells: tuple[str, ...], bold: bool, shade: bool) -> None:
        page.need(row_height)
        if shade:
            page.drawing("set_fill_color", *LIGHT)
            pdf.rect(MARGIN, page.y, width, row_height, style="F")
        baseline = page.y + row_height - 1.9
        x = MARGIN
        for i, cell in enumerate(cells):
            room = widths[i] - (4 if i in table.align_right else 2)
            size = page.fit(cell, table.size, room, bold)
            if i in table.align_right:
                page.text(x + widths[i] - 3, baseline, cell, size, bold=bold, align_right=True)
            else:
                page.text(x + 1, baseline, cell, size, bold=bold)
            x += widths[i]
        page.y += row_height

    page.y += 1.5
    row(table.headers, True, True)
    for cells in table.rows:
        row(cells, False, False)
        page.drawing("set_draw_color", 200, 200, 200)
        page.drawing("set_line_width", 0.2)
        pdf.line(MARGIN, page.y, MARGIN + width, page.y)


def _draw_footer(page: _Page) -> None:
    pdf = page.pdf
    lines = page.document.footer_lines
    for number in range(1, pdf.page + 1):
        pdf.page = number
        y = A4_HEIGHT - 12 - 3.2 * (len(lines) - 1)
        for line in lines:
            page.text(MARGIN, y, line, 7, color=GREY)
            y += 3.2
        if pdf.pages_count > 1:
            label = f"{number}/{pdf.pages_count}"
            page.text(A4_WIDTH - MARGIN, A4_HEIGHT - 12, label, 7, color=GREY, align_right=True)
