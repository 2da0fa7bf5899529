"""Run one tool: the command in this process with `--json`, its stdout as the result.

A call goes through the CLI's real entry point (`__main__.run`), so a tool does
exactly what the command does: same validation, same errors, same exit codes. The
command's streams are swapped for buffers while it runs; one call runs at a time
because `sys.stdout` is one per process. This module never imports `mcp`.
"""

from __future__ import annotations

import io
import json
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ameli_cli.mcp_server.tools import Tool, to_argv
from ameli_cli.runtime.errors import AmeliError, ExitCode
from ameli_cli.runtime.i18n import _

_ONE_AT_A_TIME = threading.Lock()
TOKEN_MASK = "[jeton masqué]"


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class ToolResult:
    text: str
    is_error: bool = False
    extra: tuple[str, ...] = ()  # more content blocks (an error's line after its data)


@dataclass
class McpSession:
    """What every call shares: the profile's session, as `ameli -p PROFILE` would."""

    profile: str
    backend: str
    out_dir: Path  # where `attestation_get` writes its PDFs
    secrets: tuple[str, ...] = ()  # never in a result (the session's token)
    agent: bool = False

    def global_flags(self) -> list[str]:
        return [f"--profile={self.profile}", f"--backend={self.backend}"]

    def run_cli(self, words: list[str]) -> Outcome:
        from ameli_cli.__main__ import run

        stdout, stderr = io.StringIO(), io.StringIO()
        with _ONE_AT_A_TIME:
            saved = sys.stdin, sys.stdout, sys.stderr
            # Empty stdin: no command may read the protocol's stream or prompt.
            sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), stdout, stderr
            try:
                code = run([*self.global_flags(), *words])
            except SystemExit as exc:  # a command must never stop the server
                code = exc.code if isinstance(exc.code, int) else int(ExitCode.ERROR)
            finally:
                sys.stdin, sys.stdout, sys.stderr = saved
        return Outcome(code, self.redact(stdout.getvalue()), self.redact(stderr.getvalue()))

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, TOKEN_MASK)
        return text

    def call(self, tool: Tool, arguments: dict[str, Any]) -> ToolResult:
        problem = invalid_arguments(tool, arguments)
        if problem:
            return ToolResult(problem, is_error=True)
        outcome = self.run_cli(to_argv(tool, arguments))
        if outcome.exit_code != 0 and outcome.stdout.strip():
            # A verdict that is also a failure (`attestation verify`: tampered, exit 1):
            # the data first, then the line saying why the exit code is not 0.
            return ToolResult(outcome.stdout.strip(), True, (error_line(outcome),))
        if outcome.exit_code != 0:
            return ToolResult(error_line(outcome), is_error=True)
        if tool.path == ("attestation", "get"):
            return self._with_pdf(tool, arguments, outcome.stdout)
        return ToolResult(outcome.stdout.strip())

    def _with_pdf(self, tool: Tool, arguments: dict[str, Any], signed_json: str) -> ToolResult:
        """The signed data, and the PDF drawn from it (from the cache the first call
        filled: `--offline`, so the service is asked once)."""
        from ameli_cli.domain.attestations import default_file_name
        from ameli_cli.runtime.safe_paths import path_inside, safe_name

        envelope = json.loads(signed_json)
        pdf = path_inside(self.out_dir, safe_name(default_file_name(envelope)))
        # --force: the directory is the server's, and the same name is the same attestation.
        flags = ["--offline", "--force", f"--output={pdf}"]
        outcome = self.run_cli(to_argv(tool, arguments, flags))
        if outcome.exit_code != 0:
            return ToolResult(error_line(outcome), is_error=True)
        result = {"pdf_path": str(pdf), "signed": envelope}
        return ToolResult(json.dumps(result, ensure_ascii=False, indent=2))


class CommandFailed(AmeliError):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        known = {int(code) for code in ExitCode}
        self.exit_code = ExitCode(exit_code) if exit_code in known else ExitCode.ERROR


def error_message(outcome: Outcome) -> str:
    """The command's one error line, without its `erreur : ` prefix."""
    prefix = _("erreur : {message}").format(message="")
    lines = [line.strip() for line in outcome.stderr.splitlines() if line.strip()]
    found = next((line for line in lines if line.startswith(prefix)), None)
    if found:
        return found.removeprefix(prefix)
    return lines[-1] if lines else _("la commande a échoué")


def error_line(outcome: Outcome) -> str:
    """The error as a tool returns it, with the exit code (a model may act on either)."""
    return _("erreur : {message} (code de sortie {code})").format(
        message=error_message(outcome), code=outcome.exit_code
    )


def invalid_arguments(tool: Tool, arguments: Any) -> str | None:
    """One line if the arguments do not match the tool's schema, else None."""
    from jsonschema import Draft202012Validator  # a dependency of `mcp`
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(tool.input_schema).iter_errors(arguments))
    if error is None:
        return None
    where = ".".join(str(part) for part in error.absolute_path) or tool.name
    return _("erreur : arguments invalides ({where}) : {problem}").format(
        where=where, problem=error.message
    )


def open_session(
    profile: str, backend: str, out_dir: Path, *, credentials_token: str | None
) -> McpSession:
    """The session `ameli mcp` serves, checked once at start: who is signed in (an
    agent gets the `nir` parameter), or why nobody is (exit 4, one line)."""
    session = McpSession(
        profile, backend, out_dir, secrets=(credentials_token,) if credentials_token else ()
    )
    outcome = session.run_cli(["whoami", "--json"])
    if outcome.exit_code != 0:
        raise CommandFailed(error_message(outcome), outcome.exit_code)
    session.agent = json.loads(outcome.stdout).get("role") == "agent"
    return session
