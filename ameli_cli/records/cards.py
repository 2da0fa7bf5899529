"""Carte Vitale and CEAM: /v1/vitale, /v1/ceam and their orders and declarations.

Mirrors the OpenAPI component schemas of ameli_sandbox/openapi/ (tests/test_records.py
keeps the keys in step).
"""

from typing import NotRequired, TypedDict

from ameli_cli.records.attestations import Signature


class VitaleCard(TypedDict):
    serial: str
    issued_on: str
    with_photo: bool
    state: str
    state_changed_at: str | None


class VitaleOrderStep(TypedDict):
    status: str
    at: str


class UploadedFile(TypedDict):
    media_type: str
    width: NotRequired[int]
    height: NotRequired[int]
    bytes: int
    sha256: str


class VitaleOrder(TypedDict):
    id: str
    beneficiary_rank: str
    kind: str
    status: str
    created_at: str
    expected_delivery: str
    timeline: list[VitaleOrderStep]
    card_serial: str | None
    photo: UploadedFile
    id_document: UploadedFile


class VitaleBeneficiary(TypedDict):
    rank: str
    first_names: str
    last_name: str
    birth_date: str
    age: int
    relationship: str
    card_state: str
    card: VitaleCard | None
    pending_order: VitaleOrder | None
    orderable_from: str | None
    automatic_card_from: str | None


class VitaleStatus(TypedDict):
    now: str
    beneficiaries: list[VitaleBeneficiary]


class VitaleOrderResult(TypedDict):
    status: str
    order: VitaleOrder


class VitaleDeclaration(TypedDict):
    id: str
    beneficiary_rank: str
    reason: str
    declared_at: str
    card_serial: str


class VitaleDeclarationResult(TypedDict):
    status: str
    declaration: VitaleDeclaration | None
    card: VitaleCard


class CeamCard(TypedDict):
    number: str
    issued_on: str
    valid_until: str
    state: str


class CeamOrder(TypedDict):
    id: str
    beneficiary_rank: str
    status: str
    created_at: str
    expected_delivery: str
    departure: str | None
    card_number: str | None


class CeamCertificateBeneficiary(TypedDict):
    rank: str
    last_name: str
    first_names: str
    birth_date: str


class CeamCertificateInstitution(TypedDict):
    code: str
    name: str
    country: str


class CeamCertificate(TypedDict):
    id: str
    kind: str
    beneficiary: CeamCertificateBeneficiary
    nir: str
    institution: CeamCertificateInstitution
    issued_at: str
    valid_from: str
    valid_until: str
    order_id: str | None
    signature: Signature  # of every other field (the same keys as attestations)


class CeamBeneficiary(TypedDict):
    rank: str
    first_names: str
    last_name: str
    age: int
    card: CeamCard | None
    pending_order: CeamOrder | None
    certificate: CeamCertificate | None


class CeamStatus(TypedDict):
    now: str
    beneficiaries: list[CeamBeneficiary]


class CeamOrderResult(TypedDict):
    status: str
    order: CeamOrder
    provisional_certificate: CeamCertificate | None
