"""`ameli help [COMMAND…]` and `ameli version`: what gh and kubectl users type first."""

from __future__ import annotations

from typing import Any

import typer

from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

# Commands that sit at the root; see commands/registry.py.
top_level = AmeliTyper()


@top_level.command(
    "help",
    help=_("Afficher l'aide d'une commande : ameli help paiements list."),
    epilog=_("Exemples :\n\n\b\n  ameli help\n  ameli help paiements list"),
)
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


@top_level.command(
    "version",
    help=_("Afficher la version de ameli et de l'API qu'il parle."),
    epilog=_("Exemple :\n\n\b\n  ameli version"),
)
def version(ctx: typer.Context) -> None:
    from ameli_cli import API_VERSION, __version__

    typer.echo(f"ameli {__version__} (API {API_VERSION})")
