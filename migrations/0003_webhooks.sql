-- Webhooks: auth providers, subscriptions, the outbox of events and one delivery row per
-- (event, subscription). Events are written in the same transaction as the change that
-- caused them, so a committed change always has its events and a rolled-back one never does.
-- Events carry plain user/connection ids (no foreign keys): USER_DELETED and
-- CONNECTION_DELETED must outlive what they describe.

CREATE TABLE webhook_auth (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    secret_key TEXT NOT NULL,
    created TEXT NOT NULL
);

-- event NULL means every event. origin: 'config' (from flags, refreshed at start) or 'api'.
-- A subscription pauses after 10 consecutive failures until the next flush.
CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL,
    event TEXT,
    id_auth INTEGER REFERENCES webhook_auth (id) ON DELETE SET NULL,
    origin TEXT NOT NULL DEFAULT 'api',
    active INTEGER NOT NULL DEFAULT 1,
    paused INTEGER NOT NULL DEFAULT 0,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);

CREATE TABLE webhook_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event TEXT NOT NULL,
    id_user INTEGER,
    id_connection INTEGER,
    payload TEXT NOT NULL,
    created TEXT NOT NULL,
    -- Real time (unix ms) of the change, to measure the delay until delivery.
    created_ms INTEGER NOT NULL
);

-- id is the payload's id_webhook_data: the same on every retry of this delivery.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_event INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    id_subscription INTEGER NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    -- Deliveries with the same key go out in order (a connection's, else a user's).
    order_key TEXT NOT NULL,
    -- The Authorization value when the subscription signs with the user's token.
    bearer TEXT,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    headers TEXT,
    latency_ms REAL,
    delivered_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_ms, id);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (id_subscription, order_key, status, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (id_event);

-- A permanent token per user, minted for webhook Authorization headers. Its clear text is
-- kept because Powens sends the user's token to the receiver; it is a valid token.
CREATE TABLE webhook_tokens (
    id_user INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token TEXT NOT NULL
);

-- The built-in receiver, for setups with no public URL.
CREATE TABLE webhook_sink (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    received TEXT NOT NULL
);
