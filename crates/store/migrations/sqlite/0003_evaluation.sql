-- minsheng store, version 3 (SQLite): evaluation runs (评估) with the frozen values they used,
-- and external scores (群众满意度, 第三方评估). Keep in step with ../postgres/0003_evaluation.sql:
-- the same tables and columns; only the column types and identity syntax differ.

-- One evaluation run: which plan it evaluates (plan_region + plan_key, the version it read),
-- its kind (monitoring, midterm, final), as-of period (as_of_end = Period::end_month, for
-- ordering), baseline and scope, who ran it and when, the weights file's text, the run it
-- took previous ranks from, the result (EvaluationResult as JSON, the stored contract), the
-- inputs besides values (targets and external scores, JSON) and whether any value used was
-- demo data (模拟数据). A run is never changed except to publish it (公示): published_at and
-- published_by are set once, and only published runs reach public pages.
CREATE TABLE evaluation_runs (
    id           INTEGER PRIMARY KEY,
    plan_region  TEXT NOT NULL REFERENCES regions (code),
    plan_key     TEXT NOT NULL,
    plan_version INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('monitoring', 'midterm', 'final')),
    as_of        TEXT NOT NULL,
    as_of_end    INTEGER NOT NULL,
    baseline     TEXT,
    scope        TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    weights      TEXT NOT NULL,
    previous_run INTEGER REFERENCES evaluation_runs (id),
    result       TEXT NOT NULL,
    inputs       TEXT NOT NULL,
    value_count  INTEGER NOT NULL,
    simulated    INTEGER NOT NULL CHECK (simulated IN (0, 1)),
    published_at TEXT,
    published_by TEXT
);
CREATE INDEX evaluation_runs_plan ON evaluation_runs (plan_region, plan_key, as_of_end);

-- The frozen snapshot: every value a run used, as it stood when the run was made, so the
-- run can be recomputed and audited after the reported values change. One row per value,
-- keyed by run; no who/when (the run has that), demo values flagged.
CREATE TABLE evaluation_values (
    run_id       INTEGER NOT NULL REFERENCES evaluation_runs (id),
    period       TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    value        REAL NOT NULL,
    numerator    REAL,
    denominator  REAL,
    simulated    INTEGER NOT NULL CHECK (simulated = 0 OR simulated = 1),
    PRIMARY KEY (run_id, period, region_code, indicator_id)
) WITHOUT ROWID;

-- 外部评价: satisfaction surveys (群众满意度, source 'satisfaction') and third-party
-- evaluations (第三方评估, 'third_party'), 0–100, one per region, source and period; a later
-- import of the same cell replaces it (the old one is in the audit log).
CREATE TABLE external_scores (
    region_code TEXT NOT NULL REFERENCES regions (code),
    source      TEXT NOT NULL CHECK (source IN ('satisfaction', 'third_party')),
    period      TEXT NOT NULL,
    period_end  INTEGER NOT NULL,
    score       REAL NOT NULL CHECK (score >= 0 AND score <= 100),
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    note        TEXT,
    PRIMARY KEY (region_code, source, period)
);
