-- Module: warn. Cross-border notifications between the three health authorities.
--
-- The signed payload (canonical JSON: kind, from, to, created_at, subject, body, …) is the
-- message; the other columns repeat some of its fields for the inbox queries and are checked
-- against it on every read, so editing either is detected.

CREATE TABLE hb_notifications (
    id @PK@,
    kind TEXT NOT NULL CHECK (kind IN ('daily', 'alert', 'reminder')),
    from_jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    to_jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    created_at TEXT NOT NULL,
    dedup_key TEXT NOT NULL,          -- what makes it unique: the run date, alert and level, …
    payload TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL,          -- base64 DER ECDSA P-256 / SHA-256 over payload
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    reminders BIGINT NOT NULL DEFAULT 0,
    last_reminded_at TEXT,
    reminder_of BIGINT REFERENCES hb_notifications (id),
    UNIQUE (kind, from_jurisdiction, to_jurisdiction, dedup_key)
);
CREATE INDEX hb_notifications_inbox ON hb_notifications (to_jurisdiction, created_at);
