"""The files a card order sends (identity photo, identity document), checked by
their content, not their name, before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ameli_cli.render.sizes import human_size
from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _


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
        return text + f", {human_size(len(self.data))})"


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
                    option=option, path=path, size=human_size(size), max=human_size(max_bytes)
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


def read_order_files(photo: Path | None, id_document: Path | None) -> tuple[Upload, Upload]:
    if photo is None:
        raise UsageError(_("--photo manquant : passez une photo d'identité JPEG ou PNG."))
    if id_document is None:
        raise UsageError(
            _("--id-document manquant : passez une pièce d'identité JPEG, PNG ou PDF.")
        )
    return read_photo(photo), read_id_document(id_document)
