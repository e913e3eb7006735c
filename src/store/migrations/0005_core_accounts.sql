-- Module: core. Who uses healthybay and what they did: organisations and their API tokens, the
-- hash-chained audit log (core/audit.h) and the stored responses of POST requests that carried
-- an Idempotency-Key (core/idempotency.h). Every server process sharing the database reads these,
-- so none keeps such state of its own.
--
-- Organisation kinds and roles are checked by the program (core/accounts.c), not by CHECK
-- constraints, so a module can add one without rebuilding a table on SQLite.

CREATE TABLE hb_orgs (
    code TEXT PRIMARY KEY,            -- stable lowercase identifier: hk-dh, gd-szph
    name TEXT NOT NULL,
    kind TEXT NOT NULL,               -- health_authority, hospital, clinic, blood_centre, …
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    created_at TEXT NOT NULL
);
CREATE INDEX hb_orgs_jurisdiction ON hb_orgs (jurisdiction, code);

CREATE TABLE hb_tokens (
    id TEXT PRIMARY KEY,              -- the public part of the token: 16 hex digits
    org TEXT NOT NULL REFERENCES hb_orgs (code),
    roles TEXT NOT NULL,              -- comma-separated role names
    secret_sha256 TEXT NOT NULL,      -- hex SHA-256 of the secret part; the secret is not stored
    label TEXT NOT NULL,              -- what the token is for: "LIS upload job", "Dr Chan"
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT                   -- NULL while valid
);
CREATE INDEX hb_tokens_org ON hb_tokens (org, id);

CREATE TABLE hb_audit (
    seq BIGINT PRIMARY KEY,           -- 1, 2, 3 … in append order
    at TEXT NOT NULL,
    org TEXT,                         -- acting organisation; NULL for the command-line operator
    jurisdiction TEXT,
    token_id TEXT,
    source TEXT NOT NULL,             -- "http <address>" or "cli <user>"
    action TEXT NOT NULL,             -- org.create, token.revoke, audit.read …
    object TEXT NOT NULL,             -- org/hk-qmh, token/<id>
    outcome TEXT NOT NULL,            -- ok, denied, rejected, failed
    prev_hash TEXT NOT NULL,          -- the previous entry's hash (64 zeros for the first)
    hash TEXT NOT NULL UNIQUE         -- SHA-256(prev_hash || canonical fields)
);
CREATE INDEX hb_audit_jurisdiction ON hb_audit (jurisdiction, seq);
CREATE INDEX hb_audit_org ON hb_audit (org, seq);

CREATE TABLE hb_idempotency (
    org TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,     -- of method, path and body: a reused key must match
    status BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    location TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org, idem_key)
);
CREATE INDEX hb_idempotency_created ON hb_idempotency (org, created_at);
