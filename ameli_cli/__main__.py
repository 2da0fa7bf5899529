"""Entry point: run the app, turn every user error into one line and an exit code."""

from __future__ import annotations

import os
import sys

# Global flags are accepted anywhere on the line (`ameli whoami --profile pro`), as
# with aws or gh: they are moved in front of the command before parsing.
_GLOBAL_WITH_VALUE = frozenset({"--profile", "-p", "--backend"})
_GLOBAL_FLAGS = frozenset(
    {"--quiet", "-q", "--verbose", "-v", "--no-color", "--show-nir", "--wide"}
)


def hoist_global_options(argv: list[str]) -> list[str]:
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name = arg.split("=", 1)[0]
        if arg in _GLOBAL_FLAGS or (name in _GLOBAL_WITH_VALUE and "=" in arg):
            front.append(arg)
        elif arg in _GLOBAL_WITH_VALUE and i + 1 < len(argv):
            front.extend(argv[i : i + 2])
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def run(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        # The same line the root's eager --version callback prints (cli._version),
        # without importing typer to parse a line that can mean nothing else (issue 18:
        # --version was 1.34x a bare `import typer`).
        from ameli_cli import __version__

        print(f"ameli {__version__}")
        return 0
    from typer import Abort, TyperException

    from ameli_cli.runtime.errors import AmeliError, Cancelled, ExitCode
    from ameli_cli.runtime.i18n import _

    args = hoist_global_options(args)

    def color() -> bool:  # iostreams is imported on an error only: not by `ameli --help`
        from ameli_cli.runtime.iostreams import stderr_color

        return stderr_color("--no-color" in args)

    def error_line(message: str) -> str:
        from ameli_cli.runtime.iostreams import paint

        label = paint(_("erreur :"), "error", color())
        return f"{label} {message}"

    def interrupted() -> int:
        from ameli_cli.runtime.iostreams import stderr_is_terminal

        # Ctrl-C leaves the cursor after "^C" (often on a prompt's line): start a new one.
        print(("\n" if stderr_is_terminal() else "") + _("interrompu"), file=sys.stderr)
        return int(ExitCode.INTERRUPTED)

    from ameli_cli.runtime import answers

    answers.forget()
    try:
        from ameli_cli.cli import app

        result = app(args=args, prog_name="ameli", standalone_mode=False)
    except Cancelled as exc:  # the user said no: not an error, nothing was sent
        print(exc.message, file=sys.stderr)
        return int(exc.exit_code)
    except AmeliError as exc:
        from ameli_cli.render.terminal_text import inert

        # A problem's detail is the server's text (and a usage error may quote the
        # user's): shown, never obeyed, and on one line.
        print(error_line(inert(exc.message, single_line=True)), file=sys.stderr)
        return int(exc.exit_code)
    except TyperException as exc:  # click's usage errors, as vendored by typer
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]  # prints the help
        else:
            from ameli_cli.runtime.typer_app import click_message, help_hint

            print(error_line(click_message(exc)), file=sys.stderr)
            if hint := help_hint(exc):
                print(hint, file=sys.stderr)
        return int(exc.exit_code)
    except (Abort, KeyboardInterrupt):
        return interrupted()
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader went away (`| head`): not an error of ours; silence the flush.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return int(ExitCode.ERROR)
        from ameli_cli.runtime.errors import file_error_message

        print(error_line(file_error_message(exc)), file=sys.stderr)
        return int(ExitCode.ERROR)
    except Exception as exc:  # a bug: one line, the trace only on request, never locals
        if os.environ.get("AMELI_DEBUG"):
            import traceback

            traceback.print_exception(exc, file=sys.stderr)
        server = answers.foreign_answer()
        if server and isinstance(
            exc, (KeyError, TypeError, IndexError, AttributeError, ValueError)
        ):
            from ameli_cli.render.terminal_text import inert

            message = _(
                "réponse inattendue de {server} ({kind}) : ce service ne répond pas comme"
                " l'API d'ameli ; vérifiez --backend (ameli doctor)."
            ).format(server=inert(server, single_line=True), kind=type(exc).__name__)
            print(error_line(message), file=sys.stderr)
            return int(ExitCode.ERROR)
        from ameli_cli.runtime.iostreams import paint

        print(
            paint(
                _(
                    "erreur interne ({kind}) ; relancez avec AMELI_DEBUG=1 pour la trace et"
                    " signalez-la."
                ).format(kind=type(exc).__name__),
                "error",
                color(),
            ),
            file=sys.stderr,
        )
        return int(ExitCode.ERROR)
    if result == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into Exit(130), silently
        return interrupted()
    return result if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
