"""The one terminal sanitizer: text we did not write is made inert before a person sees it.

Server fields, stored user text (an assuré's message read by an agent), file names and
problem details can carry escape sequences (`ESC ] 8 ;; url BEL` hyperlinks, `ESC [2J`,
window-title changes, C1 `CSI` 0x9b), carriage returns that overwrite a line, or bidi
overrides that reorder what the eye reads. `inert()` shows every such character as a
visible escape (`\\x1b`, `\\u202e`) and keeps newlines (and tabs) so a message body still
reads as paragraphs. Rich markup needs no escaping when text reaches Rich as a
`rich.text.Text` (never parsed for markup): `inert_text()` builds one.

`--json` and CSV never come through here: they stay faithful to the data.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# C0 controls but newline and tab, DEL, C1 controls; bidi embeddings, overrides and
# isolates; the Arabic letter mark; line and paragraph separators (they break a table row).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(value: object, *, single_line: bool = False) -> str:
    """`value` as text a terminal shows but never obeys.

    `single_line=True` also makes newlines and tabs visible: for table cells, file
    names and one-line fields, where a newline would forge another row.
    """
    text = "" if value is None else str(value)
    text = _UNSAFE.sub(_visible, text)
    if single_line:
        text = text.replace("\n", "\\n").replace("\t", "\\t")
    return text


def inert_text(value: object, *, single_line: bool = True, style: str = "") -> Text:
    """A Rich `Text` of `inert(value)`: Rich never reads markup inside it."""
    from rich.text import Text

    return Text(inert(value, single_line=single_line), style=style)
