"""RPPS numbers (Répertoire partagé des professionnels de santé): 11 digits, the last
one a Luhn check digit over the first ten.

python-stdnum 2.2 has no RPPS (nor ADELI) module; its generic `stdnum.luhn` does the
key. Shared by the CLI (checks before sending) and the reference service.
"""

from __future__ import annotations

LENGTH = 11


def compact(text: str) -> str:
    return "".join(text.split())


def problem(text: str) -> str | None:
    """None when `text` is a valid RPPS number, else what is wrong with it:
    "length", "digits" or "key"."""
    from stdnum import luhn
    from stdnum.exceptions import ValidationError

    number = compact(text)
    if not (number.isascii() and number.isdigit()):
        return "digits"
    if len(number) != LENGTH:
        return "length"
    try:
        luhn.validate(number)
    except ValidationError:
        return "key"
    return None


def with_key(first10: str) -> str:
    """The full number from its first ten digits (for seed data)."""
    from stdnum import luhn

    return first10 + luhn.calc_check_digit(first10)
