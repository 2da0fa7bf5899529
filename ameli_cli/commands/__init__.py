"""One module per noun. Each command parses its flags into an options record and
calls a plain `run_*` function, which tests may call directly."""

from __future__ import annotations

import typer

from ameli_cli.context import AppContext


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj
