"""One language at a time (issue 14): every usage error click/typer can raise and every
problem code the service can answer, shown in French, with no English left in."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Words that only an English sentence would carry (checked as whole words).
ENGLISH = re.compile(
    r"\b(the|is|not|no|invalid|must|required|missing|such|did you mean|got|"
    r"unexpected|file|found|too|already|value|range|choose|error|try)\b",
    re.IGNORECASE,
)


def _english(text: str) -> list[str]:
    # Option names and quoted values are the user's own words, not English prose.
    prose = re.sub(r"--?[\w-]+|« [^»]* »|'[^']*'", "", text)
    return ENGLISH.findall(prose)


# One command line per error class click and typer raise.
USAGE_ERRORS = {
    "BadParameter (int)": ["paiements", "list", "--limit", "abc"],
    "BadParameter (range)": ["sandbox", "serve", "--port", "99999"],
    "BadParameter (choice)": ["paiements", "list", "--kind", "massage"],
    "BadParameter (argument choice)": ["completion", "tcsh"],
    "NoSuchOption": ["paiements", "list", "--limitt", "3"],
    "MissingParameter (argument)": ["config", "get"],
    "MissingParameter (option)": ["attestation", "batch", "-d", "x"],
    "BadOptionUsage (needs a value)": ["paiements", "list", "--limit"],
    "BadOptionUsage (takes none)": ["paiements", "list", "--json=yes"],
    "extra argument": ["whoami", "en", "trop"],
    "unknown command": ["paiement"],
    "unknown subcommand": ["paiements", "lister"],
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_every_usage_error_is_french(cli, args):
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("erreur : ")
    assert not _english(result.stderr), result.stderr


def service_problem_codes() -> set[str]:
    """Every `code` the reference service can answer, read from its source."""
    codes: set[str] = set()
    for path in (ROOT / "ameli_sandbox").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if "roblem" not in name:
                continue
            for arg in node.args[1:3]:
                value = arg.value if isinstance(arg, ast.Constant) else None
                if isinstance(value, str) and re.fullmatch(r"[a-z]+(_[a-z]+)*", value):
                    codes.add(value)
    codes |= {"method_not_allowed", "empty_body", "empty_subject", "body_too_long"}
    return codes


def test_the_code_scan_finds_the_problems():
    codes = service_problem_codes()
    assert {"not_found", "rate_limited", "otp_invalid", "unknown_beneficiary"} <= codes
    assert len(codes) > 30


@pytest.mark.parametrize("code", sorted(service_problem_codes()))
def test_every_service_problem_is_french(code):
    from ameli_cli.runtime.errors import ApiError
    from ameli_cli.runtime.problems import KNOWN_CODES

    detail = "No conversation MNOPE12 in this account; the value is not valid."
    problem = {"code": code, "title": "Some English title", "detail": detail, "status": 404}
    error = ApiError(404, problem)
    assert code in KNOWN_CODES, f"no French sentence for the service's code {code!r}"
    assert "English" not in error.message and detail not in error.message
    assert not _english(error.message), error.message


def test_not_found_names_what_was_not_found(cli, login):
    login("ij")
    result = cli("message", "show", "MNOPE12")
    assert result.exit_code == 1
    assert "MNOPE12" in result.stderr and "No conversation" not in result.stderr
    assert not _english(result.stderr), result.stderr


def test_a_code_the_cli_does_not_know_is_still_french():
    from ameli_cli.runtime.errors import ApiError

    error = ApiError(418, {"code": "teapot", "detail": "I am a teapot"})
    assert error.message == "Le service a refusé la demande (HTTP 418, code « teapot »)."


def test_help_says_ranges_in_words(cli):
    text = " ".join(cli("sandbox", "serve", "--help").stdout.split())
    assert "<int range>" not in text and "0<=x" not in text
    assert "de 0 à 65535" in text
