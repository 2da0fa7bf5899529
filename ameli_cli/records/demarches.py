"""Démarches: estimate, médecin traitant, bénéficiaires, CSS, documents sent (issue 17).

Written by scripts/records.py from the OpenAPI schemas; tests/test_records.py keeps
the keys in step."""

from __future__ import annotations

from typing import TypedDict


class ActTariff(TypedDict):
    code: str
    label: str
    kind: str
    rate: int
    tariff: int | None
    tariff_under_6: int | None
    free_price: bool
    parcours_de_soins: bool
    participation_forfaitaire: bool
    franchise: bool


class BeneficiairesItemsItem(TypedDict):
    rank: str
    last_name: str
    first_names: str
    birth_date: str
    age: int
    relationship: str
    also_attached_to_other_parent: bool
    card_status: str


class Beneficiaires(TypedDict):
    items: list[BeneficiairesItemsItem]
    requests: list[BeneficiaireRequest]
    to_confirm: list[BeneficiaireRequest]


class BeneficiaireRequest(TypedDict):
    id: str
    kind: str
    name: str
    birth_date: str
    child_rank: str | None
    other_parent: str | None
    certificate: ReceivedFile | None
    requested_at: str
    confirmed_at: str | None
    expected_at: str | None
    status: str
    new_rank: str | None


class CssSimulationThresholds(TypedDict):
    gratuite: int
    participation: int


class CssSimulationMembersItem(TypedDict):
    age: int
    monthly_participation: int


class CssSimulationSource(TypedDict):
    thresholds: str
    valid_from: str
    participation: str


class CssSimulation(TypedDict):
    household_size: int
    yearly_resources: int
    outcome: str
    thresholds: CssSimulationThresholds
    members: list[CssSimulationMembersItem]
    monthly_participation: int
    regime_local: bool
    source: CssSimulationSource


class Doctor(TypedDict):
    rpps: str
    name: str
    specialty: str
    address_line: str
    postal_code: str
    city: str


class DocumentSubmission(TypedDict):
    id: str
    type: str
    beneficiary_rank: str
    files: list[ReceivedFile]
    sent_at: str
    expected_at: str | None
    processed_at: str | None
    status: str
    payment_id: str | None


class EstimateAct(TypedDict):
    code: str
    label: str
    kind: str


class EstimateBeneficiary(TypedDict):
    rank: str
    name: str
    age: int


class EstimateAlreadyDeducted(TypedDict):
    participation_forfaitaire: int
    franchise: int


class Estimate(TypedDict):
    act: EstimateAct
    date: str
    quantity: int
    secteur: int
    beneficiary: EstimateBeneficiary
    amount_paid: int
    base: int
    depassement: int
    rate: int
    reimbursable: int
    participation_forfaitaire_due: int
    franchise_due: int
    already_deducted: EstimateAlreadyDeducted
    participation_forfaitaire: int
    franchise: int
    amount_reimbursed: int
    out_of_pocket: int
    rules_applied: list[str]


class MedecinTraitantBeneficiariesItem(TypedDict):
    rank: str
    name: str
    age: int
    required: bool
    declared: bool
    doctor: Doctor | None
    since: str | None
    pending: MedecinTraitantDeclaration | None


class MedecinTraitantRates(TypedDict):
    parcours: int
    hors_parcours: int


class MedecinTraitant(TypedDict):
    beneficiaries: list[MedecinTraitantBeneficiariesItem]
    rates: MedecinTraitantRates


class MedecinTraitantDeclaration(TypedDict):
    id: str
    beneficiary_rank: str
    doctor: Doctor
    requested_at: str
    expected_at: str
    status: str


class ReceivedFile(TypedDict):
    filename: str
    media_type: str
    bytes: int
    sha256: str
