"""The caisse's reply to a conversation, REPLY_DELAY after the assuré's last message:
the texts per category and the delivery of the replies that are due. There is no
background job; every reading handler first delivers what the service clock says is
due, so this sits apart from both the storage and the handlers that call it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from ameli_sandbox import clock
from ameli_sandbox.mailbox.store import insert_item, parse_time

REPLIES = {
    "remboursement": "Votre dossier de remboursement a été vérifié : le paiement est en cours"
    " et apparaîtra dans « Mes paiements » sous quelques jours.",
    "carte_vitale": "Votre demande concernant la carte Vitale a été transmise au service"
    " concerné. Le délai de fabrication est de deux à trois semaines.",
    "attestation": "Vous pouvez télécharger vos attestations à tout moment depuis votre compte"
    " (ameli attestation get). Le document demandé est joint à votre dossier.",
    "indemnites": "Votre arrêt de travail a bien été enregistré. Les indemnités journalières"
    " sont versées tous les 14 jours après réception de l'attestation de salaire.",
    "situation": "Votre changement de situation a été pris en compte. Pensez à mettre à jour"
    " votre carte Vitale dans une pharmacie ou une borne.",
    "css": "Votre demande de complémentaire santé solidaire est en cours d'instruction."
    " Vous recevrez une réponse par courrier sous deux mois au plus.",
    "reclamation": "Nous avons examiné votre réclamation. Un conseiller a repris votre dossier"
    " et vous tiendra informé de la suite.",
    "autre": "Votre demande a bien été traitée par nos services.",
}
REPLY_FRAME = "Bonjour,\n\n{text}\n\nCordialement,\nVotre conseiller de l'Assurance Maladie"


def deliver_due_replies(conn: sqlite3.Connection, account_id: int, now: datetime) -> None:
    """The caisse answers each conversation REPLY_DELAY after the assuré's last message.

    Computed when read: a reply whose time has come on the service clock is stored
    then, dated when it was due. Reading takes the write lock only when a reply is due."""
    if not _due(conn, account_id, now):
        return
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        _deliver(conn, account_id, now)
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise
    if own:
        conn.execute("COMMIT")


def _due(conn: sqlite3.Connection, account_id: int, now: datetime) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT id, pending_seq, reply_due_at, category FROM message_conversations"
        " WHERE account_id = ? AND reply_due_at IS NOT NULL AND reply_due_at <= ?",
        (account_id, clock.iso(now)),
    ).fetchall()


def _deliver(conn: sqlite3.Connection, account_id: int, now: datetime) -> None:
    for row in _due(conn, account_id, now):  # again, under the lock
        text = REPLY_FRAME.format(text=REPLIES.get(row["category"], REPLIES["autre"]))
        insert_item(
            conn,
            row["id"],
            account_id,
            "caisse",
            "reply",
            text,
            parse_time(row["reply_due_at"]),
            answers_seq=row["pending_seq"],
        )
        conn.execute(
            "UPDATE message_conversations SET pending_seq = NULL, reply_due_at = NULL WHERE id = ?",
            (row["id"],),
        )
