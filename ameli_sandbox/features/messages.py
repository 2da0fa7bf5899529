"""Secure messages: conversations per account, categories, attachments, the caisse's
automatic acknowledgement and its later reply.

Invented rules (no public source; see DOMAIN.md): the categories below, attachments
limited to PDF, JPEG and PNG (told apart by their content, not their name), at most 5
files of 5 MB each per message, and a reply from the caisse 2 days after the
assuré's last message. That reply is computed when the conversation is read, from
the service clock, so `ameli sandbox advance 2d` makes it appear.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import os
import secrets
import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ameli_rules import filetypes
from ameli_rules.filenames import MAX_ATTACHMENT_NAME, attachment_name_problem
from ameli_sandbox import clock
from ameli_sandbox.features.limits import DAY, quota_from_env, take_quota
from ameli_sandbox.params import decode_cursor, encode_cursor, query_flag, query_int, query_text
from ameli_sandbox.problems import Problem, bad_request, forbidden, not_found
from ameli_sandbox.web import (
    authenticate,
    db,
    idempotent,
    json_object,
    json_response,
    subject_account,
)

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

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_SUBJECT = 120
MAX_BODY = 10_000
MAX_FILENAME = MAX_ATTACHMENT_NAME
REPLY_DELAY = timedelta(days=2)
DAILY_MESSAGES = 20  # new conversations + replies per account per day (env: ..._MESSAGES_QUOTA)
# Fault injection for demos and tests: seconds to wait after a message is stored and
# before answering, so a client with a short timeout gives up after the service
# received it (the case the client's outbox must survive without a duplicate).
DELAY_ENV = "AMELI_SANDBOX_MESSAGE_DELAY"

ALLOWED_TYPES = (filetypes.PDF, filetypes.JPEG, filetypes.PNG)

ACKNOWLEDGEMENT = (
    "Bonjour,\n\nNous avons bien reçu votre message du {date} et nous vous en remercions."
    " Un conseiller vous répondra dans les meilleurs délais.\n\nVotre caisse d'Assurance Maladie"
)
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

_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: ids are typed by people


def new_id(prefix: str = "", length: int = 6) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def sniff(content: bytes) -> str | None:
    """The content type of a file from its bytes, among the allowed ones."""
    media_type = filetypes.sniff(content).media_type
    return media_type if media_type in ALLOWED_TYPES else None


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
            conversation = _create_conversation(conn, row["id"], category, subject, sent_at)
            _add_assure_message(conn, conversation, row["id"], body, [], None, sent_at)
            if read:
                _deliver_due_replies(conn, row["id"], now)
                conn.execute(
                    "UPDATE message_items SET read_at = created_at"
                    " WHERE conversation_id = ? AND author = 'caisse'",
                    (conversation,),
                )


# -- storage ---------------------------------------------------------------------------


def _create_conversation(
    conn: sqlite3.Connection, account_id: int, category: str, subject: str, at: datetime
) -> str:
    conversation = new_id("M")
    conn.execute(
        "INSERT INTO message_conversations (id, account_id, category, subject, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        (conversation, account_id, category, subject, clock.iso(at), clock.iso(at)),
    )
    return conversation


def _insert_item(
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


def _add_assure_message(
    conn: sqlite3.Connection,
    conversation: str,
    account_id: int,
    body: str,
    attachments: list[tuple[str, str, bytes]],
    client_key: str | None,
    at: datetime,
) -> None:
    seq = _insert_item(
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
    _insert_item(
        conn,
        conversation,
        account_id,
        "caisse",
        "acknowledgement",
        ACKNOWLEDGEMENT.format(date=at.strftime("%d/%m/%Y")),
        at,
    )


def _deliver_due_replies(conn: sqlite3.Connection, account_id: int, now: datetime) -> None:
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
        _insert_item(
            conn,
            row["id"],
            account_id,
            "caisse",
            "reply",
            text,
            _parse(row["reply_due_at"]),
            answers_seq=row["pending_seq"],
        )
        conn.execute(
            "UPDATE message_conversations SET pending_seq = NULL, reply_due_at = NULL WHERE id = ?",
            (row["id"],),
        )


def _parse(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


# -- representation --------------------------------------------------------------------


def _summary(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    counts = conn.execute(
        "SELECT count(*) AS total,"
        " sum(CASE WHEN author = 'caisse' AND read_at IS NULL THEN 1 ELSE 0 END) AS unread,"
        " (SELECT author FROM message_items WHERE conversation_id = ? ORDER BY seq DESC"
        "  LIMIT 1) AS last_author"
        " FROM message_items WHERE conversation_id = ?",
        (row["id"], row["id"]),
    ).fetchone()
    pending = conn.execute(
        "SELECT i.created_at FROM message_items i WHERE i.conversation_id = ?"
        " AND i.author = 'assure' AND NOT EXISTS"
        " (SELECT 1 FROM message_items r WHERE r.answers_seq = i.seq)"
        " ORDER BY i.seq DESC LIMIT 1",
        (row["id"],),
    ).fetchone()
    return {
        "id": row["id"],
        "category": row["category"],
        "category_label": CATEGORY_LABELS.get(row["category"], row["category"]),
        "subject": row["subject"],
        "status": "awaiting_reply" if pending else "answered",
        "reply_expected_by": clock.iso(_parse(pending["created_at"]) + REPLY_DELAY)
        if pending
        else None,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "message_count": counts["total"],
        "unread_count": counts["unread"] or 0,
        "last_author": counts["last_author"],
    }


def _detail(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    result = _summary(conn, row)
    items = conn.execute(
        "SELECT * FROM message_items WHERE conversation_id = ? ORDER BY seq", (row["id"],)
    ).fetchall()
    attachments: dict[int, list[dict[str, Any]]] = {}
    for a in conn.execute(
        "SELECT a.id, a.item_seq, a.filename, a.content_type, a.size, a.sha256"
        " FROM message_attachments a JOIN message_items i ON i.seq = a.item_seq"
        " WHERE i.conversation_id = ? ORDER BY a.item_seq, a.position",
        (row["id"],),
    ):
        attachments.setdefault(a["item_seq"], []).append(
            {
                "id": a["id"],
                "filename": a["filename"],
                "content_type": a["content_type"],
                "size": a["size"],
                "sha256": a["sha256"],
            }
        )
    result["messages"] = [
        {
            "id": i["id"],
            "author": i["author"],
            "kind": i["kind"],
            "body": i["body"],
            "created_at": i["created_at"],
            "read_at": i["read_at"],
            "attachments": attachments.get(i["seq"], []),
        }
        for i in items
    ]
    return result


# -- validation ------------------------------------------------------------------------


def _text(body: dict[str, Any], field: str, limit: int) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise Problem(
            422, f"empty_{field}", f"Empty {field}", f"The {field} is empty.", field=field
        )
    value = value.strip()
    if len(value) > limit:
        raise Problem(
            422,
            f"{field}_too_long",
            f"{field.capitalize()} too long",
            f"The {field} has {len(value)} characters; at most {limit}.",
            field=field,
            limit=limit,
        )
    return value


def _attachments(body: dict[str, Any]) -> list[tuple[str, str, bytes]]:
    raw = body.get("attachments", [])
    if not isinstance(raw, list):  # {} and null too: the spec says an array
        raise bad_request("attachments must be a list.")
    if len(raw) > MAX_ATTACHMENTS:
        raise Problem(
            422,
            "too_many_attachments",
            "Too many attachments",
            f"{len(raw)} files attached; at most {MAX_ATTACHMENTS} per message.",
            limit=MAX_ATTACHMENTS,
        )
    result: list[tuple[str, str, bytes]] = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            raise bad_request("Each attachment is an object.")
        filename = item.get("filename")
        if not isinstance(filename, str) or not filename:
            raise bad_request(f"Each attachment needs a filename (at most {MAX_FILENAME}).")
        _check_attachment_name(filename, position)
        try:
            content = base64.b64decode(str(item.get("content_base64") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise bad_request(f"{filename}: content_base64 is not valid base64.") from None
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise Problem(
                422,
                "attachment_too_large",
                "Attachment too large",
                f"{filename} has {len(content)} bytes; at most {MAX_ATTACHMENT_BYTES}"
                " (5 MB) per file.",
                filename=filename,
                limit=MAX_ATTACHMENT_BYTES,
            )
        content_type = sniff(content)
        if content_type is None:
            raise Problem(
                422,
                "attachment_type",
                "Attachment type not allowed",
                f"{filename} is not a PDF, JPEG or PNG file (checked by its content).",
                filename=filename,
                allowed=list(ALLOWED_TYPES),
            )
        result.append((filename, content_type, content))
    return result


def _check_attachment_name(filename: str, position: int) -> None:
    """Refused rather than silently cleaned (issue 13): the name is what the agent and
    the assuré see and what a download calls the file, so it must be harmless as sent."""
    reason = attachment_name_problem(filename)
    if reason is not None:
        raise Problem(
            422,
            "attachment_name",
            "Attachment name not allowed",
            f"Attachment {position + 1}: its name is refused ({reason}): no control, format"
            f" or bidi character, no / or \\, not . or .., no leading or trailing space,"
            f" at most {MAX_FILENAME} characters.",
            reason=reason,
            position=position,
        )


# -- handlers --------------------------------------------------------------------------


async def categories(request: Request) -> Response:
    authenticate(request)
    return json_response(
        {
            "items": [{"code": code, "label": label} for code, label in CATEGORIES],
            "attachment_limits": {
                "max_files": MAX_ATTACHMENTS,
                "max_bytes": MAX_ATTACHMENT_BYTES,
                "content_types": list(ALLOWED_TYPES),
            },
        }
    )


def _writer(request: Request, action: str) -> sqlite3.Row:
    principal = authenticate(request)
    if principal.role == "agent":
        raise forbidden("Only the assuré writes in its own conversations.")
    return subject_account(request, principal, action=action)


async def list_conversations(request: Request) -> Response:
    """Most recently updated first, one page of an index: the cost does not grow with
    the mailbox (keyset cursor on (updated_at, id), like payments)."""
    principal = authenticate(request)
    limit = query_int(request, "limit", default=20, low=1, high=100)
    raw_cursor = query_text(request, "cursor", max_length=200)
    unread = query_flag(request, "unread")
    account = subject_account(request, principal, action="messages.list")
    conn = db(request)
    _deliver_due_replies(conn, account["id"], clock.now(conn))
    where = "c.account_id = ?"
    args: list[Any] = [account["id"]]
    if raw_cursor:
        after = decode_cursor(raw_cursor, (str, str))
        where += " AND (c.updated_at, c.id) < (?, ?)"
        args.extend(after)
    if unread:
        where += (
            " AND EXISTS (SELECT 1 FROM message_items i WHERE i.conversation_id = c.id"
            " AND i.author = 'caisse' AND i.read_at IS NULL)"
        )
    rows = conn.execute(
        f"SELECT c.* FROM message_conversations c WHERE {where}"
        " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
        (*args, limit + 1),
    ).fetchall()
    items = [_summary(conn, r) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(last["updated_at"], last["id"]) if last else None
    return json_response({"items": items, "next_cursor": next_cursor})


def _conversation(conn: sqlite3.Connection, account_id: int, conversation: str) -> sqlite3.Row:
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


async def show_conversation(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="messages.show")
    conn = db(request)
    _deliver_due_replies(conn, account["id"], clock.now(conn))
    row = _conversation(conn, account["id"], request.path_params["id"])
    return json_response(_detail(conn, row))


async def mark_read(request: Request) -> Response:
    # Idempotent by nature (marking read twice changes nothing): no stored replay,
    # which would keep a copy of the conversation for every reading.
    principal = authenticate(request)
    account = subject_account(request, principal, action="messages.show")
    conn = db(request)
    now = clock.now(conn)
    _deliver_due_replies(conn, account["id"], now)
    row = _conversation(conn, account["id"], request.path_params["id"])
    if principal.role != "agent":  # an agent reading does not mark the assuré's mail
        conn.execute(
            "UPDATE message_items SET read_at = ? WHERE conversation_id = ?"
            " AND author = 'caisse' AND read_at IS NULL",
            (clock.iso(now), row["id"]),
        )
    return json_response(_detail(conn, row))


@idempotent
async def create_conversation(request: Request) -> Response:
    account = _writer(request, "messages.send")
    body = await json_object(request)
    category = str(body.get("category") or "")
    if category not in CATEGORY_LABELS:
        raise Problem(
            422,
            "unknown_category",
            "Unknown category",
            f"Unknown category {category!r}; one of: {', '.join(CATEGORY_LABELS)}.",
            categories=list(CATEGORY_LABELS),
        )
    subject = _text(body, "subject", MAX_SUBJECT)
    text = _text(body, "body", MAX_BODY)
    files = _attachments(body)
    key = request.headers.get("idempotency-key") or None
    conn = db(request)
    now = clock.now(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        existing = _by_client_key(conn, account["id"], key)
        if existing is None:
            _take_quota(conn, account["id"], now)
            conversation = _create_conversation(conn, account["id"], category, subject, now)
            _add_assure_message(conn, conversation, account["id"], text, files, key, now)
        else:
            conversation = existing
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    await _injected_delay()
    row = _conversation(conn, account["id"], conversation)
    return json_response(_detail(conn, row), status=201)


@idempotent
async def reply(request: Request) -> Response:
    account = _writer(request, "messages.reply")
    body = await json_object(request)
    conn = db(request)
    row = _conversation(conn, account["id"], request.path_params["id"])
    text = _text(body, "body", MAX_BODY)
    files = _attachments(body)
    key = request.headers.get("idempotency-key") or None
    now = clock.now(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _by_client_key(conn, account["id"], key) is None:
            _take_quota(conn, account["id"], now)
            _add_assure_message(conn, row["id"], account["id"], text, files, key, now)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    await _injected_delay()
    return json_response(_detail(conn, _conversation(conn, account["id"], row["id"])), status=201)


def _take_quota(conn: sqlite3.Connection, account_id: int, now: datetime) -> None:
    """New conversations and replies together, per account and day: one account cannot
    fill the caisse's inbox (nor make its own mailbox costly to read)."""
    limit = quota_from_env("messages", DAILY_MESSAGES)
    take_quota(conn, f"messages:{account_id}", limit, DAY, now)


def _by_client_key(conn: sqlite3.Connection, account_id: int, key: str | None) -> str | None:
    if key is None:
        return None
    found = conn.execute(
        "SELECT conversation_id FROM message_items WHERE account_id = ? AND client_key = ?",
        (account_id, key),
    ).fetchone()
    return None if found is None else str(found["conversation_id"])


async def _injected_delay() -> None:
    delay = os.environ.get(DELAY_ENV)
    if delay:
        await asyncio.sleep(float(delay))


async def attachment(request: Request) -> Response:
    principal = authenticate(request)
    account = subject_account(request, principal, action="messages.download")
    conn = db(request)
    row = _conversation(conn, account["id"], request.path_params["id"])
    found = conn.execute(
        "SELECT a.filename, a.content_type, a.content FROM message_attachments a"
        " JOIN message_items i ON i.seq = a.item_seq"
        " WHERE a.id = ? AND i.conversation_id = ?",
        (request.path_params["attachment"].upper(), row["id"]),
    ).fetchone()
    if found is None:
        raise not_found(
            "No such attachment in this conversation.",
            resource="attachment",
            id=request.path_params["attachment"],
        )
    return Response(
        bytes(found["content"]),
        media_type=found["content_type"],
        headers={"Content-Disposition": "attachment; filename*=UTF-8''" + quote(found["filename"])},
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
