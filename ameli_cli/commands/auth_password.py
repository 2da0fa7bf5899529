"""`ameli auth password change|reset`: never a password in a flag (prompt, stdin, file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ameli_cli.commands import app_context
from ameli_cli.commands.options import JsonOption
from ameli_cli.domain.validation import parse_nir
from ameli_cli.runtime.errors import AmeliError, ApiError, AuthRequired, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.records import PasswordChanged, ResetRequested
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_("Mot de passe : le changer, ou le réinitialiser s'il est oublié."),
    epilog=_(
        "Exemples :\n\n\b\n  ameli auth password change\n"
        "  ameli auth password reset --nir 284037511512331 --birth-date 1984-03-14"
    ),
)


@dataclass
class SecretSource:
    """Where one password comes from: --X-stdin, --X-file, or a prompt on a terminal."""

    stdin: bool
    file: Path | None
    stdin_flag: str
    file_flag: str


@dataclass
class ChangeOptions:
    current: SecretSource
    new: SecretSource
    json: bool


@dataclass
class ResetOptions:
    nir: str
    birth_date: str
    code: str | None
    channel: str | None
    new: SecretSource
    json: bool


def _stdin_flags(new: bool) -> tuple[str, str]:
    return (
        ("--new-password-stdin", "--new-password-file")
        if new
        else (
            "--password-stdin",
            "--password-file",
        )
    )


CURRENT_STDIN_HELP = _("Lire le mot de passe actuel sur l'entrée standard (première ligne).")
CURRENT_FILE_HELP = _("Lire le mot de passe actuel dans ce fichier (première ligne).")
NEW_STDIN_HELP = _(
    "Lire le nouveau mot de passe sur l'entrée standard (ligne suivante si le mot de passe"
    " actuel y est lu aussi)."
)
NEW_FILE_HELP = _("Lire le nouveau mot de passe dans ce fichier (première ligne).")


@app.command(
    "change",
    help=_(
        "Changer le mot de passe. Les autres sessions du compte sont fermées ; celle-ci"
        " reste ouverte. Les mots de passe sont demandés sur un terminal (le nouveau deux"
        " fois) ; ailleurs, passez --password-stdin/--password-file et"
        " --new-password-stdin/--new-password-file."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli auth password change\n"
        '  printf \'%s\\n%s\\n\' "$ANCIEN" "$NOUVEAU" |\n'
        "    ameli auth password change --password-stdin --new-password-stdin"
    ),
)
def change(
    ctx: typer.Context,
    password_stdin: bool = typer.Option(False, "--password-stdin", help=CURRENT_STDIN_HELP),
    password_file: Path | None = typer.Option(
        None, "--password-file", metavar=_("CHEMIN"), help=CURRENT_FILE_HELP
    ),
    new_stdin: bool = typer.Option(False, "--new-password-stdin", help=NEW_STDIN_HELP),
    new_file: Path | None = typer.Option(
        None, "--new-password-file", metavar=_("CHEMIN"), help=NEW_FILE_HELP
    ),
    json_output: JsonOption = False,
) -> None:
    opts = ChangeOptions(
        SecretSource(password_stdin, password_file, *_stdin_flags(False)),
        SecretSource(new_stdin, new_file, *_stdin_flags(True)),
        json_output,
    )
    run_change(app_context(ctx), opts)


def run_change(app: AppContext, opts: ChangeOptions) -> PasswordChanged:
    from ameli_rules.password_policy import broken_rules

    session = app.session()
    current = read_secret(app, opts.current, _("Mot de passe actuel : "))
    new = read_new_secret(app, opts.new)
    broken = broken_rules(new, nir=session.nir if session else "")
    if broken:
        raise weak_password_error(broken)
    try:
        result = app.client().change_password(current, new)
    except ApiError as exc:
        raise _password_error(exc) from None
    if opts.json:
        app.io.write_json(result)
    else:
        from ameli_cli.runtime.i18n import ngettext

        ended = ngettext(
            "{n} autre session fermée", "{n} autres sessions fermées", result["sessions_ended"]
        ).format(n=result["sessions_ended"])
        app.io.info(_("Mot de passe changé ; {ended}, celle-ci reste ouverte.").format(ended=ended))
    return result


@app.command(
    "reset",
    help=_(
        "Mot de passe oublié. Sans --code : demander un code (envoyé par SMS ou e-mail si le"
        " NIR et la date de naissance correspondent à un compte ; la réponse est la même"
        " sinon). Avec --code : choisir le nouveau mot de passe ; toutes les sessions du"
        " compte sont fermées."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli auth password reset --nir 284037511512331 --birth-date 1984-03-14\n"
        "  ameli auth password reset --nir 284037511512331 --birth-date 1984-03-14 \\\n"
        "    --code 123456 --new-password-file nouveau.txt"
    ),
)
def reset(
    ctx: typer.Context,
    nir: str = typer.Option(..., "--nir", metavar="NIR", help=_("NIR du compte.")),
    birth_date: str = typer.Option(
        ..., "--birth-date", metavar=_("AAAA-MM-JJ"), help=_("Date de naissance de l'assuré.")
    ),
    code: str | None = typer.Option(
        None, "--code", metavar="CODE", help=_("Le code à 6 chiffres reçu par SMS ou e-mail.")
    ),
    channel: str | None = typer.Option(
        None,
        "--channel",
        metavar="email|sms",
        help=_("Recevoir le code par e-mail ou par SMS (par défaut : SMS si le compte en a un)."),
    ),
    new_stdin: bool = typer.Option(False, "--new-password-stdin", help=NEW_STDIN_HELP),
    new_file: Path | None = typer.Option(
        None, "--new-password-file", metavar=_("CHEMIN"), help=NEW_FILE_HELP
    ),
    json_output: JsonOption = False,
) -> None:
    new = SecretSource(new_stdin, new_file, *_stdin_flags(True))
    opts = ResetOptions(nir, birth_date, code, channel, new, json_output)
    run_reset(app_context(ctx), opts)


def run_reset(app: AppContext, opts: ResetOptions) -> ResetRequested | PasswordChanged:
    nir = parse_nir(opts.nir, option="--nir")
    try:
        date.fromisoformat(opts.birth_date)
    except ValueError:
        raise UsageError(_("--birth-date : une date AAAA-MM-JJ, par exemple 1984-03-14.")) from None
    if opts.channel is not None and opts.channel not in ("email", "sms"):
        raise UsageError(_("--channel : email ou sms."))
    client = app.client(authenticated=False)
    if opts.code is None:
        if opts.new.stdin or opts.new.file:
            raise UsageError(
                _("--new-password-stdin/--new-password-file vont avec --code : le code d'abord.")
            )
        try:
            result = client.request_password_reset(nir, opts.birth_date, channel=opts.channel)
        except ApiError as exc:
            raise _password_error(exc) from None
        if opts.json:
            app.io.write_json(result)
        else:
            app.io.info(
                _(
                    "Si ce NIR et cette date de naissance correspondent à un compte, un code à"
                    " 6 chiffres a été envoyé par SMS ou e-mail (valable {n} minutes). Puis :"
                    " ameli auth password reset --nir … --birth-date … --code CODE"
                ).format(n=result["expires_in_minutes"])
            )
        return result
    if not (opts.code.isdigit() and len(opts.code) == 6):
        raise UsageError(_("--code : le code a 6 chiffres."))
    new = read_new_secret(app, opts.new)
    from ameli_rules.password_policy import broken_rules

    broken = broken_rules(new, nir=nir, birth_date=opts.birth_date)
    if broken:
        raise weak_password_error(broken)
    try:
        changed = client.confirm_password_reset(nir, opts.birth_date, opts.code, new)
    except ApiError as exc:
        raise _password_error(exc) from None
    if opts.json:
        app.io.write_json(changed)
    else:
        app.io.info(_("Mot de passe réinitialisé : connectez-vous avec le nouveau (ameli login)."))
    return changed


# -- reading passwords ---------------------------------------------------------------


def read_secret(app: AppContext, source: SecretSource, prompt: str) -> str:
    if source.stdin and source.file is not None:
        raise UsageError(
            _("{a} et {b} s'excluent : choisissez-en un.").format(
                a=source.stdin_flag, b=source.file_flag
            )
        )
    if source.file is not None:
        try:
            text = source.file.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else _("pas du texte UTF-8")
            raise UsageError(
                _("{flag} : impossible de lire {path} ({error}).").format(
                    flag=source.file_flag, path=source.file, error=reason or exc
                )
            ) from None
        secret = text.splitlines()[0] if text else ""
    elif source.stdin:
        secret = app.io.stdin.readline().rstrip("\r\n")
    elif app.io.can_prompt:
        import getpass

        secret = getpass.getpass(prompt)
    else:
        raise UsageError(
            _(
                "Mot de passe manquant : passez {a} ou {b} (pas de terminal pour le demander)."
            ).format(a=source.stdin_flag, b=source.file_flag)
        )
    if not secret:
        raise UsageError(_("Le mot de passe est vide."))
    return secret


def read_new_secret(app: AppContext, source: SecretSource) -> str:
    """The new password; asked twice on a terminal so that a typo does not lock one out."""
    new = read_secret(app, source, _("Nouveau mot de passe : "))
    if not source.stdin and source.file is None:
        again = read_secret(app, source, _("Nouveau mot de passe, encore : "))
        if again != new:
            raise UsageError(
                _("Les deux saisies du nouveau mot de passe diffèrent ; rien n'a changé.")
            )
    return new


def weak_password_error(rules: list[str]) -> UsageError:
    from ameli_rules import password_policy as policy

    words = {
        policy.TOO_SHORT: _("au moins {n} caractères").format(n=policy.MIN_LENGTH),
        policy.TOO_LONG: _("au plus {n} caractères").format(n=policy.MAX_LENGTH),
        policy.NO_LOWER: _("une minuscule"),
        policy.NO_UPPER: _("une majuscule"),
        policy.NO_DIGIT: _("un chiffre"),
        policy.NO_OTHER: _("un caractère spécial (ni lettre ni chiffre)"),
        policy.OUTER_SPACE: _("pas d'espace au début ni à la fin"),
        policy.CONTAINS_NIR: _("pas le NIR"),
        policy.CONTAINS_BIRTH_DATE: _("pas la date de naissance"),
    }
    wanted = ", ".join(words.get(rule, rule) for rule in rules)
    return UsageError(
        _("Nouveau mot de passe trop faible ; il faut : {rules}. Rien n'a changé.").format(
            rules=wanted
        )
    )


def _password_error(exc: ApiError) -> AmeliError:
    problem = exc.problem
    if exc.code == "password_too_weak":
        return weak_password_error([str(r) for r in problem.get("rules", [])])
    if exc.code == "current_password_wrong":
        return AmeliError(
            _("Mot de passe actuel incorrect ({n} essai(s) avant blocage du compte).").format(
                n=problem.get("attempts_remaining", "?")
            )
        )
    if exc.code == "password_unchanged":
        return UsageError(_("Le nouveau mot de passe est l'actuel : choisissez-en un autre."))
    if exc.code == "account_locked":
        from ameli_cli.render.dates import local_time

        return AuthRequired(
            _(
                "Compte bloqué après 5 mots de passe erronés, jusqu'au {until} ; ou :"
                " ameli auth password reset."
            ).format(until=local_time(str(problem.get("locked_until", ""))))
        )
    if exc.code == "reset_code_invalid":
        return UsageError(
            _(
                "Code faux ou expiré, ou NIR et date de naissance sans compte. Après 5 essais"
                " faux le code ne vaut plus : redemandez-en un (sans --code)."
            )
        )
    # too_many_code_requests (429) stays an ApiError: exit 7, sentence in runtime/problems.
    return exc
