"""Fonts and text for the PDF pages (render/pdf.py): which font prints a string,
its width, its lines, and the operators that draw it in a core font.

- Text a core font can print in windows-1252 (French, € ’ œ – …) is set in Helvetica,
  measured from fpdf2's width tables and written as PDF operators directly.
- Any other string goes whole into a DejaVu Sans cut (`fonts/`, scripts/cut_fonts.py):
  `unicode_cut` chooses it.
- What repeats from page to page is kept in caches bounded at STRINGS_CACHED entries:
  a batch draws the same page a thousand times with other names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
CORE = "helvetica"
# TrueType cuts of DejaVu Sans, smallest first (scripts/cut_fonts.py); a string is set
# in the first one that has all its characters (fpdf2 parses the file again for each
# document: a smaller cut is a faster page).
UNICODE_CUTS = ("greek", "cyrillic", "latin", "subset")
UNICODE_STEMS = {"": "DejaVuSans", "B": "DejaVuSans-Bold"}

# Size of each cache of strings: a page has ~150 distinct strings, most the same on
# every page (kept: used on every page); the names, dates and NIRs of each page pass
# through. The bound keeps a worker's memory flat over a batch of any size.
STRINGS_CACHED = 1024


@lru_cache(maxsize=STRINGS_CACHED)
def core_bytes(text: str) -> str | None:
    """`text` in windows-1252, as a str of those bytes (what a core font's operator
    takes), or None when Helvetica cannot print it."""
    try:
        return text.encode("cp1252").decode("latin-1")
    except UnicodeEncodeError:
        return None


def core_printable(text: str) -> bool:
    """True when Helvetica in windows-1252 prints every character of `text`."""
    return core_bytes(text) is not None


@lru_cache(maxsize=STRINGS_CACHED)
def core_width_units(text: str, bold: bool) -> int:
    """The width of core-printable `text` in thousandths of the font size."""
    widths = _core_widths("B" if bold else "")
    return sum(map(widths.__getitem__, core_bytes(text) or ""))


@lru_cache(maxsize=STRINGS_CACHED)
def core_operators(font: int, text: str, size: float, x: float, y: float, rgb: str) -> str:
    """The operators that draw core-printable `text` at (x, y) in points: font, size,
    colour and text in one q…Q (a label is drawn at the same place on every page)."""
    latin = core_bytes(text) or ""
    escaped = latin.replace("\\", "\\\\").replace(")", "\\)").replace("(", "\\(")
    return (
        f"q {rgb} rg BT /F{font} {size:.2f} Tf {x:.2f} {y:.2f} Td"
        f" ({escaped.replace(chr(13), '')}) Tj ET Q"
    )


@cache
def _coverage() -> dict[str, frozenset[int]]:
    import json

    ranges = json.loads((FONT_DIR / "coverage.json").read_text("utf-8"))
    return {
        cut: frozenset(cp for start, end in ranges[cut] for cp in range(start, end + 1))
        for cut in UNICODE_CUTS
    }


def unicode_cut(text: str, embedded: tuple[str, ...] = ()) -> str:
    """The DejaVu cut for `text`: the first of the `embedded` ones (already in the
    document: no other font to parse and subset) with every character of `text`, else
    the smallest cut with them all, else the largest."""
    needed = {ord(ch) for ch in text}
    coverage = _coverage()
    for cut in (*embedded, *UNICODE_CUTS):
        if needed <= coverage[cut]:
            return cut
    return UNICODE_CUTS[-1]


@cache
def rgb_operands(color: tuple[int, int, int]) -> str:
    return " ".join(f"{c / 255:.3f}".rstrip("0").rstrip(".") or "0" for c in color)


@cache
def _core_widths(style: str) -> dict[str, int]:
    """Helvetica's character widths (thousandths of the size), as fpdf2 ships them."""
    from fpdf.fonts import CORE_FONTS_CHARWIDTHS

    return dict(CORE_FONTS_CHARWIDTHS[CORE + style])


def wrap_words(text: str, too_wide: Callable[[str], bool]) -> list[str]:
    """`text` cut into lines at spaces (and at its newlines), each as long as fits."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and too_wide(candidate):
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return lines


@lru_cache(maxsize=STRINGS_CACHED)
def core_wrap(text: str, size: float, width: float, bold: bool, k: float) -> tuple[str, ...]:
    """`wrap_words` for core-printable text (`k`: the document's points per unit)."""
    return tuple(
        wrap_words(text, lambda part: core_width_units(part, bold) * size * 0.001 / k > width)
    )
