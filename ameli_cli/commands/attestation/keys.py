"""The service's public keys as this machine knows them: a cache per backend that
accumulates every key the backend has published (current and retired, with their
validity), refreshed from `/v1/keys` when a document names a key not in it.

Used by `attestation get` (keeps the key of what it fetched), `verify` and `batch`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ameli_cli.runtime.errors import ApiError, BackendUnreachable
from ameli_cli.runtime.i18n import _

if TYPE_CHECKING:
    from ameli_cli.runtime.context import AppContext

Keys = dict[str, dict[str, Any]]


def keys_cache(app: AppContext) -> Path:
    from ameli_cli.domain.attestations import keys_cache_file

    return keys_cache_file(app.paths.cache_dir, app.backend)


def cached_keys(app: AppContext) -> tuple[Keys, bool]:
    """The keys in the cache, and whether the cache file is damaged (then: none)."""
    from ameli_cli.domain.attestations import KeysCacheCorrupt, load_keys

    try:
        return load_keys(keys_cache(app)), False
    except KeysCacheCorrupt:
        return {}, True


# A key the cache holds as current is asked about again after this long: the service
# may have retired it since (a document it signed later is then not genuine).
CURRENT_KEY_RECHECK_SECONDS = 24 * 3600


def _may_be_retired(path: Path, key: dict[str, Any] | None) -> bool:
    import time

    if key is None or key.get("valid_until") is not None:
        return False
    try:
        return time.time() - path.stat().st_mtime > CURRENT_KEY_RECHECK_SECONDS
    except OSError:
        return True


def known_keys(app: AppContext, key_id: str | None = None, *, client: Any = None) -> Keys:
    """The keys to check a document with. The cache when it knows `key_id` (or, with
    no key_id, when it has any key); else one refresh from the service, merged into
    the cache. Raises BackendUnreachable (exit 5) when the key is not known here and
    the service cannot be asked: "unknown key" is said only after asking."""
    from ameli_cli.domain.attestations import save_keys

    path = keys_cache(app)
    keys, corrupt = cached_keys(app)
    known = key_id in keys if key_id is not None else bool(keys)
    if not corrupt and known and not _may_be_retired(path, keys.get(key_id or "")):
        return keys
    try:
        published = (client or app.client(authenticated=False)).fetch_signing_keys()
    except (BackendUnreachable, ApiError) as exc:
        if corrupt:
            raise BackendUnreachable(
                _(
                    "Cache des clés publiques illisible : {path}. Relancez avec le service"
                    " joignable : les clés y seront rechargées ({error})."
                ).format(path=path, error=exc.message)
            ) from None
        if known and not corrupt:
            return keys  # offline: what we knew is still the best answer
        raise BackendUnreachable(
            _(
                "Clé publique du service inconnue ici et service injoignable ({error}) :"
                " vérifiez une fois avec le réseau, la clé sera gardée pour la suite."
            ).format(error=exc.message)
        ) from None
    if corrupt:
        app.io.warn(
            _("Cache des clés publiques illisible : {path} ; rechargé depuis le service.").format(
                path=path
            )
        )
    try:
        return save_keys(path, published, keys)
    except OSError as exc:
        app.io.debug(f"{path}: {exc}")  # checked all the same; kept next time, maybe
        merged = dict(keys)
        merged.update({k["key_id"]: dict(k) for k in published.get("keys", [])})
        return merged
