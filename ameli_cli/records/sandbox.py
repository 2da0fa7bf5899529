"""The sandbox-only endpoints (/v1/sandbox/…).

Written by scripts/records.py from the OpenAPI schemas; tests/test_records.py keeps
the keys in step."""

from typing import TypedDict


class SandboxAccountsItemsItem(TypedDict):
    nir: str
    password: str
    role: str
    name: str
    otp_required: bool
    otp_channels: list[str]
    description: str


class SandboxAccounts(TypedDict):
    items: list[SandboxAccountsItemsItem]


class SandboxOtp(TypedDict):
    nir: str
    code: str
    purpose: str
    channel: str
    expires_at: str


class SandboxApproval(TypedDict):
    nir: str
    approved: bool
    device_name: str


class SandboxClock(TypedDict):
    now: str
    today: str
    offset_seconds: int
