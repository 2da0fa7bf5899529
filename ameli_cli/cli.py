"""The root command: global flags, then one sub-app per noun.

Imports here stay light (`ameli --help` must not import httpx, keyring, fpdf or the
service): command modules import what they need inside their functions.
"""

from __future__ import annotations

import typer

from ameli_cli import __version__
from ameli_cli.commands import (
    attestation,
    audit,
    auth,
    ceam,
    completion,
    config,
    doctor,
    message,
    organisme,
    paiements,
    profile,
    sandbox,
    vitale,
)
from ameli_cli.i18n import _
from ameli_cli.typer_app import AmeliTyper

app = AmeliTyper(
    name="ameli",
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
        metavar="sandbox|URL",
        help=_(
            "Service : « sandbox » (intégré, par défaut) ou une URL http(s)://HÔTE:PORT ;"
            " aussi AMELI_BACKEND."
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
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help=_("Afficher la version.")
    ),
) -> None:
    # Imported here, not at the top: `ameli --help` never runs this callback.
    from ameli_cli.context import AppContext
    from ameli_cli.iostreams import IOStreams

    io = IOStreams.system(no_color=no_color, quiet=quiet, verbose=verbose)
    context = AppContext.build(io, profile=profile, backend=backend, show_nir=show_nir)
    ctx.obj = context
    ctx.call_on_close(context.close)


app.command("login", help=auth.LOGIN_HELP, epilog=auth.LOGIN_EPILOG)(auth.login)
app.command("logout", help=auth.LOGOUT_HELP, epilog=auth.LOGOUT_EPILOG)(auth.logout)
app.command("whoami", help=auth.WHOAMI_HELP, epilog=auth.WHOAMI_EPILOG)(auth.whoami)
app.command("completion", help=completion.HELP, epilog=completion.EPILOG)(completion.completion)
app.command("doctor", help=doctor.HELP, epilog=doctor.EPILOG)(doctor.doctor)
app.add_typer(auth.app, name="auth")
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(config.app, name="config")
app.command("organisme", help=organisme.HELP, epilog=organisme.EPILOG)(organisme.organisme)
app.add_typer(profile.app, name="profile")
app.add_typer(paiements.app, name="paiements")
app.add_typer(message.app, name="message")
app.add_typer(vitale.app, name="vitale")
app.add_typer(ceam.app, name="ceam")
app.add_typer(attestation.app, name="attestation")
app.command("audit", help=audit.HELP, epilog=audit.EPILOG)(audit.audit)
