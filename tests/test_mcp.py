"""`ameli mcp`: driven over stdio by the `mcp` client library, against the sandbox."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest

from ameli_cli.runtime.config import resolve_paths

READ_TOOLS = {
    "whoami",
    "attestation_get",
    "attestation_verify",
    "paiements_list",
    "paiements_show",
    "paiements_summary",
    "message_list",
    "message_show",
    "message_categories",
    "vitale_status",
    "ceam_status",
    "profile_show",
    "organisme",
}
WRITE_TOOLS = {"message_send", "vitale_order", "ceam_order", "profile_update"}
# Read commands other branches are adding: exposed as soon as they exist.
LATER_TOOLS = {"paiements_virements", "virements_list", "releves_list"}


def _server_env() -> dict[str, str]:
    return {**os.environ, "AMELI_LANG": "fr", "PYTHONUNBUFFERED": "1"}


@asynccontextmanager
async def mcp_client(*flags: str) -> AsyncIterator[Any]:
    pytest.importorskip("mcp")
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "ameli_cli", "mcp", *flags], env=_server_env()
    )
    with anyio.fail_after(90):
        async with Client(params) as client:
            yield client


def serve(flags: tuple[str, ...], script: Any) -> Any:
    """Run `script(client)` against a fresh `ameli mcp FLAGS` and return its result."""

    async def main() -> Any:
        async with mcp_client(*flags) as client:
            return await script(client)

    return anyio.run(main)


def text(result: Any) -> str:
    return "".join(block.text for block in result.content)


@pytest.fixture
def signed_in(login: Any) -> Any:
    """Sign in with the token in the 0600 file: the server is another process, which
    does not see the tests' in-memory keyring."""

    def sign_in(key: str = "ald") -> None:
        login(key, "--insecure-storage")

    return sign_in


def test_read_tools_listed_with_schemas_and_no_write_tool(signed_in: Any) -> None:
    signed_in()

    async def script(client: Any) -> Any:
        return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in serve((), script)}
    assert set(tools) - LATER_TOOLS == READ_TOOLS
    listing = tools["paiements_list"]
    assert listing.annotations.read_only_hint is True
    properties = listing.input_schema["properties"]
    assert properties["limit"]["type"] == "integer"
    assert properties["all"]["type"] == "boolean"
    assert "Au plus N lignes" in properties["limit"]["description"]
    # Set by the server, never by the model; and --nir only for an agent.
    assert not {"json", "csv", "nir", "page_size"} & set(properties)
    assert listing.input_schema["additionalProperties"] is False
    show = tools["paiements_show"].input_schema
    assert show["required"] == ["payment_id"]


def test_a_read_tool_returns_the_commands_json(signed_in: Any, backend: str, cli: Any) -> None:
    signed_in()

    async def script(client: Any) -> Any:
        listing = await client.call_tool("paiements_list", {"limit": 3, "kind": "pharmacie"})
        caisse = await client.call_tool("organisme", {})
        return listing, caisse

    listing, caisse = serve((), script)
    assert not listing.is_error and not caisse.is_error
    expected = cli("paiements", "list", "-n", "3", "--kind", "pharmacie", "--json")
    assert json.loads(text(listing)) == expected.json
    assert len(expected.json) == 3
    assert json.loads(text(caisse)) == cli("organisme", "--json").json


def test_write_tools_need_allow_writes_and_declare_loss_allow_irreversible(
    signed_in: Any,
) -> None:
    signed_in()

    async def names(client: Any) -> Any:
        return {tool.name: tool for tool in (await client.list_tools()).tools}

    writes = serve(("--allow-writes",), names)
    assert set(writes) - LATER_TOOLS == READ_TOOLS | WRITE_TOOLS
    assert "ne peut pas être retiré" in writes["message_send"].description
    assert writes["profile_update"].annotations.read_only_hint is False
    everything = serve(("--allow-writes", "--allow-irreversible"), names)
    loss = everything["vitale_declare_loss"]
    assert "IRRÉVERSIBLE" in loss.description and "même retrouvée" in loss.description
    assert loss.annotations.destructive_hint is True
    assert "yes" not in loss.input_schema["properties"]  # the client's approval confirms


def test_a_refused_write_is_a_tool_error_and_the_server_carries_on(
    signed_in: Any, cli: Any
) -> None:
    signed_in()
    before = cli("profile", "show", "--json").json

    async def script(client: Any) -> Any:
        refused = await client.call_tool("profile_update", {"email": "pas-une-adresse"})
        after = await client.call_tool("profile_show", {})
        return refused, after

    refused, after = serve(("--allow-writes",), script)
    assert refused.is_error
    line = text(refused)
    assert line.startswith("erreur : ") and line.endswith("(code de sortie 2)")
    assert "\n" not in line
    assert not after.is_error and json.loads(text(after)) == before


def test_malformed_calls_are_errors(signed_in: Any) -> None:
    signed_in()
    from mcp.shared.exceptions import MCPError

    async def script(client: Any) -> Any:
        wrong_type = await client.call_tool("paiements_list", {"limit": "dix"})
        unknown_argument = await client.call_tool("whoami", {"token": True})
        missing = await client.call_tool("paiements_show", {})
        with pytest.raises(MCPError) as unlisted:  # a write without --allow-writes
            await client.call_tool("profile_update", {"email": "a@b.fr"})
        with pytest.raises(MCPError):
            await client.call_tool("rm_rf", {})
        dash = await client.call_tool("paiements_show", {"payment_id": "--json"})
        return wrong_type, unknown_argument, missing, str(unlisted.value), dash

    wrong_type, unknown_argument, missing, unlisted, dash = serve((), script)
    assert wrong_type.is_error and "limit" in text(wrong_type)
    assert unknown_argument.is_error and "token" in text(unknown_argument)
    assert missing.is_error and "payment_id" in text(missing)
    assert "outil inconnu : profile_update" in unlisted
    # A value that looks like an option stays a value: the payment is just not found.
    assert dash.is_error and "« --json »" in text(dash)


def test_attestation_get_returns_the_pdf_path_and_the_signed_data(
    signed_in: Any, cli: Any, tmp_path: Path
) -> None:
    signed_in()

    fake = tmp_path / "fausse.pdf"
    fake.write_bytes(b"%PDF-1.4\n% pas une attestation\n")

    async def script(client: Any) -> Any:
        got = await client.call_tool("attestation_get", {"type": "droits"})
        pdf = json.loads(text(got))["pdf_path"] if not got.is_error else ""
        verified = await client.call_tool("attestation_verify", {"file": pdf})
        refused = await client.call_tool("attestation_verify", {"file": str(fake)})
        return got, verified, refused

    result, verified, refused = serve(("--out-dir", str(tmp_path / "pdf")), script)
    assert not result.is_error, text(result)
    data = json.loads(text(result))
    pdf = Path(data["pdf_path"])
    assert pdf.parent == tmp_path / "pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert data["signed"]["attestation"]["type"] == "droits"
    assert json.loads(text(verified)) == cli("attestation", "verify", str(pdf), "--json").json
    assert json.loads(text(verified))["status"] == "valid"
    # A verdict that fails: the command's JSON, then the line with the exit code.
    assert refused.is_error and len(refused.content) == 2
    assert json.loads(refused.content[0].text)["status"] == "tampered"
    assert refused.content[1].text.endswith("(code de sortie 1)")


def test_no_token_in_any_result(signed_in: Any) -> None:
    signed_in()
    session = json.loads((resolve_paths().config_dir / "sessions" / "default.json").read_text())
    token = session["token"]

    async def script(client: Any) -> Any:
        tools = (await client.list_tools()).tools
        calls = [await client.call_tool(name, {}) for name in sorted(READ_TOOLS)]
        return tools, calls

    tools, calls = serve((), script)
    everything = json.dumps([t.model_dump(mode="json") for t in tools]) + "".join(
        text(call) for call in calls
    )
    assert len(token) > 16 and token not in everything
    whoami = next(c for c, n in zip(calls, sorted(READ_TOOLS), strict=True) if n == "whoami")
    assert json.loads(text(whoami))["credential"]["store"] == "file"


def test_an_agent_gets_the_nir_parameter_and_reaches_an_assure(signed_in: Any, cli: Any) -> None:
    from ameli_sandbox.people import PEOPLE

    signed_in("agent")
    assure = next(p for p in PEOPLE if p.key == "ald")

    async def script(client: Any) -> Any:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        status = await client.call_tool("vitale_status", {"nir": assure.nir})
        return tools, status

    tools, status = serve((), script)
    assert "nir" in tools["vitale_status"].input_schema["properties"]
    assert not status.is_error, text(status)
    expected = cli("vitale", "status", "--nir", assure.nir, "--json").json
    got = json.loads(text(status))
    assert got.pop("now") and expected.pop("now")  # the service clock moved on
    assert got == expected
    # Audited as from the command line: the assuré sees the agent's reads in `ameli audit`.
    signed_in("ald")
    journal = cli("audit", "--json").json
    assert sum(1 for entry in journal if entry["action"] == "vitale.read") == 2


def test_mcp_without_a_session_says_so_in_one_line(cli: Any) -> None:
    pytest.importorskip("mcp")
    result = cli("mcp")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "ameli login" in result.stderr


def test_irreversible_without_writes_is_a_usage_error(cli: Any) -> None:
    result = cli("mcp", "--allow-irreversible")
    assert result.exit_code == 2
    assert "--allow-irreversible va avec --allow-writes" in result.stderr


def test_missing_extra_is_one_line_naming_the_install(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in sys.modules if n == "mcp" or n.startswith("mcp.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mcp", None)  # what an absent package looks like
    result = cli("mcp")
    assert result.exit_code == 1
    assert result.stderr == (
        "erreur : ameli mcp a besoin du paquet facultatif mcp : pip install"
        " 'ameli-cli[mcp]' (ou pipx inject ameli-cli mcp).\n"
    )


def test_only_ameli_mcp_imports_the_mcp_package(user_dirs: Path) -> None:
    """Every other command module, the tool catalogue, and `--help` leave it alone."""
    code = (
        "import sys, typer.main\n"
        "from ameli_cli.__main__ import run\n"
        "run(['--help']); run(['mcp', '--help'])\n"
        "from ameli_cli.cli import app\n"
        "from ameli_cli.mcp_server.tools import build_tools, find_command\n"
        "from ameli_cli.commands.registry import ENTRIES\n"
        "root = typer.main.get_command(app)\n"
        "for entry in ENTRIES: find_command(root, [entry.name])\n"
        "build_tools(root, allow_writes=True, allow_irreversible=True, agent=True)\n"
        "print('LOADED:' + ','.join(m for m in ('mcp', 'mcp_types') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_server_env(), capture_output=True, text=True, check=True
    )
    assert out.stdout.rsplit("LOADED:", 1)[1].strip() == ""


def test_stdout_carries_only_the_protocol(signed_in: Any) -> None:
    """Raw JSON-RPC over the pipes: every stdout line is a protocol message, the
    server's own words go to stderr."""
    pytest.importorskip("mcp")
    signed_in()
    requests = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "whoami"}},
    ]
    server = subprocess.Popen(
        [sys.executable, "-m", "ameli_cli", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_server_env(),
    )
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write("".join(json.dumps(r) + "\n" for r in requests))
    server.stdin.flush()
    lines = []
    while len(lines) < 2:  # the answers to requests 1 and 2, then close stdin: it stops
        lines.append(json.loads(server.stdout.readline()))
    rest, err = server.communicate(timeout=60)
    assert server.returncode == 0 and rest == ""
    assert {line["id"] for line in lines} == {1, 2}
    whoami = next(line for line in lines if line["id"] == 2)["result"]
    assert whoami["isError"] is False
    assert json.loads(whoami["content"][0]["text"])["last_name"] == "SANTONI"
    assert re.search(r"ameli mcp : \d+ outils pour le profil « default »", err)
