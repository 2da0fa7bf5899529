"""The typed records (ameli_cli/records) against the OpenAPI schemas they mirror:
the same keys, and the same ones required, so the types cannot drift from the API."""

from __future__ import annotations

from typing import Any

import pytest

from ameli_cli import records
from ameli_sandbox.app import openapi_document

# Records for objects the spec writes inline: (component, property, …) to reach them;
# an array property leads to its items. Every other record is named as its component.
INLINE = {
    "LoginAccount": ("LoginResponse", "account"),
    "AttestationAssure": ("Attestation", "assure"),
    "AttestationOrganisme": ("Attestation", "organisme"),
    "AttestationRights": ("Attestation", "rights"),
    "AttestationBeneficiary": ("Attestation", "beneficiaries"),
    "AttestationMention": ("Attestation", "mentions"),
    "AttestationPeriod": ("Attestation", "period"),
    "AttestationTotals": ("Attestation", "totals"),
    "FiscalLine": ("Attestation", "lines"),
    "SigningKey": ("SigningKeys", "keys"),
    "MessageCategory": ("MessageCategories", "items"),
    "AttachmentLimits": ("MessageCategories", "attachment_limits"),
    "VitaleOrderStep": ("VitaleOrder", "timeline"),
    "CeamCertificateBeneficiary": ("CeamCertificate", "beneficiary"),
    "CeamCertificateInstitution": ("CeamCertificate", "institution"),
    "PaymentBeneficiary": ("Payment", "beneficiary"),
    "PaymentProfessional": ("Payment", "professional"),
    "PaymentAct": ("Payment", "act"),
    "AuditActor": ("AuditEntry", "actor"),
    "AuditActorCaisse": ("AuditEntry", "actor", "caisse"),
}


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = openapi_document()["components"]["schemas"]
    return schemas


def _object(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """An object schema with its allOf parts merged and $refs followed."""
    if "$ref" in schema:
        return _object(schemas[schema["$ref"].rsplit("/", 1)[1]], schemas)
    if "allOf" in schema:
        merged: dict[str, Any] = {"properties": {}, "required": []}
        for part in schema["allOf"]:
            resolved = _object(part, schemas)
            merged["properties"].update(resolved.get("properties", {}))
            merged["required"] += resolved.get("required", [])
        return merged
    if schema.get("type") == "array" or "items" in schema:
        return _object(schema["items"], schemas)
    return schema


def _by_name(name: str, schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any] | None:
    """An inline object named the way scripts/records.py names it: the parent's name,
    then each property in TitleCase, `Item` for an array's items."""
    if not name:
        return _object(schema, schemas)
    if name.startswith("Item") and "items" in schema:
        found = _by_name(name[4:], schema["items"], schemas)
        if found is not None:
            return found
    schema = _object(schema, schemas)
    for key, prop in schema.get("properties", {}).items():
        title = "".join(part.title() for part in key.split("_"))
        if name.startswith(title):
            found = _by_name(name[len(title) :], prop, schemas)
            if found is not None:
                return found
    return None


def _schema_for(name: str, schemas: dict[str, Any]) -> dict[str, Any]:
    if name in schemas:
        return _object(schemas[name], schemas)
    if name not in INLINE:
        for component in sorted(schemas, key=len, reverse=True):
            if name.startswith(component):
                found = _by_name(name[len(component) :], schemas[component], schemas)
                if found is not None:
                    return found
        raise KeyError(name)
    component, *path = INLINE[name]
    schema = _object(schemas[component], schemas)
    for key in path:
        schema = _object(schema["properties"][key], schemas)
    return schema


@pytest.mark.parametrize("name", records.__all__)
def test_record_keys_match_the_openapi_schema(name):
    record = getattr(records, name)
    schema = _schema_for(name, _schemas())
    required = set(schema.get("required", []))
    optional = set(schema.get("properties", {})) - required
    assert set(record.__required_keys__) == required, f"{name}: required keys differ"
    assert set(record.__optional_keys__) == optional, f"{name}: optional keys differ"


def test_every_component_object_the_client_reads_has_a_record():
    schemas = _schemas()
    mirrored = set(records.__all__)
    # Request bodies, enums and pages are the client's to build or unwrap, not records.
    not_records = {"Problem", "LoginRequest", "NewConversation", "NewReply", "AttachmentUpload"}
    objects = {
        name
        for name, schema in schemas.items()
        if (schema.get("properties") or "allOf" in schema)
        and name not in not_records
        and not name.endswith(("Request", "List", "Page", "Update", "Body", "Upload"))
    }
    assert objects - mirrored == set()
