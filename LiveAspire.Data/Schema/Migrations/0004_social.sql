-- 0004: channels get owners and metadata; streams (broadcasts, later VODs), follows, subscriptions, moderators,
-- emotes and overlay keys (docs/channels.md). 0003 is the outbox (another branch).

-- owner_id is nullable only for channels that predate owners (created by 0001-era tooling): they are admin-managed.
ALTER TABLE channels
    ADD COLUMN owner_id        uuid        REFERENCES users (id) ON DELETE RESTRICT,
    ADD COLUMN category        text        NOT NULL DEFAULT '',
    ADD COLUMN description     text        NOT NULL DEFAULT '',
    ADD COLUMN avatar_url      text,
    ADD COLUMN settings        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN allow_anonymous boolean     NOT NULL DEFAULT true,
    -- One channel per performer.
    ADD CONSTRAINT channels_owner_key UNIQUE (owner_id),
    ADD CONSTRAINT channels_settings_object CHECK (jsonb_typeof(settings) = 'object');

-- A stream is one broadcast; its id becomes the VOD id when it ends. duration is derived, so it can never
-- disagree with the two timestamps.
CREATE TABLE streams (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    channel_id uuid        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    title      text        NOT NULL DEFAULT '',
    category   text        NOT NULL DEFAULT '',
    started_at timestamptz NOT NULL DEFAULT now(),
    ended_at   timestamptz,
    duration   interval    GENERATED ALWAYS AS (ended_at - started_at) STORED,
    CONSTRAINT streams_end_after_start CHECK (ended_at IS NULL OR ended_at >= started_at)
);

-- At most one open broadcast per channel: two concurrent "go live" requests cannot both win.
CREATE UNIQUE INDEX streams_one_open ON streams (channel_id) WHERE ended_at IS NULL;
-- A channel's VODs, newest first (keyset on started_at, id).
CREATE INDEX streams_vods ON streams (channel_id, started_at DESC, id DESC) WHERE ended_at IS NOT NULL;

-- channels.is_live mirrors "has an open stream", in the same transaction as the stream change, whoever writes it.
CREATE FUNCTION streams_sync_channel_live() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.channel_id ELSE NEW.channel_id END;
BEGIN
    UPDATE channels
       SET is_live = EXISTS (SELECT 1 FROM streams WHERE channel_id = target AND ended_at IS NULL)
     WHERE id = target;
    RETURN NULL;
END
$$;

CREATE TRIGGER streams_sync_channel_live AFTER INSERT OR DELETE OR UPDATE OF ended_at ON streams
    FOR EACH ROW EXECUTE FUNCTION streams_sync_channel_live();

CREATE TABLE follows (
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel_id  uuid        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    followed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, channel_id)
);

-- Followers of a channel and channels of a user, newest first (keyset on followed_at plus the other id).
CREATE INDEX follows_channel ON follows (channel_id, followed_at DESC, user_id DESC);
CREATE INDEX follows_user ON follows (user_id, followed_at DESC, channel_id DESC);

-- A subscription is a period, not a flag: renewals add rows, and "subscriber now" is a range check.
CREATE TABLE subscriptions (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel_id   uuid        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    tier         smallint    NOT NULL,
    period_start timestamptz NOT NULL,
    period_end   timestamptz NOT NULL,
    source       text        NOT NULL,
    granted_by   uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_tier_check CHECK (tier BETWEEN 1 AND 3),
    CONSTRAINT subscriptions_period_check CHECK (period_end > period_start),
    -- Paid subscriptions come with the wallet (a later migration widens this list).
    CONSTRAINT subscriptions_source_check CHECK (source IN ('admin_grant'))
);

CREATE INDEX subscriptions_user_channel ON subscriptions (user_id, channel_id, period_end DESC);
CREATE INDEX subscriptions_user_created ON subscriptions (user_id, created_at DESC, id DESC);

CREATE TABLE channel_moderators (
    channel_id   uuid        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    appointed_at timestamptz NOT NULL DEFAULT now(),
    appointed_by uuid        REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (channel_id, user_id)
);

CREATE INDEX channel_moderators_user ON channel_moderators (user_id);

-- channel_id NULL: a global emote. Codes are unique per scope (NULLS NOT DISTINCT makes the global scope one scope).
CREATE TABLE emotes (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    channel_id   uuid        REFERENCES channels (id) ON DELETE CASCADE,
    code         text        COLLATE "C" NOT NULL,
    content_type text        NOT NULL,
    image        bytea       NOT NULL,
    -- SHA-256 of image: the strong ETag.
    sha256       bytea       NOT NULL,
    created_by   uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT emotes_scope_code_key UNIQUE NULLS NOT DISTINCT (channel_id, code),
    CONSTRAINT emotes_code_format CHECK (code ~ '^[A-Za-z][A-Za-z0-9]{1,24}$'),
    CONSTRAINT emotes_content_type_check CHECK (content_type IN ('image/png', 'image/gif', 'image/webp')),
    CONSTRAINT emotes_image_size CHECK (octet_length(image) BETWEEN 1 AND 262144)
);

-- Only the SHA-256 of a key is stored; the key is shown once. Rotation revokes the old row and links the new one.
CREATE TABLE overlay_keys (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    channel_id   uuid        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    key_hash     bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    rotated_from uuid        REFERENCES overlay_keys (id) ON DELETE SET NULL,
    CONSTRAINT overlay_keys_key_hash_key UNIQUE (key_hash)
);

CREATE INDEX overlay_keys_channel ON overlay_keys (channel_id, created_at DESC);
