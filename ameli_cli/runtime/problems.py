"""The service's problems in the user's language, from their stable `code`.

Why on the client and not through Accept-Language: the service is language-neutral
(its `title`/`detail` are for developers and logs, in English) and any server at a
URL may speak the API without our catalogue; the codes are the stable contract
(documented in the OpenAPI). So the one catalogue of human text is the CLI's
gettext catalogue, `--json` and scripts keep the service's problem unchanged, and a
new code the CLI does not know yet still gets a French sentence (with its HTTP status)
rather than English. Machine fields of a problem (`limit`, `retry_after`, `resource`,
`id`, `parameter`…) fill the sentences; the English `detail` is never shown. They
are the server's words: whoever shows the sentence makes it inert (`__main__` does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ameli_cli.runtime.hints import command
from ameli_cli.runtime.i18n import _

Problem = dict[str, Any]


def _resource(problem: Problem) -> str:
    names = {
        "assure": _("aucun assuré avec ce NIR"),
        "conversation": _("aucune conversation {id} dans ce compte"),
        "attachment": _("aucune pièce jointe {id} dans cette conversation"),
        "payment": _("aucun paiement {id} pour cet assuré"),
        "order": _("aucune commande {id}"),
        "device": _("aucun appareil de confiance {id} sur ce compte"),
    }
    template = names.get(str(problem.get("resource", "")))
    if template is None:
        return _("ressource inconnue du service")
    return template.format(id=str(problem.get("id", ""))).replace("  ", " ")


def _unknown_rank(problem: Problem) -> str:
    ranks = problem.get("ranks")
    if isinstance(ranks, list) and ranks:
        return _("Aucun bénéficiaire de ce rang ; rangs de ce compte : {ranks}.").format(
            ranks=", ".join(str(r) for r in ranks)
        )
    return _("Aucun bénéficiaire de ce rang (voir ameli whoami).")


def _invalid_request(problem: Problem) -> str:
    parameter = problem.get("parameter")
    if parameter:
        return _("Requête refusée par le service : le paramètre « {name} » est invalide.").format(
            name=str(parameter)
        )
    return _(
        "Requête refusée par le service (HTTP 400) ; relancez avec --verbose pour voir la requête."
    )


def _wait(seconds: object) -> str:
    """A delay to wait, in the largest unit that reads naturally (« 3 h 20 min »)."""
    if not isinstance(seconds, int) or seconds < 0:
        seconds = 60
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def _catalogue() -> dict[str, Callable[[Problem], str]]:
    login = command("login")
    return {
        "auth_required": lambda p: _("Vous n'êtes pas connecté. Lancez : {command}").format(
            command=login
        ),
        "token_invalid": lambda p: _(
            "La session n'est plus valable (révoquée ou inconnue). Lancez : {command}"
        ).format(command=login),
        "token_expired": lambda p: _("La session a expiré. Lancez : {command}").format(
            command=login
        ),
        "forbidden": lambda p: _("Accès refusé : un assuré n'accède qu'à ses propres données."),
        "not_found": lambda p: _("Introuvable : {what}.").format(what=_resource(p)),
        "method_not_allowed": lambda p: _(
            "Le service ne connaît pas cette opération (HTTP 405) : versions différentes ?"
            " Voir ameli doctor."
        ),
        "internal_error": lambda p: _(
            "Le service a échoué ({status}) ; réessayez plus tard."
        ).format(status=p.get("status", 500)),
        "rate_limited": lambda p: _(
            "Trop de tentatives de connexion depuis cette adresse : réessayez dans {n} s."
        ).format(n=p.get("retry_after", 60)),
        "payload_too_large": lambda p: _(
            "Envoi trop volumineux : le service accepte au plus {n} octets par requête."
        ).format(n=p.get("limit", "?")),
        "invalid_request": _invalid_request,
        "invalid_cursor": lambda p: _(
            "La page demandée n'existe plus (curseur inconnu) : relancez la liste depuis le début."
        ),
        "client_disconnected": lambda p: _(
            "La connexion a été coupée pendant l'envoi : rien n'a été enregistré ; relancez."
        ),
        "quota_exceeded": lambda p: _(
            "Quota atteint pour ce compte ({limit} par jour) : réessayez dans {wait}."
        ).format(limit=p.get("limit", "?"), wait=_wait(p.get("retry_after"))),
        "idempotency_key_reused": lambda p: _(
            "Cette clé d'idempotence a déjà servi pour une autre demande : rien n'a été refait."
        ),
        "invalid_nir": lambda p: _("NIR invalide : 15 caractères, clé comprise."),
        "invalid_credentials": lambda p: _("NIR ou mot de passe incorrect."),
        "account_locked": lambda p: _(
            "Compte bloqué après trop de mots de passe erronés ; réessayez plus tard."
        ),
        "otp_required": lambda p: _(
            "Ce nouvel appareil doit être confirmé : code à 6 chiffres envoyé par e-mail ou"
            " SMS, ou validation dans l'application Compte ameli."
        ),
        "otp_invalid": lambda p: _("Code à usage unique faux ou expiré."),
        "no_pending_approval": lambda p: _(
            "Aucune connexion n'attend de validation dans l'application pour ce NIR."
        ),
        "otp_channel_unavailable": lambda p: _(
            "Ce compte ne reçoit pas de code par ce moyen (possibles : {list})."
        ).format(list=", ".join(str(c) for c in p.get("available_channels", []))),
        "approval_unknown": lambda p: _(
            "Demande de connexion inconnue ou expirée : relancez {command}"
        ).format(command=login),
        "password_too_weak": lambda p: _(
            "Nouveau mot de passe refusé : il ne respecte pas les règles (voir"
            " ameli auth password change --help)."
        ),
        "password_unchanged": lambda p: _(
            "Le nouveau mot de passe est l'actuel : choisissez-en un autre."
        ),
        "current_password_wrong": lambda p: _(
            "Mot de passe actuel incorrect ({n} essai(s) avant blocage du compte)."
        ).format(n=p.get("attempts_remaining", "?")),
        "reset_code_invalid": lambda p: _(
            "Code faux ou expiré, ou NIR et date de naissance sans compte. Après 5 essais"
            " faux le code ne vaut plus : redemandez-en un (sans --code)."
        ),
        "too_many_code_requests": lambda p: _(
            "Nombre maximum de demandes de code atteint : réessayez dans {wait}."
        ).format(wait=_wait(p.get("retry_after"))),
        "invalid_profile": lambda p: _(
            "Coordonnées refusées par le service : rien n'a été modifié."
        ),
        "unknown_beneficiary": _unknown_rank,
        "beneficiary_not_found": lambda p: _("Aucun bénéficiaire de ce rang (voir ameli whoami)."),
        "unknown_attestation_type": lambda p: _(
            "Type d'attestation inconnu du service (voir ameli attestation get --help)."
        ),
        "no_sick_pay": lambda p: _("Aucune indemnité journalière versée sur cette période."),
        "departure_in_past": lambda p: _("La date de départ est passée."),
        "unknown_category": lambda p: _(
            "Catégorie de message inconnue (voir ameli message categories)."
        ),
        "empty_subject": lambda p: _("L'objet du message est vide."),
        "subject_too_long": lambda p: _("L'objet du message est trop long."),
        "empty_body": lambda p: _("Le message est vide."),
        "body_too_long": lambda p: _("Le message est trop long."),
        "too_many_attachments": lambda p: _("Trop de pièces jointes pour un message."),
        "attachment_too_large": lambda p: _("Une pièce jointe dépasse la taille permise (5 Mo)."),
        "attachment_type": lambda p: _("Une pièce jointe n'est ni un PDF, ni un JPEG, ni un PNG."),
        "attachment_name": lambda p: _(
            "Nom de pièce jointe refusé (caractère de contrôle, / ou \\, . ou ..) : renommez le"
            " fichier."
        ),
        "multipart_required": lambda p: _(
            "Le service attend la photo et la pièce d'identité en multipart/form-data."
        ),
        "unsupported_photo_type": lambda p: _("La photo doit être une image JPEG ou PNG."),
        "photo_too_large": lambda p: _("La photo est trop lourde."),
        "photo_too_small": lambda p: _("La photo est trop petite (en pixels)."),
        "unsupported_id_document_type": lambda p: _(
            "La pièce d'identité doit être un fichier JPEG, PNG ou PDF."
        ),
        "id_document_too_large": lambda p: _("La pièce d'identité est trop lourde."),
        "beneficiary_too_young": lambda p: _(
            "Ce bénéficiaire est trop jeune pour avoir sa propre carte Vitale (12 ans)."
        ),
        "active_card_exists": lambda p: _(
            "Ce bénéficiaire a déjà une carte active : déclarez-la perdue, volée ou en panne"
            " d'abord."
        ),
        "no_card": lambda p: _("Ce bénéficiaire n'a pas de carte Vitale à déclarer."),
        "card_not_active": lambda p: _("Cette carte n'est plus active."),
        "agents_cannot_submit": lambda p: _(
            "Un agent ne peut pas faire cette démarche à la place de l'assuré."
        ),
        "already_attached": lambda p: _("Ce bénéficiaire est déjà rattaché à ce compte."),
        "already_declared": lambda p: _("Ce médecin traitant est déjà déclaré."),
        "beneficiary_declares_own": lambda p: _(
            "Ce bénéficiaire fait lui-même cette déclaration (16 ans ou plus)."
        ),
        "beneficiary_too_old": lambda p: _("Ce bénéficiaire est trop âgé pour cette démarche."),
        "birth_date_in_future": lambda p: _("La date de naissance est dans le futur."),
        "css_request_pending": lambda p: _(
            "Une demande de complémentaire santé solidaire est déjà en cours."
        ),
        "doctor_not_found": lambda p: _("Aucun médecin avec ce numéro RPPS."),
        "file_required": lambda p: _("Un fichier est demandé pour cette démarche."),
        "file_too_large": lambda p: _("Le fichier est trop lourd."),
        "invalid_rpps": lambda p: _("Numéro RPPS invalide (11 chiffres)."),
        "no_ald": lambda p: _("Aucune affection de longue durée sur ce compte."),
        "not_a_child": lambda p: _("Cette personne ne peut pas être rattachée comme enfant."),
        "other_parent_not_found": lambda p: _("L'autre parent est introuvable."),
        "price_above_tariff": lambda p: _("Le prix dépasse le tarif de l'acte."),
        "price_required": lambda p: _("Donnez le prix de l'acte."),
        "releve_not_available": lambda p: _("Ce relevé n'est pas encore disponible."),
        "releve_not_found": lambda p: _("Aucun relevé pour ce mois."),
        "request_not_found": lambda p: _("Aucune demande de ce numéro."),
        "unknown_act": lambda p: _("Acte inconnu (voir ameli estimate --list)."),
        "unsupported_file": lambda p: _("Ce type de fichier n'est pas accepté (PDF, JPEG ou PNG)."),
        "no_pending_code": lambda p: _(
            "Aucun code en attente pour ce NIR : lancez d'abord « ameli login » sans --otp."
        ),
        "clock_out_of_range": lambda p: _(
            "L'horloge du bac à sable reste à moins de 10 ans de l'heure réelle."
        ),
    }


KNOWN_CODES = frozenset(_catalogue())


def problem_message(status: int, problem: Problem) -> str:
    """One sentence for a person; unknown codes say so with the HTTP status."""
    code = str(problem.get("code") or "")
    render = _catalogue().get(code)
    if render is not None:
        return render({"status": status, **problem})
    return _("Le service a refusé la demande (HTTP {status}, code « {code} »).").format(
        status=status, code=code or "?"
    )
