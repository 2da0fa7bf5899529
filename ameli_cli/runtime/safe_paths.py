"""The one rule for file names built from data, and for paths that must stay put.

A server (or a stored file) can hold `/../../x`, `..`, NUL, a newline, U+202E or a name
of 10,000 characters. `safe_name()` turns any such text into one harmless file-name
component; `path_inside()` then checks that the path we are about to write is inside
the directory the user chose, whatever the name says.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

# Bytes, not characters: most file systems limit a name to 255 bytes; leave room for
# a temporary suffix (`.tmp-XXXXXXXX`) and an extension added later.
MAX_NAME_BYTES = 200
_FORBIDDEN = re.compile(
    r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def safe_name(text: str, *, fallback: str = "fichier") -> str:
    """One file-name component made from `text`: no separator, no control or bidi
    character, not `.`/`..`, not hidden, at most MAX_NAME_BYTES of UTF-8, never empty."""
    name = unicodedata.normalize("NFC", text)
    name = _FORBIDDEN.sub("_", name).strip().strip(".").strip()
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        keep_ext = dot and 0 < len(ext.encode("utf-8")) <= 10
        budget = MAX_NAME_BYTES - (len(ext.encode("utf-8")) + 1 if keep_ext else 0)
        head = (stem if keep_ext else name).encode("utf-8")[:budget].decode("utf-8", "ignore")
        name = f"{head}.{ext}" if keep_ext else head
    return name or fallback


def path_inside(directory: Path, name: str) -> Path:
    """`directory / name`, refused (exit 2) unless it resolves inside `directory`."""
    base = directory.resolve()
    target = (base / name).resolve()
    if target == base or base not in target.parents:
        raise UsageError(
            _("Nom de fichier refusé : « {name} » sortirait du dossier {directory}.").format(
                name=name, directory=directory
            )
        )
    return target
