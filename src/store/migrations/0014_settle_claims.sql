-- Module: settle. Claims, voucher credits, settlement runs and idempotent requests.
--
-- A claim: a provider's bill for care given to a patient from another jurisdiction, charged to
-- one payer. submitted -> approved | partial | rejected (adjudication, which posts the ledger
-- transfer) -> settled by a run (run_id set); an unsettled decision can be reversed. Only one
-- live claim per provider and episode: a second is a duplicate; after a rejection or a reversal
-- the provider may submit again.

CREATE TABLE hb_settle_runs (
    id @PK@,
    period TEXT NOT NULL UNIQUE,      -- YYYY-MM: claims decided up to its last day
    period_end TEXT NOT NULL,
    run_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    organisation TEXT,
    claims BIGINT NOT NULL,
    transfer_id BIGINT REFERENCES hb_settle_transfers (id)
);

CREATE TABLE hb_settle_claims (
    id @PK@,
    provider TEXT NOT NULL REFERENCES hb_settle_providers (code),
    episode TEXT NOT NULL,
    patient TEXT NOT NULL,
    payer TEXT NOT NULL REFERENCES hb_settle_payers (code),
    currency TEXT NOT NULL CHECK (currency IN ('CNY', 'HKD', 'MOP')),
    service_date TEXT NOT NULL,
    mainland_insured BIGINT NOT NULL CHECK (mainland_insured IN (0, 1)),
    claimed_minor BIGINT NOT NULL CHECK (claimed_minor > 0),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'partial', 'rejected',
                                           'reversed')),
    approved_minor BIGINT NOT NULL DEFAULT 0,
    copay_minor BIGINT NOT NULL DEFAULT 0,
    voucher_minor BIGINT NOT NULL DEFAULT 0,            -- HKD deducted from a voucher
    voucher_optometry_minor BIGINT NOT NULL DEFAULT 0,  -- the part of it spent on optometry
    reason TEXT,
    content_hash TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    submitted_by TEXT,
    decided_on TEXT,
    transfer_id BIGINT REFERENCES hb_settle_transfers (id),
    run_id BIGINT REFERENCES hb_settle_runs (id),
    created_at TEXT NOT NULL,
    CHECK (approved_minor >= 0 AND approved_minor <= claimed_minor),
    CHECK (copay_minor >= 0 AND voucher_minor >= 0 AND voucher_optometry_minor >= 0),
    CHECK (voucher_optometry_minor <= voucher_minor),
    CHECK (status <> 'rejected' OR approved_minor = 0),
    CHECK (status NOT IN ('approved', 'partial') OR (transfer_id IS NOT NULL AND
                                                     approved_minor > 0)),
    CHECK (run_id IS NULL OR status IN ('approved', 'partial'))
);
CREATE UNIQUE INDEX hb_settle_claims_live_episode ON hb_settle_claims (provider, episode)
    WHERE status NOT IN ('rejected', 'reversed');
CREATE INDEX hb_settle_claims_status ON hb_settle_claims (status, decided_on);
CREATE INDEX hb_settle_claims_patient ON hb_settle_claims (payer, patient, service_date);
CREATE INDEX hb_settle_claims_run ON hb_settle_claims (run_id);

CREATE TABLE hb_settle_claim_items (
    claim_id BIGINT NOT NULL REFERENCES hb_settle_claims (id),
    line BIGINT NOT NULL,
    code TEXT NOT NULL,
    category TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_minor BIGINT NOT NULL CHECK (unit_minor >= 0),
    amount_minor BIGINT NOT NULL,
    approved_minor BIGINT NOT NULL DEFAULT 0,
    copay_minor BIGINT NOT NULL DEFAULT 0,
    reason TEXT,
    CHECK (amount_minor = quantity * unit_minor),
    CHECK (approved_minor >= 0 AND approved_minor <= amount_minor),
    PRIMARY KEY (claim_id, line)
);

CREATE TABLE hb_settle_claim_events (
    id @PK@,
    claim_id BIGINT NOT NULL REFERENCES hb_settle_claims (id),
    at TEXT NOT NULL,
    organisation TEXT,
    action TEXT NOT NULL CHECK (action IN ('submit', 'adjudicate', 'reverse', 'settle')),
    detail TEXT
);
CREATE INDEX hb_settle_claim_events_claim ON hb_settle_claim_events (claim_id, id);

-- One row per voucher holder and grant ('annual-2024', 'one-off-2019'): a credit run repeated
-- changes nothing. credited + forfeited = the grant; forfeited is what the cap kept out.
CREATE TABLE hb_settle_voucher_credits (
    holder TEXT NOT NULL,
    grant_code TEXT NOT NULL,
    credited_on TEXT NOT NULL,
    credited_minor BIGINT NOT NULL CHECK (credited_minor >= 0),
    forfeited_minor BIGINT NOT NULL CHECK (forfeited_minor >= 0),
    transfer_id BIGINT REFERENCES hb_settle_transfers (id),
    PRIMARY KEY (holder, grant_code)
);

-- What each settlement run decided: gross obligations from the claims, and the net payments.
CREATE TABLE hb_settle_obligations (
    run_id BIGINT NOT NULL REFERENCES hb_settle_runs (id),
    debtor TEXT NOT NULL,
    creditor TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    claims BIGINT NOT NULL,
    PRIMARY KEY (run_id, debtor, creditor, currency)
);

CREATE TABLE hb_settle_instructions (
    run_id BIGINT NOT NULL REFERENCES hb_settle_runs (id),
    currency TEXT NOT NULL,
    payer TEXT NOT NULL,              -- pays
    payee TEXT NOT NULL,              -- receives
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (run_id, currency, payer, payee)
);

-- Idempotency-Key: the first request with a key is done; a repeat with the same content gets
-- the same result and changes nothing; the same key with different content is refused.
CREATE TABLE hb_settle_requests (
    organisation TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    operation TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    result_id BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organisation, idem_key)
);
