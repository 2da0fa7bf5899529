"""What an attachment may be called (issue 13): the rule both sides apply.

The service refuses a name that would be dangerous on the reader's side (a NUL, a
terminal escape, a bidi override that shows `gnp.exe` as `exe.png`, a path separator,
`.` or `..`); the CLI applies the same rule to a file before sending it, so the user
hears about it before anything leaves the machine. Names stored before the rule (or
written into a database by hand) are still made safe by the CLI when it downloads them.
"""

from __future__ import annotations

import unicodedata

MAX_ATTACHMENT_NAME = 200

# Joiners are part of how some scripts (and emoji) are written: allowed. Every other
# format character (bidi marks and overrides, BOM, invisible operators) is not.
_ALLOWED_FORMAT = frozenset({"\u200c", "\u200d"})
# Control (Cc), format (Cf), surrogate (Cs), line and paragraph separators (Zl, Zp).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def attachment_name_problem(name: str) -> str | None:
    """None when `name` may be used as is; else why not, as a stable word:
    `empty`, `too_long`, `control` (a control, format or bidi character), `separator`
    (`/` or `\\`), `dot` (`.` or `..`), `spaces` (leading or trailing white space)."""
    if not name or not name.strip():
        return "empty"
    if len(name) > MAX_ATTACHMENT_NAME:
        return "too_long"
    for char in name:
        if char in _ALLOWED_FORMAT:
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return "control"
    if "/" in name or "\\" in name:
        return "separator"
    if name in (".", ".."):
        return "dot"
    if name != name.strip():
        return "spaces"
    return None
