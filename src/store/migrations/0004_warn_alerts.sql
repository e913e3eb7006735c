-- Module: warn. Alerts: what the early-warning rules raise, and what officers do about them.
--
-- An alert belongs to the jurisdiction where it arises and follows one ongoing event in one series
-- (region × disease × measure × age group × sex): repeated signals extend it (last_date, level)
-- instead of opening new ones. hb_alert_events is its history: every signal, level change,
-- workflow action and comment, in order.

CREATE TABLE hb_alerts (
    id @PK@,
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    region TEXT NOT NULL REFERENCES hb_regions (code),
    disease TEXT NOT NULL REFERENCES hb_diseases (code),
    measure TEXT NOT NULL REFERENCES hb_measures (code),
    age_group TEXT NOT NULL,
    sex TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('watch', 'warning', 'alert')),
    max_level TEXT NOT NULL CHECK (max_level IN ('watch', 'warning', 'alert')),
    status TEXT NOT NULL CHECK (status IN ('new', 'assessing', 'confirmed', 'dismissed', 'closed')),
    first_date TEXT NOT NULL,         -- the first period that signalled
    last_date TEXT NOT NULL,          -- the latest period that signalled
    evidence TEXT NOT NULL,           -- the numbers behind the latest signal, human-readable
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hb_alerts_series ON hb_alerts (disease, measure, region, age_group, sex, status);
CREATE INDEX hb_alerts_listing ON hb_alerts (jurisdiction, status, last_date);

CREATE TABLE hb_alert_events (
    id @PK@,
    alert_id BIGINT NOT NULL REFERENCES hb_alerts (id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,              -- "daily-run", or the organisation and token of an officer
    action TEXT NOT NULL CHECK (action IN ('signal', 'assess', 'confirm', 'dismiss', 'close',
                                           'reopen', 'comment')),
    level TEXT,                       -- for signals: the level the signal had
    period TEXT,                      -- for signals: the period that signalled
    comment TEXT
);
CREATE INDEX hb_alert_events_alert ON hb_alert_events (alert_id, id);
