"""Every document the compte offers, under one stable name each, and the sync manifest.

Kinds (the `--kind` values): `attestation-droits` (one per beneficiary),
`attestation-ij` (sick pay over the last 12 months), `releve-fiscal` (last year's
taxable IJ), `releve-mensuel` (27 closed months), `ceam-certificat` (provisional
CEAM certificates), `piece-jointe` (message attachments).

A document's file is relative to the sync directory and never changes for the same
document (`releves/2026/releve-mensuel-2026-11.pdf`), so a second sync finds it. Names
built from server data (attachment file names, ids) go through `safe_name`, and every
path through `path_inside` when it is written.

The manifest (`manifest.json` in the directory) records, per document: kind, id, file,
digest (`sha256:…` of the file), valid_until (attestations) and when it was fetched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ameli_cli.runtime.safe_paths import safe_name

if TYPE_CHECKING:
    from ameli_cli.api.client import AmeliClient

KINDS = (
    "attestation-droits",
    "attestation-ij",
    "releve-fiscal",
    "releve-mensuel",
    "ceam-certificat",
    "piece-jointe",
)
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Document:
    kind: str
    id: str
    title: str
    date: str  # what --since compares: issue day, first day of the month, message day
    file: str  # relative to the sync directory, always with "/"
    source: dict[str, Any]  # how to fetch it (kind-specific)

    def public(self) -> dict[str, Any]:
        """The `--json` record: everything but the fetch details."""
        return {k: v for k, v in asdict(self).items() if k != "source"}


def catalogue(client: AmeliClient, today: date, nir: str | None = None) -> Iterator[Document]:
    """Every document the compte offers now, in a stable order."""
    me = client.fetch_me() if nir is None else None
    ranks = list(me["beneficiaries"]) if me is not None else []
    for who in ranks:
        rank = who["rank"]
        yield Document(
            "attestation-droits",
            f"droits-{rank}",
            f"Attestation de droits – {who['first_names']} {who['last_name']} ({rank})",
            today.isoformat(),
            f"attestations/attestation-droits-{safe_name(rank)}.pdf",
            {"type": "droits", "beneficiary": rank},
        )
    yield from _sick_pay_documents(client, today, nir)
    releves = client.list_releves(nir=nir)
    for item in releves["items"]:
        month = item["month"]
        yield Document(
            "releve-mensuel",
            f"releve-{month}",
            f"Relevé mensuel de paiements – {month}",
            f"{month}-01",
            f"releves/{month[:4]}/releve-mensuel-{month}.pdf",
            {"releve_id": item["id"]},
        )
    yield from _ceam_documents(client, nir)
    yield from _attachments(client, nir)


def _paid_ij(client: AmeliClient, first: date, last: date, nir: str | None) -> bool:
    filters = {"since": first.isoformat(), "until": last.isoformat(), "kind": "ij", "nir": nir}
    return any(True for _ in client.list_payments(filters, limit=1))


def _sick_pay_documents(client: AmeliClient, today: date, nir: str | None) -> Iterator[Document]:
    from datetime import timedelta

    if _paid_ij(client, today - timedelta(days=365), today, nir):
        yield Document(
            "attestation-ij",
            "ij-12-mois",
            "Attestation de paiement des indemnités journalières (12 derniers mois)",
            today.isoformat(),
            "attestations/attestation-ij.pdf",
            {"type": "ij"},
        )
    year = today.year - 1
    if _paid_ij(client, date(year, 1, 1), date(year, 12, 31), nir):
        yield Document(
            "releve-fiscal",
            f"fiscale-{year}",
            f"Relevé fiscal {year}",
            f"{year + 1}-01-01",
            f"attestations/releve-fiscal-{year}.pdf",
            {"type": "fiscale", "year": year},
        )


def _ceam_documents(client: AmeliClient, nir: str | None) -> Iterator[Document]:
    for who in client.fetch_ceam(nir=nir).get("beneficiaries", []):
        certificate = who.get("certificate")
        if not certificate:
            continue
        rank, start = safe_name(str(who["rank"])), safe_name(str(certificate["valid_from"]))
        yield Document(
            "ceam-certificat",
            f"ceam-{rank}-{start}",
            f"Certificat provisoire de remplacement de la CEAM ({rank})",
            str(certificate["valid_from"]),
            f"ceam/certificat-provisoire-ceam-{rank}-{start}.pdf",
            {"certificate": certificate},
        )


def _attachments(client: AmeliClient, nir: str | None) -> Iterator[Document]:
    for summary in client.list_messages(nir=nir):
        conversation = client.fetch_message(summary["id"], nir=nir)
        folder = safe_name(str(summary["id"]))
        for message in conversation.get("messages", []):
            for attachment in message.get("attachments", []):
                ident = safe_name(str(attachment["id"]))
                name = safe_name(str(attachment["filename"]))
                yield Document(
                    "piece-jointe",
                    f"pj-{folder}-{ident}",
                    f"{name} ({conversation.get('subject', '')})",
                    str(message.get("created_at") or summary["created_at"])[:10],
                    f"messages/{folder}/{ident}-{name}",
                    {
                        "conversation": summary["id"],
                        "attachment": attachment["id"],
                        "sha256": attachment.get("sha256"),
                    },
                )


# -- manifest ------------------------------------------------------------------------


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def load_manifest(directory: Path) -> dict[str, dict[str, Any]]:
    """Entries by document id; {} for a new directory. A corrupt manifest raises
    ValueError (the caller says which file and how to start over)."""
    path = directory / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ValueError("not a manifest")
    return {str(entry["id"]): dict(entry) for entry in data["documents"] if isinstance(entry, dict)}


def save_manifest(directory: Path, entries: dict[str, dict[str, Any]]) -> None:
    from ameli_cli.runtime.private_files import write_atomic

    documents = sorted(entries.values(), key=lambda e: (str(e["kind"]), str(e["id"])))
    body = {"format": MANIFEST_FORMAT, "documents": documents}
    text = json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(directory / MANIFEST, text.encode("utf-8"))
