"""The house rules for command modules, checked so they do not erode: `ameli --help`
lists every command without importing one, its summaries are those written beside
each command, and no command module or function grows past the agreed size."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ROOT / "ameli_cli" / "commands"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def test_root_summaries_match_the_help_beside_each_command():
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "command_summaries.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


def _root_help(columns: str, language: str = "fr") -> tuple[str, set[str]]:
    """`ameli --help` through the entry point: its text and the modules it imported."""
    code = (
        "import sys, io, contextlib\n"
        "from ameli_cli.__main__ import run\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    run(['--help'])\n"
        "print(out.getvalue() + 'MODULES:' + ','.join(sorted(m for m in sys.modules"
        " if m.startswith(('ameli_cli.commands.', 'typer')))))\n"
    )
    env = dict(os.environ, COLUMNS=columns, AMELI_LANG=language)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    text, modules = out.stdout.rsplit("MODULES:", 1)
    return text, set(modules.strip().split(","))


def _typer_root_help(columns: str, language: str) -> str:
    code = "from ameli_cli.cli import app\napp(args=['--help'], prog_name='ameli', standalone_mode=False)"
    env = dict(os.environ, COLUMNS=columns, AMELI_LANG=language)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(("columns", "language"), [("80", "fr"), ("132", "en")])
def test_root_help_from_80_columns_is_typers_text_without_typer(user_dirs, columns, language):
    text, modules = _root_help(columns, language)
    assert text == _typer_root_help(columns, language)
    assert ("Commands:" if language == "en" else "Commandes :") in text
    assert modules == {""}  # neither typer nor any command module


def test_root_help_on_a_narrow_terminal_imports_no_command_module(user_dirs):
    text, modules = _root_help("60")
    assert text == _typer_root_help("60", "fr")
    assert max(len(line) for line in text.splitlines()) <= 58
    commands = {m for m in modules if m.startswith("ameli_cli.commands.")}
    assert commands == {"ameli_cli.commands.registry", "ameli_cli.commands.summaries"}


@pytest.mark.parametrize(
    ("name", "first_words"),
    [("login", "Se connecter"), ("message", "Messagerie"), ("organisme", "Votre caisse")],
)
def test_a_command_help_and_its_root_line_agree(cli, name, first_words):
    root = cli("--help")
    own = cli(name, "--help")
    assert root.exit_code == 0 and own.exit_code == 0
    line = next(line for line in root.stdout.splitlines() if line.strip().startswith(name + " "))
    assert first_words in line
    assert first_words in own.stdout


def _python_files() -> list[Path]:
    return sorted(COMMANDS.rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(COMMANDS)))
def test_command_modules_and_functions_stay_small(path):
    text = path.read_text("utf-8")
    lines = text.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{path.name}: {lines} lines; split it by verb"
    too_long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not too_long, f"{path.name}: {', '.join(too_long)}"


def test_a_verb_runs_directly_with_test_streams(user_dirs):
    """`run_<verb>(context, …)` with in-memory streams: data on stdout, messages on
    stderr, as through the CLI."""
    from ameli_cli.commands.message.outbox import run_outbox_list
    from ameli_cli.runtime.context import AppContext
    from ameli_cli.runtime.iostreams import IOStreams

    io = IOStreams.test()
    context = AppContext.build(io, profile=None, backend=None)
    assert run_outbox_list(context, json_output=False) == []
    assert io.stdout.getvalue() == ""
    assert "vide" in io.stderr.getvalue()

    io = IOStreams.test()
    run_outbox_list(AppContext.build(io, profile=None, backend=None), json_output=True)
    assert io.stdout.getvalue() == "[]\n"
