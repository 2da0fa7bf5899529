"""The reference service: demo accounts, reset, one-time codes, clock, `serve`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from ameli_cli.commands import app_context, ask_yes_no
from ameli_cli.commands.options import JsonOption
from ameli_cli.domain.validation import parse_nir
from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.errors import AmeliError, Cancelled, UsageError, os_reason
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_(
        "Le service de référence intégré : comptes de démonstration, remise à zéro, "
        "codes à usage unique, horloge, serveur HTTP."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli sandbox accounts\n  ameli sandbox serve --port 8765"),
)


@app.command(
    "accounts",
    help=_("Lister les comptes de démonstration avec leurs mots de passe (fictifs)."),
    epilog=_("Exemple :\n\n\b\n  ameli sandbox accounts --json | jq -r '.[0].nir'"),
)
def accounts(
    ctx: typer.Context,
    json_output: JsonOption = False,
) -> None:
    run_accounts(app_context(ctx), json_output=json_output)


def run_accounts(app: AppContext, *, json_output: bool) -> None:
    from ameli_cli.api import sandbox_controls

    rows = sandbox_controls.list_accounts(app.client(authenticated=False))
    if json_output:
        app.io.write_json(rows)
        return
    from ameli_cli.render.tables import Column, print_table

    roles = {"assure": _("assuré"), "agent": _("agent")}
    print_table(
        app.io,
        [
            Column(_("NIR"), "id"),
            Column(_("mot de passe"), "code"),
            Column(_("rôle"), "code", priority=2),
            Column(_("nom"), min_width=14),
            Column(_("code"), "code", priority=3),
            Column(_("profil"), priority=1, min_width=20),
        ],
        [
            [
                r["nir"],
                r["password"],
                roles.get(r["role"], r["role"]),
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
    epilog=_(
        "Exemples :\n\n\b\n  ameli sandbox reset --yes\n  ameli sandbox reset --yes --today 2026-11-30"
    ),
)
def reset(
    ctx: typer.Context,
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Ne pas demander confirmation.")),
    today: str | None = typer.Option(
        None,
        "--today",
        metavar=_("AAAA-MM-JJ"),
        help=_(
            "Arrêter l'horloge du bac à sable à ce jour (9 h UTC) : historiques, montants et"
            " dates ne dépendent plus du jour de la remise à zéro (démos, documentation)."
            " sandbox advance la fait toujours avancer."
        ),
    ),
) -> None:
    app = app_context(ctx)
    run_reset(app, yes=yes, today=today)


def run_reset(app: AppContext, *, yes: bool, today: str | None = None) -> None:
    from datetime import date

    from ameli_cli.api import sandbox_controls

    try:
        pinned = date.fromisoformat(today.strip()) if today else None
    except ValueError:
        raise UsageError(
            _("--today : « {value} » n'est pas une date AAAA-MM-JJ.").format(value=today)
        ) from None
    if not yes:
        if not app.io.can_prompt:
            raise UsageError(_("Remise à zéro sans terminal : passez --yes."))
        if not ask_yes_no(_("Effacer toutes les données du bac à sable ?")):
            raise Cancelled(_("Abandon : rien n'a été effacé."))
    from ameli_cli.api import embedded

    try:
        sandbox_controls.reset(app.client(authenticated=False), today=pinned)
    except embedded.SandboxUnreadable as exc:
        embedded.recreate(exc.db, pinned_day=pinned)  # a damaged file: not over HTTP
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
    json_output: JsonOption = False,
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
    duration: str = typer.Argument(
        ...,
        metavar=_("DURÉE"),
        help=_("30min, 12h, 7d, 2w, 6mo, 1y (« m » seul est refusé : minutes ou mois ?)."),
    ),
    json_output: JsonOption = False,
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
    # Sessions live 8 hours of service time: a jump ends them, as it would in life,
    # for every profile signed in to this sandbox, not only the current one.
    for profile in ended_sessions(app, before=_seconds_before(now, seconds), after=now):
        login = ["login", *(["-p", profile] if profile != "default" else [])]
        if app.backend != "sandbox":
            login += ["--backend", app.backend]
        app.io.warn(
            _("la session du profil « {profile} » a expiré avec ce saut : {command}").format(
                profile=profile, command=" ".join(["ameli", *login])
            )
        )


def _seconds_before(now: str, seconds: int) -> str:
    from datetime import datetime, timedelta

    moment = datetime.fromisoformat(now.replace("Z", "+00:00")) - timedelta(seconds=seconds)
    return moment.isoformat().replace("+00:00", "Z")


def ended_sessions(app: AppContext, *, before: str, after: str) -> list[str]:
    """The profiles signed in to this sandbox whose session ended between two service
    times (ISO strings compare in time order)."""
    from ameli_cli.runtime.credentials import CredentialStore

    ended = []
    for path in sorted(app.paths.sessions_dir().glob("*.json")):
        session = CredentialStore(app.paths, path.stem).load()
        if session and session.backend == app.backend and before < session.expires_at <= after:
            ended.append(path.stem)
    return ended


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
    port: int = typer.Option(
        8765, "--port", min=0, max=65535, metavar="PORT", help=_("Port d'écoute.")
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, metavar="N", help=_("Processus serveurs.")
    ),
    access_log: bool = typer.Option(
        True,
        "--access-log/--no-access-log",
        help=_("Une ligne par requête sur stderr (sans jeton ni NIR)."),
    ),
    login_rate: int = typer.Option(
        30,
        "--login-rate",
        min=0,
        metavar="N",
        help=_("Tentatives de connexion par minute et par adresse (0 : sans limite)."),
    ),
    graceful_timeout: int = typer.Option(
        10,
        "--graceful-timeout",
        min=1,
        metavar="S",
        help=_("Secondes laissées aux requêtes en cours à l'arrêt."),
    ),
    trust_proxy: str = typer.Option(
        "",
        "--trust-proxy",
        metavar="CIDR",
        help=_(
            "Réseau du mandataire inverse dont on croit X-Forwarded-For (ex. 10.0.0.0/8) ;"
            " par défaut aucun : l'adresse est celle de la connexion."
        ),
    ),
) -> None:
    app = app_context(ctx)
    proxies = _proxy_networks(trust_proxy)
    from ameli_cli.api import embedded

    check_can_listen(host, port)
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
        trust_proxy=proxies,
    )


def _proxy_networks(raw: str) -> list[str]:
    """`--trust-proxy 10.0.0.0/8,192.168.1.10`: checked networks, nothing guessed."""
    import ipaddress

    networks = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise UsageError(
                _("--trust-proxy : {value} n'est ni une adresse IP ni un réseau (CIDR).").format(
                    value=part
                )
            ) from None
    return networks


def check_can_listen(host: str, port: int) -> None:
    """Bind once before announcing anything: the HTTP server would print its own raw
    error and exit with an undocumented code. A bad host is bad input (2); a busy or
    forbidden port is an error of the machine (1)."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UsageError(
            _(
                "--host : « {host} » n'est pas une adresse de cette machine (ex. 127.0.0.1, 0.0.0.0)."
            ).format(host=host)
        ) from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message = _(
                    "le port {port} est déjà pris sur {host} : choisissez-en un autre avec --port."
                )
            elif exc.errno in (errno.EACCES, errno.EPERM):
                message = _(
                    "le port {port} est réservé (moins de 1024) : choisissez --port 8765 ou plus."
                )
            elif exc.errno == errno.EADDRNOTAVAIL:
                raise UsageError(
                    _(
                        "--host : « {host} » n'est pas une adresse de cette machine (ex. 127.0.0.1, 0.0.0.0)."
                    ).format(host=host)
                ) from None
            else:
                message = _("impossible d'écouter sur {host}:{port} ({error}).")
            raise AmeliError(message.format(host=host, port=port, error=os_reason(exc))) from None
