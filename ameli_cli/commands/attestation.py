"""Attestations: `attestation get` (PDF drawn here, offline from the cache),
`attestation verify` (signature, page, validity), `attestation batch` (agents)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.registry import help_for
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import AmeliError, ApiError, BackendUnreachable, ExitCode, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from datetime import date

    from ameli_cli.api.client import AmeliClient
    from ameli_cli.runtime.context import AppContext

TYPES = ("droits", "ij", "fiscale")

app = AmeliTyper(
    help=help_for("attestation"),
    epilog=_(
        "Exemples :\n\n\b\n  ameli attestation get\n"
        "  ameli attestation verify attestation-droits-dupont-2026-11-24.pdf"
    ),
)


def _type_label(kind: str) -> str:
    return {
        "droits": _("attestation de droits"),
        "ij": _("attestation de paiement des indemnités journalières"),
        "fiscale": _("relevé fiscal"),
        "releve": _("relevé mensuel de paiements"),
    }.get(kind, kind)


def _today(app: AppContext | None = None, *, offline: bool = False) -> date:
    """The date validity is judged against: the service's clock on a sandbox (whose
    clock is the world's: `ameli sandbox advance 100d` makes attestations expire
    there), this machine's date on any other backend, or when the service is not to
    be asked (`offline`: --offline, or it did not answer; the embedded sandbox, in
    this process, is always asked)."""
    from datetime import date

    from ameli_cli.api import backends

    if app is None or (offline and app.backend != backends.SANDBOX):
        return date.today()
    from ameli_cli.api import sandbox_controls

    try:
        clock = sandbox_controls.read_clock(app.client(authenticated=False))
        return date.fromisoformat(str(clock["today"]))
    except (AmeliError, KeyError, ValueError):  # not a sandbox, unreachable, odd answer
        return date.today()


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


def get(
    ctx: typer.Context,
    kind_argument: str | None = typer.Argument(
        None, metavar="[TYPE]", help=_("droits, ij ou fiscale (comme --type).")
    ),
    kind: str | None = typer.Option(
        None,
        "--type",
        "-t",
        metavar="droits|ij|fiscale",
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
    json_output: bool = typer.Option(
        False, "--json", help=_("Afficher les données signées (JSON) au lieu du PDF.")
    ),
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
    if kind not in TYPES:
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


def keys_cache(app: AppContext) -> Path:
    from ameli_cli.domain.attestations import keys_cache_file

    return keys_cache_file(app.paths.cache_dir, app.backend)


def run_get(app: AppContext, opts: GetOptions) -> dict[str, Any]:
    from ameli_cli.domain import attestations as att

    kind, beneficiary = _check_get_options(app, opts)
    key = att.CacheKey(kind, beneficiary, opts.year)
    cache_dir = attestations_cache_dir(app)
    from_cache = False
    if opts.offline:
        envelope = att.load_cached(cache_dir, key)
        if envelope is None:
            raise AmeliError(
                _(
                    "Pas de {label} en cache pour ce profil ({what}) : lancez la commande une fois"
                    " sans --offline, avec le réseau."
                ).format(label=_type_label(kind), what=key.file_name().removesuffix(".json"))
            )
        from_cache = True
    else:
        session = app.session()
        if session is not None and session.role == "agent" and not app.credentials.env_token():
            raise UsageError(
                _(
                    "Un agent obtient les attestations des assurés par leur NIR : ameli"
                    " attestation batch --input FICHIER --out-dir DOSSIER."
                )
            )
        client = app.client()
        try:
            envelope = client.fetch_attestation(
                kind,
                beneficiary=None if beneficiary == "all" else beneficiary,
                year=opts.year,
            )
        except BackendUnreachable as exc:
            cached = att.load_cached(cache_dir, key)
            if cached is None:
                raise
            app.io.warn(
                _(
                    "service injoignable ({error}) ; attestation redessinée depuis le cache"
                    " (délivrée le {issued})."
                ).format(
                    error=exc.message, issued=display_date(cached["attestation"]["issue_date"])
                )
            )
            envelope, from_cache = cached, True
        except ApiError as exc:
            raise _get_error(exc, kind, beneficiary) from None
        else:
            att.save_cached(cache_dir, key, envelope)
            _remember_key(app, client, envelope)
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
    pdf = att.render_attestation(envelope)
    if opts.output == "-":
        app.io.write_bytes(pdf)
        return envelope
    path = _output_path(opts.output, att.default_file_name(envelope))
    from ameli_cli.runtime.private_files import check_output_file, write_atomic

    write_atomic(check_output_file(path, force=opts.force), pdf, private=False)
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = path
    app.io.info(
        _("PDF enregistré : {path} ({label}, valable jusqu'au {date})").format(
            label=_type_label(kind), path=shown, date=display_date(valid_until)
        )
    )
    return envelope


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


def _remember_key(app: AppContext, client: AmeliClient, envelope: dict[str, Any]) -> None:
    """Keep the service's public key in the cache, so `verify` works offline."""
    from ameli_cli.domain import attestations as att

    path = keys_cache(app)
    if envelope["signature"].get("key_id") in att.load_keys(path):
        return
    try:
        att.save_keys(path, client.fetch_signing_keys())
    except (BackendUnreachable, ApiError) as exc:
        app.io.debug(f"/v1/keys: {exc.message}")


# -- verify -------------------------------------------------------------------------------


def verify(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar=_("FICHIER.pdf"), help=_("L'attestation à vérifier.")),
    json_output: bool = typer.Option(False, "--json", help=_("Sortie JSON.")),
) -> None:
    result = run_verify(app_context(ctx), file, json_output=json_output)
    if result["status"] != "valid":
        raise typer.Exit(int(ExitCode.ERROR))


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # an attestation is ~10 kB; a scan of one, a few MB


def read_document(file: Path) -> bytes:
    """A PDF to check, read only if it is a regular file of a sane size: a FIFO would
    hang us, a device or a huge file would never end."""
    import stat

    from ameli_cli.runtime.errors import file_error_message

    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(
                _("FICHIER : {path} n'est pas un fichier ordinaire.").format(path=file)
            )
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise UsageError(
                _("FICHIER : {path} dépasse {n} Mo : ce n'est pas une attestation.").format(
                    path=file, n=MAX_DOCUMENT_BYTES // (1024 * 1024)
                )
            )
        return file.read_bytes()
    except OSError as exc:
        raise UsageError(f"FICHIER : {file_error_message(exc)}") from None


def run_verify(app: AppContext, file: Path, *, json_output: bool) -> dict[str, Any]:
    from ameli_cli.domain import attestations as att

    data = read_document(file)
    envelope = att.extract_envelope(data) if data.startswith(b"%PDF") else None
    result: dict[str, Any] = {"file": str(file), "status": "tampered", "reason": None}
    if envelope is None:
        result["reason"] = "no_signed_data"
    else:
        # Until the signature is checked these fields are anybody's: read them loosely.
        document = envelope["attestation"]
        assure = document.get("assure")
        result.update(
            {
                "type": document.get("type"),
                "id": document.get("id"),
                "assure": assure if isinstance(assure, dict) else {},
                "issued_at": document.get("issued_at"),
                "valid_until": document.get("valid_until"),
                "key_id": envelope["signature"].get("key_id"),
                "layout_checked": False,
            }
        )
        keys = _service_keys(app, str(envelope["signature"].get("key_id")))
        if not att.signature_valid(envelope, keys):
            result["reason"] = "bad_signature"
        elif att.produced_by_this_renderer(data) and not _same_page(envelope, data):
            result["reason"] = "page_modified"
        else:
            result["layout_checked"] = att.produced_by_this_renderer(data)
            if att.expired(envelope, _today(app)):
                result.update(status="expired", reason="past_valid_until")
            else:
                result["status"] = "valid"
    if json_output:
        app.io.write_json(result)
    else:
        app.io.write(_verify_line(result) + "\n")
    return result


def _service_keys(app: AppContext, key_id: str) -> dict[str, str]:
    from ameli_cli.domain import attestations as att

    path = keys_cache(app)
    keys = att.load_keys(path)
    if key_id in keys:
        return keys
    try:
        return att.save_keys(path, app.client(authenticated=False).fetch_signing_keys())
    except BackendUnreachable as exc:
        if keys:
            return keys
        raise BackendUnreachable(
            _(
                "Clé publique du service inconnue ici et service injoignable ({error}) :"
                " vérifiez une fois avec le réseau, la clé sera gardée pour la suite."
            ).format(error=exc.message)
        ) from None


def _same_page(envelope: dict[str, Any], data: bytes) -> bool:
    """Whether drawing the signed data again gives these very bytes."""
    from ameli_cli.domain import attestations as att

    try:
        return att.render_attestation(envelope) == data
    except (KeyError, TypeError, ValueError, AttributeError):
        return False  # signed data our renderer cannot draw: not the page it claims


def _loose_date(value: Any) -> str:
    """A date from a file being checked: shown as a date when it is one, else as is."""
    try:
        return display_date(str(value))
    except ValueError:
        return str(value)


def _verify_line(result: dict[str, Any]) -> str:
    status = result["status"]
    if result.get("reason") == "no_signed_data":
        return _("altérée : ce fichier ne contient pas d'attestation signée lisible.")
    who = result["assure"]
    what = _("{label} de {first} {last}, délivrée le {issued}").format(
        label=_type_label(str(result["type"])),
        first=who.get("first_names", "?"),
        last=who.get("last_name", "?"),
        issued=_loose_date(result["issued_at"]),
    )
    if status == "valid":
        line = _("valide : {what}, valable jusqu'au {date}.").format(
            what=what, date=_loose_date(result["valid_until"])
        )
        if not result["layout_checked"]:
            line += " " + _("(signature vérifiée ; page dessinée par une autre version)")
        return line
    if status == "expired":
        return _("expirée : {what} ; valable jusqu'au {date} seulement.").format(
            what=what, date=_loose_date(result["valid_until"])
        )
    if result["reason"] == "page_modified":
        return _("altérée : la page a été modifiée après sa création ({what}).").format(what=what)
    return _("altérée : la signature du service ne correspond pas aux données ({what}).").format(
        what=what
    )


# -- batch --------------------------------------------------------------------------------


@dataclass
class BatchOptions:
    input: str
    out_dir: Path
    kind: str
    concurrency: int
    json: bool


def batch(
    ctx: typer.Context,
    input_file: str = typer.Option(
        ...,
        "--input",
        "-i",
        metavar=_("FICHIER|-"),
        help=_("Liste des NIR (« - » : entrée standard)."),
    ),
    out_dir: Path = typer.Option(
        ..., "--out-dir", "-d", metavar=_("DOSSIER"), help=_("Dossier des PDF (créé au besoin).")
    ),
    kind: str = typer.Option(
        "droits", "--type", "-t", metavar="droits|ij|fiscale", help=_("Type d'attestation.")
    ),
    concurrency: int = typer.Option(
        8, "--concurrency", "-c", metavar="N", help=_("Requêtes simultanées (1 à 64).")
    ),
    json_output: bool = typer.Option(
        False, "--json", help=_("Sortie NDJSON (c'est déjà le format de la sortie standard).")
    ),
) -> None:
    opts = BatchOptions(input_file, out_dir, kind, concurrency, json_output)
    from ameli_cli.commands.attestation_batch import run_batch

    run_batch(app_context(ctx), opts)


app.command(
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
)(get)

app.command(
    "verify",
    help=_(
        "Vérifier une attestation PDF : signature du service (clé publique gardée en cache,"
        " donc hors ligne aussi), page non modifiée, date de validité. Code de sortie 0"
        " seulement si elle est valide."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli attestation verify attestation-droits-dupont-2026-11-24.pdf\n"
        "  ameli attestation verify recue.pdf --json | jq -r .status"
    ),
)(verify)

app.command(
    "batch",
    help=_(
        "Agents : une attestation PDF par NIR (un NIR par ligne, ou un CSV avec une colonne"
        " nir). Une ligne NDJSON par entrée sur la sortie standard ; reprise sans doublon"
        " après interruption ; code 6 si une ligne a échoué."
    ),
    epilog=_(
        "Exemple :\n\n\b\n  ameli attestation batch --input nirs.csv --out-dir attestations/"
        " --concurrency 8 > rapport.ndjson"
    ),
)(batch)
