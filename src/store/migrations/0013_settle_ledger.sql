-- Module: settle. The double-entry ledger.
--
-- Every amount is integer minor units with its currency. A transfer is a set of entries whose
-- amounts sum to zero in each currency; an account's balance is the sum of its entries (kept on
-- the account row, checked by `healthybay settle verify`). Entries and transfers are never
-- updated or deleted (a later migration adds triggers that refuse it): a correction is a new
-- transfer that reverses an old one, and a transfer can be reversed once.
--
-- Sign: a positive balance is value the account's owner holds or is owed (a voucher balance, a
-- provider's receivable); a negative one is owed by the owner (a payer's obligations).

CREATE TABLE hb_settle_accounts (
    id @PK@,
    code TEXT NOT NULL UNIQUE,        -- kind:owner:currency, e.g. voucher:P-7f3a:HKD
    kind TEXT NOT NULL CHECK (kind IN ('payer', 'provider', 'voucher')),
    owner TEXT NOT NULL,
    currency TEXT NOT NULL CHECK (currency IN ('CNY', 'HKD', 'MOP')),
    balance_minor BIGINT NOT NULL DEFAULT 0,
    floor_minor BIGINT,               -- the balance may not go below; NULL = unbounded
    cap_minor BIGINT,                 -- the balance may not go above; NULL = unbounded
    created_at TEXT NOT NULL,
    CHECK (floor_minor IS NULL OR balance_minor >= floor_minor),
    CHECK (cap_minor IS NULL OR balance_minor <= cap_minor),
    UNIQUE (id, currency)
);

CREATE TABLE hb_settle_transfers (
    id @PK@,
    kind TEXT NOT NULL CHECK (kind IN ('claim', 'voucher-credit', 'settlement', 'reversal')),
    posted_on TEXT NOT NULL,          -- business date (UTC+8)
    created_at TEXT NOT NULL,
    organisation TEXT,                -- who caused it
    memo TEXT NOT NULL,
    reverses BIGINT UNIQUE REFERENCES hb_settle_transfers (id)
);

CREATE TABLE hb_settle_entries (
    id @PK@,
    transfer_id BIGINT NOT NULL REFERENCES hb_settle_transfers (id),
    account_id BIGINT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor <> 0),
    -- A converted amount records what it was converted from, at which rate, rounded how.
    from_minor BIGINT,
    from_currency TEXT,
    rate_id BIGINT REFERENCES hb_settle_rates (id),
    rate_units BIGINT,
    rate_scale BIGINT,
    rounding TEXT,
    quantum_minor BIGINT,
    FOREIGN KEY (account_id, currency) REFERENCES hb_settle_accounts (id, currency),
    CHECK ((from_currency IS NULL) = (rate_units IS NULL)),
    CHECK ((from_currency IS NULL) = (from_minor IS NULL)),
    CHECK ((from_currency IS NULL) = (rounding IS NULL))
);
CREATE INDEX hb_settle_entries_transfer ON hb_settle_entries (transfer_id);
CREATE INDEX hb_settle_entries_account ON hb_settle_entries (account_id, id);
