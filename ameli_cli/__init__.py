"""ameli-cli: the compte ameli from a terminal."""

from ameli_rules import API_VERSION, __version__

__all__ = ["API_VERSION", "__version__"]
