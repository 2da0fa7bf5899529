"""Bank exports read for `paiements reconcile`: OFX 1.x and 2.x, French CSV, CAMT.053.

Every reader returns a `Statement`: the credits and debits it lists (amounts in
integer cents, dates, the label the bank shows) and the period it covers.

- OFX through ofxtools (maintained: 1.1.1, 2026; reads OFX 1.x SGML and 2.x XML into
  typed models, Decimal amounts, aware datetimes). Imported only here, only when an
  OFX file comes in: it is heavy and no other command needs it.
- CSV as French banks write it: `;` (or `,` / tab) separator, `1 234,56` amounts,
  JJ/MM/AAAA dates, lines of account details before the header; the columns are
  found from the header (date, libellé, montant or crédit/débit) or named with
  `--column date=… --column label=… --column amount=…` (or credit=/debit=).
- CAMT.053 (ISO 20022) with the standard library's XML parser: the Python libraries
  found for it (camt053 0.0.23, bankstatementparser 0.0.29) are months old, at 0.0.x,
  with no track record; the subset a statement's credits need (Ntry: Amt,
  CdtDbtInd, BookgDt, ValDt, the remittance text) is small.

A file we cannot read raises `BankFileError` with one line saying why.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ameli_cli.render.terminal_text import inert

MAX_BYTES = 50 * 1024 * 1024


class BankFileError(ValueError):
    """The bank file cannot be read; the message says why, in French."""


@dataclass(frozen=True)
class Entry:
    date: date
    amount: int  # cents; credits positive
    label: str


@dataclass
class Statement:
    format: str  # ofx, csv, camt053
    entries: list[Entry] = field(default_factory=list)
    start: date | None = None
    end: date | None = None

    def credits(self) -> list[Entry]:
        return [e for e in self.entries if e.amount > 0]

    def period(self) -> tuple[date, date] | None:
        days = [e.date for e in self.entries]
        if self.start and self.end:
            return self.start, self.end
        return (min(days), max(days)) if days else None


def read(path: Path, columns: Mapping[str, str] | None = None) -> Statement:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BankFileError(f"{path.name} : fichier trop gros pour un relevé bancaire.")
        raw = path.read_bytes()
    except OSError as exc:
        raise BankFileError(f"impossible de lire {path} ({exc.strerror or exc}).") from None
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"OFXHEADER") or b"<OFX>" in head.upper() or b"<?OFX" in head:
        return read_ofx(raw)
    if b"camt.053" in head or b"BkToCstmrStmt" in raw[:20000]:
        return read_camt053(raw)
    return read_csv(raw, columns or {})


# -- OFX ---------------------------------------------------------------------------------


def read_ofx(raw: bytes) -> Statement:
    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(raw))
        ofx = tree.convert()
        statements = list(ofx.statements)
    except Exception as exc:  # ofxtools raises many kinds; all mean "not readable OFX"
        raise BankFileError(f"fichier OFX illisible ({_reason(exc)}).") from None
    result = Statement("ofx")
    for stmt in statements:
        tranlist = stmt.banktranlist
        if tranlist is None:
            continue
        result.start = _earliest(result.start, tranlist.dtstart.date())
        result.end = _latest(result.end, tranlist.dtend.date())
        for trn in tranlist:
            name, memo = str(trn.name or ""), str(trn.memo or "")
            # NAME holds 32 characters: banks put the whole label in MEMO, or the rest.
            label = memo if memo.startswith(name) else " ".join(p for p in (name, memo) if p)
            result.entries.append(Entry(trn.dtposted.date(), _cents(trn.trnamt), label))
    return result


def _reason(exc: Exception) -> str:
    """The first line of a parser's complaint, made inert: it may quote the file."""
    first = (str(exc).strip().splitlines() or [""])[0][:120]
    return inert(f"{type(exc).__name__}: {first}", single_line=True)


def _earliest(a: date | None, b: date) -> date:
    return b if a is None or b < a else a


def _latest(a: date | None, b: date) -> date:
    return b if a is None or b > a else a


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


# -- CSV ---------------------------------------------------------------------------------

_HEADER_NAMES = {
    "date": ("date operation", "date de l'operation", "date", "date comptable", "date valeur"),
    "label": ("libelle", "libelle operation", "libelle de l'operation", "description", "detail"),
    "amount": ("montant", "montant (eur)", "montant eur", "montant en euros", "somme"),
    "credit": ("credit", "credit (eur)", "credit eur", "credit euros"),
    "debit": ("debit", "debit (eur)", "debit eur", "debit euros"),
}
COLUMN_ROLES = tuple(_HEADER_NAMES)


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().strip('"').lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # what many French banks write


def read_csv(raw: bytes, columns: Mapping[str, str]) -> Statement:
    text = _decode(raw)
    sample = "\n".join(text.splitlines()[:30])
    delimiter = max(";,\t", key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header_at, roles = _find_header(rows, columns)
    statement = Statement("csv")
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            statement.entries.append(_csv_entry(row, roles))
        except (IndexError, ValueError):
            raise BankFileError(
                f"CSV ligne {number} : date ou montant illisible"
                f" ({inert(delimiter.join(row)[:80], single_line=True)})."
            ) from None
    return statement


def _find_header(rows: list[list[str]], named: Mapping[str, str]) -> tuple[int, dict[str, int]]:
    wanted = {role: _fold(name) for role, name in named.items()}
    for index, row in enumerate(rows[:40]):
        folded = [_fold(cell) for cell in row]
        roles: dict[str, int] = {}
        for role, names in _HEADER_NAMES.items():
            candidates = (wanted[role],) if role in wanted else names
            for name in candidates:
                if name in folded and folded.index(name) not in roles.values():
                    roles[role] = folded.index(name)
                    break
        if (
            "date" in roles
            and "label" in roles
            and ({"amount"} & roles.keys() or "credit" in roles)
        ):
            return index, roles
    asked = ", ".join(f"{k}={v}" for k, v in named.items()) or "date, libellé, montant"
    raise BankFileError(
        f"CSV : en-tête introuvable ({asked}) ; nommez les colonnes avec"
        " --column date=… --column label=… --column amount=… (ou credit=/debit=)."
    )


def _csv_entry(row: list[str], roles: dict[str, int]) -> Entry:
    day = parse_french_date(row[roles["date"]])
    if "amount" in roles:
        amount = parse_french_amount(row[roles["amount"]])
    else:
        credit = row[roles["credit"]].strip()
        debit = row[roles["debit"]].strip() if "debit" in roles else ""
        amount = parse_french_amount(credit) if credit else -abs(parse_french_amount(debit))
    return Entry(day, amount, row[roles["label"]].strip())


def parse_french_date(text: str) -> date:
    value = text.strip()
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_french_amount(text: str) -> int:
    """`1 234,56`, `-12,30 €`, `+20,34`, `1.234,56` → cents."""
    value = re.sub(r"[\s\u00a0\u202f€]|EUR", "", text.strip())
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    try:
        return int((Decimal(value) * 100).to_integral_value())
    except InvalidOperation:
        raise ValueError(text) from None


# -- CAMT.053 ----------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(node: Any, *path: str) -> Any:
    for name in path:
        node = next((child for child in node if _local(child.tag) == name), None)
        if node is None:
            return None
    return node


def _texts(node: Any, name: str) -> Iterable[str]:
    for child in node.iter():
        if _local(child.tag) == name and child.text:
            yield child.text.strip()


def read_camt053(raw: bytes) -> Statement:
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise BankFileError(f"fichier CAMT.053 illisible ({_reason(exc)}).") from None
    statement = Statement("camt053")
    try:
        for stmt in (n for n in root.iter() if _local(n.tag) == "Stmt"):
            period = _find(stmt, "FrToDt")
            if period is not None:
                start = _find(period, "FrDtTm")
                end = _find(period, "ToDtTm")
                if start is not None and end is not None:
                    statement.start = _earliest(statement.start, _camt_date(start.text))
                    statement.end = _latest(statement.end, _camt_date(end.text))
            for entry in (n for n in stmt if _local(n.tag) == "Ntry"):
                statement.entries.append(_camt_entry(entry))
    except (ValueError, AttributeError, TypeError) as exc:
        raise BankFileError(f"fichier CAMT.053 : écriture illisible ({_reason(exc)}).") from None
    return statement


def _camt_date(text: str | None) -> date:
    return date.fromisoformat(str(text).strip()[:10])


def _camt_entry(entry: Any) -> Entry:
    amount = _cents(Decimal(_find(entry, "Amt").text.strip()))
    if _find(entry, "CdtDbtInd").text.strip() == "DBIT":
        amount = -amount
    when = _find(entry, "BookgDt")
    when = when if when is not None else _find(entry, "ValDt")
    day = _find(when, "Dt")
    day = day if day is not None else _find(when, "DtTm")
    label = " ".join([*_texts(entry, "Ustrd"), *_texts(entry, "AddtlNtryInf")])
    return Entry(_camt_date(day.text), amount, label)
