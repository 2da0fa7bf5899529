"""`ameli documents send --type TYPE FILE…`: a feuille de soins, an arrêt de travail or
a justificatif, each file checked by its content (PDF, JPEG or PNG) before sending."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.options import JsonOption
from ameli_cli.runtime.errors import ApiError, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext
    from ameli_cli.runtime.typer_app import AmeliTyper

TYPES = ("feuille-de-soins", "arret-de-travail", "justificatif")


def type_label(kind: str) -> str:
    return {
        "feuille-de-soins": _("feuille de soins"),
        "arret-de-travail": _("arrêt de travail"),
        "justificatif": _("justificatif"),
    }.get(kind) or _inert(kind)


def status_label(status: str) -> str:
    return {"recu": _("reçu"), "traite": _("traité")}.get(status) or _inert(status)


@dataclass
class SendOptions:
    kind: str
    files: list[Path]
    beneficiary: str | None
    json: bool


def send(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(
        ..., metavar=_("FICHIER…"), help=_("PDF, JPEG ou PNG (5 au plus).")
    ),
    kind: str = typer.Option(
        ...,
        "--type",
        metavar="|".join(TYPES),
        help=_("Feuille de soins, arrêt de travail ou justificatif."),
    ),
    beneficiary: str | None = typer.Option(
        None, "--beneficiary", "-b", metavar=_("RANG"), help=_("Rang du bénéficiaire (défaut 01).")
    ),
    json_output: JsonOption = False,
) -> None:
    run_send(app_context(ctx), SendOptions(kind, files, beneficiary, json_output))


def run_send(app: AppContext, opts: SendOptions) -> dict[str, Any]:
    from ameli_cli.api.client import new_idempotency_key
    from ameli_cli.commands.beneficiary_choice import parse_rank
    from ameli_cli.commands.demarches_shared import api, refusal
    from ameli_cli.domain.uploads import load_files

    kind = opts.kind.strip().lower()
    if kind not in TYPES:
        raise UsageError(
            _("--type : « {value} » ; choisissez {types}.").format(
                value=opts.kind, types=", ".join(TYPES)
            )
        )
    rank = parse_rank(opts.beneficiary)
    if kind == "arret-de-travail" and rank != "01":
        raise UsageError(_("--beneficiary : un arrêt de travail est celui de l'assuré (rang 01)."))
    body = {
        "type": kind,
        "beneficiary_rank": rank,
        "files": load_files(opts.files, option=_("FICHIER")),
    }
    try:
        result = api(app).send_documents(body, key=new_idempotency_key())
    except ApiError as exc:
        raise refusal(exc) from None
    if opts.json:
        app.io.write_json(result)
        return result
    app.io.write(summary(result) + "\n")
    return result


def summary(r: dict[str, Any]) -> str:
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.terminal_text import inert

    text = _("{kind} n° {id} pour le rang {rank} : {status}").format(
        kind=type_label(r["type"]).capitalize(),
        id=inert(r["id"], single_line=True),
        rank=inert(r["beneficiary_rank"], single_line=True),
        status=status_label(r["status"]),
    )
    if r.get("expected_at"):
        text += _(", traitement prévu vers le {date}").format(
            date=display_date(r["expected_at"][:10])
        )
    if r.get("payment_id"):
        text += _(", paiement {id}").format(id=inert(r["payment_id"], single_line=True))
    return text + "."


def register(app: AmeliTyper) -> None:
    app.command(
        "send",
        help=_(
            "Envoyer une feuille de soins, un arrêt de travail ou un justificatif (PDF, JPEG ou PNG,"
            " reconnus au contenu) ; suivi avec : ameli documents sent."
        ),
        epilog=_(
            "Exemples :\n\n\b\n  ameli documents send --type feuille-de-soins feuille.pdf\n"
            "  ameli documents send --type justificatif --beneficiary 02 facture.jpg"
        ),
    )(send)


def _inert(value: str) -> str:
    """A value the service sent that we have no words for, shown inert."""
    from ameli_cli.render.terminal_text import inert

    return inert(value, single_line=True)
