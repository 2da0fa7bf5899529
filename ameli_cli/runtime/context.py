"""What every command gets: IO streams, paths, profile, backend, and the client.

Built once by the root callback from the global flags; commands receive it and
never read flags of other commands or the environment themselves. Tests build one
directly with their own streams.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ameli_cli.api import backends as backends
from ameli_cli.domain.validation import format_nir, mask_nir
from ameli_cli.runtime.config import DEFAULT_BACKEND, Paths, load_settings, resolve_paths, setting
from ameli_cli.runtime.credentials import STORE_ENV, CredentialStore, Session
from ameli_cli.runtime.errors import AuthRequired, UsageError
from ameli_cli.runtime.hints import command
from ameli_cli.runtime.i18n import _
from ameli_cli.runtime.iostreams import IOStreams

if TYPE_CHECKING:
    from datetime import date

    from ameli_cli.api.client import AmeliClient


# ASCII only: the name becomes a file name (sessions/<profile>.json) and a keyring entry.
_PROFILE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
DEFAULT_TIMEOUT = 10.0


def _timeout_setting(value: Any, config_file: Path) -> float:
    """`timeout` from config.toml: seconds, a number between 0 and 600 (excluded 0)."""
    if value is None:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not 0 < seconds <= 600:
        raise UsageError(
            _(
                "{path} : timeout = {value!r} n'est pas un nombre de secondes entre 1 et 600 ;"
                " corrigez la ligne ou retirez-la."
            ).format(path=config_file, value=value)
        )
    return seconds


@dataclass
class AppContext:
    io: IOStreams
    paths: Paths
    profile: str
    backend: str
    show_nir: bool = False
    timeout: float = 10.0
    _client: AmeliClient | None = field(default=None, repr=False)
    _credentials: CredentialStore | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        io: IOStreams,
        *,
        profile: str | None,
        backend: str | None,
        show_nir: bool = False,
        environ: dict[str, str] | None = None,
    ) -> AppContext:
        import os

        env = dict(os.environ) if environ is None else environ
        paths = resolve_paths(env)
        profile = profile or env.get("AMELI_PROFILE") or "default"
        if not _PROFILE_NAME.fullmatch(profile):
            raise UsageError(
                _(
                    "--profile : « {name} » n'est pas un nom de profil (lettres, chiffres, - et _,"
                    " 64 au plus)."
                ).format(name=profile[:80])
            )
        settings = load_settings(paths)
        chosen = (
            backend
            or env.get("AMELI_BACKEND")
            or setting(settings, profile, "backend")
            or DEFAULT_BACKEND
        )
        timeout = _timeout_setting(setting(settings, profile, "timeout"), paths.config_file)
        return cls(
            io=io,
            paths=paths,
            profile=profile,
            backend=backends.parse_backend(str(chosen)),
            show_nir=show_nir,
            timeout=timeout,
        )

    @property
    def credentials(self) -> CredentialStore:
        if self._credentials is None:
            self._credentials = CredentialStore(self.paths, self.profile)
        return self._credentials

    def session(self) -> Session | None:
        return self.credentials.load()

    def client(self, *, authenticated: bool = True) -> AmeliClient:
        """The process's one client; signed in unless `authenticated=False`."""
        if self._client is None:
            self._client = self._new_client()
        if authenticated and not self._client.token:
            self._client.token = self.require_token()
        return self._client

    def _new_client(self) -> AmeliClient:
        from ameli_cli.api.client import AmeliClient

        connection = backends.connect(self.backend, self.paths.data_dir)
        return AmeliClient(
            connection.base_url,
            transport=connection.transport,
            timeout=self.timeout,
            on_event=self.io.debug if self.io.verbose else None,
        )

    def require_token(self) -> str:
        env_token = self.credentials.env_token()
        if env_token:
            return env_token
        session = self.session()
        if session is None:
            raise AuthRequired(
                _("Vous n'êtes pas connecté (profil « {profile} »). Lancez : {command}").format(
                    profile=self.profile, command=command("login")
                )
            )
        if session.backend != self.backend:
            raise AuthRequired(
                _(
                    "Le profil « {profile} » est connecté à {theirs}, pas à {ours}."
                    " Lancez : {command}"
                ).format(
                    profile=self.profile,
                    theirs=session.backend,
                    ours=self.backend,
                    command=command("login"),
                )
            )
        token = self.credentials.token(session)
        if not token:
            raise AuthRequired(
                _(
                    "Jeton introuvable dans le {store} (profil « {profile} »). Lancez : {command}"
                ).format(store=session.store, profile=self.profile, command=command("login"))
            )
        return token

    def credential_store_name(self) -> str | None:
        if self.credentials.env_token():
            return STORE_ENV
        session = self.session()
        return session.store if session else None

    def today(self, *, offline: bool = False) -> date:
        """The date relative dates (`--since 6mo`) and validity are judged against:
        the service's clock on a sandbox (`ameli sandbox advance 100d`, a pinned
        clock), this machine's date on any other backend, or when the service is not
        to be asked (`offline`; the embedded sandbox, in this process, is always asked)."""
        from datetime import date

        from ameli_cli.runtime.errors import AmeliError

        if offline and self.backend != backends.SANDBOX:
            return date.today()
        from ameli_cli.api import sandbox_controls

        try:
            clock = sandbox_controls.read_clock(self.client(authenticated=False))
            return date.fromisoformat(str(clock["today"]))
        except (AmeliError, KeyError, ValueError):  # not a sandbox, unreachable, odd answer
            return date.today()

    def display_nir(self, nir: str) -> str:
        """The NIR as a person should see it: masked unless --show-nir."""
        return format_nir(nir) if self.show_nir else mask_nir(nir)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
