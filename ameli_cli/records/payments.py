"""Reimbursements: /v1/payments, /v1/payments/summary.

Mirrors the OpenAPI component schemas of ameli_sandbox/openapi/ (tests/test_records.py
keeps the keys in step).
"""

from typing import Any, TypedDict


class PaymentBeneficiary(TypedDict):
    rank: str
    name: str


class PaymentProfessional(TypedDict):
    name: str
    specialty: str


class PaymentAct(TypedDict):
    code: str
    label: str


class Payment(TypedDict):
    id: str
    payment_date: str
    care_date: str
    care_end_date: str | None
    beneficiary: PaymentBeneficiary
    professional: PaymentProfessional | None
    act: PaymentAct
    kind: str
    quantity: int
    daily_amount: int | None
    amount_paid: int
    base: int
    rate: int
    amount_reimbursed: int
    participation_forfaitaire: int
    franchise: int
    out_of_pocket: int
    paid_to: str
    transfer_id: str | None


class PaymentTotals(TypedDict):
    count: int
    amount_paid: int
    amount_reimbursed: int
    participation_forfaitaire: int
    franchise: int
    out_of_pocket: int


class PaymentSummary(TypedDict):
    by: str
    year: int
    groups: list[Any]
    totals: PaymentTotals
