"""Documents of the compte (one module per verb): `list` and `sync DIR` mirror what the
compte offers (issue 15); `send` and `sent` send a feuille de soins, an arrêt de travail
or a justificatif and follow them (issue 17).

The group lives here; each verb's module adds its command to `app`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_(
        "Tous les documents du compte (attestations, relevés, CEAM, pièces jointes) : "
        "les lister, les copier dans un dossier (sync, pour cron) ; envoyer une feuille "
        "de soins, un arrêt de travail ou un justificatif, et suivre les envois."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli documents list\n  ameli documents sync ~/Documents/ameli\n"
        "  ameli documents send --type feuille-de-soins feuille.pdf\n  ameli documents sent"
    ),
)


def refuse_agents(app: AppContext) -> None:
    """The documents are an assuré's own: an agent has no beneficiaries or relevés."""
    session = app.session()
    if session is not None and session.role == "agent" and not app.credentials.env_token():
        raise UsageError(
            _(
                "documents : réservé aux assurés (leurs propres documents) ; un agent utilise"
                " « ameli attestation batch » ou --nir sur « releves get », « paiements virements »."
            )
        )


# The verbs: each module adds its command to `app`.
from ameli_cli.commands.documents import list, send, sent, sync  # noqa: E402, F401

send.register(app)
sent.register(app)
