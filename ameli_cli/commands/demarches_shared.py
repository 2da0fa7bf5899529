"""What the démarches' commands share: the service's refusals in the user's words,
amounts typed in euros, and the API wrapper."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ameli_cli.runtime.errors import AmeliError, ApiError, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.api.demarches import DemarchesApi
    from ameli_cli.runtime.context import AppContext


def api(app: AppContext, *, authenticated: bool = True) -> DemarchesApi:
    from ameli_cli.api.demarches import DemarchesApi

    return DemarchesApi(app.client(authenticated=authenticated))


def parse_euros(raw: str, *, option: str) -> int:
    """'45', '45,50' or '45.50' euros → cents."""
    from decimal import Decimal, InvalidOperation

    text = raw.strip().replace("€", "").replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if (
        not value.is_finite()
        or value < 0
        or value > 100_000
        or value != value.quantize(Decimal("0.01"))
    ):
        raise UsageError(
            _("{option} : « {value} » n'est pas un montant en euros ; écrivez 45 ou 45,50.").format(
                option=option, value=raw
            )
        )
    return int(value * 100)


def refusal(exc: ApiError) -> AmeliError:
    """A démarche's refusal by the service, in the user's words (exit code kept)."""
    from ameli_cli.render.terminal_text import inert

    problem: dict[str, Any] = exc.problem
    messages = {
        "agents_cannot_submit": _(
            "Un agent consulte les démarches d'un assuré mais n'envoie rien en son nom."
        ),
        "unknown_act": _(
            "Acte inconnu ; les actes connus : {known} (ameli estimate --list)."
        ).format(known=", ".join(inert(k) for k in problem.get("known", []))),
        "price_required": _("Cet acte n'a pas de tarif fixe : passez le prix payé (--price)."),
        "price_above_tariff": _(
            "En secteur 1, le médecin applique le tarif ; un prix plus élevé : --secteur 2."
        ),
        "no_ald": _("--ald : ce bénéficiaire n'a pas d'affection de longue durée à cette date."),
        "beneficiary_not_found": _(
            "--beneficiary : aucun bénéficiaire de ce rang sur ce compte (voir : ameli whoami)."
        ),
        "invalid_rpps": _("--rpps : numéro RPPS invalide (11 chiffres, clé de Luhn)."),
        "doctor_not_found": _(
            "--rpps : aucun médecin de ce numéro dans l'annuaire (ameli medecin-traitant search)."
        ),
        "beneficiary_declares_own": _(
            "À partir de 16 ans, le bénéficiaire déclare lui-même son médecin traitant."
        ),
        "already_declared": _("Ce médecin est déjà le médecin traitant de ce bénéficiaire."),
        "beneficiary_too_old": _(
            "À partir de 18 ans, on a son propre compte ; pas de rattachement."
        ),
        "birth_date_in_future": _("--birth-date : la date de naissance est dans le futur."),
        "already_attached": _("Cet enfant est déjà sur votre compte (ameli beneficiaires list)."),
        "not_a_child": _("--beneficiary : seul un enfant se rattache aux deux parents."),
        "other_parent_not_found": _(
            "--other-parent : aucun compte ameli pour ce NIR ; l'autre parent doit en avoir un."
        ),
        "request_not_found": _("Aucune demande de rattachement de ce numéro ne vous est adressée."),
        "css_request_pending": _("Une demande de CSS est déjà en cours (ameli css status)."),
        "unsupported_file": _(
            "Fichier refusé par le service : {name} n'est ni un PDF, ni un JPEG, ni un PNG."
        ).format(name=inert(problem.get("filename", ""), single_line=True)),
        "file_required": _("Il faut au moins un fichier."),
        "file_too_large": _("Fichier trop volumineux : 10 Mo au plus."),
    }
    message = messages.get(exc.code)
    if message is None:
        return exc
    error = AmeliError(message)
    error.exit_code = exc.exit_code
    return error
