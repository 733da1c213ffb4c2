-- The aggregator's resources: connections, their sources, bank accounts, transactions and
-- sync logs. Everything hangs off users and connections with ON DELETE CASCADE, so deleting
-- a user or a connection hard-deletes what is under it, as Powens does.
-- Money is TEXT holding an exact decimal (rust_decimal has no SQLite codec); filters compare
-- CAST(value AS REAL), which is exact enough to order two-decimal amounts.

CREATE TABLE connections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id_connector INTEGER NOT NULL,
    connector_uuid TEXT NOT NULL,
    -- The PSU login at the bank: with the sandbox seed and connector, it keys the ledger.
    login TEXT NOT NULL,
    -- Field values as given (JSON object). Never returned by the API.
    credentials TEXT NOT NULL DEFAULT '{}',
    state TEXT,
    error_message TEXT,
    -- ConnectorField objects to prompt for (JSON array) in wrongpass / additionalInformationNeeded.
    fields TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    last_update TEXT,
    last_push TEXT,
    expire TEXT,
    next_try TEXT,
    -- Changes QA made to the bank behind this connection (JSON): removed and added accounts,
    -- injected transactions, outages. The generated ledger plus these is the bank.
    bank TEXT NOT NULL DEFAULT '{}',
    -- The state machine's pending step (JSON), e.g. the OTP expected or a decoupled deadline.
    pending TEXT
);
CREATE INDEX connections_user ON connections (id_user);
CREATE INDEX connections_next_try ON connections (next_try) WHERE active = 1;

CREATE TABLE connection_sources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_connection INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id_connector_source INTEGER NOT NULL,
    name TEXT NOT NULL,
    priority INTEGER NOT NULL,
    state TEXT,
    error_message TEXT,
    created TEXT NOT NULL,
    last_update TEXT,
    disabled TEXT,
    -- PSD2 consent deadline (openapi sources): consent time + 180 days.
    access_expire TEXT,
    expire TEXT,
    next_try TEXT
);
CREATE INDEX connection_sources_connection ON connection_sources (id_connection, priority);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id_connection INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id_source INTEGER REFERENCES connection_sources (id) ON DELETE SET NULL,
    -- Identity at the bank; a sync matches accounts on it.
    bank_key TEXT NOT NULL,
    webid TEXT,
    number TEXT,
    iban TEXT,
    bic TEXT,
    name TEXT NOT NULL,
    original_name TEXT NOT NULL,
    type TEXT NOT NULL,
    id_type INTEGER NOT NULL,
    currency TEXT NOT NULL,
    balance TEXT,
    coming TEXT,
    display INTEGER NOT NULL DEFAULT 1,
    bookmarked INTEGER NOT NULL DEFAULT 0,
    usage TEXT,
    company_name TEXT,
    opening_date TEXT,
    loan TEXT,
    created TEXT NOT NULL,
    last_update TEXT,
    disabled TEXT,
    deleted TEXT,
    -- Transactions fetched up to this instant (sandbox time); NULL until the first fetch.
    synced_until TEXT,
    -- Live (not deleted) transactions, kept by triggers so list totals cost nothing.
    nb_transactions INTEGER NOT NULL DEFAULT 0,
    UNIQUE (id_connection, bank_key)
);
CREATE INDEX accounts_user ON accounts (id_user);

CREATE TABLE transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_account INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Denormalised owners, so user- and connection-wide lists use one index each.
    id_user INTEGER NOT NULL,
    id_connection INTEGER NOT NULL,
    bank_key TEXT NOT NULL,
    webid TEXT,
    application_date TEXT NOT NULL,
    date TEXT NOT NULL,
    rdate TEXT NOT NULL,
    vdate TEXT,
    rdatetime TEXT,
    value TEXT NOT NULL,
    type TEXT NOT NULL,
    original_wording TEXT NOT NULL,
    simplified_wording TEXT NOT NULL,
    stemmed_wording TEXT NOT NULL,
    -- NULL means "not edited": the API shows simplified_wording.
    wording TEXT,
    card TEXT,
    counterparty TEXT,
    coming INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    comment TEXT,
    date_scraped TEXT NOT NULL,
    last_update TEXT NOT NULL,
    deleted TEXT,
    UNIQUE (id_account, bank_key)
);
-- Keyset pagination walks (scope, date DESC, id DESC) for both date filters.
CREATE INDEX transactions_user_adate ON transactions (id_user, application_date DESC, id DESC);
CREATE INDEX transactions_user_date ON transactions (id_user, date DESC, id DESC);
CREATE INDEX transactions_account_adate ON transactions (id_account, application_date DESC, id DESC);
CREATE INDEX transactions_account_date ON transactions (id_account, date DESC, id DESC);
CREATE INDEX transactions_connection_adate ON transactions (id_connection, application_date DESC, id DESC);
CREATE INDEX transactions_connection_date ON transactions (id_connection, date DESC, id DESC);
CREATE INDEX transactions_coming ON transactions (id_account) WHERE coming = 1;

CREATE TRIGGER transactions_count_insert AFTER INSERT ON transactions WHEN NEW.deleted IS NULL
BEGIN
    UPDATE accounts SET nb_transactions = nb_transactions + 1 WHERE id = NEW.id_account;
END;
CREATE TRIGGER transactions_count_delete AFTER DELETE ON transactions WHEN OLD.deleted IS NULL
BEGIN
    UPDATE accounts SET nb_transactions = nb_transactions - 1 WHERE id = OLD.id_account;
END;
CREATE TRIGGER transactions_count_deleted AFTER UPDATE OF deleted ON transactions
    WHEN (OLD.deleted IS NULL) <> (NEW.deleted IS NULL)
BEGIN
    UPDATE accounts SET nb_transactions = nb_transactions + (CASE WHEN NEW.deleted IS NULL THEN 1 ELSE -1 END)
    WHERE id = NEW.id_account;
END;

CREATE TABLE connection_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_user INTEGER NOT NULL,
    id_connection INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    id_connector INTEGER NOT NULL,
    id_source INTEGER,
    timestamp TEXT NOT NULL,
    start TEXT NOT NULL,
    next_try TEXT,
    state TEXT,
    error_message TEXT,
    nb_accounts INTEGER NOT NULL DEFAULT 0,
    nb_transactions INTEGER NOT NULL DEFAULT 0,
    psu_requested INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX connection_logs_connection ON connection_logs (id_connection, timestamp DESC, id DESC);
