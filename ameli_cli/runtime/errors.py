"""Errors that end a command, each with its documented exit code.

The client raises `ApiError` subclasses (HTTP problems) and `BackendUnreachable`;
commands raise `UsageError` and friends. `__main__` turns any of them into one line
on stderr and the exit code; no traceback ever reaches the user.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    AUTH = 4
    UNREACHABLE = 5
    PARTIAL = 6
    INTERRUPTED = 130


class AmeliError(Exception):
    """An error with a message meant for the user."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(AmeliError):
    """Bad flags or input: nothing was sent."""

    exit_code = ExitCode.USAGE


class AuthRequired(AmeliError):
    """No credential, or one the service no longer accepts."""

    exit_code = ExitCode.AUTH


class PartialFailure(AmeliError):
    exit_code = ExitCode.PARTIAL


class BackendUnreachable(AmeliError):
    """The backend did not answer (refused, timed out, DNS)."""

    exit_code = ExitCode.UNREACHABLE

    def __init__(self, message: str, *, sent: bool = False) -> None:
        super().__init__(message)
        # True when the request may have reached the server (a read timeout):
        # writes must then be retried with the same Idempotency-Key.
        self.sent = sent


class ApiError(AmeliError):
    """An RFC 9457 problem returned by the service."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.code: str = str(problem.get("code") or "error")
        self.title: str = str(problem.get("title") or "")
        self.detail: str = str(problem.get("detail") or self.title or f"HTTP {status}")
        super().__init__(self.detail)
        self.exit_code = _exit_code_for(status)


def api_error_message(exc: ApiError) -> str:
    """The user's language for the problems every command may meet; a command
    handles its own resource's codes, and unknown ones keep the service's text."""
    from ameli_cli.runtime.i18n import _

    messages = {
        "auth_required": _("Vous n'êtes pas connecté. Lancez : ameli login"),
        "token_invalid": _(
            "La session n'est plus valable (révoquée ou inconnue). Lancez : ameli login"
        ),
        "token_expired": _("La session a expiré. Lancez : ameli login"),
        "forbidden": _("Accès refusé : un assuré n'accède qu'à ses propres données."),
        "not_found": _("Introuvable : {detail}").format(detail=exc.detail),
        "internal_error": _("Le service a échoué ({status}) ; réessayez plus tard.").format(
            status=exc.status
        ),
        "rate_limited": _(
            "Trop de tentatives de connexion depuis cette adresse : réessayez dans {n} s."
        ).format(n=exc.problem.get("retry_after", 60)),
        "payload_too_large": _(
            "Envoi trop volumineux : le service accepte au plus {n} octets par requête."
        ).format(n=exc.problem.get("limit", "?")),
    }
    return messages.get(exc.code, exc.detail)


def _exit_code_for(status: int) -> ExitCode:
    if status in (401, 423):
        return ExitCode.AUTH
    if status in (400, 413, 415, 422):
        return ExitCode.USAGE
    if status in (502, 503, 504):
        return ExitCode.UNREACHABLE
    return ExitCode.ERROR


def file_error_message(exc: OSError) -> str:
    """One line, in the user's language, for a file the system refused to read or write
    (the C library's own words are English whatever the locale)."""
    import errno

    from ameli_cli.runtime.i18n import _

    path = exc.filename if exc.filename is not None else "?"
    reasons = {
        errno.ENOSPC: _("plus de place sur le disque ; libérez de la place puis relancez."),
        errno.EDQUOT: _("quota disque atteint ; libérez de la place puis relancez."),
        errno.EACCES: _("permission refusée ; vérifiez les droits du fichier et du dossier."),
        errno.EPERM: _("opération non permise ; vérifiez les droits du fichier et du dossier."),
        errno.EROFS: _("système de fichiers en lecture seule ; choisissez un autre dossier."),
        errno.ENAMETOOLONG: _("nom de fichier trop long ; choisissez un nom plus court."),
        errno.ENOENT: _("fichier ou dossier introuvable ; vérifiez le chemin."),
        errno.ENOTDIR: _("un élément du chemin n'est pas un dossier ; vérifiez le chemin."),
        errno.EISDIR: _("c'est un dossier ; donnez un nom de fichier."),
        errno.EIO: _("erreur d'entrée-sortie du disque."),
    }
    reason = reasons.get(exc.errno or 0, _("erreur système {code}.").format(code=exc.errno))
    return _("{path} : {reason}").format(path=path, reason=reason)
