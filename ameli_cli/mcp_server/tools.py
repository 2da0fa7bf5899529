"""Which commands `ameli mcp` exposes, and their input schemas, read from the click tree.

One source: a tool's JSON Schema is derived from the parameters click parses for the
command (types, choices, multiple, required, help), so a new option appears in the
tool with no second copy to keep in sync. This module never imports `mcp`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ameli_cli.runtime.i18n import _


class Access(Enum):
    READ = "read"
    WRITE = "write"  # needs --allow-writes
    IRREVERSIBLE = "irreversible"  # needs --allow-writes and --allow-irreversible


@dataclass(frozen=True)
class Exposed:
    path: tuple[str, ...]
    access: Access = Access.READ
    effect: str = ""  # for writes: what it does, and whether it can be undone
    hidden: frozenset[str] = frozenset()  # parameter names (click's) the tool leaves out


# Commands a tool may run. A path missing from the tree (a command another branch
# adds later, or removes) is skipped, not an error.
EXPOSED: tuple[Exposed, ...] = (
    Exposed(("whoami",)),
    Exposed(("attestation", "get"), hidden=frozenset({"kind_argument"})),
    Exposed(("attestation", "verify")),
    Exposed(("paiements", "list")),
    Exposed(("paiements", "show")),
    Exposed(("paiements", "summary")),
    Exposed(("paiements", "virements")),
    Exposed(("virements", "list")),
    Exposed(("releves", "list")),
    Exposed(("message", "list")),
    Exposed(("message", "show")),
    Exposed(("message", "categories")),  # the codes message_send takes
    Exposed(("vitale", "status")),
    Exposed(("ceam", "status")),
    Exposed(("profile", "show")),
    Exposed(("organisme",)),
    Exposed(
        ("message", "send"),
        Access.WRITE,
        _(
            "Écriture : envoie un nouveau message à la caisse de l'assuré, avec les pièces"
            " jointes données. Un message envoyé ne peut pas être retiré."
        ),
    ),
    Exposed(
        ("vitale", "order"),
        Access.WRITE,
        _(
            "Écriture : commande une carte Vitale (photo et pièce d'identité envoyées à la"
            " caisse). Une commande envoyée ne peut pas être annulée d'ici."
        ),
    ),
    Exposed(
        ("ceam", "order"),
        Access.WRITE,
        _(
            "Écriture : commande une carte européenne d'assurance maladie. Une commande"
            " envoyée ne peut pas être annulée d'ici."
        ),
    ),
    Exposed(
        ("profile", "update"),
        Access.WRITE,
        _(
            "Écriture : modifie les coordonnées de l'assuré (adresse, e-mail, téléphone,"
            " IBAN) auprès de la caisse ; une nouvelle modification peut les corriger."
        ),
    ),
    Exposed(
        ("vitale", "declare-loss"),
        Access.IRREVERSIBLE,
        _(
            "IRRÉVERSIBLE : déclare la carte Vitale perdue, volée ou en panne ; elle est"
            " bloquée définitivement et ne pourra plus servir, même retrouvée."
        ),
    ),
)

# Options the server sets itself, never the model: the output format (always --json),
# confirmations (the MCP client's approval of the call is the confirmation), where
# files go and whether they are replaced, and anything read from the server's stdin
# (the protocol's stream).
SERVER_SET_OPTIONS = frozenset(
    {
        "--json",
        "--csv",
        "--yes",
        "--output",
        "--force",
        "--iban-stdin",
        "--body-file",
        "--password-stdin",
    }
)
ALWAYS_PASSED = ("--json", "--yes")
AGENT_ONLY_OPTIONS = frozenset({"--nir"})


@dataclass(frozen=True)
class ToolParam:
    """How one schema property becomes command-line words."""

    option: str | None  # the long option, or None for a positional argument
    flag: bool = False
    off_flag: str | None = None  # `--no-x` for a boolean `--x/--no-x`
    multiple: bool = False


@dataclass(frozen=True)
class Tool:
    name: str
    path: tuple[str, ...]
    access: Access
    description: str
    input_schema: dict[str, Any]
    params: Mapping[str, ToolParam] = field(default_factory=dict)
    fixed_flags: tuple[str, ...] = ()  # server-set flags the command has: --json, --yes


def tool_name(path: tuple[str, ...]) -> str:
    return "_".join(path).replace("-", "_")


def allowed(access: Access, *, allow_writes: bool, allow_irreversible: bool) -> bool:
    if access is Access.READ:
        return True
    if access is Access.WRITE:
        return allow_writes
    return allow_writes and allow_irreversible


def build_tools(
    root: Any, *, allow_writes: bool, allow_irreversible: bool, agent: bool
) -> list[Tool]:
    """The tools for this session, from the click group `root` (the `ameli` group)."""
    tools = []
    for exposed in EXPOSED:
        if not allowed(
            exposed.access, allow_writes=allow_writes, allow_irreversible=allow_irreversible
        ):
            continue
        command = find_command(root, exposed.path)
        if command is None:
            continue
        tools.append(tool_for(exposed, command, agent=agent))
    return tools


def find_command(root: Any, path: Iterable[str]) -> Any | None:
    command = root
    for name in path:
        if not hasattr(command, "get_command"):
            return None
        ctx = command.context_class(command, info_name=command.name)
        command = command.get_command(ctx, name)
        if command is None:
            return None
    return None if hasattr(command, "get_command") else command


def tool_for(exposed: Exposed, command: Any, *, agent: bool) -> Tool:
    properties: dict[str, Any] = {}
    required: list[str] = []
    params: dict[str, ToolParam] = {}
    fixed: list[str] = []
    for param in command.params:
        fixed.extend(flag for flag in ALWAYS_PASSED if flag in param.opts)
        if _left_out(param, exposed, agent=agent):
            continue
        name, spec = _param_spec(param)
        properties[name] = _schema_for(param)
        params[name] = spec
        if param.required:
            required.append(name)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return Tool(
        name=tool_name(exposed.path),
        path=exposed.path,
        access=exposed.access,
        description=_description(exposed, command),
        input_schema=schema,
        params=params,
        fixed_flags=tuple(fixed),
    )


def _left_out(param: Any, exposed: Exposed, *, agent: bool) -> bool:
    opts = set(param.opts)
    if getattr(param, "hidden", False) or param.name in exposed.hidden:
        return True
    if opts & SERVER_SET_OPTIONS:
        return True
    return bool(opts & AGENT_ONLY_OPTIONS) and not agent


def _long_option(param: Any) -> str:
    longs = [opt for opt in param.opts if opt.startswith("--")]
    return max(longs, key=len) if longs else str(param.opts[0])


def _param_spec(param: Any) -> tuple[str, ToolParam]:
    if param.param_type_name == "argument":
        return str(param.name), ToolParam(None, multiple=param.nargs == -1)
    option = _long_option(param)
    name = option.lstrip("-").replace("-", "_")
    off = param.secondary_opts[0] if param.secondary_opts else None
    return name, ToolParam(option, flag=bool(param.is_flag), off_flag=off, multiple=param.multiple)


def _schema_for(param: Any) -> dict[str, Any]:
    if getattr(param, "is_flag", False):
        item: dict[str, Any] = {"type": "boolean"}
    else:
        item = _type_schema(param.type)
    many = getattr(param, "multiple", False) or param.nargs == -1
    schema: dict[str, Any] = {"type": "array", "items": item} if many else dict(item)
    # The metavar often names the accepted values (droits|ij|fiscale, lost|stolen|…).
    words = [getattr(param, "help", None), f"[{param.metavar}]" if param.metavar else None]
    if any(words):
        schema["description"] = " ".join(word for word in words if word)
    default = param.default
    if isinstance(default, str | int | float | bool) and not callable(default):
        schema["default"] = default
    return schema


def _type_schema(param_type: Any) -> dict[str, Any]:
    choices = getattr(param_type, "choices", None)
    if choices:
        return {"type": "string", "enum": [str(getattr(c, "value", c)) for c in choices]}
    # click names its types "integer"/"float"/"boolean"; typer's vendored click "int"/"bool".
    kinds = {"integer": "integer", "int": "integer", "float": "number", "boolean": "boolean"}
    kinds["bool"] = "boolean"
    schema: dict[str, Any] = {"type": kinds.get(getattr(param_type, "name", ""), "string")}
    for bound, keyword in (("min", "minimum"), ("max", "maximum")):  # IntRange, FloatRange
        if isinstance(getattr(param_type, bound, None), int | float):
            schema[keyword] = getattr(param_type, bound)
    return schema


def _description(exposed: Exposed, command: Any) -> str:
    help_text = (command.help or command.short_help or "").split("\n\n")[0]
    text = " ".join(help_text.replace("\b", "").split())
    return f"{text}\n\n{exposed.effect}" if exposed.effect else text


def to_argv(
    tool: Tool, arguments: Mapping[str, Any], fixed_flags: Iterable[str] | None = None
) -> list[str]:
    """The command line for a call whose arguments already match the tool's schema.

    Values go as `--option=value` and positional arguments after `--`, so a value
    that starts with a dash is never read as an option."""
    words = list(tool.path)
    positional: list[str] = []
    for name, spec in tool.params.items():
        if name not in arguments or arguments[name] is None:
            continue
        value = arguments[name]
        values = value if isinstance(value, list) else [value]
        if spec.option is None:
            positional.extend(_word(v) for v in values)
        elif spec.flag:
            if value:
                words.append(spec.option)
            elif spec.off_flag:
                words.append(spec.off_flag)
        else:
            words.extend(f"{spec.option}={_word(v)}" for v in values)
    words.extend(tool.fixed_flags if fixed_flags is None else fixed_flags)
    return [*words, "--", *positional] if positional else words


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
