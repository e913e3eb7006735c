-- Module: blood. The shared rare-donor registry, frozen and liquid rare units, and cross-border
-- requests with their history.
--
-- Privacy (DESIGN.md §4): a donor row holds no name or document number. local_ref is the blood
-- centre's own donor number — the link to the person, kept in the centre's own system — and is
-- shown only to that centre. Everyone else sees the random pseudonym. Phenotypes are stored as
-- three 63-bit masks (present, absent, predicted from the genotype) in the bit layout of
-- src/blood/phenotype.c.

CREATE TABLE hb_blood_donors (
    pseudonym TEXT PRIMARY KEY,       -- random, assigned at first import; what crosses the border
    centre TEXT NOT NULL REFERENCES hb_blood_centres (code),
    local_ref TEXT NOT NULL,          -- the centre's donor number; never leaves the centre
    abo TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
    rhd TEXT NOT NULL CHECK (rhd IN ('pos', 'neg')),
    pos_mask BIGINT NOT NULL,
    neg_mask BIGINT NOT NULL,
    predicted_mask BIGINT NOT NULL,
    last_donation TEXT,               -- YYYY-MM-DD
    eligible BIGINT NOT NULL CHECK (eligible IN (0, 1)),
    updated_at TEXT NOT NULL,
    UNIQUE (centre, local_ref)
);

CREATE TABLE hb_blood_units (
    din TEXT PRIMARY KEY,             -- ISBT 128 DIN, 13 characters (check character verified)
    centre TEXT NOT NULL REFERENCES hb_blood_centres (code),   -- the owner
    location TEXT NOT NULL REFERENCES hb_blood_centres (code), -- where it is stored
    component TEXT NOT NULL CHECK (component IN ('whole_blood', 'red_cells',
        'red_cells_leucoreduced', 'washed_red_cells', 'deglycerolised_red_cells')),
    storage TEXT NOT NULL CHECK (storage IN ('frozen', 'liquid')),
    abo TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
    rhd TEXT NOT NULL CHECK (rhd IN ('pos', 'neg')),
    pos_mask BIGINT NOT NULL,
    neg_mask BIGINT NOT NULL,
    predicted_mask BIGINT NOT NULL,
    collected TEXT,
    expiry TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('available', 'reserved', 'shipped', 'received',
        'discarded')),
    request_id BIGINT,                -- the request that reserved it
    updated_at TEXT NOT NULL
);
CREATE INDEX hb_blood_units_centre ON hb_blood_units (centre, status);

CREATE TABLE hb_blood_requests (
    id @PK@,
    requester TEXT NOT NULL,          -- the hospital blood bank's organisation code
    requester_jurisdiction TEXT NOT NULL REFERENCES hb_jurisdictions (code),
    centre TEXT NOT NULL REFERENCES hb_blood_centres (code), -- the owning centre asked
    din TEXT REFERENCES hb_blood_units (din),         -- the unit asked for, or offered
    donor TEXT REFERENCES hb_blood_donors (pseudonym), -- for a donor recall
    patient_abo TEXT NOT NULL,        -- what the patient needs; never who the patient is
    patient_rhd TEXT NOT NULL,
    patient_needs TEXT NOT NULL,      -- antigens that must be absent: "Jk3,Fya"
    state TEXT NOT NULL CHECK (state IN ('requested', 'offered', 'declined', 'accepted',
        'shipped', 'received', 'cancelled')),
    requested_at TEXT NOT NULL,
    offered_at TEXT,
    declined_at TEXT,
    accepted_at TEXT,
    shipped_at TEXT,
    received_at TEXT,
    cancelled_at TEXT,
    note TEXT
);
CREATE INDEX hb_blood_requests_centre ON hb_blood_requests (centre, state);
CREATE INDEX hb_blood_requests_requester ON hb_blood_requests (requester, state);

CREATE TABLE hb_blood_request_events (
    request_id BIGINT NOT NULL REFERENCES hb_blood_requests (id),
    seq BIGINT NOT NULL,              -- 1 for the request, then one per step
    at TEXT NOT NULL,
    organisation TEXT NOT NULL,
    action TEXT NOT NULL,             -- request, offer, decline, accept, ship, receive, cancel
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (request_id, seq)
);
