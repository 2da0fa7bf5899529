"""The account, its profile, its caisse and its access log: /v1/me, /v1/login, /v1/meta, /v1/profile, /v1/organisme, /v1/audit.

Mirrors the OpenAPI component schemas of ameli_sandbox/openapi/ (tests/test_records.py
keeps the keys in step).
"""

from typing import NotRequired, TypedDict


class CaisseSummary(TypedDict):
    code: str
    name: str
    regime: str


class Beneficiary(TypedDict):
    rank: str
    last_name: str
    first_names: str
    birth_date: str
    age: int
    relationship: str
    medecin_traitant: bool


class Me(TypedDict):
    nir: str
    role: str
    last_name: str
    first_names: str
    birth_date: str
    email: NotRequired[str | None]
    caisse: CaisseSummary
    beneficiaries: list[Beneficiary]


class LoginAccount(TypedDict):
    nir: str
    role: str
    last_name: str
    first_names: str


class LoginResponse(TypedDict):
    token: str
    token_type: str
    expires_at: str
    account: LoginAccount


class Meta(TypedDict):
    service: str
    version: str
    api_version: str
    now: str


class ProfileChange(TypedDict):
    field: str
    changed_at: str
    changed_by: str


class Profile(TypedDict):
    nir: str
    last_name: str
    first_names: str
    birth_date: str
    email: str | None
    phone: str | None
    address_line: str | None
    postal_code: str | None
    city: str | None
    iban_masked: str | None
    caisse: CaisseSummary
    changes: list[ProfileChange]


class ProfileUpdated(Profile):
    changed_fields: list[str]


class Reminder(TypedDict):
    code: str
    text: str


class Organisme(TypedDict):
    code: str
    name: str
    regime: str
    address_lines: list[str]
    postal_code: str
    city: str
    phone: str
    hours: str
    local_regime: bool
    reminders: list[Reminder]


class AuditActorCaisse(TypedDict):
    code: str
    name: str


class AuditActor(TypedDict):
    role: str
    last_name: str
    first_names: str
    caisse: AuditActorCaisse


class AuditEntry(TypedDict):
    id: str
    at: str
    action: str
    subject_nir: str
    actor: AuditActor
