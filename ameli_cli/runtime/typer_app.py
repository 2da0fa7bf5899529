"""Typer with help and usage errors in the user's language.

typer vendors click with its words hard-coded in English ("Usage:", "Options",
"Show this message and exit."). These subclasses put them through `_()`; every
command module builds its app with `AmeliTyper` so the whole tree gets them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
import typer.core
from typer._click.formatting import HelpFormatter  # typer is pinned below 0.29

from ameli_cli.runtime.i18n import LANGUAGE, _

CommandFunction = TypeVar("CommandFunction", bound=Callable[..., Any])


# typer.core passes its own few words through gettext but ships no catalogue, and
# our catalogue's message ids are French: so its words are translated here, for
# French, by replacing the module's `_` (typer is pinned below 0.29).
_TYPER_WORDS_FR = {
    "required": "obligatoire",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable : {var}",
    "(dynamic)": "(dynamique)",
    "(deprecated) ": "(obsolète) ",
    "Aborted!": "Interrompu.",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
}


def _typer_words(message: str) -> str:
    return _TYPER_WORDS_FR.get(message, message) if LANGUAGE == "fr" else message


typer.core._ = _typer_words  # type: ignore[attr-defined]


def _section_title(name: str) -> str:
    titles = {"Options": _("Options"), "Commands": _("Commandes"), "Arguments": _("Arguments")}
    return titles.get(name, name)


class AmeliHelpFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Utilisation : "))

    def write_heading(self, heading: str) -> None:
        # French puts a space before the colon.
        self.write(f"{'':>{self.current_indent}}" + _("{heading} :").format(heading=heading) + "\n")

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_section_title(name)):
            yield


class AmeliContext(typer.Context):
    formatter_class = AmeliHelpFormatter


def _translated_help_option(option: Any) -> Any:
    if option is not None:
        option.help = _("Afficher cette aide et quitter.")
    return option


class AmeliCommand(typer.core.TyperCommand):
    context_class = AmeliContext

    def get_help_option(self, ctx: Any) -> Any:
        return _translated_help_option(super().get_help_option(ctx))


class AmeliGroup(typer.core.TyperGroup):
    context_class = AmeliContext

    def get_help_option(self, ctx: Any) -> Any:
        return _translated_help_option(super().get_help_option(ctx))


class AmeliTyper(typer.Typer):
    """A Typer app whose groups and commands speak the user's language, with plain
    (not Rich) help: Rich-formatted help costs ~95 ms at every `--help`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", AmeliGroup)
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("pretty_exceptions_enable", False)
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[CommandFunction], CommandFunction]:
        kwargs.setdefault("cls", AmeliCommand)
        decorator: Callable[[CommandFunction], CommandFunction] = super().command(*args, **kwargs)
        return decorator


def usage_error_lines(exc: Any) -> list[str]:
    """A click usage error as our one line plus where to find help."""
    name = type(exc).__name__
    if name == "NoSuchOption":
        message = _("option inconnue : {option}").format(option=exc.option_name)
        if exc.possibilities:
            message += _(" (vouliez-vous dire {options} ?)").format(
                options=", ".join(sorted(exc.possibilities))
            )
    elif name == "MissingParameter":
        message = _("il manque {what}").format(
            what=exc.format_message().split("'")[1]
            if "'" in exc.format_message()
            else exc.format_message()
        )
    elif extra := re.match(
        r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", exc.format_message()
    ):
        message = _("argument en trop : {detail}").format(detail=extra.group(1))
    else:
        message = exc.format_message()
    lines = [_("erreur : {message}").format(message=message)]
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(_("Aide : {command} --help").format(command=ctx.command_path))
    return lines
