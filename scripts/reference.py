"""Generate the command reference, docs/reference.md, from `--help`.

python scripts/reference.py          # rewrite docs/reference.md
python scripts/reference.py --check  # exit 1 when it is stale (a test runs this)
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
REFERENCE = ROOT / "docs" / "reference.md"


def help_text(path: str) -> str:
    from ameli_cli.__main__ import run

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        run([*path.split(), "--help"])
    return buffer.getvalue().rstrip() + "\n"


def render() -> str:
    from ameli_cli.runtime.completion_scripts import command_tree

    parts = [
        "# Référence des commandes\n\n",
        "Générée depuis `--help` par `python scripts/reference.py` (un test échoue si elle"
        " n'est plus à jour) ; ne pas modifier à la main.\n",
    ]
    for node in command_tree():
        title = f"ameli {node.path}".strip()
        parts.append(f"\n## `{title}`\n\n```text\n{help_text(node.path)}```\n")
    return "".join(parts)


def main() -> None:
    new = render()
    current = REFERENCE.read_text("utf-8") if REFERENCE.exists() else ""
    if "--check" in sys.argv:
        if new != current:
            print("docs/reference.md is stale: run python scripts/reference.py", file=sys.stderr)
            sys.exit(1)
        return
    REFERENCE.write_text(new, "utf-8")
    print("docs/reference.md updated")


if __name__ == "__main__":
    main()
