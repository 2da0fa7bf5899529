"""The CEAM provisional replacement certificate (certificat provisoire de
remplacement), drawn with the attestation renderer from the service's JSON.

The service signs it like an attestation: the PDF carries the signed data as an
attachment (`certificat-ceam.json`) and in a QR code, as an envelope
`{"attestation": <the certificate>, "signature": …}` that `ameli attestation verify`
checks. A certificate from a service that does not sign it is drawn without them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.records import CeamCertificate


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def _nir(nir: str) -> str:
    if len(nir) != 15:
        return nir
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def certificate_document(certificate: CeamCertificate) -> Any:
    from ameli_cli.render.pdf_model import Document

    institution = certificate["institution"]
    issued = datetime.fromisoformat(certificate["issued_at"].replace("Z", "+00:00"))
    signed = _signed_parts(certificate)
    return Document(
        title=_("Certificat provisoire de remplacement de la CEAM"),
        author=institution["name"],
        subject=_("Carte européenne d'assurance maladie : certificat provisoire"),
        created=issued,
        banner="Assurance Maladie",
        header_lines=(
            institution["name"],
            _("Code organisme {code}").format(code=institution["code"]),
        ),
        blocks=_certificate_blocks(certificate),
        footer_lines=(
            _("Certificat provisoire de remplacement — {name}").format(name=institution["name"]),
        ),
        **signed,
    )


ATTACHMENT_NAME = "certificat-ceam.json"


def _signed_parts(certificate: CeamCertificate) -> dict[str, Any]:
    """The QR code and the attachment of the signed envelope, when the service signed."""
    from ameli_cli.domain.attestations import canonical_json, qr_payload
    from ameli_cli.render.pdf_model import Attachment

    signature = certificate.get("signature")
    if not isinstance(signature, dict):
        return {}
    data = {k: v for k, v in certificate.items() if k != "signature"}
    envelope = {"attestation": data, "signature": signature}
    return {
        "qr_text": qr_payload(envelope),
        "qr_caption": (_("Données signées par le service"), "ameli attestation verify FICHIER.pdf"),
        "attachments": (
            Attachment(
                ATTACHMENT_NAME,
                canonical_json(envelope),
                "application/json",
                _("Certificat signé (Ed25519) par le service"),
            ),
        ),
    }


def _certificate_blocks(certificate: CeamCertificate) -> tuple[Any, ...]:
    """The certificate's fields, numbered as on the EU model, and its validity."""
    from ameli_cli.render.pdf_model import Fields, Heading, Notice, Paragraph, Spacer

    person = certificate["beneficiary"]
    institution = certificate["institution"]
    return (
        Heading(
            _("Certificat provisoire de remplacement de la carte européenne d'assurance maladie"),
            12,
        ),
        Spacer(2),
        Fields(
            (
                (_("1. État membre"), institution.get("country", "FR")),
                (_("3. Nom"), person["last_name"]),
                (_("4. Prénoms"), person["first_names"]),
                (_("5. Date de naissance"), _day(person["birth_date"])),
                (_("6. N° d'identification personnel"), _nir(certificate["nir"])),
                (
                    _("7. N° d'identification de l'institution"),
                    f"{institution['code']} — {institution['name']}",
                ),
                (_("9. Date d'expiration"), _day(certificate["valid_until"])),
            ),
            label_width=66.0,
        ),
        Spacer(3),
        Notice(
            _("Certificat valable du {start} au {end}").format(
                start=_day(certificate["valid_from"]), end=_day(certificate["valid_until"])
            )
        ),
        Spacer(3),
        Paragraph(
            _(
                "Ce certificat remplace la carte européenne d'assurance maladie pendant sa"
                " période de validité. Il ouvre droit aux soins médicalement nécessaires lors"
                " d'un séjour temporaire dans un pays de l'Union européenne, de l'Espace"
                " économique européen, en Suisse ou au Royaume-Uni, dans les conditions"
                " applicables aux assurés de ce pays. Présentez-le avec une pièce d'identité."
            )
        ),
        Spacer(2),
        Fields(
            (
                (_("Délivré le"), _day(certificate["issued_at"])),
                (_("N° du certificat"), certificate["id"]),
                (_("Commande de CEAM"), certificate.get("order_id") or ""),
            ),
            label_width=66.0,
        ),
    )


def render_ceam_certificate(certificate: CeamCertificate) -> bytes:
    from ameli_cli.render.pdf import render_pdf

    return render_pdf(certificate_document(certificate))
