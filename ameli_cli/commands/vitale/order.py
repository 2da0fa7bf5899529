"""`ameli vitale order`: a new card for a beneficiary, with the service's rules told
before anything is sent, and one Idempotency-Key so a retry never orders twice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.beneficiary_choice import (
    RANK_HELP,
    full_name,
    order_status_label,
    parse_rank,
    pick_beneficiary,
    require_confirmation,
)
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.commands.vitale.group import app
from ameli_cli.commands.vitale.uploads import Upload, read_order_files
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import AmeliError, ApiError, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.records import VitaleBeneficiary, VitaleOrderResult
    from ameli_cli.runtime.context import AppContext


@dataclass
class OrderOptions:
    beneficiary: str | None
    photo: Path | None
    id_document: Path | None
    dry_run: bool
    yes: bool
    json: bool
    nir: str | None = None


@app.command(
    "order",
    help=_(
        "Commander une carte Vitale (photo d'identité JPEG ou PNG et pièce d'identité JPEG, PNG"
        " ou PDF). Pour un enfant : à partir de 12 ans. Une commande déjà en cours est"
        " renvoyée, jamais dupliquée."
    ),
    epilog=_(
        "Exemples :\n\n\b\n"
        "  ameli vitale order --beneficiary 03 --photo hugo.jpg --id-document livret.pdf --dry-run\n"
        "  ameli vitale order --beneficiary 03 --photo hugo.jpg --id-document livret.pdf --yes"
    ),
)
def order(
    ctx: typer.Context,
    beneficiary: str | None = typer.Option(
        None, "--beneficiary", "-b", metavar=_("RANG"), help=RANK_HELP
    ),
    photo: Path | None = typer.Option(
        None,
        "--photo",
        metavar=_("CHEMIN"),
        help=_("Photo d'identité, JPEG ou PNG, 350×450 px au moins."),
    ),
    id_document: Path | None = typer.Option(
        None, "--id-document", metavar=_("CHEMIN"), help=_("Pièce d'identité : JPEG, PNG ou PDF.")
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help=_("Montrer ce qui serait envoyé, sans rien envoyer.")
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Ne pas demander confirmation.")),
    json_output: JsonOption = False,
    nir: NirOption = None,
) -> None:
    opts = OrderOptions(beneficiary, photo, id_document, dry_run, yes, json_output, nir)
    run_order(app_context(ctx), opts)


def check_orderable(app: AppContext, b: VitaleBeneficiary) -> None:
    """The rules the service applies, told before anything is sent."""
    if b["pending_order"]:
        return
    check_old_enough(b)
    if b["card_state"] == "active" and b["card"] is not None:
        raise AmeliError(active_card_message(b, b["card"]["serial"]))
    if b["relationship"] == "enfant" and b["age"] >= 16:
        app.io.warn(
            _(
                "{name} a {age} ans : à partir de 16 ans, la caisse envoie d'elle-même une carte"
                " Vitale ; la commande reste possible."
            ).format(name=full_name(b), age=b["age"])
        )


def check_old_enough(b: VitaleBeneficiary) -> None:
    if b["relationship"] == "enfant" and b["age"] < 12:
        raise UsageError(
            _(
                "--beneficiary : {name} a {age} ans ; une carte Vitale se commande pour un enfant"
                " à partir de 12 ans, soit à partir du {date}. D'ici là, l'enfant figure sur la"
                " carte de ses parents."
            ).format(name=full_name(b), age=b["age"], date=display_date(b.get("orderable_from")))
        )


def active_card_message(b: VitaleBeneficiary, serial: str) -> str:
    return _(
        "{name} a déjà une carte Vitale active (n° {serial}) : déclarez-la d'abord perdue,"
        " volée ou défectueuse : ameli vitale declare-loss --beneficiary {rank}"
        " --reason lost|stolen|defective --order-replacement --photo PHOTO --id-document PIÈCE"
    ).format(name=full_name(b), serial=serial, rank=b["rank"])


def run_order(app: AppContext, opts: OrderOptions) -> VitaleOrderResult | dict[str, Any]:
    rank = parse_rank(opts.beneficiary)
    nir = subject_nir(app, opts.nir)
    photo, document = read_order_files(opts.photo, opts.id_document)
    client = app.client()
    b = pick_beneficiary(client.fetch_vitale(nir=nir), rank)
    check_orderable(app, b)
    if opts.dry_run:
        return _dry_run_order(app, b, photo, document, json_output=opts.json)
    if not b["pending_order"]:
        require_confirmation(
            app,
            _("Commander une carte Vitale pour {name} (rang {rank}) ?").format(
                name=full_name(b), rank=rank
            ),
            yes=opts.yes,
        )
    result = send_order(app, b, photo, document, nir=nir)
    if opts.json:
        app.io.write_json(result)
    else:
        app.io.write(order_summary(b, result) + "\n")
    return result


def send_order(
    app: AppContext, b: VitaleBeneficiary, photo: Upload, document: Upload, *, nir: str | None
) -> VitaleOrderResult:
    from ameli_cli.api.client import new_idempotency_key

    try:
        return app.client().order_vitale(
            beneficiary_rank=b["rank"],
            photo=photo.part(),
            id_document=document.part(),
            idempotency_key=new_idempotency_key(),
            nir=nir,
        )
    except ApiError as exc:
        raise _order_error(exc, b) from None


def _order_error(exc: ApiError, b: VitaleBeneficiary) -> AmeliError:
    if exc.code == "active_card_exists":
        message = active_card_message(b, str(exc.problem.get("card_serial", "")))
    elif exc.code == "beneficiary_too_young":
        message = _("{name} a moins de 12 ans : commande possible à partir du {date}.").format(
            name=full_name(b), date=display_date(str(exc.problem.get("orderable_from", "")))
        )
    elif exc.code in ("unsupported_photo_type", "photo_too_small", "photo_too_large"):
        message = _("Photo refusée par le service : {detail}").format(detail=exc.detail)
    elif exc.code in ("unsupported_id_document_type", "id_document_too_large"):
        message = _("Pièce d'identité refusée par le service : {detail}").format(detail=exc.detail)
    else:
        return exc
    return reworded(exc, message)


def reworded(exc: ApiError, message: str) -> AmeliError:
    """The service's problem in the user's words, with the problem's exit code."""
    error = AmeliError(message)
    error.exit_code = exc.exit_code
    return error


def order_summary(b: VitaleBeneficiary, result: VitaleOrderResult) -> str:
    order = result["order"]
    if result["status"] == "already_pending":
        head = _(
            "Une commande est déjà en cours pour {name} : n° {id} ; aucune nouvelle commande n'a été créée."
        )
    else:
        head = _("Commande n° {id} enregistrée pour {name}.")
    lines = [
        head.format(name=full_name(b), id=order["id"]),
        _("  statut            {status}").format(status=order_status_label(order["status"])),
        _("  livraison prévue  le {date} (à l'adresse du compte)").format(
            date=display_date(order["expected_delivery"])
        ),
        _("  suivi             ameli vitale status"),
    ]
    return "\n".join(lines)


def _dry_run_order(
    app: AppContext, b: VitaleBeneficiary, photo: Upload, document: Upload, *, json_output: bool
) -> dict[str, Any]:
    plan = {
        "dry_run": True,
        "request": {
            "method": "POST",
            "path": "/v1/vitale/orders",
            "beneficiary_rank": b["rank"],
            "photo": photo.describe(),
            "id_document": document.describe(),
        },
        "pending_order": b["pending_order"],
    }
    if json_output:
        app.io.write_json(plan)
        return plan
    lines = [
        _("Simulation (--dry-run) : rien n'a été envoyé."),
        _("  commande de carte Vitale pour {name} (rang {rank}, {age} ans)").format(
            name=full_name(b), rank=b["rank"], age=b["age"]
        ),
        _("  photo             {summary}").format(summary=photo.summary()),
        _("  pièce d'identité  {summary}").format(summary=document.summary()),
    ]
    if b["pending_order"]:
        lines.append(
            _(
                "  une commande est déjà en cours (n° {id}) : elle serait renvoyée telle quelle."
            ).format(id=b["pending_order"]["id"])
        )
    app.io.write("\n".join(lines) + "\n")
    return plan


# -- declare-loss ----------------------------------------------------------------------
