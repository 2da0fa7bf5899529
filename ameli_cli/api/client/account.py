"""The client's calls about the account itself: signing in (and the approval in the
app), the password and its reset, the devices signed in, signing out, who is signed
in, the service's own description, the profile and the organisme. One family of
endpoints (/v1/auth, /v1/me, /v1/meta, /v1/profile, /v1/organisme), mixed into
`AmeliClient` so callers keep calling `client.login(...)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ameli_cli.api.client.http_calls import HttpCalls

if TYPE_CHECKING:
    from ameli_cli.records import (
        Device,
        DeviceList,
        DevicesRevoked,
        LoginResponse,
        Me,
        Meta,
        Organisme,
        PasswordChange,
        PasswordChanged,
        Profile,
        ProfileUpdated,
        ResetConfirm,
        ResetRequest,
        ResetRequested,
    )


class AccountCalls(HttpCalls):
    """Sign-in, password, devices, profile and organisme."""

    def login(
        self,
        nir: str,
        password: str,
        *,
        device_id: str,
        otp: str | None = None,
        otp_channel: str | None = None,
        device_name: str | None = None,
    ) -> LoginResponse:
        body: dict[str, Any] = {"nir": nir, "password": password, "device_id": device_id}
        if otp:
            body["otp"] = otp
        if otp_channel:
            body["otp_channel"] = otp_channel
        if device_name:
            body["device_name"] = device_name
        response = self.request("POST", "/v1/auth/login", json=body, authenticated=False)
        result: LoginResponse = response.json()
        return result

    def poll_login_approval(self, approval_id: str) -> LoginResponse | None:
        """The session once the sign-in is approved in the app; None while pending."""
        response = self.request(
            "POST", f"/v1/auth/approvals/{approval_id}", json={}, authenticated=False
        )
        if response.status_code == 202:
            return None
        result: LoginResponse = response.json()
        return result

    # -- the account's life: password, devices (issue 16) ----------------------------

    def change_password(self, current: str, new: str) -> PasswordChanged:
        body: PasswordChange = {"current_password": current, "new_password": new}
        result: PasswordChanged = self.send_json("POST", "/v1/auth/password", body)
        return result

    def request_password_reset(
        self, nir: str, birth_date: str, *, channel: str | None = None
    ) -> ResetRequested:
        body: ResetRequest = {"nir": nir, "birth_date": birth_date}
        if channel:
            body["channel"] = channel
        response = self.request("POST", "/v1/auth/password-reset", json=body, authenticated=False)
        result: ResetRequested = response.json()
        return result

    def confirm_password_reset(
        self, nir: str, birth_date: str, code: str, new: str
    ) -> PasswordChanged:
        body: ResetConfirm = {
            "nir": nir,
            "birth_date": birth_date,
            "code": code,
            "new_password": new,
        }
        response = self.request(
            "POST", "/v1/auth/password-reset/confirm", json=body, authenticated=False
        )
        result: PasswordChanged = response.json()
        return result

    def list_devices(self) -> list[Device]:
        page: DeviceList = self.get_json("/v1/auth/devices")
        return page["items"]

    def revoke_device(self, device_id: str) -> DevicesRevoked:
        result: DevicesRevoked = self.request("DELETE", f"/v1/auth/devices/{device_id}").json()
        return result

    def revoke_other_devices(self) -> DevicesRevoked:
        result: DevicesRevoked = self.send_json("POST", "/v1/auth/devices/revoke-others", {})
        return result

    def logout(self) -> None:
        self.request("POST", "/v1/auth/logout")

    def fetch_me(self) -> Me:
        result: Me = self.get_json("/v1/me")
        return result

    def fetch_service_meta(self) -> Meta:
        result: Meta = self.request("GET", "/v1/meta", authenticated=False).json()
        return result

    # -- profile and organisme (issue 7) ---------------------------------------------

    def fetch_profile(self, *, nir: str | None = None) -> Profile:
        result: Profile = self.get_json("/v1/profile", {"nir": nir})
        return result

    def update_profile(
        self,
        changes: dict[str, str],
        *,
        nir: str | None = None,
        idempotency_key: str | None = None,
    ) -> ProfileUpdated:
        result: ProfileUpdated = self.send_json(
            "PATCH", "/v1/profile", changes, params={"nir": nir}, idempotency_key=idempotency_key
        )
        return result

    def fetch_organisme(self, *, nir: str | None = None) -> Organisme:
        result: Organisme = self.get_json("/v1/organisme", {"nir": nir})
        return result
