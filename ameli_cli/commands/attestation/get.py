"""`ameli attestation get`: the PDF drawn here from the data the service signed;
offline (or with the service unreachable) it is drawn again from the cache while
it is valid."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.attestation.group import app, type_label
from ameli_cli.commands.options import json_option
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import AmeliError, ApiError, BackendUnreachable, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import choices
from ameli_rules import ATTESTATION_TYPES

if TYPE_CHECKING:
    from datetime import date

    from ameli_cli.api.client import AmeliClient
    from ameli_cli.domain.attestations import CacheKey
    from ameli_cli.records import SignedAttestation
    from ameli_cli.runtime.context import AppContext


def _today(app: AppContext | None = None, *, offline: bool = False) -> date:
    """The date validity is judged against (see AppContext.today)."""
    from datetime import date

    return app.today(offline=offline) if app is not None else date.today()


# -- get --------------------------------------------------------------------------------


@dataclass
class GetOptions:
    kind: str
    beneficiary: str
    year: int | None
    output: str | None
    json: bool
    offline: bool
    force: bool = False


@app.command(
    "get",
    help=_(
        "Obtenir une attestation en PDF (dessinée ici à partir des données signées par le"
        " service). Sans réseau (--offline, ou service injoignable), elle est redessinée depuis"
        " le cache tant qu'elle est valable."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli attestation get\n"
        "  ameli attestation get --beneficiary 02 -o camille.pdf\n"
        "  ameli attestation get --type fiscale --year 2025 --json"
    ),
)
def get(
    ctx: typer.Context,
    kind_argument: str | None = typer.Argument(
        None,
        metavar="[TYPE]",
        click_type=choices(ATTESTATION_TYPES),
        help=_("droits, ij ou fiscale (comme --type)."),
    ),
    kind: str | None = typer.Option(
        None,
        "--type",
        "-t",
        metavar="droits|ij|fiscale",
        click_type=choices(ATTESTATION_TYPES),
        help=_("Type d'attestation (défaut : droits)."),
    ),
    beneficiary: str = typer.Option(
        "all",
        "--beneficiary",
        "-b",
        metavar=_("RANG|all"),
        help=_("Bénéficiaire (rang 01, 02…) ou all pour tous (défaut)."),
    ),
    year: int | None = typer.Option(
        None,
        "--year",
        metavar=_("AAAA"),
        help=_("Année (ij et fiscale ; fiscale : l'an dernier par défaut)."),
    ),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar=_("CHEMIN|-"),
        help=_("Fichier PDF (ou dossier) ; « - » pour écrire le PDF sur la sortie standard."),
    ),
    json_output: bool = json_option(_("Afficher les données signées (JSON) au lieu du PDF.")),
    offline: bool = typer.Option(
        False, "--offline", help=_("Ne pas contacter le service : redessiner depuis le cache.")
    ),
    force: bool = typer.Option(False, "--force", help=_("Remplacer le fichier s'il existe déjà.")),
) -> None:
    if kind_argument and kind and kind_argument.strip().lower() != kind.strip().lower():
        raise UsageError(
            _("--type {option} et TYPE {argument} se contredisent : donnez-en un seul.").format(
                option=kind, argument=kind_argument
            )
        )
    chosen = kind or kind_argument or "droits"
    opts = GetOptions(chosen, beneficiary, year, output, json_output, offline, force)
    run_get(app_context(ctx), opts)


def _check_get_options(app: AppContext, opts: GetOptions) -> tuple[str, str]:
    kind = opts.kind.strip().lower()
    if kind not in ATTESTATION_TYPES:
        raise UsageError(
            _("--type : « {value} » inconnu ; choisissez droits, ij ou fiscale.").format(
                value=opts.kind
            )
        )
    beneficiary = opts.beneficiary.strip().lower()
    if beneficiary in ("tous", "*"):
        beneficiary = "all"
    if beneficiary != "all":
        if not (beneficiary.isascii() and beneficiary.isdigit()) or not 1 <= int(beneficiary) <= 19:
            raise UsageError(
                _(
                    "--beneficiary : « {value} » n'est pas un rang ; donnez 01 à 19 (voir ameli"
                    " whoami) ou all."
                ).format(value=opts.beneficiary)
            )
        beneficiary = f"{int(beneficiary):02d}"
        if kind != "droits":
            raise UsageError(
                _("--beneficiary : seulement avec --type droits (les autres sont à votre nom).")
            )
    if opts.year is not None:
        if kind == "droits":
            raise UsageError(_("--year : seulement avec --type ij ou fiscale."))
        this_year = _today().year
        if not 2000 <= opts.year <= this_year:
            raise UsageError(
                _("--year : donnez une année entre 2000 et {year}.").format(year=this_year)
            )
    if opts.output == "-" and app.io.stdout_tty and not opts.json:
        raise UsageError(
            _(
                "-o - : la sortie standard est un terminal ; redirigez-la (> fichier.pdf) ou"
                " donnez -o FICHIER.pdf."
            )
        )
    return kind, beneficiary


def attestations_cache_dir(app: AppContext) -> Path:
    return app.paths.profile_cache_dir(app.profile) / "attestations"


def run_get(app: AppContext, opts: GetOptions) -> Mapping[str, Any]:
    from ameli_cli.domain import attestations as att

    kind, beneficiary = _check_get_options(app, opts)
    key = att.CacheKey(kind, beneficiary, opts.year)
    envelope: Mapping[str, Any]
    if opts.offline:
        envelope, from_cache = _cached_envelope(app, key), True
    else:
        envelope, from_cache = _fetched_envelope(app, key)
    valid_until = envelope["attestation"]["valid_until"]
    if from_cache and att.expired(envelope, _today(app, offline=True)):
        raise AmeliError(
            _(
                "L'attestation en cache a expiré : elle n'était valable que jusqu'au {date}."
                " Reconnectez-vous au réseau et relancez sans --offline."
            ).format(date=display_date(valid_until))
        )
    if opts.json:
        app.io.write_json(envelope)
        return envelope
    from ameli_cli.render.attestation_pdf import render_attestation

    pdf = render_attestation(envelope)
    if opts.output == "-":
        app.io.write_bytes(pdf)
        return envelope
    path = _write_pdf(
        _output_path(opts.output, att.default_file_name(envelope)), pdf, force=opts.force
    )
    app.io.info(
        _("PDF enregistré : {path} ({label}, valable jusqu'au {date})").format(
            label=type_label(kind), path=path, date=display_date(valid_until)
        )
    )
    return envelope


def _cached_envelope(app: AppContext, key: CacheKey) -> dict[str, Any]:
    """--offline: the cached attestation, or say how to get one."""
    from ameli_cli.domain import attestations as att

    envelope = att.load_cached(attestations_cache_dir(app), key)
    if envelope is None:
        raise AmeliError(
            _(
                "Pas de {label} en cache pour ce profil ({what}) : lancez la commande une fois"
                " sans --offline, avec le réseau."
            ).format(label=type_label(key.kind), what=key.file_name().removesuffix(".json"))
        )
    return envelope


def _fetched_envelope(app: AppContext, key: CacheKey) -> tuple[Mapping[str, Any], bool]:
    """The attestation from the service (then cached), or from the cache when the
    service cannot be reached; the flag says it came from the cache."""
    from ameli_cli.domain import attestations as att

    session = app.session()
    if session is not None and session.role == "agent" and not app.credentials.env_token():
        raise UsageError(
            _(
                "Un agent obtient les attestations des assurés par leur NIR : ameli"
                " attestation batch --input FICHIER --out-dir DOSSIER."
            )
        )
    cache_dir = attestations_cache_dir(app)
    client = app.client()
    try:
        envelope = client.fetch_attestation(
            key.kind,
            beneficiary=None if key.beneficiary == "all" else key.beneficiary,
            year=key.year,
        )
    except BackendUnreachable as exc:
        cached = att.load_cached(cache_dir, key)
        if cached is None:
            raise
        app.io.warn(
            _(
                "service injoignable ({error}) ; attestation redessinée depuis le cache"
                " (délivrée le {issued})."
            ).format(error=exc.message, issued=display_date(cached["attestation"]["issue_date"]))
        )
        return cached, True
    except ApiError as exc:
        raise _get_error(exc, key.kind, key.beneficiary) from None
    att.save_cached(cache_dir, key, envelope)
    _remember_key(app, client, envelope)
    return envelope, False


def _write_pdf(path: Path, pdf: bytes, *, force: bool) -> Path:
    """Written atomically; returned as the user will read it (relative to here)."""
    from ameli_cli.runtime.private_files import check_output_file, write_atomic

    write_atomic(check_output_file(path, force=force), pdf, private=False)
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _output_path(output: str | None, default_name: str) -> Path:
    if not output:
        return Path.cwd() / default_name
    path = Path(output).expanduser()
    if path.is_dir() or output.endswith(("/", "\\")):
        return path / default_name
    return path


def _get_error(exc: ApiError, kind: str, beneficiary: str) -> AmeliError:
    if exc.code == "beneficiary_not_found":
        return AmeliError(
            _(
                "--beneficiary : aucun bénéficiaire de rang {rank} sur ce compte (voir ameli"
                " whoami)."
            ).format(rank=beneficiary)
        )
    if exc.code == "no_sick_pay":
        return AmeliError(
            _(
                "Aucune indemnité journalière versée du {start} au {end} : pas d'attestation de"
                " paiement pour cette période."
            ).format(
                start=display_date(str(exc.problem.get("period_start", ""))),
                end=display_date(str(exc.problem.get("period_end", ""))),
            )
        )
    return exc


def _remember_key(app: AppContext, client: AmeliClient, envelope: SignedAttestation) -> None:
    """Keep the service's public key in the cache, so `verify` works offline."""
    from ameli_cli.commands.attestation.keys import known_keys

    try:
        known_keys(app, str(envelope["signature"].get("key_id")), client=client)
    except BackendUnreachable as exc:
        app.io.debug(f"/v1/keys: {exc.message}")
