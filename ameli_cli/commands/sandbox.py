"""The reference service: demo accounts, reset, one-time codes, clock, `serve`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

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


def seeded_accounts() -> list[dict[str, Any]]:
    from ameli_sandbox.people import PEOPLE

    return [
        {
            "nir": p.nir,
            "password": p.password,
            "role": p.role,
            "name": f"{p.first_names} {p.last_name}",
            "otp_required": p.otp_required,
            "otp_channels": list(p.otp_channels) if p.otp_required else [],
            "description": p.note,
        }
        for p in PEOPLE
    ]


@app.command(
    "accounts",
    help=_("Lister les comptes de démonstration avec leurs mots de passe (fictifs)."),
    epilog=_("Exemple :\n\n\b\n  ameli sandbox accounts --json | jq -r '.[0].nir'"),
)
def accounts(
    ctx: typer.Context,
    json_output: bool = typer.Option(False, "--json", help=_("Sortie JSON.")),
) -> None:
    app = app_context(ctx)
    rows = seeded_accounts()
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
                ", ".join(r["otp_channels"]),
                r["description"],
            ]
            for r in rows
        ],
    )


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
    db = app.paths.sandbox_db
    if not yes:
        if not app.io.can_prompt:
            raise UsageError(_("Remise à zéro sans terminal : passez --yes."))
        if not ask_yes_no(_("Effacer toutes les données du bac à sable ?")):
            raise typer.Exit(1)
    for suffix in ("", "-wal", "-shm"):
        path = db.with_name(db.name + suffix)
        if path.exists():
            path.unlink()
    from ameli_sandbox.app import open_database

    open_database(db).close()
    app.io.info(_("Bac à sable recréé : {path}").format(path=db))


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
    app = app_context(ctx)
    number = parse_nir(nir)
    from ameli_sandbox.app import open_database

    conn = open_database(app.paths.sandbox_db)
    try:
        if approve:
            _approve(app, conn, number, json_output)
            return
        row = _latest_code(conn, number)
    finally:
        conn.close()
    if row is None:
        raise AmeliError(
            _(
                "Aucun code en attente pour ce NIR : lancez d'abord « ameli login » sans --otp"
                " ou « ameli auth password reset »."
            )
        )
    if json_output:
        app.io.write_json({"nir": number, **row})
    else:
        app.io.write(f"{row['code']}\n")


def _latest_code(conn: Any, nir: str) -> dict[str, Any] | None:
    """The newest live code « sent » to this NIR: at sign-in (not the app's) or to reset."""
    from ameli_sandbox import clock
    from ameli_sandbox.features.password import latest_reset_code

    login = conn.execute(
        "SELECT o.code, o.channel, o.created_at, o.expires_at FROM otp_codes o"
        " JOIN accounts a ON a.id = o.account_id WHERE a.nir = ? AND o.channel != 'app'"
        " AND o.used_at IS NULL AND o.expires_at > ? ORDER BY o.id DESC LIMIT 1",
        (nir, clock.iso(clock.now(conn))),
    ).fetchone()
    reset = latest_reset_code(conn, nir)
    found = [
        {"purpose": purpose, **dict(row)}
        for purpose, row in (("login", login), ("password_reset", reset))
        if row is not None
    ]
    if not found:
        return None
    newest = max(found, key=lambda r: r["created_at"])
    return {k: newest[k] for k in ("code", "purpose", "channel", "expires_at")}


def _approve(app: AppContext, conn: Any, nir: str, json_output: bool) -> None:
    from ameli_sandbox.features.devices import approve_pending

    row = approve_pending(conn, nir)
    if row is None:
        raise AmeliError(
            _(
                "Aucune connexion à valider pour ce NIR : lancez d'abord « ameli login"
                " --otp-channel app »."
            )
        )
    if json_output:
        app.io.write_json({"nir": nir, "approved": True, "device_name": row["device_name"]})
    else:
        app.io.info(
            _("Connexion validée dans l'application pour « {device} ».").format(
                device=inert(row["device_name"])
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
    app = app_context(ctx)
    from ameli_cli.domain.durations import parse_duration

    delta = parse_duration(duration, option=_("DURÉE"))
    from ameli_sandbox import clock
    from ameli_sandbox.app import open_database

    conn = open_database(app.paths.sandbox_db)
    try:
        moment = clock.advance(conn, int(delta.total_seconds()))
        offset = clock.offset_seconds(conn)
    finally:
        conn.close()
    if json_output:
        app.io.write_json({"now": clock.iso(moment), "offset_seconds": offset})
    else:
        app.io.info(_("Horloge du bac à sable : {now}").format(now=clock.iso(moment)))
    session = app.session()
    if session is not None and app.backend == "sandbox" and session.expires_at <= clock.iso(moment):
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
    import uvicorn

    from ameli_sandbox.app import open_database
    from ameli_sandbox.middleware import LOGIN_RATE_ENV
    from ameli_sandbox.serve import ACCESS_LOG_ENV, DB_ENV, NoDelayH11Protocol, log_config

    db = app.paths.sandbox_db
    open_database(db).close()  # migrate and seed once, before workers race for it
    # Workers are separate processes: they read their settings from the environment.
    os.environ[DB_ENV] = str(db)
    os.environ[ACCESS_LOG_ENV] = "1" if access_log else "0"
    os.environ[LOGIN_RATE_ENV] = str(login_rate)
    app.io.info(
        _(
            "Service de référence sur http://{host}:{port} (données : {db}) ; Ctrl-C pour arrêter."
        ).format(host=host, port=port, db=db)
    )
    import signal

    # uvicorn re-raises the signal it stopped on after a graceful shutdown; a handler
    # of ours receives it instead, so a clean stop (SIGTERM, Ctrl-C) exits 0.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: None)
    uvicorn.run(
        "ameli_sandbox.serve:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=log_config(),
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=graceful_timeout,
        http=NoDelayH11Protocol,
    )
