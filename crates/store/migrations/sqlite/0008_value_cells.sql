-- minsheng store, version 8 (SQLite): values keyed by numbers instead of texts. Keep in step
-- with ../postgres/0008_value_cells.sql: the same tables, view and columns; only the column
-- types and identity syntax differ.
--
-- A million-value import writes every key byte a million times. Keyed by region code and
-- indicator id as texts (6 and about 25 bytes), a row of data_values took half again the
-- pages, and SQLite twice the time, of one keyed by two small numbers (measured: the same
-- million rows inserted and committed in 1.9 s against 0.8 s). So the values move to
-- value_cells, keyed by period, region number and indicator number, and data_values becomes
-- a view with the columns it had: what reads values reads them as before.

-- The number value_cells keys each region code by. Numbers are given when an import first
-- needs them and never change; a region in the store has one once it has values.
CREATE TABLE value_regions (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);

-- The number value_cells keys each indicator id by, likewise.
CREATE TABLE value_indicators (
    id           INTEGER PRIMARY KEY,
    indicator_id TEXT NOT NULL UNIQUE
);

-- 填报数据: the current value of every cell (period × region × indicator), as data_values
-- (version 2) described it, with region and indicator as their numbers. The key stays
-- period first (a new period appends to the b-tree); no foreign keys and no index beside the
-- key, for the reasons version 2 gives.
CREATE TABLE value_cells (
    period      TEXT NOT NULL,
    region      INTEGER NOT NULL,
    indicator   INTEGER NOT NULL,
    period_end  INTEGER NOT NULL,
    value       REAL NOT NULL,
    numerator   REAL,
    denominator REAL,
    entry_id    INTEGER NOT NULL,
    comment     TEXT,
    state       TEXT NOT NULL CHECK (state = 'draft' OR state = 'submitted' OR state = 'approved'
                                OR state = 'returned' OR state = 'published'),
    simulated   INTEGER NOT NULL CHECK (simulated = 0 OR simulated = 1),
    PRIMARY KEY (period, region, indicator)
) WITHOUT ROWID;

INSERT INTO value_regions (code) SELECT DISTINCT region_code FROM data_values ORDER BY 1;
INSERT INTO value_indicators (indicator_id)
    SELECT DISTINCT indicator_id FROM data_values ORDER BY 1;
INSERT INTO value_cells
    SELECT d.period, r.id, i.id, d.period_end, d.value, d.numerator, d.denominator, d.entry_id,
           d.comment, d.state, d.simulated
    FROM data_values d
    JOIN value_regions r ON r.code = d.region_code
    JOIN value_indicators i ON i.indicator_id = d.indicator_id;
DROP TABLE data_values;

-- The values as version 2 stored them, and the numbers beside the texts.
CREATE VIEW data_values AS
    SELECT c.period, r.code AS region_code, i.indicator_id, c.period_end, c.value, c.numerator,
           c.denominator, c.entry_id, c.comment, c.state, c.simulated,
           c.region, c.indicator
    FROM value_cells c
    JOIN value_regions r ON r.id = c.region
    JOIN value_indicators i ON i.id = c.indicator;
