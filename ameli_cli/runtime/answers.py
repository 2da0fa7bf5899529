"""Which server answered this process: to tell "the server sent something odd" from
"our own bug" when a command fails on data it did not expect.

A service at a URL (or a plugin's) may answer anything: a list where an object was due,
a field missing, HTML with a 200. Checking each answer's shape at the client boundary
is the full cure (not built yet); meanwhile `__main__` names the server instead of
saying "erreur interne" when such an error follows an answer from one. The embedded
sandbox is our own code: a shape error there stays an internal error.
"""

from __future__ import annotations

EMBEDDED_BASE_URL = "http://sandbox.invalid"
_answered: list[str] = []


def note_answer(base_url: str) -> None:
    """A successful answer came from `base_url`."""
    if base_url != EMBEDDED_BASE_URL and base_url not in _answered:
        _answered.append(base_url)


def foreign_answer() -> str | None:
    """The last server other than the embedded sandbox that answered, if any."""
    return _answered[-1] if _answered else None


def forget() -> None:
    """For a new run in the same process (tests)."""
    _answered.clear()
