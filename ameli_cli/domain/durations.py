"""Durations and relative dates as users type them: `7d`, `12h`, `2w`, `6m`."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

_DURATION = re.compile(r"^\s*(\d{1,6})\s*([smhdw])\s*$", re.IGNORECASE | re.ASCII)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str, *, option: str) -> timedelta:
    match = _DURATION.match(text)
    if not match:
        raise UsageError(
            _("{option} : « {value} » n'est pas une durée (exemples : 30m, 12h, 7d, 2w).").format(
                option=option, value=text
            )
        )
    return timedelta(seconds=int(match.group(1)) * _SECONDS[match.group(2).lower()])


_RELATIVE_DATE = re.compile(r"^\s*(\d{1,4})\s*([dwmy])\s*$", re.IGNORECASE | re.ASCII)


def parse_date(text: str, *, option: str, today: date) -> date:
    """An ISO date, or a time ago: `30d`, `2w`, `6m`, `1y`."""
    match = _RELATIVE_DATE.match(text)
    if match:
        try:
            return _ago(today, int(match.group(1)), match.group(2).lower())
        except (ValueError, OverflowError):
            raise UsageError(
                _(
                    "{option} : « {value} » remonte avant l'an 1 ; donnez une durée plus courte."
                ).format(option=option, value=text)
            ) from None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            _("{option} : « {value} » n'est pas une date (AAAA-MM-JJ, ou 30d, 6m, 1y).").format(
                option=option, value=text
            )
        ) from None


def _ago(today: date, count: int, unit: str) -> date:
    if unit == "d":
        return today - timedelta(days=count)
    if unit == "w":
        return today - timedelta(weeks=count)
    months = count * (12 if unit == "y" else 1)
    year, month = divmod(today.month - 1 - months, 12)
    year += today.year
    month += 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
