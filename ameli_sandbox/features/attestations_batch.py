"""`POST /v1/attestations/batch`: agents fetch the signed attestations of up to 100
NIRs in one request (part of the attestations component; its route is listed by
attestations.routes()).

One request instead of one per NIR: the HTTP work (parsing, routing, sign-in, the
access log) is paid once for the lot, on both sides. The answer is NDJSON, a line
per NIR in the order given — the envelope the single fetch returns, or the problem it
would have answered for that NIR alone — so one unknown NIR never fails the others.
Each attestation issued is audited as the single fetch is (`attestation.<type>`).
"""

from __future__ import annotations

import json
from typing import Any

from ameli_rules import ATTESTATION_TYPES
from ameli_sandbox import clock
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request, forbidden
from ameli_sandbox.web import NIR_PARAM, authenticate, db, json_object, record_audit

MAX_NIRS = 100
NDJSON = "application/x-ndjson"


def _nirs(body: dict[str, Any]) -> list[str]:
    nirs = body.get("nirs")
    if not isinstance(nirs, list) or not 1 <= len(nirs) <= MAX_NIRS:
        raise bad_request(f"nirs is a list of 1 to {MAX_NIRS} NIRs.", field="nirs")
    for nir in nirs:
        if not isinstance(nir, str) or not NIR_PARAM.fullmatch(nir):
            raise bad_request(
                "Each NIR is 15 characters (13 digits or 2A/2B, then the key).", field="nirs"
            )
    return nirs


def _year(body: dict[str, Any], today_year: int) -> int | None:
    year = body.get("year")
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= today_year:
        raise bad_request(f"year is a calendar year from 2000 to {today_year}.", field="year")
    return year


async def post_batch(request: Request) -> Response:
    from ameli_sandbox.attestation_documents import build_droits, build_fiscale, build_ij
    from ameli_sandbox.features.attestations import sign

    principal = authenticate(request)
    body = await json_object(request)
    kind = body.get("type")
    if kind not in ATTESTATION_TYPES:
        raise bad_request(f"type is one of {', '.join(ATTESTATION_TYPES)}.", field="type")
    conn = db(request)
    nirs = _nirs(body)
    today = clock.today(conn)
    year = _year(body, today.year)
    if principal.role != "agent":
        raise forbidden("Only an agent fetches the attestations of a list of assurés.")
    db_path = request.app.state.db_path
    lines: list[bytes] = []
    for nir in nirs:
        account = conn.execute(
            "SELECT * FROM accounts WHERE nir = ? AND role = 'assure'", (nir,)
        ).fetchone()
        try:
            if account is None:
                raise Problem(404, "not_found", "Not found", "No assuré with this NIR.")
            if kind == "droits":
                document = build_droits(conn, account, None)
            elif kind == "ij":
                document = build_ij(conn, account, year)
            else:
                document = build_fiscale(conn, account, year or today.year - 1)
        except Problem as problem:
            line: dict[str, Any] = {"nir": nir, "problem": _problem_line(problem)}
        else:
            record_audit(conn, principal.account_id, account["id"], f"attestation.{kind}")
            envelope = {"attestation": document, "signature": sign(conn, db_path, document)}
            line = {"nir": nir, "envelope": envelope}
        lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode())
    return Response(b"\n".join(lines) + b"\n", media_type=NDJSON)


def _problem_line(problem: Problem) -> dict[str, Any]:
    return {
        "status": problem.status,
        "code": problem.code,
        "title": problem.title,
        "detail": problem.detail,
    }
