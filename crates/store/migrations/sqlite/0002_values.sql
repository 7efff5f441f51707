-- minsheng store, version 2 (SQLite): reported values, the review workflow, the audit log,
-- task progress and evidence. Keep in step with ../postgres/0002_values.sql: the same tables
-- and columns; only the column types and identity syntax differ.

-- Who entered values, when, and from what (form, xlsx, csv, api, demo): one row per
-- distinct (source, entered_by, entered_at), so an import of a million values from one file
-- stores its who/when/what once and each value refers to it by number. Never deleted.
CREATE TABLE entries (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL CHECK (source IN ('form', 'xlsx', 'csv', 'api', 'demo')),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    UNIQUE (source, entered_by, entered_at)
);

-- 填报数据: the current value of every cell (period × region × indicator). A value replaced
-- by a newer one moves to value_history first. period is DHIS2 notation (2024, 2024Q1,
-- 202401); period_end is Period::end_month (year·12 + month), for ordering and ranges;
-- entry_id says who entered it, when and from what; simulated is 1 exactly when the entry's
-- source is 'demo' (模拟数据), kept here so every query on values can label demo data.
--
-- This table takes bulk imports (the goal: 500,000 values a second into SQLite; see
-- benches/values.rs), and its shape is measured for that:
-- - the key starts with the period: a new reporting period is appended to the b-tree rather
--   than inserted next to every region's old values (the workflow's region-and-period look-
--   ups use the key all the same; reading one region across periods scans);
-- - who/when/what live in entries: a third of the bytes of a row, written once per import;
-- - no foreign keys: SQLite's check of region_code against regions more than doubled the
--   cost of an insert, indicator_id's added a fifth. import_values checks both against
--   their tables inside its write transaction; regions and entries are never deleted, and
--   save_indicators refuses to drop an indicator that has values;
-- - no index beside the key (one on indicator_id cost a third more per insert);
-- - the state check is an OR chain: `state IN ('draft', …)` in a CHECK doubled the cost of
--   an insert in SQLite.
CREATE TABLE data_values (
    period       TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    period_end   INTEGER NOT NULL,
    value        REAL NOT NULL,
    numerator    REAL,
    denominator  REAL,
    entry_id     INTEGER NOT NULL,
    comment      TEXT,
    state        TEXT NOT NULL CHECK (state = 'draft' OR state = 'submitted' OR state = 'approved'
                                 OR state = 'returned' OR state = 'published'),
    simulated    INTEGER NOT NULL CHECK (simulated = 0 OR simulated = 1),
    PRIMARY KEY (period, region_code, indicator_id)
) WITHOUT ROWID;

-- Every superseded version of a cell, as it stood, with who replaced it and when.
CREATE TABLE value_history (
    id           INTEGER PRIMARY KEY,
    region_code  TEXT NOT NULL,
    period       TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    period_end   INTEGER NOT NULL,
    value        REAL NOT NULL,
    numerator    REAL,
    denominator  REAL,
    source       TEXT NOT NULL,
    entered_by   TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    comment      TEXT,
    state        TEXT NOT NULL,
    simulated    INTEGER NOT NULL CHECK (simulated IN (0, 1)),
    replaced_by  TEXT NOT NULL,
    replaced_at  TEXT NOT NULL
);
CREATE INDEX value_history_cell ON value_history (region_code, period, indicator_id);

-- 审核: every review transition of a region's period (all its indicators, or one when
-- indicator_id is set): from which state to which, how many values moved, who, when, why.
CREATE TABLE transitions (
    id           INTEGER PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    period       TEXT NOT NULL,
    indicator_id TEXT,
    from_state   TEXT NOT NULL,
    to_state     TEXT NOT NULL,
    value_count  INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL,
    reason       TEXT
);
CREATE INDEX transitions_batch ON transitions (region_code, period);

-- The audit log: every change, who made it and when, with the record before and after as
-- JSON text (NULL where there was none). key names the thing changed and starts with the
-- region code where there is one (532301/2024Q1/infant_mortality). simulated marks changes
-- to demo data (模拟数据).
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    key       TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    note      TEXT,
    simulated INTEGER NOT NULL CHECK (simulated IN (0, 1))
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, key);
CREATE INDEX audit_log_actor ON audit_log (actor);

-- 任务进展: progress of a plan's task (the plan named by its region and key, the task by
-- domain and number) as a region reports it for a period. due_date is YYYY-MM-DD.
CREATE TABLE task_progress (
    id          INTEGER PRIMARY KEY,
    plan_region TEXT NOT NULL REFERENCES regions (code),
    plan_key    TEXT NOT NULL,
    domain      TEXT NOT NULL,
    task_number INTEGER NOT NULL CHECK (task_number >= 1),
    region_code TEXT NOT NULL REFERENCES regions (code),
    period      TEXT NOT NULL,
    period_end  INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'delayed')),
    narrative   TEXT NOT NULL,
    due_date    TEXT,
    simulated   INTEGER NOT NULL CHECK (simulated IN (0, 1)),
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (plan_region, plan_key, domain, task_number, region_code, period)
);
CREATE INDEX task_progress_region ON task_progress (region_code, period);
CREATE INDEX task_progress_due ON task_progress (due_date);

-- 佐证材料: evidence files of a task's progress, content kept in the database with its
-- SHA-256 (lower-case hex). The same content is kept once per progress record.
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    progress_id INTEGER NOT NULL REFERENCES task_progress (id) ON DELETE CASCADE,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    content     BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    UNIQUE (progress_id, sha256)
);
