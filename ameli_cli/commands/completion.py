"""`ameli completion SHELL`: print the completion script for a shell."""

from __future__ import annotations

import typer

from ameli_cli.commands import app_context
from ameli_cli.runtime.completion_scripts import INSTALL, SHELLS, ZSH_FPATH
from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper, choices

# Commands that sit at the root (`ameli completion`); see commands/registry.py.
top_level = AmeliTyper()


@top_level.command(
    "completion",
    help=_("Afficher le script de complétion pour bash, zsh ou fish (à charger dans le shell)."),
    epilog=_(
        "Exemples :\n\n\b\n  {bash}\n  {zsh}\n    (puis dans ~/.zshrc, avant compinit : {fpath})\n  {fish}"
    ).format(bash=INSTALL["bash"], zsh=INSTALL["zsh"], fish=INSTALL["fish"], fpath=ZSH_FPATH),
)
def completion(
    ctx: typer.Context,
    shell: str = typer.Argument(
        ..., metavar="bash|zsh|fish", click_type=choices(SHELLS), help=_("Le shell.")
    ),
) -> None:
    from ameli_cli.runtime.completion_scripts import SHELLS, render

    if shell not in SHELLS:
        raise UsageError(
            _("Shell inconnu : « {shell} ». Choisissez bash, zsh ou fish.").format(shell=shell)
        )
    app_context(ctx).io.write_data(render(shell))
