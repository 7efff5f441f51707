-- minsheng store, version 7 (SQLite): plan drafts of the ingestion review (规划导入审核).
-- Keep in step with ../postgres/0007_plan_drafts.sql: the same table and columns; only the
-- column types and identity syntax differ.

-- 规划草稿: an uploaded plan document as ingested, kept between upload and approval so the
-- review survives across requests and server processes. plan is the ingested plan as JSON
-- (minsheng_model::Plan), edited in place by the reviewer; source_text is the cleaned text
-- the quotes are found in. region_code is the plan's region, resolved at upload. Once
-- approved, approved_at/approved_by/plan_version say which stored plan version it became,
-- and the draft is not changed again.
CREATE TABLE plan_drafts (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT NOT NULL,
    region_code   TEXT NOT NULL REFERENCES regions (code),
    plan          TEXT NOT NULL,
    source_text   TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    approved_at   TEXT,
    approved_by   TEXT,
    plan_version  INTEGER
);
