-- 0007: chat (docs/chat.md). Realtime writes messages in group commits (one multi-row insert per batch), publishes
-- each into its stream room, then marks it published in a batched update; the Worker's sweep publishes any message
-- left unpublished (a publish that failed and was never retried). Api serves history from here.

CREATE TABLE chat_messages (
    -- UUIDv7 made by Realtime: time-ordered, so history pages by id (newest first) without another index key.
    -- Also the envelope id of its chat.message event, so a message published twice is one event.
    id            uuid        PRIMARY KEY,
    channel_id    uuid        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    sender_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Chosen by the sender's client, unique per sender: a retry after a lost answer finds the stored message.
    client_msg_id text        COLLATE "C" NOT NULL,
    -- The text after the chat text rule (NFC, at most 500 user-perceived characters).
    body          text        NOT NULL,
    -- The chat.message payload as published (sender with badges, fragments, reply reference, broadcast, offset):
    -- history serves it as it was, so every client renders a message the same way now and later.
    message       jsonb       NOT NULL,
    reply_to_id   uuid,
    -- The broadcast it was sent during and its offset from the broadcast's start (VOD chat replay); null offline.
    broadcast_id  uuid        REFERENCES streams (id) ON DELETE SET NULL,
    offset_ms     bigint,
    sent_at       timestamptz NOT NULL,
    -- Null until the message is published into its stream room; then the seq it got there (a retry that finds the
    -- message published answers with it, rather than publish it again).
    published_at  timestamptz,
    seq           bigint,
    -- Set by moderation: a deleted message is not served.
    deleted_at    timestamptz,
    CONSTRAINT chat_messages_sender_client_key UNIQUE (sender_id, client_msg_id),
    CONSTRAINT chat_messages_client_msg_id_length CHECK (char_length(client_msg_id) BETWEEN 1 AND 64),
    CONSTRAINT chat_messages_body_length CHECK (char_length(body) BETWEEN 1 AND 4000),
    CONSTRAINT chat_messages_offset CHECK (offset_ms IS NULL OR offset_ms >= 0)
);

-- History: a channel's messages newest first (keyset on id).
CREATE INDEX chat_messages_history ON chat_messages (channel_id, id DESC);
-- The sweep's work list: only messages not yet published, so it stays tiny.
CREATE INDEX chat_messages_unpublished ON chat_messages (sent_at) WHERE published_at IS NULL;
-- VOD replay: a broadcast's messages by offset.
CREATE INDEX chat_messages_broadcast ON chat_messages (broadcast_id, offset_ms) WHERE broadcast_id IS NOT NULL;
