"""Signed attestations and the service's signing keys: /v1/attestations/{type}, /v1/keys.

Mirrors the OpenAPI component schemas of ameli_sandbox/openapi/ (tests/test_records.py
keeps the keys in step).
"""

from typing import NotRequired, TypedDict


class AttestationAssure(TypedDict):
    nir: str
    last_name: str
    first_names: str
    birth_date: str


class AttestationOrganisme(TypedDict):
    code: str
    name: str
    regime: str
    regime_label: str
    local_regime: bool
    reimbursement_rate: int
    address_lines: NotRequired[list[str]]
    postal_code: NotRequired[str]
    city: NotRequired[str]


class AttestationRights(TypedDict):
    start: str
    end: str


class AttestationBeneficiary(TypedDict):
    rank: str
    last_name: str
    first_names: str
    birth_date: str
    relationship: str
    medecin_traitant: bool


class AttestationMention(TypedDict):
    kind: str
    rank: str
    label: str
    start: str
    end: str | None
    ticket_moderateur_exempt: bool


class AttestationPeriod(TypedDict):
    start: str
    end: str


class IjPayment(TypedDict):
    period_start: str
    period_end: str
    days: int
    daily_gross_cents: int
    gross_cents: int
    csg_crds_cents: int
    net_cents: int
    taxable_cents: int
    paid_on: str


class AttestationTotals(TypedDict):
    days: int
    gross_cents: int
    csg_crds_cents: int
    net_cents: int
    taxable_cents: int


class FiscalLine(TypedDict):
    label: str
    taxable_cents: int
    gross_cents: int
    days: int


class Attestation(TypedDict):
    format: int
    id: str
    type: str
    issued_at: str
    issue_date: str
    valid_until: str
    assure: AttestationAssure
    organisme: AttestationOrganisme
    rights: NotRequired[AttestationRights]
    beneficiaries: NotRequired[list[AttestationBeneficiary]]
    mentions: NotRequired[list[AttestationMention]]
    period: NotRequired[AttestationPeriod]
    payments: NotRequired[list[IjPayment]]
    totals: NotRequired[AttestationTotals]
    year: NotRequired[int]
    lines: NotRequired[list[FiscalLine]]
    taxable_total_cents: NotRequired[int]


class Signature(TypedDict):
    alg: str
    key_id: str
    value: str


class SignedAttestation(TypedDict):
    attestation: Attestation
    signature: Signature


class SigningKey(TypedDict):
    key_id: str
    alg: str
    public_key: str
    created_at: str
    active: bool
    valid_from: str
    valid_until: str | None  # None while it is the current key


class SigningKeys(TypedDict):
    keys: list[SigningKey]


class AttestationBatchLineProblem(TypedDict):
    status: int
    code: str
    title: NotRequired[str]
    detail: str


class AttestationBatchLine(TypedDict):
    """A line of `POST /v1/attestations/batch` (agents): the envelope, or the problem
    the single fetch would answer for this NIR alone."""

    nir: str
    envelope: NotRequired[SignedAttestation]
    problem: NotRequired[AttestationBatchLineProblem]
