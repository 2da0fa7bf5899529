"""`ameli mcp`: serve the commands as Model Context Protocol tools over stdio.

The `mcp` package is an optional extra and costs ~1 s to import: only this command's
run function imports it (through `ameli_cli.mcp_server.server`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ameli_cli.commands import app_context
from ameli_cli.runtime.errors import AmeliError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.mcp_server.tools import Tool
    from ameli_cli.runtime.context import AppContext

# Commands that sit at the root (`ameli mcp`); see commands/registry.py.
top_level = AmeliTyper()


# Commands that sit at the root (`ameli mcp`); see commands/registry.py.
top_level = AmeliTyper()


@dataclass
class McpOptions:
    allow_writes: bool
    allow_irreversible: bool
    out_dir: Path | None
    list_tools: bool


@top_level.command(
    "mcp",
    help=_(
        "Serveur MCP (stdio) pour les assistants IA : les commandes de lecture comme"
        " outils ; les écritures seulement avec --allow-writes."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli mcp\n  ameli -p famille mcp --allow-writes\n  ameli mcp --list-tools"
    ),
)
def mcp(
    ctx: typer.Context,
    allow_writes: bool = typer.Option(
        False,
        "--allow-writes",
        help=_(
            "Exposer aussi les écritures : message send, vitale order, ceam order, profile update."
        ),
    ),
    allow_irreversible: bool = typer.Option(
        False,
        "--allow-irreversible",
        help=_(
            "Avec --allow-writes : exposer aussi vitale declare-loss (blocage définitif de la"
            " carte)."
        ),
    ),
    out_dir: Path | None = typer.Option(
        None,
        "--out-dir",
        metavar=_("DOSSIER"),
        help=_(
            "Où l'outil attestation_get écrit les PDF. Défaut : le dossier de données du profil."
        ),
    ),
    list_tools: bool = typer.Option(
        False,
        "--list-tools",
        help=_("Lister les outils exposés (nom et accès), sans démarrer le serveur."),
    ),
) -> None:
    run_mcp(app_context(ctx), McpOptions(allow_writes, allow_irreversible, out_dir, list_tools))


class ExtraMissing(AmeliError):
    """The command is right, the installation lacks a piece: exit 1, not 2 (2 says
    "fix your command line"; here the same line works once the extra is installed)."""


def run_mcp(app: AppContext, opts: McpOptions) -> None:
    from ameli_cli.mcp_server.runner import open_session

    if opts.allow_irreversible and not opts.allow_writes:
        raise UsageError(_("--allow-irreversible va avec --allow-writes : ajoutez-le."))
    if not opts.list_tools:
        require_extra()
    out_dir = attestations_dir(app, opts.out_dir)
    session = open_session(
        app.profile, app.backend, out_dir.expanduser().absolute(), credentials_token=_token(app)
    )
    tools = session_tools(app, opts, agent=session.agent)
    if opts.list_tools:
        width = max(len(tool.name) for tool in tools)
        app.io.write("".join(f"{t.name:<{width}}  {t.access.value}\n" for t in tools))
        return
    from ameli_cli.mcp_server.server import serve

    app.io.info(
        _(
            "ameli mcp : {n} outils pour le profil « {profile} », en attente d'un client MCP."
        ).format(n=len(tools), profile=app.profile)
    )
    serve(session, tools)


def attestations_dir(app: AppContext, chosen: Path | None) -> Path:
    """Where attestation_get writes its PDFs: the folder named, or the profile's
    private data dir (0700: health data), created now rather than at the first call."""
    from ameli_cli.runtime.private_files import ensure_private_dir

    if chosen is None:
        return ensure_private_dir(app.paths.profile_data_dir(app.profile) / "attestations")
    try:
        chosen.expanduser().mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            _("--out-dir : impossible de créer {path} ({error}).").format(
                path=chosen, error=exc.strerror or exc
            )
        ) from None
    return chosen.expanduser()


def require_extra() -> None:
    try:
        import mcp.server.lowlevel  # noqa: F401
    except ImportError:
        raise ExtraMissing(
            _(
                "ameli mcp a besoin du paquet facultatif mcp : pip install 'ameli-cli[mcp]'"
                " (ou pipx inject ameli-cli mcp)."
            )
        ) from None


def session_tools(app: AppContext, opts: McpOptions, *, agent: bool) -> list[Tool]:
    import typer.main

    from ameli_cli.cli import app as root_app
    from ameli_cli.mcp_server.tools import build_tools

    return build_tools(
        typer.main.get_command(root_app),
        allow_writes=opts.allow_writes,
        allow_irreversible=opts.allow_irreversible,
        agent=agent,
    )


def _token(app: AppContext) -> str | None:
    """The session's token, only to mask it should a command ever print it."""
    try:
        return app.require_token()
    except AmeliError:
        return None  # not signed in: open_session says so in one line
