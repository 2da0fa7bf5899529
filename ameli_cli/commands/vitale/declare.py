"""`ameli vitale declare-loss`: block a lost, stolen or defective card for good, and
order its replacement in the same go if asked. On a terminal the user confirms by
typing the beneficiary's first name."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.beneficiary_choice import RANK_HELP, full_name, parse_rank, pick_beneficiary
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.commands.vitale.group import (
    ATTESTATION_COMMAND,
    REASONS,
    app,
    reason_label,
    state_label,
)
from ameli_cli.commands.vitale.order import check_old_enough, order_summary, reworded, send_order
from ameli_cli.commands.vitale.uploads import Upload, read_order_files
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import AmeliError, ApiError, Cancelled, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.api.client import AmeliClient
    from ameli_cli.records import (
        VitaleBeneficiary,
        VitaleCard,
        VitaleDeclarationResult,
        VitaleOrderResult,
    )
    from ameli_cli.runtime.context import AppContext

# The card state a declaration leads to, by reason.
BLOCKED_STATE = {"lost": "blocked_lost", "stolen": "blocked_stolen", "defective": "defective"}


@dataclass
class DeclareOptions:
    reason: str
    beneficiary: str | None
    order_replacement: bool
    photo: Path | None
    id_document: Path | None
    yes: bool
    dry_run: bool
    json: bool
    nir: str | None = None


@app.command(
    "declare-loss",
    help=_(
        "Déclarer une carte Vitale perdue, volée ou défectueuse : elle est bloquée"
        " définitivement. Sur un terminal, confirmez en tapant le prénom du bénéficiaire."
    ),
    epilog=_(
        "Exemples :\n\n\b\n"
        "  ameli vitale declare-loss --reason lost --dry-run\n"
        "  ameli vitale declare-loss --reason stolen --beneficiary 02 --order-replacement \\\n"
        "      --photo camille.jpg --id-document cni.pdf --yes"
    ),
)
def declare_loss(
    ctx: typer.Context,
    reason: str = typer.Option(
        ..., "--reason", metavar="lost|stolen|defective", help=_("Perte, vol ou panne.")
    ),
    beneficiary: str | None = typer.Option(
        None, "--beneficiary", "-b", metavar=_("RANG"), help=RANK_HELP
    ),
    order_replacement: bool = typer.Option(
        False,
        "--order-replacement",
        help=_("Commander aussitôt une nouvelle carte (avec --photo et --id-document)."),
    ),
    photo: Path | None = typer.Option(
        None, "--photo", metavar=_("CHEMIN"), help=_("Photo d'identité pour la nouvelle carte.")
    ),
    id_document: Path | None = typer.Option(
        None, "--id-document", metavar=_("CHEMIN"), help=_("Pièce d'identité : JPEG, PNG ou PDF.")
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Ne pas demander confirmation.")),
    dry_run: bool = typer.Option(
        False, "--dry-run", help=_("Montrer ce qui serait fait, sans rien envoyer.")
    ),
    json_output: JsonOption = False,
    nir: NirOption = None,
) -> None:
    opts = DeclareOptions(
        reason, beneficiary, order_replacement, photo, id_document, yes, dry_run, json_output, nir
    )
    run_declare(app_context(ctx), opts)


def run_declare(app: AppContext, opts: DeclareOptions) -> dict[str, Any]:
    check_reason(opts.reason)
    rank = parse_rank(opts.beneficiary)
    nir = subject_nir(app, opts.nir)
    uploads = replacement_files(opts)
    client = app.client()
    b = pick_beneficiary(client.fetch_vitale(nir=nir), rank)
    card = check_declarable(b, opts.reason, rank)
    if uploads is not None and not b["pending_order"]:
        check_old_enough(b)
    if opts.dry_run:
        return _dry_run_declare(app, b, card, opts.reason, uploads, json_output=opts.json)
    if card["state"] == "active":
        _confirm_declaration(app, b, card, opts.reason, yes=opts.yes)
    declared = send_declaration(client, rank, opts.reason, nir=nir)
    result: dict[str, Any] = {**declared}
    replacement: VitaleOrderResult | None = None
    if uploads is not None:
        replacement = order_replacement(app, b, uploads, rank=rank, nir=nir)
        result["replacement"] = replacement
    if opts.json:
        app.io.write_json(result)
    else:
        app.io.write(declaration_summary(b, opts.reason, declared, replacement) + "\n")
    return result


def check_reason(reason: str) -> None:
    if reason not in REASONS:
        raise UsageError(
            _(
                "--reason : « {value} » n'est pas un motif ; choisissez lost, stolen ou defective."
            ).format(value=reason)
        )


def replacement_files(opts: DeclareOptions) -> tuple[Upload, Upload] | None:
    """The new card's files, read and checked before anything is sent."""
    if opts.order_replacement:
        return read_order_files(opts.photo, opts.id_document)
    if opts.photo is not None or opts.id_document is not None:
        raise UsageError(
            _(
                "--photo et --id-document servent à la nouvelle carte : ajoutez"
                " --order-replacement, ou retirez-les."
            )
        )
    return None


def check_declarable(b: VitaleBeneficiary, reason: str, rank: str) -> VitaleCard:
    """A card to declare: active, or already in the state asked (sent again, the
    service answers `already_declared`)."""
    card = b["card"]
    if card is None:
        raise AmeliError(
            _(
                "{name} n'a pas de carte Vitale : rien à déclarer. Pour en commander une :"
                " ameli vitale order --beneficiary {rank} --photo PHOTO --id-document PIÈCE"
            ).format(name=full_name(b), rank=rank)
        )
    if card["state"] in ("active", BLOCKED_STATE[reason]):
        return card
    if b["pending_order"]:
        raise AmeliError(
            _(
                "La carte n° {serial} de {name} est déjà {state} et une nouvelle carte est"
                " en route (livraison prévue le {date}) : rien à déclarer."
            ).format(
                serial=card["serial"],
                name=full_name(b),
                state=state_label(card["state"]),
                date=display_date(b["pending_order"]["expected_delivery"]),
            )
        )
    raise AmeliError(
        _(
            "La carte n° {serial} de {name} est déjà {state} : rien à déclarer. Pour une"
            " nouvelle carte : ameli vitale order --beneficiary {rank} --photo PHOTO"
            " --id-document PIÈCE"
        ).format(
            serial=card["serial"],
            name=full_name(b),
            state=state_label(card["state"]),
            rank=rank,
        )
    )


def send_declaration(
    client: AmeliClient, rank: str, reason: str, *, nir: str | None
) -> VitaleDeclarationResult:
    from ameli_cli.api.client import new_idempotency_key

    try:
        return client.declare_vitale(
            beneficiary_rank=rank,
            reason=reason,
            idempotency_key=new_idempotency_key(),
            nir=nir,
        )
    except ApiError as exc:
        if exc.code in ("card_not_active", "no_card"):
            raise reworded(
                exc, _("Déclaration refusée : {detail}").format(detail=exc.detail)
            ) from None
        raise


def order_replacement(
    app: AppContext,
    b: VitaleBeneficiary,
    uploads: tuple[Upload, Upload],
    *,
    rank: str,
    nir: str | None,
) -> VitaleOrderResult:
    """The replacement order, once the card is blocked; if it fails, say how to
    order again (the declaration stands)."""
    try:
        return send_order(app, b, *uploads, nir=nir)
    except AmeliError as exc:
        raise AmeliError(
            _(
                "La carte est bloquée, mais la commande de remplacement a échoué ({error})."
                " Relancez : ameli vitale order --beneficiary {rank} --photo {photo}"
                " --id-document {document} --yes"
            ).format(
                error=exc.message,
                rank=rank,
                photo=uploads[0].path,
                document=uploads[1].path,
            )
        ) from None


def declaration_summary(
    b: VitaleBeneficiary,
    reason: str,
    result: VitaleDeclarationResult,
    replacement: VitaleOrderResult | None,
) -> str:
    blocked = result["card"]
    if result["status"] == "already_declared":
        head = _(
            "La carte n° {serial} de {name} était déjà bloquée ({reason}) : rien de changé."
        ).format(serial=blocked["serial"], name=full_name(b), reason=reason_label(reason))
    else:
        head = _("Carte Vitale n° {serial} de {name} bloquée ({reason}) le {date}.").format(
            serial=blocked["serial"],
            name=full_name(b),
            reason=reason_label(reason),
            date=display_date(blocked["state_changed_at"]),
        )
    lines = [
        head,
        _(
            "En attendant la nouvelle carte, une attestation de droits prouve vos droits auprès"
            " des soignants : {command}"
        ).format(command=ATTESTATION_COMMAND),
    ]
    if replacement is not None:
        lines.append(order_summary(b, replacement))
    elif not b["pending_order"]:
        lines.append(
            _(
                "Pour une nouvelle carte : ameli vitale order --beneficiary {rank} --photo PHOTO"
                " --id-document PIÈCE"
            ).format(rank=b["rank"])
        )
    return "\n".join(lines)


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def first_name_matches(typed: str, first_names: str) -> bool:
    wanted = _normalise(first_names)
    given = _normalise(typed)
    return bool(given) and given in (wanted, wanted.split(" ")[0])


def _confirm_declaration(
    app: AppContext, b: VitaleBeneficiary, card: VitaleCard, reason: str, *, yes: bool
) -> None:
    if yes:
        return
    if not app.io.can_prompt:
        raise UsageError(
            _(
                "Déclaration définitive sans terminal pour confirmer : passez --yes (ou --dry-run"
                " pour voir ce qui serait fait)."
            )
        )
    first = b["first_names"].split(" ")[0]
    app.io.info(
        _(
            "La carte n° {serial} de {name} sera bloquée définitivement ({reason}) ; elle ne"
            " pourra plus servir, même retrouvée."
        ).format(serial=card["serial"], name=full_name(b), reason=reason_label(reason))
    )
    from ameli_cli.runtime.prompts import ask

    typed = ask(_("Pour confirmer, tapez le prénom du bénéficiaire ({first})").format(first=first))
    if not first_name_matches(typed, b["first_names"]):
        # Not an error: the person chose not to go on (or mistyped); nothing was sent.
        raise Cancelled(_("Le prénom ne correspond pas : rien n'a été déclaré."))


def _dry_run_declare(
    app: AppContext,
    b: VitaleBeneficiary,
    card: VitaleCard,
    reason: str,
    uploads: tuple[Upload, Upload] | None,
    *,
    json_output: bool,
) -> dict[str, Any]:
    requests: list[dict[str, Any]] = [
        {
            "method": "POST",
            "path": "/v1/vitale/declarations",
            "beneficiary_rank": b["rank"],
            "reason": reason,
        }
    ]
    if uploads is not None:
        requests.append(
            {
                "method": "POST",
                "path": "/v1/vitale/orders",
                "beneficiary_rank": b["rank"],
                "photo": uploads[0].describe(),
                "id_document": uploads[1].describe(),
            }
        )
    plan = {"dry_run": True, "requests": requests, "card": b["card"]}
    if json_output:
        app.io.write_json(plan)
        return plan
    lines = [
        _("Simulation (--dry-run) : rien n'a été envoyé."),
        _("  la carte n° {serial} de {name} serait bloquée ({reason})").format(
            serial=card["serial"], name=full_name(b), reason=reason_label(reason)
        ),
    ]
    if uploads is not None:
        lines.append(_("  puis une nouvelle carte serait commandée :"))
        lines.append(_("  photo             {summary}").format(summary=uploads[0].summary()))
        lines.append(_("  pièce d'identité  {summary}").format(summary=uploads[1].summary()))
    app.io.write("\n".join(lines) + "\n")
    return plan
