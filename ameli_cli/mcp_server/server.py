"""The MCP server over stdio: the only module that imports the `mcp` package.

Built on the low-level `mcp.server.lowlevel.Server` (mcp 2.x, constructor `on_*`
handlers): our tools' schemas come from the click tree, not from Python
signatures, which is what the high-level `MCPServer` (FastMCP in 1.x) derives.
While it serves, the `mcp` stdio transport points fd 1 at stderr and fd 0 at
/dev/null, so nothing but the protocol reaches stdout.
"""

from __future__ import annotations

from typing import Any

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError

from ameli_cli import __version__
from ameli_cli.mcp_server.runner import McpSession
from ameli_cli.mcp_server.tools import Access, Tool
from ameli_cli.runtime.i18n import _


def annotations_for(tool: Tool) -> types.ToolAnnotations:
    return types.ToolAnnotations(
        title=tool.name,
        read_only_hint=tool.access is Access.READ,
        destructive_hint=tool.access is Access.IRREVERSIBLE,
        # A write sends an Idempotency-Key per call: the same call twice creates twice.
        idempotent_hint=tool.access is Access.READ,
        open_world_hint=False,
    )


def build_server(session: McpSession, tools: list[Tool]) -> Server[Any]:
    by_name = {tool.name: tool for tool in tools}
    listing = [
        types.Tool(
            name=tool.name,
            description=tool.description,
            input_schema=tool.input_schema,
            annotations=annotations_for(tool),
        )
        for tool in tools
    ]

    async def list_tools(
        ctx: Any, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listing)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        tool = by_name.get(params.name)
        if tool is None:
            # Not a tool error: the client asked for something this server never listed
            # (a write without --allow-writes, a typo).
            raise MCPError(
                types.INVALID_PARAMS,
                _("outil inconnu : {name} (voir tools/list)").format(name=params.name),
            )
        arguments = params.arguments or {}
        result = await anyio.to_thread.run_sync(session.call, tool, arguments)
        texts = [result.text, *result.extra]
        return types.CallToolResult(
            content=[types.TextContent(text=text) for text in texts], is_error=result.is_error
        )

    return Server(
        "ameli",
        version=__version__,
        instructions=_(
            "Le compte ameli (Assurance Maladie) de l'assuré connecté : chaque outil est une"
            " commande ameli, son résultat est la sortie --json de la commande."
        ),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def serve(session: McpSession, tools: list[Tool]) -> None:
    server = build_server(session, tools)

    async def main() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(main)
