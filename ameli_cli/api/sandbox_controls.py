"""The sandbox's own endpoints (`/v1/sandbox/...`): demo accounts, pending one-time
codes, the service clock, reset. Only a sandbox serves them (the embedded one, or
`ameli sandbox serve` at a URL); any other backend refuses, and `NotASandbox` says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from ameli_cli.runtime.errors import ApiError, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from datetime import date

    from ameli_cli.api.client import AmeliClient

# Problems a sandbox itself answers on these paths; any other refusal there (404, 405,
# 401 from a gateway that wants a token everywhere, 501) means no sandbox behind the URL.
SANDBOX_CODES = frozenset(
    {"no_pending_code", "no_pending_approval", "clock_out_of_range", "invalid_request"}
)
NOT_A_SANDBOX_STATUSES = frozenset({401, 403, 404, 405, 501})


class SandboxAccount(TypedDict):
    """An item of `GET /v1/sandbox/accounts` (schema SandboxAccounts)."""

    nir: str
    password: str
    role: str
    name: str
    otp_required: bool
    otp_channels: list[str]
    description: str


class SandboxOtp(TypedDict):
    """`GET /v1/sandbox/otp` (schema SandboxOtp)."""

    nir: str
    code: str
    purpose: str  # login, password_reset
    channel: str  # email, sms
    expires_at: str


class SandboxClock(TypedDict):
    """`GET|POST /v1/sandbox/clock`, `POST /v1/sandbox/reset` (schema SandboxClock)."""

    now: str
    today: str
    offset_seconds: int


class NotASandbox(UsageError):
    """The backend does not serve the sandbox's endpoints: nothing was changed."""

    def __init__(self, backend: str) -> None:
        super().__init__(
            _(
                "Le backend {backend} n'est pas un bac à sable : les commandes « ameli sandbox »"
                " ne s'y appliquent pas."
            ).format(backend=backend)
        )


def _call(client: AmeliClient, method: str, path: str, **kwargs: Any) -> Any:
    try:
        if method == "GET":
            response = client.request("GET", path, authenticated=False, **kwargs)
            return response.json()
        return client.send_json(
            method, path, kwargs.get("json", {}), params=kwargs.get("params"), authenticated=False
        )
    except ApiError as exc:
        if exc.status in NOT_A_SANDBOX_STATUSES and exc.code not in SANDBOX_CODES:
            raise NotASandbox(client.base_url) from None
        raise
    except ValueError:  # a 2xx that is not JSON: some other web server
        raise NotASandbox(client.base_url) from None


def list_accounts(client: AmeliClient) -> list[SandboxAccount]:
    items: list[SandboxAccount] = _call(client, "GET", "/v1/sandbox/accounts")["items"]
    return items


def pending_code(client: AmeliClient, nir: str) -> SandboxOtp | None:
    """The last unused one-time code sent to this NIR; None when there is none."""
    try:
        result: SandboxOtp = _call(client, "GET", "/v1/sandbox/otp", params={"nir": nir})
    except ApiError as exc:
        if exc.code == "no_pending_code":
            return None
        raise
    return result


def approve_sign_in(client: AmeliClient, nir: str) -> dict[str, Any] | None:
    """Approve the sign-in waiting for the app (as the assuré would); None when none waits."""
    try:
        result: dict[str, Any] = _call(
            client, "POST", "/v1/sandbox/otp/approve", json={}, params={"nir": nir}
        )
    except ApiError as exc:
        if exc.code == "no_pending_approval":
            return None
        raise
    return result


def read_clock(client: AmeliClient) -> SandboxClock:
    """The service clock."""
    result: SandboxClock = _call(client, "GET", "/v1/sandbox/clock")
    return result


def advance_clock(client: AmeliClient, seconds: int) -> SandboxClock:
    result: SandboxClock = _call(
        client, "POST", "/v1/sandbox/clock", json={"advance_seconds": seconds}
    )
    return result


def reset(client: AmeliClient, *, today: date | None = None) -> SandboxClock:
    """Erase and seed again; `today` stops the new sandbox's clock on that day."""
    body = {"today": today.isoformat()} if today is not None else {}
    result: SandboxClock = _call(client, "POST", "/v1/sandbox/reset", json=body)
    return result
