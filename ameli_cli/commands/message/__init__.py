"""`ameli message`: secure messages with the caisse, one module per verb.

group.py     the `message` group itself
compose.py   what a message needs checked before it goes (text, subject,
             attachments, category) and `message categories`
send.py      `message send` and `message reply`
delivery.py  one delivery attempt of an outbox entry (shared by send and outbox)
read.py      `message list`, `message show`, `message download`
outbox.py    `message outbox [send|discard]`: what the service did not confirm
"""

from __future__ import annotations

from ameli_cli.commands.message.group import app

# Each verb registers on `app` when its module is imported, in the order
# `ameli message --help` lists them.
# isort: off
from ameli_cli.commands.message import compose, send, read, outbox

# isort: on

__all__ = ["app", "compose", "outbox", "read", "send"]
