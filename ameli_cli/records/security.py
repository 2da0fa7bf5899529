"""The account's life: password change and reset, trusted devices, app approvals (issue 16).

Written by scripts/records.py from the OpenAPI schemas; tests/test_records.py keeps
the keys in step."""

from typing import NotRequired, TypedDict


class PasswordChange(TypedDict):
    current_password: str
    new_password: str


class PasswordChanged(TypedDict):
    changed_at: str
    sessions_ended: int


class ResetRequest(TypedDict):
    nir: str
    birth_date: str
    channel: NotRequired[str]


class ResetRequested(TypedDict):
    status: str
    expires_in_minutes: int


class ResetConfirm(TypedDict):
    nir: str
    birth_date: str
    code: str
    new_password: str


class ApprovalPending(TypedDict):
    status: str
    expires_at: str


class Device(TypedDict):
    id: str
    name: str
    first_seen: str | None
    last_seen: str | None
    trusted_until: str
    current: bool


class DeviceList(TypedDict):
    items: list[Device]
    next_cursor: str | None


class DevicesRevoked(TypedDict):
    revoked: list[Device]
