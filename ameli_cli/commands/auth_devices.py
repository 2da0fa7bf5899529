"""`ameli auth devices list|revoke`: the devices that skip the one-time code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.options import JsonOption
from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.errors import ApiError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.records import Device, DevicesRevoked
    from ameli_cli.runtime.context import AppContext

DEVICE_ID = re.compile(r"^dev_[0-9a-f]{8}$")
NAME_WIDTH = 27

app = AmeliTyper(
    help=_(
        "Appareils de confiance : ceux qui se connectent sans code à usage unique (environ"
        " 6 mois après le code)."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli auth devices list\n  ameli auth devices revoke --all-others"
    ),
)


@app.command(
    "list",
    help=_("Lister les appareils de confiance du compte ; « * » marque celui-ci."),
    epilog=_("Exemple :\n\n\b\n  ameli auth devices list --json"),
)
def list_command(
    ctx: typer.Context,
    json_output: JsonOption = False,
) -> None:
    run_list(app_context(ctx), json_output=json_output)


def run_list(app: AppContext, *, json_output: bool) -> list[Device]:
    devices = app.client().list_devices()
    if json_output:
        app.io.write_json(devices)
        return devices
    if not devices:
        app.io.info(_("Aucun appareil de confiance : chaque connexion demandera un code."))
        return devices
    from ameli_cli.render.dates import display_date
    from ameli_cli.render.tables import print_table

    print_table(
        app.io,
        ["", _("id"), _("appareil"), _("depuis"), _("vu le"), _("expire le")],
        [
            [
                "*" if d["current"] else "",
                d["id"],
                _fit(inert(d["name"])),
                display_date(d["first_seen"]),
                display_date(d["last_seen"]),
                display_date(d["trusted_until"]),
            ]
            for d in devices
        ],
    )
    return devices


def _fit(name: str) -> str:
    """The name is the one cell that may be cut: ids and dates never are (80 columns)."""
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"


@dataclass
class RevokeOptions:
    device_id: str | None
    all_others: bool
    json: bool


@app.command(
    "revoke",
    help=_(
        "Retirer la confiance à un appareil (ou à tous les autres avec --all-others) : ses"
        " sessions prennent fin tout de suite et sa prochaine connexion demandera un code."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli auth devices revoke dev_31af8905\n"
        "  ameli auth devices revoke --all-others"
    ),
)
def revoke(
    ctx: typer.Context,
    device_id: str | None = typer.Argument(
        None,
        metavar="ID",
        help=_("L'id montré par « ameli auth devices list »."),
        show_default=False,
    ),
    all_others: bool = typer.Option(
        False, "--all-others", help=_("Tous les appareils sauf celui-ci.")
    ),
    json_output: JsonOption = False,
) -> None:
    run_revoke(app_context(ctx), RevokeOptions(device_id, all_others, json_output))


def run_revoke(app: AppContext, opts: RevokeOptions) -> DevicesRevoked:
    if (opts.device_id is None) == (not opts.all_others):
        raise UsageError(
            _("Nommez un appareil (ID, voir « ameli auth devices list ») ou --all-others.")
        )
    if opts.device_id is not None and not DEVICE_ID.match(opts.device_id):
        raise UsageError(
            _("ID : « dev_ » et 8 caractères hexadécimaux, voir « ameli auth devices list ».")
        )
    client = app.client()
    try:
        if opts.device_id is not None:
            result = client.revoke_device(opts.device_id)
        else:
            result = client.revoke_other_devices()
    except ApiError as exc:
        if exc.status == 404:
            raise UsageError(
                _(
                    "Aucun appareil de confiance {id} sur ce compte (ameli auth devices list)."
                ).format(id=opts.device_id)
            ) from None
        raise
    if opts.json:
        app.io.write_json(result)
        return result
    revoked = result["revoked"]
    for device in revoked:
        app.io.info(
            _("Confiance retirée : {id} {name} ; ses sessions sont fermées.").format(
                id=device["id"], name=inert(device["name"])
            )
        )
    if not revoked:
        app.io.info(_("Aucun autre appareil de confiance."))
    if any(d["current"] for d in revoked):
        app.credentials.delete()  # the service ended it: keep no dead token here
        app.io.warn(_("c'était cet appareil : cette session est fermée aussi (ameli login)."))
    return result


def current_trusted_device(client: Any) -> str | None:
    """This device's id among the account's trusted devices (`logout --purge` names it)."""
    from ameli_cli.runtime.errors import AmeliError

    try:
        devices = client.list_devices()
    except AmeliError:
        return None
    return next((str(d["id"]) for d in devices if d.get("current")), None)
