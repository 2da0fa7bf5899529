"""Generate the README's command reference from `--help`.

    python scripts/reference.py          # rewrite the README section
    python scripts/reference.py --check  # exit 1 when the README is stale (a test runs this)

The section lies between `<!-- section:reference -->` and `<!-- /section:reference -->`.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

# Stable output: French, 80 columns, whatever the machine says.
os.environ["AMELI_LANG"] = "fr"
os.environ["COLUMNS"] = "80"

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- section:reference -->", "<!-- /section:reference -->"


def help_text(path: str) -> str:
    from ameli_cli.__main__ import run

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        run([*path.split(), "--help"])
    return buffer.getvalue().rstrip() + "\n"


def render() -> str:
    from ameli_cli.runtime.completion_scripts import command_tree

    parts = [
        "\n## Référence des commandes\n",
        "Générée depuis `--help` par `python scripts/reference.py` (un test échoue si elle"
        " n'est plus à jour).\n",
    ]
    for node in command_tree():
        title = f"ameli {node.path}".strip()
        parts.append(f"\n### `{title}`\n\n```text\n{help_text(node.path)}```\n")
    return "".join(parts)


def updated_readme() -> str:
    text = README.read_text("utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{render()}\n{END}{tail}"


def main() -> None:
    new = updated_readme()
    if "--check" in sys.argv:
        if new != README.read_text("utf-8"):
            print("README.md reference is stale: run python scripts/reference.py", file=sys.stderr)
            sys.exit(1)
        return
    README.write_text(new, "utf-8")
    print("README.md reference updated")


if __name__ == "__main__":
    main()
