-- Module: settle. Who takes part in cross-border settlement, and the dated rules that decide
-- claims. Loaded from data/settle/*.csv by the migration after the tables (and reloaded with
-- `healthybay settle reference import`): a policy change is a data change.
--
-- Payers are institutions that owe money for care: insurers, the HK Elderly Health Care Voucher
-- scheme, social insurance funds, and liaison bodies. A provider is paid locally by its liaison
-- payer, which then claims from the payer that owes (the EU model: the institution of the place
-- of stay pays the provider at its tariffs and claims from the competent institution).

CREATE TABLE hb_settle_payers (
    code TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    kind TEXT NOT NULL CHECK (kind IN ('insurer', 'voucher-scheme', 'social-insurance',
                                       'liaison')),
    currency TEXT NOT NULL CHECK (currency IN ('CNY', 'HKD', 'MOP')),
    name_en TEXT NOT NULL,
    name_zh TEXT,
    source TEXT NOT NULL
);

CREATE TABLE hb_settle_providers (
    code TEXT PRIMARY KEY,
    jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    region TEXT REFERENCES hb_regions (code),
    currency TEXT NOT NULL CHECK (currency IN ('CNY', 'HKD', 'MOP')), -- fees are charged in it
    liaison TEXT NOT NULL REFERENCES hb_settle_payers (code),
    name_en TEXT NOT NULL,
    name_zh TEXT,
    source TEXT NOT NULL
);

-- A payer's rule set takes effect on valid_from and lasts until the next one. Amounts are in the
-- payer's currency; a claim in another currency has them converted at the reference rate of its
-- service date, rounded down (never more than the rule allows).
CREATE TABLE hb_settle_payer_terms (
    payer TEXT NOT NULL REFERENCES hb_settle_payers (code),
    valid_from TEXT NOT NULL,
    residents TEXT NOT NULL,          -- ';'-separated jurisdictions whose residents are covered
    claim_limit_minor BIGINT CHECK (claim_limit_minor > 0),  -- per claim; NULL = none
    deadline_days BIGINT CHECK (deadline_days > 0),          -- service to submission; NULL = none
    rounding TEXT NOT NULL CHECK (rounding IN ('down', 'up', 'floor', 'ceiling', 'half-up',
                                               'half-even')),
    source TEXT NOT NULL,
    PRIMARY KEY (payer, valid_from)
);

-- The item categories a rule set covers; a category without a row is not covered.
CREATE TABLE hb_settle_payer_items (
    payer TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    category TEXT NOT NULL,
    copay_bp BIGINT NOT NULL CHECK (copay_bp BETWEEN 0 AND 10000), -- basis points of the cost
    limit_minor BIGINT CHECK (limit_minor > 0),                     -- per claim; NULL = none
    alone BIGINT NOT NULL CHECK (alone IN (0, 1)), -- 0: only with another covered category
    PRIMARY KEY (payer, valid_from, category),
    FOREIGN KEY (payer, valid_from) REFERENCES hb_settle_payer_terms (payer, valid_from)
);

-- Elderly Health Care Voucher rules, by the date they took effect (data/README.md: sources).
CREATE TABLE hb_settle_ehcv_rules (
    valid_from TEXT PRIMARY KEY,
    eligible_age BIGINT NOT NULL CHECK (eligible_age > 0),   -- from 1 January of that birthday year
    annual_minor BIGINT NOT NULL CHECK (annual_minor >= 0),
    cap_minor BIGINT NOT NULL CHECK (cap_minor > 0),         -- accumulation limit
    optometry_cap_minor BIGINT CHECK (optometry_cap_minor > 0), -- NULL = no sub-cap
    optometry_cycle_years BIGINT CHECK (optometry_cycle_years > 0),
    optometry_cycle_anchor BIGINT,    -- a year in which a cycle starts
    face_value_minor BIGINT NOT NULL CHECK (face_value_minor > 0),
    rounding TEXT NOT NULL CHECK (rounding IN ('down', 'up', 'floor', 'ceiling', 'half-up',
                                               'half-even')),
    source TEXT NOT NULL
);

-- One-off voucher grants besides the annual amount (8 June 2018, 26 June 2019).
CREATE TABLE hb_settle_ehcv_grants (
    code TEXT PRIMARY KEY,
    granted_on TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    source TEXT NOT NULL
);

-- Designated service points outside Hong Kong where vouchers may be used.
CREATE TABLE hb_settle_service_points (
    provider TEXT NOT NULL REFERENCES hb_settle_providers (code),
    valid_from TEXT NOT NULL,
    valid_to TEXT,                    -- last day; NULL = open
    source TEXT NOT NULL,
    PRIMARY KEY (provider, valid_from)
);

-- Who each payer covers: insured persons, fund members, voucher holders. Patients are
-- pseudonyms: identifiers that cross the border are never real ones.
CREATE TABLE hb_settle_members (
    payer TEXT NOT NULL REFERENCES hb_settle_payers (code),
    patient TEXT NOT NULL,
    residence TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    birth_year BIGINT NOT NULL CHECK (birth_year BETWEEN 1850 AND 2200),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    PRIMARY KEY (payer, patient, valid_from)
);

-- Exchange rates and conversion factors, as published: rate is the decimal text of quote per one
-- base ("1.0870"), never a float. Immutable once imported: entries that used a rate keep its id
-- and value.
CREATE TABLE hb_settle_rates (
    id @PK@,
    kind TEXT NOT NULL CHECK (kind IN ('reference', 'ehcv-factor')),
    base TEXT NOT NULL CHECK (base IN ('CNY', 'HKD', 'MOP')),
    quote TEXT NOT NULL CHECK (quote IN ('CNY', 'HKD', 'MOP')),
    valid_from TEXT NOT NULL,
    rate TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    CHECK (base <> quote),
    UNIQUE (kind, base, quote, valid_from)
);
