"""The service's signing keys and signatures, shared by every signed document
(attestations, relevés mensuels, the CEAM provisional certificate).

The service signs the canonical JSON of a document (keys sorted, no spaces, UTF-8)
with Ed25519; the public keys are published at `/v1/keys` (features/attestations.py
serves them), the current one and every past one with its validity, so a document
keeps verifying after its key is retired. The table lives in the `attestations`
component's migrations; a sandbox reset keeps it and retires the current key
(`retire_keys`) instead of forgetting it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from typing import Any

from ameli_sandbox import clock


def canonical_json(data: Any) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8 (no floats inside)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_signing_key(conn: sqlite3.Connection) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key_id = "ed25519-" + hashlib.sha256(raw_public).hexdigest()[:16]
    conn.execute(
        "INSERT INTO signing_keys (key_id, private_key, public_key, created_at)"
        " VALUES (?, ?, ?, ?)",
        (key_id, raw_private, b64url(raw_public), clock.iso(clock.now(conn))),
    )
    return key_id


def retire_keys(conn: sqlite3.Connection) -> None:
    """The current key stops signing, stamped with the service's time now; it stays
    published. Called by a reset before it empties the tables (and moves the clock)."""
    conn.execute(
        "UPDATE signing_keys SET active = 0, retired_at = ? WHERE active = 1",
        (clock.iso(clock.now(conn)),),
    )


_SIGNERS: dict[tuple[str, str], Any] = {}


def sign(conn: sqlite3.Connection, db_path: str, data: dict[str, Any]) -> dict[str, str]:
    """The `signature` object of an envelope: data signed with the current key."""
    row = conn.execute(
        "SELECT key_id, private_key FROM signing_keys WHERE active = 1"
        " ORDER BY created_at DESC, key_id LIMIT 1"
    ).fetchone()
    if row is None:  # a database seeded before this component: make its key now
        new_signing_key(conn)
        return sign(conn, db_path, data)
    cache_key = (db_path, row["key_id"])
    signer = _SIGNERS.get(cache_key)
    if signer is None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        signer = Ed25519PrivateKey.from_private_bytes(bytes(row["private_key"]))
        _SIGNERS[cache_key] = signer
    return {
        "alg": "Ed25519",
        "key_id": row["key_id"],
        "value": b64url(signer.sign(canonical_json(data))),
    }


def published_keys(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """What `/v1/keys` lists: every key, oldest first, with its validity."""
    if conn.execute("SELECT 1 FROM signing_keys WHERE active = 1 LIMIT 1").fetchone() is None:
        new_signing_key(conn)
    rows = conn.execute(
        "SELECT key_id, algorithm, public_key, created_at, active, retired_at"
        " FROM signing_keys ORDER BY created_at, key_id"
    ).fetchall()
    return [
        {
            "key_id": r["key_id"],
            "alg": r["algorithm"],
            "public_key": r["public_key"],
            "created_at": r["created_at"],
            "active": bool(r["active"]),
            "valid_from": r["created_at"],
            "valid_until": r["retired_at"],
        }
        for r in rows
    ]
