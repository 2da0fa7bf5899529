"""`ameli attestation verify`: the service's signature (public key cached, so
offline too), the page unmodified, the validity date; exit 0 only when valid."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.attestation.get import _today, keys_cache
from ameli_cli.commands.attestation.group import app, type_label
from ameli_cli.commands.options import JsonOption
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import BackendUnreachable, ExitCode, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext


@app.command(
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
)
def verify(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar=_("FICHIER.pdf"), help=_("L'attestation à vérifier.")),
    json_output: JsonOption = False,
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
    from ameli_cli.render.attestation_pdf import produced_by_this_renderer

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
        elif produced_by_this_renderer(data) and not _same_page(envelope, data):
            result["reason"] = "page_modified"
        else:
            result["layout_checked"] = produced_by_this_renderer(data)
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
    from ameli_cli.render.attestation_pdf import render_attestation

    try:
        return render_attestation(envelope) == data
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
        label=type_label(str(result["type"])),
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
