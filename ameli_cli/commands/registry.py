"""The top-level commands, imported only when invoked.

`ameli --help` lists every command but runs none: importing every command module
and turning it into click objects cost ~28 ms of the ~30 ms budget above
`import typer`. The root group reads this table instead, and imports a module only
when its command is called. Each command's help text lives here, once: the module
takes it with `help_for(name)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ameli_cli.runtime.i18n import _


@dataclass(frozen=True)
class Entry:
    name: str
    module: str  # under ameli_cli.commands
    target: str  # a Typer app (a group), or a function (a single command)
    help: str
    epilog_constant: str | None = None  # for a function: the module's example text


ENTRIES: tuple[Entry, ...] = (
    Entry(
        "login",
        "auth",
        "login",
        _(
            "Se connecter avec son NIR et son mot de passe. Le mot de passe est demandé "
            "sur un terminal ; ailleurs, passez --password-stdin ou --password-file."
        ),
        epilog_constant="LOGIN_EPILOG",
    ),
    Entry(
        "logout",
        "auth",
        "logout",
        _(
            "Se déconnecter : le jeton est révoqué par le service et effacé d'ici. Avec "
            "--purge, les attestations en cache, les messages en attente et toute autre "
            "donnée du profil sont effacés aussi."
        ),
        epilog_constant="LOGOUT_EPILOG",
    ),
    Entry(
        "whoami",
        "auth",
        "whoami",
        _("Qui est connecté : NIR, nom, rôle, caisse, bénéficiaires, où est le jeton."),
        epilog_constant="WHOAMI_EPILOG",
    ),
    Entry(
        "attestation",
        "attestation",
        "app",
        _(
            "Attestations : de droits, de paiement des indemnités journalières, relevé "
            "fiscal ; PDF signé, vérifiable hors ligne."
        ),
    ),
    Entry(
        "vitale",
        "vitale",
        "app",
        _("Carte Vitale : état des cartes, commande, déclaration de perte, de vol ou de panne."),
    ),
    Entry(
        "ceam",
        "ceam",
        "app",
        _("Carte européenne d'assurance maladie (CEAM) : commande et suivi."),
    ),
    Entry(
        "paiements",
        "paiements",
        "app",
        _(
            "Vos remboursements ligne par ligne : dates, bénéficiaire, professionnel, "
            "acte, base, taux, montants remboursés et déduits ; totaux et graphique."
        ),
    ),
    Entry(
        "estimate",
        "estimate",
        "estimate",
        _(
            "Estimer le remboursement d'un acte et le reste à charge avant mutuelle, aux "
            "tarifs et règles de la date ; --list pour les actes connus."
        ),
        epilog_constant="EPILOG",
    ),
    Entry(
        "medecin-traitant",
        "medecin_traitant",
        "app",
        _(
            "Médecin traitant : voir celui de chaque bénéficiaire, en déclarer un, chercher un médecin."
        ),
    ),
    Entry(
        "beneficiaires",
        "beneficiaires",
        "app",
        _(
            "Bénéficiaires (ayants droit) : la liste, ajouter un enfant, le rattacher aussi "
            "au compte de l'autre parent."
        ),
    ),
    Entry(
        "css",
        "css",
        "app",
        _("Complémentaire santé solidaire (CSS) : simuler, demander, suivre la demande."),
    ),
    Entry(
        "releves",
        "releves",
        "app",
        _(
            "Relevés mensuels de paiements : les 27 derniers mois clos, en PDF signé, "
            "vérifiable hors ligne."
        ),
    ),
    Entry(
        "documents",
        "documents",
        "app",
        _(
            "Tous les documents du compte (attestations, relevés, CEAM, pièces jointes) : "
            "les lister, les copier dans un dossier (sync, pour cron) ; envoyer une feuille "
            "de soins, un arrêt de travail ou un justificatif, et suivre les envois."
        ),
    ),
    Entry(
        "message",
        "message",
        "app",
        _(
            "Messagerie avec votre caisse : écrire, répondre, lire, télécharger les "
            "pièces jointes ; une boîte d'envoi garde ce qui n'a pas pu partir."
        ),
    ),
    Entry(
        "profile",
        "profile",
        "app",
        _("Vos coordonnées : adresse, e-mail, téléphone et IBAN (voir, modifier)."),
    ),
    Entry(
        "organisme",
        "organisme",
        "organisme",
        _(
            "Votre caisse (CPAM) : nom, code organisme, adresse postale, téléphone (3646)"
            " et horaires, avec ses rappels de sécurité."
        ),
        epilog_constant="EPILOG",
    ),
    Entry(
        "audit",
        "audit",
        "audit",
        _(
            "Journal des accès : quel agent de la caisse a consulté vos données "
            "(attestations…), quand et pour quoi."
        ),
        epilog_constant="EPILOG",
    ),
    Entry(
        "doctor",
        "doctor",
        "doctor",
        _(
            "Diagnostiquer l'installation : service, connexion, trousseau, droits des "
            "fichiers, versions, complétion du shell."
        ),
        epilog_constant="EPILOG",
    ),
    Entry(
        "mcp",
        "mcp_command",
        "mcp",
        _(
            "Serveur MCP (stdio) pour les assistants IA : les commandes de lecture comme"
            " outils ; les écritures seulement avec --allow-writes."
        ),
        epilog_constant="EPILOG",
    ),
    Entry(
        "auth",
        "auth",
        "app",
        _(
            "Le compte : mot de passe (changer, réinitialiser), appareils de confiance, jeton"
            " de connexion (pour les scripts)."
        ),
    ),
    Entry(
        "config",
        "config",
        "app",
        _("Réglages (fichier config.toml) et emplacement des fichiers."),
    ),
    Entry(
        "sandbox",
        "sandbox",
        "app",
        _(
            "Le service de référence intégré : comptes de démonstration, remise à zéro, "
            "codes à usage unique, horloge, serveur HTTP."
        ),
    ),
    Entry(
        "completion",
        "completion",
        "completion",
        _("Afficher le script de complétion pour bash, zsh ou fish (à charger dans le shell)."),
        epilog_constant="EPILOG",
    ),
)

BY_NAME = {entry.name: entry for entry in ENTRIES}


def help_for(name: str) -> str:
    return BY_NAME[name].help
