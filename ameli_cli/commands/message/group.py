"""The `message` group, on which each verb module registers its commands."""

from __future__ import annotations

from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

app = AmeliTyper(
    help=_(
        "Messagerie avec votre caisse : écrire, répondre, lire, télécharger les "
        "pièces jointes ; une boîte d'envoi garde ce qui n'a pas pu partir."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli message send --category autre --subject 'Question'"
        " --body 'Bonjour, …'\n  ameli message list --unread\n  ameli message outbox send"
    ),
    no_args_is_help=True,
)
