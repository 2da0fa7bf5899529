"""`paiements reconcile BANK_FILE`: the caisse's transfers against a bank export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.commands.paiements_group import app
from ameli_cli.runtime.errors import ExitCode, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext


@dataclass
class ReconcileOptions:
    bank_file: Path
    columns: list[str] = field(default_factory=list)
    window: int = 5
    json: bool = False
    nir: str | None = None


@app.command(
    "reconcile",
    help=_(
        "Rapprocher les virements de la caisse d'un relevé bancaire (OFX 1.x/2.x, CSV de"
        " banque française, CAMT.053) : virements retrouvés, crédits CPAM qu'aucun"
        " virement n'explique, virements absents du relevé, montants différents."
        " Code de sortie 0 si tout correspond, 6 sinon."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli paiements reconcile releve-banque.ofx\n"
        "  ameli paiements reconcile export.csv --column date=Date --column amount=Montant\n"
        "  ameli paiements reconcile camt053.xml --json"
    ),
)
def reconcile(
    ctx: typer.Context,
    bank_file: Path = typer.Argument(
        ..., metavar=_("FICHIER_BANQUE"), help=_("Export de la banque : .ofx, .qfx, .csv, .xml.")
    ),
    columns: list[str] = typer.Option(
        [],
        "--column",
        metavar=_("ROLE=NOM"),
        help=_("CSV : colonne à lire pour date, label, amount, credit ou debit (répétable)."),
    ),
    window: int = typer.Option(
        5, "--window", metavar=_("JOURS"), help=_("Jours entre le virement et le crédit (5).")
    ),
    json_output: JsonOption = False,
    nir: NirOption = None,
) -> None:
    report = run_reconcile(
        app_context(ctx), ReconcileOptions(bank_file, columns, window, json_output, nir)
    )
    if not report["all_matched"]:
        raise typer.Exit(int(ExitCode.PARTIAL))


def _column_map(raw: list[str]) -> dict[str, str]:
    from ameli_cli.domain.bank_files import COLUMN_ROLES

    named = {}
    for item in raw:
        role, sep, name = item.partition("=")
        if not sep or role.strip() not in COLUMN_ROLES or not name.strip():
            raise UsageError(
                _("--column : « {value} » ; écrivez RÔLE=NOM avec RÔLE parmi {roles}.").format(
                    value=item, roles=", ".join(COLUMN_ROLES)
                )
            )
        named[role.strip()] = name.strip()
    return named


def run_reconcile(app: AppContext, opts: ReconcileOptions) -> dict[str, Any]:
    from ameli_cli.domain import bank_files
    from ameli_cli.domain.reconcile import reconcile as match

    if not 0 <= opts.window <= 31:
        raise UsageError(_("--window : un nombre de jours entre 0 et 31."))
    columns = _column_map(opts.columns)
    try:
        statement = bank_files.read(opts.bank_file, columns)
    except bank_files.BankFileError as exc:
        raise UsageError(_("FICHIER_BANQUE : {reason}").format(reason=exc)) from None
    period = statement.period()
    if period is None:
        raise UsageError(_("FICHIER_BANQUE : aucune opération dans ce fichier."))
    subject = subject_nir(app, opts.nir)
    since = (period[0] - timedelta(days=opts.window + 1)).isoformat()
    transfers = list(
        app.client().list_transfers(since=since, until=period[1].isoformat(), nir=subject)
    )
    report = match(statement, transfers, window=opts.window)
    report["bank_file"] = str(opts.bank_file)
    if opts.json:
        app.io.write_json(report)
    else:
        from ameli_cli.render.reconcile import report_text

        app.io.write(report_text(report))
    return report
