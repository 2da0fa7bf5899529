"""Cut DejaVu Sans down to the scripts of names on an attestation (run once; the
result is shipped in ameli_cli/render/fonts/ with coverage.json, read by the renderer).

Why: fpdf2 parses a TrueType font again for every document (`add_font`) and subsets
it at `output()`, so the cost of a page grows with the size of the font: the full
DejaVu Sans (740 kB) costs ~50 ms a style, the `latin` cut ~14 ms, `greek` ~12. The
renderer uses a core font for text it can print (windows-1252), else the smallest cut
that has every character of the string (see render/pdf.py), smallest first:

- `greek`, `cyrillic`: Latin-1 and punctuation, plus that script (~400-500 glyphs);
- `latin`: Latin-1, Latin Extended-A and -B, Vietnamese, combining marks, punctuation
  (Polish, Czech, Turkish, Romanian, Vietnamese… names);
- `subset`: the above plus IPA, Greek, Cyrillic and Latin Extended Additional.

The OpenType layout tables (GDEF, GPOS, GSUB, MATH) are left out: fpdf2 shapes no text
unless asked (set_text_shaping) and drops them from the font it embeds, so they only
cost parsing (a fifth of a page's font work).

    python scripts/cut_fonts.py /usr/share/fonts/truetype/dejavu   # Debian fonts-dejavu-core
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# Latin-1, dashes, quotes, ellipsis, per mille, guillemets, euro: around any script.
BASE = "U+0020-007E,U+00A0-00FF,U+2010-2027,U+2030-203A,U+20AC"
CUTS = {
    "greek": BASE + ",U+0370-03FF",
    "cyrillic": BASE + ",U+0400-04FF",
    "latin": "U+0020-007E,U+00A0-024F,U+0300-036F,U+1EA0-1EF9,U+2010-2027,U+2030-203A,U+20AC",
    "subset": (
        "U+0020-007E,U+00A0-024F,U+0250-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,"
        "U+1E00-1EFF,U+2000-206F,U+20AC,U+2116,U+2122,U+FFFD"
    ),
}
STYLES = {"": "DejaVuSans", "B": "DejaVuSans-Bold"}
OUT = Path(__file__).resolve().parent.parent / "ameli_cli" / "render" / "fonts"


def ranges(codepoints: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for cp in sorted(codepoints):
        if out and cp == out[-1][1] + 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def main(source_dir: str) -> None:
    coverage: dict[str, list[list[int]]] = {}
    for cut, unicodes in CUTS.items():
        for style, stem in STYLES.items():
            options = subset.Options()
            options.layout_features = []
            options.drop_tables += ["GDEF", "GPOS", "GSUB", "MATH"]
            options.name_IDs = ["*"]
            options.notdef_outline = True
            options.hinting = False
            font = TTFont(Path(source_dir) / f"{stem}.ttf")
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
            subsetter.subset(font)
            target = OUT / f"{stem}-{cut}.ttf"
            font.save(target)
            print(target, target.stat().st_size)
            if style == "":
                coverage[cut] = ranges(list(font.getBestCmap()))
    (OUT / "coverage.json").write_text(json.dumps(coverage) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu")
