"""The page of an attestation, drawn from its signed envelope, and the PDF around it:
the envelope attached (`attestation.json`, read back by `attestation verify`) and in
the QR code.

The page text is the French document the caisse issues (lang fr-FR), not translated
by `_()`: the same data must give the same bytes whatever the user's language, and
`produced_by_this_renderer` tells when a fresh drawing must match a file byte for
byte. fpdf2 is imported where the page is drawn.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ameli_cli.domain.attestations import ATTACHMENT_NAME, canonical_json, qr_payload
from ameli_cli.render.dates import display_date
from ameli_cli.render.money import euros

if TYPE_CHECKING:
    from ameli_cli.render.pdf_model import Document


def render_attestation(envelope: Mapping[str, Any]) -> bytes:
    from ameli_cli.render.pdf import render_pdf

    return render_pdf(attestation_document(envelope))


@functools.cache
def renderer_id() -> str:
    """Names what drew a page, in its /Producer: the same id and the same data give
    the same bytes. fpdf2's and zxing-cpp's versions are part of it: another one may
    write other bytes (another QR mask, another PDF syntax).
    Cached: importlib.metadata scans the installed distributions (several ms), and a
    batch asks once a page; the version cannot change under a running process."""
    from importlib.metadata import version

    from ameli_cli.render.pdf import RENDER_VERSION

    return (
        f"ameli-cli attestation render {RENDER_VERSION}, fpdf2 {version('fpdf2')},"
        f" zxing-cpp {version('zxing-cpp')}"
    )


def produced_by_this_renderer(pdf: bytes) -> bool:
    """True when a fresh rendering of the page's data must give these very bytes."""
    return f"/Producer ({renderer_id()})".encode() in pdf


def _page_date(iso: str | None) -> str:
    return display_date(iso) or "—"


def _amount(cents: int) -> str:
    return euros(cents, space="\xa0")  # no break inside an amount on the page


def _nir(nir: str) -> str:
    if len(nir) != 15:
        return nir
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


RELATIONSHIPS = {"assure": "Assuré(e)", "conjoint": "Conjoint(e)", "enfant": "Enfant"}
TITLES = {
    "droits": "Attestation de droits à l'assurance maladie",
    "ij": "Attestation de paiement des indemnités journalières",
    "fiscale": "Relevé fiscal des prestations imposables",
}


def attestation_document(envelope: Mapping[str, Any]) -> Document:
    """The page of an attestation, as a document model for `render.pdf`."""
    from ameli_cli.render.pdf_model import Attachment, Document, Heading, Notice, Paragraph, Table

    att = envelope["attestation"]
    kind = att["type"]
    if kind == "releve":
        from ameli_cli.domain.releves import releve_document

        return releve_document(envelope)
    who = att["assure"]
    org = att["organisme"]
    full_name = f"{who['last_name']} {who['first_names']}"
    title = TITLES[kind] + (f" {att['year']}" if kind == "fiscale" else "")
    blocks: list[Any] = _identity_blocks(att, title, full_name)
    if kind == "droits":
        blocks += _droits_blocks(att, Heading, Paragraph, Table)
    elif kind == "ij":
        blocks += _ij_blocks(att, Heading, Paragraph, Table)
    else:
        blocks += _fiscale_blocks(att, Heading, Notice, Table)
    signature = envelope["signature"]
    created = datetime.fromisoformat(att["issued_at"].replace("Z", "+00:00")).astimezone(UTC)
    return Document(
        title=f"{title} – {full_name}",
        author=f"Assurance Maladie – {org['name']}",
        subject=f"{title}, {full_name}, valable jusqu'au {_page_date(att['valid_until'])}",
        created=created,
        blocks=tuple(blocks),
        banner="l'Assurance Maladie",
        header_lines=(
            org["name"],
            *org.get("address_lines", ()),
            f"{org['postal_code']} {org['city']}",
        ),
        qr_text=qr_payload(envelope),
        qr_caption=("Données signées par le service", "ameli attestation verify FICHIER.pdf"),
        footer_lines=(
            f"Attestation {att['id']} délivrée le {_page_date(att['issue_date'])} à"
            f" {att['issued_at'][11:16]} UTC, signée par le service (Ed25519, clé {signature['key_id']}).",
            "Les données signées sont jointes à ce PDF (attestation.json) et dans le code QR ;"
            " vérification : ameli attestation verify FICHIER.pdf",
        ),
        attachments=(
            Attachment(
                ATTACHMENT_NAME,
                canonical_json(envelope),
                "application/json",
                "Attestation signée (Ed25519) par le service",
            ),
        ),
        producer=renderer_id(),
    )


def _identity_blocks(att: Mapping[str, Any], title: str, full_name: str) -> list[Any]:
    """The head of every attestation: title, validity, the assuré, the caisse."""
    from ameli_cli.render.pdf_model import Fields, Heading, Notice, Paragraph, Spacer

    who = att["assure"]
    org = att["organisme"]
    return [
        Paragraph(title, size=15, bold=True),
        Paragraph(
            f"Délivrée le {_page_date(att['issue_date'])} par {org['name']}",
            size=9.5,
            color=(90,) * 3,
        ),
        Spacer(2),
        Notice(f"Attestation valable jusqu'au {_page_date(att['valid_until'])}"),
        Heading("Assuré(e)"),
        Fields(
            (
                ("Nom et prénoms", full_name),
                ("Date de naissance", _page_date(who["birth_date"])),
                ("N° de sécurité sociale (NIR)", _nir(who["nir"])),
            )
        ),
        Heading("Organisme d'affiliation"),
        Fields(
            (
                ("Caisse", org["name"]),
                ("Code organisme", org["code"]),
                ("Régime", f"{org['regime']} – {org['regime_label']}"),
                (
                    "Taux de remboursement",
                    f"{org['reimbursement_rate']} %"
                    + (" (régime local Alsace-Moselle)" if org.get("local_regime") else ""),
                ),
            )
        ),
    ]


def _droits_blocks(att: Mapping[str, Any], Heading: Any, Paragraph: Any, Table: Any) -> list[Any]:
    rights = att["rights"]
    blocks: list[Any] = [
        Heading("Droits"),
        Paragraph(
            f"Droits ouverts à l'assurance maladie du {_page_date(rights['start'])}"
            f" au {_page_date(rights['end'])}."
        ),
        Heading("Bénéficiaires"),
        Table(
            ("Rang", "Nom", "Prénoms", "Né(e) le", "Qualité", "Médecin traitant"),
            tuple(
                (
                    b["rank"],
                    b["last_name"],
                    b["first_names"],
                    _page_date(b["birth_date"]),
                    RELATIONSHIPS.get(b["relationship"], b["relationship"]),
                    "déclaré" if b["medecin_traitant"] else "non déclaré",
                )
                for b in att["beneficiaries"]
            ),
            (12, 38, 42, 22, 24, 0),
        ),
        Heading("Mentions"),
    ]
    mentions = att.get("mentions", [])
    if not mentions:
        blocks.append(Paragraph("Aucune mention particulière."))
    for m in mentions:
        period = f"du {_page_date(m['start'])} au {_page_date(m['end'])}"
        if m["kind"] == "ald":
            head = f"Bénéficiaire {m['rank']} – ALD {period} : exonération du ticket modérateur"
        elif m["kind"] == "css":
            head = f"Bénéficiaire {m['rank']} – complémentaire santé solidaire (CSS) {period}"
        else:
            head = f"Bénéficiaire {m['rank']} – {m['kind']}, {period}"
        blocks.append(Paragraph(head, bold=True))
        kind_label = {"ald": "Affection de longue durée : "}.get(m["kind"], "")
        blocks.append(Paragraph(kind_label + m["label"]))
    return blocks


def _ij_blocks(att: Mapping[str, Any], Heading: Any, Paragraph: Any, Table: Any) -> list[Any]:
    period = att["period"]
    totals = att["totals"]
    rows = tuple(
        (
            f"{_page_date(p['period_start'])} – {_page_date(p['period_end'])}",
            str(p["days"]),
            _amount(p["daily_gross_cents"]),
            _amount(p["gross_cents"]),
            _amount(p["csg_crds_cents"]),
            _amount(p["net_cents"]),
            _page_date(p["paid_on"]),
        )
        for p in att["payments"]
    )
    total = (
        "Total",
        str(totals["days"]),
        "",
        _amount(totals["gross_cents"]),
        _amount(totals["csg_crds_cents"]),
        _amount(totals["net_cents"]),
        "",
    )
    return [
        Heading("Indemnités journalières versées"),
        Paragraph(
            f"Paiements du {_page_date(period['start'])} au {_page_date(period['end'])}"
            " (arrêt de travail pour maladie)."
        ),
        Table(
            (
                "Période indemnisée",
                "Jours",
                "IJ / jour",
                "Brut",
                "CSG-CRDS",
                "Net versé",
                "Payé le",
            ),
            (*rows, total),
            (40, 12, 22, 24, 22, 24, 0),
            size=8.5,
            align_right=(1, 2, 3, 4, 5),
        ),
    ]


def _fiscale_blocks(att: Mapping[str, Any], Heading: Any, Notice: Any, Table: Any) -> list[Any]:
    return [
        Heading(f"Prestations imposables versées en {att['year']}"),
        Table(
            ("Nature", "Jours", "Montant brut", "Montant imposable"),
            tuple(
                (
                    line["label"],
                    str(line["days"]),
                    _amount(line["gross_cents"]),
                    _amount(line["taxable_cents"]),
                )
                for line in att["lines"]
            ),
            (80, 16, 36, 0),
            align_right=(1, 2, 3),
        ),
        Notice(
            f"Montant imposable à déclarer pour {att['year']} : {_amount(att['taxable_total_cents'])}"
        ),
    ]
