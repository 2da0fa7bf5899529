"""Signing in: `login`, `whoami`, `auth token` (`logout` has its own module)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.options import JsonOption
from ameli_cli.domain.validation import parse_nir
from ameli_cli.render.dates import local_time
from ameli_cli.runtime.errors import (
    UsageError,
)
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext
    from ameli_cli.runtime.credentials import Session

# Commands that sit at the root (`ameli login`); see commands/registry.py.
top_level = AmeliTyper()


# `auth password` and `auth devices` are their modules' own groups, imported only
# when they run or a help lists them (`whoami` and `login` live here).
app = AmeliTyper(
    lazy_verbs=(
        ("password", "ameli_cli.commands.auth_password"),
        ("devices", "ameli_cli.commands.auth_devices"),
    ),
    help=_(
        "Le compte : mot de passe (changer, réinitialiser), appareils de confiance, jeton"
        " de connexion (pour les scripts)."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli auth password change\n  ameli auth devices list\n"
        "  ameli auth token"
    ),
)


# -- login -----------------------------------------------------------------------------


@dataclass
class LoginOptions:
    nir: str | None
    password_stdin: bool
    password_file: Path | None
    otp: str | None
    insecure_storage: bool
    json: bool
    otp_channel: str | None = None


@top_level.command(
    "login",
    help=_(
        "Se connecter avec son NIR et son mot de passe. Le mot de passe est demandé "
        "sur un terminal ; ailleurs, passez --password-stdin ou --password-file."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli login --nir '2 84 03 75 115 123 31'\n"
        '  echo "$MOT_DE_PASSE" | ameli login --nir 191026912308768 --password-stdin'
    ),
)
def login(
    ctx: typer.Context,
    nir: str | None = typer.Option(
        None,
        "--nir",
        metavar="NIR",
        help=_("Numéro de sécurité sociale (13 ou 15 caractères, espaces permis)."),
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help=_("Lire le mot de passe sur l'entrée standard.")
    ),
    password_file: Path | None = typer.Option(
        None,
        "--password-file",
        metavar=_("CHEMIN"),
        help=_("Lire le mot de passe dans ce fichier (première ligne)."),
    ),
    otp: str | None = typer.Option(
        None,
        "--otp",
        metavar="CODE",
        envvar="AMELI_OTP",
        show_envvar=False,
        help=_("Code à 6 chiffres reçu par e-mail ou SMS (nouvel appareil ; ou AMELI_OTP)."),
    ),
    otp_channel: str | None = typer.Option(
        None,
        "--otp-channel",
        metavar="email|sms|app",
        help=_(
            "Comment recevoir le code d'un nouvel appareil (par défaut : le choix du compte) ;"
            " app : valider dans l'application Compte ameli."
        ),
    ),
    insecure_storage: bool = typer.Option(
        False,
        "--insecure-storage",
        help=_("Garder le jeton dans un fichier privé (0600) plutôt que le trousseau."),
    ),
    json_output: JsonOption = False,
) -> None:
    opts = LoginOptions(
        nir, password_stdin, password_file, otp, insecure_storage, json_output, otp_channel
    )
    run_login(app_context(ctx), opts)


def run_login(app: AppContext, opts: LoginOptions) -> Session:
    io = app.io
    if opts.password_stdin and opts.password_file:
        raise UsageError(_("--password-stdin et --password-file s'excluent : choisissez-en un."))
    if opts.otp is not None and not (
        opts.otp.isascii() and opts.otp.isdigit() and len(opts.otp) == 6
    ):
        raise UsageError(_("--otp : le code a 6 chiffres."))
    from ameli_cli.commands import login_otp

    channel = login_otp.check_channel(opts.otp_channel)
    raw_nir = opts.nir
    if raw_nir is None:
        if not io.can_prompt:
            raise UsageError(_("NIR manquant : passez --nir (pas de terminal pour le demander)."))
        from ameli_cli.runtime.prompts import ask_again

        # A mistyped NIR is asked again (the message names no flag: none was typed).
        nir = ask_again(_("NIR"), lambda typed: parse_nir(typed, option=_("NIR")))
    else:
        nir = parse_nir(raw_nir)
    password = _read_password(app, opts)

    from ameli_cli.runtime.credentials import Session, store_label

    result = login_otp.sign_in(app, nir, password, otp=opts.otp, channel=channel)

    account = result["account"]
    session = Session(
        profile=app.profile,
        backend=app.backend,
        store="",
        nir=account["nir"],
        role=account["role"],
        name=f"{account['first_names']} {account['last_name']}",
        expires_at=result["expires_at"],
    )
    app.credentials.save(session, result["token"], force_file=opts.insecure_storage, warn=io.warn)
    if opts.json:
        io.write_json(session.public())
    else:
        io.info(
            _(
                "Connecté : {name} ({role}), profil « {profile} », jeton dans : {store},"
                " valable jusqu'au {expires}."
            ).format(
                name=session.name,
                role=_role_label(session.role),
                profile=app.profile,
                store=store_label(session.store),
                expires=local_time(session.expires_at),
            )
        )
    return session


def _read_password(app: AppContext, opts: LoginOptions) -> str:
    if opts.password_file is not None:
        try:
            text = opts.password_file.read_text("utf-8")
        except OSError as exc:
            from ameli_cli.runtime.errors import file_error_message

            raise UsageError(f"--password-file : {file_error_message(exc)}") from None
        except UnicodeDecodeError:
            raise UsageError(
                _(
                    "--password-file : {path} n'est pas un texte UTF-8 ; enregistrez-le en UTF-8"
                    " (ou passez le mot de passe par --password-stdin)."
                ).format(path=opts.password_file)
            ) from None
        password = text.splitlines()[0] if text else ""
    elif opts.password_stdin:
        password = app.io.stdin.readline().rstrip("\r\n")
    elif app.io.can_prompt:
        from ameli_cli.runtime.prompts import ask

        password = ask(_("Mot de passe"), secret=True)
    else:
        raise UsageError(
            _(
                "Mot de passe manquant : passez --password-stdin ou --password-file"
                " (pas de terminal pour le demander)."
            )
        )
    if not password:
        raise UsageError(_("Le mot de passe est vide."))
    return password


# -- whoami ----------------------------------------------------------------------------


@top_level.command(
    "whoami",
    help=_("Qui est connecté : NIR, nom, rôle, caisse, bénéficiaires, où est le jeton."),
    epilog=_("Exemples :\n\n\b\n  ameli whoami\n  ameli whoami --json"),
)
def whoami(
    ctx: typer.Context,
    json_output: JsonOption = False,
) -> None:
    run_whoami(app_context(ctx), json_output=json_output)


def run_whoami(app: AppContext, *, json_output: bool) -> dict[str, Any]:
    # The account as the service describes it, and where this profile keeps its token.
    me: dict[str, Any] = {**app.client().fetch_me()}
    session = app.session()
    me["credential"] = {
        "profile": app.profile,
        "backend": app.backend,
        "store": app.credential_store_name(),
        "expires_at": session.expires_at if session and not app.credentials.env_token() else None,
    }
    if json_output:
        app.io.write_json(me)
        return me
    lines = [
        f"{me['first_names']} {me['last_name']}",
        _("  NIR          {nir}").format(nir=app.display_nir(me["nir"])),
        _("  rôle         {role}").format(role=_role_label(me["role"])),
        _("  caisse       {name} ({code})").format(**me["caisse"]),
    ]
    benefs = [b for b in me["beneficiaries"] if b["rank"] != "01"]
    if benefs:
        lines.append(_("  bénéficiaires"))
        for b in benefs:
            lines.append(
                _("    {rank}  {first} {last}, {age} ans").format(
                    rank=b["rank"], first=b["first_names"], last=b["last_name"], age=b["age"]
                )
            )
    credential = me["credential"]
    lines.append(_("  profil       {profile} sur {backend}").format(**credential))
    from ameli_cli.runtime.credentials import store_label

    lines.append(_("  jeton        {store}").format(store=store_label(credential["store"])))
    if credential["expires_at"]:
        lines.append(
            _("  valable      jusqu'au {time}").format(time=local_time(credential["expires_at"]))
        )
    app.io.write("\n".join(lines) + "\n")
    return me


# -- auth token ------------------------------------------------------------------------


@app.command(
    "token",
    help=_(
        "Afficher le jeton de connexion du profil (pour un script : il donne accès au"
        " compte, ne le partagez pas)."
    ),
    epilog=_("Exemple :\n\n\b\n  AMELI_TOKEN=$(ameli auth token) ameli whoami --json"),
)
def token(ctx: typer.Context) -> None:
    app = app_context(ctx)
    app.io.write_data(f"{app.require_token()}\n")


def _role_label(role: str) -> str:
    return {"assure": _("assuré"), "agent": _("agent")}.get(role, role)
