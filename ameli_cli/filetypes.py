"""What a file is, from its bytes (never its name): JPEG, PNG or PDF, and an image's size.

Shared by the CLI (checks before sending) and the reference service (checks on
receipt); pure functions, no imports beyond the standard library, no messages.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"

LABELS = {JPEG: "JPEG", PNG: "PNG", PDF: "PDF"}

# Carte Vitale photo and ID document limits. Invented (ameli publishes none for the
# upload): 35×45 mm at about 250 dpi is 350×450 pixels.
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MIN_WIDTH = 350
PHOTO_MIN_HEIGHT = 450
ID_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = (JPEG, PNG)
ID_DOCUMENT_TYPES = (JPEG, PNG, PDF)


@dataclass(frozen=True)
class Sniffed:
    media_type: str | None  # None: not a type we know
    width: int | None = None
    height: int | None = None


def sniff(data: bytes) -> Sniffed:
    """The media type by magic bytes, with the pixel size for images."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG, *_png_size(data))
    if data.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG, *_jpeg_size(data))
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return Sniffed(PDF)
    return Sniffed(None)


def _png_size(data: bytes) -> tuple[int | None, int | None]:
    # The first chunk is IHDR: length (4), type (4), width (4), height (4).
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None, None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[int | None, int | None]:
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None, None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker in _SOF:
            if i + 9 > len(data):
                return None, None
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        if marker == 0xDA:  # start of scan before any frame header
            return None, None
        i += 2 + length
    return None, None
