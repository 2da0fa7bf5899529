"""Reading the signed data back from a file someone hands `attestation verify`: our own
PDF, the same PDF re-saved by another tool, or a scan or photo of the printed page.

1. Our fast reader (attestations.extract_envelope): the attachment of a PDF as we wrote it.
2. A real PDF parser (pypdf) when that fails: another tool re-saved the file (compressed
   streams, object streams, another cross-reference table): its attachments, then a QR
   code in the page's images.
3. An image file (PNG or JPEG): the QR code read by zxing-cpp.

Only `verify` imports this module; pypdf, Pillow and zxing-cpp are imported here,
inside the functions. Every parser here reads hostile bytes: whatever they raise
means "no signed data found", never a traceback.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from ameli_cli.domain.attestations import QR_PREFIX, envelope_from_qr, extract_envelope, is_envelope

MAX_PAGES = 4  # an attestation has one page; a re-saved one is not longer
MAX_IMAGES = 16  # images looked at for a QR code, over all pages


@dataclass(frozen=True)
class SignedData:
    envelope: dict[str, Any]
    # Where it was read: "attachment" (our own PDF, fast reader), "pdf" (a re-saved PDF
    # read by pypdf: an attachment or the QR of one of its images), "qr" (image file).
    source: str


def read_signed_data(data: bytes) -> SignedData | None:
    """The signed envelope a PDF or an image carries, or None."""
    from ameli_rules.filetypes import JPEG, PDF, PNG, sniff

    media_type = sniff(data).media_type
    if media_type == PDF:
        envelope = extract_envelope(data)
        if envelope is not None:
            return SignedData(envelope, "attachment")
        envelope = _from_pdf_parser(data)
        return SignedData(envelope, "pdf") if envelope is not None else None
    if media_type in (PNG, JPEG):
        envelope = _from_image_file(data)
        return SignedData(envelope, "qr") if envelope is not None else None
    return None


def _quiet_pypdf() -> None:
    """pypdf logs each oddity of a damaged file as a warning: not the user's business."""
    import logging

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)


def _from_pdf_parser(data: bytes) -> dict[str, Any] | None:
    import warnings

    _quiet_pypdf()
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            for contents in reader.attachments.values():
                for raw in contents:
                    envelope = _envelope_from_json(raw)
                    if envelope is not None:
                        return envelope
            seen = 0
            for page in list(reader.pages)[:MAX_PAGES]:
                for image in page.images:
                    seen += 1
                    if seen > MAX_IMAGES:
                        return None
                    envelope = _from_pil(image.image)
                    if envelope is not None:
                        return envelope
    except Exception:  # a parser of hostile bytes: any failure is "not found"
        return None
    return None


def _envelope_from_json(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return dict(data) if is_envelope(data) else None


def _from_image_file(data: bytes) -> dict[str, Any] | None:
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                return _from_pil(image)
    except Exception:  # hostile bytes: any failure is "no QR code read"
        return None


def _from_pil(image: Any) -> dict[str, Any] | None:
    """The envelope of the first of our QR codes zxing-cpp reads in an image."""
    import zxingcpp

    if image is None:
        return None
    try:
        gray = image.convert("L")
        found = zxingcpp.read_barcodes(gray)
    except Exception:  # an image mode or size zxing-cpp refuses
        return None
    for barcode in found:
        text = barcode.text
        if not text.startswith(QR_PREFIX):
            continue
        try:
            envelope = envelope_from_qr(text)
        except Exception:  # base45, zlib or JSON of a crafted code
            continue
        if is_envelope(envelope):
            return dict(envelope)
    return None


@dataclass(frozen=True)
class PageText:
    producer: str  # the /Producer of the document information ("" when none)
    words: list[str]


def page_text(pdf: bytes) -> PageText | None:
    """The words printed on a PDF's pages (pypdf's text extraction) and what says it
    drew them, or None when the file cannot be read: compared with a fresh drawing,
    it tells an edited page from a page re-saved by another tool (other bytes, same
    words)."""
    import warnings

    _quiet_pypdf()
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(pdf))
            text = " ".join(page.extract_text() for page in list(reader.pages)[:MAX_PAGES])
            metadata = reader.metadata
            producer = str(metadata.get("/Producer") or "") if metadata is not None else ""
    except Exception:  # a parser of hostile bytes
        return None
    return PageText(producer, text.split())
