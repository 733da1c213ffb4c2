-- Wealth: the lines of investment accounts, their daily unit values, the pockets of
-- insurance and retirement lines, and brokerage market orders. All hang off the account with
-- ON DELETE CASCADE, so deleting a connection (or a user) hard-deletes them; disabling an
-- account deletes them in code. Amounts are TEXT holding an exact decimal, as elsewhere.
-- id_user and id_connection are denormalised so the user- and connection-wide lists use one
-- index each.

CREATE TABLE investments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_account INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id_user INTEGER NOT NULL,
    id_connection INTEGER NOT NULL,
    -- Identity at the bank; a sync matches lines on it.
    bank_key TEXT NOT NULL,
    label TEXT NOT NULL,
    code TEXT,
    code_type TEXT,
    stock_symbol TEXT,
    stock_market TEXT,
    quantity TEXT NOT NULL,
    unitprice TEXT NOT NULL,
    unitvalue TEXT NOT NULL,
    valuation TEXT NOT NULL,
    diff TEXT NOT NULL,
    diff_percent TEXT NOT NULL,
    prev_diff TEXT,
    prev_diff_percent TEXT,
    vdate TEXT NOT NULL,
    prev_vdate TEXT,
    portfolio_share TEXT NOT NULL,
    -- Date the line was no longer found at the bank.
    deleted TEXT,
    last_update TEXT NOT NULL,
    UNIQUE (id_account, bank_key)
);
CREATE INDEX investments_user ON investments (id_user, id);
CREATE INDEX investments_connection ON investments (id_connection, id);

-- One unit value per line and value date.
CREATE TABLE investment_values (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_investment INTEGER NOT NULL REFERENCES investments (id) ON DELETE CASCADE,
    vdate TEXT NOT NULL,
    unitvalue TEXT NOT NULL,
    UNIQUE (id_investment, vdate)
);

CREATE TABLE pockets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_investment INTEGER NOT NULL REFERENCES investments (id) ON DELETE CASCADE,
    id_account INTEGER NOT NULL,
    id_user INTEGER NOT NULL,
    id_connection INTEGER NOT NULL,
    bank_key TEXT NOT NULL,
    label TEXT NOT NULL,
    quantity TEXT NOT NULL,
    value TEXT NOT NULL,
    condition TEXT NOT NULL,
    availability_date TEXT,
    deleted TEXT,
    last_update TEXT NOT NULL,
    UNIQUE (id_investment, bank_key)
);
CREATE INDEX pockets_user ON pockets (id_user, id);

CREATE TABLE market_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    id_account INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id_user INTEGER NOT NULL,
    id_connection INTEGER NOT NULL,
    -- The order number at the broker, its identity.
    number TEXT NOT NULL,
    label TEXT NOT NULL,
    code TEXT,
    stock_symbol TEXT,
    direction TEXT NOT NULL,
    order_type TEXT NOT NULL,
    stock_market TEXT,
    state TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    date TEXT,
    execution_date TEXT,
    validity_date TEXT,
    quantity TEXT,
    amount TEXT,
    ordervalue TEXT,
    unitprice TEXT,
    unitvalue TEXT,
    deleted TEXT,
    last_update TEXT NOT NULL,
    UNIQUE (id_account, number)
);
CREATE INDEX market_orders_user ON market_orders (id_user, id);
CREATE INDEX market_orders_connection ON market_orders (id_connection, id);
