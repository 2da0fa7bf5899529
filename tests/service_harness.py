"""Generic harness over the checked-in OpenAPI document: operations, identities
(tokens minted straight into the database, fresh for each request), and the ids of
an assuré's own resources found by listing as that assuré.

Used by tests/test_service.py (contract and access-control matrix). Nothing here
knows a feature: it reads the spec.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ameli_sandbox.app import openapi_document

# Values the spec's shapes cannot tell (formats checked by the service's own rules).
HINTS: dict[str, Any] = {
    "email": "assure@example.org",
    "phone": "06 12 34 56 78",
    "postal_code": "75011",
    "city": "Paris",
    "nir": "284037511512331",
}

METHODS = ("get", "post", "put", "patch", "delete")
NIR_REF = "#/components/parameters/Nir"


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    spec: dict[str, Any] = field(compare=False, hash=False, repr=False)
    parameters: tuple[dict[str, Any], ...] = field(compare=False, hash=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def public(self) -> bool:
        security = self.spec.get("security", openapi_document().get("security", []))
        return security == [] or security == [{}]

    @property
    def subject_scoped(self) -> bool:
        """Takes `?nir=`: the one access rule (web.subject_account) applies."""
        return any(p.get("in") == "query" and p.get("name") == "nir" for p in self.parameters)

    @property
    def path_params(self) -> list[dict[str, Any]]:
        by_name = {p["name"]: p for p in self.parameters if p.get("in") == "path"}
        names = [seg[1:-1] for seg in self.path.split("/") if seg.startswith("{")]
        return [
            by_name.get(n, {"name": n, "in": "path", "schema": {"type": "string"}}) for n in names
        ]

    @property
    def agents_only(self) -> bool:
        """Refused to assurés (403) whatever they name: `x-agents-only` in the spec."""
        return bool(self.spec.get("x-agents-only"))

    @property
    def is_write(self) -> bool:
        return self.method != "get"


def _resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    ref = item.get("$ref")
    if not ref:
        return item
    node: Any = document
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return _resolve(document, node)


def operations() -> list[Operation]:
    document = openapi_document()
    found = []
    for path, item in document["paths"].items():
        shared = [_resolve(document, p) for p in item.get("parameters", [])]
        for method in METHODS:
            if method not in item:
                continue
            spec = item[method]
            own = [_resolve(document, p) for p in spec.get("parameters", [])]
            found.append(Operation(path, method, spec, tuple(shared + own)))
    return found


def mint_token(
    conn: sqlite3.Connection, nir: str, *, expired: bool = False, revoked: bool = False
) -> str:
    """A bearer token for this NIR's account, as /v1/auth/login would issue it (without
    paying scrypt), or one already expired or revoked."""
    from ameli_sandbox import clock

    account = conn.execute("SELECT id FROM accounts WHERE nir = ?", (nir,)).fetchone()
    token = "amt_" + secrets.token_urlsafe(32)
    now = clock.now(conn)
    expires = now - timedelta(minutes=1) if expired else now + timedelta(hours=8)
    conn.execute(
        "INSERT INTO tokens (account_id, token_hash, created_at, expires_at, revoked_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            account[0],
            hashlib.sha256(token.encode()).hexdigest(),
            clock.iso(now - timedelta(hours=9)),
            clock.iso(expires),
            clock.iso(now) if revoked else None,
        ),
    )
    return token


def placeholder(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    """A small value that fits the schema's shape (examples, enums and defaults first)."""
    schema = _resolve(document, schema)
    for key in ("example", "default", "const"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for combined in ("oneOf", "anyOf", "allOf"):
        if schema.get(combined):
            return placeholder(schema[combined][0], document)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        names = list(schema.get("required", []))
        if len(names) < schema.get("minProperties", 0):
            # The plainest optional fields first (no pattern, format or prose rules).
            plain = sorted(
                (n for n in props if n not in names),
                key=lambda n: len(
                    {"pattern", "format", "description", "minLength", "enum"}
                    & set(_resolve(document, props[n]))
                ),
            )
            names += plain[: schema["minProperties"] - len(names)]
        return {name: HINTS.get(name, placeholder(props[name], document)) for name in names}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    return "x" * max(1, int(schema.get("minLength", 1)))


def request_body(op: Operation) -> dict[str, Any]:
    """httpx keyword arguments for a schema-shaped body (JSON or multipart)."""
    document = openapi_document()
    body = op.spec.get("requestBody")
    if not body:
        return {}
    content = _resolve(document, body).get("content", {})
    if "application/json" in content:
        media = content["application/json"]
        if "example" in media:
            return {"json": media["example"]}
        return {"json": placeholder(media.get("schema", {}), document)}
    if "multipart/form-data" in content:
        schema = _resolve(document, content["multipart/form-data"].get("schema", {}))
        files, data = {}, {}
        for name, prop in schema.get("properties", {}).items():
            prop = _resolve(document, prop)
            if prop.get("format") == "binary" or prop.get("contentMediaType"):
                files[name] = (f"{name}.bin", b"not really a file")
            elif name in schema.get("required", []):
                data[name] = str(placeholder(prop, document))
        return {"files": files or None, "data": data or None}
    return {}
