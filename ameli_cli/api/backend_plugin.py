"""The plugin interface of `--backend NAME`: what a backend plugin receives.

A plugin is a callable registered as an entry point in the group `ameli_cli.backends`
(CONTRIBUTING.md has a complete example). It is called with a `BackendRequest` and
returns either a base URL (`"https://…"`: the client then uses the network) or an httpx
transport: an `httpx.BaseTransport` for the CLI's client, an `httpx.AsyncBaseTransport`
when `request.asynchronous` (attestation batches). The embedded sandbox is such a
plugin (`ameli_cli.api.embedded:backend`); for the synchronous client it returns an
`exchange.InProcessExchange` instead, a service called in this process without httpx.

Kept free of imports so that a plugin (and `--help`) pays nothing for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

ENTRY_POINT_GROUP = "ameli_cli.backends"


class BackendRequest(NamedTuple):
    """`name`: the backend's name as given to --backend; `data_dir`: the user's ameli
    data directory, where a plugin may keep state; `asynchronous`: return an
    `httpx.AsyncBaseTransport` (else an `httpx.BaseTransport`) if not a URL."""

    name: str
    data_dir: Path
    asynchronous: bool
