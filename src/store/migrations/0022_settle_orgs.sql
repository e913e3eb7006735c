-- Module: settle. Which organisation (hb_orgs: its API tokens) acts for each payer and provider:
-- the link between settlement's participants and the server's accounts. The policy asks it for
-- every claim, voucher and statement: the organisation operating a provider submits its claims,
-- the one operating a payer decides the claims charged to it and reads its statements. Loaded by
-- `healthybay settle reference import payer-orgs|provider-orgs`; an organisation operates
-- participants of its own jurisdiction only (checked when loading).

CREATE TABLE hb_settle_payer_orgs (
    payer TEXT PRIMARY KEY REFERENCES hb_settle_payers (code),
    org TEXT NOT NULL REFERENCES hb_orgs (code)
);
CREATE INDEX hb_settle_payer_orgs_org ON hb_settle_payer_orgs (org);

CREATE TABLE hb_settle_provider_orgs (
    provider TEXT PRIMARY KEY REFERENCES hb_settle_providers (code),
    org TEXT NOT NULL REFERENCES hb_orgs (code)
);
CREATE INDEX hb_settle_provider_orgs_org ON hb_settle_provider_orgs (org);

-- Idempotency-Key records: the server keeps them for every route, with the whole response
-- (core/idempotency.h); the module's own store of them (migration 14) is no longer used.
DROP TABLE hb_settle_requests;
