"""The message outbox: messages written but not yet confirmed by the service.

An entry is saved (0600, atomically) with its Idempotency-Key *before* the first
attempt, and removed only once the service has answered: a message is never lost to
a network error, and a retry after a timeout (the service may have stored it) is
recognised by the service instead of creating a second message.

One JSON file per entry under `<profile data dir>/outbox/`; `logout --purge` removes
the dir. Knows nothing of Typer, Rich or HTTP.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ameli_cli.runtime import private_files as files

KIND_MESSAGE = "message"
KIND_REPLY = "reply"


@dataclass
class OutboxEntry:
    id: str
    created_at: str
    backend: str
    kind: str  # "message" (a new conversation) or "reply"
    idempotency_key: str
    request: dict[str, Any]  # the API body, attachments included (base64)
    conversation_id: str | None = None
    attempts: int = 0
    last_attempt_at: str | None = None
    last_error: str | None = None
    # True once an attempt may have reached the service (a timeout after sending).
    may_have_arrived: bool = False
    rejected: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """For `--json` and tables: everything but the attachments' bytes."""
        data = asdict(self)
        data.pop("extra")
        request = dict(self.request)
        request["attachments"] = [
            {k: v for k, v in a.items() if k != "content_base64"}
            for a in self.request.get("attachments", [])
        ]
        data["request"] = request
        return data


def outbox_dir(profile_data_dir: Path) -> Path:
    return profile_data_dir / "outbox"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_entry(
    *,
    backend: str,
    kind: str,
    request: dict[str, Any],
    idempotency_key: str,
    conversation_id: str | None = None,
) -> OutboxEntry:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return OutboxEntry(
        id=f"{stamp}-{secrets.token_hex(2)}",
        created_at=now_iso(),
        backend=backend,
        kind=kind,
        idempotency_key=idempotency_key,
        request=request,
        conversation_id=conversation_id,
    )


def save(directory: Path, entry: OutboxEntry) -> Path:
    data = json.dumps(asdict(entry), ensure_ascii=False, indent=1).encode("utf-8")
    return files.write_atomic(directory / f"{entry.id}.json", data)


def remove(directory: Path, entry_id: str) -> bool:
    try:
        (directory / f"{entry_id}.json").unlink()
    except FileNotFoundError:
        return False
    return True


def load_all(directory: Path) -> tuple[list[OutboxEntry], list[Path]]:
    """Entries oldest first, and the files that could not be read (kept, never erased)."""
    entries: list[OutboxEntry] = []
    unreadable: list[Path] = []
    if not directory.is_dir():
        return entries, unreadable
    for path in sorted(directory.glob("*.json")):
        try:
            entry = OutboxEntry(**json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            unreadable.append(path)
            continue
        if _well_formed(entry, path):
            entries.append(entry)
        else:
            unreadable.append(path)
    entries.sort(key=lambda e: (e.created_at, e.id))
    return entries, unreadable


_TEXT_FIELDS = ("id", "created_at", "backend", "idempotency_key")
_OPTIONAL_TEXT = ("conversation_id", "last_attempt_at", "last_error")


def _well_formed(entry: OutboxEntry, path: Path) -> bool:
    """A file on disk may hold anything: each field of the type it must have, and the
    id its file name (`discard ID` removes `ID.json`)."""
    request = entry.request
    return (
        all(isinstance(getattr(entry, name), str) for name in _TEXT_FIELDS)
        and all(isinstance(getattr(entry, name), str | None) for name in _OPTIONAL_TEXT)
        and entry.id == path.stem
        and entry.kind in (KIND_MESSAGE, KIND_REPLY)
        and (entry.kind == KIND_MESSAGE or isinstance(entry.conversation_id, str))
        and isinstance(request, dict)
        and all(isinstance(request.get(k, ""), str) for k in ("category", "subject", "body"))
        and isinstance(request.get("attachments", []), list)
        and all(isinstance(a, dict) for a in request.get("attachments", []))
        and type(entry.attempts) is int
        and isinstance(entry.may_have_arrived, bool)
        and isinstance(entry.rejected, bool)
        and isinstance(entry.extra, dict)
    )
