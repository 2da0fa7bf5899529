"""Private, atomic file writes.

Health data and credentials live under the user dirs: every file there is 0600 in a
0700 dir, and is written to a temporary name then renamed, so a crash never leaves
half a file.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_private_dir(path: Path) -> Path:
    # mkdir(parents=True) gives the parents it creates the umask's mode (often 0755),
    # not `mode`: create each missing level ourselves so every dir we make is 0700.
    missing: list[Path] = []
    level = path
    while not level.exists() and level != level.parent:
        missing.append(level)
        level = level.parent
    for directory in reversed(missing):
        directory.mkdir(exist_ok=True, mode=PRIVATE_DIR)
        os.chmod(directory, PRIVATE_DIR)
    # mkdir's mode is filtered by the umask and ignored when the dir exists.
    os.chmod(path, PRIVATE_DIR)
    return path


def write_atomic(path: Path, data: bytes, *, private: bool = True) -> Path:
    """Write `data` to `path` through a temporary file in the same dir, then rename.

    `private=False` is for files the user asked for by name (`-o report.pdf`): they
    keep the user's umask instead of 0600.
    """
    import tempfile  # imports shutil and random: only when writing

    directory = path.parent
    if private:
        ensure_private_dir(directory)
    else:
        directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
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
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return path


def write_text_atomic(path: Path, text: str, *, private: bool = True) -> Path:
    return write_atomic(path, text.encode("utf-8"), private=private)
