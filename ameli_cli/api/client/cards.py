"""The client's calls about cards (/v1/vitale, /v1/ceam): their status, orders and
declarations of a lost carte Vitale. Orders and declarations must happen once, so
they are sent again with the same Idempotency-Key when an answer is lost
(`write_with_retries`). Mixed into `AmeliClient`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ameli_cli.api.client.http_calls import HttpCalls

if TYPE_CHECKING:
    from ameli_cli.records import (
        CeamOrderResult,
        CeamStatus,
        VitaleDeclarationResult,
        VitaleOrderResult,
        VitaleStatus,
    )


class CardCalls(HttpCalls):
    """Carte Vitale and CEAM."""

    def fetch_vitale(self, *, nir: str | None = None) -> VitaleStatus:
        result: VitaleStatus = self.get_json("/v1/vitale", {"nir": nir})
        return result

    def order_vitale(
        self,
        *,
        beneficiary_rank: str,
        photo: tuple[str, bytes, str],
        id_document: tuple[str, bytes, str],
        idempotency_key: str,
        nir: str | None = None,
    ) -> VitaleOrderResult:
        """Multipart: `photo` and `id_document` are (file name, bytes, media type)."""
        return cast(
            "VitaleOrderResult",
            self.write_with_retries(
                "/v1/vitale/orders",
                idempotency_key=idempotency_key,
                params={"nir": nir},
                data={"beneficiary_rank": beneficiary_rank},
                files={"photo": photo, "id_document": id_document},
            ),
        )

    def declare_vitale(
        self, *, beneficiary_rank: str, reason: str, idempotency_key: str, nir: str | None = None
    ) -> VitaleDeclarationResult:
        return cast(
            "VitaleDeclarationResult",
            self.write_with_retries(
                "/v1/vitale/declarations",
                idempotency_key=idempotency_key,
                params={"nir": nir},
                json={"beneficiary_rank": beneficiary_rank, "reason": reason},
            ),
        )

    def fetch_ceam(self, *, nir: str | None = None) -> CeamStatus:
        result: CeamStatus = self.get_json("/v1/ceam", {"nir": nir})
        return result

    def order_ceam(
        self,
        *,
        beneficiary_rank: str,
        departure: str | None,
        idempotency_key: str,
        nir: str | None = None,
    ) -> CeamOrderResult:
        body: dict[str, Any] = {"beneficiary_rank": beneficiary_rank}
        if departure:
            body["departure"] = departure
        return cast(
            "CeamOrderResult",
            self.write_with_retries(
                "/v1/ceam/orders", idempotency_key=idempotency_key, params={"nir": nir}, json=body
            ),
        )
