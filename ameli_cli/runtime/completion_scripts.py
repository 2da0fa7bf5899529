"""Static shell completions, generated from the command tree.

Static scripts answer a TAB without starting Python. `completions/` holds the
generated files; a test fails when they differ from what the app generates now
(`python -m ameli_cli.runtime.completion_scripts` rewrites them).
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHELLS = ("bash", "zsh", "fish")
# The one install line per shell, shown by `completion --help` and `doctor`.
INSTALL = {
    "bash": "ameli completion bash > ~/.local/share/bash-completion/completions/ameli",
    "zsh": "mkdir -p ~/.zfunc && ameli completion zsh > ~/.zfunc/_ameli",
    "fish": "ameli completion fish > ~/.config/fish/completions/ameli.fish",
}
ZSH_FPATH = "fpath=(~/.zfunc $fpath)"
HEADER = "generated from the ameli command tree by `python -m ameli_cli.runtime.completion_scripts`; do not edit"


@dataclass
class Node:
    path: str  # "" for the root, "sandbox" for a group, "sandbox otp" for a command
    children: dict[str, str] = field(default_factory=dict)  # name -> short help
    options: list[tuple[str, str, list[str]]] = field(default_factory=list)  # flag, help, choices
    # What follows a flag that takes a value: "file" (file names), "value" (anything:
    # the shell offers nothing), absent for a flag that takes none.
    values: dict[str, str] = field(default_factory=dict)
    argument: str = ""  # the first positional argument: "file", "choices" or ""
    argument_choices: list[str] = field(default_factory=list)


_FILE_METAVARS = ("CHEMIN", "FICHIER", "DOSSIER", "PATH", "FILE", "DIR")


def _value_kind(param: Any) -> str:
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if getattr(param.type, "choices", None):
        return "choices"
    metavar = str(param.metavar or "").upper()
    if param.type.name in ("path", "filename", "file") or any(
        word in metavar for word in _FILE_METAVARS
    ):
        return "file"
    return "value"


def command_tree() -> list[Node]:
    import typer
    import typer.main

    from ameli_cli.cli import app

    root = typer.main.get_command(app)
    nodes: list[Node] = []

    def visit(command: Any, path: str) -> None:
        node = Node(path)
        for param in command.params:
            if getattr(param, "param_type_name", "") == "argument":
                if not node.argument:
                    node.argument = _value_kind(param)
                    node.argument_choices = list(getattr(param.type, "choices", []) or [])
                continue
            if param.hidden:
                continue
            choices = list(getattr(param.type, "choices", []) or [])
            kind = _value_kind(param)
            for flag in [*param.opts, *param.secondary_opts]:
                node.options.append((flag, _first_line(param.help or ""), choices))
                if kind and flag not in param.secondary_opts:
                    node.values[flag] = kind
        if not any(flag == "--help" for flag, _, _ in node.options):
            node.options.append(("--help", "", []))
        subcommands: dict[str, Any] = {}
        if hasattr(command, "list_commands"):
            # The root lists its commands lazily (commands/registry.py): ask it.
            ctx = typer.Context(command)
            for name in sorted(command.list_commands(ctx)):
                subcommands[name] = command.get_command(ctx, name)
        for name, sub in subcommands.items():
            node.children[name] = _first_line(sub.get_short_help_str(80))
        nodes.append(node)
        for name, sub in subcommands.items():
            visit(sub, f"{path} {name}".strip())

    visit(root, "")
    return nodes


def _first_line(text: str) -> str:
    return " ".join(text.split())[:80]


def render(shell: str) -> str:
    nodes = command_tree()
    if shell == "bash":
        return _bash(nodes)
    if shell == "zsh":
        return _zsh(nodes)
    if shell == "fish":
        return _fish(nodes)
    raise ValueError(shell)


def _words(node: Node) -> str:
    return " ".join([*node.children, *(flag for flag, _, _ in node.options)])


def _case_table(nodes: list[Node], function: str, body: str) -> str:
    lines = [f"{function}() {{", '  case "$1" in']
    for node in nodes:
        value = body.format(words=_words(node), children=" ".join(node.children))
        label = shlex.quote(node.path) if node.path else '""'
        lines.append(f"    {label}) {value} ;;")
    lines.append("  esac")
    lines.append("}")
    return "\n".join(lines)


def _choices_table(nodes: list[Node], function: str) -> str:
    lines = [f"{function}() {{", '  case "$1" in']
    for node in nodes:
        for flag, _, choices in node.options:
            if choices:
                key = f"{node.path} {flag}".strip()
                lines.append(f"    {shlex.quote(key)}) echo {shlex.quote(' '.join(choices))} ;;")
    lines.append("  esac")
    lines.append("}")
    return "\n".join(lines)


def _kinds_table(nodes: list[Node], function: str) -> str:
    """`_ameli_kind "PATH FLAG"` → file|value|choices (what the flag takes);
    `_ameli_kind "PATH"` → what the first argument takes."""
    lines = [f"{function}() {{", '  case "$1" in']
    for node in nodes:
        for flag, kind in node.values.items():
            key = f"{node.path} {flag}".strip()
            lines.append(f"    {shlex.quote(key)}) echo {kind} ;;")
        if node.argument and not node.children:
            label = shlex.quote(node.path) if node.path else '""'
            lines.append(f"    {label}) echo {node.argument} ;;")
    lines.append("  esac")
    lines.append("}")
    return "\n".join(lines)


def _argument_choices_table(nodes: list[Node], function: str) -> str:
    lines = [f"{function}() {{", '  case "$1" in']
    for node in nodes:
        if node.argument_choices:
            words = " ".join(node.argument_choices)
            lines.append(f"    {shlex.quote(node.path)}) echo {shlex.quote(words)} ;;")
    lines.append("  esac")
    lines.append("}")
    return "\n".join(lines)


def _bash(nodes: list[Node]) -> str:
    return "\n".join(
        [
            f"# bash completion for ameli ({HEADER})",
            _case_table(nodes, "_ameli_words", "echo {words}"),
            _case_table(nodes, "_ameli_children", "echo {children}"),
            _choices_table(nodes, "_ameli_choices"),
            _kinds_table(nodes, "_ameli_kind"),
            _argument_choices_table(nodes, "_ameli_argument_choices"),
            """_ameli() {
  local cur prev path word i kind
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    case " $(_ameli_children "$path") " in
      *" $word "*) path="${path:+$path }$word" ;;
    esac
  done
  COMPREPLY=()
  kind=""
  [[ "$prev" == -* ]] && kind="$(_ameli_kind "${path:+$path }$prev")"
  if [[ -z "$kind" && "$cur" != -* ]]; then
    kind="$(_ameli_kind "$path")"
    [[ "$kind" == choices ]] && kind=argument
  fi
  case "$kind" in
    choices) COMPREPLY=($(compgen -W "$(_ameli_choices "${path:+$path }$prev")" -- "$cur")) ;;
    argument) COMPREPLY=($(compgen -W "$(_ameli_argument_choices "$path")" -- "$cur")) ;;
    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    value) ;;
    *) COMPREPLY=($(compgen -W "$(_ameli_words "$path")" -- "$cur")) ;;
  esac
}
complete -F _ameli ameli
""",
        ]
    )


def _zsh(nodes: list[Node]) -> str:
    return "\n".join(
        [
            "#compdef ameli",
            f"# zsh completion for ameli ({HEADER})",
            _case_table(nodes, "_ameli_words", "echo {words}"),
            _case_table(nodes, "_ameli_children", "echo {children}"),
            _choices_table(nodes, "_ameli_choices"),
            _kinds_table(nodes, "_ameli_kind"),
            _argument_choices_table(nodes, "_ameli_argument_choices"),
            """_ameli() {
  local cmdpath="" word kind prev="${words[CURRENT-1]}"
  for word in ${words[2,CURRENT-1]}; do
    if (( ${${(z)$(_ameli_children "$cmdpath")}[(Ie)$word]} )); then
      cmdpath="${cmdpath:+$cmdpath }$word"
    fi
  done
  kind=""
  [[ "$prev" == -* ]] && kind="$(_ameli_kind "${cmdpath:+$cmdpath }$prev")"
  if [[ -z "$kind" && "$PREFIX" != -* ]]; then
    kind="$(_ameli_kind "$cmdpath")"
    [[ "$kind" == choices ]] && kind=argument
  fi
  case "$kind" in
    choices) compadd -- ${(z)$(_ameli_choices "${cmdpath:+$cmdpath }$prev")} ;;
    argument) compadd -- ${(z)$(_ameli_argument_choices "$cmdpath")} ;;
    file) _files ;;
    value) _message 'valeur' ;;
    *) compadd -- ${(z)$(_ameli_words "$cmdpath")} ;;
  esac
}
compdef _ameli ameli
""",
        ]
    )


def _fish(nodes: list[Node]) -> str:
    lines = [f"# fish completion for ameli ({HEADER})", "complete -c ameli -f"]
    groups = {node.path: node for node in nodes}

    def condition(path: str) -> str:
        if not path:
            return "__fish_use_subcommand"
        parts = path.split()
        parent = groups[" ".join(parts[:-1])]
        siblings_done = " ".join(groups[path].children)
        test = f"__fish_seen_subcommand_from {parts[-1]}"
        if len(parts) > 1:
            test = f"__fish_seen_subcommand_from {parts[-2]}; and {test}"
        del parent
        if siblings_done:
            test += f"; and not __fish_seen_subcommand_from {siblings_done}"
        return test

    for node in nodes:
        cond = shlex.quote(condition(node.path))
        for name, help_text in node.children.items():
            lines.append(
                f"complete -c ameli -n {cond} -a {shlex.quote(name)} -d {shlex.quote(help_text)}"
            )
        if node.argument == "file" and not node.children:
            lines.append(f"complete -c ameli -n {cond} -F")
        if node.argument_choices:
            words = shlex.quote(" ".join(node.argument_choices))
            lines.append(f"complete -c ameli -n {cond} -a {words}")
        for flag, help_text, choices in node.options:
            kind = f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}"
            takes = node.values.get(flag, "")
            extra = {"file": " -rF", "value": " -x"}.get(takes, "")
            if choices:
                extra = f" -xa {shlex.quote(' '.join(choices))}"
            desc = f" -d {shlex.quote(help_text)}" if help_text else ""
            lines.append(f"complete -c ameli -n {cond} {kind}{extra}{desc}")
    return "\n".join(lines) + "\n"


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for shell in SHELLS:
        path = directory / f"ameli.{shell}"
        path.write_text(render(shell), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("completions")
    for path in write_all(target):
        print(path)
