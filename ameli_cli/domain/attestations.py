"""Attestations on the client: the signed envelope, its signature, its QR payload, and
the local caches (attestations per profile, public keys). The page drawn from an
envelope is render/attestation_pdf.py.

An envelope is what `GET /v1/attestations/{type}` returns:
`{"attestation": {...}, "signature": {"alg": "Ed25519", "key_id": …, "value": …}}`.
The signature covers the canonical JSON of `attestation` (sorted keys, no spaces,
UTF-8). The PDF carries the whole envelope twice: as an attachment
(`attestation.json`, read back by `attestation verify`) and in the QR code
(`AMELI1:` + base45 of the zlib-compressed canonical envelope).

Imports here are light; cryptography and fpdf2 are imported where they are used.
The page text is the French document the caisse issues (lang fr-FR), not translated
by `_()`: the same data must give the same bytes whatever the user's language.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ameli_cli.runtime.private_files import write_atomic
from ameli_rules import ATTESTATION_TYPES

if TYPE_CHECKING:
    from ameli_cli.records import SignedAttestation, SigningKeys

# Signed the same way: the relevés mensuels (domain/releves.py draws their page).
SIGNED_TYPES = (*ATTESTATION_TYPES, "releve")
ATTACHMENT_NAME = "attestation.json"
QR_PREFIX = "AMELI1:"

# -- canonical form and signature ---------------------------------------------------------


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes the service signs."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signature_valid(envelope: Mapping[str, Any], keys: dict[str, str]) -> bool:
    """True when the envelope's signature checks with the service key it names.

    `keys` maps key_id to the raw Ed25519 public key, base64url (from /v1/keys)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        signature = envelope["signature"]
        public = keys[signature["key_id"]]
        key = Ed25519PublicKey.from_public_bytes(_b64url_decode(public))
        key.verify(_b64url_decode(signature["value"]), canonical_json(envelope["attestation"]))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False
    return True


def is_envelope(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("attestation"), dict)
        and isinstance(data.get("signature"), dict)
        and data["attestation"].get("type") in SIGNED_TYPES
    )


# -- QR payload (base45, RFC 9285) --------------------------------------------------------


def base45_encode(data: bytes) -> str:
    import base45

    return str(base45.b45encode(data).decode("ascii"))


def base45_decode(text: str) -> bytes:
    import base45

    return bytes(base45.b45decode(text))


# A preset deflate dictionary: the field names and fixed strings of an envelope. It
# halves the compressed size of a typical attestation (1,285 -> 347 bytes), so the QR
# drops from version 20 to 14 and segno encodes it in half the time. Part of the
# AMELI1 format: never change it; a new dictionary needs a new prefix.
_QR_ZDICT = canonical_json(
    {
        "attestation": {
            "format": 1,
            "id": "att_",
            "type": "droits",
            "issued_at": "2026-01-01T00:00:00Z",
            "issue_date": "2026-",
            "valid_until": "2026-",
            "assure": {"nir": "1", "last_name": "", "first_names": "", "birth_date": "19"},
            "organisme": {
                "code": "01",
                "name": "CPAM de ",
                "regime": "01",
                "regime_label": "Régime général",
                "local_regime": False,
                "reimbursement_rate": 70,
                "address_lines": ["rue "],
                "postal_code": "",
                "city": " Cedex",
            },
            "rights": {"start": "20", "end": "20"},
            "beneficiaries": [
                {
                    "rank": "01",
                    "last_name": "",
                    "first_names": "",
                    "birth_date": "",
                    "relationship": "assure",
                    "medecin_traitant": True,
                },
                {"rank": "02", "relationship": "enfant", "medecin_traitant": False},
                {"relationship": "conjoint"},
            ],
            "mentions": [
                {
                    "kind": "ald",
                    "rank": "01",
                    "label": "",
                    "start": "",
                    "end": "",
                    "ticket_moderateur_exempt": True,
                },
                {"kind": "css"},
            ],
        },
        "signature": {"alg": "Ed25519", "key_id": "ed25519-", "value": ""},
    }
)


def qr_payload(envelope: Mapping[str, Any]) -> str:
    """What the QR code carries: the signed envelope, deflated with a preset dictionary,
    in base45 (QR's alphanumeric set: 5.5 bits a character)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, _QR_ZDICT)
    packed = packer.compress(canonical_json(envelope)) + packer.flush()
    return QR_PREFIX + base45_encode(packed)


def envelope_from_qr(text: str) -> dict[str, Any]:
    """The envelope a scanned QR code carries (for a verifier that reads the image)."""
    if not text.startswith(QR_PREFIX):
        raise ValueError("not an ameli-cli QR payload")
    unpacker = zlib.decompressobj(15, _QR_ZDICT)
    raw = unpacker.decompress(base45_decode(text[len(QR_PREFIX) :])) + unpacker.flush()
    data: dict[str, Any] = json.loads(raw)
    return data


# -- the envelope in a PDF --------------------------------------------------------------


def extract_envelope(pdf: bytes) -> dict[str, Any] | None:
    """The signed envelope attached to a PDF drawn by `render_attestation`, or None.

    A small reader for our own output (the attachment is stored uncompressed): a PDF
    that passes verification must be byte-identical to a fresh rendering anyway."""
    for match in re.finditer(rb"/Type\s*/EmbeddedFile\s*>>\s*stream\r?\n", pdf):
        head = pdf.rfind(b" obj", 0, match.start())
        length = re.search(rb"/Length\s+(\d+)", pdf[max(head, 0) : match.start()])
        if length is None:
            continue
        raw = pdf[match.end() : match.end() + int(length.group(1))]
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            continue
        if is_envelope(data):
            return dict(data)
    return None


# -- file names ------------------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "’": "-",
        "'": "-",
    }
)


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-") or "x"


def default_file_name(envelope: Mapping[str, Any]) -> str:
    """A file name from the server's fields: each goes through `safe_name`, since a
    crafted service could put `/../../x` in a year or a date."""
    from ameli_cli.runtime.safe_paths import safe_name

    att = envelope["attestation"]
    extra = f"-{safe_name(str(att.get('year')))}" if att.get("type") == "fiscale" else ""
    name = "attestation-{kind}{extra}-{last}-{issued}.pdf".format(
        kind=slug(str(att.get("type"))),
        extra=extra,
        last=slug(str(att.get("assure", {}).get("last_name"))),
        issued=safe_name(str(att.get("issue_date"))),
    )
    return safe_name(name)


# -- caches ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CacheKey:
    kind: str
    beneficiary: str  # "all" or a rank
    year: int | None

    def file_name(self) -> str:
        year = f"-{self.year}" if self.year is not None else ""
        return f"{self.kind}-{self.beneficiary}{year}.json"


def cache_path(cache_dir: Path, key: CacheKey) -> Path:
    return cache_dir / key.file_name()


def save_cached(cache_dir: Path, key: CacheKey, envelope: SignedAttestation) -> Path:
    return write_atomic(cache_path(cache_dir, key), canonical_json(envelope))


def load_cached(cache_dir: Path, key: CacheKey) -> dict[str, Any] | None:
    try:
        data = json.loads(cache_path(cache_dir, key).read_bytes())
    except (OSError, ValueError):
        return None
    return dict(data) if is_envelope(data) else None


def keys_cache_file(cache_dir: Path, backend: str) -> Path:
    return cache_dir / "keys" / f"{slug(backend)}.json"


def load_keys(path: Path) -> dict[str, str]:
    """The cached public keys; a damaged cache counts as empty (fetched again, rewritten)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        return {}
    return {
        str(k["key_id"]): str(k["public_key"])
        for k in keys
        if isinstance(k, dict) and isinstance(k.get("key_id"), str) and "public_key" in k
    }


def save_keys(path: Path, published: SigningKeys) -> dict[str, str]:
    write_atomic(path, canonical_json(published))
    return load_keys(path)


def expired(envelope: Mapping[str, Any], today: date) -> bool:
    return str(envelope["attestation"]["valid_until"]) < today.isoformat()
