"""The document model the PDF renderer draws (`render_pdf` in render/pdf.py): a
one-page document as plain frozen records — headings, paragraphs, label/value fields,
tables, a highlighted notice, attachments — so that attestations, relevés and the
CEAM certificate describe their page without knowing fpdf2, and the same Document
always gives the same bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

BLACK = (0, 0, 0)


@dataclass(frozen=True)
class Heading:
    text: str
    size: float = 11.0


@dataclass(frozen=True)
class Paragraph:
    text: str
    size: float = 9.5
    bold: bool = False
    color: tuple[int, int, int] = BLACK


@dataclass(frozen=True)
class Fields:
    """Label / value pairs in two columns."""

    rows: tuple[tuple[str, str], ...]
    label_width: float = 48.0
    size: float = 9.5


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # mm; the last column takes what is left if 0
    size: float = 9.0
    align_right: tuple[int, ...] = ()  # column indexes


@dataclass(frozen=True)
class Notice:
    """A highlighted box, e.g. the validity line."""

    text: str
    size: float = 11.0


@dataclass(frozen=True)
class Spacer:
    height: float = 3.0


Block = Heading | Paragraph | Fields | Table | Notice | Spacer


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    mime_type: str = "application/json"
    description: str = ""


@dataclass(frozen=True)
class Document:
    title: str
    author: str
    created: datetime  # timezone-aware; from the data, for identical bytes
    blocks: tuple[Block, ...]
    subject: str = ""
    lang: str = "fr-FR"
    banner: str = ""  # top-left, in colour
    header_lines: tuple[str, ...] = ()  # top-left under the banner (the issuer)
    qr_text: str | None = None
    qr_caption: tuple[str, ...] = ()
    footer_lines: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    producer: str = "ameli-cli"
