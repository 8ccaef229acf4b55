-- 0002: accounts, refresh tokens, email tokens and the development mail outbox (docs/accounts.md).

CREATE TABLE users (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The name as the user typed it (display) and its lower-case form, which is what makes names unique
    -- case-insensitively and what logins look up. Same rule as AccountRules.UsernamePattern in code.
    username            text        NOT NULL,
    username_normalized text        COLLATE "C" NOT NULL,
    -- Stored normalized (trimmed, lower-case): one address, one account.
    email               text        COLLATE "C" NOT NULL,
    password_hash       text        NOT NULL,
    email_verified_at   timestamptz,
    global_role         text        NOT NULL DEFAULT 'user',
    -- Tokens carry the version they were issued under (claim sv); bumping it revokes every older token.
    session_version     integer     NOT NULL DEFAULT 1,
    banned_at           timestamptz,
    ban_reason          text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_username_key UNIQUE (username_normalized),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_username_format CHECK (username_normalized ~ '^[a-z0-9_]{3,32}$' AND lower(username) = username_normalized),
    CONSTRAINT users_email_format CHECK (email = lower(email) AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$' AND length(email) <= 254),
    CONSTRAINT users_global_role_check CHECK (global_role IN ('user', 'admin')),
    CONSTRAINT users_session_version_check CHECK (session_version >= 1)
);

-- The first-admin check at start-up asks "is there any admin?".
CREATE INDEX users_admins ON users (id) WHERE global_role = 'admin';

-- One refresh token per (user, device); rotation replaces token_hash in place.
CREATE TABLE refresh_tokens (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id    text        NOT NULL,
    -- SHA-256 of the 32 random bytes the client holds; the token itself is never stored.
    token_hash   bytea       NOT NULL,
    expires_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    CONSTRAINT refresh_tokens_user_device_key UNIQUE (user_id, device_id),
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);

-- Hashes of refresh tokens already rotated away, kept until they would have expired: presenting one again is
-- reuse (a stolen copy or a replay) and ends that device's session.
CREATE TABLE retired_refresh_tokens (
    token_hash bytea       PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id  text        NOT NULL,
    expires_at timestamptz NOT NULL,
    retired_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX retired_refresh_tokens_expiry ON retired_refresh_tokens (expires_at);

CREATE TABLE email_tokens (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL,
    token_hash bytea       NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT email_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT email_tokens_purpose_check CHECK (purpose IN ('verify_email', 'reset_password'))
);

CREATE INDEX email_tokens_user ON email_tokens (user_id);

-- Development and Testing only: mail that would have been sent, readable at GET /api/dev/mail.
CREATE TABLE dev_mail_outbox (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_address text        COLLATE "C" NOT NULL,
    subject    text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX dev_mail_outbox_to ON dev_mail_outbox (to_address, id DESC);
