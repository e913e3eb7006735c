-- Module: core. The public halves of the jurisdictions' signing keys (core/signing.h), so every
-- receiver can verify what a jurisdiction signed. Private keys never enter the database.

CREATE TABLE hb_signing_keys (
    key_id TEXT PRIMARY KEY,          -- hex, first 8 bytes of SHA-256 of the DER public key
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    purpose TEXT NOT NULL CHECK (purpose IN ('notification')),
    public_key TEXT NOT NULL,         -- PEM SubjectPublicKeyInfo
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
