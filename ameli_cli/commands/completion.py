"""`ameli completion SHELL`: print the completion script for a shell."""

from __future__ import annotations

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.registry import help_for
from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

HELP = help_for("completion")
EPILOG = _(
    "Exemples :\n\n\b\n"
    "  ameli completion bash > ~/.local/share/bash-completion/completions/ameli\n"
    '  ameli completion zsh > "${fpath[1]}/_ameli"\n'
    "  ameli completion fish > ~/.config/fish/completions/ameli.fish"
)


def completion(
    ctx: typer.Context,
    shell: str = typer.Argument(..., metavar="bash|zsh|fish", help=_("Le shell.")),
) -> None:
    from ameli_cli.runtime.completion_scripts import SHELLS, render

    if shell not in SHELLS:
        raise UsageError(
            _("Shell inconnu : « {shell} ». Choisissez bash, zsh ou fish.").format(shell=shell)
        )
    app_context(ctx).io.write_data(render(shell))
