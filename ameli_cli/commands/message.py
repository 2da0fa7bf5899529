"""Secure messages with the caisse: send, reply, list, show, download, and the outbox
that keeps a message the service did not confirm (see `ameli_cli/outbox.py`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import NIR_HELP, app_context, subject_nir
from ameli_cli.commands.registry import help_for
from ameli_cli.render.dates import local_time
from ameli_cli.runtime.errors import (
    AmeliError,
    ApiError,
    BackendUnreachable,
    ExitCode,
    PartialFailure,
    UsageError,
)
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.api.client import AmeliClient
    from ameli_cli.domain.outbox import OutboxEntry
    from ameli_cli.runtime.context import AppContext

# The service's limits (invented, see sandbox/features/messages.py), checked here
# before anything is sent.
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_SUBJECT = 120
MAX_BODY = 10_000
ID_PATTERN = re.compile(r"^[A-Za-z0-9]{1,40}$")
CATEGORIES_CACHE = "message-categories.json"

app = AmeliTyper(
    help=help_for("message"),
    epilog=_(
        "Exemples :\n\n\b\n  ameli message send --category autre --subject 'Question'"
        " --body 'Bonjour, …'\n  ameli message list --unread\n  ameli message outbox send"
    ),
    no_args_is_help=True,
)
outbox_app = AmeliTyper(
    help=_(
        "Boîte d'envoi : les messages que le service n'a pas confirmés (service injoignable)."
        " Sans sous-commande : les lister."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli message outbox\n  ameli message outbox send"),
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(outbox_app, name="outbox")

JSON_HELP = _("Sortie JSON.")
BODY_HELP = _(
    "Texte du message (sinon --body-file, l'entrée standard, ou $EDITOR sur un terminal)."
)
BODY_FILE_HELP = _("Lire le texte dans ce fichier (UTF-8) ; « - » pour l'entrée standard.")
ATTACH_HELP = _("Joindre un fichier PDF, JPEG ou PNG (5 au plus, 5 Mo chacun) ; répétable.")
DRY_RUN_HELP = _("Tout vérifier et montrer ce qui serait envoyé, sans rien envoyer.")


# -- input -----------------------------------------------------------------------------


@dataclass
class ComposeOptions:
    body: str | None = None
    body_file: Path | None = None
    attach: list[Path] = field(default_factory=list)
    dry_run: bool = False
    json: bool = False


@dataclass
class SendOptions(ComposeOptions):
    category: str = ""
    subject: str = ""


@dataclass
class ReplyOptions(ComposeOptions):
    conversation_id: str = ""


def check_id(value: str, *, what: str = "ID") -> str:
    value = value.strip()
    if not ID_PATTERN.match(value):
        raise UsageError(
            _(
                "{what} : « {value} » n'est pas un identifiant de message (voir ameli message list)."
            ).format(what=what, value=value)
        )
    return value.upper()


def check_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        raise UsageError(_('--subject : le sujet est vide ; donnez-en un (--subject "…").'))
    if len(subject) > MAX_SUBJECT:
        raise UsageError(
            _("--subject : {n} caractères ; {limit} au plus.").format(
                n=len(subject), limit=MAX_SUBJECT
            )
        )
    return subject


def read_body(app: AppContext, opts: ComposeOptions) -> str:
    if opts.body is not None and opts.body_file is not None:
        raise UsageError(_("--body et --body-file s'excluent : choisissez-en un."))
    if opts.body is not None:
        text = opts.body
    elif opts.body_file is not None:
        if str(opts.body_file) == "-":
            text = app.io.stdin.read()
        else:
            try:
                text = opts.body_file.read_text("utf-8")
            except UnicodeDecodeError:
                raise UsageError(
                    _("--body-file : {path} n'est pas un texte UTF-8.").format(path=opts.body_file)
                ) from None
            except OSError as exc:
                raise UsageError(
                    _("--body-file : impossible de lire {path} ({error}).").format(
                        path=opts.body_file, error=exc.strerror or exc
                    )
                ) from None
    elif not app.io.stdin_tty:
        text = app.io.stdin.read()
    else:
        text = _edit_body()
    text = text.strip()
    if not text:
        raise UsageError(
            _(
                'Message vide : écrivez le texte avec --body "…", --body-file FICHIER ou sur'
                " l'entrée standard."
            )
        )
    if len(text) > MAX_BODY:
        raise UsageError(
            _("Message trop long : {n} caractères ; {limit} au plus.").format(
                n=len(text), limit=MAX_BODY
            )
        )
    return text


def _edit_body() -> str:
    import click

    marker = _("# Écrivez votre message. Les lignes commençant par # sont ignorées.")
    edited = click.edit(marker + "\n", extension=".txt", require_save=True)
    if edited is None:
        return ""
    return "\n".join(line for line in edited.splitlines() if not line.startswith("#"))


def load_attachments(paths: list[Path]) -> list[dict[str, Any]]:
    """Each file checked (exists, size, type by content) and encoded for the API."""
    import base64

    from ameli_rules import filetypes

    if len(paths) > MAX_ATTACHMENTS:
        raise UsageError(
            _("--attach : {n} fichiers ; {limit} au plus par message.").format(
                n=len(paths), limit=MAX_ATTACHMENTS
            )
        )
    result: list[dict[str, Any]] = []
    for path in paths:
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise UsageError(_("--attach : {path} n'est pas un fichier.").format(path=path))
            if size > MAX_ATTACHMENT_BYTES:
                raise UsageError(
                    _("--attach : {path} fait {size} ; 5 Mo au plus par fichier.").format(
                        path=path, size=human_size(size)
                    )
                )
            content = path.read_bytes()
        except FileNotFoundError:
            raise UsageError(
                _("--attach : fichier introuvable : {path}.").format(path=path)
            ) from None
        except OSError as exc:
            raise UsageError(
                _("--attach : impossible de lire {path} ({error}).").format(
                    path=path, error=exc.strerror or exc
                )
            ) from None
        media_type = filetypes.sniff(content).media_type
        if media_type not in (filetypes.PDF, filetypes.JPEG, filetypes.PNG):
            raise UsageError(
                _(
                    "--attach : {path} n'est ni un PDF, ni un JPEG, ni un PNG (type reconnu"
                    " au contenu, pas au nom) ; convertissez-le."
                ).format(path=path)
            )
        result.append(
            {
                "filename": path.name,
                "content_type": media_type,
                "size": len(content),
                "content_base64": base64.b64encode(content).decode("ascii"),
            }
        )
    return result


def human_size(size: int) -> str:
    if size < 1024:
        return _("{n} o").format(n=size)
    if size < 1024 * 1024:
        return _("{n} Ko").format(n=round(size / 1024))
    return _("{n} Mo").format(n=f"{size / 1024 / 1024:.1f}".replace(".", ","))


# -- categories ------------------------------------------------------------------------


def _categories_cache(app: AppContext) -> Path:
    return app.paths.profile_cache_dir(app.profile) / CATEGORIES_CACHE


def fetch_categories(app: AppContext, *, retry: bool = True) -> dict[str, Any]:
    from ameli_cli.runtime import private_files as files

    client = app.client()
    retries = client.retries
    if not retry:
        # A check on the way to sending: a dead service must not hold the message up
        # for three timeouts before it goes to the outbox.
        client.retries = 0
    try:
        result = client.fetch_message_categories()
    finally:
        client.retries = retries
    files.write_atomic(_categories_cache(app), json.dumps(result, ensure_ascii=False).encode())
    return result


def _cached_categories(app: AppContext) -> dict[str, Any] | None:
    try:
        data = json.loads(_categories_cache(app).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_category(app: AppContext, category: str) -> str:
    """Known from the cache, else asked of the service; unchecked (with a warning)
    when the service cannot be reached and nothing is cached: it checks on receipt."""
    category = category.strip().lower()
    if not category:
        raise UsageError(_("--category : donnez une catégorie (ameli message categories)."))
    cached = _cached_categories(app)
    if cached and category in _codes(cached):
        return category
    try:
        known = _codes(fetch_categories(app, retry=False))
    except ApiError as exc:
        if exc.status != 401:
            raise
        # The session ended: the message goes to the outbox (with the service's
        # answer) rather than being lost with a text typed in $EDITOR.
        return category
    except BackendUnreachable:
        if cached is None:
            app.io.warn(
                _("catégorie non vérifiée (service injoignable) ; le service la vérifiera.")
            )
            return category
        known = _codes(cached)
    if category not in known:
        raise UsageError(
            _(
                "--category : « {value} » n'est pas une catégorie ; choisissez parmi : {known}"
                " (ameli message categories)."
            ).format(value=category, known=", ".join(known))
        )
    return category


def _codes(categories: dict[str, Any]) -> list[str]:
    return [str(item["code"]) for item in categories.get("items", [])]


def run_categories(app: AppContext, *, json_output: bool) -> dict[str, Any]:
    result = fetch_categories(app)
    if json_output:
        app.io.write_json(result)
        return result
    from ameli_cli.render.tables import print_table

    print_table(
        app.io,
        [_("catégorie"), _("libellé")],
        [[item["code"], item["label"]] for item in result["items"]],
    )
    return result


# -- send and reply --------------------------------------------------------------------


def run_send(app: AppContext, opts: SendOptions) -> dict[str, Any] | None:
    subject = check_subject(opts.subject)
    if not opts.category.strip():
        raise UsageError(_("--category : donnez une catégorie (ameli message categories)."))
    attachments = load_attachments(opts.attach)
    # Everything else is checked before $EDITOR opens: a text typed there is not
    # thrown away by an error found afterwards.
    app.client()  # signed in, or exit 4 before anything else
    category = check_category(app, opts.category)
    body = read_body(app, opts)
    request = {"category": category, "subject": subject, "body": body, "attachments": attachments}
    if opts.dry_run:
        return _dry_run(app, request, opts.json)
    from ameli_cli.domain import outbox

    return _deliver_new(app, outbox.KIND_MESSAGE, request, None, opts.json)


def run_reply(app: AppContext, opts: ReplyOptions) -> dict[str, Any] | None:
    conversation = check_id(opts.conversation_id)
    attachments = load_attachments(opts.attach)
    app.client()
    body = read_body(app, opts)
    request = {"body": body, "attachments": attachments}
    if opts.dry_run:
        return _dry_run(app, {"conversation_id": conversation, **request}, opts.json)
    from ameli_cli.domain import outbox

    return _deliver_new(app, outbox.KIND_REPLY, request, conversation, opts.json)


def _dry_run(app: AppContext, request: dict[str, Any], json_output: bool) -> dict[str, Any]:
    preview = dict(request)
    preview["attachments"] = [
        {k: v for k, v in a.items() if k != "content_base64"} for a in request["attachments"]
    ]
    if json_output:
        app.io.write_json({"dry_run": True, "request": preview})
    else:
        lines = []
        if "conversation_id" in preview:
            lines.append(_("Réponse à : {id}").format(id=preview["conversation_id"]))
        if "category" in preview:
            lines.append(_("Catégorie : {category}").format(category=preview["category"]))
            lines.append(_("Sujet : {subject}").format(subject=preview["subject"]))
        for a in preview["attachments"]:
            lines.append(
                _("Pièce jointe : {name} ({type}, {size})").format(
                    name=a["filename"], type=a["content_type"], size=human_size(a["size"])
                )
            )
        lines.append("")
        lines.append(preview["body"])
        app.io.write("\n".join(lines) + "\n")
    app.io.info(_("Rien n'a été envoyé (--dry-run)."))
    return preview


def _outbox_dir(app: AppContext) -> Path:
    from ameli_cli.domain import outbox

    return outbox.outbox_dir(app.paths.profile_data_dir(app.profile))


def _deliver_new(
    app: AppContext,
    kind: str,
    request: dict[str, Any],
    conversation: str | None,
    json_output: bool,
) -> dict[str, Any]:
    from ameli_cli.api.client import new_idempotency_key
    from ameli_cli.domain import outbox

    directory = _outbox_dir(app)
    pending_before = len(outbox.load_all(directory)[0])
    # Saved with its key before the first attempt: a crash, a timeout or Ctrl-C
    # leaves it in the outbox, and a retry never creates a second message.
    entry = outbox.new_entry(
        backend=app.backend,
        kind=kind,
        request=request,
        idempotency_key=new_idempotency_key(),
        conversation_id=conversation,
    )
    outbox.save(directory, entry)
    try:
        result = _attempt(app, entry)
    except KeyboardInterrupt:
        app.io.warn(
            _(
                "interrompu : le message est gardé dans la boîte d'envoi ({id}) ;"
                " ameli message outbox send le renverra sans doublon."
            ).format(id=entry.id)
        )
        raise
    except BackendUnreachable as exc:
        if json_output:
            app.io.write_json({"status": "queued", "outbox": entry.summary()})
        hint = _("Il a peut-être été reçu : le renvoi ne fera pas de doublon. ") if exc.sent else ""
        raise BackendUnreachable(
            _(
                "{error} Votre message est gardé dans la boîte d'envoi ({id}). {hint}Renvoyez-le"
                " avec : ameli message outbox send"
            ).format(error=_sentence(exc.message), id=entry.id, hint=hint),
            sent=exc.sent,
        ) from None
    except _Kept as kept:
        if json_output:
            app.io.write_json({"status": "queued", "outbox": entry.summary()})
        raise _Rejected(
            _(
                "{error} Votre message est gardé dans la boîte d'envoi ({id}) ; renvoyez-le"
                " ensuite avec : ameli message outbox send"
            ).format(error=_sentence(kept.message), id=entry.id),
            kept.exit_code,
        ) from None
    if json_output:
        app.io.write_json(result)
    else:
        app.io.write(f"{result['id']}\n")
        _confirm(app, kind, result)
    if pending_before:
        app.io.info(
            _("{n} message(s) toujours dans la boîte d'envoi : ameli message outbox send").format(
                n=pending_before
            )
        )
    return result


class _Kept(AmeliError):
    """The service answered but did not store the message (5xx, session ended): the
    entry stays in the outbox for a later retry."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _attempt(app: AppContext, entry: OutboxEntry) -> dict[str, Any]:
    """One delivery of an outbox entry with its own key. Removes the entry once the
    service has answered for it; keeps it (updated) when it may still be delivered."""
    from ameli_cli.domain import outbox
    from ameli_cli.runtime.errors import api_error_message

    directory = _outbox_dir(app)
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
            raise _Kept(message, exc.exit_code) from None
        # Refused for good (bad category, unknown conversation…): nothing was stored.
        entry.rejected = True
        if entry.attempts == 1 and not entry.may_have_arrived:
            outbox.remove(directory, entry.id)
        else:
            outbox.save(directory, entry)
        raise _Rejected(message, exc.exit_code) from None
    outbox.remove(directory, entry.id)
    return result


class _Rejected(AmeliError):
    """The service refused the message for good (bad input): nothing was stored."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _post(client: AmeliClient, entry: OutboxEntry) -> dict[str, Any]:
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
    if exc.code in ("empty_body", "empty_subject"):
        return _("Message ou sujet vide.")
    if exc.code == "not_found":
        return _("Conversation introuvable : voir ameli message list.")
    if exc.code == "forbidden":
        return _("Seul l'assuré écrit dans ses conversations (un agent peut les lire).")
    return None


def _confirm(app: AppContext, kind: str, result: dict[str, Any]) -> None:
    if kind == "reply":
        app.io.info(_("Réponse envoyée dans la conversation {id} « {subject} ».").format(**result))
    else:
        app.io.info(
            _("Message envoyé à votre caisse : conversation {id} « {subject} ».").format(**result)
        )
    if result.get("reply_expected_by"):
        app.io.info(
            _("Accusé de réception reçu ; réponse attendue d'ici le {date}.").format(
                date=local_time(result["reply_expected_by"], with_time=False)
            )
        )


# -- outbox ----------------------------------------------------------------------------


def run_outbox_list(app: AppContext, *, json_output: bool) -> list[dict[str, Any]]:
    from ameli_cli.domain import outbox

    entries, unreadable = outbox.load_all(_outbox_dir(app))
    for path in unreadable:
        app.io.warn(_("entrée illisible gardée telle quelle : {path}").format(path=path))
    rows = [e.summary() for e in entries]
    if json_output:
        app.io.write_json(rows)
        return rows
    if not rows:
        app.io.info(_("La boîte d'envoi est vide."))
        return rows
    from ameli_cli.render.tables import print_table

    print_table(
        app.io,
        [_("ID"), _("écrit le"), _("envoi"), _("sujet"), _("essais"), _("dernière erreur")],
        [
            [
                e.id,
                local_time(e.created_at),
                _("réponse à {id}").format(id=e.conversation_id)
                if e.kind == "reply"
                else e.request.get("category", ""),
                e.request.get("subject", ""),
                e.attempts,
                e.last_error or "",
            ]
            for e in entries
        ],
    )
    app.io.info(_("Renvoyer : ameli message outbox send"))
    return rows


def run_outbox_send(app: AppContext, *, json_output: bool) -> list[dict[str, Any]]:
    from ameli_cli.domain import outbox

    entries, _unreadable = outbox.load_all(_outbox_dir(app))
    results: list[dict[str, Any]] = []
    if not entries:
        if json_output:
            app.io.write_json(results)
        else:
            app.io.info(_("La boîte d'envoi est vide."))
        return results
    unreachable: BackendUnreachable | None = None
    for entry in entries:
        status: dict[str, Any] = {"outbox_id": entry.id}
        if entry.backend != app.backend:
            status.update(status="skipped", error=entry.backend)
            app.io.warn(
                _("{id} : écrit pour {theirs}, pas pour {ours} ; laissé dans la boîte.").format(
                    id=entry.id, theirs=entry.backend, ours=app.backend
                )
            )
        elif unreachable is not None:
            status.update(status="kept", error=unreachable.message)
        else:
            try:
                result = _attempt(app, entry)
            except BackendUnreachable as exc:
                unreachable = exc  # the others would wait for the same dead service
                status.update(status="kept", error=exc.message)
            except _Kept as exc:
                status.update(status="kept", error=exc.message)
            except AmeliError as exc:
                status.update(status="rejected", error=exc.message)
            else:
                status.update(status="delivered", conversation_id=result["id"])
                if not json_output:
                    app.io.write(f"{result['id']}\n")
                    _confirm(app, entry.kind, result)
        if status["status"] != "delivered" and not json_output:
            app.io.warn(_("{id} non envoyé : {error}").format(id=entry.id, error=status["error"]))
        results.append(status)
    if json_output:
        app.io.write_json(results)
    delivered = sum(1 for r in results if r["status"] == "delivered")
    failed = len(results) - delivered
    if failed:
        summary = _("{ok} envoyé(s), {failed} toujours dans la boîte d'envoi.").format(
            ok=delivered, failed=failed
        )
        if delivered:
            raise PartialFailure(summary)
        if unreachable is not None:
            raise BackendUnreachable(summary, sent=unreachable.sent)
        raise AmeliError(summary)
    app.io.info(_("{n} message(s) envoyé(s) ; la boîte d'envoi est vide.").format(n=delivered))
    return results


def run_outbox_discard(app: AppContext, entry_id: str) -> None:
    from ameli_cli.domain import outbox

    if not re.match(r"^[0-9A-Za-z-]{1,40}$", entry_id) or not outbox.remove(
        _outbox_dir(app), entry_id
    ):
        raise UsageError(
            _("ID : « {id} » n'est pas dans la boîte d'envoi (ameli message outbox).").format(
                id=entry_id
            )
        )
    app.io.info(_("{id} retiré de la boîte d'envoi.").format(id=entry_id))


# -- list, show, download --------------------------------------------------------------


def _status_label(item: dict[str, Any]) -> str:
    if item["status"] == "awaiting_reply":
        return _("en attente de réponse")
    return _("répondu")


def run_list(
    app: AppContext, *, unread: bool, json_output: bool, nir: str | None = None
) -> list[dict[str, Any]]:
    items = app.client().list_messages(unread=unread, nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(items)
        return items
    if not items:
        app.io.info(
            _("Aucun message non lu.")
            if unread
            else _("Aucun message. Écrire : ameli message send")
        )
        return items
    from ameli_cli.render.tables import print_table

    print_table(
        app.io,
        [_("ID"), _("mis à jour"), _("catégorie"), _("sujet"), _("état"), _("non lus")],
        [
            [
                i["id"],
                local_time(i["updated_at"]),
                i["category_label"],
                i["subject"],
                _status_label(i),
                i["unread_count"] or "",
            ]
            for i in items
        ],
    )
    return items


def _author_label(message: dict[str, Any]) -> str:
    if message["author"] == "assure":
        return _("Vous")
    if message["kind"] == "acknowledgement":
        return _("Votre caisse (accusé de réception)")
    return _("Votre caisse")


def run_show(
    app: AppContext, conversation_id: str, *, json_output: bool, nir: str | None = None
) -> dict[str, Any]:
    conversation = check_id(conversation_id)
    detail = app.client().mark_message_read(conversation, nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(detail)
        return detail
    lines = [
        f"{detail['id']}  {detail['subject']}",
        _("Catégorie : {label} · {status}").format(
            label=detail["category_label"], status=_status_label(detail)
        )
        + (
            _(" (d'ici le {date})").format(
                date=local_time(detail["reply_expected_by"], with_time=False)
            )
            if detail.get("reply_expected_by")
            else ""
        ),
    ]
    for message in detail["messages"]:
        lines.append("")
        lines.append(
            _("── {author}, le {time} ──").format(
                author=_author_label(message), time=local_time(message["created_at"])
            )
        )
        lines.append(message["body"])
        for a in message["attachments"]:
            lines.append(
                _("Pièce jointe {id} : {name} ({size})").format(
                    id=a["id"], name=a["filename"], size=human_size(a["size"])
                )
            )
    if any(m["attachments"] for m in detail["messages"]):
        lines.append("")
        lines.append(_("Télécharger : ameli message download {id}").format(id=detail["id"]))
    app.io.write("\n".join(lines) + "\n")
    return detail


def run_download(
    app: AppContext,
    conversation_id: str,
    *,
    out_dir: Path,
    attachment: str | None,
    force: bool,
    json_output: bool,
    nir: str | None = None,
) -> list[dict[str, Any]]:
    import hashlib

    from ameli_cli.runtime import private_files as files

    conversation = check_id(conversation_id)
    wanted = check_id(attachment, what="--attachment") if attachment else None
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(_("--out-dir : {path} n'est pas un dossier.").format(path=out_dir))
    subject = subject_nir(app, nir)
    client = app.client()
    detail = client.fetch_message(conversation, nir=subject)
    found = [
        a
        for m in detail["messages"]
        for a in m["attachments"]
        if wanted is None or a["id"] == wanted
    ]
    if wanted is not None and not found:
        raise UsageError(
            _("--attachment : pas de pièce jointe {id} dans {conversation}.").format(
                id=wanted, conversation=conversation
            )
        )
    if not found:
        app.io.info(_("Aucune pièce jointe dans {id}.").format(id=conversation))
        if json_output:
            app.io.write_json([])
        return []
    targets = _target_names(found, out_dir)
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        raise UsageError(
            _("--out-dir : {paths} existe déjà ; passez --force pour écraser.").format(
                paths=", ".join(existing)
            )
        )
    written: list[dict[str, Any]] = []
    for a in found:
        content = client.fetch_message_attachment(conversation, a["id"], nir=subject)
        if hashlib.sha256(content).hexdigest() != a["sha256"]:
            raise AmeliError(
                _("{name} : le contenu reçu ne correspond pas à l'empreinte ; réessayez.").format(
                    name=a["filename"]
                )
            )
        path = files.write_atomic(targets[a["id"]], content, private=False)
        written.append({**a, "path": str(path)})
        if not json_output:
            app.io.write(f"{path}\n")
    if json_output:
        app.io.write_json(written)
    else:
        app.io.info(
            _("{n} pièce(s) jointe(s) enregistrée(s) dans {dir}.").format(
                n=len(written), dir=out_dir
            )
        )
    return written


def _target_names(attachments: list[dict[str, Any]], out_dir: Path) -> dict[str, Path]:
    """A safe file name per attachment: the base name only; the attachment id added
    when two share a name."""
    names: dict[str, Path] = {}
    seen: set[str] = set()
    for a in attachments:
        name = Path(str(a["filename"]).replace("\\", "/")).name.lstrip(".") or a["id"]
        if name.lower() in seen:
            stem, dot, ext = name.rpartition(".")
            name = f"{stem}-{a['id']}.{ext}" if dot else f"{name}-{a['id']}"
        seen.add(name.lower())
        names[a["id"]] = out_dir / name
    return names


# -- Typer commands --------------------------------------------------------------------


def categories(
    ctx: typer.Context,
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    run_categories(app_context(ctx), json_output=json_output)


def send(
    ctx: typer.Context,
    category: str = typer.Option(
        ..., "--category", "-c", metavar="CAT", help=_("Catégorie (ameli message categories).")
    ),
    subject: str = typer.Option(
        ..., "--subject", "-s", metavar=_("TEXTE"), help=_("Sujet (120 caractères au plus).")
    ),
    body: str | None = typer.Option(None, "--body", "-b", metavar=_("TEXTE"), help=BODY_HELP),
    body_file: Path | None = typer.Option(
        None, "--body-file", "-F", metavar=_("CHEMIN"), help=BODY_FILE_HELP
    ),
    attach: list[Path] = typer.Option([], "--attach", "-a", metavar=_("CHEMIN"), help=ATTACH_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    opts = SendOptions(
        body=body,
        body_file=body_file,
        attach=list(attach),
        dry_run=dry_run,
        json=json_output,
        category=category,
        subject=subject,
    )
    run_send(app_context(ctx), opts)


def reply(
    ctx: typer.Context,
    conversation_id: str = typer.Argument(..., metavar="ID", help=_("La conversation.")),
    body: str | None = typer.Option(None, "--body", "-b", metavar=_("TEXTE"), help=BODY_HELP),
    body_file: Path | None = typer.Option(
        None, "--body-file", "-F", metavar=_("CHEMIN"), help=BODY_FILE_HELP
    ),
    attach: list[Path] = typer.Option([], "--attach", "-a", metavar=_("CHEMIN"), help=ATTACH_HELP),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    opts = ReplyOptions(
        body=body,
        body_file=body_file,
        attach=list(attach),
        dry_run=dry_run,
        json=json_output,
        conversation_id=conversation_id,
    )
    run_reply(app_context(ctx), opts)


def list_(
    ctx: typer.Context,
    unread: bool = typer.Option(False, "--unread", help=_("Seulement celles avec du non lu.")),
    nir: str | None = typer.Option(None, "--nir", metavar="NIR", help=NIR_HELP),
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    run_list(app_context(ctx), unread=unread, json_output=json_output, nir=nir)


def show(
    ctx: typer.Context,
    conversation_id: str = typer.Argument(..., metavar="ID", help=_("La conversation.")),
    nir: str | None = typer.Option(None, "--nir", metavar="NIR", help=NIR_HELP),
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    run_show(app_context(ctx), conversation_id, json_output=json_output, nir=nir)


def download(
    ctx: typer.Context,
    conversation_id: str = typer.Argument(..., metavar="ID", help=_("La conversation.")),
    out_dir: Path = typer.Option(
        Path("."), "--out-dir", "-o", metavar=_("DOSSIER"), help=_("Où écrire (défaut : ici).")
    ),
    attachment: str | None = typer.Option(
        None, "--attachment", metavar="ID", help=_("Seulement cette pièce jointe.")
    ),
    force: bool = typer.Option(False, "--force", help=_("Écraser les fichiers existants.")),
    nir: str | None = typer.Option(None, "--nir", metavar="NIR", help=NIR_HELP),
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    run_download(
        app_context(ctx),
        conversation_id,
        out_dir=out_dir,
        attachment=attachment,
        force=force,
        json_output=json_output,
        nir=nir,
    )


@outbox_app.callback()
def outbox(
    ctx: typer.Context,
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    if ctx.invoked_subcommand is None:
        run_outbox_list(app_context(ctx), json_output=json_output)


def outbox_send(
    ctx: typer.Context,
    json_output: bool = typer.Option(False, "--json", help=JSON_HELP),
) -> None:
    run_outbox_send(app_context(ctx), json_output=json_output)


def outbox_discard(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help=_("L'entrée (ameli message outbox).")),
) -> None:
    run_outbox_discard(app_context(ctx), entry_id)


# Registered by call, not decorator: AmeliTyper.command is untyped for mypy.
app.command(
    "categories",
    help=_("Lister les catégories de message et les limites des pièces jointes."),
    epilog=_("Exemple :\n\n\b\n  ameli message categories"),
)(categories)
app.command(
    "send",
    help=_(
        "Écrire à votre caisse. Tout est vérifié avant l'envoi ; si le service ne répond"
        " pas, le message est gardé dans la boîte d'envoi (ameli message outbox send)."
    ),
    epilog=_(
        "Exemples :\n\n\b\n"
        "  ameli message send --category remboursement --subject 'Feuille de soins'"
        " --body 'Bonjour, …' --attach feuille.pdf\n"
        "  ameli message send --category autre --subject 'Question' < question.txt"
    ),
)(send)
app.command(
    "reply",
    help=_("Répondre dans une conversation (mêmes options de texte et de pièces jointes)."),
    epilog=_(
        "Exemple :\n\n\b\n  ameli message reply MK7P2QX --body 'Merci, voici la facture.'"
        " --attach facture.pdf"
    ),
)(reply)
app.command(
    "list",
    help=_("Lister les conversations, les plus récentes d'abord."),
    epilog=_("Exemples :\n\n\b\n  ameli message list\n  ameli message list --unread --json"),
)(list_)
app.command(
    "show",
    help=_("Lire une conversation (la marque comme lue)."),
    epilog=_("Exemple :\n\n\b\n  ameli message show MK7P2QX"),
)(show)
app.command(
    "download",
    help=_("Télécharger les pièces jointes d'une conversation."),
    epilog=_("Exemple :\n\n\b\n  ameli message download MK7P2QX --out-dir ~/Documents"),
)(download)
outbox_app.command(
    "send",
    help=_(
        "Renvoyer les messages de la boîte d'envoi, avec leur clé d'origine : un message"
        " déjà reçu par le service n'est jamais envoyé deux fois."
    ),
    epilog=_("Exemple :\n\n\b\n  ameli message outbox send"),
)(outbox_send)
outbox_app.command(
    "discard",
    help=_("Retirer un message de la boîte d'envoi sans l'envoyer."),
    epilog=_("Exemple :\n\n\b\n  ameli message outbox discard 20261124-081500-1a2b"),
)(outbox_discard)
