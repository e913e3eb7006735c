-- Module: vaccine. Vaccination records of cross-border residents, the vaccine products the
-- GBA uses, each jurisdiction's recognition rules (versioned), the trust list of certificate
-- signers and the log of issued certificates. Persons appear only as pseudonyms.

CREATE TABLE hb_vaccine_products (
    code TEXT PRIMARY KEY,            -- DCC value set (EU/1/20/1528, CoronaVac …) or GBA-… when missing there
    name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    manufacturer TEXT NOT NULL,       -- DCC vaccine-mah-manf code or GBA-…
    manufacturer_name TEXT NOT NULL,
    prophylaxis TEXT NOT NULL,        -- DCC vaccine-prophylaxis SNOMED CT code
    platform TEXT NOT NULL CHECK (platform IN ('mrna', 'inactivated', 'viral_vector', 'protein')),
    in_dcc_valueset BIGINT NOT NULL CHECK (in_dcc_valueset IN (0, 1)),
    source TEXT NOT NULL
);

CREATE TABLE hb_vaccine_rules (
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    version TEXT NOT NULL,
    effective_from TEXT NOT NULL,     -- YYYY-MM-DD, first day the version applies
    effective_to TEXT,                -- YYYY-MM-DD, first day it no longer applies; NULL = open
    product TEXT NOT NULL REFERENCES hb_vaccine_products (code),
    primary_doses BIGINT NOT NULL CHECK (primary_doses >= 1),
    min_interval_days BIGINT NOT NULL CHECK (min_interval_days >= 0),
    full_after_days BIGINT NOT NULL CHECK (full_after_days >= 0),
    validity_days BIGINT,             -- primary course without booster; NULL = no limit
    booster_validity_days BIGINT,     -- after a booster; NULL = no limit
    source TEXT NOT NULL,
    PRIMARY KEY (jurisdiction, version, product)
);

CREATE TABLE hb_vaccine_doses (
    id @PK@,
    person TEXT NOT NULL,             -- pseudonym (see `healthybay vaccine pseudonym`)
    residence TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    product TEXT NOT NULL REFERENCES hb_vaccine_products (code),
    manufacturer TEXT NOT NULL,
    dose_number BIGINT NOT NULL CHECK (dose_number >= 1),
    series_doses BIGINT NOT NULL CHECK (series_doses >= 1),
    date TEXT NOT NULL,               -- YYYY-MM-DD
    administered_in TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    site TEXT NOT NULL,
    region TEXT REFERENCES hb_regions (code),
    lot TEXT,
    recorded_at TEXT NOT NULL,
    UNIQUE (person, date, product)
);
CREATE INDEX hb_vaccine_doses_person ON hb_vaccine_doses (person, date);
CREATE INDEX hb_vaccine_doses_coverage ON hb_vaccine_doses (administered_in, residence, date);

CREATE TABLE hb_vaccine_trust (
    sha256 TEXT PRIMARY KEY,          -- hex SHA-256 of the DER certificate
    kid TEXT NOT NULL,                -- hex, its first 8 bytes
    jurisdiction TEXT NOT NULL,       -- whose signer (GD, HK, MO, or a foreign country code)
    certificate @BLOB@ NOT NULL,      -- DER
    not_after TEXT NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TABLE hb_vaccine_certificates (
    uvci TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    dose_id BIGINT NOT NULL REFERENCES hb_vaccine_doses (id),
    kid TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX hb_vaccine_certificates_person ON hb_vaccine_certificates (person);
