"""A crafted server's text in the démarches' human views is shown inert: no escape
sequence reaches the terminal; `--json` stays faithful."""

from __future__ import annotations

from typing import Any

EVIL = "\x1b]0;pwned\x07Dr \x1b[31mEvil\x1b[0m"


def _poison(path: str, data: Any) -> Any:
    if path == "/v1/doctors":
        for doctor in data.get("items", []):
            doctor["name"] = EVIL
            doctor["city"] = EVIL
    if path == "/v1/beneficiaires":
        for b in data.get("items", []):
            b["first_names"] = EVIL
            b["relationship"] = EVIL
            b["card_status"] = EVIL
    if path == "/v1/documents/submissions" and "items" in data:
        data["items"] = [
            {
                "id": EVIL, "type": EVIL, "beneficiary_rank": EVIL, "files": [],
                "sent_at": "2026-11-30T10:00:00Z", "expected_at": None, "processed_at": None,
                "status": EVIL, "payment_id": EVIL,
            }
        ]  # fmt: skip
    if path == "/v1/estimates" and "act" in data:
        data["act"]["label"] = EVIL
        data["rules_applied"] = [EVIL]
    return data


def test_crafted_text_is_inert_in_every_view(cli, login, hostile):
    hostile(_poison)
    login("ij")
    for args in (
        ("medecin-traitant", "search", "garnier"),
        ("beneficiaires", "list"),
        ("documents", "sent"),
        ("estimate", "G"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout, args
        assert "Evil" in result.stdout, args
    raw = cli("medecin-traitant", "search", "garnier", "--json")
    assert raw.json["items"][0]["name"] == EVIL
