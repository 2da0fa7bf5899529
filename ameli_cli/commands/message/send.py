"""`ameli message send` and `ameli message reply`: checked, saved in the outbox with
their idempotency key, then delivered (see delivery.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.message.compose import (
    ReplyOptions,
    SendOptions,
    check_category,
    check_id,
    check_subject,
    load_attachments,
    read_body,
)
from ameli_cli.commands.message.delivery import (
    Kept,
    Rejected,
    attempt,
    confirm_delivered,
    outbox_dir,
    sentence,
)
from ameli_cli.commands.message.group import app
from ameli_cli.commands.options import JsonOption
from ameli_cli.render.sizes import human_size
from ameli_cli.runtime.errors import BackendUnreachable, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.records import Conversation
    from ameli_cli.runtime.context import AppContext

BODY_HELP = _(
    "Texte du message (sinon --body-file, l'entrée standard, ou $EDITOR sur un terminal)."
)
BODY_FILE_HELP = _("Lire le texte dans ce fichier (UTF-8) ; « - » pour l'entrée standard.")
ATTACH_HELP = _("Joindre un fichier PDF, JPEG ou PNG (5 au plus, 5 Mo chacun) ; répétable.")
DRY_RUN_HELP = _("Tout vérifier et montrer ce qui serait envoyé, sans rien envoyer.")

# The text and attachment options `send` and `reply` share, declared once.
BodyOption = Annotated[str | None, typer.Option("--body", "-b", metavar=_("TEXTE"), help=BODY_HELP)]
BodyFileOption = Annotated[
    Path | None, typer.Option("--body-file", "-F", metavar=_("CHEMIN"), help=BODY_FILE_HELP)
]
AttachOption = Annotated[
    list[Path] | None, typer.Option("--attach", "-a", metavar=_("CHEMIN"), help=ATTACH_HELP)
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help=DRY_RUN_HELP)]


@app.command(
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
)
def send(
    ctx: typer.Context,
    category: str = typer.Option(
        ..., "--category", "-c", metavar="CAT", help=_("Catégorie (ameli message categories).")
    ),
    subject: str = typer.Option(
        ..., "--subject", "-s", metavar=_("TEXTE"), help=_("Sujet (120 caractères au plus).")
    ),
    body: BodyOption = None,
    body_file: BodyFileOption = None,
    attach: AttachOption = None,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    opts = SendOptions(
        body=body,
        body_file=body_file,
        attach=list(attach or []),
        dry_run=dry_run,
        json=json_output,
        category=category,
        subject=subject,
    )
    run_send(app_context(ctx), opts)


@app.command(
    "reply",
    help=_("Répondre dans une conversation (mêmes options de texte et de pièces jointes)."),
    epilog=_(
        "Exemple :\n\n\b\n  ameli message reply MK7P2QX --body 'Merci, voici la facture.'"
        " --attach facture.pdf"
    ),
)
def reply(
    ctx: typer.Context,
    conversation_id: str = typer.Argument(..., metavar="ID", help=_("La conversation.")),
    body: BodyOption = None,
    body_file: BodyFileOption = None,
    attach: AttachOption = None,
    dry_run: DryRunOption = False,
    json_output: JsonOption = False,
) -> None:
    opts = ReplyOptions(
        body=body,
        body_file=body_file,
        attach=list(attach or []),
        dry_run=dry_run,
        json=json_output,
        conversation_id=conversation_id,
    )
    run_reply(app_context(ctx), opts)


def run_send(app: AppContext, opts: SendOptions) -> Conversation | dict[str, Any]:
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


def run_reply(app: AppContext, opts: ReplyOptions) -> Conversation | dict[str, Any]:
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


def _deliver_new(
    app: AppContext,
    kind: str,
    request: dict[str, Any],
    conversation: str | None,
    json_output: bool,
) -> Conversation:
    from ameli_cli.api.client import new_idempotency_key
    from ameli_cli.domain import outbox

    directory = outbox_dir(app)
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
        result = attempt(app, entry)
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
            ).format(error=sentence(exc.message), id=entry.id, hint=hint),
            sent=exc.sent,
        ) from None
    except Kept as kept:
        if json_output:
            app.io.write_json({"status": "queued", "outbox": entry.summary()})
        raise Rejected(
            _(
                "{error} Votre message est gardé dans la boîte d'envoi ({id}) ; renvoyez-le"
                " ensuite avec : ameli message outbox send"
            ).format(error=sentence(kept.message), id=entry.id),
            kept.exit_code,
        ) from None
    _report_delivered(app, kind, result, json_output=json_output, pending=pending_before)
    return result


def _report_delivered(
    app: AppContext, kind: str, result: Conversation, *, json_output: bool, pending: int
) -> None:
    """The new conversation's id on stdout, and a reminder of older messages still in
    the outbox."""
    if json_output:
        app.io.write_json(result)
    else:
        app.io.write(f"{result['id']}\n")
        confirm_delivered(app, kind, result)
    if pending:
        app.io.info(
            _("{n} message(s) toujours dans la boîte d'envoi : ameli message outbox send").format(
                n=pending
            )
        )
