"""The one-time code of a new device: which channel it took, the code typed or given
by a script (`--otp`, `AMELI_OTP`), or the wait for an approval in the Compte ameli app.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.errors import ApiError, AuthRequired, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from ameli_cli.api.client import AmeliClient
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
        return _(
            "Validez la connexion dans l'application Compte ameli (demande valable 15 minutes)."
        )
    if channel == "sms":
        return _("Un code à 6 chiffres a été envoyé par SMS au {to} (valable 15 minutes).").format(
            to=where
        )
    return _("Un code à 6 chiffres a été envoyé par e-mail à {to} (valable 15 minutes).").format(
        to=where
    )


def unavailable_channel(exc: ApiError) -> UsageError:
    offered = ", ".join(str(c) for c in exc.problem.get("available_channels", []))
    return UsageError(
        _(
            "--otp-channel : ce compte ne reçoit pas de code par ce moyen (possibles : {list})."
        ).format(list=inert(offered))
    )


def wait_for_approval(
    app: AppContext, client: AmeliClient, problem: dict[str, Any], nir: str
) -> dict[str, Any]:
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
    while True:
        waited = int(time.monotonic() - started)
        show(waited, limit)
        result = client.poll_login_approval(approval_id)
        if result is not None:
            show(-1, limit)
            return result
        if waited >= limit:
            show(-1, limit)
            raise AuthRequired(
                _(
                    "Connexion non validée dans l'application après {n} s. Relancez ameli login,"
                    " ou --otp-channel sms ou email (bac à sable : ameli sandbox otp --nir {nir}"
                    " --approve)."
                ).format(n=limit, nir=nir)
            )
        time.sleep(POLL_SECONDS)


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
