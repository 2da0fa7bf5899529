"""gettext for every human-facing string.

Message ids are written in French, the default language, so that a string missing
from a catalogue still reads correctly for most users; English comes from the
`en` catalogue. `--json` output never goes through here.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "ameli"
LOCALE_DIR = Path(__file__).parent.parent / "locale"
SUPPORTED = ("fr", "en")


def select_language(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """`AMELI_LANG` wins; otherwise an English POSIX locale means English; else French."""
    env = os.environ if environ is None else environ
    explicit = env.get("AMELI_LANG", "").strip().lower()
    if explicit:
        return explicit[:2] if explicit[:2] in SUPPORTED else "fr"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    return "fr"


LANGUAGE = select_language()
_translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[LANGUAGE], fallback=True)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
