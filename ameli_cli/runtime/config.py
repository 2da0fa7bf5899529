"""Where files live and the user's settings (a TOML file in the config dir).

Each dir can be moved with an environment variable, which the tests use:
AMELI_CONFIG_DIR, AMELI_DATA_DIR, AMELI_CACHE_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from ameli_cli.runtime.errors import UsageError
from ameli_cli.runtime.i18n import _

APP_NAME = "ameli-cli"
DEFAULT_PROFILE = "default"
DEFAULT_BACKEND = "sandbox"
CONFIG_KEYS = ("backend", "timeout")
# The embedded sandbox's file in the data dir (also where `sandbox serve` keeps it).
SANDBOX_DB_FILE = "sandbox.sqlite3"


class Paths(NamedTuple):
    """The three directories. A NamedTuple, not a frozen dataclass: it is built at every
    start, where a dataclass costs ~1% of `import typer` to define (issue 18)."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def sandbox_db(self) -> Path:
        return self.data_dir / SANDBOX_DB_FILE

    def sessions_dir(self) -> Path:
        return self.config_dir / "sessions"

    def profile_cache_dir(self, profile: str) -> Path:
        return self.cache_dir / "profiles" / profile

    def profile_data_dir(self, profile: str) -> Path:
        return self.data_dir / "profiles" / profile


def resolve_paths(environ: dict[str, str] | None = None) -> Paths:
    env = dict(os.environ) if environ is None else environ
    config = env.get("AMELI_CONFIG_DIR")
    data = env.get("AMELI_DATA_DIR")
    cache = env.get("AMELI_CACHE_DIR")
    if not (config and data and cache):
        import platformdirs

        config = config or platformdirs.user_config_dir(APP_NAME)
        data = data or platformdirs.user_data_dir(APP_NAME)
        cache = cache or platformdirs.user_cache_dir(APP_NAME)
    return Paths(Path(config), Path(data), Path(cache))


def load_settings(paths: Paths) -> dict[str, Any]:
    """The config file as a dict: top-level keys, and `[profiles.NAME]` tables."""
    try:
        raw = paths.config_file.read_bytes()
    except FileNotFoundError:
        return {}
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(
            _(
                "Fichier de configuration illisible ({path}) : {error}. Corrigez-le ou supprimez-le."
            ).format(path=paths.config_file, error=exc)
        ) from None


def setting(settings: dict[str, Any], profile: str, key: str) -> Any:
    """A profile's own value first, then the top-level one."""
    profiles = settings.get("profiles", {})
    if isinstance(profiles, dict) and isinstance(profiles.get(profile), dict):
        value = profiles[profile].get(key)
        if value is not None:
            return value
    return settings.get(key)
