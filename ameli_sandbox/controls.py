"""The sandbox's own controls, under `/v1/sandbox/`: demo accounts, the one-time codes
"sent by e-mail", the service clock, and a reset.

A real backend has none of these (it sends real e-mails and keeps real time): they
exist because this service is a sandbox, so `create_app(..., sandbox_controls=False)`
leaves them out, and the CLI's `ameli sandbox` verbs then say the backend is not a
sandbox. They need no sign-in: the data is fictional and `accounts` prints every
password anyway; whoever can reach a sandbox may drive it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ameli_sandbox import clock
from ameli_sandbox.http import Request, Response
from ameli_sandbox.problems import Problem, bad_request
from ameli_sandbox.routing import Route
from ameli_sandbox.web import db, json_object, json_response


async def accounts(request: Request) -> Response:
    from ameli_sandbox.people import PEOPLE

    items = [
        {
            "nir": p.nir,
            "password": p.password,
            "role": p.role,
            "name": f"{p.first_names} {p.last_name}",
            "otp_required": p.otp_required,
            "otp_channels": list(p.otp_channels) if p.otp_required else [],
            "description": p.note,
        }
        for p in PEOPLE
    ]
    return json_response({"items": items})


def _nir_param(request: Request) -> str:
    nir = "".join(request.query_params.get("nir", "").split()).upper()
    if not nir:
        raise bad_request("Name the account with ?nir=.")
    return nir


async def pending_code(request: Request) -> Response:
    """The newest live code « sent » to this NIR: at sign-in by e-mail or SMS (the app's
    requests have no code to type), or to reset the password."""
    from ameli_sandbox.features.password import latest_reset_code

    nir = _nir_param(request)
    conn = db(request)
    login = conn.execute(
        "SELECT o.code, o.channel, o.created_at, o.expires_at FROM otp_codes o"
        " JOIN accounts a ON a.id = o.account_id WHERE a.nir = ? AND o.channel != 'app'"
        " AND o.used_at IS NULL AND o.expires_at > ? ORDER BY o.id DESC LIMIT 1",
        (nir, clock.iso(clock.now(conn))),
    ).fetchone()
    found = [
        {"purpose": purpose, **dict(row)}
        for purpose, row in (("login", login), ("password_reset", latest_reset_code(conn, nir)))
        if row is not None
    ]
    if not found:
        raise Problem(
            404,
            "no_pending_code",
            "No pending code",
            "No unused one-time code for this NIR: sign in without a code first.",
        )
    newest = max(found, key=lambda r: r["created_at"])
    fields = ("code", "purpose", "channel", "expires_at")
    return json_response({"nir": nir, **{k: newest[k] for k in fields}})


async def approve_sign_in(request: Request) -> Response:
    """What the Compte ameli app does when the assuré approves a waiting sign-in."""
    from ameli_sandbox.features.devices import approve_pending

    nir = _nir_param(request)
    row = approve_pending(db(request), nir)
    if row is None:
        raise Problem(
            404,
            "no_pending_approval",
            "No pending approval",
            "No sign-in waits for an approval in the app for this NIR.",
        )
    return json_response({"nir": nir, "approved": True, "device_name": row["device_name"]})


def _clock_state(request: Request) -> dict[str, Any]:
    conn = db(request)
    moment = clock.now(conn)
    return {
        "now": clock.iso(moment),
        "today": moment.date().isoformat(),
        "offset_seconds": clock.offset_seconds(conn),
    }


async def read_clock(request: Request) -> Response:
    return json_response(_clock_state(request))


async def advance_clock(request: Request) -> Response:
    body = await json_object(request)
    seconds = body.get("advance_seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds <= 0:
        raise bad_request("advance_seconds must be a positive integer.")
    conn = db(request)
    try:
        clock.advance(conn, seconds)  # checks and moves as one step (BEGIN IMMEDIATE)
    except clock.ClockRangeError:
        raise Problem(
            422,
            "clock_out_of_range",
            "Clock out of range",
            f"The clock stays within {clock.MAX_OFFSET.days} days of real time.",
            max_offset_seconds=int(clock.MAX_OFFSET.total_seconds()),
            offset_seconds=clock.offset_seconds(conn),
        ) from None
    return json_response(_clock_state(request))


async def reset(request: Request) -> Response:
    from ameli_sandbox.app import reset_database

    # The body is optional (the spec says so): no body is a reset on the real clock.
    body = await json_object(request) if await request.body() else {}
    pinned = body.get("today")
    if "today" in body and not isinstance(pinned, str):  # null is not a date either
        raise bad_request("today must be an ISO date (YYYY-MM-DD).")
    try:
        day = date.fromisoformat(pinned) if pinned is not None else None
    except (TypeError, ValueError):
        raise bad_request("today must be an ISO date (YYYY-MM-DD).") from None
    reset_database(db(request), pinned_day=day)
    return json_response(_clock_state(request))


def routes() -> list[Route]:
    return [
        Route("/v1/sandbox/accounts", accounts, methods=["GET"]),
        Route("/v1/sandbox/otp", pending_code, methods=["GET"]),
        Route("/v1/sandbox/otp/approve", approve_sign_in, methods=["POST"]),
        Route("/v1/sandbox/clock", read_clock, methods=["GET"]),
        Route("/v1/sandbox/clock", advance_clock, methods=["POST"]),
        Route("/v1/sandbox/reset", reset, methods=["POST"]),
    ]
