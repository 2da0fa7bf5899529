"""Checks on what the user types, before anything is sent."""

from __future__ import annotations

import contextlib

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _
from ameli_rules.rib import rib_key_valid


def parse_nir(text: str, *, option: str = "--nir") -> str:
    """A NIR with spaces or not, 13 characters (the key is computed) or 15 (checked)."""
    from stdnum.exceptions import ValidationError
    from stdnum.fr import nir as nir_lib

    compact = "".join(text.split()).replace(".", "").replace("-", "").upper()
    if len(compact) == 13:
        with contextlib.suppress(ValueError, KeyError):  # reported by validate() below
            compact += nir_lib.calc_check_digits(compact)
    try:
        return str(nir_lib.validate(compact))
    except ValidationError as exc:
        if type(exc).__name__ == "InvalidChecksum":
            raise UsageError(
                _(
                    "{option} : la clé du NIR « {nir} » ne correspond pas aux 13 premiers"
                    " caractères ; vérifiez-les."
                ).format(option=option, nir=text.strip())
            ) from None
        raise UsageError(
            _(
                "{option} : « {nir} » n'est pas un NIR (13 caractères, ou 15 avec la clé ;"
                " Corse : 2A ou 2B)."
            ).format(option=option, nir=text.strip())
        ) from None


def mask_nir(nir: str) -> str:
    """`1 84 ** ** *** *** 42`: sex and birth year stay readable, the rest is hidden."""
    if len(nir) != 15:
        return "*" * len(nir)
    return f"{nir[0]} {nir[1:3]} ** ** *** *** {nir[13:]}"


def format_nir(nir: str) -> str:
    if len(nir) != 15:
        return nir
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


# -- profile fields (issue 7): e-mail, French phone, postal code, IBAN -------------------


def parse_iban(text: str, *, option: str = "--iban") -> str:
    """A valid IBAN (spaces allowed), compact; a French one also has a good RIB key."""
    from stdnum import iban as iban_lib
    from stdnum.exceptions import ValidationError

    compact = "".join(text.split()).replace("-", "").upper()
    try:
        number = str(iban_lib.validate(compact))
    except ValidationError as exc:
        kind = type(exc).__name__
        if kind == "InvalidChecksum":
            why = _("la clé IBAN (les 2 chiffres après le pays) ne correspond pas")
        elif kind in ("InvalidLength", "InvalidFormat"):
            why = _("longueur ou structure fausse pour ce pays (FR : 27 caractères)")
        else:
            why = _("pays ou structure inconnus")
        raise UsageError(
            _(
                "{option} : « {iban} » n'est pas un IBAN valide, {why} ; recopiez-le depuis votre RIB."
            ).format(option=option, iban=mask_iban(compact), why=why)
        ) from None
    if number.startswith(("FR", "MC")) and not rib_key_valid(number[4:]):
        raise UsageError(
            _(
                "{option} : la clé RIB (2 derniers chiffres) de « {iban} » ne correspond pas à la"
                " banque, au guichet et au compte ; recopiez l'IBAN depuis votre RIB."
            ).format(option=option, iban=mask_iban(number))
        )
    return number


def mask_iban(iban: str) -> str:
    """`FR14 **** **** **** **** ***2 606`: the country, key and last 4 characters stay."""
    compact = "".join(iban.split()).upper()
    if len(compact) <= 8:
        return "*" * len(compact)
    hidden = compact[:4] + "*" * (len(compact) - 8) + compact[-4:]
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))


def parse_email(text: str, *, option: str = "--email") -> str:
    import re

    value = text.strip()
    if (
        len(value) > 254
        or not re.fullmatch(
            r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", value
        )
        or ".." in value
        or value.rsplit(".", 1)[-1].isdigit()
    ):
        raise UsageError(
            _("{option} : « {value} » n'est pas une adresse e-mail (nom@domaine.fr).").format(
                option=option, value=value
            )
        )
    return value


def parse_french_phone(text: str, *, option: str = "--phone") -> str:
    """A French number (`06 12 34 56 78`, `+33 6 12 34 56 78`, `0033…`), as `0612345678`."""
    digits = "".join(ch for ch in text if ch not in " .-()\u00a0")
    if digits.startswith("+33"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0033"):
        digits = "0" + digits[4:].removeprefix("0")
    if not (
        len(digits) == 10
        and (digits.isascii() and digits.isdigit())
        and digits[0] == "0"
        and digits[1] in "12345679"
    ):
        raise UsageError(
            _(
                "{option} : « {value} » n'est pas un numéro français (10 chiffres : 06 12 34 56 78,"
                " ou +33 6 12 34 56 78)."
            ).format(option=option, value=text.strip())
        )
    return digits


def format_french_phone(phone: str) -> str:
    if len(phone) == 10 and (phone.isascii() and phone.isdigit()):
        return " ".join(phone[i : i + 2] for i in range(0, 10, 2))
    return phone


def parse_postal_code(text: str, *, option: str = "--postal-code") -> str:
    value = text.strip()
    if not (len(value) == 5 and (value.isascii() and value.isdigit()) and value[:2] != "00"):
        raise UsageError(
            _("{option} : « {value} » n'est pas un code postal (5 chiffres, ex. 75015).").format(
                option=option, value=value
            )
        )
    return value


def parse_text_field(text: str, *, option: str, max_length: int) -> str:
    """A free address field: one line, not empty, at most `max_length` characters."""
    value = " ".join(text.split())
    if (
        not value
        or len(value) > max_length
        or any(ord(ch) < 32 and not ch.isspace() for ch in text)
    ):
        raise UsageError(
            _("{option} : une ligne de 1 à {n} caractères.").format(option=option, n=max_length)
        )
    return value
