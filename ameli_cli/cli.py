"""The root command: global flags, then one sub-app per noun.

Imports here stay light (`ameli --help` must not import httpx, keyring, fpdf or the
service): command modules import what they need inside their functions.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import typer
import typer.main
from typer._click.utils import make_default_short_help  # typer is pinned below 0.29

from ameli_cli import __version__
from ameli_cli.commands.registry import BY_NAME, ENTRIES, TOP_LEVEL
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliGroup, AmeliTyper, command_of


class LazyRootGroup(AmeliGroup):
    """The root group: lists the commands from the registry and imports a command's
    module only when that command runs (see commands/registry.py)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [entry.name for entry in ENTRIES]

    _built: dict[str, Any] = {}  # noqa: RUF012  # one build per command per process

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self._built:
            return self._built[cmd_name]
        entry = BY_NAME.get(cmd_name)
        if entry is None:
            return None
        module = import_module(f"ameli_cli.commands.{entry.module}")
        command: Any = None
        if entry.target == TOP_LEVEL:
            command = command_of(getattr(module, entry.target), entry.name)
        if command is None:
            # get_group, not get_command: a group with one command stays a group.
            group: Any = typer.main.get_group(getattr(module, entry.target))
            if entry.target == TOP_LEVEL:
                command = group.get_command(ctx, entry.name)
            else:
                command = group
                command.name = entry.name
        self._built[cmd_name] = command
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        from ameli_cli.commands.summaries import summary

        limit = formatter.width - 6 - max(len(entry.name) for entry in ENTRIES)
        rows = [
            (entry.name, make_default_short_help(summary(entry.name), limit)) for entry in ENTRIES
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = AmeliTyper(
    name="ameli",
    cls=LazyRootGroup,
    help=_(
        "Le compte ameli (Assurance Maladie) en ligne de commande : attestations, carte"
        " Vitale, remboursements, messages, profil."
    ),
    epilog=_("Exemple :\n\n\b\n  ameli login --nir '2 84 03 75 115 123 31'\n  ameli whoami"),
)


def _version(value: bool) -> None:
    if value:
        print(f"ameli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    profile: str | None = typer.Option(
        None,
        "--profile",
        "-p",
        metavar=_("NOM"),
        help=_("Profil (compte) à utiliser ; aussi AMELI_PROFILE. Défaut : default."),
    ),
    backend: str | None = typer.Option(
        None,
        "--backend",
        metavar=_("sandbox|URL|NOM"),
        help=_(
            "Service : « sandbox » (intégré, par défaut), une URL http(s)://HÔTE:PORT ou le"
            " nom d'un backend installé en extension ; aussi AMELI_BACKEND."
        ),
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help=_("Taire les messages de suivi.")),
    verbose: bool = typer.Option(
        False,
        "--verbose",
        "-v",
        help=_("Afficher les requêtes sur stderr (jamais de jeton ni de mot de passe)."),
    ),
    no_color: bool = typer.Option(False, "--no-color", help=_("Pas de couleur (aussi NO_COLOR).")),
    show_nir: bool = typer.Option(
        False, "--show-nir", help=_("Afficher le NIR en entier (masqué par défaut).")
    ),
    wide: bool = typer.Option(
        False,
        "--wide",
        help=_("Tableaux : toutes les colonnes, quelle que soit la largeur du terminal."),
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=_("Afficher la version.")
    ),
) -> None:
    # Imported here, not at the top: `ameli --help` never runs this callback.
    from ameli_cli.runtime import hints
    from ameli_cli.runtime.context import AppContext
    from ameli_cli.runtime.iostreams import IOStreams

    hints.remember(profile=profile, backend=backend)
    io = IOStreams.system(no_color=no_color, quiet=quiet, verbose=verbose)
    io.wide = wide
    context = AppContext.build(io, profile=profile, backend=backend, show_nir=show_nir)
    ctx.obj = context
    ctx.call_on_close(context.close)
