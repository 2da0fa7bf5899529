"""The French RIB key, shared by the CLI's input checks and the reference service.

python-stdnum checks an FR IBAN's structure (5n 5n 11c 2n) and its mod 97, not this
key: it has no French bank-account module. Pure functions, no imports of either side.
"""

from __future__ import annotations

# Letters in the account number count as digits: A/J → 1, B/K/S → 2 … I/R/Z → 9.
_LETTERS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")


def _parts(bban: str) -> tuple[int, int, int] | None:
    if len(bban) < 21 or not (bban[:10].isascii() and bban[:10].isdigit()):
        return None
    account = bban[10:21].upper().translate(_LETTERS)
    if not (account.isascii() and account.isdigit()):
        return None
    return int(bban[:5]), int(bban[5:10]), int(account)


def rib_key(bban_without_key: str) -> str:
    """The 2-digit key for banque (5) + guichet (5) + compte (11)."""
    parts = _parts(bban_without_key)
    if parts is None:
        raise ValueError("not a French BBAN")
    bank, branch, account = parts
    return f"{97 - (89 * bank + 15 * branch + 3 * account) % 97:02d}"


def rib_key_valid(bban: str) -> bool:
    """97 − ((89 × banque + 15 × guichet + 3 × compte) mod 97) equals the last 2 digits."""
    if len(bban) != 23 or not (bban[21:].isascii() and bban[21:].isdigit()) or _parts(bban) is None:
        return False
    return rib_key(bban[:21]) == bban[21:]
