"""Where the sign-in token lives: the system keyring, a private file, or AMELI_TOKEN.

The session record (`sessions/<profile>.json`, 0600) says which store holds the
token, so a command reads only that one: importing keyring and finding its backend
costs about 230 ms here, which a file-stored or env token must not pay.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ameli_cli.runtime.config import Paths
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.private_files import write_text_atomic

KEYRING_SERVICE = "ameli-cli"
STORE_KEYRING = "keyring"
STORE_FILE = "file"
STORE_ENV = "env"
ENV_TOKEN = "AMELI_TOKEN"

T = TypeVar("T")


class KeyringUnavailable(Exception):
    """No usable keyring: none installed, locked, hung, or dropping writes."""


@dataclass
class Session:
    profile: str
    backend: str
    store: str
    nir: str
    role: str
    name: str
    expires_at: str
    # Only when store == "file": the token itself (the file is 0600).
    token: str | None = field(default=None, repr=False)

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("token")
        return data


def keyring_timeout() -> float:
    try:
        return float(os.environ.get("AMELI_KEYRING_TIMEOUT", "3"))
    except ValueError:
        return 3.0


def _with_timeout(call: Callable[[], T], timeout: float) -> T:
    """Run a keyring call in a daemon thread: some backends hang on a locked D-Bus."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name="keyring")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise KeyringUnavailable(_("le trousseau ne répond pas (plus de {s} s)").format(s=timeout))
    if "error" in box:
        error = box["error"]
        if type(error).__name__ == "NoKeyringError":
            raise KeyringUnavailable(_("aucun trousseau installé sur cette machine"))
        raise KeyringUnavailable(str(error) or type(error).__name__)
    return box["value"]  # type: ignore[no-any-return]


class KeyringStore:
    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = keyring_timeout() if timeout is None else timeout

    def describe(self) -> str:
        import keyring

        backend = _with_timeout(keyring.get_keyring, self.timeout)
        return f"{type(backend).__module__}.{type(backend).__name__}"

    def write(self, profile: str, token: str) -> None:
        import keyring

        def write_and_check() -> None:
            keyring.set_password(KEYRING_SERVICE, profile, token)
            # The null backend accepts writes and drops them: read back to be sure.
            if keyring.get_password(KEYRING_SERVICE, profile) != token:
                raise KeyringUnavailable(_("le trousseau n'a pas gardé le jeton"))

        _with_timeout(write_and_check, self.timeout)

    def read(self, profile: str) -> str | None:
        import keyring

        return _with_timeout(lambda: keyring.get_password(KEYRING_SERVICE, profile), self.timeout)

    def delete(self, profile: str) -> None:
        import keyring
        from keyring.errors import PasswordDeleteError

        def delete() -> None:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, profile)

        _with_timeout(delete, self.timeout)


class CredentialStore:
    """One profile's credential."""

    def __init__(self, paths: Paths, profile: str, keyring_store: KeyringStore | None = None):
        self.paths = paths
        self.profile = profile
        self._keyring = keyring_store

    @property
    def keyring(self) -> KeyringStore:
        if self._keyring is None:
            self._keyring = KeyringStore()
        return self._keyring

    @property
    def session_file(self) -> Path:
        return self.paths.sessions_dir() / f"{self.profile}.json"

    def load(self) -> Session | None:
        try:
            raw = json.loads(self.session_file.read_text("utf-8"))
            session = Session(**raw)
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):
            # A damaged record is as good as none: the user signs in again.
            return None
        texts = [v for k, v in asdict(session).items() if k != "token"]
        if not all(isinstance(v, str) for v in texts) or not isinstance(session.token, str | None):
            return None
        return session

    def env_token(self) -> str | None:
        token = os.environ.get(ENV_TOKEN, "").strip()
        return token or None

    def token(self, session: Session | None) -> str | None:
        """The token to send: AMELI_TOKEN, else from the store the session names."""
        env = self.env_token()
        if env:
            return env
        if session is None:
            return None
        if session.store == STORE_FILE:
            return session.token
        try:
            return self.keyring.read(self.profile)
        except KeyringUnavailable:
            return None

    def save(
        self, session: Session, token: str, *, force_file: bool, warn: Callable[[str], None]
    ) -> str:
        """Store the token, keyring first; returns the store used."""
        store = STORE_FILE
        if not force_file:
            try:
                self.keyring.write(self.profile, token)
                store = STORE_KEYRING
            except KeyringUnavailable as exc:
                warn(
                    _(
                        "aucun trousseau utilisable ({reason}) : le jeton est gardé dans {path}"
                        " (lisible par vous seul). --insecure-storage évite cet essai."
                    ).format(reason=exc, path=self.session_file)
                )
        session.store = store
        session.token = token if store == STORE_FILE else None
        write_text_atomic(self.session_file, json.dumps(asdict(session), indent=2) + "\n")
        return store

    def delete(self) -> list[str]:
        """Forget the credential; returns what was erased, for the user."""
        erased: list[str] = []
        session = self.load()
        if session is not None and session.store == STORE_KEYRING:
            try:
                self.keyring.delete(self.profile)
                erased.append(_("jeton dans le trousseau"))
            except KeyringUnavailable:
                pass
        if self.session_file.exists():
            self.session_file.unlink()
            erased.append(str(self.session_file))
        return erased


def store_label(store: str | None) -> str:
    """The store's name for people; --json keeps the stable value."""
    labels = {
        STORE_KEYRING: _("trousseau du système"),
        STORE_FILE: _("fichier privé (0600)"),
        STORE_ENV: _("variable AMELI_TOKEN"),
    }
    return labels.get(store or "", _("aucun"))


def device_id(paths: Paths) -> str:
    """A stable random id for this machine, so a trusted device skips the one-time code."""
    path = paths.config_dir / "device-id"
    try:
        value = path.read_text("utf-8").strip()
        if value:
            return value
    except FileNotFoundError:
        pass
    import uuid

    value = str(uuid.uuid4())
    write_text_atomic(path, value + "\n")
    return value
