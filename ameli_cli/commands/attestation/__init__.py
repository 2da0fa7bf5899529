"""`ameli attestation`: signed attestations, one module per verb.

group.py        the `attestation` group and the attestation types' names
get.py          `attestation get` (PDF drawn here; offline from the cache)
verify.py       `attestation verify` (signature, page, validity)
batch.py        `attestation batch` (agents: one PDF per NIR)
batch_run.py    the batch itself: bounded concurrency, NDJSON, resumable
batch_input.py  the NIR list (lines or CSV)
batch_pages.py  drawing the pages (forked workers or a thread)
"""

from __future__ import annotations

from ameli_cli.commands.attestation.group import app

# Each verb registers on `app` when its module is imported, in the order
# `ameli attestation --help` lists them.
# isort: off
from ameli_cli.commands.attestation import get, verify, batch

# isort: on

__all__ = ["app", "batch", "get", "verify"]
