"""Bank exports made from the seeded transfers, as banks write them (for the reconcile
tests and the measurement in docs/reconcile.md): OFX 1.x (SGML) and 2.x (XML), French
CSV, CAMT.053. Each CPAM transfer to the assuré lands the next day, between a salary
and some card payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass
class Credit:
    day: date
    cents: int
    label: str


def credits_from(transfers: list[dict[str, Any]]) -> list[Credit]:
    """The bank's view: each transfer to the assuré one day later, plus unrelated lines."""
    lines = [
        Credit(date.fromisoformat(t["date"]) + timedelta(days=1), t["amount"], t["bank_label"])
        for t in transfers
        if t["payee"]["kind"] == "assure"
    ]
    first = min(c.day for c in lines)
    last = max(c.day for c in lines)
    month = date(first.year, first.month, 28)
    while month <= last:
        lines.append(Credit(month, 245_678, "VIR SEPA SALAIRE SARL EXEMPLE"))
        lines.append(Credit(month + timedelta(days=1), -6_540, "CB MONOPRIX PARIS 15"))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 28)
    return sorted(lines, key=lambda c: (c.day, c.label))


def _amount(cents: int) -> str:
    return f"{cents / 100:.2f}"


def ofx(credits: list[Credit], *, version: int = 1) -> str:
    start, end = min(c.day for c in credits), max(c.day for c in credits)
    rows = []
    for n, c in enumerate(credits):
        kind = "CREDIT" if c.cents > 0 else "DEBIT"
        rows.append(
            f"<STMTTRN><TRNTYPE>{kind}</TRNTYPE><DTPOSTED>{c.day:%Y%m%d}</DTPOSTED>"
            f"<TRNAMT>{_amount(c.cents)}</TRNAMT><FITID>T{n:06d}</FITID>"
            f"<NAME>{c.label[:32]}</NAME><MEMO>{c.label}</MEMO></STMTTRN>"
        )
    body = (
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>"
        f"<DTSERVER>{end:%Y%m%d}</DTSERVER><LANGUAGE>FRA</LANGUAGE></SONRS></SIGNONMSGSRSV1>"
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE>"
        "<SEVERITY>INFO</SEVERITY></STATUS><STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM>"
        "<BANKID>30004</BANKID><BRANCHID>00001</BRANCHID><ACCTID>00012345678</ACCTID>"
        "<ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>"
        f"<BANKTRANLIST><DTSTART>{start:%Y%m%d}</DTSTART><DTEND>{end:%Y%m%d}</DTEND>"
        + "".join(rows)
        + "</BANKTRANLIST><LEDGERBAL><BALAMT>1000.00</BALAMT>"
        f"<DTASOF>{end:%Y%m%d}</DTASOF></LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    if version == 2:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE"'
            ' NEWFILEUID="NONE"?>\n' + body + "\n"
        )
    header = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
    )
    # SGML: leaf elements without their closing tag, as OFX 1.x banks write them.
    import re

    sgml = re.sub(r"</(CODE|SEVERITY|DTSERVER|LANGUAGE|TRNUID|CURDEF|BANKID|BRANCHID|ACCTID"
                  r"|ACCTTYPE|DTSTART|DTEND|TRNTYPE|DTPOSTED|TRNAMT|FITID|NAME|MEMO|BALAMT"
                  r"|DTASOF)>", "", body)  # fmt: skip
    return header + sgml.replace("><", ">\n<") + "\n"


def french_amount(cents: int) -> str:
    """`1 234,56` (a space between thousands, a decimal comma)."""
    units, hundredths = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return sign + f"{units:,}".replace(",", " ") + f",{hundredths:02d}"


def csv_fr(credits: list[Credit], *, split_columns: bool = False) -> bytes:
    """As a French bank exports it: account lines first, `;`, `1 234,56`, JJ/MM/AAAA, cp1252."""
    lines = ["Compte courant n° 00012345678;;", "Solde au 30/11/2026;1 000,00;", ""]
    if split_columns:
        lines.append("Date;Libellé;Débit;Crédit")
        for c in credits:
            debit = french_amount(-c.cents) if c.cents < 0 else ""
            credit = french_amount(c.cents) if c.cents > 0 else ""
            lines.append(f"{c.day:%d/%m/%Y};{c.label};{debit};{credit}")
    else:
        lines.append("Date opération;Date valeur;Libellé;Montant")
        for c in credits:
            lines.append(f"{c.day:%d/%m/%Y};{c.day:%d/%m/%Y};{c.label};{french_amount(c.cents)}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def camt053(credits: list[Credit]) -> str:
    start, end = min(c.day for c in credits), max(c.day for c in credits)
    entries = "".join(
        f'<Ntry><Amt Ccy="EUR">{_amount(abs(c.cents))}</Amt>'
        f"<CdtDbtInd>{'CRDT' if c.cents > 0 else 'DBIT'}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
        f"<BookgDt><Dt>{c.day.isoformat()}</Dt></BookgDt><ValDt><Dt>{c.day.isoformat()}</Dt></ValDt>"
        f"<NtryDtls><TxDtls><RmtInf><Ustrd>{c.label}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for c in credits
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>STMT1</MsgId><CreDtTm>2026-11-30T08:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>1</Id><FrToDt>"
        f"<FrDtTm>{start.isoformat()}T00:00:00</FrDtTm><ToDtTm>{end.isoformat()}T23:59:59</ToDtTm>"
        "</FrToDt>" + entries + "</Stmt></BkToCstmrStmt></Document>\n"
    )
