-- Module: blood. Reference data of the rare-blood exchange, loaded from data/blood/*.csv by the
-- migration that follows: ISBT blood group systems and the antigens we type (with their bit in
-- the stored phenotype masks), rare types with their frequencies in Southern Chinese populations
-- and sources, and the blood centres of the three jurisdictions with their positions (for
-- ranking by distance).

CREATE TABLE hb_blood_systems (
    code TEXT PRIMARY KEY,            -- ISBT system symbol: JK
    number BIGINT NOT NULL UNIQUE,    -- ISBT system number: 9
    name TEXT NOT NULL,
    genes TEXT NOT NULL               -- ';'-separated HGNC symbols
);

CREATE TABLE hb_blood_antigens (
    code TEXT PRIMARY KEY,            -- as written in phenotypes: Jka, c, Vel
    system TEXT NOT NULL REFERENCES hb_blood_systems (code),
    isbt_number TEXT NOT NULL UNIQUE, -- six digits: 009001
    isbt_name TEXT NOT NULL UNIQUE,   -- JK1
    prevalence_percent @REAL@,        -- antigen-positive, in the population below; NULL = not sourced
    prevalence_population TEXT,
    prevalence_source TEXT,
    note TEXT,
    bit BIGINT UNIQUE                 -- position in the phenotype masks (src/blood/phenotype.c)
);

CREATE TABLE hb_blood_rare_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,               -- Jk(a-b-), Oh (Bombay) …
    rhd TEXT CHECK (rhd IN ('neg')),  -- the type is RhD negative (RhD is not in the phenotype)
    phenotype TEXT,                   -- the profile in healthybay's notation
    patient_needs TEXT,               -- antigens a patient with the antibody needs absent: Jk3
    frequency @REAL@,                 -- fraction of the population below; NULL = no figure found
    frequency_text TEXT,
    population TEXT,
    source TEXT,
    evidence TEXT                     -- abstract | secondary | NULL (see data/README.md)
);

CREATE TABLE hb_blood_centres (
    code TEXT PRIMARY KEY,            -- the blood centre's organisation code: gd-gzbc, hk-rcbts
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    region TEXT NOT NULL REFERENCES hb_regions (code),
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    latitude @REAL@ NOT NULL,
    longitude @REAL@ NOT NULL
);
