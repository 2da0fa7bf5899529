"""CEAM (carte européenne d'assurance maladie): `ceam order`, `ceam status`.

Free, valid 2 years, about 10 days to arrive. A departure sooner than 15 days also
gets a provisional replacement certificate (valid 3 months), written as a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

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
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.records import (
        CeamBeneficiary,
        CeamCard,
        CeamCertificate,
        CeamOrderResult,
        CeamStatus,
    )
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_("Carte européenne d'assurance maladie (CEAM) : commande et suivi."),
    epilog=_(
        "Exemples :\n\n\b\n  ameli ceam status\n"
        "  ameli ceam order --beneficiary 02 --departure 2027-07-14 --yes"
    ),
)

NOTICE_DAYS = 15


# -- status ----------------------------------------------------------------------------


@app.command(
    "status",
    help=_(
        "La CEAM de chaque bénéficiaire, les commandes en cours et les certificats provisoires."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli ceam status\n  ameli ceam status --json"),
)
def status(ctx: typer.Context, nir: NirOption = None, json_output: JsonOption = False) -> None:
    run_status(app_context(ctx), nir=nir, json_output=json_output)


def card_label(card: CeamCard | None) -> str:
    if card is None:
        return _("aucune")
    if card["state"] == "expired":
        return _("expirée le {date}").format(date=display_date(card["valid_until"]))
    return _("valable jusqu'au {date}").format(date=display_date(card["valid_until"]))


def run_status(app: AppContext, *, nir: str | None, json_output: bool) -> CeamStatus:
    result = app.client().fetch_ceam(nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
        return result
    from ameli_cli.render.tables import Column, print_table

    rows = []
    for b in result["beneficiaries"]:
        order = b["pending_order"]
        certificate = b["certificate"]
        rows.append(
            [
                b["rank"],
                full_name(b),
                card_label(b["card"]),
                b["card"]["number"] if b["card"] else "",
                _("{status}, livraison prévue le {date}").format(
                    status=order_status_label(order["status"]),
                    date=display_date(order["expected_delivery"]),
                )
                if order
                else "",
                _("valable jusqu'au {date}").format(date=display_date(certificate["valid_until"]))
                if certificate
                else "",
            ]
        )
    print_table(
        app.io,
        [
            Column(_("rang"), "code"),
            Column(_("bénéficiaire"), min_width=12),
            Column(_("CEAM"), min_width=14),
            Column(_("n° de carte"), "id"),
            Column(_("commande en cours"), priority=1, min_width=14),
            Column(_("certificat provisoire"), priority=2, min_width=14),
        ],
        rows,
    )
    return result


# -- order -----------------------------------------------------------------------------


@dataclass
class OrderOptions:
    beneficiary: str | None
    departure: str | None
    yes: bool
    json: bool
    output: Path | None = None
    nir: str | None = None
    force: bool = False


@app.command(
    "order",
    help=_(
        "Commander une CEAM (gratuite, valable 2 ans, environ 10 jours de délai). Un départ"
        " dans moins de 15 jours donne aussi un certificat provisoire de remplacement"
        " (valable 3 mois), enregistré en PDF."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli ceam order --beneficiary 03 --departure 2027-07-14 --yes\n"
        "  ameli ceam order --departure 2026-12-01 --yes -o certificat-ceam.pdf"
    ),
)
def order(
    ctx: typer.Context,
    beneficiary: str | None = typer.Option(
        None, "--beneficiary", "-b", metavar=_("RANG"), help=RANK_HELP
    ),
    departure: str | None = typer.Option(
        None, "--departure", metavar=_("AAAA-MM-JJ"), help=_("Date de départ à l'étranger.")
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Ne pas demander confirmation.")),
    json_output: JsonOption = False,
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar=_("CHEMIN"),
        help=_(
            "Où écrire le certificat provisoire (PDF), s'il y en a un. Défaut : le dossier"
            " de données du profil."
        ),
    ),
    nir: NirOption = None,
    force: bool = typer.Option(
        False, "--force", help=_("Remplacer le fichier de --output s'il existe déjà.")
    ),
) -> None:
    opts = OrderOptions(beneficiary, departure, yes, json_output, output, nir, force)
    run_order(app_context(ctx), opts)


def parse_departure(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            _(
                "--departure : « {value} » n'est pas une date ; écrivez AAAA-MM-JJ (2027-07-14)."
            ).format(value=text)
        ) from None


def run_order(app: AppContext, opts: OrderOptions) -> CeamOrderResult:
    rank = parse_rank(opts.beneficiary)
    nir = subject_nir(app, opts.nir)
    departure = parse_departure(opts.departure)
    if opts.output is not None:
        # Checked before anything is sent: a refused file must not cost an order.
        from ameli_cli.runtime.private_files import check_output_file

        check_output_file(opts.output, force=opts.force)
    client = app.client()
    current = client.fetch_ceam(nir=nir)
    b = pick_beneficiary(current, rank)
    today = date.fromisoformat(str(current["now"])[:10])
    if departure is not None and departure < today:
        raise UsageError(
            _("--departure : le {date} est passé (nous sommes le {today}).").format(
                date=display_date(departure.isoformat()), today=display_date(today.isoformat())
            )
        )
    soon = departure is not None and (departure - today).days < NOTICE_DAYS
    if not b["pending_order"]:
        confirm_order(app, b, soon=soon, yes=opts.yes)
    from ameli_cli.api.client import new_idempotency_key

    result = client.order_ceam(
        beneficiary_rank=rank,
        departure=departure.isoformat() if departure else None,
        idempotency_key=new_idempotency_key(),
        nir=nir,
    )
    saved: Path | None = None
    certificate = result.get("provisional_certificate")
    if certificate:
        saved = save_certificate(app, certificate, opts.output)
    if opts.json:
        app.io.write_json(result)
        if saved is not None:
            app.io.info(_("Certificat provisoire : {path}").format(path=saved))
    else:
        app.io.write(order_summary(b, result, saved) + "\n")
    return result


def confirm_order(app: AppContext, b: CeamBeneficiary, *, soon: bool, yes: bool) -> None:
    """A warning when a valid card exists, then the question (a script passes --yes)."""
    card = b["card"]
    if card and card["state"] == "valid":
        app.io.warn(
            _(
                "{name} a déjà une CEAM valable jusqu'au {date} ; n'en commandez une autre que si"
                " elle est perdue ou expire pendant le séjour."
            ).format(name=full_name(b), date=display_date(card["valid_until"]))
        )
    question = _("Commander une CEAM pour {name} (rang {rank}) ?").format(
        name=full_name(b), rank=b["rank"]
    )
    if soon:
        question = _(
            "Départ dans moins de {days} jours : la carte risque d'arriver trop tard ; un"
            " certificat provisoire de remplacement sera délivré. {question}"
        ).format(days=NOTICE_DAYS, question=question)
    require_confirmation(app, question, yes=yes, dry_run_flag=False)


def order_summary(b: CeamBeneficiary, result: CeamOrderResult, saved: Path | None) -> str:
    placed = result["order"]
    if result["status"] == "already_pending":
        head = _("Une commande de CEAM est déjà en cours pour {name} : n° {id}.")
    else:
        head = _("CEAM commandée pour {name} : commande n° {id}.")
    lines = [
        head.format(name=full_name(b), id=placed["id"]),
        _("  statut            {status}").format(status=order_status_label(placed["status"])),
        _("  livraison prévue  le {date} (environ 10 jours)").format(
            date=display_date(placed["expected_delivery"])
        ),
    ]
    certificate = result.get("provisional_certificate")
    if certificate and saved is not None:
        lines.append(
            _("  certificat provisoire de remplacement, valable du {start} au {end} :").format(
                start=display_date(certificate["valid_from"]),
                end=display_date(certificate["valid_until"]),
            )
        )
        lines.append(f"  {saved}")
    return "\n".join(lines)


def save_certificate(app: AppContext, certificate: CeamCertificate, output: Path | None) -> Path:
    from ameli_cli.render.ceam_pdf import render_ceam_certificate
    from ameli_cli.runtime.private_files import write_atomic

    data = render_ceam_certificate(certificate)
    if output is not None:
        return write_atomic(output, data, private=False)
    from ameli_cli.runtime.safe_paths import path_inside, safe_name

    # The rank and the date come from the server: one safe name, kept inside our folder.
    name = safe_name(
        "certificat-provisoire-ceam-{rank}-{date}.pdf".format(
            rank=certificate["beneficiary"]["rank"], date=certificate["valid_from"]
        )
    )
    folder = app.paths.profile_data_dir(app.profile) / "ceam"
    return write_atomic(path_inside(folder, name), data)
