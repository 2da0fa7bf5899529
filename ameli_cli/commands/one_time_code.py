"""The one-time code a new device is asked for, on a terminal: three tries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ameli_cli.runtime.errors import ApiError, AuthRequired
from ameli_cli.runtime.hints import command
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.api.client import AmeliClient
    from ameli_cli.records import LoginResponse


class WrongCode(AuthRequired):
    """A one-time code typed at the prompt that the service refused: asked again."""


def ask_code(
    client: AmeliClient,
    nir: str,
    password: str,
    device: str,
    refused: Callable[[ApiError, str], Exception],
    *,
    device_name: str | None = None,
) -> LoginResponse:
    """Ask for the code on the terminal, three tries; `refused` words the other
    refusals (locked account…) as the login command does."""
    from ameli_cli.runtime.prompts import ask_again

    def sign_in(typed: str) -> LoginResponse:
        code = typed.strip().replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise WrongCode(_("Le code a 6 chiffres."))
        try:
            return client.login(nir, password, device_id=device, otp=code, device_name=device_name)
        except ApiError as exc:
            if exc.code == "otp_invalid":
                raise WrongCode(
                    _(
                        "Code faux ou expiré. Pour en recevoir un nouveau, relancez : {command}"
                    ).format(command=command("login"))
                ) from None
            raise refused(exc, nir) from None

    return ask_again(_("Code reçu"), sign_in, retry_on=WrongCode)
