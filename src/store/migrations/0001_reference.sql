-- Module: core. Reference data shared by every module: the three jurisdictions, their regions,
-- the notifiable diseases and the public-holiday calendars. Loaded from data/*.csv by the
-- migration that follows this one; codes are the stable identifiers every other table uses.

CREATE TABLE hb_jurisdictions (
    code TEXT PRIMARY KEY,            -- GD, HK, MO
    name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_pt TEXT,
    currency TEXT NOT NULL,           -- ISO 4217
    languages TEXT NOT NULL           -- BCP 47 tags, ';'-separated, official first
);

CREATE TABLE hb_regions (
    code TEXT PRIMARY KEY,            -- GB/T 2260 for mainland cities, HK-x districts, MO-xxx parishes
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    level TEXT NOT NULL CHECK (level IN ('jurisdiction', 'city', 'district', 'parish', 'area')),
    parent TEXT REFERENCES hb_regions (code),
    name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_pt TEXT,
    population BIGINT,
    population_year BIGINT,
    population_source TEXT
);
CREATE INDEX hb_regions_jurisdiction ON hb_regions (jurisdiction, level);

CREATE TABLE hb_diseases (
    code TEXT PRIMARY KEY,            -- stable short code: influenza, covid19, dengue, hfmd …
    name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_pt TEXT,
    icd10 TEXT,                       -- ';'-separated ICD-10 codes
    gd_class TEXT,                    -- mainland class A, B or C; NULL when not notifiable there
    hk_notifiable BIGINT NOT NULL CHECK (hk_notifiable IN (0, 1)),
    mo_notifiable BIGINT CHECK (mo_notifiable IN (0, 1)), -- NULL: not established from the law text
    transmission TEXT NOT NULL
);

CREATE TABLE hb_holidays (
    date TEXT NOT NULL,               -- YYYY-MM-DD
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name_en TEXT NOT NULL,
    name_zh TEXT,
    PRIMARY KEY (date, jurisdiction)
);
