"""The démarches' calls (estimate, médecin traitant, bénéficiaires, CSS, documents
sent): named methods over `AmeliClient`, which their commands wrap (`DemarchesApi(client)`).
Each returns the API's JSON."""

from __future__ import annotations

from typing import Any

from ameli_cli.api.client import AmeliClient


class DemarchesApi:
    def __init__(self, client: AmeliClient) -> None:
        self.client = client

    def _get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.client.get_json(path, params)
        return result

    def _post(self, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
        result: dict[str, Any] = self.client.send_json("POST", path, body, idempotency_key=key)
        return result

    # -- estimate (public acts; the estimate itself is per beneficiary) -------------

    def list_acts(self, *, on: str | None = None) -> dict[str, Any]:
        params = {"date": on} if on else None
        response = self.client.request(
            "GET", "/v1/estimates/acts", params=params, authenticated=False
        )
        result: dict[str, Any] = response.json()
        return result

    def estimate(self, params: dict[str, Any], *, nir: str | None = None) -> dict[str, Any]:
        return self._get("/v1/estimates", {**params, "nir": nir})

    # -- médecin traitant -----------------------------------------------------------

    def medecin_traitant(self, *, nir: str | None = None) -> dict[str, Any]:
        return self._get("/v1/medecin-traitant", {"nir": nir})

    def declare_medecin_traitant(self, rank: str, rpps: str, *, key: str) -> dict[str, Any]:
        body = {"beneficiary_rank": rank, "rpps": rpps}
        return self._post("/v1/medecin-traitant/declarations", body, key)

    def search_doctors(self, *, query: str | None, rpps: str | None) -> dict[str, Any]:
        return self._get("/v1/doctors", {"q": query, "rpps": rpps})

    # -- bénéficiaires --------------------------------------------------------------

    def beneficiaires(self, *, nir: str | None = None) -> dict[str, Any]:
        return self._get("/v1/beneficiaires", {"nir": nir})

    def request_beneficiaire(self, body: dict[str, Any], *, key: str) -> dict[str, Any]:
        return self._post("/v1/beneficiaires/requests", body, key)

    def confirm_beneficiaire(self, request_id: str, *, key: str) -> dict[str, Any]:
        return self._post("/v1/beneficiaires/confirmations", {"request_id": request_id}, key)

    # -- CSS ------------------------------------------------------------------------

    def css_simulation(self, resources: int, ages: list[int], *, local: bool) -> dict[str, Any]:
        params = {
            "yearly_resources": resources,
            "ages": ",".join(str(a) for a in ages),
            "regime_local": "true" if local else None,
        }
        response = self.client.request(
            "GET", "/v1/css/simulation", params=params, authenticated=False
        )
        result: dict[str, Any] = response.json()
        return result

    def css_requests(self, *, nir: str | None = None) -> dict[str, Any]:
        return self._get("/v1/css/requests", {"nir": nir})

    def request_css(self, body: dict[str, Any], *, key: str) -> dict[str, Any]:
        return self._post("/v1/css/requests", body, key)

    # -- documents sent -------------------------------------------------------------

    def documents_sent(self, *, nir: str | None = None) -> dict[str, Any]:
        return self._get("/v1/documents/submissions", {"nir": nir})

    def send_documents(self, body: dict[str, Any], *, key: str) -> dict[str, Any]:
        return self._post("/v1/documents/submissions", body, key)
