"""The client's calls about signed documents and their trail: an attestation (a signed
envelope), the service's public signing keys and the audit log of who read an
account. Mixed into `AmeliClient`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ameli_cli.api.client.http_calls import HttpCalls

if TYPE_CHECKING:
    from ameli_cli.records import AuditEntry, SignedAttestation, SigningKeys


class AttestationCalls(HttpCalls):
    """Attestations, signing keys and the audit log."""

    def fetch_attestation(
        self,
        kind: str,
        *,
        beneficiary: str | None = None,
        year: int | None = None,
        nir: str | None = None,
    ) -> SignedAttestation:
        """The signed envelope: `{"attestation": {...}, "signature": {...}}`."""
        result: SignedAttestation = self.get_json(
            f"/v1/attestations/{kind}", {"beneficiary": beneficiary, "year": year, "nir": nir}
        )
        return result

    def fetch_signing_keys(self) -> SigningKeys:
        """The service's public keys (`/v1/keys`): no sign-in needed."""
        result: SigningKeys = self.request("GET", "/v1/keys", authenticated=False).json()
        return result

    def list_audit(self, *, nir: str | None = None) -> list[AuditEntry]:
        return cast(
            "list[AuditEntry]", list(self.paginate("/v1/audit", {"nir": nir, "limit": 200}))
        )
