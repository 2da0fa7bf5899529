"""Which service the client talks to, and how: the one backend → transport choice.

`--backend` is `sandbox` (the reference service in this process), an http(s) URL, or
the name of a plugin: a Python entry point in the group `ameli_cli.backends` (see
CONTRIBUTING.md). The embedded sandbox registers itself in that group too; its name is
resolved without reading the installed packages' metadata, so `ameli --help` and the
default backend stay cheap (importlib.metadata costs only for other names).

Cheap to import: the root command parses --backend with it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from ameli_cli.api.backend_plugin import ENTRY_POINT_GROUP, BackendRequest
from ameli_cli.runtime.errors import AmeliError, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

SANDBOX = "sandbox"
SANDBOX_BASE_URL = "http://sandbox.invalid"
# What pyproject.toml registers as `sandbox` in ENTRY_POINT_GROUP (a test keeps the two equal).
SANDBOX_ENTRY_POINT = "ameli_cli.api.embedded:backend"
PLUGIN_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")


class Connection(NamedTuple):
    """Where requests go: a base URL, and the transport to send them through (None:
    httpx's own network transport)."""

    base_url: str
    transport: Any = None


def parse_backend(value: str) -> str:
    """`sandbox`, an http(s) URL with a host, or an installed plugin's name; anything
    else is a usage error."""
    value = value.strip()
    if value == SANDBOX:
        return value
    url = _as_url(value)
    if url is not None:
        return url
    if PLUGIN_NAME.fullmatch(value) and _entry_point(value) is not None:
        return value
    raise UsageError(
        _(
            "Backend inconnu : « {value} ». Donnez « sandbox », une URL http(s)://HÔTE:PORT"
            " ou le nom d'un backend installé ({names})."
        ).format(value=value, names=", ".join(installed_backends()) or "-")
    )


def _as_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
    except ValueError:  # `http://[::1`: an unclosed IPv6 bracket
        return None
    if parts.scheme in ("http", "https") and parts.hostname:
        try:
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            return None
        return value.rstrip("/")
    return None


def is_url(backend: str) -> bool:
    return _as_url(backend) is not None


def installed_backends() -> list[str]:
    from importlib.metadata import entry_points

    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def _entry_point(name: str) -> Any:
    from importlib.metadata import entry_points

    found = list(entry_points(group=ENTRY_POINT_GROUP, name=name))
    return found[0] if found else None


def _factory(backend: str) -> Callable[[BackendRequest], Any]:
    if backend == SANDBOX:
        from ameli_cli.api import embedded

        return embedded.backend
    entry_point = _entry_point(backend)
    if entry_point is None:
        raise UsageError(_("Backend inconnu : « {value} ».").format(value=backend))
    try:
        factory: Callable[[BackendRequest], Any] = entry_point.load()
    except Exception as exc:  # a broken plugin: one line, not a traceback
        raise AmeliError(
            _("Le backend « {name} » n'a pas pu être chargé ({error}).").format(
                name=backend, error=f"{type(exc).__name__}: {exc}"
            )
        ) from None
    return factory


def connect(backend: str, data_dir: Path, *, asynchronous: bool = False) -> Connection:
    """The base URL and transport for this backend, for the sync client or the async
    one: the one place both clients (and every plugin) go through."""
    if is_url(backend):
        return Connection(backend)
    made = _factory(backend)(BackendRequest(backend, data_dir, asynchronous))
    if isinstance(made, str):
        url = _as_url(made)
        if url is None:
            raise AmeliError(
                _("Le backend « {name} » a donné une URL invalide : « {url} ».").format(
                    name=backend, url=made
                )
            )
        return Connection(url)
    base = SANDBOX_BASE_URL if backend == SANDBOX else f"http://{backend}.invalid"
    from ameli_cli.api.exchange import InProcessExchange

    if not asynchronous and isinstance(made, InProcessExchange):
        return Connection(base, made)  # called without httpx (the embedded sandbox)
    from ameli_cli.api.httpx_without_cli import httpx

    wanted = httpx.AsyncBaseTransport if asynchronous else httpx.BaseTransport
    if not isinstance(made, wanted):
        raise AmeliError(
            _(
                "Le backend « {name} » n'a donné ni URL ni transport httpx {kind} (reçu : {got})."
            ).format(
                name=backend,
                kind=_("asynchrone") if asynchronous else _("synchrone"),
                got=type(made).__name__,
            )
        )
    return Connection(base, made)
