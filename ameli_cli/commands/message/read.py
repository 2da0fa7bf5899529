"""Reading the conversations: `ameli message list`, `show` (marks read) and
`download` (the attachments, checked against their SHA-256)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.message.compose import check_id
from ameli_cli.commands.message.group import app
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.render.dates import local_time
from ameli_cli.render.sizes import human_size
from ameli_cli.runtime.errors import AmeliError, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.api.client import AmeliClient
    from ameli_cli.records import Attachment, Conversation, ConversationSummary, Message
    from ameli_cli.runtime.context import AppContext


@app.command(
    "list",
    help=_("Lister les conversations, les plus récentes d'abord."),
    epilog=_("Exemples :\n\n\b\n  ameli message list\n  ameli message list --unread --json"),
)
def list_(
    ctx: typer.Context,
    unread: bool = typer.Option(False, "--unread", help=_("Seulement celles avec du non lu.")),
    nir: NirOption = None,
    json_output: JsonOption = False,
) -> None:
    run_list(app_context(ctx), unread=unread, json_output=json_output, nir=nir)


@app.command(
    "show",
    help=_("Lire une conversation (la marque comme lue)."),
    epilog=_("Exemple :\n\n\b\n  ameli message show MK7P2QX"),
)
def show(
    ctx: typer.Context,
    conversation_id: str = typer.Argument(..., metavar="ID", help=_("La conversation.")),
    nir: NirOption = None,
    json_output: JsonOption = False,
) -> None:
    run_show(app_context(ctx), conversation_id, json_output=json_output, nir=nir)


@app.command(
    "download",
    help=_("Télécharger les pièces jointes d'une conversation."),
    epilog=_("Exemple :\n\n\b\n  ameli message download MK7P2QX --out-dir ~/Documents"),
)
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
    nir: NirOption = None,
    json_output: JsonOption = False,
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


def _status_label(item: ConversationSummary) -> str:
    if item["status"] == "awaiting_reply":
        return _("en attente de réponse")
    return _("répondu")


def run_list(
    app: AppContext, *, unread: bool, json_output: bool, nir: str | None = None
) -> list[ConversationSummary]:
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
    from ameli_cli.render.tables import Column, print_table

    print_table(
        app.io,
        [
            Column(_("ID"), "id"),
            Column(_("mis à jour"), "date"),
            Column(_("catégorie"), priority=2, min_width=14),
            Column(_("sujet"), min_width=16),
            Column(_("état"), min_width=10),
            Column(_("non lus"), "number", priority=1),
        ],
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


def _author_label(message: Message) -> str:
    if message["author"] == "assure":
        return _("Vous")
    if message["kind"] == "acknowledgement":
        return _("Votre caisse (accusé de réception)")
    return _("Votre caisse")


def run_show(
    app: AppContext, conversation_id: str, *, json_output: bool, nir: str | None = None
) -> Conversation:
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
            _(" (d'ici le {date})").format(date=local_time(expected_by, with_time=False))
            if (expected_by := detail["reply_expected_by"])
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
    _prepare_out_dir(out_dir, targets, force=force)
    written: list[dict[str, Any]] = []
    for a in found:
        content = _fetch_checked(client, conversation, a, nir=subject)
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


def _prepare_out_dir(out_dir: Path, targets: dict[str, Path], *, force: bool) -> None:
    """Nothing overwritten without --force; --out-dir created when missing (`mkdir -p`)."""
    from ameli_cli.runtime.private_files import check_output_file

    existing = [str(p) for p in targets.values() if p.exists() or p.is_symlink()]
    for path in targets.values():
        if str(path) in existing:  # never a FIFO, a device, a folder or a link
            check_output_file(path, force=True)
    if existing and not force:
        raise UsageError(
            _("--out-dir : {paths} existe déjà ; passez --force pour écraser.").format(
                paths=", ".join(existing)
            )
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            _("--out-dir : impossible d'utiliser {path} ({error}).").format(
                path=out_dir, error=exc.strerror or exc
            )
        ) from None


def _fetch_checked(
    client: AmeliClient, conversation: str, attachment: Attachment, *, nir: str | None
) -> bytes:
    """The attachment's bytes, refused unless they match the SHA-256 the service gave."""
    import hashlib

    content = client.fetch_message_attachment(conversation, attachment["id"], nir=nir)
    if hashlib.sha256(content).hexdigest() != attachment["sha256"]:
        raise AmeliError(
            _("{name} : le contenu reçu ne correspond pas à l'empreinte ; réessayez.").format(
                name=attachment["filename"]
            )
        )
    return content


def _target_names(attachments: list[Attachment], out_dir: Path) -> dict[str, Path]:
    """A safe file name per attachment, inside --out-dir whatever the stored name says
    (names stored before the service refused hostile ones may hold NUL, `..`, escapes):
    the base name made harmless; the attachment id added when two share a name."""
    from ameli_cli.runtime.safe_paths import path_inside, safe_name

    names: dict[str, Path] = {}
    seen: set[str] = set()
    for a in attachments:
        attachment_id = safe_name(str(a["id"]), fallback="piece")
        base = str(a["filename"]).replace("\\", "/").rsplit("/", 1)[-1]
        name = safe_name(base, fallback=attachment_id)
        tries = 1
        while name.lower() in seen:  # the id first: a long name is cut at its end
            name = safe_name(
                f"{attachment_id}-{tries}-{base}" if tries > 1 else f"{attachment_id}-{base}"
            )
            tries += 1
        seen.add(name.lower())
        path_inside(out_dir, name)  # refused (exit 2) if it would leave --out-dir
        names[a["id"]] = out_dir / name
    return names


# -- Typer commands --------------------------------------------------------------------
