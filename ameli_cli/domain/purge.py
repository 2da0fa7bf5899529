"""Erasing what a profile left on this machine (`ameli logout --purge`).

Health data are a special category of personal data (RGPD art. 9): attestations,
outbox messages and any other per-profile datum live only under the profile's cache
and data dirs (see `Paths.profile_cache_dir` / `profile_data_dir`), so erasing those
two trees erases them all. The credential is erased by `CredentialStore.delete()`.

Files are unlinked, not overwritten: on journaling file systems and SSDs an
overwrite in place gives no guarantee; full-disk encryption is the real protection.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ameli_cli.runtime.config import Paths
from ameli_cli.runtime.credentials import CredentialStore


@dataclass(frozen=True)
class Erased:
    path: Path
    files: int
    is_dir: bool

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "files": self.files, "is_dir": self.is_dir}


def profile_dirs(paths: Paths, profile: str) -> list[Path]:
    return [paths.profile_cache_dir(profile), paths.profile_data_dir(profile)]


def purge_profile(paths: Paths, profile: str) -> list[Erased]:
    """Remove the profile's cache and data trees; one entry per top-level item removed."""
    erased: list[Erased] = []
    for root in profile_dirs(paths, profile):
        if not root.is_dir():
            continue
        for entry in sorted(root.iterdir()):
            if entry.is_dir() and not entry.is_symlink():
                count = sum(len(files) for _dir, _subdirs, files in os.walk(entry))
                shutil.rmtree(entry)
                erased.append(Erased(entry, count, is_dir=True))
            else:
                entry.unlink()
                erased.append(Erased(entry, 1, is_dir=False))
        root.rmdir()
    return erased


def erase_stray_keyring_token(credentials: CredentialStore) -> bool:
    """A token left in the keyring without its session record (a damaged or deleted
    `sessions/<profile>.json`): `--purge` looks for it too. True when one was erased."""
    from ameli_cli.runtime.credentials import KeyringUnavailable

    try:
        if credentials.keyring.read(credentials.profile) is None:
            return False
        credentials.keyring.delete(credentials.profile)
    except KeyringUnavailable:
        return False
    return True
