"""`attestation batch` on a terminal: one line per NIR for a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ameli_cli.render.terminal_text import inert
from ameli_cli.runtime.i18n import _


def human_line(result: dict[str, Any], display_nir: Callable[[str], str]) -> str:
    """One result for a person: status in words, every NIR masked (an invalid one
    too: it is still somebody's number, mistyped), the reason in the user's language.
    NDJSON keeps the stable English fields."""
    status = result["status"]
    labels = {
        "ok": _("ok"),
        "invalid_nir": _("NIR invalide"),
        "not_found": _("introuvable"),
        "error": _("erreur"),
    }
    raw = "".join(str(result["nir"]).split())
    hidden = raw[:3] + "*" * max(0, len(raw) - 5) + raw[-2:] if len(raw) > 5 else "*" * len(raw)
    if status == "invalid_nir":
        nir = hidden
        detail = _("clé ou longueur fausse ; corrigez la ligne {line}").format(line=result["line"])
    else:
        nir = display_nir(result["nir"])
        # The file is named after the NIR: mask it there too, unless --show-nir.
        detail = str(result["file"] or "")
        if raw and nir != raw:
            detail = detail.replace(raw, hidden)
        if status == "not_found":
            detail = _("aucune attestation de ce type pour cet assuré")
        elif status == "error":
            detail = _("refusé par le service")
    if result.get("skipped") and status == "ok":
        detail += _(" (déjà faite)")
    elif result.get("replaced") and status == "ok":
        detail += _(" (remplace un fichier qui ne se vérifiait pas)")
    return f"{labels.get(status, status):<12} {inert(nir):<22} {inert(detail)}"
