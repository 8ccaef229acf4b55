-- 0003: the transactional outbox (docs/outbox.md). A row is added in the same transaction as the business change
-- it announces; the Worker's relay publishes it into its room and then sets published_at.

CREATE TABLE outbox (
    -- Relay order within a partition. Gaps are fine; rows of one room are published in id order.
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The envelope id, stable forever: a row relayed twice publishes the same id, which the room's publish
    -- script recognises (no second seq).
    event_id     text        NOT NULL,
    room         text        NOT NULL,
    type         text        NOT NULL,
    data         jsonb       NOT NULL,
    -- Computed by the writer: FNV-1a (32 bit) of the room name's UTF-8 bytes, mod Outbox:Partitions.
    partition    integer     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    -- How many times a relay read the row to publish it (more than 1: it was relayed again after a crash or an outage).
    attempts     integer     NOT NULL DEFAULT 0,
    CONSTRAINT outbox_partition_check CHECK (partition >= 0),
    CONSTRAINT outbox_event_id_length CHECK (length(event_id) BETWEEN 1 AND 64)
);

-- Serves the relay's only hot query, "unpublished rows of partition P in id order", and stays as small as the
-- backlog: published rows leave the index.
CREATE INDEX outbox_unpublished ON outbox (partition, id) WHERE published_at IS NULL;

-- Wakes the relays at commit (NOTIFY is delivered only when the transaction commits, and repeated identical
-- payloads in one transaction are folded into one). The relay also polls, so a lost notification only costs latency.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', NEW.partition::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_notify();
