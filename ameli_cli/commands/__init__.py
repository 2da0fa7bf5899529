"""One module per noun. Each command parses its flags into an options record and
calls a plain `run_*` function, which tests may call directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from ameli_cli.context import AppContext


def app_context(ctx: typer.Context) -> AppContext:
    obj: AppContext = ctx.find_root().obj
    return obj
