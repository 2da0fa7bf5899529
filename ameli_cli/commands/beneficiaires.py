"""`ameli beneficiaires list|add|confirm`: the beneficiaries (ayants droit) of the
account, adding a child, and attaching a child to the other parent's account as well
(the other parent confirms from their own account)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.runtime.errors import ApiError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_(
        "Bénéficiaires (ayants droit) : la liste, ajouter un enfant, le rattacher aussi "
        "au compte de l'autre parent."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli beneficiaires list\n"
        "  ameli beneficiaires add --first-names Jules --last-name Dupont --birth-date 2026-11-02"
        " --birth-certificate acte.pdf\n"
        "  ameli beneficiaires add --beneficiary 03 --other-parent '1 82 10 75 114 023 33'\n"
        "  ameli beneficiaires confirm B7KQ2M"
    ),
)


def status_label(status: str) -> str:
    return {
        "en_cours": _("en cours"),
        "en_attente_autre_parent": _("en attente de l'autre parent"),
        "acceptee": _("acceptée"),
    }.get(status) or _inert(status)


def kind_label(kind: str) -> str:
    return {
        "naissance": _("naissance"),
        "enfant": _("enfant"),
        "rattachement": _("rattachement à l'autre parent"),
    }.get(kind) or _inert(kind)


def relationship_label(relationship: str) -> str:
    labels = {"assure": _("assuré"), "conjoint": _("conjoint"), "enfant": _("enfant")}
    return labels.get(relationship) or _inert(relationship)


def list_command(
    ctx: typer.Context,
    nir: NirOption = None,
    json_output: JsonOption = False,
) -> None:
    run_list(app_context(ctx), nir=nir, json_output=json_output)


def run_list(app: AppContext, *, nir: str | None, json_output: bool) -> dict[str, Any]:
    from ameli_cli.commands.demarches_shared import api
    from ameli_cli.commands.vitale.group import state_label
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.tables import print_table
    from ameli_cli.render.terminal_text import inert

    result = api(app).beneficiaires(nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
        return result
    rows = [
        [
            _inert(b["rank"]),
            inert(f"{b['first_names']} {b['last_name']}", single_line=True),
            display_date(b["birth_date"]),
            relationship_label(b["relationship"]),
            _("oui") if b["also_attached_to_other_parent"] else _("non"),
            _inert(state_label(b["card_status"])),
        ]
        for b in result["items"]
    ]
    headers = [_("rang"), _("nom"), _("né(e) le"), _("lien"), _("2e parent"), _("carte")]
    print_table(app.io, headers, rows)
    lines = [_request_line(r) for r in result["requests"] if r["status"] != "acceptee"]
    lines += [
        _(
            "À confirmer : {name}, demande n° {id} de {who} ; lancez : ameli beneficiaires confirm {id}"
        ).format(
            name=inert(r["name"], single_line=True),
            id=inert(r["id"], single_line=True),
            who=inert(r["other_parent"] or "", single_line=True),
        )
        for r in result["to_confirm"]
    ]
    if lines:
        app.io.write("\n".join(lines) + "\n")
    return result


def _request_line(r: dict[str, Any]) -> str:
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.terminal_text import inert

    text = _("Demande n° {id} ({kind}, {name}) : {status}").format(
        id=inert(r["id"], single_line=True),
        kind=kind_label(r["kind"]),
        name=inert(r["name"], single_line=True),
        status=status_label(r["status"]),
    )
    if r.get("expected_at"):
        text += _(", réponse vers le {date}").format(date=display_date(r["expected_at"][:10]))
    return text + "."


# -- add -------------------------------------------------------------------------------


@dataclass
class AddOptions:
    first_names: str | None
    last_name: str | None
    birth_date: str | None
    birth_certificate: Path | None
    beneficiary: str | None
    other_parent: str | None
    json: bool


def add(
    ctx: typer.Context,
    first_names: str | None = typer.Option(
        None, "--first-names", metavar=_("PRÉNOMS"), help=_("Prénoms de l'enfant.")
    ),
    last_name: str | None = typer.Option(
        None, "--last-name", metavar=_("NOM"), help=_("Nom de l'enfant.")
    ),
    birth_date: str | None = typer.Option(
        None, "--birth-date", metavar=_("AAAA-MM-JJ"), help=_("Date de naissance.")
    ),
    birth_certificate: Path | None = typer.Option(
        None,
        "--birth-certificate",
        metavar=_("FICHIER"),
        help=_("Acte de naissance (PDF, JPEG ou PNG)."),
    ),
    beneficiary: str | None = typer.Option(
        None,
        "--beneficiary",
        "-b",
        metavar=_("RANG"),
        help=_("Rattachement : rang de l'enfant sur ce compte."),
    ),
    other_parent: str | None = typer.Option(
        None, "--other-parent", metavar="NIR", help=_("Rattachement : NIR de l'autre parent.")
    ),
    json_output: JsonOption = False,
) -> None:
    opts = AddOptions(
        first_names,
        last_name,
        birth_date,
        birth_certificate,
        beneficiary,
        other_parent,
        json_output,
    )
    run_add(app_context(ctx), opts)


def _child_body(opts: AddOptions) -> dict[str, Any]:
    from ameli_cli.domain.uploads import load_files

    missing = [
        flag
        for flag, value in (
            ("--first-names", opts.first_names),
            ("--last-name", opts.last_name),
            ("--birth-date", opts.birth_date),
            ("--birth-certificate", opts.birth_certificate),
        )
        if not value
    ]
    if missing:
        raise UsageError(
            _("Ajouter un enfant : il manque {flags}.").format(flags=", ".join(missing))
        )
    from datetime import date

    try:
        born = date.fromisoformat(str(opts.birth_date).strip()).isoformat()
    except ValueError:
        raise UsageError(
            _("--birth-date : « {value} » n'est pas une date ; écrivez AAAA-MM-JJ.").format(
                value=opts.birth_date
            )
        ) from None
    assert opts.birth_certificate is not None
    files = load_files([opts.birth_certificate], option="--birth-certificate")
    return {
        "kind": "enfant",
        "first_names": str(opts.first_names).strip(),
        "last_name": str(opts.last_name).strip(),
        "birth_date": born,
        "birth_certificate": files[0],
    }


def _link_body(opts: AddOptions) -> dict[str, Any]:
    from ameli_cli.commands.beneficiary_choice import parse_rank
    from ameli_cli.domain.validation import parse_nir

    if opts.beneficiary is None or opts.other_parent is None:
        raise UsageError(_("Rattachement : passez --beneficiary RANG et --other-parent NIR."))
    return {
        "kind": "rattachement",
        "beneficiary_rank": parse_rank(opts.beneficiary),
        "other_parent_nir": parse_nir(opts.other_parent, option="--other-parent"),
    }


def run_add(app: AppContext, opts: AddOptions) -> dict[str, Any]:
    from ameli_cli.api.client import new_idempotency_key
    from ameli_cli.commands.demarches_shared import api, refusal

    linking = opts.other_parent is not None or opts.beneficiary is not None
    if linking and (opts.first_names or opts.last_name or opts.birth_certificate):
        raise UsageError(
            _(
                "Soit un enfant à ajouter (--first-names…), soit un rattachement (--other-parent), pas les deux."
            )
        )
    body = _link_body(opts) if linking else _child_body(opts)
    try:
        result = api(app).request_beneficiaire(body, key=new_idempotency_key())
    except ApiError as exc:
        raise refusal(exc) from None
    if opts.json:
        app.io.write_json(result)
        return result
    app.io.write(_request_line(result) + "\n")
    if result["status"] == "en_attente_autre_parent":
        app.io.write(
            _(
                "L'autre parent confirme depuis son compte : ameli beneficiaires confirm {id}\n"
            ).format(id=result["id"])
        )
    return result


def confirm(
    ctx: typer.Context,
    request_id: str = typer.Argument(..., metavar=_("DEMANDE"), help=_("Numéro de la demande.")),
    json_output: JsonOption = False,
) -> None:
    run_confirm(app_context(ctx), request_id=request_id, json_output=json_output)


def run_confirm(app: AppContext, *, request_id: str, json_output: bool) -> dict[str, Any]:
    from ameli_cli.api.client import new_idempotency_key
    from ameli_cli.commands.demarches_shared import api, refusal

    try:
        result = api(app).confirm_beneficiaire(
            request_id.strip().upper(), key=new_idempotency_key()
        )
    except ApiError as exc:
        raise refusal(exc) from None
    if json_output:
        app.io.write_json(result)
        return result
    app.io.write(_request_line(result) + "\n")
    return result


app.command(
    "list",
    help=_(
        "Les bénéficiaires du compte (rang, nom, naissance, lien, rattachement à l'autre parent,"
        " carte Vitale), les demandes en cours et celles à confirmer."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli beneficiaires list\n  ameli beneficiaires list --json"),
)(list_command)
app.command(
    "add",
    help=_(
        "Ajouter un enfant (nom, prénoms, date de naissance, acte de naissance), ou rattacher un"
        " enfant du compte à celui de l'autre parent (qui confirme depuis son compte)."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli beneficiaires add --first-names Jules --last-name Dupont"
        " --birth-date 2026-11-02 --birth-certificate acte.pdf\n"
        "  ameli beneficiaires add --beneficiary 03 --other-parent '1 82 10 75 114 023 33'"
    ),
)(add)
app.command(
    "confirm",
    help=_("Confirmer, depuis son propre compte, le rattachement demandé par l'autre parent."),
    epilog=_("Exemple :\n\n\b\n  ameli beneficiaires confirm B7KQ2M"),
)(confirm)


def _inert(value: str) -> str:
    """A value the service sent that we have no words for, shown inert."""
    from ameli_cli.render.terminal_text import inert

    return inert(value, single_line=True)
