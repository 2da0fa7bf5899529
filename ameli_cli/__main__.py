"""Entry point: run the app, turn every user error into one line and an exit code."""

from __future__ import annotations

import os
import sys

# Global flags are accepted anywhere on the line (`ameli whoami --profile pro`), as
# with aws or gh: they are moved in front of the command before parsing.
_GLOBAL_WITH_VALUE = frozenset({"--profile", "-p", "--backend"})
_GLOBAL_FLAGS = frozenset({"--quiet", "-q", "--verbose", "-v", "--no-color", "--show-nir"})


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
    from typer import Abort, TyperException

    from ameli_cli.runtime.errors import AmeliError, ApiError, ExitCode, api_error_message
    from ameli_cli.runtime.i18n import _

    try:
        from ameli_cli.cli import app

        args = hoist_global_options(sys.argv[1:] if argv is None else argv)
        result = app(args=args, prog_name="ameli", standalone_mode=False)
    except AmeliError as exc:
        from ameli_cli.render.terminal_text import inert

        # A problem's detail is the server's text (and a usage error may quote the
        # user's): shown, never obeyed, and on one line.
        message = api_error_message(exc) if isinstance(exc, ApiError) else exc.message
        print(
            _("erreur : {message}").format(message=inert(message, single_line=True)),
            file=sys.stderr,
        )
        return int(exc.exit_code)
    except TyperException as exc:  # click's usage errors, as vendored by typer
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]  # prints the help
        else:
            from ameli_cli.runtime.typer_app import usage_error_lines

            print("\n".join(usage_error_lines(exc)), file=sys.stderr)
        return int(exc.exit_code)
    except (Abort, KeyboardInterrupt):
        print(_("interrompu"), file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader went away (`| head`): not an error of ours; silence the flush.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return int(ExitCode.ERROR)
        from ameli_cli.runtime.errors import file_error_message

        print(_("erreur : {message}").format(message=file_error_message(exc)), file=sys.stderr)
        return int(ExitCode.ERROR)
    except Exception as exc:  # a bug: one line, the trace only on request, never locals
        if os.environ.get("AMELI_DEBUG"):
            import traceback

            traceback.print_exception(exc, file=sys.stderr)
        print(
            _(
                "erreur interne ({kind}) ; relancez avec AMELI_DEBUG=1 pour la trace et"
                " signalez-la."
            ).format(kind=type(exc).__name__),
            file=sys.stderr,
        )
        return int(ExitCode.ERROR)
    if result == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into Exit(130), silently
        print(_("interrompu"), file=sys.stderr)
    return result if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
