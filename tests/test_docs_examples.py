"""The README and docs/*.md say what the commands really print (issue 14): every
```console block is run on a fresh sandbox with its clock pinned, and compared.
`python scripts/docs_examples.py --update` rewrites the outputs after a change."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import docs_examples  # noqa: E402


@pytest.mark.parametrize("path", docs_examples.documents(), ids=lambda p: p.name)
def test_console_examples_print_what_the_page_says(path):
    problems = docs_examples.check(path)
    assert not problems, "\n\n".join(problems)


def test_the_runner_reads_commands_outputs_and_continuations():
    lines = [
        "```console",
        "$ echo a \\",
        "  b",
        "a b",
        "$ true",
        "```",
        "```text",
        "$ not run",
        "```",
    ]
    examples = docs_examples.parse(lines)
    assert [e.command for e in examples] == [["echo a \\", "  b"], ["true"]]
    assert examples[0].expected == ["a b"] and examples[1].expected == []


def test_the_readme_is_a_five_minute_page():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) < 300
    assert "make demo" in readme and "make test" in readme
    assert "| 3 |" in readme  # the exit-code table has the cancel code
    assert "erreur :" not in readme.split("Une faute de frappe")[0]
