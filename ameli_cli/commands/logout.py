"""`ameli logout`: the token revoked by the service it came from, then erased here.

A session is bound to the backend it was made on (its record says which): the
revocation goes there, whatever `--backend`, AMELI_BACKEND or the config name today.
Revoking through another backend would leave the token valid where it works.

When that backend cannot revoke it (unreachable, failing, its plugin gone), the local
session is erased all the same (and `--purge` still erases the profile's data): a
token left on this disk is the risk we can remove; the one on the server expires on
its own. The command says so in one line, with the expiry, and exits with the
failure's code (5 when unreachable) so that a script knows it did not happen.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, auth_devices
from ameli_cli.commands.options import JsonOption
from ameli_cli.runtime.errors import (
    AmeliError,
    ApiError,
    AuthRequired,
    BackendUnreachable,
    ExitCode,
)
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext
    from ameli_cli.runtime.credentials import Session

# Commands that sit at the root (`ameli logout`); see commands/registry.py.
top_level = AmeliTyper()


@top_level.command(
    "logout",
    help=_(
        "Se déconnecter : le jeton est révoqué par le service et effacé d'ici. Avec "
        "--purge, les attestations en cache, les messages en attente et toute autre "
        "donnée du profil sont effacés aussi."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli logout\n  ameli logout --purge"),
)
def logout(
    ctx: typer.Context,
    purge: bool = typer.Option(
        False,
        "--purge",
        help=_("Effacer aussi les données du profil sur cette machine (cache, messages)."),
    ),
    json_output: JsonOption = False,
) -> None:
    run_logout(app_context(ctx), json_output=json_output, purge=purge)


class NotRevoked(AmeliError):
    """The session's backend did not revoke the token (down, failing, a plugin that no
    longer loads): erased here, still valid there; the exit code is the failure's."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _session_context(app: AppContext, session: Session | None) -> AppContext:
    """The context of the backend the session was made on (its own client)."""
    if session is None or session.backend == app.backend:
        return app
    return replace(app, backend=session.backend, _client=None)


def _revoke(app: AppContext, *, purge: bool) -> tuple[bool, str | None]:
    """(revoked, trusted device id); an AmeliError when the backend could not revoke
    it. A token the service already refuses (expired, revoked) has nothing to revoke."""
    trusted_device = None
    try:
        client = app.client()
        if purge:
            trusted_device = auth_devices.current_trusted_device(client)
        client.logout()
    except AuthRequired:
        return False, trusted_device
    except ApiError as exc:
        if exc.status != 401:
            raise
        return False, trusted_device
    return True, trusted_device


def run_logout(app: AppContext, *, json_output: bool, purge: bool = False) -> dict[str, Any]:
    io = app.io
    session = app.session()
    env_token = app.credentials.env_token()
    target = _session_context(app, session)
    revoked = False
    trusted_device = None
    failure: AmeliError | None = None
    if session is not None or env_token:
        try:
            revoked, trusted_device = _revoke(target, purge=purge)
        except AmeliError as exc:  # down (5), failing (1), its plugin gone (1, 2)
            failure = exc
        finally:
            if target is not app:
                target.close()
    erased = app.credentials.delete()
    result: dict[str, Any] = {
        "profile": app.profile,
        "backend": target.backend,
        "revoked": revoked,
        "erased": erased,
    }
    purged: list[Any] = []
    if purge:
        from ameli_cli.domain.purge import erase_stray_keyring_token, purge_profile

        if erase_stray_keyring_token(app.credentials):
            erased.append(_("jeton dans le trousseau"))
        purged = purge_profile(app.paths, app.profile)
        result["purged"] = [item.as_json() for item in purged]
        result["trusted_device"] = trusted_device
    if json_output:
        io.write_json(result)
    elif session is None and not env_token:
        io.info(_("Aucune session pour le profil « {profile} ».").format(profile=app.profile))
    elif failure is None:
        io.info(
            _("Déconnecté de {backend} (profil « {profile} »).").format(
                backend=target.backend, profile=app.profile
            )
        )
        if env_token:
            io.warn(_("AMELI_TOKEN est défini dans l'environnement : retirez-le aussi."))
    if purge and not json_output:
        _report_purge(app, erased, purged, trusted_device)
    if failure is not None:
        raise NotRevoked(_not_revoked_line(target.backend, session, failure), failure.exit_code)
    return result


def _not_revoked_line(backend: str, session: Session | None, failure: AmeliError) -> str:
    from ameli_cli.render.dates import local_time

    try:
        until = local_time(session.expires_at) if session is not None else "?"
    except ValueError:
        until = "?"
    if isinstance(failure, BackendUnreachable):
        return _(
            "{backend} ne répond pas : jeton effacé d'ici mais non révoqué ; il reste valable"
            " sur ce service jusqu'au {until}."
        ).format(backend=backend, until=until)
    return _(
        "{backend} n'a pas révoqué le jeton ({error}) : jeton effacé d'ici ; il reste valable"
        " sur ce service jusqu'au {until}."
    ).format(backend=backend, error=failure.message.rstrip("."), until=until)


def _report_purge(
    app: AppContext, erased: list[str], purged: list[Any], trusted_device: str | None
) -> None:
    """Say what --purge erased, one item a line (stderr: a confirmation, not data)."""
    from ameli_cli.runtime.i18n import ngettext

    lines = [f"  - {item}" for item in erased]
    for item in purged:
        if item.is_dir:
            count = ngettext("{n} fichier", "{n} fichiers", item.files).format(n=item.files)
            lines.append(f"  - {item.path} ({count})")
        else:
            lines.append(f"  - {item.path}")
    if lines:
        app.io.info(_("Effacé de cette machine :") + "\n" + "\n".join(lines))
    else:
        app.io.info(
            _("Rien à effacer sur cette machine pour le profil « {profile} ».").format(
                profile=app.profile
            )
        )
    if trusted_device is not None:
        app.io.info(
            _(
                "Cet appareil reste de confiance pour le compte (pas de code à la prochaine"
                " connexion) tant qu'il n'est pas retiré : ameli auth devices revoke {id}"
                " (depuis une session, ici ou ailleurs)."
            ).format(id=trusted_device)
        )
