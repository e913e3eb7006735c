-- Module: warn. Reported surveillance counts with their full revision history.
--
-- hb_counts holds the current value of every (region, disease, measure, age group, sex, date);
-- hb_count_revisions keeps every value that a later report replaced, so back-filled and corrected
-- data can always be traced. hb_ingest_batches records each file or request that was accepted.

CREATE TABLE hb_measures (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('count', 'rate')),
    unit TEXT NOT NULL,
    name_en TEXT NOT NULL
);
INSERT INTO hb_measures (code, kind, unit, name_en) VALUES
    ('cases', 'count', 'cases', 'Notified cases'),
    ('deaths', 'count', 'deaths', 'Deaths'),
    ('admissions', 'count', 'admissions', 'Hospital admissions'),
    ('positives', 'count', 'specimens', 'Laboratory-positive specimens'),
    ('ili_rate', 'rate', 'per 1,000 consultations', 'Influenza-like illness consultation rate'),
    ('positivity', 'rate', 'percent', 'Share of tested specimens that were positive (0-100)');

CREATE TABLE hb_ingest_batches (
    id @PK@,
    source TEXT NOT NULL,             -- file name or "api"
    organisation TEXT,                -- the reporting organisation, when known
    received_at TEXT NOT NULL,
    rows_total BIGINT NOT NULL,
    rows_new BIGINT NOT NULL,
    rows_revised BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL
);

CREATE TABLE hb_counts (
    region TEXT NOT NULL REFERENCES hb_regions (code),
    disease TEXT NOT NULL REFERENCES hb_diseases (code),
    measure TEXT NOT NULL REFERENCES hb_measures (code),
    age_group TEXT NOT NULL,          -- 'all', '0-4', '65+' …
    sex TEXT NOT NULL CHECK (sex IN ('all', 'female', 'male', 'unknown')),
    date TEXT NOT NULL,               -- start of the reporting period, YYYY-MM-DD
    value @REAL@ NOT NULL,
    revision BIGINT NOT NULL,         -- 1 for the first report, +1 for each correction
    batch_id BIGINT NOT NULL REFERENCES hb_ingest_batches (id),
    PRIMARY KEY (region, disease, measure, age_group, sex, date)
);
CREATE INDEX hb_counts_series ON hb_counts (disease, measure, region, age_group, sex, date);

CREATE TABLE hb_count_revisions (
    region TEXT NOT NULL,
    disease TEXT NOT NULL,
    measure TEXT NOT NULL,
    age_group TEXT NOT NULL,
    sex TEXT NOT NULL,
    date TEXT NOT NULL,
    revision BIGINT NOT NULL,         -- the revision this value was
    value @REAL@ NOT NULL,
    batch_id BIGINT NOT NULL REFERENCES hb_ingest_batches (id),
    replaced_by_batch BIGINT NOT NULL REFERENCES hb_ingest_batches (id),
    PRIMARY KEY (region, disease, measure, age_group, sex, date, revision)
);
