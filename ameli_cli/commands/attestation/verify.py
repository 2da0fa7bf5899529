"""`ameli attestation verify`: the service's signature (public key cached, so
offline too), the page unmodified, the validity date; exit 0 only when valid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.attestation.get import _today
from ameli_cli.commands.attestation.group import app, type_label
from ameli_cli.commands.attestation.keys import known_keys
from ameli_cli.commands.options import JsonOption
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import ExitCode, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext


@app.command(
    "verify",
    help=_(
        "Vérifier une attestation PDF (ou un certificat provisoire de CEAM, ou le scan PNG"
        " ou JPEG de la page imprimée) : signature du service (clés publiques gardées en"
        " cache, donc hors ligne aussi), page non modifiée, dates de validité. Code de"
        " sortie 0 seulement si elle est valide."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli attestation verify attestation-droits-dupont-2026-11-24.pdf\n"
        "  ameli attestation verify scan.png\n"
        "  ameli attestation verify recue.pdf --json | jq -r .status"
    ),
)
def verify(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., metavar=_("FICHIER"), help=_("L'attestation à vérifier (PDF, PNG ou JPEG).")
    ),
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
    from ameli_cli.domain.signed_files import read_signed_data

    data = read_document(file)
    found = read_signed_data(data)
    result: dict[str, Any] = {"file": str(file), "status": "tampered", "reason": None}
    if found is None:
        result["reason"] = "no_signed_data"
    else:
        result.update(_verdict(app, found.envelope, data, found.source))
    if json_output:
        app.io.write_json(result)
    else:
        app.io.write(_verify_line(result) + "\n")
    return result


def _verdict(app: AppContext, envelope: dict[str, Any], data: bytes, source: str) -> dict[str, Any]:
    """Status and reason of signed data read from a file, with what it says of itself."""
    from ameli_cli.domain import attestations as att

    # Until the signature is checked these fields are anybody's: read them loosely.
    document = envelope["attestation"]
    kind = att.document_kind(envelope)
    who = document.get("beneficiary") if kind == "ceam" else document.get("assure")
    result: dict[str, Any] = {
        "type": kind,
        "id": document.get("id"),
        "assure": who if isinstance(who, dict) else {},
        "issued_at": document.get("issued_at"),
        "valid_until": document.get("valid_until"),
        "key_id": envelope["signature"].get("key_id"),
        "source": source,
        "layout_checked": False,
        "status": "tampered",
    }
    if kind == "ceam":
        result["valid_from"] = document.get("valid_from")
    well_formed = att.signature_well_formed(envelope)
    keys = known_keys(app, str(result["key_id"])) if well_formed else {}
    signature = att.check_signature(envelope, keys)
    if signature == "bad_signature":
        return {**result, "reason": "bad_signature"}
    if signature == "unknown_key":
        return {**result, "status": "unknown_key", "reason": "key_not_published"}
    if signature == "key_not_valid":
        return {**result, "status": "key_not_valid", "reason": "issued_after_key_retired"}
    page = _page_check(envelope, data, source)
    if page == "modified":
        return {**result, "reason": "page_modified"}
    result["layout_checked"] = page == "same"
    today = _today(app).isoformat()
    if str(document.get("valid_until")) < today:
        return {**result, "status": "expired", "reason": "past_valid_until"}
    if kind == "ceam" and today < str(document.get("valid_from")):
        return {**result, "status": "not_yet_valid", "reason": "before_valid_from"}
    return {**result, "status": "valid", "reason": None}


def _page_check(envelope: dict[str, Any], data: bytes, source: str) -> str:
    """`same`, `modified` or `unchecked`: does the page show the signed data?

    Our own file (read by the fast reader, our renderer's id in /Producer) must be
    byte-identical to a fresh drawing: any other byte is an edit. A file another tool
    re-saved has other bytes for the same page: its words are compared with a fresh
    drawing's (pypdf's text extraction). A scan has no page to compare."""
    from ameli_cli.render.attestation_pdf import produced_by_this_renderer

    if source == "qr":
        return "unchecked"
    ours = produced_by_this_renderer(data)
    fresh = _fresh_drawing(envelope)
    if fresh is None:
        return "modified" if ours else "unchecked"  # signed data our renderer cannot draw
    if fresh == data:
        return "same"
    if ours and source == "attachment":
        return "modified"
    from ameli_cli.domain.signed_files import page_text
    from ameli_cli.render.attestation_pdf import renderer_id

    found, drawn = page_text(data), page_text(fresh)
    if found is None or drawn is None:
        return "unchecked"
    if found.words == drawn.words:
        return "same"
    # Drawn by this very renderer (its id kept by the tool that re-saved it): the words
    # must match; another version may word the page otherwise.
    return "modified" if ours or found.producer == renderer_id() else "unchecked"


def _fresh_drawing(envelope: dict[str, Any]) -> bytes | None:
    """The page drawn again from the signed data, or None when our renderer cannot."""
    from ameli_cli.domain.attestations import document_kind

    try:
        if document_kind(envelope) == "ceam":
            from ameli_cli.render.ceam_pdf import render_ceam_certificate

            certificate: Any = {**envelope["attestation"], "signature": envelope["signature"]}
            return render_ceam_certificate(certificate)
        from ameli_cli.render.attestation_pdf import render_attestation

        return render_attestation(envelope)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def _loose_date(value: Any) -> str:
    """A date from a file being checked: shown as a date when it is one, else as is."""
    try:
        return display_date(str(value))
    except ValueError:
        return str(value)


def _verify_line(result: dict[str, Any]) -> str:
    if result.get("reason") == "no_signed_data":
        return _("altérée : ce fichier ne contient pas d'attestation signée lisible.")
    who = result["assure"]
    if result["type"] == "ceam":
        what = _("certificat provisoire de CEAM de {first} {last}, délivré le {issued}")
    else:
        what = _("{label} de {first} {last}, délivrée le {issued}")
    what = what.format(
        label=type_label(str(result["type"])),
        first=who.get("first_names", "?"),
        last=who.get("last_name", "?"),
        issued=_loose_date(result["issued_at"]),
    )
    return _VERDICT_LINES[result["status"]](result, what)


def _valid_line(result: dict[str, Any], what: str) -> str:
    line = _("valide : {what}, valable jusqu'au {date}.").format(
        what=what, date=_loose_date(result["valid_until"])
    )
    if result["source"] == "qr":
        line += " " + _("(lu dans le code QR : signature vérifiée, pas la page)")
    elif result["layout_checked"] and result["source"] == "pdf":
        line += " " + _("(fichier réenregistré par un autre outil ; texte de la page vérifié)")
    elif not result["layout_checked"]:
        line += " " + _("(signature vérifiée ; page dessinée par une autre version)")
    return line


def _tampered_line(result: dict[str, Any], what: str) -> str:
    if result["reason"] == "page_modified":
        return _("altérée : la page a été modifiée après sa création ({what}).").format(what=what)
    return _("altérée : la signature du service ne correspond pas aux données ({what}).").format(
        what=what
    )


_VERDICT_LINES: dict[str, Callable[[dict[str, Any], str], str]] = {
    "valid": _valid_line,
    "tampered": _tampered_line,
    "expired": lambda result, what: _(
        "expirée : {what} ; valable jusqu'au {date} seulement."
    ).format(what=what, date=_loose_date(result["valid_until"])),
    "not_yet_valid": lambda result, what: _(
        "pas encore valable : {what} ; valable à partir du {date}."
    ).format(what=what, date=_loose_date(result.get("valid_from"))),
    "unknown_key": lambda result, what: _(
        "clé inconnue : {what} ; signature d'une clé que ce service ne publie pas ({key})."
    ).format(what=what, key=result["key_id"]),
    "key_not_valid": lambda result, what: _(
        "clé hors validité : {what} ; signature de la clé {key}, retirée avant cette date."
    ).format(what=what, key=result["key_id"]),
}
