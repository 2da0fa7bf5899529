"""Transfers (virements) and relevés mensuels (issue 15).

Written by scripts/records.py from the OpenAPI schemas; tests/test_records.py keeps
the keys in step."""

from __future__ import annotations

from typing import Any, TypedDict


class TransferPayee(TypedDict):
    kind: str
    name: str


class Transfer(TypedDict):
    id: str
    date: str
    amount: int
    nature: str
    payee: TransferPayee
    bank_label: str
    lines: list[TransferLine]


class TransferLineBeneficiary(TypedDict):
    rank: str
    name: str


class TransferLineRecovers(TypedDict):
    payment_id: str
    deduction: str


class TransferLine(TypedDict):
    payment_id: str | None
    beneficiary: TransferLineBeneficiary
    label: str
    care_date: str
    amount: int
    recovers: TransferLineRecovers


class ReleveTotals(TypedDict):
    transfer_count: int
    paid_to_assure: int
    paid_to_professionals: int
    deductions_recovered: int


class SignedReleveAttestation(TypedDict):
    type: str
    month: str
    valid_until: str
    period: dict[str, Any]
    transfers: list[Transfer]
    totals: ReleveTotals
    format: str
    id: str
    issued_at: str
    issue_date: str
    assure: dict[str, Any]
    organisme: dict[str, Any]


class SignedReleveSignature(TypedDict):
    alg: str
    key_id: str
    value: str


class SignedReleve(TypedDict):
    attestation: SignedReleveAttestation
    signature: SignedReleveSignature
