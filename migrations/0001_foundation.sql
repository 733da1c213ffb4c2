-- Foundation: the sandbox clock, client applications, connector settings, users and their
-- credentials. Timestamps are TEXT in Powens' "YYYY-MM-DD HH:MM:SS" form (UTC, sandbox time)
-- so that they sort and compare as strings.

-- The sandbox clock's persisted setting (one row). offset_ms is added to real time unless
-- frozen_at is set.
CREATE TABLE sandbox_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    offset_ms INTEGER NOT NULL DEFAULT 0,
    frozen_at TEXT
);
INSERT INTO sandbox_clock (id, offset_ms, frozen_at) VALUES (1, 0, NULL);

-- Client applications (seeded; the default one's credentials come from the config).
-- redirect_uris is a JSON array; an empty array allows any redirect_uri.
CREATE TABLE client_apps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    client_secret TEXT NOT NULL,
    name TEXT NOT NULL,
    redirect_uris TEXT NOT NULL DEFAULT '[]'
);

-- Per-domain connector settings changed through the config token (PUT /connectors/{uuid}).
-- The catalogue itself is read from seed files at start; this only holds overrides.
CREATE TABLE connector_settings (
    id_connector INTEGER PRIMARY KEY,
    hidden INTEGER
);

-- Users. AUTOINCREMENT so ids are never reused after a delete, as in Powens.
-- kind: 'permanent' or 'temporary' (anonymous, purged 30 minutes after creation).
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    signin TEXT NOT NULL,
    platform TEXT NOT NULL DEFAULT 'sharedAccess',
    kind TEXT NOT NULL CHECK (kind IN ('permanent', 'temporary')),
    expires_at TEXT,
    id_client_app INTEGER REFERENCES client_apps (id) ON DELETE SET NULL
);

-- Access tokens, stored as SHA-256 hex digests: a leaked database gives no usable token.
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('permanent', 'temporary')),
    created TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE INDEX tokens_user ON tokens (id_user);

-- Temporary codes (GET /auth/token/code): 'standard' (requestAccess) or 'single' (singleAccess).
CREATE TABLE auth_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash TEXT NOT NULL UNIQUE,
    access TEXT NOT NULL CHECK (access IN ('standard', 'single')),
    created TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX auth_codes_user ON auth_codes (id_user);
