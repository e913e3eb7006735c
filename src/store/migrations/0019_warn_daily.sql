-- Module: warn. The daily early-warning run and what it computed.
--
-- hb_warn_runs has one row per day: claiming the row (under an advisory lock) is what makes the
-- run happen exactly once a day, even with several servers on one database. The results are
-- kept per series and period — the latest screening of each period by each method, the latest
-- Rt for each window end, the forecast made at each origin — so re-running over revised data
-- updates them rather than piling up copies.

CREATE TABLE hb_warn_runs (
    run_date TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    series_screened BIGINT,
    signals BIGINT,
    alerts_raised BIGINT,
    message TEXT
);

CREATE TABLE hb_signals (
    disease TEXT NOT NULL,
    measure TEXT NOT NULL,
    region TEXT NOT NULL,
    age_group TEXT NOT NULL,
    sex TEXT NOT NULL,
    period TEXT NOT NULL,             -- the period screened
    method TEXT NOT NULL,             -- farrington-flexible, ears-c2 …
    run_date TEXT NOT NULL,
    observed @REAL@ NOT NULL,
    expected @REAL@,                  -- NULL where the method has no baseline (R's NA)
    upperbound @REAL@,
    alarm BIGINT,                     -- 1, 0, or NULL (no verdict)
    pvalue @REAL@,
    PRIMARY KEY (disease, measure, region, age_group, sex, period, method)
) @WITHOUT_ROWID@;

CREATE TABLE hb_rt_estimates (
    disease TEXT NOT NULL,
    measure TEXT NOT NULL,
    region TEXT NOT NULL,
    age_group TEXT NOT NULL,
    sex TEXT NOT NULL,
    t_end TEXT NOT NULL,
    t_start TEXT NOT NULL,
    run_date TEXT NOT NULL,
    mean @REAL@ NOT NULL,
    sd @REAL@ NOT NULL,
    q025 @REAL@ NOT NULL, q05 @REAL@ NOT NULL, q25 @REAL@ NOT NULL, median @REAL@ NOT NULL,
    q75 @REAL@ NOT NULL, q95 @REAL@ NOT NULL, q975 @REAL@ NOT NULL,
    PRIMARY KEY (disease, measure, region, age_group, sex, t_end)
) @WITHOUT_ROWID@;

CREATE TABLE hb_forecasts (
    disease TEXT NOT NULL,
    measure TEXT NOT NULL,
    region TEXT NOT NULL,
    age_group TEXT NOT NULL,
    sex TEXT NOT NULL,
    origin TEXT NOT NULL,             -- the last period used
    model TEXT NOT NULL,
    run_date TEXT NOT NULL,
    -- {"levels": [0.01 … 0.99], "targets": ["YYYY-MM-DD", …],
    --  "quantiles": [[23 values for horizon 1], …]}
    quantiles TEXT NOT NULL,
    PRIMARY KEY (disease, measure, region, age_group, sex, origin)
) @WITHOUT_ROWID@;
