"""Signing in (`login`'s exchange with the service) and the one-time code of a new device: which channel it took, the code typed or given
by a script (`--otp`, `AMELI_OTP`), or the wait for an approval in the Compte ameli app.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from ameli_cli.render.dates import local_time
from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.errors import ApiError, AuthRequired, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from ameli_cli.api.client import AmeliClient
    from ameli_cli.records import LoginResponse
    from ameli_cli.runtime.context import AppContext

CHANNELS = ("email", "sms", "app")
# How long `login` waits for an approval in the app; the request itself lives 15 minutes.
APPROVAL_WAIT_SECONDS = 120
APPROVAL_WAIT_ENV = "AMELI_OTP_WAIT"
POLL_SECONDS = 1.0


def check_channel(channel: str | None) -> str | None:
    if channel is not None and channel not in CHANNELS:
        raise UsageError(_("--otp-channel : email, sms ou app."))
    return channel


def device_name() -> str:
    """How this device appears in `ameli auth devices list` (AMELI_DEVICE_NAME to choose)."""
    chosen = os.environ.get("AMELI_DEVICE_NAME", "").strip()
    if chosen:
        return chosen[:100]
    import platform

    host = platform.node() or platform.system() or "?"
    return f"ameli-cli ({host})"[:100]


def channel_line(problem: dict[str, Any]) -> str:
    """« Un code … a été envoyé par SMS au 06 •• •• •• 42 » (the service masks it)."""
    where = inert(str(problem.get("destination", "")))
    channel = problem.get("channel", "email")
    if channel == "app":
        return _("Validez la connexion dans l'application Compte ameli (valable 15 minutes).")
    if channel == "sms":
        return _("Code à 6 chiffres envoyé par SMS au {to} (valable 15 minutes).").format(to=where)
    return _("Code à 6 chiffres envoyé par e-mail à {to} (valable 15 minutes).").format(to=where)


def unavailable_channel(exc: ApiError) -> UsageError:
    offered = ", ".join(str(c) for c in exc.problem.get("available_channels", []))
    return UsageError(
        _(
            "--otp-channel : ce compte ne reçoit pas de code par ce moyen (possibles : {list})."
        ).format(list=inert(offered))
    )


def wait_for_approval(
    app: AppContext, client: AmeliClient, problem: dict[str, Any], nir: str
) -> LoginResponse:
    """Poll until the sign-in is approved in the app, at most APPROVAL_WAIT_SECONDS.

    Ctrl-C ends the wait (exit 130, nothing stored); the request expires on its own.
    """
    approval_id = str(problem.get("approval_id", ""))
    raw = os.environ.get(APPROVAL_WAIT_ENV, "")
    limit = int(raw) if raw.isdigit() else APPROVAL_WAIT_SECONDS
    io = app.io
    io.info(channel_line(problem))
    show = _progress(app)
    started = time.monotonic()
    try:
        result = _poll(client, approval_id, started, limit, show)
    finally:
        show(-1, limit)  # end the progress line, Ctrl-C included
    if result is None:
        raise AuthRequired(
            _(
                "Connexion non validée dans l'application après {n} s. Relancez ameli login,"
                " ou --otp-channel sms ou email (bac à sable : ameli sandbox otp --nir {nir}"
                " --approve)."
            ).format(n=limit, nir=nir)
        )
    return result


def _poll(
    client: AmeliClient,
    approval_id: str,
    started: float,
    limit: int,
    show: Callable[[int, int], None],
) -> LoginResponse | None:
    """The session once approved; None when `limit` seconds passed first."""
    while True:
        waited = int(time.monotonic() - started)
        show(waited, limit)
        result = client.poll_login_approval(approval_id)
        if result is not None or waited >= limit:
            return result
        time.sleep(POLL_SECONDS)


def sign_in(
    app: AppContext, nir: str, password: str, *, otp: str | None, channel: str | None
) -> LoginResponse:
    """The service's login answer; a new device asks for its second factor (the code
    sent by e-mail or SMS, or the approval in the app: commands/py)."""
    from ameli_cli.runtime.credentials import device_id

    client = app.client(authenticated=False)
    device = device_id(app.paths)
    name = device_name()
    try:
        return client.login(
            nir, password, device_id=device, otp=otp, otp_channel=channel, device_name=name
        )
    except ApiError as exc:
        if exc.code == "otp_channel_unavailable":
            raise unavailable_channel(exc) from None
        if exc.code != "otp_required":
            raise login_error(exc, nir) from None
        problem = exc.problem
    return second_factor(app, client, problem, nir, password, device, name)


def login_error(exc: ApiError, nir: str) -> Exception:
    if exc.code == "account_locked":
        return AuthRequired(
            _(
                "Compte bloqué après 5 mots de passe erronés, jusqu'au {until}. Attendez, ou"
                " réinitialisez le mot de passe sur ameli.fr (bac à sable : ameli sandbox reset)."
            ).format(until=local_time(str(exc.problem.get("locked_until", ""))))
        )
    if exc.code == "invalid_credentials":
        remaining = exc.problem.get("attempts_remaining")
        if isinstance(remaining, int):
            return AuthRequired(
                _("NIR ou mot de passe incorrect ({n} essai(s) avant blocage du compte).").format(
                    n=remaining
                )
            )
        return AuthRequired(_("NIR ou mot de passe incorrect."))
    if exc.code == "otp_invalid":
        return AuthRequired(
            _(
                "Code à usage unique faux ou expiré. Relancez sans --otp pour en recevoir un"
                " nouveau."
            )
        )
    return exc


def second_factor(
    app: AppContext,
    client: AmeliClient,
    problem: dict[str, Any],
    nir: str,
    password: str,
    device: str,
    name: str,
) -> LoginResponse:
    """A new device: wait for the app's approval, or take the code sent by e-mail or SMS."""
    if problem.get("channel") == "app":
        return wait_for_approval(app, client, problem, nir)
    if not app.io.can_prompt:
        raise AuthRequired(
            channel_line(problem)
            + " "
            + _(
                "Ce nouvel appareil doit être confirmé : relancez avec --otp CODE ou"
                " AMELI_OTP=CODE (bac à sable : ameli sandbox otp --nir {nir})"
            ).format(nir=nir)
        )
    app.io.info(channel_line(problem))
    from ameli_cli.commands.one_time_code import ask_code

    return ask_code(client, nir, password, device, login_error, device_name=name)


def _progress(app: AppContext) -> Callable[[int, int], None]:
    """One line that counts the seconds on a terminal; one line only elsewhere."""
    io = app.io
    said = False

    def show(waited: int, limit: int) -> None:
        nonlocal said
        if io.quiet:
            return
        text = _("En attente de la validation… {n} s sur {limit} (Ctrl-C pour abandonner)").format(
            n=max(waited, 0), limit=limit
        )
        if io.stderr_tty:
            end = "\n" if waited < 0 else ""
            print(f"\r{text}\x1b[K" if waited >= 0 else "", end=end, file=io.stderr, flush=True)
        elif not said and waited >= 0:
            print(text, file=io.stderr, flush=True)
        said = True

    return show
