"""What a file is, from its bytes (never its name): JPEG, PNG or PDF, and an image's size.

Shared by the CLI (checks before sending) and the reference service (checks on
receipt); pure functions, no messages.
"""

from __future__ import annotations

from typing import NamedTuple

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


class Sniffed(NamedTuple):
    """What a file is by its content (a NamedTuple: the service imports this module at
    every start, where a frozen dataclass costs more to define; issue 18)."""

    media_type: str | None  # None: not a type we know
    width: int | None = None
    height: int | None = None


def sniff(data: bytes) -> Sniffed:
    """The media type from the content, with the pixel size for images.

    Pillow reads only the image header here (`Image.open` is lazy), and is imported
    only by the commands and routes that receive files.
    """
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return Sniffed(PDF)
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
            media_type = {"JPEG": JPEG, "PNG": PNG}.get(image.format or "")
            width, height = image.size
    except Exception:  # not an image Pillow can read as JPEG or PNG (or a bomb)
        return Sniffed(None)
    return Sniffed(media_type, width, height) if media_type else Sniffed(None)
