"""The compte ameli password policy, shared by the service (which enforces it) and the
CLI (which checks before sending, so a weak password costs no round trip).

*Invented*, close to what the real site asks (no published rule was found): 12 to 50
characters, at least one lower-case letter, one capital, one digit and one other
character, no spaces at either end, and neither the NIR nor the date of birth inside.
"""

from __future__ import annotations

MIN_LENGTH = 12
MAX_LENGTH = 50

# Stable codes (the service's `rules` list; the CLI words them in the user's language).
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
NO_LOWER = "no_lowercase"
NO_UPPER = "no_uppercase"
NO_DIGIT = "no_digit"
NO_OTHER = "no_special"
OUTER_SPACE = "outer_space"
CONTAINS_NIR = "contains_nir"
CONTAINS_BIRTH_DATE = "contains_birth_date"


def broken_rules(password: str, *, nir: str = "", birth_date: str = "") -> list[str]:
    """The rules this password breaks, in a stable order; [] when it is acceptable."""
    broken: list[str] = []
    if len(password) < MIN_LENGTH:
        broken.append(TOO_SHORT)
    if len(password) > MAX_LENGTH:
        broken.append(TOO_LONG)
    if not any(c.islower() for c in password):
        broken.append(NO_LOWER)
    if not any(c.isupper() for c in password):
        broken.append(NO_UPPER)
    if not any(c.isdigit() for c in password):
        broken.append(NO_DIGIT)
    if all(c.isalnum() for c in password):
        broken.append(NO_OTHER)
    if password != password.strip():
        broken.append(OUTER_SPACE)
    compact = "".join(password.split()).upper()
    if nir and len(nir) >= 13 and nir[:13].upper() in compact:
        broken.append(CONTAINS_NIR)
    if birth_date and _date_forms(birth_date) & _digit_runs(password):
        broken.append(CONTAINS_BIRTH_DATE)
    return broken


def _date_forms(birth_date: str) -> set[str]:
    """1984-03-14 → {19840314, 14031984}: the ways people write it without separators."""
    year, _, rest = birth_date.partition("-")
    month, _, day = rest.partition("-")
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return set()
    return {year + month + day, day + month + year}


def _digit_runs(password: str) -> set[str]:
    digits = "".join(c for c in password if c.isdigit())
    return {digits[i : i + 8] for i in range(max(0, len(digits) - 7))}
