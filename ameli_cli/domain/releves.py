"""Relevés mensuels on the client: the page drawn from the signed data.

`GET /v1/releves/{month}` returns the same envelope as an attestation (`type` =
`releve`), so the signature, the attachment and `attestation verify` are the
attestations' (domain/attestations.py). This module draws the page: the caisse's
header, the assuré, the month's totals, then each transfer ("Paiement effectué le …
pour un montant de …") with its lines grouped by beneficiary and the deductions it
recovers. The text is the French document (not translated), like an attestation's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ameli_cli.render.dates import display_date
from ameli_cli.render.money import euros

if TYPE_CHECKING:
    from ameli_cli.render.pdf_model import Document

# A denser QR than this is hard to scan from paper: a longer month keeps its signed
# data in the attachment only (the footer says so).
QR_MAX_CHARS = 1500
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
NATURES = {
    "REMBOURSEMENT_SOINS": "remboursement de soins",
    "PAIEMENT_A_UN_TIERS": "paiement à un professionnel (tiers payant)",
    "INDEMNITE_JOURNALIERE_ASSURE": "indemnités journalières",
}


def month_label(month: str) -> str:
    """`2026-11` → `novembre 2026`."""
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def file_name(month: str) -> str:
    return f"releve-mensuel-{month}.pdf"


def _amount(cents: int) -> str:
    return euros(cents, space="\xa0")


def _nir(nir: str) -> str:
    if len(nir) != 15:
        return nir
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def _transfer_blocks(transfer: dict[str, Any]) -> list[Any]:
    from ameli_cli.render.pdf_model import Heading, Paragraph, Table

    care = [line for line in transfer["lines"] if not line.get("recovers")]
    care.sort(key=lambda line: line["beneficiary"]["rank"] if line["beneficiary"] else "99")
    rows: list[tuple[str, ...]] = []
    previous = None
    for line in care:
        who = line["beneficiary"]
        name = f"{who['name']} ({who['rank']})" if who else "—"
        rows.append(
            (
                name if name != previous else "",
                display_date(line["care_date"]),
                line["label"],
                _amount(line["amount"]),
            )
        )
        previous = name
    for line in transfer["lines"]:
        if line.get("recovers"):
            rows.append(
                ("Retenue", display_date(line["care_date"]), line["label"], _amount(line["amount"]))
            )
    rows.append(("Total du virement", "", "", _amount(transfer["amount"])))
    return [
        Heading(
            f"Paiement effectué le {display_date(transfer['date'])}"
            f" pour un montant de {_amount(transfer['amount'])}",
            size=10.5,
        ),
        Paragraph(
            f"Versé à {transfer['payee']['name']} – {NATURES.get(transfer['nature'], transfer['nature'])}"
            f" – libellé bancaire : {transfer['bank_label']}",
            size=8.5,
            color=(90,) * 3,
        ),
        Table(
            ("Bénéficiaire", "Soins du", "Nature des soins", "Montant versé"),
            tuple(rows),
            (42, 20, 84, 0),
            size=8.5,
            align_right=(3,),
        ),
    ]


def releve_document(envelope: Mapping[str, Any]) -> Document:
    """The page of a relevé mensuel, as a document model for `render.pdf`."""
    from ameli_cli.domain.attestations import (
        ATTACHMENT_NAME,
        canonical_json,
        qr_payload,
    )
    from ameli_cli.render.attestation_pdf import renderer_id
    from ameli_cli.render.pdf_model import Attachment, Document, Fields, Heading, Notice, Paragraph

    att = envelope["attestation"]
    who, org, totals = att["assure"], att["organisme"], att["totals"]
    full_name = f"{who['last_name']} {who['first_names']}"
    title = f"Relevé mensuel de vos paiements – {month_label(att['month'])}"
    blocks: list[Any] = [
        Paragraph(title, size=15, bold=True),
        Paragraph(f"Édité le {display_date(att['issue_date'])} par {org['name']}", size=9.5, color=(90,) * 3),
        Heading("Assuré(e)"),
        Fields(
            (
                ("Nom et prénoms", full_name),
                ("N° de sécurité sociale (NIR)", _nir(who["nir"])),
                ("Caisse", f"{org['name']} (code organisme {org['code']})"),
                ("Période", f"du {display_date(att['period']['start'])} au {display_date(att['period']['end'])}"),
            )
        ),
        Heading("Totaux du mois"),
        Fields(
            (
                ("Versé sur votre compte", _amount(totals["paid_to_assure"])),
                ("Versé aux professionnels", _amount(totals["paid_to_professionals"]) + " (tiers payant)"),
                ("Retenues", _amount(totals["deductions_recovered"]) + " (participations forfaitaires et franchises)"),
                ("Nombre de paiements", str(totals["transfer_count"])),
            )
        ),
    ]  # fmt: skip
    if not att["transfers"]:
        blocks.append(Notice("Aucun paiement ce mois-ci."))
    for transfer in att["transfers"]:
        blocks += _transfer_blocks(transfer)
    qr = qr_payload(envelope)
    created = datetime.fromisoformat(att["issued_at"].replace("Z", "+00:00")).astimezone(UTC)
    return Document(
        title=f"{title} – {full_name}",
        author=f"Assurance Maladie – {org['name']}",
        subject=f"{title}, {full_name}",
        created=created,
        blocks=tuple(blocks),
        banner="l'Assurance Maladie",
        header_lines=(org["name"], *org.get("address_lines", ()), f"{org['postal_code']} {org['city']}"),
        qr_text=qr if len(qr) <= QR_MAX_CHARS else None,
        qr_caption=("Données signées par le service", "ameli releves verify FICHIER.pdf"),
        footer_lines=(
            f"Relevé {att['id']} édité le {display_date(att['issue_date'])} à {att['issued_at'][11:16]} UTC,"
            f" signé par le service (Ed25519, clé {envelope['signature']['key_id']}).",
            "Les données signées sont jointes à ce PDF (attestation.json) ; vérification :"
            " ameli releves verify FICHIER.pdf",
        ),
        attachments=(
            Attachment(ATTACHMENT_NAME, canonical_json(envelope), "application/json", "Relevé signé (Ed25519) par le service"),
        ),
        producer=renderer_id(),
    )  # fmt: skip
