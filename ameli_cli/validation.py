"""Checks on what the user types, before anything is sent."""

from __future__ import annotations

import contextlib

from ameli_cli.errors import UsageError
from ameli_cli.i18n import _


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
