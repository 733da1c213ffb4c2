-- Webhooks carry the user's own permanent token, the one the app was given and stored, so
-- apps can authenticate a delivery by comparing it. The clear text of each permanent token
-- is therefore kept beside its digest (lookups still go through the digest); a token leaves
-- with its row.
CREATE TABLE token_texts (
    id_token INTEGER PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
    token TEXT NOT NULL
);

-- The tokens the sandbox used to mint for webhooks are no longer sent; they stay valid
-- tokens of their users but are not kept in clear any more.
DROP TABLE webhook_tokens;

-- Why a delivery went without Authorization (the user had no valid permanent token left).
ALTER TABLE webhook_deliveries ADD COLUMN note TEXT;
