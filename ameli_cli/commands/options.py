"""Options several commands share, defined once (like gh's AddJSONFlags): a command
declares `json_output: JsonOption = False` and gets the same flag and help."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ameli_cli.commands import NIR_HELP
from ameli_cli.runtime.i18n import _

JSON_HELP = _("Sortie JSON.")

JsonOption = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
"""`--json`: the data as JSON on stdout, the same whatever the language."""

NirOption = Annotated[str | None, typer.Option("--nir", metavar="NIR", help=NIR_HELP)]
"""`--nir`: agents act for an assuré (see `subject_nir`)."""


def json_option(help_text: str) -> Any:
    """`--json` with a help of its own, for the few commands whose JSON differs
    (a list, NDJSON, the signed data instead of a PDF):
    `json_output: bool = json_option(_("Sortie JSON (liste)."))`."""
    return typer.Option(False, "--json", help=help_text)
