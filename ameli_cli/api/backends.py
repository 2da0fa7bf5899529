"""Which service the client talks to: the embedded sandbox, or a server at a URL.

Cheap to import: the root command parses --backend with it. The transports that
reach the embedded sandbox live in `embedded.py`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

SANDBOX = "sandbox"
SANDBOX_BASE_URL = "http://sandbox.invalid"


def parse_backend(value: str) -> str:
    """`sandbox`, or an http(s) URL with a host; anything else is a usage error."""
    value = value.strip()
    if value == SANDBOX:
        return value
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.hostname:
        try:
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            pass
        else:
            return value.rstrip("/")
    raise UsageError(
        _(
            "Backend inconnu : « {value} ». Donnez « sandbox » ou une URL http(s)://HÔTE:PORT."
        ).format(value=value)
    )


def base_url(backend: str) -> str:
    return SANDBOX_BASE_URL if backend == SANDBOX else backend
