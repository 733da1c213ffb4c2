-- Webauth and webview: the flows a browser goes through, and the control-plane setting that
-- decides the bank's answer without one. Flows are rows, not memory, so a restart in the
-- middle of a flow keeps it. Their ids are random (hex) because the id in a page's URL is
-- all that lets a browser continue the flow: it must not be guessable.

-- Sandbox-wide settings changed through the control plane; value is JSON.
-- 'webauth_auto': {"auto": "approve"|"refuse"|"server_error", "remaining": N|null}.
CREATE TABLE sandbox_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One webauth flow: opened by GET /2.0/webauth once its parameters are checked, ended once
-- by the bank's consent page (approved, refused or failed). Either id_connector (a new
-- connection) or id_connection (resuming one) is set.
CREATE TABLE webauth_sessions (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    state TEXT,
    id_user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id_connector INTEGER NOT NULL,
    id_connection INTEGER REFERENCES connections (id) ON DELETE CASCADE,
    -- The connector source named by ?source=, if any.
    source TEXT,
    created TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended TEXT
);
CREATE INDEX webauth_sessions_user ON webauth_sessions (id_user);

-- One visit of a webview flow (connect, reconnect, manage): the checked parameters, the user
-- the pages act for, and the connections made so far.
CREATE TABLE webview_sessions (
    id TEXT PRIMARY KEY,
    flow TEXT NOT NULL CHECK (flow IN ('connect', 'reconnect', 'manage')),
    lang TEXT NOT NULL,
    client_id TEXT NOT NULL,
    -- Checked against the client application; NULL only for manage without a close button.
    redirect_uri TEXT,
    state TEXT,
    id_user INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 1 when the webview created the user (no code was given): the callback carries a code.
    new_user INTEGER NOT NULL DEFAULT 0,
    -- The flow's other parameters (JSON object): connector_uuids, account_types, ...
    params TEXT NOT NULL DEFAULT '{}',
    -- Connections made or resumed in this visit (JSON array of ids), and deleted ones.
    connections TEXT NOT NULL DEFAULT '[]',
    deleted TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended TEXT
);
CREATE INDEX webview_sessions_user ON webview_sessions (id_user);
