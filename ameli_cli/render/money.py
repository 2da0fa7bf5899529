"""Amounts as a person in France reads them: the API's integer cents → `1 234,56 €`."""

from __future__ import annotations


def euros(cents: int | None, *, space: str = " ") -> str:
    """1234567 → '12 345,67 €' (French grouping and decimal comma); '' for none.
    `space="\xa0"` keeps the amount on one line in a PDF."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    units, hundredths = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", space)
    return f"{sign}{grouped},{hundredths:02d}{space}€"
