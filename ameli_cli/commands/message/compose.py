"""What every message needs checked before it is sent (text, subject, attachments,
category), and `ameli message categories`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.message.group import app
from ameli_cli.commands.options import JsonOption
from ameli_cli.render.sizes import human_size
from ameli_cli.runtime.errors import ApiError, BackendUnreachable, UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.records import MessageCategories
    from ameli_cli.runtime.context import AppContext

# The service's limits (invented, see ameli_sandbox/features/messages.py), checked here
# before anything is sent.
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_SUBJECT = 120
MAX_BODY = 10_000
ID_PATTERN = re.compile(r"^[A-Za-z0-9]{1,40}$")
CATEGORIES_CACHE = "message-categories.json"


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
    try:
        edited = click.edit(marker + "\n", extension=".txt", require_save=True)
    except click.ClickException:  # the editor is missing or exited non-zero
        import os

        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        raise UsageError(
            _(
                "l'éditeur « {editor} » n'a pas pu s'ouvrir ou a échoué ; rien n'a été envoyé."
                " Passez le texte avec --body ou --body-file, ou corrigez $EDITOR."
            ).format(editor=editor)
        ) from None
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
        check_attachment_name(path)
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


def attachment_name_reason(reason: str) -> str:
    """Why a file name is refused (ameli_rules.filenames), in the user's words."""
    reasons = {
        "empty": _("le nom est vide"),
        "too_long": _("le nom dépasse 200 caractères"),
        "control": _("le nom contient un caractère de contrôle ou d'inversion de sens"),
        "separator": _("le nom contient / ou \\"),
        "dot": _("le nom est . ou .."),
        "spaces": _("le nom commence ou finit par une espace"),
    }
    return reasons.get(reason, reason)


def check_attachment_name(path: Path) -> None:
    """The service refuses names that would be dangerous to its readers: say so here,
    before anything is sent."""
    from ameli_rules.filenames import attachment_name_problem

    reason = attachment_name_problem(path.name)
    if reason is not None:
        raise UsageError(
            _("--attach : {path} : {reason} ; renommez le fichier puis relancez.").format(
                path=path, reason=attachment_name_reason(reason)
            )
        )


def _categories_cache(app: AppContext) -> Path:
    return app.paths.profile_cache_dir(app.profile) / CATEGORIES_CACHE


def fetch_categories(app: AppContext, *, retry: bool = True) -> MessageCategories:
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


def _cached_categories(app: AppContext, *, warn: bool = True) -> dict[str, Any] | None:
    """The categories last fetched: a local file, so any shape (read with care). A
    damaged cache counts as none: the next check asks the service and rewrites it."""
    path = _categories_cache(app)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        data = None
    items = data.get("items") if isinstance(data, dict) else None
    if isinstance(items, list) and all(
        isinstance(i, dict) and isinstance(i.get("code"), str) for i in items
    ):
        return data  # type: ignore[no-any-return]
    if warn:
        app.io.warn(
            _("{path} : cache illisible, ignoré ; « ameli message categories » le réécrit.").format(
                path=path
            )
        )
    return None


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


def _codes(categories: Mapping[str, Any]) -> list[str]:
    return [str(item["code"]) for item in categories.get("items", [])]


def run_categories(app: AppContext, *, json_output: bool) -> MessageCategories:
    result = fetch_categories(app)
    if json_output:
        app.io.write_json(result)
        return result
    from ameli_cli.render.sizes import human_size
    from ameli_cli.render.tables import Column, print_table

    print_table(
        app.io,
        [Column(_("catégorie"), "code"), Column(_("libellé"), min_width=20)],
        [[item["code"], item["label"]] for item in result["items"]],
    )
    limits = result.get("attachment_limits")
    if limits:
        kinds = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
        types = [kinds.get(str(t), str(t)) for t in limits.get("content_types", [])]
        app.io.write(
            "\n"
            + _(
                "Pièces jointes : {n} fichiers au plus par message, {size} au plus chacun ;"
                " {types}."
            ).format(
                n=limits.get("max_files", "?"),
                size=human_size(int(limits.get("max_bytes", 0))),
                types=", ".join(types),
            )
            + "\n"
        )
    return result


def category_label(app: AppContext, code: str) -> str:
    """A category's label from the categories last fetched; the code if unknown."""
    cached = _cached_categories(app, warn=False) or {}
    for item in cached.get("items", []):
        if isinstance(item, dict) and item.get("code") == code:
            return str(item.get("label") or code)
    return code


# -- send and reply --------------------------------------------------------------------


@app.command(
    "categories",
    help=_("Lister les catégories de message et les limites des pièces jointes."),
    epilog=_("Exemple :\n\n\b\n  ameli message categories"),
)
def categories(ctx: typer.Context, json_output: JsonOption = False) -> None:
    run_categories(app_context(ctx), json_output=json_output)
