"""What the spec says a request may hold, checked before any handler runs (issue 13).

Each route is wrapped once, at start-up, from its operation in the OpenAPI document:
a query parameter the operation does not declare, a declared one left empty, or a
JSON body property its schema closes (`additionalProperties: false`) is a 400. A typo'd
filter must not be silently ignored (and return everything), nor an unknown field be
taken for a write that happened. New endpoints get it from their spec fragment.
"""

from __future__ import annotations

from typing import Any

from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.web import parse_json

# Per method: the query parameters declared, and the body's properties when closed.
Rules = dict[str, tuple[frozenset[str], frozenset[str] | None]]


def rules_for(route: Route, document: dict[str, Any]) -> Rules:
    """What the spec allows each of the route's methods (route_index.py keeps a copy,
    generated, for the embedded sandbox not to read the spec: issue 18)."""
    rules: Rules = {}
    for method in sorted(m for m in route.methods or () if m != "HEAD"):
        operation = _operation(document, route.path, method.lower())
        closed = _closed_body(document, operation)
        rules[method] = (
            frozenset(_query_names(document, route.path, operation)),
            None if closed is None else frozenset(closed),
        )
    return rules


def checked(route: Route, document: dict[str, Any]) -> Route:
    return checked_by(route, rules_for(route, document))


def checked_by(route: Route, rules: Rules) -> Route:
    methods = sorted(rules)
    declared = {m: set(names) for m, (names, _) in rules.items()}
    closed = {m: body for m, (_, body) in rules.items()}
    handler = route.endpoint

    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        _check_query(request, declared.get(method, set()))
        allowed = closed.get(method)
        if allowed is not None and _is_json(request):
            body = parse_json((await request.body()) or b"{}")
            if isinstance(body, dict):
                unknown = sorted(set(body) - allowed)
                if unknown:
                    raise bad_request(
                        f"Unknown field {unknown[0][:40]!r}; known: {', '.join(sorted(allowed))}.",
                        field=unknown[0][:40],
                    )
        response: Response = await handler(request)
        return response

    return Route(route.path, endpoint, methods=methods, name=route.name)


def _check_query(request: Request, declared: set[str]) -> None:
    for name, value in request.query_params.multi_items():
        if name not in declared:
            raise bad_request(f"Unknown query parameter {name[:40]!r}.", parameter=name[:40])
        if value == "":
            raise bad_request(f"{name} is empty; leave it out or give a value.", parameter=name)


def _is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip() == "application/json"


def _operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    item = document["paths"].get(path, {})
    operation = dict(item.get(method, {}))
    operation["parameters"] = [*item.get("parameters", []), *operation.get("parameters", [])]
    return operation


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = document["components"][section][name]
    return node


def _query_names(document: dict[str, Any], path: str, operation: dict[str, Any]) -> set[str]:
    parameters = (_resolve(document, p) for p in operation["parameters"])
    return {p["name"] for p in parameters if p.get("in") == "query"}


def _closed_body(document: dict[str, Any], operation: dict[str, Any]) -> set[str] | None:
    body = _resolve(document, operation.get("requestBody", {}))
    schema = body.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    schema = _resolve(document, schema)
    if schema.get("additionalProperties") is not False:
        return None
    return set(schema.get("properties", {}))
