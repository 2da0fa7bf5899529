"""Private, atomic file writes.

Health data and credentials live under the user dirs: every file there is 0600 in a
0700 dir, and is written to a temporary name then renamed, so a crash never leaves
half a file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TypeVar

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_private_dir(path: Path) -> Path:
    """Create `path` and its missing parents 0700. A directory that already exists is
    left as it is: we never chmod a directory we did not create (`doctor` reports a
    private dir that someone loosened)."""
    # mkdir(parents=True) gives the parents it creates the umask's mode (often 0755),
    # not `mode`: create each missing level ourselves so every dir we make is 0700.
    missing: list[Path] = []
    level = path
    while not level.exists() and level != level.parent:
        missing.append(level)
        level = level.parent
    for directory in reversed(missing):
        directory.mkdir(mode=PRIVATE_DIR)
        # mkdir's mode is filtered by the umask.
        os.chmod(directory, PRIVATE_DIR)
    return path


def check_output_file(path: Path, *, force: bool, flag: str = "--force") -> Path:
    """The one rule for a file the user names (`-o FILE`, a download): its folder must
    exist, and anything already there is replaced only if it is a regular file and
    `force` is given. Never a FIFO, a device or a directory."""
    import stat

    from ameli_cli.runtime.errors import UsageError
    from ameli_cli.runtime.i18n import _

    parent = path.parent
    if not parent.is_dir():
        raise UsageError(
            _("Le dossier {folder} n'existe pas ; créez-le ou choisissez un autre chemin.").format(
                folder=parent
            )
        )
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return path
    if not stat.S_ISREG(mode):
        raise UsageError(
            _(
                "{path} existe et n'est pas un fichier ordinaire (dossier, tube, périphérique"
                " ou lien) : choisissez un autre nom."
            ).format(path=path)
        )
    if not force:
        raise UsageError(
            _("{path} existe déjà : ajoutez {flag} pour le remplacer.").format(path=path, flag=flag)
        )
    return path


AnyPath = TypeVar("AnyPath", str, Path)


def write_atomic(path: AnyPath, data: bytes, *, private: bool = True) -> AnyPath:
    """Write `data` to `path` through a temporary file in the same dir, then rename.

    `private=False` is for files the user asked for by name (`-o report.pdf`, checked
    first with `check_output_file`): they keep the user's umask instead of 0600.
    """
    import tempfile  # imports shutil and random: only when writing

    # A str stays a str: pathlib interns every part of a path it parses, and a batch's
    # 20,000 file names would grow the interpreter's table of interned strings (issue 18).
    directory, name = os.path.split(path)
    directory = directory or "."
    if private:
        ensure_private_dir(Path(directory))
    # A file the user named goes only into a folder that exists (check_output_file).
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if private:
            os.chmod(tmp_name, PRIVATE_FILE)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if exc.filename is None:  # fsync/write errors name no file: say which one
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return path


def write_text_atomic(path: Path, text: str, *, private: bool = True) -> Path:
    return write_atomic(path, text.encode("utf-8"), private=private)
