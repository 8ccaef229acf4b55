-- 0001: channels, the first table. Applied by SchemaMigrator in one transaction; never edit once applied,
-- add 0002_... instead (the migrator refuses to start when an applied file's checksum changes).

CREATE TABLE channels (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- COLLATE "C": byte order, so keyset paging by slug is stable and the unique index serves `slug > $1 ORDER BY slug`.
    slug         text        COLLATE "C" NOT NULL,
    display_name text        NOT NULL,
    title        text        NOT NULL DEFAULT '',
    is_live      boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT channels_slug_key UNIQUE (slug),
    -- Same rule as ChannelSlug.Pattern in code (a unit test keeps them equal).
    CONSTRAINT channels_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9_-]{1,30}[a-z0-9]$')
);

-- The home page lists live channels; only a small share of channels is live at a time.
CREATE INDEX channels_live_slug ON channels (slug) WHERE is_live;
