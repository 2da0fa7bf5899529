"""`ameli help [COMMAND…]` and `ameli version`: what gh and kubectl users type first."""

from __future__ import annotations

from typing import Any

import typer

from ameli_cli.runtime.i18n import _

HELP_EPILOG = _("Exemples :\n\n\b\n  ameli help\n  ameli help paiements list")
VERSION_EPILOG = _("Exemple :\n\n\b\n  ameli version")


def help_command(
    ctx: typer.Context,
    words: list[str] | None = typer.Argument(None, metavar=_("COMMANDE…")),
) -> None:
    from ameli_cli.runtime.typer_app import unknown_command_error

    current: Any = ctx.find_root()
    command: Any = current.command
    for word in words or []:
        sub = command.get_command(current, word) if hasattr(command, "get_command") else None
        if sub is None:
            raise unknown_command_error(current, command, word)
        current = sub.make_context(word, [], parent=current, resilient_parsing=True)
        command = sub
    typer.echo(command.get_help(current))


def version(ctx: typer.Context) -> None:
    from ameli_cli import API_VERSION, __version__

    typer.echo(f"ameli {__version__} (API {API_VERSION})")
