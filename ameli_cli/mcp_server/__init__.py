"""`ameli mcp`: the CLI's commands as Model Context Protocol tools (stdio).

`tools` reads the click command tree (no second copy of any option) and says which
commands are exposed; `runner` runs a command in this process with `--json` and
captures its output; `server` wires both to the `mcp` package, the only module that
imports it (an optional extra: `pip install 'ameli-cli[mcp]'`).
"""
