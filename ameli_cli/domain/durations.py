"""One duration grammar for every option: `30s`, `30min`, `12h`, `7d`, `2w`, `6mo`, `1y`.

The same words everywhere (`sandbox advance 30min`, `paiements list --since 6mo`).
A bare `m` is refused: it means minutes to some people and months to others (the
issue found both meanings in this tool), so the message asks for `min` or `mo`.
As a length of time, a month counts 30 days and a year 365; as a date in the past
(`--since 6mo`), months and years go back on the calendar (30/11 → 31/05 → 30/05).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

GRAMMAR = "30min, 12h, 7d, 2w, 6mo, 1y"
# ASCII digits only, and few of them: `٣d` or `99999999y` are not durations.
_SPAN = re.compile(r"^\s*(\d{1,6})\s*(s|sec|min|h|d|j|w|mo|y|a|m)\s*$", re.IGNORECASE | re.ASCII)
# j (jour) and a (an) are the French letters for d and y.
_UNITS = {"s": "s", "sec": "s", "min": "min", "h": "h", "d": "d", "j": "d", "w": "w"}
_UNITS |= {"mo": "mo", "y": "y", "a": "y"}
_SECONDS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SECONDS |= {"mo": 30 * 86400, "y": 365 * 86400}


def _span(text: str, *, option: str) -> tuple[int, str] | None:
    match = _SPAN.match(text)
    if not match:
        return None
    unit = match.group(2).lower()
    if unit == "m":
        count = match.group(1)
        raise UsageError(
            _(
                "{option} : « {value} » est ambigu ; écrivez {count}min (minutes) ou {count}mo"
                " (mois)."
            ).format(option=option, value=text.strip(), count=count)
        )
    return int(match.group(1)), _UNITS[unit]


def parse_duration(text: str, *, option: str) -> timedelta:
    span = _span(text, option=option)
    if span is None:
        raise UsageError(
            _("{option} : « {value} » n'est pas une durée (exemples : {grammar}).").format(
                option=option, value=text, grammar=GRAMMAR
            )
        )
    count, unit = span
    return timedelta(seconds=count * _SECONDS[unit])


def parse_date(text: str, *, option: str, today: date | Callable[[], date]) -> date:
    """An ISO date, or a time ago in the one grammar: `30d`, `2w`, `6mo`, `1y`."""
    span = _span(text, option=option)
    if span is not None:
        count, unit = span
        if callable(today):  # asked only now: it may cost a request to the service
            today = today()
        try:
            if unit in ("mo", "y"):
                return months_before(today, count * (12 if unit == "y" else 1))
            return today - timedelta(seconds=count * _SECONDS[unit])
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
            _("{option} : « {value} » n'est pas une date (AAAA-MM-JJ, ou 30d, 6mo, 1y).").format(
                option=option, value=text
            )
        ) from None


def months_before(today: date, months: int) -> date:
    year, month = divmod(today.month - 1 - months, 12)
    year += today.year
    month += 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
