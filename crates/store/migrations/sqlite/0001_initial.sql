-- minsheng store, version 1 (SQLite). Keep in step with ../postgres/0001_initial.sql:
-- the same tables and columns; only the column types and identity syntax differ.
-- Column types are limited to TEXT, INTEGER and REAL because sqlx's Any driver decodes no
-- other SQLite type (no BOOLEAN, DATE or JSON): flags are 0/1, dates and JSON are TEXT.

-- The administrative hierarchy (GB/T 2260 codes), loaded from data/regions/regions.csv.
CREATE TABLE regions (
    code       TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    level      TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    parent     TEXT REFERENCES regions (code),
    kind       TEXT CHECK (kind IN ('district', 'city', 'county', 'other')),
    -- The name plans use: ethnic designators dropped (楚雄彝族自治州 -> 楚雄州).
    short_name TEXT NOT NULL,
    -- short_name without its administrative suffix (楚雄州 -> 楚雄), '' when too short.
    stem       TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent);
CREATE INDEX regions_name ON regions (name);
CREATE INDEX regions_short_name ON regions (short_name);
CREATE INDEX regions_stem ON regions (stem);

-- The indicator catalogue. synonyms: a JSON array of strings.
CREATE TABLE indicators (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    polarity    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    aggregation TEXT NOT NULL,
    synonyms    TEXT NOT NULL
);

-- Every stored version of every plan. (region_code, plan_key) names a plan; loading it again
-- adds a row with the next version and keeps the old ones.
CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    plan_key    TEXT NOT NULL,
    title       TEXT NOT NULL,
    source      TEXT NOT NULL,
    years       TEXT,
    version     INTEGER NOT NULL CHECK (version >= 1),
    loaded_at   TEXT NOT NULL,
    document    TEXT NOT NULL,
    UNIQUE (region_code, plan_key, version)
);

-- The targets of a stored plan version, in the plan's order (seq from 0).
CREATE TABLE targets (
    id             INTEGER PRIMARY KEY,
    plan_id        INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    domain         TEXT NOT NULL,
    task           INTEGER,
    kind           TEXT NOT NULL,
    indicator_text TEXT NOT NULL,
    indicator_id   TEXT REFERENCES indicators (id),
    op             TEXT NOT NULL,
    value          REAL NOT NULL,
    value_max      REAL,
    unit           TEXT NOT NULL,
    year           INTEGER,
    scope          TEXT,
    quote          TEXT NOT NULL,
    repaired       INTEGER NOT NULL CHECK (repaired IN (0, 1)),
    UNIQUE (plan_id, seq)
);
CREATE INDEX targets_indicator ON targets (indicator_id);
