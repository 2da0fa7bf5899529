"""uvicorn's httptools protocol with TCP_NODELAY (serve.no_delay): imported only
when httptools is installed (serve.http_protocol); a module of its own so that the
class pickles by name for `--workers N`."""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ameli_sandbox.serve import no_delay


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: Any) -> None:
        no_delay(transport)
        super().connection_made(transport)
