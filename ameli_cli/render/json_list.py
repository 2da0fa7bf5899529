"""`--json` for long lists (payments, transfers): a module of its own, so that
`paiements list --json` does not import the human and CSV renderings (issue 18)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def json_list(items: Sequence[dict[str, Any]]) -> str:
    """A JSON array with one record per line: `indent=` would send `json` through its
    pure-Python encoder, 5× slower on 100,000 lines; pipe to `jq` to pretty-print."""
    import json

    if not items:
        return "[]\n"
    encode = json.JSONEncoder(ensure_ascii=False).encode
    return "[\n" + ",\n".join(encode(item) for item in items) + "\n]\n"
