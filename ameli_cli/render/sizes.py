"""File sizes as a person in France reads them: `512 o`, `48 Ko`, `2,4 Mo`."""

from __future__ import annotations

from ameli_cli.runtime.i18n import _


def human_size(size: int) -> str:
    if size < 1024:
        return _("{n} o").format(n=size)
    if size < 1024 * 1024:
        return _("{n} Ko").format(n=round(size / 1024))
    return _("{n} Mo").format(n=f"{size / 1024 / 1024:.1f}".replace(".", ","))
