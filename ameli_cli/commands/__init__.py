"""One module per noun. Each command parses its flags into an options record and
calls a plain `run_*` function, which tests may call directly."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

YES_ANSWERS = frozenset({"o", "oui", "y", "yes"})
NIR_HELP = _("Agents : NIR de l'assuré concerné (13 ou 15 caractères).")


def app_context(ctx: typer.Context) -> AppContext:
    obj: AppContext = ctx.find_root().obj
    return obj


def subject_nir(app: AppContext, raw: str | None) -> str | None:
    """`--nir` checked; an agent must give it (an assuré may, for itself)."""
    if raw is None:
        session = app.session()
        if session is not None and session.role == "agent" and not app.credentials.env_token():
            raise UsageError(_("--nir : un agent agit pour un assuré ; passez son NIR."))
        return None
    from ameli_cli.domain.validation import parse_nir

    return parse_nir(raw, option="--nir")


def ask_yes_no(question: str) -> bool:
    """Yes or no, "non" by default; accepts o/oui as well as y/yes in any language."""
    from ameli_cli.runtime.prompts import ask

    choices = _("[o/N]")
    return ask(f"{question} {choices}").strip().casefold() in YES_ANSWERS
