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
from datetime import UTC, date, datetime
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


def signature_valid(envelope: Mapping[str, Any], keys: Mapping[str, Mapping[str, Any]]) -> bool:
    """True when the envelope's signature checks with the service key it names.

    `keys` maps key_id to its record from /v1/keys (`public_key`: raw Ed25519, base64url)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        signature = envelope["signature"]
        public = keys[signature["key_id"]]["public_key"]
        key = Ed25519PublicKey.from_public_bytes(_b64url_decode(public))
        key.verify(_b64url_decode(signature["value"]), canonical_json(envelope["attestation"]))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False
    return True


def check_signature(envelope: Mapping[str, Any], keys: Mapping[str, Mapping[str, Any]]) -> str:
    """`valid`, `unknown_key` (no key of that id among those the service published),
    `bad_signature`, or `key_not_valid` (signed by a key retired before the document's
    `issued_at`: a retired key may have leaked, what it signs afterwards is not ours)."""
    if not signature_well_formed(envelope):
        return "bad_signature"
    if envelope["signature"]["key_id"] not in keys:
        return "unknown_key"
    if not signature_valid(envelope, keys):
        return "bad_signature"
    retired = _instant(keys[envelope["signature"]["key_id"]].get("valid_until"))
    issued = _instant(envelope["attestation"].get("issued_at"))
    if retired is not None and issued is not None and issued > retired:
        return "key_not_valid"
    return "valid"


def signature_well_formed(envelope: Mapping[str, Any]) -> bool:
    """A key id and a 64-byte Ed25519 signature: anything else was never signed."""
    signature = envelope["signature"]
    key_id, value = signature.get("key_id"), signature.get("value")
    if not isinstance(key_id, str) or not key_id or not isinstance(value, str):
        return False
    try:
        return len(_b64url_decode(value)) == 64
    except ValueError:
        return False


def _instant(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# The CEAM provisional certificate is signed like an attestation (the same keys); its
# envelope is `{"attestation": <the certificate>, "signature": …}`, told apart by `kind`.
CEAM_KIND = "ceam_provisional_certificate"


def document_kind(envelope: Mapping[str, Any]) -> str:
    """`droits`, `ij`, `fiscale`, `releve`, or `ceam` for the CEAM certificate."""
    document = envelope["attestation"]
    return "ceam" if document.get("kind") == CEAM_KIND else str(document.get("type"))


def is_envelope(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("attestation"), dict)
        and isinstance(data.get("signature"), dict)
        and (
            data["attestation"].get("type") in SIGNED_TYPES
            or data["attestation"].get("kind") == CEAM_KIND
        )
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


class KeysCacheCorrupt(Exception):
    """The keys cache exists but is not what save_keys writes."""


def load_keys(path: Path) -> dict[str, dict[str, Any]]:
    """The keys this backend has published to us, by key_id (none when no cache yet)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise KeysCacheCorrupt(str(exc)) from None
    try:
        entries = json.loads(raw)["keys"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        raise KeysCacheCorrupt("not a keys file") from None
    well_formed = isinstance(entries, list) and all(
        isinstance(k, dict)
        and isinstance(k.get("key_id"), str)
        and isinstance(k.get("public_key"), str)
        for k in entries
    )
    if not well_formed:
        raise KeysCacheCorrupt("not a keys file")
    return {k["key_id"]: dict(k) for k in entries}


def save_keys(
    path: Path, published: SigningKeys, known: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    """Add what the service publishes now to the keys seen before (a backend that
    forgot a key must not make what it signed unverifiable); a key published again
    takes its new record (it may have been retired since)."""
    merged: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (known or {}).items()}
    for key in published.get("keys", []):
        if isinstance(key, dict) and isinstance(key.get("key_id"), str):
            merged[key["key_id"]] = dict(key)
    ordered = sorted(merged.values(), key=lambda k: (str(k.get("created_at")), k["key_id"]))
    write_atomic(path, canonical_json({"keys": ordered}))
    return merged


def verified_attestation_file(
    path: str | Path, keys: Mapping[str, Mapping[str, Any]], nir: str, kind: str
) -> bool:
    """Whether a file a previous batch wrote is the genuine attestation `kind` of `nir`:
    a whole PDF, signed data that checks with a known key, the right NIR and type.
    The fast reader first (about 0.5 ms a file, most of it the Ed25519 check); pypdf
    only for a file another tool re-saved."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SIGNED_FILE_BYTES + 1)
    except OSError:
        return False
    whole = data.startswith(b"%PDF-") and b"%%EOF" in data[-32:]
    if not whole or len(data) > MAX_SIGNED_FILE_BYTES:
        return False
    envelope = extract_envelope(data)
    if envelope is None:
        from ameli_cli.domain.signed_files import read_signed_data

        found = read_signed_data(data)
        if found is None:
            return False
        envelope = found.envelope
    document = envelope["attestation"]
    assure = document.get("assure")
    return (
        document.get("type") == kind
        and isinstance(assure, dict)
        and assure.get("nir") == nir
        and check_signature(envelope, keys) == "valid"
    )


MAX_SIGNED_FILE_BYTES = 20 * 1024 * 1024  # an attestation is ~10 kB; a scan, a few MB


def expired(envelope: Mapping[str, Any], today: date) -> bool:
    return str(envelope["attestation"]["valid_until"]) < today.isoformat()
