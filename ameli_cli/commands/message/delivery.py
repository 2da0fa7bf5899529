"""One delivery of a message kept in the outbox, and how its outcome is told: shared
by `message send`/`reply` (first attempt) and `message outbox send` (retries)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ameli_cli.commands.message.compose import MAX_ATTACHMENTS
from ameli_cli.render.dates import local_time
from ameli_cli.runtime.errors import AmeliError, ApiError, BackendUnreachable, ExitCode
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.api.client import AmeliClient
    from ameli_cli.domain.outbox import OutboxEntry
    from ameli_cli.records import Conversation
    from ameli_cli.runtime.context import AppContext


def outbox_dir(app: AppContext) -> Path:
    from ameli_cli.domain import outbox

    return outbox.outbox_dir(app.paths.profile_data_dir(app.profile))


class Kept(AmeliError):
    """The service answered but did not store the message (5xx, session ended): the
    entry stays in the outbox for a later retry."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def attempt(app: AppContext, entry: OutboxEntry) -> Conversation:
    """One delivery of an outbox entry with its own key. Removes the entry once the
    service has answered for it; keeps it (updated) when it may still be delivered."""
    from ameli_cli.domain import outbox
    from ameli_cli.runtime.errors import api_error_message

    directory = outbox_dir(app)
    entry.attempts += 1
    entry.last_attempt_at = outbox.now_iso()
    try:
        client = app.client()
        result = _post(client, entry)
    except BackendUnreachable as exc:
        entry.last_error = exc.message
        entry.may_have_arrived = entry.may_have_arrived or exc.sent
        outbox.save(directory, entry)
        raise
    except ApiError as exc:
        message = _message_error(exc) or api_error_message(exc)
        entry.last_error = message
        if exc.status >= 500 or exc.status in (401, 408, 429):
            outbox.save(directory, entry)
            raise Kept(message, exc.exit_code) from None
        # Refused for good (bad category, unknown conversation…): nothing was stored.
        entry.rejected = True
        if entry.attempts == 1 and not entry.may_have_arrived:
            outbox.remove(directory, entry.id)
        else:
            outbox.save(directory, entry)
        raise Rejected(message, exc.exit_code) from None
    outbox.remove(directory, entry.id)
    return result


class Rejected(AmeliError):
    """The service refused the message for good (bad input): nothing was stored."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _post(client: AmeliClient, entry: OutboxEntry) -> Conversation:
    from ameli_cli.domain.outbox import KIND_REPLY

    if entry.kind == KIND_REPLY:
        assert entry.conversation_id is not None
        return client.reply_message(
            entry.conversation_id, entry.request, idempotency_key=entry.idempotency_key
        )
    return client.send_message(entry.request, idempotency_key=entry.idempotency_key)


def _message_error(exc: ApiError) -> str | None:
    problem = exc.problem
    if exc.code == "unknown_category":
        return _("--category : catégorie inconnue du service ; choisissez parmi : {known}.").format(
            known=", ".join(str(c) for c in problem.get("categories", []))
        )
    if exc.code == "too_many_attachments":
        return _("--attach : {limit} fichiers au plus par message.").format(
            limit=problem.get("limit", MAX_ATTACHMENTS)
        )
    if exc.code == "attachment_too_large":
        return _("--attach : {name} dépasse 5 Mo.").format(name=problem.get("filename", ""))
    if exc.code == "attachment_type":
        return _("--attach : {name} n'est ni un PDF, ni un JPEG, ni un PNG.").format(
            name=problem.get("filename", "")
        )
    if exc.code == "attachment_name":
        from ameli_cli.commands.message.compose import attachment_name_reason

        position = problem.get("position")
        return _("--attach : pièce jointe n° {n} refusée par le service : {reason}.").format(
            n=position + 1 if isinstance(position, int) else "?",
            reason=attachment_name_reason(str(problem.get("reason", ""))),
        )
    if exc.code in ("empty_body", "empty_subject"):
        return _("Message ou sujet vide.")
    if exc.code == "not_found":
        return _("Conversation introuvable : voir ameli message list.")
    if exc.code == "forbidden":
        return _("Seul l'assuré écrit dans ses conversations (un agent peut les lire).")
    return None


def confirm_delivered(app: AppContext, kind: str, result: Conversation) -> None:
    if kind == "reply":
        app.io.info(_("Réponse envoyée dans la conversation {id} « {subject} ».").format(**result))
    else:
        app.io.info(
            _("Message envoyé à votre caisse : conversation {id} « {subject} ».").format(**result)
        )
    if expected_by := result["reply_expected_by"]:
        app.io.info(
            _("Accusé de réception reçu ; réponse attendue d'ici le {date}.").format(
                date=local_time(expected_by, with_time=False)
            )
        )


# -- outbox ----------------------------------------------------------------------------
