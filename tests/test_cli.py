"""The command line itself: startup cost, global flags, exit codes, completions."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import person

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "httpx",
    "keyring",
    "fpdf",
    "starlette",
    "uvicorn",
    "cryptography",
    "rich",
    "ameli_sandbox",
    "ameli_cli.api.client",
    "sqlite3",
)


def _imported_after(args: list[str], env: dict[str, str]) -> list[str]:
    code = (
        "import sys\n"
        "from ameli_cli.__main__ import run\n"
        f"code = run({args!r})\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    line = out.stdout.rsplit("HEAVY:", 1)[1].strip()
    return [m for m in line.split(",") if m]


@pytest.mark.parametrize(
    "args", [["--help"], ["sandbox", "--help"], ["login", "--help"], ["auth", "token", "--help"]]
)
def test_help_imports_nothing_heavy(args, user_dirs):
    assert _imported_after(args, dict(os.environ)) == []


@pytest.mark.parametrize(
    ("args", "siblings"),
    [
        (
            ["whoami", "--json"],
            ["ameli_cli.commands.auth_password", "ameli_cli.commands.auth_devices"],
        ),
        (
            ["paiements", "list", "--json"],
            ["ameli_cli.commands.paiements_reconcile", "ameli_cli.commands.paiements_transfers"],
        ),
        (
            ["vitale", "status", "--json"],
            ["ameli_cli.commands.vitale.order", "ameli_cli.commands.vitale.declare"],
        ),
    ],
)
def test_read_commands_on_the_embedded_backend_load_only_what_they_use(args, siblings, login):
    """The embedded sandbox is called in this process without an HTTP client, and a
    verb does not import its group's other verbs (issue 18: startup)."""
    login("famille", "--insecure-storage")  # a token a fresh interpreter can read
    code = (
        "import sys\n"
        "from ameli_cli.__main__ import run\n"
        f"code = run({args!r})\n"
        f"unwanted = [m for m in sys.modules if m.split('.')[0] == 'httpx' or m in {siblings!r}]\n"
        "print('EXIT:', code, 'LOADED:', unwanted)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.rsplit("EXIT:", 1)[1].split() == ["0", "LOADED:", "[]"], out.stderr


def test_python_dash_m_and_version():
    out = subprocess.run(
        [sys.executable, "-m", "ameli_cli", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.startswith("ameli ")


def test_unknown_backend_is_a_usage_error(cli):
    result = cli("--backend", "ftp://x", "whoami")
    assert result.exit_code == 2
    assert "sandbox" in result.stderr and "http" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_backend_exits_5(cli, memory_keyring):
    who = person("ij")
    result = cli(
        "login",
        "--nir",
        who.nir,
        "--password-stdin",
        "--backend",
        "http://127.0.0.1:9",
        input=who.password,
    )
    assert result.exit_code == 5
    assert "127.0.0.1:9" in result.stderr and "--backend" in result.stderr
    assert "Traceback" not in result.stderr


def test_global_flags_work_after_the_command(cli, login, backend):
    login("ij")
    result = cli("whoami", "--show-nir", "--quiet", env={"AMELI_FORCE_TTY": "1"})
    assert result.exit_code == 0
    assert "1 91 02 69 123 087 68" in result.stdout


def test_json_output_is_plain_json_without_colour(cli, login, backend):
    login("ij")
    result = cli("whoami", "--json", env={"AMELI_FORCE_TTY": "1"})
    assert "\x1b[" not in result.stdout
    assert result.json["last_name"] == "MARTIN"


def test_expired_session_exits_4(cli, login, backend):
    login("ij")
    short = cli("sandbox", "advance", "1h")
    assert short.exit_code == 0 and "expiré" not in short.stderr
    jump = cli("sandbox", "advance", "8h")
    assert jump.exit_code == 0
    assert "a expiré avec ce saut" in jump.stderr  # the service's clock, on either backend
    result = cli("whoami")
    assert result.exit_code == 4
    assert "expiré" in result.stderr and "ameli login" in result.stderr


def test_backend_from_config_file(cli, login, user_dirs):
    """With no flag and no AMELI_BACKEND, the config file names the server: signing in
    and reading go there, and a changed setting is followed."""
    from conftest import HttpServer

    server = HttpServer(user_dirs / "data" / "sandbox.sqlite3")
    try:
        assert cli("config", "set", "backend", server.url).exit_code == 0
        got = cli("config", "get", "backend", env={"AMELI_BACKEND": ""})
        assert got.stdout.strip() == server.url and "config.toml" in got.stderr
        login("ij")
        me = cli("whoami", "--json", env={"AMELI_BACKEND": ""})
        assert me.exit_code == 0, me.stderr
        assert me.json["credential"]["backend"] == server.url
        assert cli("config", "set", "backend", "http://127.0.0.1:9").exit_code == 0
        moved = cli("whoami", env={"AMELI_BACKEND": ""})
        # Signed in to the first server; the setting now names another.
        assert moved.exit_code == 4
        assert server.url in moved.stderr and "http://127.0.0.1:9" in moved.stderr
        assert cli("--backend", server.url, "whoami").exit_code == 0  # the flag wins
    finally:
        server.stop()
    assert cli("config", "set", "backend", "nowhere").exit_code == 2
    assert cli("config", "set", "colour", "x").exit_code == 2


def _wait_until_reading_stdin(pid: int, timeout: float = 30.0) -> None:
    """Until the process blocks in read(0, …) — on a loaded machine imports alone can
    take seconds; a fixed sleep would interrupt the import instead of the prompt."""
    deadline = time.monotonic() + timeout
    syscall = Path(f"/proc/{pid}/syscall")
    while time.monotonic() < deadline:
        try:
            fields = syscall.read_text().split()
        except OSError:
            break  # no /proc here: fall back to a generous sleep
        if fields[:2] == ["0", "0x0"]:  # read() on fd 0 (x86-64 numbering)
            return
        time.sleep(0.05)
    time.sleep(2.0)


def test_interrupt_exits_130(user_dirs):
    proc = subprocess.Popen(
        [sys.executable, "-m", "ameli_cli", "login", "--nir", person("ij").nir, "--password-stdin"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    _wait_until_reading_stdin(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert "interrompu" in err.decode()


def test_completions_are_up_to_date():
    env = dict(os.environ, AMELI_LANG="fr")
    code = (
        "from ameli_cli.runtime.completion_scripts import render, SHELLS\n"
        "import json; print(json.dumps({s: render(s) for s in SHELLS}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    import json

    for shell, script in json.loads(out.stdout).items():
        shipped = (ROOT / "completions" / f"ameli.{shell}").read_text("utf-8")
        assert shipped == script, (
            f"completions/ameli.{shell} is stale: run `python -m ameli_cli.runtime.completion_scripts`"
        )


def test_bash_completion_completes_commands_and_flags():
    script = ROOT / "completions" / "ameli.bash"
    probe = (
        f"source {script}\n"
        'COMP_WORDS=(ameli sandbox o); COMP_CWORD=2; _ameli; echo "${COMPREPLY[*]}"\n'
        "COMP_WORDS=(ameli --profile x whoami --j); COMP_CWORD=4; _ameli;"
        ' echo "${COMPREPLY[*]}"\n'
    )
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["otp", "--json"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_other_shells_parse_their_script(shell):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    out = subprocess.run(
        [shell, "-n", str(ROOT / "completions" / f"ameli.{shell}")], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr


def test_completion_command_prints_the_script(cli):
    result = cli("completion", "bash")
    assert result.exit_code == 0
    assert "complete -F _ameli ameli" in result.stdout
    assert cli("completion", "powershell").exit_code == 2


def test_colour_only_on_a_terminal_and_never_with_no_color(cli):
    on_tty = cli("sandbox", "accounts", env={"AMELI_FORCE_TTY": "1"})
    assert "\x1b[" in on_tty.stdout
    assert "\x1b[" not in cli("sandbox", "accounts").stdout  # a pipe
    assert (
        "\x1b[" not in cli("--no-color", "sandbox", "accounts", env={"AMELI_FORCE_TTY": "1"}).stdout
    )
    assert (
        "\x1b["
        not in cli("sandbox", "accounts", env={"AMELI_FORCE_TTY": "1", "NO_COLOR": "1"}).stdout
    )


def test_quiet_silences_progress_but_not_errors(cli, memory_keyring, backend):
    who = person("ij")
    loud = cli("login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert "Connecté" in loud.stderr
    quiet = cli("--quiet", "login", "--nir", who.nir, "--password-stdin", input=who.password)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    failed = cli("--quiet", "login", "--nir", who.nir, "--password-stdin", input="wrong")
    assert failed.exit_code == 4 and "incorrect" in failed.stderr
