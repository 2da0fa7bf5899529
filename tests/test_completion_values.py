"""Completion with values (issue 14): the shipped scripts, driven the way each shell
drives them; choices after an enumerated option, file names after a file option or
argument, nothing (not `-`) after a free value."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "completions"

CASES = [
    (["completion", ""], {"bash", "zsh", "fish"}),
    (["paiements", "list", "--kind", ""], {"pharmacie", "soins", "ij"}),
    (["paiements", "summary", "--by", ""], {"month", "beneficiary", "kind"}),
    (["attestation", "get", "--type", ""], {"droits", "ij", "fiscale"}),
    (["attestation", "batch", "--type", ""], {"droits", "ij", "fiscale"}),
    (["attestation", "get", ""], {"droits", "ij", "fiscale"}),
]


def _bash(words: list[str], cwd: Path) -> list[str]:
    script = (
        f"source {SCRIPTS / 'ameli.bash'}\n"
        'COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ameli\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "-c", script, "bash", "ameli", *words],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return [w for w in done.stdout.splitlines() if w]


@pytest.mark.parametrize(
    ("words", "expected"),
    CASES,
    ids=lambda c: " ".join(sorted(c) if isinstance(c, (set, frozenset)) else c) or "-",
)
def test_bash_completes_values(words, expected, tmp_path):
    offered = set(_bash(words, tmp_path))
    assert expected <= offered, offered
    assert not any(w.startswith("-") for w in offered)


def test_bash_completes_file_names_and_nothing_after_a_free_value(tmp_path):
    (tmp_path / "attestation.pdf").write_bytes(b"%PDF")
    (tmp_path / "autre.txt").write_text("x")
    assert _bash(["attestation", "verify", "att"], tmp_path) == ["attestation.pdf"]
    assert _bash(["attestation", "get", "-o", "att"], tmp_path) == ["attestation.pdf"]
    assert _bash(["attestation", "get", "--output", "au"], tmp_path) == ["autre.txt"]
    assert _bash(["paiements", "list", "--since", ""], tmp_path) == []
    assert "--kind" in _bash(["paiements", "list", "--"], tmp_path)


@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh not installed")
def test_zsh_completes_values(tmp_path):
    (tmp_path / "attestation.pdf").write_bytes(b"%PDF")
    script = f"""
compdef() {{ : }}
compadd() {{ [[ "$1" == -- ]] && shift; print -l -- "$@" }}
_files() {{ print -- FILES }}
_message() {{ print -- MESSAGE }}
source {SCRIPTS / "ameli.zsh"}
words=(ameli "$@"); CURRENT=${{#words}}; PREFIX="${{words[CURRENT]}}"
_ameli
"""

    def offered(*words: str) -> list[str]:
        done = subprocess.run(
            ["zsh", "-f", "-c", script, "zsh", *words],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.split()

    assert {"pharmacie", "soins"} <= set(offered("paiements", "list", "--kind", ""))
    assert set(offered("completion", "")) == {"bash", "zsh", "fish"}
    assert offered("attestation", "verify", "") == ["FILES"]
    assert offered("attestation", "get", "-o", "") == ["FILES"]


@pytest.mark.skipif(not shutil.which("fish"), reason="fish not installed")
def test_fish_completes_values(tmp_path):
    (tmp_path / "attestation.pdf").write_bytes(b"%PDF")

    def offered(line: str) -> list[str]:
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {SCRIPTS / 'ameli.fish'}; complete -C '{line}'"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return [row.split("\t")[0] for row in done.stdout.splitlines()]

    assert {"pharmacie", "soins"} <= set(offered("ameli paiements list --kind "))
    assert {"bash", "zsh", "fish"} <= set(offered("ameli completion "))
    assert "attestation.pdf" in offered("ameli attestation verify ")
    assert "attestation.pdf" in offered("ameli attestation get -o ")


def test_one_zsh_install_hint():
    import contextlib
    import io

    from ameli_cli.__main__ import run
    from ameli_cli.commands import doctor
    from ameli_cli.runtime.completion_scripts import INSTALL

    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        run(["completion", "--help"])
    assert INSTALL["zsh"] in shown.getvalue()
    assert "~/.zfunc/_ameli" in doctor.COMPLETION_PLACES["zsh"]
    assert "${fpath[1]}" not in shown.getvalue()
