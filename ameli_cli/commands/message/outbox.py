"""`ameli message outbox`: the messages the service did not confirm, listed, sent
again with their original key (never twice), or discarded."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.message.delivery import (
    Kept,
    attempt,
    confirm_delivered,
    outbox_dir,
    sentence,
)
from ameli_cli.commands.message.group import app
from ameli_cli.commands.options import JsonOption
from ameli_cli.render.dates import local_time
from ameli_cli.runtime.errors import (
    AmeliError,
    AuthRequired,
    BackendUnreachable,
    ExitCode,
    PartialFailure,
    UsageError,
)
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from pathlib import Path

    from ameli_cli.domain.outbox import OutboxEntry
    from ameli_cli.runtime.context import AppContext

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


@outbox_app.callback()
def outbox(ctx: typer.Context, json_output: JsonOption = False) -> None:
    if ctx.invoked_subcommand is None:
        run_outbox_list(app_context(ctx), json_output=json_output)


@outbox_app.command(
    "send",
    help=_(
        "Renvoyer les messages de la boîte d'envoi, avec leur clé d'origine : un message"
        " déjà reçu par le service n'est jamais envoyé deux fois."
    ),
    epilog=_("Exemple :\n\n\b\n  ameli message outbox send"),
)
def outbox_send(ctx: typer.Context, json_output: JsonOption = False) -> None:
    run_outbox_send(app_context(ctx), json_output=json_output)


@outbox_app.command(
    "discard",
    help=_("Retirer un message de la boîte d'envoi sans l'envoyer."),
    epilog=_("Exemple :\n\n\b\n  ameli message outbox discard 20261124-081500-1a2b"),
)
def outbox_discard(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., metavar="ID", help=_("L'entrée (ameli message outbox).")),
) -> None:
    run_outbox_discard(app_context(ctx), entry_id)


def warn_unreadable(app: AppContext, unreadable: list[Path]) -> None:
    """One line per damaged entry: the file, kept as is, and the command that removes it."""
    for path in unreadable:
        app.io.warn(
            _(
                "{path} : entrée illisible, gardée telle quelle ; retirez-la avec :"
                " ameli message outbox discard {id}"
            ).format(path=path, id=path.stem)
        )


def run_outbox_list(app: AppContext, *, json_output: bool) -> list[dict[str, Any]]:
    from ameli_cli.domain import outbox

    entries, unreadable = outbox.load_all(outbox_dir(app))
    warn_unreadable(app, unreadable)
    rows = [e.summary() for e in entries]
    if json_output:
        app.io.write_json(rows)
        return rows
    if not rows:
        app.io.info(_("La boîte d'envoi est vide."))
        return rows
    from ameli_cli.commands.message.compose import category_label
    from ameli_cli.render.tables import Column, print_table

    print_table(
        app.io,
        [
            Column(_("ID"), "id"),
            Column(_("écrit le"), "date"),
            Column(_("envoi"), min_width=14),
            Column(_("sujet"), min_width=16),
            Column(_("essais"), "number", priority=2),
            Column(_("dernière erreur"), priority=1, min_width=16),
        ],
        [
            [
                e.id,
                local_time(e.created_at),
                _("réponse à {id}").format(id=e.conversation_id)
                if e.kind == "reply"
                else category_label(app, str(e.request.get("category", ""))),
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

    entries, unreadable = outbox.load_all(outbox_dir(app))
    warn_unreadable(app, unreadable)
    results: list[dict[str, Any]] = []
    if not entries and not unreadable:
        if json_output:
            app.io.write_json(results)
        else:
            app.io.info(_("La boîte d'envoi est vide."))
        return results
    stop: AmeliError | None = None  # what every later entry would meet too
    for entry in entries:
        status, stop = _send_one(app, entry, stop, json_output=json_output)
        if status["status"] != "delivered" and not json_output:
            app.io.warn(_("{id} non envoyé : {error}").format(id=entry.id, error=status["error"]))
        results.append(status)
    results += [
        {"outbox_id": path.stem, "status": "unreadable", "error": str(path)} for path in unreadable
    ]
    if json_output:
        app.io.write_json(results)
    _outcome(app, results, stop)
    return results


def _send_one(
    app: AppContext, entry: OutboxEntry, stop: AmeliError | None, *, json_output: bool
) -> tuple[dict[str, Any], AmeliError | None]:
    """One entry's attempt, unless an earlier answer (service down, quota reached,
    session ended) says it would fail the same way: then it stays, untried."""
    status: dict[str, Any] = {"outbox_id": entry.id}
    if entry.backend != app.backend:
        status.update(status="skipped", error=entry.backend)
        app.io.warn(
            _("{id} : écrit pour {theirs}, pas pour {ours} ; laissé dans la boîte.").format(
                id=entry.id, theirs=entry.backend, ours=app.backend
            )
        )
        return status, stop
    if stop is not None:
        status.update(status="kept", error=stop.message)
        return status, stop
    try:
        result = attempt(app, entry)
    except BackendUnreachable as exc:
        status.update(status="kept", error=exc.message)
        return status, exc
    except Kept as exc:
        status.update(status="kept", error=exc.message)
        same_for_all = exc.exit_code in (ExitCode.RETRY_LATER, ExitCode.AUTH)
        return status, exc if same_for_all else stop
    except AmeliError as exc:
        status.update(status="rejected", error=exc.message)
        return status, stop
    status.update(status="delivered", conversation_id=result["id"])
    if not json_output:
        app.io.write(f"{result['id']}\n")
        confirm_delivered(app, entry.kind, result)
    return status, stop


def _outcome(app: AppContext, results: list[dict[str, Any]], stop: AmeliError | None) -> None:
    """The exit: 7 when a quota (429) keeps messages (the line says when to retry),
    else 6 when some went, 5 when the service is down, 4 when the session ended, 1."""
    delivered = sum(1 for r in results if r["status"] == "delivered")
    failed = len(results) - delivered
    if not failed:
        app.io.info(_("{n} message(s) envoyé(s) ; la boîte d'envoi est vide.").format(n=delivered))
        return
    summary = _("{ok} envoyé(s), {failed} toujours dans la boîte d'envoi.").format(
        ok=delivered, failed=failed
    )
    if stop is not None and stop.exit_code == ExitCode.RETRY_LATER:
        raise RetryLater(
            summary + " " + sentence(stop.message) + " " + _("Puis : ameli message outbox send")
        )
    if delivered:
        raise PartialFailure(summary)
    if isinstance(stop, BackendUnreachable):
        raise BackendUnreachable(summary, sent=stop.sent)
    if stop is not None and stop.exit_code == ExitCode.AUTH:
        raise AuthRequired(summary + " " + sentence(stop.message))
    raise AmeliError(summary)


class RetryLater(AmeliError):
    exit_code = ExitCode.RETRY_LATER


def run_outbox_discard(app: AppContext, entry_id: str) -> None:
    from ameli_cli.domain import outbox

    if not re.match(r"^[0-9A-Za-z-]{1,40}$", entry_id) or not outbox.remove(
        outbox_dir(app), entry_id
    ):
        raise UsageError(
            _("ID : « {id} » n'est pas dans la boîte d'envoi (ameli message outbox).").format(
                id=entry_id
            )
        )
    app.io.info(_("{id} retiré de la boîte d'envoi.").format(id=entry_id))


# -- list, show, download --------------------------------------------------------------
