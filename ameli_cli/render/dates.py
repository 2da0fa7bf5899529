"""Dates and times as a person in France reads them (`24/11/2026 15:18`)."""

from __future__ import annotations

from datetime import date, datetime


def local_time(iso: str, *, with_time: bool = True) -> str:
    """An ISO timestamp from the API, in the machine's time zone."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def display_date(iso: str | None) -> str:
    """An ISO date (or the date part of a timestamp) as dd/mm/yyyy; '' for none."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return iso
