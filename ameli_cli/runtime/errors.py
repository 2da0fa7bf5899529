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
    CANCELLED = 3  # the user declined a confirmation (or Ctrl-D at a prompt): nothing sent
    AUTH = 4
    UNREACHABLE = 5
    PARTIAL = 6
    RETRY_LATER = 7  # 429: a rate limit or a quota; the message says when
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


class Cancelled(AmeliError):
    """The user said no (declined a confirmation, closed the prompt): nothing was sent.
    Not an error of anyone's, so `__main__` prints the message without "erreur :"."""

    exit_code = ExitCode.CANCELLED


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


# Problems that name something the user typed wrong (a rank the account lacks).
BAD_INPUT_CODES = frozenset({"unknown_beneficiary", "beneficiary_not_found"})


class ApiError(AmeliError):
    """An RFC 9457 problem returned by the service."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.code: str = str(problem.get("code") or "error")
        self.title: str = str(problem.get("title") or "")
        # The service's own words (English, for developers and --json); `message`,
        # what a person reads, comes from the stable code (runtime/problems.py).
        self.detail: str = str(problem.get("detail") or self.title or f"HTTP {status}")
        from ameli_cli.runtime.problems import problem_message

        super().__init__(problem_message(status, problem))
        self.exit_code = _exit_code_for(status)
        if self.code in BAD_INPUT_CODES:  # a 404 for what the user typed: bad input
            self.exit_code = ExitCode.USAGE


def api_error_message(exc: ApiError) -> str:
    """The user's language for a problem from the service (see runtime/problems.py);
    a command may say more about its own resource's codes first."""
    return exc.message


def _exit_code_for(status: int) -> ExitCode:
    if status == 429:
        return ExitCode.RETRY_LATER
    if status in (401, 423):
        return ExitCode.AUTH
    if status in (400, 413, 415, 422):
        return ExitCode.USAGE
    if status in (502, 503, 504):
        return ExitCode.UNREACHABLE
    return ExitCode.ERROR


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in the user's language (`strerror` is the C
    library's English: "No such file or directory")."""
    import errno

    from ameli_cli.runtime.i18n import _

    reasons = {
        errno.ENOENT: _("fichier introuvable"),
        errno.EACCES: _("accès refusé"),
        errno.EPERM: _("opération non permise"),
        errno.EISDIR: _("c'est un dossier"),
        errno.ENOTDIR: _("un élément du chemin n'est pas un dossier"),
        errno.ENOSPC: _("plus de place sur le disque"),
        errno.EROFS: _("système de fichiers en lecture seule"),
        errno.EEXIST: _("existe déjà"),
        errno.ENAMETOOLONG: _("nom trop long"),
    }
    return reasons.get(exc.errno or 0) or exc.strerror or str(exc)


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
