-- 0006: Web's own tables (docs/web.md). Web keeps its browser sessions server-side (the cookie names a row here)
-- and its ASP.NET Core data-protection keys, so restarts and several Web replicas share both. Api applies this
-- migration with the rest of the schema at start-up; Web waits for Api, so the tables exist before Web uses them.
-- No foreign key to users: these rows are Web's cache of what Api said at sign-in, and Api never reads them.

CREATE TABLE web_sessions (
    -- SHA-256 of the 32 random bytes the cookie carries (data-protected): a database dump names no live session.
    id_hash           bytea       PRIMARY KEY,
    user_id           uuid        NOT NULL,
    username          text        NOT NULL,
    role              text        NOT NULL,
    -- The deviceId Web logged in with: one per session, so "sign out" here ends this session's refresh token only.
    device_id         text        NOT NULL UNIQUE,
    -- Both tokens are data-protected (Web's keys below): the refresh token is a 30-day credential.
    refresh_token     text        NOT NULL,
    access_token      text        NOT NULL,
    access_expires_at timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    last_seen_at      timestamptz NOT NULL DEFAULT now(),
    -- When the refresh token expires unused; every refresh moves it on.
    expires_at        timestamptz NOT NULL,
    CONSTRAINT web_sessions_id_hash_length CHECK (octet_length(id_hash) = 32)
);

CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

-- ASP.NET Core data-protection key ring (IXmlRepository): one XML element per key, never updated, only added.
CREATE TABLE web_data_protection_keys (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text        NOT NULL,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
