"""Secure messages: conversations per account, categories, attachments, the caisse's
automatic acknowledgement and its later reply.

Invented rules (no public source; see DOMAIN.md): the categories below, attachments
limited to PDF, JPEG and PNG (told apart by their content, not their name), at most 5
files of 5 MB each per message, and a reply from the caisse 2 days after the
assuré's last message. That reply is computed when the conversation is read, from
the service clock, so `ameli sandbox advance 2d` makes it appear.

This module owns the resource (its schema, seed and routes); the rest is split by
what it does, in the mailbox package: store (what a conversation is, its rows),
replies (the caisse's later reply), attachments (files: limits, checks, download),
conversations (reading) and sending (writing, quota, idempotency).
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ameli_sandbox import clock
from ameli_sandbox.mailbox.attachments import attachment
from ameli_sandbox.mailbox.conversations import (
    categories,
    list_conversations,
    mark_read,
    show_conversation,
)
from ameli_sandbox.mailbox.replies import deliver_due_replies
from ameli_sandbox.mailbox.sending import create_conversation, reply
from ameli_sandbox.mailbox.store import store_assure_message, store_conversation
from ameli_sandbox.routing import Route

if TYPE_CHECKING:
    from ameli_sandbox.people import Person

COMPONENT = "messages"
MIGRATIONS = [
    """
    CREATE TABLE message_conversations (
        id TEXT PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        subject TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX message_conversations_account
        ON message_conversations (account_id, updated_at);
    CREATE TABLE message_items (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL REFERENCES message_conversations(id) ON DELETE CASCADE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        author TEXT NOT NULL CHECK (author IN ('assure', 'caisse')),
        kind TEXT NOT NULL CHECK (kind IN ('message', 'acknowledgement', 'reply')),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        read_at TEXT,
        answers_seq INTEGER,
        client_key TEXT
    );
    CREATE INDEX message_items_conversation ON message_items (conversation_id, seq);
    -- The same Idempotency-Key never creates two messages, even when two requests
    -- race past the idempotency table (a retry while the first is still running).
    CREATE UNIQUE INDEX message_items_client_key ON message_items (account_id, client_key)
        WHERE client_key IS NOT NULL;
    CREATE TABLE message_attachments (
        id TEXT PRIMARY KEY,
        item_seq INTEGER NOT NULL REFERENCES message_items(seq) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        content BLOB NOT NULL
    );
    CREATE INDEX message_attachments_item ON message_attachments (item_seq, position)
    """,
    # Flat costs (issue 13): listing a mailbox reads one page of an index, whatever its
    # size. The reply due in a conversation is kept on it (not found by scanning every
    # message), unread replies and answered messages have their own small indexes, and
    # the daily quota counts an account's recent messages through an index.
    """
    ALTER TABLE message_conversations ADD COLUMN pending_seq INTEGER;
    ALTER TABLE message_conversations ADD COLUMN reply_due_at TEXT;
    UPDATE message_conversations SET pending_seq = (
        SELECT i.seq FROM message_items i WHERE i.conversation_id = message_conversations.id
        AND i.author = 'assure' ORDER BY i.seq DESC LIMIT 1);
    UPDATE message_conversations SET pending_seq = NULL WHERE EXISTS
        (SELECT 1 FROM message_items r WHERE r.answers_seq = message_conversations.pending_seq);
    UPDATE message_conversations SET reply_due_at = strftime('%Y-%m-%dT%H:%M:%SZ',
        (SELECT created_at FROM message_items WHERE seq = pending_seq), '+2 days')
        WHERE pending_seq IS NOT NULL;
    CREATE INDEX message_conversations_due ON message_conversations (account_id, reply_due_at)
        WHERE reply_due_at IS NOT NULL;
    CREATE INDEX message_conversations_page
        ON message_conversations (account_id, updated_at, id);
    CREATE INDEX message_items_answers ON message_items (answers_seq)
        WHERE answers_seq IS NOT NULL;
    CREATE INDEX message_items_unread ON message_items (conversation_id)
        WHERE author = 'caisse' AND read_at IS NULL;
    CREATE INDEX message_items_sent ON message_items (account_id, created_at)
        WHERE author = 'assure'
    """,
]

# -- seed ------------------------------------------------------------------------------

_SEED: dict[str, list[tuple[str, str, str, int, bool]]] = {
    # person key: (category, subject, body, days ago, read)
    "famille": [
        (
            "carte_vitale",
            "Carte Vitale de Camille (17 ans)",
            "Bonjour,\n\nCamille a eu 16 ans l'an dernier et n'a pas reçu sa propre carte"
            " Vitale. Pouvez-vous me dire où en est sa demande ?\n\nMarie Dupont",
            40,
            True,
        ),
        (
            "remboursement",
            "Consultation pédiatre de Léa non remboursée",
            "Bonjour,\n\nLa consultation du 3 du mois dernier pour Léa n'apparaît pas dans mes"
            " paiements. Merci de vérifier.\n\nMarie Dupont",
            5,
            False,
        ),
    ],
    "ald": [
        (
            "attestation",
            "Attestation ALD pour ma pharmacie",
            "Bonjour,\n\nMa pharmacie me demande une attestation de prise en charge à 100 %"
            " pour mon ALD. Comment l'obtenir ?\n\nJ.-B. Santoni",
            12,
            False,
        ),
    ],
    "ij": [
        (
            "indemnites",
            "Indemnités journalières non reçues",
            "Bonjour,\n\nJe suis en arrêt depuis trois semaines et je n'ai rien reçu.\n\nLucas"
            " Martin",
            1,
            True,
        ),
    ],
}


def seed(conn: sqlite3.Connection, people: tuple[Person, ...], today: date) -> None:
    now = clock.now(conn)
    for p in people:
        for category, subject, body, days_ago, read in _SEED.get(p.key, []):
            row = conn.execute("SELECT id FROM accounts WHERE nir = ?", (p.nir,)).fetchone()
            if row is None:
                continue
            sent_at = now - timedelta(days=days_ago)
            conversation = store_conversation(conn, row["id"], category, subject, sent_at)
            store_assure_message(conn, conversation, row["id"], body, [], None, sent_at)
            if read:
                deliver_due_replies(conn, row["id"], now)
                conn.execute(
                    "UPDATE message_items SET read_at = created_at"
                    " WHERE conversation_id = ? AND author = 'caisse'",
                    (conversation,),
                )


def routes() -> list[Route]:
    return [
        Route("/v1/messages/categories", categories, methods=["GET"]),
        Route("/v1/messages", list_conversations, methods=["GET"]),
        Route("/v1/messages", create_conversation, methods=["POST"]),
        Route("/v1/messages/{id}", show_conversation, methods=["GET"]),
        Route("/v1/messages/{id}/read", mark_read, methods=["POST"]),
        Route("/v1/messages/{id}/replies", reply, methods=["POST"]),
        Route("/v1/messages/{id}/attachments/{attachment}", attachment, methods=["GET"]),
    ]
