"""Write TypedDicts for OpenAPI component schemas (the typed records of ameli_cli/records).

    python scripts/records.py MODULE "DOCSTRING" SCHEMA [SCHEMA…]

Objects written inline in a schema get the parent's name as a prefix
(`TransferLine` + `beneficiary` → `TransferLineBeneficiary`). tests/test_records.py
checks every record's keys against the spec, whoever wrote it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ameli_sandbox.app import openapi_document

SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


class Writer:
    def __init__(self, schemas: dict[str, Any], wanted: list[str]) -> None:
        self.schemas = schemas
        self.wanted = set(wanted)
        self.classes: list[str] = []
        self.done: set[str] = set()

    def merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in schema:
            return self.merged(self.schemas[schema["$ref"].rsplit("/", 1)[1]])
        if "allOf" in schema:
            out: dict[str, Any] = {"properties": {}, "required": []}
            for part in schema["allOf"]:
                got = self.merged(part)
                out["properties"].update(got.get("properties", {}))
                out["required"] += got.get("required", [])
            return out
        return schema

    def type_of(self, schema: dict[str, Any], name: str) -> str:
        if "$ref" in schema:
            target = schema["$ref"].rsplit("/", 1)[1]
            resolved = self.schemas[target]
            if resolved.get("properties") or "allOf" in resolved:
                if target in self.wanted:
                    return target
                return target  # an existing record, imported by the caller
            return self.type_of(resolved, name)
        if "allOf" in schema or schema.get("properties"):
            self.write(name, schema)
            return name
        if "const" in schema and "type" not in schema:
            # A constant (`{"const": "sent"}`): its value's type.
            return type(schema["const"]).__name__
        kinds = schema.get("type", "object")
        if isinstance(kinds, list):
            parts = [self.type_of({**schema, "type": k}, name) for k in kinds]
            return " | ".join(dict.fromkeys(parts))
        if "anyOf" in schema or "oneOf" in schema:
            parts = [self.type_of(s, name) for s in schema.get("anyOf", schema.get("oneOf"))]
            return " | ".join(dict.fromkeys(parts))
        if kinds == "null":
            return "None"
        if kinds == "array":
            return f"list[{self.type_of(schema.get('items', {}), name + 'Item')}]"
        if kinds == "object":
            return "dict[str, Any]"
        text = SCALARS.get(kinds, "Any")
        return f"{text} | None" if schema.get("nullable") else text

    def write(self, name: str, schema: dict[str, Any]) -> None:
        if name in self.done:
            return
        self.done.add(name)
        merged = self.merged(schema)
        required = set(merged.get("required", []))
        lines = [f"class {name}(TypedDict):"]
        for key, prop in merged.get("properties", {}).items():
            hint = self.type_of(prop, name + "".join(p.title() for p in key.split("_")))
            lines.append(
                f"    {key}: {hint}" if key in required else f"    {key}: NotRequired[{hint}]"
            )
        if len(lines) == 1:
            lines.append("    pass")
        self.classes.append("\n".join(lines))


def main() -> None:
    module, doc, *names = sys.argv[1:]
    schemas = openapi_document()["components"]["schemas"]
    writer = Writer(schemas, names)
    for name in names:
        writer.write(name, schemas[name])
    body = "\n\n\n".join(writer.classes)
    used = [n for n in ("Any", "NotRequired") if f"{n}[" in body or f"{n}]" in body]
    header = ", ".join([*used, "TypedDict"])
    text = f'"""{doc}\n\nWritten by scripts/records.py from the OpenAPI schemas; tests/test_records.py keeps\nthe keys in step."""\n\nfrom typing import {header}\n\n\n{body}\n'
    Path(f"ameli_cli/records/{module}.py").write_text(text)
    print(f"ameli_cli/records/{module}.py: {len(writer.classes)} records")


if __name__ == "__main__":
    main()
