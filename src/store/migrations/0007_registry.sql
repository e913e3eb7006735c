-- Module: registry. The registries the three jurisdictions agree on: Hong Kong/Macao medicines
-- and devices approved at designated mainland hospitals (港澳药械通), practitioners practising
-- across the border, and hospital accreditation; plus the rule data they are judged by.
--
-- Every table below is written only by the registry importer (src/registry/import.c), one kind
-- of CSV file per table, whose columns are the table's columns. Rows are never deleted and never
-- overwritten silently: a row whose content changes gets the next `version`, and every version
-- of every row is kept, as JSON, in hb_registry_changes together with the batch that brought it
-- (who, when, from what). Status changes (suspension, revocation, reinstatement) are rows of
-- hb_registry_status with the date they take effect, so "what was the status on D" has an answer
-- for any past D. Dates are YYYY-MM-DD text; ranges are inclusive at both ends (valid_to is the
-- last valid day), and an empty end means open-ended.

CREATE TABLE hb_registry_batches (
    id @PK@,
    kind TEXT NOT NULL,               -- the import kind: approvals, permits …
    source TEXT NOT NULL,             -- file name, "api", "migration"
    org TEXT,                         -- the acting organisation; NULL for the operator
    actor TEXT NOT NULL,              -- how: "cli", "http 192.0.2.7", "migration"
    at TEXT NOT NULL,                 -- UTC timestamp
    rows_total BIGINT NOT NULL,
    rows_created BIGINT NOT NULL,
    rows_updated BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL
);

CREATE TABLE hb_registry_changes (
    id @PK@,
    batch_id BIGINT NOT NULL REFERENCES hb_registry_batches (id),
    kind TEXT NOT NULL,
    item TEXT NOT NULL,               -- the row's key columns joined with '/'
    version BIGINT NOT NULL,          -- 1 when created, +1 for each change
    data TEXT NOT NULL                -- the whole row as a JSON object, in column order
);
CREATE UNIQUE INDEX hb_registry_changes_item ON hb_registry_changes (kind, item, version);

-- Rule data (data/registry/, loaded by migration; the operator may load newer versions).

CREATE TABLE hb_registry_categories (
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    name_pt TEXT,
    version BIGINT NOT NULL
);

CREATE TABLE hb_registry_registers (
    code TEXT NOT NULL UNIQUE,
    jurisdiction TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    categories TEXT NOT NULL,         -- ';'-separated category codes
    authority TEXT NOT NULL,
    source TEXT,
    version BIGINT NOT NULL
);

CREATE TABLE hb_registry_schemes (
    code TEXT NOT NULL,
    valid_from TEXT NOT NULL,         -- this version of the scheme's rules applies from …
    valid_to TEXT,                    -- … to (inclusive); empty = still in force
    name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    home_jurisdictions TEXT NOT NULL, -- ';'-separated: whose professionals it admits
    categories TEXT NOT NULL,         -- ';'-separated category codes it admits
    area TEXT NOT NULL,               -- where a permit is valid: hengqin | gba
    max_validity_months BIGINT,       -- longest permit; empty = no limit in the rules
    min_practice_years BIGINT,        -- home practice needed first; empty = not set by the rules
    issuer TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    source TEXT,
    version BIGINT NOT NULL,
    UNIQUE (code, valid_from)
);

CREATE TABLE hb_registry_standards (
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL,
    name_zh_hant TEXT NOT NULL,
    body TEXT NOT NULL,
    levels TEXT,                      -- ';'-separated levels an award may have; empty = none
    max_cycle_months BIGINT,          -- longest award; empty = not fixed
    source TEXT,
    version BIGINT NOT NULL
);

-- Institutions and the designation of mainland institutions for the medicines/devices policy.

CREATE TABLE hb_registry_institutions (
    code TEXT NOT NULL UNIQUE,
    jurisdiction TEXT NOT NULL,
    region TEXT NOT NULL,
    zone TEXT,                        -- hengqin: in the Hengqin cooperation zone
    kind TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh_hans TEXT,
    name_zh_hant TEXT,
    name_pt TEXT,
    source TEXT,
    version BIGINT NOT NULL
);

CREATE TABLE hb_registry_designations (
    institution TEXT NOT NULL,
    programme TEXT NOT NULL,
    designated_from TEXT NOT NULL,
    designated_to TEXT,
    batch BIGINT,
    source TEXT,
    version BIGINT NOT NULL,
    UNIQUE (institution, programme, designated_from)
);

-- Medicines and devices (港澳药械通).

CREATE TABLE hb_registry_products (
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,               -- drug | device
    hk_reg_no TEXT,
    mo_reg_no TEXT,
    name_en TEXT NOT NULL,
    name_zh_hans TEXT,
    name_zh_hant TEXT,
    inn TEXT,
    form TEXT,
    strength TEXT,
    device_class TEXT,
    holder TEXT,
    home_use_evidence TEXT,
    version BIGINT NOT NULL
);

CREATE TABLE hb_registry_approvals (
    approval_no TEXT NOT NULL UNIQUE,
    product TEXT NOT NULL,
    institution TEXT NOT NULL,
    approved_on TEXT,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    quantity_max BIGINT,
    unit TEXT,
    indications TEXT,
    departments TEXT,                 -- ';'-separated; empty = not limited
    version BIGINT NOT NULL
);
CREATE INDEX hb_registry_approvals_use ON hb_registry_approvals (product, institution);

CREATE TABLE hb_registry_usage (
    institution TEXT NOT NULL,
    product TEXT NOT NULL,
    month TEXT NOT NULL,              -- YYYY-MM
    patients BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    unit TEXT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (institution, product, month)
);

-- Practitioners. Columns marked (restricted) are shown only to those the policy lets see them
-- (src/registry/registry.h: hb_registry_sees_restricted).

CREATE TABLE hb_registry_practitioners (
    id TEXT NOT NULL UNIQUE,          -- the registry's pseudonymous identifier
    home_jurisdiction TEXT NOT NULL,
    category TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh_hant TEXT,
    name_zh_hans TEXT,
    specialty TEXT,
    sex TEXT,                         -- (restricted)
    date_of_birth TEXT,               -- (restricted)
    phone TEXT,                       -- (restricted)
    email TEXT,                       -- (restricted)
    version BIGINT NOT NULL
);

CREATE TABLE hb_registry_registrations (
    register TEXT NOT NULL,
    number TEXT NOT NULL,
    practitioner TEXT NOT NULL,
    registered_from TEXT NOT NULL,
    registered_to TEXT,
    version BIGINT NOT NULL,
    UNIQUE (register, number)
);
CREATE INDEX hb_registry_registrations_person ON hb_registry_registrations (practitioner);

CREATE TABLE hb_registry_permits (
    permit_no TEXT NOT NULL UNIQUE,
    practitioner TEXT NOT NULL,
    scheme TEXT NOT NULL,
    category TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_on TEXT,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    scope TEXT,
    version BIGINT NOT NULL
);
CREATE INDEX hb_registry_permits_person ON hb_registry_permits (practitioner);

CREATE TABLE hb_registry_employments (
    practitioner TEXT NOT NULL,
    institution TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    permit TEXT,                      -- the mainland permit it rests on; empty at home
    role TEXT NOT NULL,               -- primary | additional
    version BIGINT NOT NULL,
    UNIQUE (practitioner, institution, valid_from)
);

CREATE TABLE hb_registry_titles (
    practitioner TEXT NOT NULL,
    title TEXT NOT NULL,
    granted_on TEXT NOT NULL,
    level TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    basis TEXT,
    version BIGINT NOT NULL,
    UNIQUE (practitioner, title, granted_on)
);

CREATE TABLE hb_registry_disciplinary (
    jurisdiction TEXT NOT NULL,
    case_ref TEXT NOT NULL,           -- (restricted)
    practitioner TEXT NOT NULL,
    authority TEXT NOT NULL,
    action TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    effective_to TEXT,
    summary TEXT,                     -- (restricted)
    version BIGINT NOT NULL,
    UNIQUE (jurisdiction, case_ref)
);
CREATE INDEX hb_registry_disciplinary_person ON hb_registry_disciplinary (practitioner);

-- Hospital accreditation.

CREATE TABLE hb_registry_accreditations (
    standard TEXT NOT NULL,
    reference TEXT NOT NULL,
    institution TEXT NOT NULL,
    level TEXT,
    scope TEXT,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (standard, reference)
);

-- Status events of approvals, permits, registrations, accreditations and products.

CREATE TABLE hb_registry_status (
    kind TEXT NOT NULL,               -- approvals | permits | registrations | accreditations | products
    item TEXT NOT NULL,               -- the item's key, as in hb_registry_changes
    effective_from TEXT NOT NULL,
    status TEXT NOT NULL,             -- active | suspended | revoked | withdrawn
    reason TEXT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (kind, item, effective_from)
);
