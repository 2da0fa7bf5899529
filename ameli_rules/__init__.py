"""Rules that the CLI and the reference service both need, and nothing else.

Neutral ground: it imports neither `ameli_cli` nor `ameli_sandbox` (an import-linter
contract checks it). The distribution's version and the API version live here so
both sides report the same numbers.
"""

__version__ = "0.1.0"

# The API version this distribution speaks; the service reports it at /v1/meta.
API_VERSION = "1"

# The attestations the API issues: GET /v1/attestations/{type} (the spec's enum).
ATTESTATION_TYPES = ("droits", "ij", "fiscale")
