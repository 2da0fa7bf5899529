"""RFC 9457 problem details: every error the service returns has a stable `code`."""

from __future__ import annotations

from typing import Any

from ameli_sandbox.http import JSONResponse

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    def __init__(self, status: int, code: str, title: str, detail: str = "", **extra: Any):
        super().__init__(detail or title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail or title
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {
            "type": f"/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
            **self.extra,
        }

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else {}
        if "retry_after" in self.extra:  # 429 and 503: when to come back, as HTTP says
            headers["Retry-After"] = str(self.extra["retry_after"])
        return JSONResponse(
            self.body(), status_code=self.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
        )


def bad_request(detail: str, **extra: Any) -> Problem:
    return Problem(400, "invalid_request", "Invalid request", detail, **extra)


def not_found(detail: str = "No such resource", **extra: Any) -> Problem:
    """`resource` (assure, conversation, attachment, payment) and `id` let a client say
    what was not found in its own language; `detail` stays for developers."""
    return Problem(404, "not_found", "Not found", detail, **extra)


def forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", "Forbidden", detail)
