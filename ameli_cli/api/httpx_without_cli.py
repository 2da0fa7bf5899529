"""Import httpx without its command-line entry point.

httpx's `__init__` tries `from ._main import main`, which imports click, rich and
pygments (about 60 ms here) for a CLI we never run. Marking the module missing
makes httpx fall back to its stub, as it does when those extras are absent.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402

__all__ = ["httpx"]
