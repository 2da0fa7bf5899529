"""The top-level commands: where each lives, imported only when it runs.

Every command, top-level or not, is registered the same way, in its own module,
with its help beside its function:

    @app.command("send", help=_("…"), epilog=_("…"))
    def send(ctx: typer.Context, …) -> None:

A noun is a Typer group named `app` (`ameli message …`); a command that sits at the
root (`ameli login`) is registered on its module's `top_level` Typer.

`ameli --help` lists every command but runs none: importing every command module
and turning it into click objects costs more than the rest of startup. The root
group reads this table instead, and the one-line summaries from `summaries.py`,
which `scripts/command_summaries.py` generates from the helps above (a test fails
when it is stale).
"""

from __future__ import annotations

from typing import NamedTuple

GROUP = "app"
TOP_LEVEL = "top_level"


class Entry(NamedTuple):  # not a dataclass: `ameli --help` skips importing dataclasses
    name: str
    module: str  # under ameli_cli.commands
    target: str = GROUP  # GROUP: the module's group; TOP_LEVEL: one of its root commands


# In the order of `ameli --help`.
ENTRIES: tuple[Entry, ...] = (
    Entry("login", "auth", TOP_LEVEL),
    Entry("logout", "logout", TOP_LEVEL),
    Entry("whoami", "auth", TOP_LEVEL),
    Entry("attestation", "attestation"),
    Entry("vitale", "vitale"),
    Entry("ceam", "ceam"),
    Entry("paiements", "paiements"),
    Entry("releves", "releves"),
    Entry("estimate", "estimate", TOP_LEVEL),
    Entry("medecin-traitant", "medecin_traitant"),
    Entry("beneficiaires", "beneficiaires"),
    Entry("css", "css"),
    Entry("documents", "documents"),
    Entry("message", "message"),
    Entry("profile", "profile"),
    Entry("organisme", "organisme", TOP_LEVEL),
    Entry("audit", "audit", TOP_LEVEL),
    Entry("doctor", "doctor", TOP_LEVEL),
    Entry("mcp", "mcp_command", TOP_LEVEL),
    Entry("auth", "auth"),
    Entry("config", "config"),
    Entry("sandbox", "sandbox"),
    Entry("help", "meta", TOP_LEVEL),
    Entry("version", "meta", TOP_LEVEL),
    Entry("completion", "completion", TOP_LEVEL),
)

BY_NAME = {entry.name: entry for entry in ENTRIES}
