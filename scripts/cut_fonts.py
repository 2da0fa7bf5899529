"""Cut DejaVu Sans down to the scripts of names on an attestation (run once; the
result is shipped in ameli_cli/render/fonts/).

Why: fpdf2 parses a TrueType font again for every document (`add_font`) and subsets
it at `output()`; the full DejaVu Sans (740 kB) costs ~80 ms a page, this cut
(Latin with Vietnamese, Greek, Cyrillic, punctuation) a quarter of that. The
renderer uses it only for strings a core font cannot print (see render/pdf.py).

    python scripts/cut_fonts.py /usr/share/fonts/truetype/dejavu   # Debian fonts-dejavu-core
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

RANGES = (
    "U+0020-007E,U+00A0-024F,U+0250-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,"
    "U+1E00-1EFF,U+2000-206F,U+20AC,U+2116,U+2122,U+FFFD"
)
FONTS = {
    "DejaVuSans.ttf": "DejaVuSans-subset.ttf",
    "DejaVuSans-Bold.ttf": "DejaVuSans-Bold-subset.ttf",
}
OUT = Path(__file__).resolve().parent.parent / "ameli_cli" / "render" / "fonts"


def main(source_dir: str) -> None:
    for source, target in FONTS.items():
        options = subset.Options()
        options.layout_features = ["kern", "ccmp", "mark", "mkmk"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.hinting = False
        font = TTFont(Path(source_dir) / source)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(RANGES))
        subsetter.subset(font)
        font.save(OUT / target)
        print(OUT / target, (OUT / target).stat().st_size)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu")
