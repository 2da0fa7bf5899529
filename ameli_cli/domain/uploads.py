"""Files a démarche sends (birth certificate, justificatifs, feuilles de soins): each
checked before anything is sent — it exists, its size, and its type by content (PDF,
JPEG or PNG, never by its name) — then encoded for the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024  # the service's limit for démarches' files


def load_files(paths: list[Path], *, option: str) -> list[dict[str, Any]]:
    import base64

    from ameli_rules import filetypes

    if len(paths) > MAX_FILES:
        raise UsageError(
            _("{option} : {n} fichiers ; {limit} au plus.").format(
                option=option, n=len(paths), limit=MAX_FILES
            )
        )
    files = []
    for path in paths:
        content = _read(path, option)
        if filetypes.sniff(content).media_type not in (
            filetypes.PDF,
            filetypes.JPEG,
            filetypes.PNG,
        ):
            raise UsageError(
                _(
                    "{option} : {path} n'est ni un PDF, ni un JPEG, ni un PNG (type reconnu au"
                    " contenu, pas au nom) ; convertissez-le."
                ).format(option=option, path=path)
            )
        files.append(
            {"filename": path.name, "content_base64": base64.b64encode(content).decode("ascii")}
        )
    return files


def _read(path: Path, option: str) -> bytes:
    try:
        if not path.is_file():
            if not path.exists():
                raise FileNotFoundError
            raise UsageError(
                _("{option} : {path} n'est pas un fichier.").format(option=option, path=path)
            )
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UsageError(
                _("{option} : {path} dépasse 10 Mo ; réduisez-le.").format(option=option, path=path)
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            _("{option} : fichier introuvable : {path}.").format(option=option, path=path)
        ) from None
    except OSError as exc:
        raise UsageError(
            _("{option} : impossible de lire {path} ({error}).").format(
                option=option, path=path, error=exc.strerror or exc
            )
        ) from None
