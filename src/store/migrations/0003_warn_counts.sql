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
    ('imported_cases', 'count', 'cases', 'Notified cases acquired outside the region'),
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

-- The primary key leads with disease and measure: the daily run reads one (disease, measure) at
-- a time, every region's series in order. On SQLite the table is clustered on that key (WITHOUT
-- ROWID), so a row is one b-tree insert instead of three.
CREATE TABLE hb_counts (
    disease TEXT NOT NULL REFERENCES hb_diseases (code),
    measure TEXT NOT NULL REFERENCES hb_measures (code),
    region TEXT NOT NULL REFERENCES hb_regions (code),
    age_group TEXT NOT NULL,          -- 'all', '0-4', '65+' …
    sex TEXT NOT NULL CHECK (sex IN ('all', 'female', 'male', 'unknown')),
    date TEXT NOT NULL,               -- start of the reporting period, YYYY-MM-DD
    value @REAL@ NOT NULL,
    revision BIGINT NOT NULL,         -- 1 for the first report, +1 for each correction
    batch_id BIGINT NOT NULL REFERENCES hb_ingest_batches (id),
    PRIMARY KEY (disease, measure, region, age_group, sex, date)
) @WITHOUT_ROWID@;

CREATE TABLE hb_count_revisions (
    disease TEXT NOT NULL,
    measure TEXT NOT NULL,
    region TEXT NOT NULL,
    age_group TEXT NOT NULL,
    sex TEXT NOT NULL,
    date TEXT NOT NULL,
    revision BIGINT NOT NULL,         -- the revision this value was
    value @REAL@ NOT NULL,
    batch_id BIGINT NOT NULL REFERENCES hb_ingest_batches (id),
    replaced_by_batch BIGINT NOT NULL REFERENCES hb_ingest_batches (id),
    PRIMARY KEY (disease, measure, region, age_group, sex, date, revision)
);
