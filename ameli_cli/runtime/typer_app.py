"""Typer with help and usage errors in the user's language.

typer vendors click with its words hard-coded in English ("Usage:", "Options",
"Show this message and exit."). These subclasses put them through `_()`; every
command module builds its app with `AmeliTyper` so the whole tree gets them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
import typer._click.types
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

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        unknown = args and not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            raise unknown_command_error(ctx, self, name)
        return super().resolve_command(ctx, args)


def suggestions(typed: str, names: list[str]) -> list[str]:
    """Commands a typo most likely meant: singular/plural first (`messages` →
    `message`, `paiement` → `paiements`), then close spellings (difflib)."""
    import difflib

    folded = typed.casefold()
    plural = [n for n in names if folded in (n + "s", n.rstrip("s")) or n == folded + "s"]
    close = difflib.get_close_matches(folded, names, n=3, cutoff=0.6)
    return list(dict.fromkeys([*plural, *close]))[:3]


def unknown_command_error(ctx: Any, group: Any, typed: str) -> Exception:
    from typer._click.exceptions import UsageError as ClickUsageError

    names = group.list_commands(ctx)
    message = _("commande inconnue : « {name} »").format(name=typed)
    found = suggestions(typed, names)
    if found:
        message += _(" (vouliez-vous dire {names} ?)").format(
            names=_(" ou ").join(f"« {n} »" for n in found)
        )
    else:
        message += _(" ; commandes : {names}").format(names=", ".join(names))
    return ClickUsageError(message, ctx)


class LazyVerbsGroup(AmeliGroup):
    """A group some of whose verbs live in modules of their own, imported only when
    that verb runs or a help lists it: `vitale status` need not import `vitale order`
    (issue 18). `typer_app` and `lazy_verbs` are set by `AmeliTyper(lazy_verbs=…)`."""

    typer_app: typer.Typer
    lazy_verbs: tuple[tuple[str, str], ...] = ()

    def list_commands(self, ctx: Any) -> list[str]:
        lazy = [name for name, _module in self.lazy_verbs]
        return [n for n in super().list_commands(ctx) if n not in lazy] + lazy

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        module_name = dict(self.lazy_verbs).get(cmd_name)
        if found is not None or module_name is None:
            return found
        from importlib import import_module

        module = import_module(module_name)
        # A command registers on this group's Typer when its module is imported; a
        # group (`auth password`) is its module's own `app`.
        command = command_of(self.typer_app, cmd_name)
        if command is None:
            command = typer.main.get_group(module.app)
            command.name = cmd_name
        self.add_command(command, cmd_name)
        return command


def command_of(commands: typer.Typer, name: str) -> Any:
    """The click command of `name` alone, as typer's get_group would build it, without
    building its Typer's others (`whoami` built login and logout too: issue 18); None
    if absent."""
    for info in commands.registered_commands:
        if info.callback is None:
            continue
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=commands.pretty_exceptions_short,
                rich_markup_mode=commands.rich_markup_mode,
            )
    return None


class AmeliTyper(typer.Typer):
    """A Typer app whose groups and commands speak the user's language, with plain
    (not Rich) help: Rich-formatted help costs ~95 ms at every `--help`.

    `lazy_verbs`: (name, module) of verbs registered in modules of their own, in the
    order of the group's help, imported only when needed (see `LazyVerbsGroup`)."""

    def __init__(self, *, lazy_verbs: tuple[tuple[str, str], ...] = (), **kwargs: Any) -> None:
        if lazy_verbs:
            attributes = {"typer_app": self, "lazy_verbs": lazy_verbs}
            kwargs.setdefault("cls", type("LazyVerbs", (LazyVerbsGroup,), attributes))
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


def _describe_range(self: Any) -> str:
    """Ranges in words (help and errors) instead of click's `0<=x<=65535`."""
    low = None if self.min is None else self.min + (1 if self.min_open else 0)
    high = None if self.max is None else self.max - (1 if self.max_open else 0)
    if low is None:
        return _("au plus {high}").format(high=high)
    if high is None:
        return _("au moins {low}").format(low=low)
    return _("de {low} à {high}").format(low=low, high=high)


typer._click.types._NumberRangeBase._describe_range = _describe_range  # type: ignore[method-assign]

# The OS's own words for the file errors click reports (its text is English).
_OS_ERRORS = {
    "No such file or directory": _("fichier introuvable"),
    "Permission denied": _("accès refusé"),
    "Is a directory": _("c'est un dossier"),
    "Not a directory": _("un élément du chemin n'est pas un dossier"),
}
_KIND_WORDS = {
    "integer": _("un nombre entier"),
    "int": _("un nombre entier"),
    "int range": _("un nombre entier"),
    "float": _("un nombre"),
    "float range": _("un nombre"),
    "boolean": _("oui ou non (true/false)"),
    "uuid": _("un UUID"),
}


def _bad_value(text: str) -> str:
    """click's description of a refused value, in the user's language."""
    if m := re.fullmatch(r"'?(.*?)'? is not a valid ([a-z ]+?)\.?(?: Recognized.*)?", text, re.S):
        kind = _KIND_WORDS.get(m.group(2), m.group(2))
        return _("« {value} » n'est pas {kind}").format(value=m.group(1), kind=kind)
    if m := re.fullmatch(r"(.*?) is not in the range (.*)\.", text, re.S):
        return _("{value} n'est pas dans les bornes ({range})").format(
            value=m.group(1), range=m.group(2)
        )
    if m := re.fullmatch(r"'?(.*?)'? is not one of (.*)\.", text, re.S):
        return _("« {value} » n'est pas un choix possible ; choisissez parmi : {choices}").format(
            value=m.group(1), choices=m.group(2).replace("'", "")
        )
    if m := re.fullmatch(r"'(.*)': (.*)", text, re.S):
        reason = _OS_ERRORS.get(m.group(2))
        return _("« {path} » : {reason}").format(path=m.group(1), reason=reason or m.group(2))
    if m := re.fullmatch(r"'?(.*?)'? does not match the formats (.*)\.", text, re.S):
        return _("« {value} » n'a pas le format attendu ({formats})").format(
            value=m.group(1), formats=m.group(2)
        )
    return text


def _hint(exc: Any) -> str:
    param = getattr(exc, "param", None)
    if getattr(exc, "param_hint", None):
        hint = exc.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            return str(param.human_readable_name)
        return " / ".join(param.opts)
    return ""


def click_message(exc: Any) -> str:
    """Every message click or typer can end a command with, in the user's language
    (their text is hard-coded English; see tests/test_i18n.py, which raises each)."""
    name = type(exc).__name__
    text = exc.message if hasattr(exc, "message") else exc.format_message()
    if name == "NoSuchOption":
        message = _("option inconnue : {option}").format(option=exc.option_name)
        if exc.possibilities:
            message += _(" (vouliez-vous dire {options} ?)").format(
                options=", ".join(sorted(exc.possibilities))
            )
        return message
    if name == "MissingParameter":
        param = exc.param
        what = param.human_readable_name if param is not None else ""
        if param is not None and getattr(param, "param_type_name", "") == "option":
            what = " / ".join(param.opts)
        return _("il manque {what}").format(what=what)
    if name == "BadParameter":
        hint = _hint(exc)
        detail = _bad_value(str(exc.message))
        return f"{hint} : {detail}" if hint else detail
    if name == "FileError":
        return _("impossible d'ouvrir « {path} » : {reason}").format(
            path=exc.ui_filename, reason=_OS_ERRORS.get(exc.message, exc.message)
        )
    if m := re.fullmatch(r"Option '(.*)' requires (?:an argument|(\d+) arguments)\.", text):
        if m.group(2):
            return _("{option} attend {n} valeurs").format(option=m.group(1), n=m.group(2))
        return _("{option} attend une valeur").format(option=m.group(1))
    if m := re.fullmatch(r"Option '(.*)' does not take a value\.", text):
        return _("{option} ne prend pas de valeur").format(option=m.group(1))
    if extra := re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", text):
        return _("argument en trop : {detail}").format(detail=extra.group(1))
    if m := re.fullmatch(r"(\d+) values are required, but (\d+) given\.", text):
        return _("{n} valeurs attendues, {got} données").format(n=m.group(1), got=m.group(2))
    return _bad_value(text)


def help_hint(exc: Any) -> str | None:
    """Where to read more; not after a refused value: its line already names the
    option and what it accepts."""
    ctx = getattr(exc, "ctx", None)
    if ctx is None or type(exc).__name__ == "BadParameter":
        return None
    return _("Aide : {command} --help").format(command=ctx.command_path)


def usage_error_lines(exc: Any) -> list[str]:
    """A click usage error as our one line plus where to find help."""
    lines = [_("erreur : {message}").format(message=click_message(exc))]
    if hint := help_hint(exc):
        lines.append(hint)
    return lines


def choices(values: Sequence[str]) -> Any:
    """An enumerated option's type: checked case-insensitively, and offered by the
    shell completions (runtime/completion_scripts.py reads `.choices`)."""
    from typer._types import TyperChoice

    return TyperChoice(values, case_sensitive=False)
