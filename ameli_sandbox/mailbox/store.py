"""What a conversation is and how it is stored: the categories, the ids people type,
the rows of a conversation and its messages, the caisse's automatic acknowledgement
written with each message of the assuré, and the lookup of one conversation of an
account. Kept apart from the handlers so that the seed, the benchmarks, the reading
and the writing handlers all store a message the one same way (see features/messages.py for
the rules, which are invented).
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta

from ameli_sandbox import clock, store
from ameli_sandbox.problems import not_found

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("remboursement", "Remboursement de soins"),
    ("carte_vitale", "Carte Vitale"),
    ("attestation", "Attestation ou document"),
    ("indemnites", "Indemnités journalières (arrêt de travail)"),
    ("situation", "Changement de situation (adresse, famille, banque)"),
    ("css", "Complémentaire santé solidaire"),
    ("reclamation", "Réclamation"),
    ("autre", "Autre demande"),
)
CATEGORY_LABELS = dict(CATEGORIES)

REPLY_DELAY = timedelta(days=2)

ACKNOWLEDGEMENT = (
    "Bonjour,\n\nNous avons bien reçu votre message du {date} et nous vous en remercions."
    " Un conseiller vous répondra dans les meilleurs délais.\n\nVotre caisse d'Assurance Maladie"
)


def new_id(prefix: str = "", length: int = 6) -> str:
    return store.new_id(prefix, length)  # one read of the CSPRNG (issue 18)


# -- storage ---------------------------------------------------------------------------


def store_conversation(
    conn: sqlite3.Connection, account_id: int, category: str, subject: str, at: datetime
) -> str:
    conversation = new_id("M")
    conn.execute(
        "INSERT INTO message_conversations (id, account_id, category, subject, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        (conversation, account_id, category, subject, clock.iso(at), clock.iso(at)),
    )
    return conversation


def insert_item(
    conn: sqlite3.Connection,
    conversation: str,
    account_id: int,
    author: str,
    kind: str,
    body: str,
    at: datetime,
    *,
    client_key: str | None = None,
    answers_seq: int | None = None,
) -> int:
    cursor = conn.execute(
        "INSERT INTO message_items (id, conversation_id, account_id, author, kind, body,"
        " created_at, answers_seq, client_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new_id("E"),
            conversation,
            account_id,
            author,
            kind,
            body,
            clock.iso(at),
            answers_seq,
            client_key,
        ),
    )
    conn.execute(
        "UPDATE message_conversations SET updated_at = max(updated_at, ?) WHERE id = ?",
        (clock.iso(at), conversation),
    )
    return int(cursor.lastrowid or 0)


def store_assure_message(
    conn: sqlite3.Connection,
    conversation: str,
    account_id: int,
    body: str,
    attachments: list[tuple[str, str, bytes]],
    client_key: str | None,
    at: datetime,
) -> None:
    seq = insert_item(
        conn, conversation, account_id, "assure", "message", body, at, client_key=client_key
    )
    conn.execute(
        "UPDATE message_conversations SET pending_seq = ?, reply_due_at = ? WHERE id = ?",
        (seq, clock.iso(at + REPLY_DELAY), conversation),
    )
    for position, (filename, content_type, content) in enumerate(attachments):
        conn.execute(
            "INSERT INTO message_attachments (id, item_seq, position, filename, content_type,"
            " size, sha256, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new_id("A"),
                seq,
                position,
                filename,
                content_type,
                len(content),
                hashlib.sha256(content).hexdigest(),
                content,
            ),
        )
    insert_item(
        conn,
        conversation,
        account_id,
        "caisse",
        "acknowledgement",
        ACKNOWLEDGEMENT.format(date=at.strftime("%d/%m/%Y")),
        at,
    )


def find_conversation(conn: sqlite3.Connection, account_id: int, conversation: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM message_conversations WHERE id = ? AND account_id = ?",
        (conversation.upper(), account_id),
    ).fetchone()
    if row is None:
        raise not_found(
            f"No conversation {conversation} in this account.",
            resource="conversation",
            id=conversation,
        )
    return row


def parse_time(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))
