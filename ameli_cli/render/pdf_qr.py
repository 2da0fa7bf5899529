"""The QR code of a one-page PDF (render/pdf.py), drawn straight into fpdf2's page:
encoded by zxing-cpp, painted as one inline image mask."""

from __future__ import annotations

from typing import Any


def draw_qr(pdf: Any, text: str, x: float, y: float, size: float) -> None:
    """A QR code as one inline image mask, one bit a module, scaled to `size` mm.
    Encoded by zxing-cpp (compiled): segno, pure Python, took 4-5x as long. Drawn as an
    image rather than a path: a path needs an operator per run of dark modules (about
    1,300 for an attestation's QR, a third of a page's CPU time to format); the image
    is packed by a few C calls. Viewers do not smooth an image mask (no /Interpolate),
    so the modules stay sharp at any zoom. The encoder's version is part of
    `renderer_id()`: the same data must give the same bytes."""
    import zxingcpp

    # Mask pattern 0 is given rather than searched for: the search (8 masks scored
    # by the standard's penalty rules) was 85 % of the encoding time (1.4 of 1.65 ms,
    # the largest cost of a page). The payload is deflated, so its modules look random
    # under any mask; scanners read the page as before (tests/test_attestation.py
    # decodes it with zbar and zxing). The `options` string also holds the level: the
    # mask alone there is not applied.
    symbol = zxingcpp.create_barcode(
        text, zxingcpp.BarcodeFormat.QRCode, ec_level="M", options="ecLevel=M,dataMask=0"
    )
    # One byte a module, row by row: 0 is dark, 255 light.
    # An Image with the buffer protocol (its stubs do not say so).
    image: Any = symbol.to_image(scale=1, add_quiet_zones=False)
    count = int(image.shape[0])
    # An image mask paints where a bit is 0 (/Decode [0 1]): dark module -> bit 0.
    bits = bytes(image).translate(_MODULE_BITS)
    pad = b"1" * (-count % 8)
    rows = b"".join(bits[r * count : (r + 1) * count] + pad for r in range(count))
    packed = int(rows, 2).to_bytes(len(rows) // 8, "big")
    side = size * pdf.k
    pdf._out(
        f"q 0 g {side:.2f} 0 0 {side:.2f} {x * pdf.k:.2f} {(pdf.h - y - size) * pdf.k:.2f} cm"
        f" BI /W {count} /H {count} /IM true /BPC 1 /F /AHx ID {packed.hex()}> EI Q"
    )
    # fpdf2 has no public call for an inline image; `_out` writes to the current
    # page's content stream.


_MODULE_BITS = bytes.maketrans(b"\x00\xff", b"01")
