"""Relevés mensuels: `releves list`, `releves get MONTH`, `releves verify FILE`.

The service keeps 27 closed months; a relevé is signed data (the attestations'
envelope), drawn here as a PDF and checked by the same verification."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption, NirOption, json_option
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import AmeliError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.records import SignedAttestation
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_(
        "Relevés mensuels de paiements : les 27 derniers mois clos, en PDF signé, "
        "vérifiable hors ligne."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli releves list\n  ameli releves get 2026-10\n"
        "  ameli releves verify releve-mensuel-2026-10.pdf"
    ),
)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@app.command(
    "list",
    help=_(
        "Les relevés mensuels que garde le compte (les 27 derniers mois clos), du plus"
        " récent au plus ancien, avec le nombre de paiements et les montants versés."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli releves list\n  ameli releves list --json"),
)
def list_command(
    ctx: typer.Context,
    json_output: JsonOption = False,
    nir: NirOption = None,
) -> None:
    run_list(app_context(ctx), json_output=json_output, nir=nir)


def run_list(app: AppContext, *, json_output: bool, nir: str | None = None) -> dict[str, Any]:
    result = app.client().list_releves(nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
        return result
    from ameli_cli.domain.releves import month_label
    from ameli_cli.render.money import euros
    from ameli_cli.render.tables import print_table

    rows = [
        (
            item["month"],
            month_label(item["month"]),
            str(item["transfer_count"]),
            euros(item["paid_to_assure"]),
            euros(item["paid_to_professionals"]),
        )
        for item in result["items"]
    ]
    headers = (_("Mois"), "", _("Paiements"), _("Versé à vous"), _("Aux professionnels"))
    print_table(app.io, headers, rows)
    current = result["current_month"]
    app.io.info(
        _("Le relevé de {month} sera disponible le {date}, une fois le mois clos.").format(
            month=month_label(current["month"]), date=display_date(current["available_from"])
        )
    )
    return result


@dataclass
class GetOptions:
    month: str
    output: str | None = None
    json: bool = False
    nir: str | None = None
    force: bool = False


@app.command(
    "get",
    help=_(
        "Télécharger le relevé mensuel d'un mois clos (AAAA-MM) en PDF signé, dessiné ici"
        " à partir des données signées par le service."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli releves get 2026-10\n"
        "  ameli releves get 2026-10 -o ~/Documents/releve-octobre.pdf"
    ),
)
def get(
    ctx: typer.Context,
    month: str = typer.Argument(..., metavar=_("MOIS"), help=_("Le mois, AAAA-MM (2026-10).")),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar=_("FICHIER"),
        help=_("Fichier PDF (« - » : sortie standard)."),
    ),
    json_output: bool = json_option(_("Les données signées, en JSON.")),
    nir: NirOption = None,
    force: bool = typer.Option(False, "--force", help=_("Remplacer le fichier s'il existe déjà.")),
) -> None:
    run_get(app_context(ctx), GetOptions(month, output, json_output, nir, force))


def fetch(app: AppContext, month: str, nir: str | None = None) -> dict[str, Any]:
    """The signed relevé of a month, with the errors a person can act on."""
    from ameli_cli.domain.releves import month_label

    wanted = month.strip()
    if not _MONTH.match(wanted):
        raise UsageError(
            _("MOIS : « {value} » ; écrivez AAAA-MM, par exemple 2026-10.").format(value=month)
        )
    client = app.client()
    offered = client.list_releves(nir=nir)
    current = offered["current_month"]
    if wanted >= current["month"]:
        year, number = int(wanted[:4]), int(wanted[5:])
        available = f"{year + number // 12:04d}-{number % 12 + 1:02d}-01"
        raise AmeliError(
            _("Le relevé de {month} n'est pas encore disponible : il le sera le {date}.").format(
                month=month_label(wanted), date=display_date(available)
            )
        )
    releve = next((item for item in offered["items"] if item["month"] == wanted), None)
    if releve is None:
        raise AmeliError(
            _(
                "Le compte ne garde plus le relevé de {month} (27 derniers mois clos seulement)."
            ).format(month=month_label(wanted))
        )
    envelope = client.fetch_releve(str(releve["id"]), nir=nir)
    from ameli_cli.commands.attestation.get import _remember_key

    # Signed like an attestation (same envelope, same keys).
    _remember_key(app, client, cast("SignedAttestation", envelope))
    return envelope


def run_get(app: AppContext, opts: GetOptions) -> dict[str, Any]:
    from ameli_cli.domain.releves import file_name, month_label
    from ameli_cli.render.attestation_pdf import render_attestation
    from ameli_cli.runtime.private_files import check_output_file, write_atomic

    envelope = fetch(app, opts.month, subject_nir(app, opts.nir))
    if opts.json:
        app.io.write_json(envelope)
        return envelope
    pdf = render_attestation(envelope)
    if opts.output == "-":
        app.io.write_bytes(pdf)
        return envelope
    path = Path(opts.output).expanduser() if opts.output else Path.cwd() / file_name(opts.month)
    if path.is_dir():
        path = path / file_name(opts.month)
    write_atomic(check_output_file(path, force=opts.force), pdf, private=False)
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = path
    app.io.info(
        _("PDF enregistré : {path} (relevé mensuel, {month})").format(
            path=shown, month=month_label(opts.month)
        )
    )
    return envelope


@app.command(
    "verify",
    help=_("Vérifier un relevé mensuel PDF : signature du service et page intacte."),
    epilog=_("Exemple :\n\n\b\n  ameli releves verify releve-mensuel-2026-10.pdf"),
)
def verify(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar=_("FICHIER.pdf"), help=_("Le relevé à vérifier.")),
    json_output: JsonOption = False,
) -> None:
    from ameli_cli.commands.attestation.verify import run_verify
    from ameli_cli.runtime.errors import ExitCode

    result = run_verify(app_context(ctx), file, json_output=json_output)
    if result["status"] != "valid":
        raise typer.Exit(int(ExitCode.ERROR))
