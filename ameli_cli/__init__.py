"""ameli-cli: the compte ameli from a terminal."""

__version__ = "0.1.0"

# The API version this CLI speaks; the service reports its own at /v1/meta.
API_VERSION = "1"
