"""The NIR list of `ameli attestation batch`: one NIR per line, or a CSV (`,` `;` or
tab) with a `nir` column; blank lines and `#` comments skipped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ameli_cli.runtime.errors import UsageError, os_reason
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ameli_cli.runtime.context import AppContext


@dataclass(frozen=True)
class Entry:
    line: int
    raw: str


def count_entries(text: str) -> int:
    """How many NIRs the input holds; a CSV without a `nir` column is refused here,
    before anything is sent."""
    return sum(1 for _ in iter_entries(text))


def iter_entries(text: str) -> Iterator[Entry]:
    """NIRs from plain lines or from the `nir` column of a CSV, one at a time: a batch
    of 100,000 keeps its input text (~16 bytes a NIR), not a record a line (issue 18)."""
    import csv
    import io

    first = next((s for s in io.StringIO(text) if s.strip() and not s.lstrip().startswith("#")), "")
    delimiter = next((d for d in (",", ";", "\t") if d in first), None)
    header = first.strip().lower().strip('"')
    if delimiter is None and header != "nir":
        for n, s in enumerate(io.StringIO(text), start=1):
            if s.strip() and not s.lstrip().startswith("#"):
                yield Entry(n, s.strip())
        return
    reader = csv.reader(io.StringIO(text), delimiter=delimiter or ",")
    column: int | None = None
    for row in reader:
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if column is None:
            names = [cell.strip().lower() for cell in row]
            if "nir" not in names:
                raise UsageError(
                    _(
                        "--input : le CSV n'a pas de colonne « nir » (en-têtes : {headers}) ;"
                        " ajoutez-la ou donnez un NIR par ligne."
                    ).format(headers=", ".join(row))
                )
            column = names.index("nir")
            continue
        yield Entry(reader.line_num, row[column].strip() if column < len(row) else "")


def check_nir(raw: str) -> tuple[str | None, str | None]:
    """(NIR, None) when valid, else (None, why) — why in stable English for NDJSON."""
    from stdnum.exceptions import InvalidChecksum, ValidationError
    from stdnum.fr import nir as nir_lib

    compact = "".join(raw.split()).replace(".", "").replace("-", "").upper()
    if len(compact) == 13:
        try:
            compact += nir_lib.calc_check_digits(compact)
        except (ValueError, KeyError):
            return None, "invalid NIR: not 13 or 15 characters of digits (2A/2B for Corsica)"
    try:
        return str(nir_lib.validate(compact)), None
    except InvalidChecksum:
        return None, "invalid NIR: the key does not match the first 13 characters"
    except ValidationError:
        return None, "invalid NIR: not 13 or 15 characters of digits (2A/2B for Corsica)"


def read_input(app: AppContext, name: str) -> str:
    if name == "-":
        if app.io.stdin_tty:
            raise UsageError(
                _(
                    "--input - : l'entrée standard est un terminal ; redirigez un fichier (< nirs.txt)."
                )
            )
        return app.io.stdin.read()
    try:
        return Path(name).expanduser().read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        error = os_reason(exc) if isinstance(exc, OSError) else _("pas du texte UTF-8")
        raise UsageError(
            _("--input : impossible de lire {path} ({error}).").format(path=name, error=error)
        ) from None
