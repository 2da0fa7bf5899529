"""The reference service: demo accounts, reset, one-time codes, clock, `serve`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from ameli_cli.commands import app_context, ask_yes_no
from ameli_cli.commands.registry import help_for
from ameli_cli.domain.validation import parse_nir
from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.errors import AmeliError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=help_for("sandbox"),
    epilog=_("Exemples :\n\n\b\n  ameli sandbox accounts\n  ameli sandbox serve --port 8765"),
)


@app.command(
    "accounts",
    help=_("Lister les comptes de démonstration avec leurs mots de passe (fictifs)."),
    epilog=_("Exemple :\n\n\b\n  ameli sandbox accounts --json | jq -r '.[0].nir'"),
)
def accounts(
    ctx: typer.Context,
    json_output: bool = typer.Option(False, "--json", help=_("Sortie JSON.")),
) -> None:
    run_accounts(app_context(ctx), json_output=json_output)


def run_accounts(app: AppContext, *, json_output: bool) -> None:
    from ameli_cli.api import sandbox_controls

    rows = sandbox_controls.list_accounts(app.client(authenticated=False))
    if json_output:
        app.io.write_json(rows)
        return
    from ameli_cli.render.tables import print_table

    print_table(
        app.io,
        [_("NIR"), _("mot de passe"), _("rôle"), _("nom"), _("code"), _("profil")],
        [
            [
                r["nir"],
                r["password"],
                r["role"],
                r["name"],
                _channels(r.get("otp_channels")),
                r["description"],
            ]
            for r in rows
        ],
    )


def _channels(value: object) -> str:
    """`email, sms` for a person: a server's list, shown inert."""
    return inert(", ".join(map(str, value))) if isinstance(value, list) else ""


@app.command(
    "reset",
    help=_("Effacer les données du bac à sable et les recréer (comptes, historiques)."),
    epilog=_("Exemple :\n\n\b\n  ameli sandbox reset --yes"),
)
def reset(
    ctx: typer.Context,
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Ne pas demander confirmation.")),
) -> None:
    app = app_context(ctx)
    run_reset(app, yes=yes)


def run_reset(app: AppContext, *, yes: bool) -> None:
    from ameli_cli.api import sandbox_controls

    if not yes:
        if not app.io.can_prompt:
            raise UsageError(_("Remise à zéro sans terminal : passez --yes."))
        if not ask_yes_no(_("Effacer toutes les données du bac à sable ?")):
            raise typer.Exit(1)
    from ameli_cli.api import embedded

    try:
        sandbox_controls.reset(app.client(authenticated=False))
    except embedded.SandboxUnreadable as exc:
        embedded.recreate(exc.db)  # a damaged local file: the one case not over HTTP
    app.io.info(_("Bac à sable recréé : {backend}").format(backend=app.backend))


@app.command(
    "otp",
    help=_(
        "Montrer le dernier code « envoyé » à ce NIR (connexion par e-mail ou SMS, ou"
        " réinitialisation du mot de passe) ; avec --approve, valider la connexion en"
        " attente comme le ferait l'application Compte ameli."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli sandbox otp --nir 284037511512331\n"
        "  ameli sandbox otp --nir 201047511213719 --approve"
    ),
)
def otp(
    ctx: typer.Context,
    nir: str = typer.Option(..., "--nir", metavar="NIR", help=_("NIR du compte.")),
    approve: bool = typer.Option(
        False, "--approve", help=_("Valider la connexion en attente dans l'application.")
    ),
    json_output: bool = typer.Option(False, "--json", help=_("Sortie JSON.")),
) -> None:
    if approve:
        run_approve(app_context(ctx), parse_nir(nir), json_output=json_output)
    else:
        run_otp(app_context(ctx), parse_nir(nir), json_output=json_output)


def run_otp(app: AppContext, nir: str, *, json_output: bool) -> None:
    from ameli_cli.api import sandbox_controls

    pending = sandbox_controls.pending_code(app.client(authenticated=False), nir)
    if pending is None:
        raise AmeliError(
            _(
                "Aucun code en attente pour ce NIR : lancez d'abord « ameli login » sans --otp"
                " ou « ameli auth password reset »."
            )
        )
    if json_output:
        fields = ("code", "purpose", "channel", "expires_at")
        app.io.write_json({"nir": nir, **{k: pending.get(k) for k in fields}})
    else:
        app.io.write(f"{inert(str(pending['code']))}\n")


def run_approve(app: AppContext, nir: str, *, json_output: bool) -> None:
    from ameli_cli.api import sandbox_controls

    approved = sandbox_controls.approve_sign_in(app.client(authenticated=False), nir)
    if approved is None:
        raise AmeliError(
            _(
                "Aucune connexion à valider pour ce NIR : lancez d'abord « ameli login"
                " --otp-channel app »."
            )
        )
    if json_output:
        app.io.write_json(approved)
    else:
        app.io.info(
            _("Connexion validée dans l'application pour « {device} ».").format(
                device=inert(str(approved.get("device_name", "")))
            )
        )


@app.command(
    "advance",
    help=_("Avancer l'horloge du bac à sable (livraisons, expirations)."),
    epilog=_("Exemple :\n\n\b\n  ameli sandbox advance 7d"),
)
def advance(
    ctx: typer.Context,
    duration: str = typer.Argument(..., metavar=_("DURÉE"), help=_("30m, 12h, 7d, 2w…")),
    json_output: bool = typer.Option(False, "--json", help=_("Sortie JSON.")),
) -> None:
    from ameli_cli.domain.durations import parse_duration

    delta = parse_duration(duration, option=_("DURÉE"))
    run_advance(app_context(ctx), int(delta.total_seconds()), json_output=json_output)


def run_advance(app: AppContext, seconds: int, *, json_output: bool) -> None:
    from ameli_cli.api import sandbox_controls
    from ameli_cli.runtime.errors import ApiError

    try:
        moved = sandbox_controls.advance_clock(app.client(authenticated=False), seconds)
    except ApiError as exc:
        if exc.code != "clock_out_of_range":
            raise
        raise UsageError(
            _(
                "DURÉE : l'horloge du bac à sable reste à moins de 10 ans de l'heure réelle"
                " (décalage actuel : {days} jours)."
            ).format(days=int(exc.problem.get("offset_seconds", 0)) // 86400)
        ) from None
    now = str(moved["now"])
    if json_output:
        app.io.write_json({"now": now, "offset_seconds": moved["offset_seconds"]})
    else:
        app.io.info(_("Horloge du bac à sable : {now}").format(now=inert(now)))
    session = app.session()
    if session is not None and session.backend == app.backend and session.expires_at <= now:
        # Sessions live 8 hours of service time: a jump ends them, as it would in life.
        app.io.warn(
            _("la session du profil « {profile} » a expiré avec ce saut : ameli login").format(
                profile=app.profile
            )
        )


@app.command(
    "serve",
    help=_(
        "Servir le service de référence en HTTP (pour une équipe, des agents, des tests)."
        " Plusieurs processus partagent la même base SQLite ; SIGTERM ou Ctrl-C termine"
        " les requêtes en cours avant de s'arrêter. Le journal d'accès (stderr) ne montre"
        " ni jeton ni NIR."
    ),
    epilog=_(
        "Exemple :\n\n\b\n  ameli sandbox serve --port 8765 --workers 2 &\n"
        "  ameli --backend http://127.0.0.1:8765 whoami"
    ),
)
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help=_("Adresse d'écoute.")),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help=_("Port d'écoute.")),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help=_("Processus serveurs.")),
    access_log: bool = typer.Option(
        True,
        "--access-log/--no-access-log",
        help=_("Une ligne par requête sur stderr (sans jeton ni NIR)."),
    ),
    login_rate: int = typer.Option(
        30,
        "--login-rate",
        min=0,
        help=_("Tentatives de connexion par minute et par adresse (0 : sans limite)."),
    ),
    graceful_timeout: int = typer.Option(
        10,
        "--graceful-timeout",
        min=1,
        help=_("Secondes laissées aux requêtes en cours à l'arrêt."),
    ),
) -> None:
    app = app_context(ctx)
    from ameli_cli.api import embedded

    db = app.paths.sandbox_db
    app.io.info(
        _(
            "Service de référence sur http://{host}:{port} (données : {db}) ; Ctrl-C pour arrêter."
        ).format(host=host, port=port, db=db)
    )
    embedded.serve(
        db,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        login_rate=login_rate,
        graceful_timeout=graceful_timeout,
    )
