"""Carte Vitale: `vitale status`, `vitale order`, `vitale declare-loss`.

These change things at the caisse, so they are hard to misfire: files are checked
by content before anything is sent, a terminal confirms (a declaration asks for the
beneficiary's first name), a script must pass --yes, --dry-run sends nothing, and a
retried write carries one Idempotency-Key.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ameli_cli.commands import NIR_HELP, app_context, ask_yes_no, subject_nir
from ameli_cli.commands.registry import help_for
from ameli_cli.render.dates import display_date
from ameli_cli.runtime.errors import AmeliError, ApiError, UsageError
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.typer_app import AmeliTyper

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

app = AmeliTyper(
    help=help_for("vitale"),
    epilog=_(
        "Exemples :\n\n\b\n  ameli vitale status\n"
        "  ameli vitale declare-loss --reason lost --dry-run"
    ),
)

RANK_HELP = _("Rang du bénéficiaire (01 l'assuré, 02… les ayants droit). Défaut : 01.")
ATTESTATION_COMMAND = "ameli attestation get droits"
REASONS = ("lost", "stolen", "defective")


def state_label(state: str) -> str:
    return {
        "active": _("active"),
        "blocked_lost": _("bloquée (perdue)"),
        "blocked_stolen": _("bloquée (volée)"),
        "defective": _("défectueuse"),
        "none": _("aucune"),
    }.get(state, state)


def order_status_label(status: str) -> str:
    return {
        "received": _("reçue"),
        "in_production": _("en fabrication"),
        "shipped": _("expédiée"),
        "delivered": _("livrée"),
    }.get(status, status)


def reason_label(reason: str) -> str:
    return {"lost": _("perte"), "stolen": _("vol"), "defective": _("panne")}.get(reason, reason)


# -- shared with `ceam` ------------------------------------------------------------------


def parse_rank(raw: str | None, *, option: str = "--beneficiary") -> str:
    if raw is None:
        return "01"
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 19:
        raise UsageError(
            _(
                "{option} : « {value} » n'est pas un rang ; passez 01 pour l'assuré, 02 à 19"
                " pour un ayant droit (voir : ameli whoami)."
            ).format(option=option, value=raw)
        )
    return f"{int(text):02d}"


def pick_beneficiary(status: dict[str, Any], rank: str) -> dict[str, Any]:
    people: list[dict[str, Any]] = status.get("beneficiaries", [])
    for person in people:
        if person["rank"] == rank:
            return person
    ranks = ", ".join(p["rank"] for p in people)
    raise UsageError(
        _(
            "--beneficiary : aucun bénéficiaire de rang {rank} sur ce compte (rangs : {ranks})."
        ).format(rank=rank, ranks=ranks)
    )


def full_name(person: dict[str, Any]) -> str:
    return f"{person['first_names']} {person['last_name']}"


def require_confirmation(
    app: AppContext, question: str, *, yes: bool, dry_run_flag: bool = True
) -> None:
    if yes:
        return
    if not app.io.can_prompt:
        if not dry_run_flag:
            raise UsageError(_("Pas de terminal pour confirmer : passez --yes."))
        raise UsageError(
            _(
                "Pas de terminal pour confirmer : passez --yes (ou --dry-run pour voir ce qui"
                " serait envoyé)."
            )
        )
    if not ask_yes_no(question):
        raise AmeliError(_("Abandon : rien n'a été envoyé."))


# -- files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    path: Path
    data: bytes
    media_type: str
    width: int | None = None
    height: int | None = None

    def part(self) -> tuple[str, bytes, str]:
        return (self.path.name, self.data, self.media_type)

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "file": str(self.path),
            "media_type": self.media_type,
            "bytes": len(self.data),
        }
        if self.width is not None:
            info["width"] = self.width
            info["height"] = self.height
        return info

    def summary(self) -> str:
        from ameli_rules.filetypes import LABELS

        text = f"{self.path} ({LABELS.get(self.media_type, self.media_type)}"
        if self.width is not None:
            text += f", {self.width}×{self.height} px"
        return text + f", {_size(len(self.data))})"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return _("{n} Mo").format(n=f"{n / 1024 / 1024:.1f}".replace(".", ","))
    return _("{n} Ko").format(n=max(1, round(n / 1024)))


def _read(path: Path, option: str, max_bytes: int) -> bytes:
    try:
        if not path.is_file():
            raise UsageError(
                _("{option} : {path} n'existe pas ou n'est pas un fichier.").format(
                    option=option, path=path
                )
            )
        size = path.stat().st_size
        if size > max_bytes:
            raise UsageError(
                _("{option} : {path} pèse {size} ; le maximum est {max}.").format(
                    option=option, path=path, size=_size(size), max=_size(max_bytes)
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            _("{option} : impossible de lire {path} ({error}).").format(
                option=option, path=path, error=exc.strerror or exc
            )
        ) from None
    if not data:
        raise UsageError(_("{option} : {path} est vide.").format(option=option, path=path))
    return data


def read_photo(path: Path) -> Upload:
    from ameli_rules import filetypes

    data = _read(path, "--photo", filetypes.PHOTO_MAX_BYTES)
    kind = filetypes.sniff(data)
    if kind.media_type not in filetypes.PHOTO_TYPES:
        raise UsageError(
            _(
                "--photo : {path} n'est ni un JPEG ni un PNG ({found}) ; le type est lu dans le"
                " contenu, pas dans l'extension. Passez une photo d'identité JPEG ou PNG."
            ).format(path=path, found=_found(kind.media_type))
        )
    if kind.width is None or kind.height is None:
        raise UsageError(
            _("--photo : {path} est une image illisible (en-tête incomplet).").format(path=path)
        )
    if kind.width < filetypes.PHOTO_MIN_WIDTH or kind.height < filetypes.PHOTO_MIN_HEIGHT:
        raise UsageError(
            _(
                "--photo : {path} mesure {w}×{h} pixels ; il en faut au moins {mw}×{mh}"
                " (photo d'identité 35×45 mm bien définie)."
            ).format(
                path=path,
                w=kind.width,
                h=kind.height,
                mw=filetypes.PHOTO_MIN_WIDTH,
                mh=filetypes.PHOTO_MIN_HEIGHT,
            )
        )
    return Upload(path, data, kind.media_type, kind.width, kind.height)


def read_id_document(path: Path) -> Upload:
    from ameli_rules import filetypes

    data = _read(path, "--id-document", filetypes.ID_DOCUMENT_MAX_BYTES)
    kind = filetypes.sniff(data)
    if kind.media_type not in filetypes.ID_DOCUMENT_TYPES:
        raise UsageError(
            _(
                "--id-document : {path} n'est ni un JPEG, ni un PNG, ni un PDF ({found}) ;"
                " passez une copie de la pièce d'identité dans l'un de ces formats."
            ).format(path=path, found=_found(kind.media_type))
        )
    return Upload(path, data, kind.media_type, kind.width, kind.height)


def _found(media_type: str | None) -> str:
    from ameli_rules.filetypes import LABELS

    if media_type is None:
        return _("contenu non reconnu")
    return _("contenu : {kind}").format(kind=LABELS.get(media_type, media_type))


# -- status ----------------------------------------------------------------------------


def status(
    ctx: typer.Context,
    nir: str | None = typer.Option(None, "--nir", metavar="NIR", help=NIR_HELP),
    json_output: bool = typer.Option(False, "--json", help=_("Sortie JSON.")),
) -> None:
    run_status(app_context(ctx), nir=nir, json_output=json_output)


def run_status(app: AppContext, *, nir: str | None, json_output: bool) -> dict[str, Any]:
    result = app.client().fetch_vitale(nir=subject_nir(app, nir))
    if json_output:
        app.io.write_json(result)
        return result
    from ameli_cli.render.tables import print_table

    rows = []
    notes = []
    for b in result["beneficiaries"]:
        card = b["card"] or {}
        order = b["pending_order"]
        rows.append(
            [
                b["rank"],
                full_name(b),
                b["age"],
                state_label(b["card_state"]),
                card.get("serial", ""),
                display_date(card.get("issued_on")),
                (_("oui") if card.get("with_photo") else _("non")) if card else "",
                _("{status}, livraison prévue le {date}").format(
                    status=order_status_label(order["status"]),
                    date=display_date(order["expected_delivery"]),
                )
                if order
                else "",
            ]
        )
        if b["card_state"] == "none" and not order and b.get("orderable_from"):
            if b["age"] < 12:
                notes.append(
                    _("{name} : commande possible à partir du {date} (12 ans).").format(
                        name=b["first_names"], date=display_date(b["orderable_from"])
                    )
                )
            else:
                notes.append(
                    _(
                        "{name} : pas encore de carte ; commandez-la : ameli vitale order"
                        " --beneficiary {rank} --photo PHOTO --id-document PIÈCE"
                    ).format(name=b["first_names"], rank=b["rank"])
                )
        elif b["card_state"] not in ("active", "none") and not order:
            notes.append(
                _(
                    "{name} : carte {state}, aucune commande en cours ; une attestation de droits"
                    " couvre l'attente ({command})."
                ).format(
                    name=b["first_names"],
                    state=state_label(b["card_state"]),
                    command=ATTESTATION_COMMAND,
                )
            )
    print_table(
        app.io,
        [
            _("rang"),
            _("bénéficiaire"),
            _("âge"),
            _("carte"),
            _("n° de série"),
            _("délivrée le"),
            _("photo"),
            _("commande en cours"),
        ],
        rows,
    )
    for note in notes:
        app.io.write(note + "\n")
    return result


# -- order -----------------------------------------------------------------------------


@dataclass
class OrderOptions:
    beneficiary: str | None
    photo: Path | None
    id_document: Path | None
    dry_run: bool
    yes: bool
    json: bool
    nir: str | None = None


ORDER_EPILOG = _(
    "Exemples :\n\n\b\n"
    "  ameli vitale order --beneficiary 03 --photo hugo.jpg --id-document livret.pdf --dry-run\n"
    "  ameli vitale order --beneficiary 03 --photo hugo.jpg --id-document livret.pdf --yes"
)


def order(
    ctx: typer.Context,
    beneficiary: str | None = typer.Option(
        None, "--beneficiary", "-b", metavar=_("RANG"), help=RANK_HELP
    ),
    photo: Path | None = typer.Option(
        None,
        "--photo",
        metavar=_("CHEMIN"),
        help=_("Photo d'identité, JPEG ou PNG, 350×450 px au moins."),
    ),
    id_document: Path | None = typer.Option(
        None, "--id-document", metavar=_("CHEMIN"), help=_("Pièce d'identité : JPEG, PNG ou PDF.")
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help=_("Montrer ce qui serait envoyé, sans rien envoyer.")
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Ne pas demander confirmation.")),
    json_output: bool = typer.Option(False, "--json", help=_("Sortie JSON.")),
    nir: str | None = typer.Option(None, "--nir", metavar="NIR", help=NIR_HELP),
) -> None:
    opts = OrderOptions(beneficiary, photo, id_document, dry_run, yes, json_output, nir)
    run_order(app_context(ctx), opts)


def read_order_files(photo: Path | None, id_document: Path | None) -> tuple[Upload, Upload]:
    if photo is None:
        raise UsageError(_("--photo manquant : passez une photo d'identité JPEG ou PNG."))
    if id_document is None:
        raise UsageError(
            _("--id-document manquant : passez une pièce d'identité JPEG, PNG ou PDF.")
        )
    return read_photo(photo), read_id_document(id_document)


def check_orderable(app: AppContext, b: dict[str, Any]) -> None:
    """The rules the service applies, told before anything is sent."""
    if b["pending_order"]:
        return
    check_old_enough(b)
    if b["card_state"] == "active":
        raise AmeliError(active_card_message(b, b["card"]["serial"]))
    if b["relationship"] == "enfant" and b["age"] >= 16:
        app.io.warn(
            _(
                "{name} a {age} ans : à partir de 16 ans, la caisse envoie d'elle-même une carte"
                " Vitale ; la commande reste possible."
            ).format(name=full_name(b), age=b["age"])
        )


def check_old_enough(b: dict[str, Any]) -> None:
    if b["relationship"] == "enfant" and b["age"] < 12:
        raise UsageError(
            _(
                "--beneficiary : {name} a {age} ans ; une carte Vitale se commande pour un enfant"
                " à partir de 12 ans, soit à partir du {date}. D'ici là, l'enfant figure sur la"
                " carte de ses parents."
            ).format(name=full_name(b), age=b["age"], date=display_date(b.get("orderable_from")))
        )


def active_card_message(b: dict[str, Any], serial: str) -> str:
    return _(
        "{name} a déjà une carte Vitale active (n° {serial}) : déclarez-la d'abord perdue,"
        " volée ou défectueuse : ameli vitale declare-loss --beneficiary {rank}"
        " --reason lost|stolen|defective --order-replacement --photo PHOTO --id-document PIÈCE"
    ).format(name=full_name(b), serial=serial, rank=b["rank"])


def run_order(app: AppContext, opts: OrderOptions) -> dict[str, Any]:
    rank = parse_rank(opts.beneficiary)
    nir = subject_nir(app, opts.nir)
    photo, document = read_order_files(opts.photo, opts.id_document)
    client = app.client()
    b = pick_beneficiary(client.fetch_vitale(nir=nir), rank)
    check_orderable(app, b)
    if opts.dry_run:
        return _dry_run_order(app, b, photo, document, json_output=opts.json)
    if not b["pending_order"]:
        require_confirmation(
            app,
            _("Commander une carte Vitale pour {name} (rang {rank}) ?").format(
                name=full_name(b), rank=rank
            ),
            yes=opts.yes,
        )
    result = send_order(app, b, photo, document, nir=nir)
    if opts.json:
        app.io.write_json(result)
    else:
        app.io.write(order_summary(b, result) + "\n")
    return result


def send_order(
    app: AppContext, b: dict[str, Any], photo: Upload, document: Upload, *, nir: str | None
) -> dict[str, Any]:
    from ameli_cli.api.client import new_idempotency_key

    try:
        return app.client().order_vitale(
            beneficiary_rank=b["rank"],
            photo=photo.part(),
            id_document=document.part(),
            idempotency_key=new_idempotency_key(),
            nir=nir,
        )
    except ApiError as exc:
        raise _order_error(exc, b) from None


def _order_error(exc: ApiError, b: dict[str, Any]) -> AmeliError:
    if exc.code == "active_card_exists":
        message = active_card_message(b, str(exc.problem.get("card_serial", "")))
    elif exc.code == "beneficiary_too_young":
        message = _("{name} a moins de 12 ans : commande possible à partir du {date}.").format(
            name=full_name(b), date=display_date(str(exc.problem.get("orderable_from", "")))
        )
    elif exc.code in ("unsupported_photo_type", "photo_too_small", "photo_too_large"):
        message = _("Photo refusée par le service : {detail}").format(detail=exc.detail)
    elif exc.code in ("unsupported_id_document_type", "id_document_too_large"):
        message = _("Pièce d'identité refusée par le service : {detail}").format(detail=exc.detail)
    else:
        return exc
    return reworded(exc, message)


def reworded(exc: ApiError, message: str) -> AmeliError:
    """The service's problem in the user's words, with the problem's exit code."""
    error = AmeliError(message)
    error.exit_code = exc.exit_code
    return error


def order_summary(b: dict[str, Any], result: dict[str, Any]) -> str:
    order = result["order"]
    if result["status"] == "already_pending":
        head = _(
            "Une commande est déjà en cours pour {name} : n° {id} ; aucune nouvelle commande n'a été créée."
        )
    else:
        head = _("Commande n° {id} enregistrée pour {name}.")
    lines = [
        head.format(name=full_name(b), id=order["id"]),
        _("  statut            {status}").format(status=order_status_label(order["status"])),
        _("  livraison prévue  le {date} (à l'adresse du compte)").format(
            date=display_date(order["expected_delivery"])
        ),
        _("  suivi             ameli vitale status"),
    ]
    return "\n".join(lines)


def _dry_run_order(
    app: AppContext, b: dict[str, Any], photo: Upload, document: Upload, *, json_output: bool
) -> dict[str, Any]:
    plan = {
        "dry_run": True,
        "request": {
            "method": "POST",
            "path": "/v1/vitale/orders",
            "beneficiary_rank": b["rank"],
            "photo": photo.describe(),
            "id_document": document.describe(),
        },
        "pending_order": b["pending_order"],
    }
    if json_output:
        app.io.write_json(plan)
        return plan
    lines = [
        _("Simulation (--dry-run) : rien n'a été envoyé."),
        _("  commande de carte Vitale pour {name} (rang {rank}, {age} ans)").format(
            name=full_name(b), rank=b["rank"], age=b["age"]
        ),
        _("  photo             {summary}").format(summary=photo.summary()),
        _("  pièce d'identité  {summary}").format(summary=document.summary()),
    ]
    if b["pending_order"]:
        lines.append(
            _(
                "  une commande est déjà en cours (n° {id}) : elle serait renvoyée telle quelle."
            ).format(id=b["pending_order"]["id"])
        )
    app.io.write("\n".join(lines) + "\n")
    return plan


# -- declare-loss ----------------------------------------------------------------------


@dataclass
class DeclareOptions:
    reason: str
    beneficiary: str | None
    order_replacement: bool
    photo: Path | None
    id_document: Path | None
    yes: bool
    dry_run: bool
    json: bool
    nir: str | None = None


DECLARE_EPILOG = _(
    "Exemples :\n\n\b\n"
    "  ameli vitale declare-loss --reason lost --dry-run\n"
    "  ameli vitale declare-loss --reason stolen --beneficiary 02 --order-replacement \\\n"
    "      --photo camille.jpg --id-document cni.pdf --yes"
)


def declare_loss(
    ctx: typer.Context,
    reason: str = typer.Option(
        ..., "--reason", metavar="lost|stolen|defective", help=_("Perte, vol ou panne.")
    ),
    beneficiary: str | None = typer.Option(
        None, "--beneficiary", "-b", metavar=_("RANG"), help=RANK_HELP
    ),
    order_replacement: bool = typer.Option(
        False,
        "--order-replacement",
        help=_("Commander aussitôt une nouvelle carte (avec --photo et --id-document)."),
    ),
    photo: Path | None = typer.Option(
        None, "--photo", metavar=_("CHEMIN"), help=_("Photo d'identité pour la nouvelle carte.")
    ),
    id_document: Path | None = typer.Option(
        None, "--id-document", metavar=_("CHEMIN"), help=_("Pièce d'identité : JPEG, PNG ou PDF.")
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Ne pas demander confirmation.")),
    dry_run: bool = typer.Option(
        False, "--dry-run", help=_("Montrer ce qui serait fait, sans rien envoyer.")
    ),
    json_output: bool = typer.Option(False, "--json", help=_("Sortie JSON.")),
    nir: str | None = typer.Option(None, "--nir", metavar="NIR", help=NIR_HELP),
) -> None:
    opts = DeclareOptions(
        reason, beneficiary, order_replacement, photo, id_document, yes, dry_run, json_output, nir
    )
    run_declare(app_context(ctx), opts)


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def first_name_matches(typed: str, first_names: str) -> bool:
    wanted = _normalise(first_names)
    given = _normalise(typed)
    return bool(given) and given in (wanted, wanted.split(" ")[0])


def run_declare(app: AppContext, opts: DeclareOptions) -> dict[str, Any]:
    if opts.reason not in REASONS:
        raise UsageError(
            _(
                "--reason : « {value} » n'est pas un motif ; choisissez lost, stolen ou defective."
            ).format(value=opts.reason)
        )
    rank = parse_rank(opts.beneficiary)
    nir = subject_nir(app, opts.nir)
    uploads: tuple[Upload, Upload] | None = None
    if opts.order_replacement:
        uploads = read_order_files(opts.photo, opts.id_document)
    elif opts.photo is not None or opts.id_document is not None:
        raise UsageError(
            _(
                "--photo et --id-document servent à la nouvelle carte : ajoutez"
                " --order-replacement, ou retirez-les."
            )
        )
    client = app.client()
    b = pick_beneficiary(client.fetch_vitale(nir=nir), rank)
    target = {"lost": "blocked_lost", "stolen": "blocked_stolen", "defective": "defective"}[
        opts.reason
    ]
    card = b["card"]
    if card is None:
        raise AmeliError(
            _(
                "{name} n'a pas de carte Vitale : rien à déclarer. Pour en commander une :"
                " ameli vitale order --beneficiary {rank} --photo PHOTO --id-document PIÈCE"
            ).format(name=full_name(b), rank=rank)
        )
    if card["state"] not in ("active", target):
        if b["pending_order"]:
            raise AmeliError(
                _(
                    "La carte n° {serial} de {name} est déjà {state} et une nouvelle carte est"
                    " en route (livraison prévue le {date}) : rien à déclarer."
                ).format(
                    serial=card["serial"],
                    name=full_name(b),
                    state=state_label(card["state"]),
                    date=display_date(b["pending_order"]["expected_delivery"]),
                )
            )
        raise AmeliError(
            _(
                "La carte n° {serial} de {name} est déjà {state} : rien à déclarer. Pour une"
                " nouvelle carte : ameli vitale order --beneficiary {rank} --photo PHOTO"
                " --id-document PIÈCE"
            ).format(
                serial=card["serial"],
                name=full_name(b),
                state=state_label(card["state"]),
                rank=rank,
            )
        )
    if uploads is not None and not b["pending_order"]:
        check_old_enough(b)
    if opts.dry_run:
        return _dry_run_declare(app, b, opts.reason, uploads, json_output=opts.json)
    if card["state"] == "active":
        _confirm_declaration(app, b, opts.reason, yes=opts.yes)
    from ameli_cli.api.client import new_idempotency_key

    try:
        result = client.declare_vitale(
            beneficiary_rank=rank,
            reason=opts.reason,
            idempotency_key=new_idempotency_key(),
            nir=nir,
        )
    except ApiError as exc:
        if exc.code in ("card_not_active", "no_card"):
            raise reworded(
                exc, _("Déclaration refusée : {detail}").format(detail=exc.detail)
            ) from None
        raise
    replacement: dict[str, Any] | None = None
    if uploads is not None:
        try:
            replacement = send_order(app, b, *uploads, nir=nir)
        except AmeliError as exc:
            raise AmeliError(
                _(
                    "La carte est bloquée, mais la commande de remplacement a échoué ({error})."
                    " Relancez : ameli vitale order --beneficiary {rank} --photo {photo}"
                    " --id-document {document} --yes"
                ).format(
                    error=exc.message,
                    rank=rank,
                    photo=uploads[0].path,
                    document=uploads[1].path,
                )
            ) from None
        result["replacement"] = replacement
    if opts.json:
        app.io.write_json(result)
        return result
    lines = []
    blocked = result["card"]
    if result["status"] == "already_declared":
        lines.append(
            _(
                "La carte n° {serial} de {name} était déjà bloquée ({reason}) : rien de changé."
            ).format(serial=blocked["serial"], name=full_name(b), reason=reason_label(opts.reason))
        )
    else:
        lines.append(
            _("Carte Vitale n° {serial} de {name} bloquée ({reason}) le {date}.").format(
                serial=blocked["serial"],
                name=full_name(b),
                reason=reason_label(opts.reason),
                date=display_date(blocked["state_changed_at"]),
            )
        )
    lines.append(
        _(
            "En attendant la nouvelle carte, une attestation de droits prouve vos droits auprès"
            " des soignants : {command}"
        ).format(command=ATTESTATION_COMMAND)
    )
    if replacement is not None:
        lines.append(order_summary(b, replacement))
    elif not b["pending_order"]:
        lines.append(
            _(
                "Pour une nouvelle carte : ameli vitale order --beneficiary {rank} --photo PHOTO"
                " --id-document PIÈCE"
            ).format(rank=rank)
        )
    app.io.write("\n".join(lines) + "\n")
    return result


def _confirm_declaration(app: AppContext, b: dict[str, Any], reason: str, *, yes: bool) -> None:
    if yes:
        return
    if not app.io.can_prompt:
        raise UsageError(
            _(
                "Déclaration définitive sans terminal pour confirmer : passez --yes (ou --dry-run"
                " pour voir ce qui serait fait)."
            )
        )
    first = b["first_names"].split(" ")[0]
    app.io.info(
        _(
            "La carte n° {serial} de {name} sera bloquée définitivement ({reason}) ; elle ne"
            " pourra plus servir, même retrouvée."
        ).format(serial=b["card"]["serial"], name=full_name(b), reason=reason_label(reason))
    )
    typed = typer.prompt(
        _("Pour confirmer, tapez le prénom du bénéficiaire ({first})").format(first=first),
        default="",
        show_default=False,
        err=True,
    )
    if not first_name_matches(typed, b["first_names"]):
        raise AmeliError(_("Le prénom ne correspond pas : rien n'a été déclaré."))


def _dry_run_declare(
    app: AppContext,
    b: dict[str, Any],
    reason: str,
    uploads: tuple[Upload, Upload] | None,
    *,
    json_output: bool,
) -> dict[str, Any]:
    requests: list[dict[str, Any]] = [
        {
            "method": "POST",
            "path": "/v1/vitale/declarations",
            "beneficiary_rank": b["rank"],
            "reason": reason,
        }
    ]
    if uploads is not None:
        requests.append(
            {
                "method": "POST",
                "path": "/v1/vitale/orders",
                "beneficiary_rank": b["rank"],
                "photo": uploads[0].describe(),
                "id_document": uploads[1].describe(),
            }
        )
    plan = {"dry_run": True, "requests": requests, "card": b["card"]}
    if json_output:
        app.io.write_json(plan)
        return plan
    lines = [
        _("Simulation (--dry-run) : rien n'a été envoyé."),
        _("  la carte n° {serial} de {name} serait bloquée ({reason})").format(
            serial=b["card"]["serial"], name=full_name(b), reason=reason_label(reason)
        ),
    ]
    if uploads is not None:
        lines.append(_("  puis une nouvelle carte serait commandée :"))
        lines.append(_("  photo             {summary}").format(summary=uploads[0].summary()))
        lines.append(_("  pièce d'identité  {summary}").format(summary=uploads[1].summary()))
    app.io.write("\n".join(lines) + "\n")
    return plan


# Registered here rather than with decorators: AmeliTyper.command is untyped.
app.command(
    "status",
    help=_("La carte Vitale de chaque bénéficiaire et toute commande en cours."),
    epilog=_("Exemples :\n\n\b\n  ameli vitale status\n  ameli vitale status --json"),
)(status)
app.command(
    "order",
    help=_(
        "Commander une carte Vitale (photo d'identité JPEG ou PNG et pièce d'identité JPEG, PNG"
        " ou PDF). Pour un enfant : à partir de 12 ans. Une commande déjà en cours est"
        " renvoyée, jamais dupliquée."
    ),
    epilog=ORDER_EPILOG,
)(order)
app.command(
    "declare-loss",
    help=_(
        "Déclarer une carte Vitale perdue, volée ou défectueuse : elle est bloquée"
        " définitivement. Sur un terminal, confirmez en tapant le prénom du bénéficiaire."
    ),
    epilog=DECLARE_EPILOG,
)(declare_loss)
