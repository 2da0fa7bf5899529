"""The client's calls about money (/v1/paiements, /v1/virements, /v1/releves):
payment lines followed across pages (stopping before a page nobody will read), one
payment, yearly or monthly summaries, transfers and the monthly relevés. Mixed into
`AmeliClient`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ameli_cli.api.client.http_calls import HttpCalls

if TYPE_CHECKING:
    from ameli_cli.records import Payment, PaymentSummary


class PaymentCalls(HttpCalls):
    """Payments, transfers and monthly relevés."""

    def list_payments(
        self, filters: dict[str, Any], *, page_size: int = 1000, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Payment lines, newest first, following the cursors; at most `limit` lines.

        `filters`: since, until (ISO dates), beneficiary, kind, professional, nir."""
        size = page_size if limit is None else max(1, min(page_size, limit))
        if limit is not None and limit <= 0:
            return
        pages = self.paginate("/v1/paiements", {**filters, "limit": size})
        for count, item in enumerate(pages, start=1):
            yield item
            if limit is not None and count >= limit:
                return  # before asking for a page nobody will read

    def fetch_payment(self, payment_id: str, *, nir: str | None = None) -> Payment:
        from urllib.parse import quote

        result: Payment = self.get_json(f"/v1/paiements/{quote(payment_id, safe='')}", {"nir": nir})
        return result

    def fetch_payment_summary(
        self, *, by: str, year: int | None = None, nir: str | None = None
    ) -> PaymentSummary:
        result: PaymentSummary = self.get_json(
            "/v1/paiements/summary", {"by": by, "year": year, "nir": nir}
        )
        return result

    # -- transfers and relevés mensuels (issue 15) ------------------------------------

    def list_transfers(
        self, *, since: str | None = None, until: str | None = None, nir: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Transfers (virements), newest first, each with its lines."""
        yield from self.paginate(
            "/v1/virements", {"since": since, "until": until, "nir": nir, "limit": 1000}
        )

    def list_releves(self, *, nir: str | None = None) -> dict[str, Any]:
        """The kept months and when the current one will be available."""
        result: dict[str, Any] = self.get_json("/v1/releves", {"nir": nir})
        return result

    def fetch_releve(self, releve_id: str, *, nir: str | None = None) -> dict[str, Any]:
        """One relevé (its id from `list_releves`): a signed envelope like an attestation's."""
        from urllib.parse import quote

        result: dict[str, Any] = self.get_json(
            f"/v1/releves/{quote(releve_id, safe='')}", {"nir": nir}
        )
        return result
