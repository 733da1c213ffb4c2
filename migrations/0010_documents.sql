-- The Bill product: subscriptions (a provider contract, or a bank account's statements) and
-- their documents, each with its file. They hang off the connection with ON DELETE CASCADE,
-- so deleting a connection (or its user) hard-deletes them, as Powens does; disabling a
-- subscription deletes its documents in the engine.
-- Amounts are TEXT holding an exact decimal, as on transactions.

CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id_connection INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id_source INTEGER REFERENCES connection_sources (id) ON DELETE SET NULL,
    -- Identity at the provider; a sync matches subscriptions on it.
    bank_key TEXT NOT NULL,
    number TEXT,
    label TEXT NOT NULL,
    subscriber TEXT,
    validity TEXT,
    renewdate TEXT,
    last_update TEXT,
    deleted TEXT,
    -- Disabled by default (the discovery time) until the PSU consents.
    disabled TEXT,
    error TEXT,
    -- The last sync that read its documents; documents issued up to it are stored.
    synced_until TEXT,
    UNIQUE (id_connection, bank_key)
);
CREATE INDEX subscriptions_user ON subscriptions (id_user, id);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id_connection INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id_subscription INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    -- Identity at the provider: a document is stored once.
    bank_key TEXT NOT NULL,
    id_type INTEGER NOT NULL,
    name TEXT,
    -- The document's date (a Date; the API writes it as `YYYY-MM-DD 00:00:00`).
    date TEXT NOT NULL,
    duedate TEXT,
    timestamp TEXT NOT NULL,
    total_amount TEXT,
    untaxed_amount TEXT,
    vat TEXT,
    income INTEGER NOT NULL DEFAULT 0,
    readonly INTEGER NOT NULL DEFAULT 1,
    number TEXT,
    issuer TEXT,
    last_update TEXT,
    currency TEXT,
    UNIQUE (id_subscription, bank_key)
);
CREATE INDEX documents_user ON documents (id_user, date, id);

-- The file of a document (its PDF), rendered once when the document is stored, so a
-- download serves the same bytes every time. `id` is the document's `id_file`.
CREATE TABLE document_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_document INTEGER NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    filename TEXT NOT NULL,
    bytes BLOB NOT NULL
);
