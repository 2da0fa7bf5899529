"""Contact and bank details: `profile show`, `profile update`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import app_context, subject_nir
from ameli_cli.commands.options import JsonOption, NirOption
from ameli_cli.render.dates import local_time
from ameli_cli.runtime.errors import ApiError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.records import Profile, ProfileChange, ProfileUpdated
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=_("Vos coordonnées : adresse, e-mail, téléphone et IBAN (voir, modifier)."),
    epilog=_(
        "Exemples :\n\n\b\n  ameli profile show\n  ameli profile update --email moi@example.fr"
    ),
)

# API field → the flag that sets it, in display order.
FLAGS = {
    "email": "--email",
    "phone": "--phone",
    "address_line": "--address-line",
    "postal_code": "--postal-code",
    "city": "--city",
    "iban": "--iban",
}
LABEL_WIDTH = 13


def field_label(field: str) -> str:
    labels = {
        "email": _("e-mail"),
        "phone": _("téléphone"),
        "address_line": _("adresse"),
        "postal_code": _("code postal"),
        "city": _("ville"),
        "iban": _("IBAN"),
    }
    return labels.get(field, field)


# -- show ------------------------------------------------------------------------------


@dataclass
class ShowOptions:
    nir: str | None
    json: bool


@app.command(
    "show",
    help=_(
        "Afficher vos coordonnées (adresse, e-mail, téléphone, IBAN masqué) et l'historique"
        " de leurs modifications."
    ),
    epilog=_("Exemples :\n\n\b\n  ameli profile show\n  ameli profile show --json"),
)
def show(
    ctx: typer.Context,
    nir: NirOption = None,
    json_output: JsonOption = False,
) -> None:
    run_show(app_context(ctx), ShowOptions(nir, json_output))


def run_show(app: AppContext, opts: ShowOptions) -> Profile:
    nir = subject_nir(app, opts.nir)
    profile = app.client().fetch_profile(nir=nir)
    if opts.json:
        app.io.write_json(profile)
    else:
        app.io.write(render_profile(app, profile))
    return profile


def render_profile(app: AppContext, profile: Profile) -> str:
    from ameli_cli.domain.validation import format_french_phone

    lines = [f"{profile['first_names']} {profile['last_name']}"]
    lines.append(_line(_("NIR"), app.display_nir(profile["nir"])))
    address = [profile.get("address_line") or ""]
    address.append(" ".join(p for p in (profile.get("postal_code"), profile.get("city")) if p))
    lines.append(_line(_("adresse"), address[0]))
    lines.append(_line("", address[1]))
    lines.append(_line(_("e-mail"), profile.get("email") or "—"))
    lines.append(_line(_("téléphone"), format_french_phone(profile.get("phone") or "—")))
    lines.append(_line(_("IBAN"), profile.get("iban_masked") or _("aucun")))
    caisse = profile["caisse"]
    lines.append(_line(_("caisse"), f"{caisse['name']} ({caisse['code']})"))
    groups = _change_groups(profile.get("changes", []))
    if groups:
        lines.append("  " + _("modifications"))
        for when, by, fields in groups[:10]:
            who = "" if by == "assure" else " " + _("(par un agent)")
            lines.append(
                f"    {local_time(when)}  {', '.join(field_label(f) for f in fields)}{who}"
            )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _change_groups(changes: list[ProfileChange]) -> list[tuple[str, str, list[str]]]:
    """Changes made together (same moment, same author) on one line, newest first."""
    groups: list[tuple[str, str, list[str]]] = []
    for change in changes:
        key = (change["changed_at"], change["changed_by"])
        if groups and groups[-1][:2] == key:
            groups[-1][2].append(change["field"])
        else:
            groups.append((*key, [change["field"]]))
    for group in groups:
        group[2].sort(key=lambda f: list(FLAGS).index(f) if f in FLAGS else len(FLAGS))
    return groups


# -- update ----------------------------------------------------------------------------


@dataclass
class UpdateOptions:
    email: str | None = None
    phone: str | None = None
    address_line: str | None = None
    postal_code: str | None = None
    city: str | None = None
    iban: str | None = None
    nir: str | None = None
    dry_run: bool = False
    json: bool = False

    def given(self) -> dict[str, str]:
        return {field: value for field in FLAGS if (value := getattr(self, field)) is not None}


@app.command(
    "update",
    help=_(
        "Modifier vos coordonnées. Tout est vérifié avant l'envoi (e-mail, numéro français,"
        " code postal à 5 chiffres, IBAN et clé RIB) : si un champ est faux, rien n'est"
        " modifié. L'IBAN n'est ensuite affiché que masqué."
    ),
    epilog=_(
        "Exemples :\n\n\b\n  ameli profile update --phone '06 98 76 54 32' --email moi@example.fr\n"
        "  ameli profile update --address-line '5 rue des Lilas' --postal-code 69003"
        " --city Lyon --dry-run"
    ),
)
def update(
    ctx: typer.Context,
    email: str | None = typer.Option(
        None, "--email", metavar=_("ADRESSE"), help=_("Adresse e-mail.")
    ),
    phone: str | None = typer.Option(
        None, "--phone", metavar=_("NUMÉRO"), help=_("Téléphone français (06 12 34 56 78, +33 6…).")
    ),
    address_line: str | None = typer.Option(
        None, "--address-line", metavar=_("TEXTE"), help=_("Numéro et voie (une ligne).")
    ),
    postal_code: str | None = typer.Option(
        None, "--postal-code", metavar="CODE", help=_("Code postal (5 chiffres).")
    ),
    city: str | None = typer.Option(None, "--city", metavar=_("VILLE"), help=_("Commune.")),
    iban: str | None = typer.Option(
        None, "--iban", metavar="IBAN", help=_("IBAN du compte où recevoir les remboursements.")
    ),
    iban_stdin: bool = typer.Option(
        False,
        "--iban-stdin",
        help=_("Lire l'IBAN sur l'entrée standard (il ne reste pas dans l'historique du shell)."),
    ),
    nir: NirOption = None,
    dry_run: bool = typer.Option(
        False, "--dry-run", help=_("Vérifier et montrer ce qui changerait, sans rien envoyer.")
    ),
    json_output: JsonOption = False,
) -> None:
    app = app_context(ctx)
    if iban_stdin:
        if iban is not None:
            raise UsageError(_("--iban et --iban-stdin s'excluent : choisissez-en un."))
        iban = app.io.stdin.readline().strip()
    opts = UpdateOptions(
        email, phone, address_line, postal_code, city, iban, nir, dry_run, json=json_output
    )
    run_update(app, opts)


def validate_changes(given: dict[str, str]) -> dict[str, str]:
    """Every field checked; all errors on one line (exit 2), or the clean values."""
    from ameli_cli.domain import validation as v

    checks = {
        "email": lambda s: v.parse_email(s, option="--email"),
        "phone": lambda s: v.parse_french_phone(s, option="--phone"),
        "address_line": lambda s: v.parse_text_field(s, option="--address-line", max_length=100),
        "postal_code": lambda s: v.parse_postal_code(s, option="--postal-code"),
        "city": lambda s: v.parse_text_field(s, option="--city", max_length=60),
        "iban": lambda s: v.parse_iban(s, option="--iban"),
    }
    clean: dict[str, str] = {}
    errors: list[str] = []
    for field, raw in given.items():
        try:
            clean[field] = checks[field](raw)
        except UsageError as exc:
            errors.append(exc.message)
    if errors:
        errors.append(_("rien n'a été modifié."))
        # i18n: separates the errors of several fields on one line
        separator = _(" ; ")
        raise UsageError(separator.join([*(e.rstrip(".") for e in errors[:-1]), errors[-1]]))
    return clean


def run_update(app: AppContext, opts: UpdateOptions) -> ProfileUpdated | dict[str, Any]:
    given = opts.given()
    if not given:
        raise UsageError(
            _("Rien à modifier : passez au moins une option parmi {flags}.").format(
                flags=", ".join(FLAGS.values())
            )
        )
    changes = validate_changes(given)
    nir = subject_nir(app, opts.nir)
    client = app.client()
    if opts.dry_run:
        return _dry_run(app, client.fetch_profile(nir=nir), changes, json_output=opts.json)
    try:
        result = client.update_profile(changes, nir=nir)
    except ApiError as exc:
        raise _update_error(exc) from None
    if opts.json:
        app.io.write_json(result)
        return result
    changed = result.get("changed_fields", [])
    if changed:
        app.io.info(
            _("Profil mis à jour : {fields}.").format(
                fields=", ".join(field_label(f) for f in changed)
            )
        )
    else:
        app.io.info(_("Rien n'a changé : ces valeurs étaient déjà celles du profil."))
    app.io.write(render_profile(app, result))
    return result


def _dry_run(
    app: AppContext, current: Profile, changes: dict[str, str], *, json_output: bool
) -> dict[str, Any]:
    from ameli_cli.domain.validation import format_french_phone, mask_iban

    values: dict[str, Any] = dict(current)  # looked up by the changed fields' names
    rows: list[dict[str, Any]] = []
    for field, value in changes.items():
        if field == "iban":
            before, after = current.get("iban_masked"), mask_iban(value)
            # Only the masked IBAN is known here. Same country, IBAN key and last four
            # characters with other middle digits is possible but very unlikely.
            will_change = before != after
        else:
            before, after = values.get(field), value
            will_change = before != after
        rows.append({"field": field, "from": before, "to": after, "will_change": will_change})
    result = {"dry_run": True, "changes": rows}
    if json_output:
        app.io.write_json(result)
    else:
        for row in rows:
            before, after = row["from"] or "—", row["to"]
            if row["field"] == "phone":
                before, after = format_french_phone(before), format_french_phone(after)
            mark = "" if row["will_change"] else "  " + _("(inchangé)")
            app.io.write(f"{field_label(row['field']):<{LABEL_WIDTH}} {before} → {after}{mark}\n")
    app.io.info(_("Simulation (--dry-run) : rien n'a été envoyé."))
    return result


def _update_error(exc: ApiError) -> Exception:
    """The service's own checks (a stricter server): name our flags, exit 2."""
    errors = exc.problem.get("errors")
    if exc.code != "invalid_profile" or not isinstance(errors, list):
        return exc
    parts = [
        _("{flag} : refusé par le service ({detail})").format(
            flag=FLAGS.get(str(e.get("field")), str(e.get("field"))), detail=e.get("detail", "")
        )
        for e in errors
        if isinstance(e, dict)
    ]
    return UsageError(_(" ; ").join([*parts, _("rien n'a été modifié.")]))


# -- helpers ---------------------------------------------------------------------------


def _line(label: str, value: str) -> str:
    return f"  {label:<{LABEL_WIDTH}}{value}"
