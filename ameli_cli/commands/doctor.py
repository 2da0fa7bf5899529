"""`ameli doctor`: what works, what does not, and what to do about it."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli import API_VERSION, __version__
from ameli_cli.commands import app_context
from ameli_cli.commands.options import JsonOption
from ameli_cli.render.dates import local_time
from ameli_cli.runtime.hints import command
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext


OK, WARN, FAIL = "ok", "warn", "fail"
DEVICE_EXPIRY_WARNING_DAYS = 14


# Commands that sit at the root (`ameli doctor`); see commands/registry.py.
top_level = AmeliTyper()


@dataclass
class Check:
    name: str
    status: str
    message: str  # for people, translated
    fix: str = ""  # for people, translated
    details: dict[str, Any] = field(default_factory=dict)  # for scripts, stable

    def public(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "details": self.details}


@top_level.command(
    "doctor",
    help=_(
        "Diagnostiquer l'installation : service, connexion, trousseau, droits des "
        "fichiers, versions, complétion du shell."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli doctor\n  ameli doctor --json | jq '.checks[] | select(.status != \"ok\")'"
    ),
)
def doctor(
    ctx: typer.Context,
    json_output: JsonOption = False,
) -> None:
    app = app_context(ctx)
    checks = run_doctor(app)
    if json_output:
        app.io.write_json(
            {
                "version": __version__,
                "api_version": API_VERSION,
                "checks": [c.public() for c in checks],
            }
        )
    else:
        from ameli_cli.render.terminal_text import inert
        from ameli_cli.runtime.iostreams import paint

        marks = {OK: _("ok"), WARN: _("attention"), FAIL: _("échec")}
        lines = []
        for check in checks:
            mark = paint(f"{marks[check.status]:^9}", check.status, app.io.color)
            lines.append(f"[{mark}] {inert(check.message)}")
            if check.fix:
                lines.append(f"            → {inert(check.fix)}")
        app.io.write_data("\n".join(lines) + "\n")  # made inert above; only our colours
    if any(c.status == FAIL for c in checks):
        raise typer.Exit(1)


def run_doctor(app: AppContext) -> list[Check]:
    service = check_backend(app)
    return [
        Check(
            "version",
            OK,
            _("ameli {version} (API {api}), Python {python}").format(
                version=__version__, api=API_VERSION, python=sys.version.split()[0]
            ),
            details={
                "version": __version__,
                "api_version": API_VERSION,
                "python": sys.version.split()[0],
            },
        ),
        service,
        check_api_version(service),
        session := check_session(app, service),
        check_device(app, session),
        check_keyring(app),
        check_permissions(app),
        check_completion(),
    ]


def check_backend(app: AppContext) -> Check:
    from ameli_cli.runtime.errors import AmeliError

    details: dict[str, Any] = {"backend": app.backend, "reachable": False}
    try:
        meta = app.client(authenticated=False).fetch_service_meta()
    except AmeliError as exc:
        return Check(
            "backend",
            FAIL,
            _("service {backend} injoignable : {error}").format(
                backend=app.backend, error=exc.message
            ),
            _(
                "vérifiez l'URL (--backend, AMELI_BACKEND, ameli config set backend)"
                " ou lancez « ameli sandbox serve »"
            ),
            details,
        )
    details.update(
        reachable=True,
        service_version=meta.get("version"),
        service_api_version=meta.get("api_version"),
        service_now=meta.get("now"),
    )
    return Check(
        "backend",
        OK,
        _("service {backend} : répond ({service} {version})").format(
            backend=app.backend, service=meta.get("service", "?"), version=meta.get("version", "?")
        ),
        details=details,
    )


def check_api_version(service: Check) -> Check:
    theirs = service.details.get("service_api_version")
    details = {"cli_api_version": API_VERSION, "service_api_version": theirs}
    if theirs is None:
        return Check(
            "api_version",
            WARN,
            _("version de l'API du service inconnue (injoignable)"),
            details=details,
        )
    if str(theirs) != API_VERSION:
        return Check(
            "api_version",
            FAIL,
            _("le service parle l'API {theirs}, ce client l'API {ours}").format(
                theirs=theirs, ours=API_VERSION
            ),
            _("mettez ameli-cli ou le service à jour"),
            details,
        )
    return Check(
        "api_version", OK, _("API {version} des deux côtés").format(version=theirs), details=details
    )


def check_session(app: AppContext, service: Check) -> Check:
    store = app.credential_store_name()
    session = app.session()
    details: dict[str, Any] = {
        "profile": app.profile,
        "store": store,
        "signed_in": False,
        "expires_at": session.expires_at if session else None,
    }
    if store is None:
        return Check(
            "session",
            WARN,
            _("pas connecté (profil « {profile} »)").format(profile=app.profile),
            command("login"),
            details,
        )
    if session is not None and store != "env":
        expires = datetime.fromisoformat(session.expires_at.replace("Z", "+00:00"))
        if expires <= datetime.now(UTC) and service.details.get("service_now") is None:
            return Check("session", WARN, _("session expirée"), command("login"), details)
    if not service.details.get("reachable"):
        return Check(
            "session",
            WARN,
            _("jeton présent ({store}), non vérifié : service injoignable").format(store=store),
            details=details,
        )
    from ameli_cli.runtime.credentials import store_label
    from ameli_cli.runtime.errors import AmeliError

    try:
        me = app.client().fetch_me()
    except AmeliError as exc:
        return Check(
            "session",
            FAIL,
            _("le jeton est refusé : {error}").format(error=exc.message),
            command("login"),
            details,
        )
    details["signed_in"] = True
    until = (
        _("jusqu'au {time}").format(time=local_time(session.expires_at))
        if session is not None and store != "env"
        else ""
    )
    return Check(
        "session",
        OK,
        _("connecté : {name} ; jeton : {store} {until}")
        .format(
            name=f"{me['first_names']} {me['last_name']}", store=store_label(store), until=until
        )
        .strip(),
        details=details,
    )


def check_device(app: AppContext, session: Check) -> Check:
    """Whether this device is trusted (no one-time code at sign-in), and until when."""
    details: dict[str, Any] = {"trusted": None, "trusted_until": None}
    if not session.details.get("signed_in"):
        return Check(
            "device",
            WARN,
            _("confiance de l'appareil : non vérifiée (pas connecté)"),
            details=details,
        )
    from ameli_cli.runtime.errors import AmeliError

    try:
        devices = app.client().list_devices()
    except AmeliError as exc:
        return Check(
            "device",
            WARN,
            _("confiance de l'appareil : non vérifiée ({error})").format(error=exc.message),
            details=details,
        )
    current = next((d for d in devices if d.get("current")), None)
    details["trusted"] = current is not None
    if current is None:
        return Check(
            "device",
            OK,
            _("cet appareil n'est pas de confiance : un code pourra être demandé à la connexion"),
            details=details,
        )
    details["trusted_until"] = current["trusted_until"]
    until = datetime.fromisoformat(current["trusted_until"].replace("Z", "+00:00"))
    when = local_time(current["trusted_until"], with_time=False)
    if (until - datetime.now(UTC)).days < DEVICE_EXPIRY_WARNING_DAYS:
        return Check(
            "device",
            WARN,
            _("la confiance de cet appareil expire le {date} : un code sera alors demandé").format(
                date=when
            ),
            details=details,
        )
    return Check(
        "device",
        OK,
        _("appareil de confiance jusqu'au {date} (ameli auth devices list)").format(date=when),
        details=details,
    )


def check_keyring(app: AppContext) -> Check:
    from ameli_cli.runtime.credentials import KeyringStore, KeyringUnavailable

    keyring_store = KeyringStore()
    details: dict[str, Any] = {"timeout_seconds": keyring_store.timeout, "usable": False}
    try:
        backend = keyring_store.describe()
        details["backend"] = backend
        if backend.endswith(("fail.Keyring", "null.Keyring")):
            raise KeyringUnavailable(_("aucun trousseau installé sur cette machine"))
        keyring_store.read(f"doctor-{app.profile}")
    except KeyringUnavailable as exc:
        return Check(
            "keyring",
            WARN,
            _(
                "trousseau inutilisable ({reason}) : les jetons vont dans un fichier privé (0600)"
            ).format(reason=exc),
            _("sur un poste de bureau, installez un trousseau (GNOME Keyring, KWallet)"),
            details,
        )
    details["usable"] = True
    return Check(
        "keyring",
        OK,
        _("trousseau utilisable : {backend}").format(backend=backend),
        details=details,
    )


def check_permissions(app: AppContext) -> Check:
    loose: list[str] = []
    for root in (app.paths.config_dir, app.paths.data_dir, app.paths.cache_dir):
        if not root.exists():
            continue
        for path in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if mode & 0o077:
                loose.append(f"{path} ({mode:04o})")
    details = {
        "dirs": [str(app.paths.config_dir), str(app.paths.data_dir), str(app.paths.cache_dir)],
        "loose": loose,
    }
    if loose:
        return Check(
            "permissions",
            FAIL,
            _("{n} fichier(s) lisible(s) par d'autres : {first}").format(
                n=len(loose), first=loose[0]
            ),
            _("chmod -R go-rwx {dirs}").format(dirs=" ".join(details["dirs"])),
            details,
        )
    return Check(
        "permissions", OK, _("fichiers privés (0600 dans des dossiers 0700)"), details=details
    )


COMPLETION_PLACES = {
    "bash": (
        "~/.local/share/bash-completion/completions/ameli",
        "/usr/share/bash-completion/completions/ameli",
        "/etc/bash_completion.d/ameli",
    ),
    "zsh": (
        "~/.zfunc/_ameli",
        "/usr/local/share/zsh/site-functions/_ameli",
        "/usr/share/zsh/site-functions/_ameli",
        "/usr/share/zsh/vendor-completions/_ameli",
    ),
    "fish": (
        "~/.config/fish/completions/ameli.fish",
        "/usr/share/fish/vendor_completions.d/ameli.fish",
    ),
}


def check_completion() -> Check:
    shell = Path(os.environ.get("SHELL", "")).name
    details: dict[str, Any] = {"shell": shell or None, "installed": None}
    if shell not in COMPLETION_PLACES:
        return Check(
            "completion",
            WARN,
            _("shell inconnu ({shell}) : complétion non vérifiée").format(shell=shell or "?"),
            details=details,
        )
    for place in COMPLETION_PLACES[shell]:
        path = Path(place).expanduser()
        if path.exists():
            details["installed"] = str(path)
            return Check(
                "completion",
                OK,
                _("complétion {shell} installée : {path}").format(shell=shell, path=path),
                details=details,
            )
    from ameli_cli.runtime.completion_scripts import INSTALL, ZSH_FPATH

    fix = INSTALL[shell]
    if shell == "zsh":
        fix += _(" (puis dans ~/.zshrc, avant compinit : {fpath})").format(fpath=ZSH_FPATH)
    return Check(
        "completion",
        WARN,
        _("complétion {shell} non installée").format(shell=shell),
        fix,
        details,
    )
