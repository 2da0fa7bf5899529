"""Settings in the config file: `config list`, `config get`, `config set`, `config paths`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.options import JsonOption
from ameli_cli.runtime.config import CONFIG_KEYS, load_settings
from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_("Réglages (fichier config.toml) et emplacement des fichiers."),
    epilog=_(
        "Exemples :\n\n\b\n  ameli config paths\n  ameli config set backend http://127.0.0.1:8765"
    ),
)


def _check_key(key: str) -> str:
    if key not in CONFIG_KEYS:
        raise UsageError(
            _("Réglage inconnu : « {key} ». Réglages connus : {keys}.").format(
                key=key, keys=", ".join(CONFIG_KEYS)
            )
        )
    return key


@app.command(
    "get",
    help=_(
        "Lire la valeur effective d'un réglage (sur stdout) et d'où elle vient (sur stderr) :"
        " option, variable d'environnement, config.toml (profil ou général) ou défaut."
    ),
    epilog=_("Exemple :\n\n\b\n  ameli config get backend"),
)
def get(
    ctx: typer.Context,
    key: str = typer.Argument(..., metavar=_("CLÉ")),
) -> None:
    app = app_context(ctx)
    value, source = effective_setting(app, _check_key(key))
    app.io.write(f"{value}\n")
    app.io.info(_("(source : {source})").format(source=source))


def effective_setting(app: AppContext, key: str) -> tuple[Any, str]:
    """The value a command uses, and where it comes from, in the order
    AppContext.build applies them."""
    import os

    from ameli_cli.runtime.hints import given_flag

    effective = {"backend": app.backend, "timeout": app.timeout}[key]
    if key == "backend" and given_flag("--backend"):
        return effective, "--backend"
    if key == "backend" and os.environ.get("AMELI_BACKEND"):
        return effective, "AMELI_BACKEND"
    settings = load_settings(app.paths)
    profiles = settings.get("profiles", {})
    own = profiles.get(app.profile, {}) if isinstance(profiles, dict) else {}
    if isinstance(own, dict) and own.get(key) is not None:
        return effective, _("{path}, profil « {profile} »").format(
            path=app.paths.config_file, profile=app.profile
        )
    if settings.get(key) is not None:
        return effective, str(app.paths.config_file)
    return effective, _("défaut")


@app.command(
    "set",
    help=_("Écrire un réglage, pour tous les profils ou pour --profile seul."),
    epilog=_("Exemple :\n\n\b\n  ameli config set backend http://127.0.0.1:8765"),
)
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., metavar=_("CLÉ")),
    value: str = typer.Argument(..., metavar=_("VALEUR")),
    this_profile: bool = typer.Option(
        False, "--this-profile", help=_("Pour le profil courant seulement.")
    ),
) -> None:
    import tomli_w

    from ameli_cli.api.backends import parse_backend
    from ameli_cli.runtime.private_files import write_text_atomic

    app = app_context(ctx)
    _check_key(key)
    stored: Any = value
    if key == "backend":
        stored = parse_backend(value)
    elif key == "timeout":
        try:
            stored = float(value)
        except ValueError:
            raise UsageError(_("timeout : un nombre de secondes, par exemple 10.")) from None
        if stored <= 0:
            raise UsageError(_("timeout : un nombre de secondes, par exemple 10."))
    settings = load_settings(app.paths)
    target = settings
    if this_profile:
        target = settings.setdefault("profiles", {}).setdefault(app.profile, {})
    target[key] = stored
    write_text_atomic(app.paths.config_file, tomli_w.dumps(settings))
    app.io.info(
        _("{key} = {value} ({path})").format(key=key, value=stored, path=app.paths.config_file)
    )


@app.command(
    "list",
    help=_("Afficher les réglages effectifs du profil."),
    epilog=_("Exemple :\n\n\b\n  ameli config list --json"),
)
def list_(
    ctx: typer.Context,
    json_output: JsonOption = False,
) -> None:
    app = app_context(ctx)
    effective = {"profile": app.profile, "backend": app.backend, "timeout": app.timeout}
    if json_output:
        app.io.write_json(effective)
        return
    app.io.write("".join(f"{k} = {v}\n" for k, v in effective.items()))


@app.command(
    "paths",
    help=_("Où vivent les fichiers (réglages, données, cache)."),
    epilog=_("Exemple :\n\n\b\n  ameli config paths"),
)
def paths(
    ctx: typer.Context,
    json_output: JsonOption = False,
) -> None:
    app = app_context(ctx)
    data = {
        "config_file": str(app.paths.config_file),
        "config_dir": str(app.paths.config_dir),
        "data_dir": str(app.paths.data_dir),
        "cache_dir": str(app.paths.cache_dir),
        "sandbox_db": str(app.paths.sandbox_db),
    }
    if json_output:
        app.io.write_json(data)
        return
    app.io.write("".join(f"{k:12} {v}\n" for k, v in data.items()))
