"""`--backend NAME`: backends installed as entry points (group `ameli_cli.backends`).

A tiny plugin package is built in a temporary directory and installed with pip
(offline, no build isolation) into a directory of its own; `ameli` then runs in a
subprocess that sees it, as a user's environment would after `pip install`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import HttpServer, person

PLUGIN = '''
"""Two backends for ameli-cli: a team server named by an environment variable, and a
canned one (an httpx transport) for offline demos."""
import os

import httpx

ACCOUNTS = {"items": [{"nir": "185057800608436", "password": "demo", "role": "assure",
            "name": "Jean DEMO", "otp_required": False, "description": "canned"}]}


def team(request):
    return os.environ["DEMO_TEAM_URL"]


def canned(request):
    def answer(http_request):
        if http_request.url.path == "/v1/sandbox/accounts":
            return httpx.Response(200, json=ACCOUNTS)
        return httpx.Response(404, json={"code": "not_found", "title": "Not found"})

    # MockTransport is both a sync and an async transport.
    return httpx.MockTransport(answer)


def broken(request):
    return 42
'''

PYPROJECT = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "ameli-backend-demo"
version = "0.1"

[project.entry-points."ameli_cli.backends"]
demo-team = "ameli_backend_demo:team"
demo-canned = "ameli_backend_demo:canned"
demo-broken = "ameli_backend_demo:broken"
demo-missing = "ameli_backend_demo_gone:backend"
"""


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("plugin-src")
    (source / "pyproject.toml").write_text(PYPROJECT)
    (source / "ameli_backend_demo.py").write_text(textwrap.dedent(PLUGIN))
    site = tmp_path_factory.mktemp("plugin-site")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return site


def _ameli(site: Path, *args: str, env: dict[str, str] | None = None, input: str = "") -> Any:
    environ = {**os.environ, "PYTHONPATH": str(site), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ameli_cli", *args],
        env=environ,
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_plugin_returning_a_url_carries_a_whole_session(plugin_site, user_dirs):
    """Sign in, read and sign out through `--backend demo-team`, the plugin naming a
    real server (the reference service over HTTP); the session is bound to the name."""
    server = HttpServer(user_dirs / "data" / "sandbox.sqlite3")
    env = {"DEMO_TEAM_URL": server.url, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    who = person("ij")
    try:
        login = _ameli(
            plugin_site,
            "--backend",
            "demo-team",
            "login",
            "--nir",
            who.nir,
            "--password-stdin",
            env=env,
            input=who.password,
        )
        assert login.returncode == 0, login.stderr
        me = _ameli(plugin_site, "--backend", "demo-team", "whoami", "--json", env=env)
        assert me.returncode == 0, me.stderr
        import json

        data = json.loads(me.stdout)
        assert data["last_name"] == "MARTIN" and data["credential"]["backend"] == "demo-team"
        # The embedded sandbox is another backend: this profile is not signed in there.
        assert _ameli(plugin_site, "whoami", env=env).returncode == 4
    finally:
        server.stop()


def test_a_plugin_returning_a_transport(plugin_site, user_dirs):
    result = _ameli(plugin_site, "--backend", "demo-canned", "sandbox", "accounts", "--json")
    assert result.returncode == 0, result.stderr
    assert '"Jean DEMO"' in result.stdout


def test_a_broken_plugin_is_one_line_and_an_unknown_name_a_usage_error(plugin_site, user_dirs):
    odd = _ameli(plugin_site, "--backend", "demo-broken", "sandbox", "accounts")
    assert odd.returncode == 1
    assert odd.stderr.count("\n") == 1 and "demo-broken" in odd.stderr and "int" in odd.stderr
    gone = _ameli(plugin_site, "--backend", "demo-missing", "sandbox", "accounts")
    assert gone.returncode == 1
    assert gone.stderr.count("\n") == 1 and "ModuleNotFoundError" in gone.stderr
    unknown = _ameli(plugin_site, "--backend", "nosuch", "whoami")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    # The installed names are listed, the embedded sandbox among them.
    assert "demo-canned" in unknown.stderr and "sandbox" in unknown.stderr


def test_the_embedded_sandbox_is_registered_in_the_same_group():
    """`sandbox` resolves without reading package metadata (cheap startup); what it
    resolves to is what the distribution registers."""
    from importlib.metadata import entry_points

    from ameli_cli.api.backend_plugin import ENTRY_POINT_GROUP
    from ameli_cli.api.backends import SANDBOX_ENTRY_POINT

    registered = [ep.value for ep in entry_points(group=ENTRY_POINT_GROUP, name="sandbox")]
    assert registered == [SANDBOX_ENTRY_POINT]


@pytest.mark.parametrize(
    "args",
    [["--help"], ["whoami", "--help"], ["--backend", "http://127.0.0.1:9", "sandbox", "--help"]],
)
def test_help_and_known_backends_do_not_read_package_metadata(args, user_dirs):
    code = (
        "import sys\n"
        "from ameli_cli.__main__ import run\n"
        f"run({args!r})\n"
        "print('META:', 'importlib.metadata' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.rsplit("META:", 1)[1].strip() == "False"
