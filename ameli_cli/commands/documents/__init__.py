"""`ameli documents`: documents exchanged with the caisse. `send` and `sent` (issue 17)
send a feuille de soins, an arrêt de travail or a justificatif and follow them."""

from __future__ import annotations

from ameli_cli.commands.documents import send as _send
from ameli_cli.commands.documents import sent as _sent
from ameli_cli.commands.registry import help_for
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

app = AmeliTyper(
    help=help_for("documents"),
    epilog=_(
        "Exemples :\n\n\b\n  ameli documents send --type feuille-de-soins feuille.pdf\n"
        "  ameli documents sent"
    ),
)
_send.register(app)
_sent.register(app)
