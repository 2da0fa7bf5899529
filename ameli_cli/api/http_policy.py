"""What both clients (`client/`, and `async_client.py` for batches) share: the
timeout, the headers every request carries, when a request is sent again, and what a
refusal means. Their loops differ only in `time.sleep` against `asyncio.sleep`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from ameli_cli import __version__
from ameli_cli.runtime.errors import ApiError, BackendUnreachable
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.api.exchange import NoAnswer, Response

DEFAULT_TIMEOUT = 10.0
RETRY_STATUSES = frozenset({429, 502, 503, 504})


def default_headers() -> dict[str, str]:
    return {"User-Agent": f"ameli-cli/{__version__}", "Accept": "application/json"}


class RetryPolicy(NamedTuple):
    """When a request is sent again, for both clients (their loops differ only in
    `time.sleep` against `asyncio.sleep`).

    Reads are retried; a write only when its caller asks (`retry=True`) and carries
    its Idempotency-Key, so the service replays its first answer instead of acting
    twice. Retried: no answer (timeout, connection dropped) and 429/502/503/504."""

    retries: int = 2
    backoff: float = 0.25
    statuses: frozenset[int] = RETRY_STATUSES

    def attempts(self, retryable: bool) -> range:
        return range(1 + (self.retries if retryable else 0))

    def is_last(self, attempt: int, retryable: bool) -> bool:
        return attempt == len(self.attempts(retryable)) - 1

    def delay(self, attempt: int) -> float:
        return float(self.backoff * (2**attempt))

    def settle(self, response: Response, *, last: bool) -> Response | None:
        """The answer to return, None to try again; raises `ApiError` for a problem."""
        if response.status_code in self.statuses and not last:
            return None
        if response.is_error:
            raise ApiError(response.status_code, problem_of(response))
        return response

    def give_up(self, exc: NoAnswer, *, last: bool, base_url: str) -> None:
        """No answer: raise `BackendUnreachable` on the last attempt, else return."""
        if not last:
            return
        message = _(
            "Le service {url} ne répond pas ({kind}). Vérifiez --backend ou réessayez."
        ).format(url=base_url, kind=exc.kind)
        raise BackendUnreachable(message, sent=exc.sent) from None


def problem_of(response: Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {
        "status": response.status_code,
        "title": response.reason_phrase,
        "code": f"http_{response.status_code}",
    }
