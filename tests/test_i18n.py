"""French by default, English on request; JSON identical in both; catalogue complete;
help examples everywhere; the README reference generated from --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import person

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import i18n as catalogue_tool  # noqa: E402


def _ameli(
    args: list[str],
    *,
    lang: str | None,
    env: dict[str, str],
    stdin: str = "",
    locale: str | None = None,
):
    """Run ameli with no locale of the machine's: only `lang` (AMELI_LANG) and
    `locale` (LANG) decide."""
    full = dict(env, COLUMNS="80")
    for var in ("AMELI_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        full.pop(var, None)
    if lang:
        full["AMELI_LANG"] = lang
    if locale:
        full["LANG"] = locale
    return subprocess.run(
        [sys.executable, "-m", "ameli_cli", *args],
        input=stdin,
        env=full,
        capture_output=True,
        text=True,
    )


def test_every_string_has_an_english_translation():
    extracted = catalogue_tool.extract()
    po = catalogue_tool.load_po()
    missing = [m.id for m in extracted if m.id and (m.id not in po or not po[m.id].string)]
    assert not missing, (
        f"{len(missing)} strings lack an English translation "
        f"(python scripts/i18n.py update, then translate): {missing[:5]}"
    )


def test_compiled_catalogue_matches_the_po_file():
    import gettext

    po = catalogue_tool.load_po()
    with catalogue_tool.MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in po:
        if message.id and isinstance(message.id, str) and message.string:
            assert compiled.gettext(message.id) == message.string, (
                "ameli.mo is stale: python scripts/i18n.py compile"
            )


def test_french_by_default_and_english_on_request(user_dirs):
    env = dict(os.environ)
    french = _ameli(["--help"], lang=None, env=env)
    english = _ameli(["--help"], lang="en", env=env)
    assert "Utilisation : ameli" in french.stdout and "Commandes" in french.stdout
    assert "Usage: ameli" in english.stdout and "Commands" in english.stdout
    assert "Afficher" not in english.stdout
    by_locale = _ameli(["--help"], lang=None, env=env, locale="en_US.UTF-8")
    assert by_locale.stdout == english.stdout
    ameli_lang_wins = _ameli(["--help"], lang="fr", env=env, locale="en_US.UTF-8")
    assert ameli_lang_wins.stdout == french.stdout
    assert _ameli(["--help"], lang=None, env=env, locale="fr_FR.UTF-8").stdout == french.stdout


def test_errors_are_translated(user_dirs):
    env = dict(os.environ)
    fr = _ameli(
        ["login", "--nir", "191026912308769", "--password-stdin"], lang="fr", env=env, stdin="x"
    )
    en = _ameli(
        ["login", "--nir", "191026912308769", "--password-stdin"], lang="en", env=env, stdin="x"
    )
    assert fr.returncode == en.returncode == 2
    assert "clé du NIR" in fr.stderr
    assert "clé" not in en.stderr and "key" in en.stderr.lower()
    unknown = _ameli(["whoami", "--nope"], lang="en", env=env)
    assert (
        unknown.returncode == 2 and "option" in unknown.stderr and "inconnue" not in unknown.stderr
    )


def test_json_does_not_change_with_the_language(user_dirs):
    env = dict(os.environ)
    who = person("ij")
    assert (
        _ameli(
            ["login", "--nir", who.nir, "--password-stdin", "--insecure-storage"],
            lang="fr",
            env=env,
            stdin=who.password,
        ).returncode
        == 0
    )
    for args in (["whoami", "--json"], ["sandbox", "accounts", "--json"], ["doctor", "--json"]):
        fr = _ameli(args, lang="fr", env=env)
        en = _ameli(args, lang="en", env=env)
        fr_data, en_data = json.loads(fr.stdout), json.loads(en.stdout)
        if args[0] == "doctor":  # the service clock moves between the two runs
            for data in (fr_data, en_data):
                for check in data["checks"]:
                    check["details"].pop("service_now", None)
        assert fr_data == en_data, args


def _all_command_paths() -> list[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ameli_cli.runtime.completion_scripts import command_tree\n"
            "print('\\n'.join(n.path for n in command_tree()))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, AMELI_LANG="fr"),
    )
    return out.stdout.split("\n")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_help_ends_with_an_example_and_no_untranslated_text(lang, user_dirs):
    env = dict(os.environ)
    po = catalogue_tool.load_po()
    french_only = [
        m.id
        for m in po
        if isinstance(m.id, str)
        and m.string
        and m.string != m.id
        and len(m.id) > 24
        and "{" not in m.id
    ]
    label = "Exemple" if lang == "fr" else "Example"
    code = (
        "import contextlib, io, sys\n"
        "from ameli_cli.__main__ import run\n"
        "for path in sys.stdin.read().split('\\n'):\n"
        "    buffer = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buffer):\n"
        "        run([*path.split(), '--help'])\n"
        "    print('=== ' + path)\n"
        "    print(buffer.getvalue())\n"
    )
    full = dict(env, AMELI_LANG=lang, COLUMNS="200")
    out = subprocess.run(
        [sys.executable, "-c", code],
        input="\n".join(_all_command_paths()),
        env=full,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for block in out.split("=== ")[1:]:
        path, _, text = block.partition("\n")
        assert label in text, f"`ameli {path} --help` has no example"
        if lang == "en":
            leaked = [fid for fid in french_only if fid in text]
            assert not leaked, f"`ameli {path} --help` shows untranslated text: {leaked[:3]}"


def test_readme_reference_is_generated_from_help():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "reference.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# Bad input across every noun: the same exit code in both languages, and no French
# left in the English message (pieces of French message ids between placeholders).
ERROR_PATHS = [
    ["login", "--nir", "191026912308769", "--password-stdin"],
    ["login", "--nir", "12345", "--password-stdin"],
    ["whoami"],
    ["whoami", "--nope"],
    ["nope"],
    ["--backend", "ftp://x", "whoami"],
    ["paiements", "list", "--since", "bientôt"],
    ["paiements", "list", "--kind", "cinema"],
    ["attestation", "get", "--type", "nope"],
    ["vitale", "order", "--beneficiary", "99", "--photo", "x.jpg", "--id-document", "y.pdf"],
    ["ceam", "order", "--departure", "2020-01-01"],
    ["message", "send", "--category", "remboursement", "--subject", "x", "--body", ""],
    ["profile", "update", "--email", "a@@b", "--postal-code", "7500"],
    ["sandbox", "advance", "bientôt"],
    ["config", "set", "couleur", "x"],
    ["completion", "powershell"],
]


def _french_pieces() -> list[str]:
    import re

    pieces: set[str] = set()
    for message in catalogue_tool.load_po():
        if isinstance(message.id, str) and message.string and message.string != message.id:
            for piece in re.split(r"\{[^}]*\}", message.id):
                if len(piece.strip()) >= 16:
                    pieces.add(piece.strip())
    return sorted(pieces)


@pytest.mark.parametrize("args", ERROR_PATHS, ids=lambda a: " ".join(a)[:40])
def test_errors_in_both_languages(args, user_dirs):
    env = dict(os.environ)
    fr = _ameli(args, lang="fr", env=env, stdin="x\n")
    en = _ameli(args, lang="en", env=env, stdin="x\n")
    assert fr.returncode == en.returncode != 0
    assert fr.stderr.strip() and en.stderr.strip()
    assert "Traceback" not in fr.stderr + en.stderr
    leaked = [piece for piece in _french_pieces() if piece in en.stderr]
    assert not leaked, f"untranslated in English: {leaked[:3]}\n{en.stderr}"
