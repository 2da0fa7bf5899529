"""Documents of the compte: `documents list`, `documents sync DIR` (one module per verb).

The group lives here; each verb's module registers its command on `app` when
imported below."""

from __future__ import annotations

from ameli_cli.commands.registry import help_for
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

app = AmeliTyper(
    help=help_for("documents"),
    epilog=_(
        "Exemples :\n\n\b\n  ameli documents list\n  ameli documents sync ~/Documents/ameli\n"
        "  ameli documents sync ~/Documents/ameli --kind releve-mensuel --since 2026-01-01"
    ),
)

# The verbs: each module adds its command to `app`.
from ameli_cli.commands.documents import list, sync  # noqa: E402, F401
