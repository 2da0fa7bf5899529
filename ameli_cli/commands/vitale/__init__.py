"""`ameli vitale`: the Carte Vitale, one module per verb.

These change things at the caisse, so they are hard to misfire: files are checked
by content before anything is sent, a terminal confirms (a declaration asks for the
beneficiary's first name), a script must pass --yes, --dry-run sends nothing, and a
retried write carries one Idempotency-Key.

group.py    the `vitale` group and the words for a card's state
uploads.py  the photo and identity document, checked by content
status.py   `vitale status`
order.py    `vitale order`
declare.py  `vitale declare-loss`
"""

from __future__ import annotations

from ameli_cli.commands.vitale.group import app

__all__ = ["app"]
