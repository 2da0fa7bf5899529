"""Query parameters, checked one way for every feature (issue 13).

A parameter we did not write is hostile: `int("²")` succeeds in Python, a 30-digit
number overflows SQLite, a 100 kB text costs a scan. Each helper accepts only what
its spec says (ASCII digits, ISO dates, bounded lengths, a known choice) and answers
a 400 problem naming the parameter otherwise. Absent means the default; present but
empty is refused, as the spec's types say (an empty string is not an integer).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from ameli_sandbox.http import Request
from ameli_sandbox.problems import Problem, bad_request

MAX_TEXT = 200


def _raw(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is not None and value == "":
        raise bad_request(f"{name} is empty; leave it out or give a value.", parameter=name)
    return value


def is_ascii_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def query_int(request: Request, name: str, *, default: int, low: int, high: int) -> int:
    """An integer from `low` to `high`, written in ASCII digits."""
    raw = _raw(request, name)
    if raw is None:
        return default
    if not is_ascii_digits(raw) or len(raw) > len(str(high)) or not low <= int(raw) <= high:
        raise bad_request(f"{name} is an integer from {low} to {high}.", parameter=name)
    return int(raw)


def query_optional_int(request: Request, name: str, *, low: int, high: int) -> int | None:
    raw = _raw(request, name)
    if raw is None:
        return None
    return query_int(request, name, default=low, low=low, high=high)


def query_date(request: Request, name: str) -> date | None:
    """An ISO date, YYYY-MM-DD exactly."""
    raw = _raw(request, name)
    if raw is None:
        return None
    try:
        if len(raw) != 10 or not raw.isascii():
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_request(f"{name} must be an ISO date (YYYY-MM-DD).", parameter=name) from None


def query_text(request: Request, name: str, *, max_length: int = MAX_TEXT) -> str | None:
    """Free text, bounded, without control characters."""
    raw = _raw(request, name)
    if raw is None:
        return None
    if len(raw) > max_length or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in raw):
        raise bad_request(
            f"{name} is text of at most {max_length} characters, without control characters.",
            parameter=name,
        )
    return raw


def query_choice(
    request: Request, name: str, choices: Collection[str], *, default: str | None = None
) -> str | None:
    raw = _raw(request, name)
    if raw is None:
        return default
    if raw not in choices:
        raise bad_request(
            f"{name} must be one of: {', '.join(choices)}.", parameter=name, allowed=list(choices)
        )
    return raw


def query_flag(request: Request, name: str) -> bool:
    """A boolean: true/false (1/0 and yes/no accepted too)."""
    raw = _raw(request, name)
    if raw is None:
        return False
    value = raw.lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise bad_request(f"{name} is true or false.", parameter=name)


def query_digits(request: Request, name: str, *, length: int) -> str | None:
    """A fixed-length code in ASCII digits (a beneficiary rank: 01, 02…)."""
    raw = _raw(request, name)
    if raw is None:
        return None
    if len(raw) != length or not is_ascii_digits(raw):
        raise bad_request(f"{name} is {length} digits.", parameter=name)
    return raw


def invalid_cursor() -> Problem:
    return Problem(
        400,
        "invalid_cursor",
        "Invalid cursor",
        "The cursor is not one this service returned.",
        parameter="cursor",
    )


def query_offset_cursor(request: Request, *, high: int = 10**9) -> int:
    """An offset-style cursor (a `next_cursor` that is a number)."""
    raw = _raw(request, "cursor")
    if raw is None:
        return 0
    if not is_ascii_digits(raw) or len(raw) > len(str(high)) or int(raw) > high:
        raise invalid_cursor()
    return int(raw)


def encode_cursor(*values: str | int) -> str:
    """An opaque keyset cursor: the sort key of the last row of a page."""
    import base64
    import json

    raw = json.dumps(list(values), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(raw: str, shape: tuple[type, ...]) -> tuple[Any, ...]:
    """The values `encode_cursor` wrote, checked against their types; 400 otherwise."""
    import base64
    import binascii
    import json

    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        raise invalid_cursor() from None
    if not isinstance(values, list) or len(values) != len(shape):
        raise invalid_cursor()
    for value, kind in zip(values, shape, strict=True):
        if type(value) is not kind:
            raise invalid_cursor()
        if isinstance(value, int) and not 0 <= value < 2**62:
            raise invalid_cursor()
        if isinstance(value, str) and len(value) > 100:
            raise invalid_cursor()
    return tuple(values)
