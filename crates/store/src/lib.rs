//! The minsheng store: regions, the indicator catalogue, and every version of every plan, in
//! SQLite (the embedded default, `./minsheng.db`) or PostgreSQL, behind one [`Store`]; and
//! what is reported against the plans: values ([`Store::import_values`], all or nothing,
//! every superseded version kept), their review (审核: [`Store::review`], see the `review`
//! module for the rules), task progress with evidence files, and the audit log of every
//! change ([`Store::audit`]). Demo data (模拟数据) is stored flagged and stays flagged.
//!
//! # How the two backends are served
//!
//! Through sqlx's `Any` driver: one [`sqlx::AnyPool`], one copy of every query. The SQL is
//! written in the dialect both backends accept:
//!
//! - placeholders are `$1, $2 …` (SQLite reads `$N` as the N-th argument, as PostgreSQL does),
//!   except in the VALUES lists of multi-row inserts, where SQLite gets plain `?` (see
//!   `placeholders`);
//! - column types are TEXT, INTEGER/BIGINT and REAL/DOUBLE PRECISION only, because `Any` decodes
//!   no other type from both: dates are RFC 3339 text, flags are 0/1, JSON is text;
//! - upserts use `INSERT … ON CONFLICT (…) DO UPDATE SET … = excluded.…`, new ids come from
//!   `RETURNING id`, and hierarchy walks use `WITH RECURSIVE`.
//!
//! Reading many values back is the one exception: rows are packed per region and period
//! with `string_agg` (both backends have it), which needs each REAL written as exact text,
//! and that is spelled differently (`real_as_text`).
//!
//! Otherwise only the DDL differs (identity columns, BIGINT, BYTEA), so there are two migration folders,
//! `migrations/sqlite` and `migrations/postgres`, compiled into the binary and run by
//! [`Store::open`]. Every write runs in one transaction: a write that fails part-way leaves
//! the store as it was.
//!
//! The alternative, an enum over `SqlitePool`/`PgPool`, would have needed every query written
//! twice (or generic code with long trait bounds) for no gain at this size.
//!
//! PostgreSQL connections are plain TCP or Unix sockets: no TLS backend is compiled in, so a
//! server that requires TLS is refused (add a sqlx `tls-*` feature if one must be reached).

mod audit;
mod bulk;
mod drafts;
mod error;
mod evaluation;
mod indicators;
mod plans;
mod regions;
mod review;
mod tasks;
mod time;
mod values;
mod web;

use std::borrow::Cow;
use std::path::Path;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, AssertSqlSafe, ConnectOptions, Executor, SqlSafeStr};

pub use audit::{AuditEntry, AuditFilter};
pub use drafts::{NewPlanDraft, PlanDraft};
pub use error::{Result, StoreError};
pub use evaluation::{
    NewRun, RunFilter, RunInputs, RunSummary, SnapshotValue, StoredExternalScore, StoredRun,
};
pub use indicators::IndicatorRow;
pub use minsheng_model::RegionLevel as Level;
pub use plans::{PlanRef, PlanVersion, StoredPlan, plan_key};
pub use regions::{CountyKind, REGIONS_CSV, RegionRow, region_short_name, regions_csv};
pub use review::{ReviewAction, ReviewBatch, Transition, TransitionFilter};
pub use tasks::{
    EvidenceFile, MAX_EVIDENCE_BYTES, TaskFilter, TaskKey, TaskProgress, TaskStatus, TaskUpdate,
    check_date, sha256_hex, today_in_china,
};
pub use values::{ImportOutcome, PastValue, ValueFilter, ValueImport};
pub use web::{NewUser, Role, Session, User};

/// Where the embedded database lives when no URL is given.
pub const DEFAULT_SQLITE_PATH: &str = "minsheng.db";

/// How an in-memory SQLite database is shown.
const MEMORY: &str = ":memory:";

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The store: a connection pool and the backend it talks to. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    url: String,
}

/// Migrations as (version, description, SQL), one list per backend. Add a file to both
/// folders and a line to both lists; never edit a migration that has shipped.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "values",
        include_str!("../migrations/sqlite/0002_values.sql"),
    ),
    (
        3,
        "evaluation",
        include_str!("../migrations/sqlite/0003_evaluation.sql"),
    ),
    (4, "web", include_str!("../migrations/sqlite/0004_web.sql")),
    (
        7,
        "plan drafts",
        include_str!("../migrations/sqlite/0007_plan_drafts.sql"),
    ),
    (
        8,
        "value cells",
        include_str!("../migrations/sqlite/0008_value_cells.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "values",
        include_str!("../migrations/postgres/0002_values.sql"),
    ),
    (
        3,
        "evaluation",
        include_str!("../migrations/postgres/0003_evaluation.sql"),
    ),
    (
        4,
        "web",
        include_str!("../migrations/postgres/0004_web.sql"),
    ),
    (
        7,
        "plan drafts",
        include_str!("../migrations/postgres/0007_plan_drafts.sql"),
    ),
    (
        8,
        "value cells",
        include_str!("../migrations/postgres/0008_value_cells.sql"),
    ),
];

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    ///
    /// `url` is `postgres://…` / `postgresql://…` for PostgreSQL, or `sqlite://PATH`,
    /// `sqlite:PATH` or a bare file path for SQLite; a SQLite file that does not exist is
    /// created; `sqlite::memory:` is a private in-memory database (for tests). Running it on
    /// an up-to-date database changes nothing.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, options, shown) = connect_options(url)?;
        let mut pool = AnyPoolOptions::new();
        pool = match backend {
            // An in-memory database lives as long as its one connection: keep it open.
            Backend::Sqlite if shown == MEMORY => pool
                .max_connections(1)
                .idle_timeout(None)
                .max_lifetime(None),
            // One writer at a time anyway; a few readers beside it.
            Backend::Sqlite => pool.max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    // Write-ahead logging: readers go on while an import writes, and a
                    // commit costs one sync instead of several; the mode stays with the
                    // file. Switching needs the file to itself: if another process has it
                    // open in the old mode, this connection works in that mode.
                    let mode: Option<String> = sqlx::query_scalar("PRAGMA journal_mode = WAL")
                        .fetch_optional(&mut *conn)
                        .await
                        .unwrap_or(None);
                    if mode.as_deref() == Some("wal") {
                        // In WAL mode a commit with synchronous = NORMAL survives a crash of
                        // minsheng; a power loss may take back the last commits but cannot
                        // corrupt the file.
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    // A page cache of up to 64 MiB (SQLite's default is 2 MiB): looking up
                    // a million stored cells took three times as long with the default, every
                    // miss a read from the file.
                    conn.execute("PRAGMA cache_size = -65536").await?;
                    Ok(())
                })
            }),
            Backend::Postgres => pool.max_connections(8),
        };
        let pool = pool
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                url: shown.clone(),
                source,
            })?;
        let store = Store {
            pool,
            backend,
            url: shown,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database this store was opened on, with any password hidden (for messages).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The underlying pool, for queries this crate does not offer yet. Prefer adding a method.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes every connection; waits for queries under way.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction. On SQLite `BEGIN IMMEDIATE` takes the write lock at once,
    /// so concurrent writers wait their turn (up to the 5 s busy timeout) instead of one
    /// failing when it upgrades a read lock; PostgreSQL gets a plain `BEGIN`.
    async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    async fn migrate(&self) -> Result<()> {
        let list = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        };
        let migrations = list
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(migrations)
            .run(&self.pool)
            .await
            .map_err(|source| StoreError::Migrate {
                url: self.url.clone(),
                source,
            })
    }
}

/// Ends a write transaction: commits when `result` is Ok, and otherwise rolls back at once,
/// so that no connection goes back to the pool with its transaction open and its locks held
/// (PostgreSQL would keep them until the pool got round to the rollback, and a DROP or ALTER
/// waiting on them would wait that long).
async fn finish<T>(
    tx: sqlx::Transaction<'static, sqlx::Any>,
    result: Result<T>,
    action: impl FnOnce() -> String,
) -> Result<T> {
    match result {
        Ok(value) => {
            tx.commit()
                .await
                .map_err(|e| StoreError::write(action(), e))?;
            Ok(value)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// Parses `url` into the backend, `Any` options, and a form safe to show.
fn connect_options(url: &str) -> Result<(Backend, AnyConnectOptions, String)> {
    let unsupported = || StoreError::UnsupportedUrl { url: url.into() };
    let trimmed = url.trim();
    if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
        let parsed: sqlx::any::AnyConnectOptions = trimmed.parse().map_err(|_| unsupported())?;
        let mut shown = parsed.database_url.clone();
        if shown.password().is_some() {
            let _ = shown.set_password(Some("****"));
        }
        return Ok((Backend::Postgres, parsed, shown.to_string()));
    }
    if trimmed.is_empty() || (trimmed.contains("://") && !trimmed.starts_with("sqlite://")) {
        return Err(unsupported());
    }
    let rest = trimmed
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    if rest.starts_with(":memory:") {
        // Passed through as written: sqlx cannot turn in-memory options back into a URL.
        let any = format!("sqlite:{rest}")
            .parse()
            .map_err(|_| unsupported())?;
        return Ok((Backend::Sqlite, any, MEMORY.into()));
    }
    let sqlite = if trimmed.starts_with("sqlite:") {
        let mut opts: SqliteConnectOptions = trimmed.parse().map_err(|_| unsupported())?;
        if !trimmed.contains("mode=") {
            opts = opts.create_if_missing(true);
        }
        absolute(opts)
    } else {
        absolute(
            SqliteConnectOptions::new()
                .filename(trimmed)
                .create_if_missing(true),
        )
    };
    let shown = sqlite.get_filename().display().to_string();
    let any = AnyConnectOptions::from_url(&sqlite.to_url_lossy()).map_err(|_| unsupported())?;
    Ok((Backend::Sqlite, any, shown))
}

/// Makes a relative SQLite file name absolute, so that its URL form cannot be misread
/// (`sqlite://minsheng.db` would otherwise put the file name where a URL's host goes).
fn absolute(opts: SqliteConnectOptions) -> SqliteConnectOptions {
    let name = opts.get_filename();
    let text = name.to_string_lossy();
    if name.is_absolute() || text.starts_with("file:") || text == ":memory:" {
        return opts;
    }
    match std::env::current_dir() {
        Ok(dir) => {
            let full = dir.join(Path::new(name));
            opts.filename(full)
        }
        Err(_) => opts,
    }
}

/// SQL for a REAL expression as text that reads back as the same `f64`: SQLite's CAST keeps
/// only 15 digits, its printf with the `!` flag up to 26 (`%!.17g`, 17 being enough for any
/// double); PostgreSQL (12 and later) writes the shortest exact form. One of the two places
/// where the SQL differs by backend (the other is the DDL).
fn real_as_text(backend: Backend, expr: &str) -> String {
    match backend {
        Backend::Sqlite => format!("printf('%!.17g', {expr})"),
        Backend::Postgres => format!("CAST({expr} AS TEXT)"),
    }
}

/// A dynamically built SQL string (multi-row inserts). Only ever built from constant
/// fragments and placeholders, never from data.
fn dynamic_sql(sql: String) -> AssertSqlSafe<String> {
    AssertSqlSafe(sql)
}

/// The VALUES list of a multi-row INSERT: `rows` rows of `columns` values each.
///
/// PostgreSQL gets `($1, $2, …), ($k+1, …)`. SQLite gets anonymous `(?, ?, …)`: it files
/// `$N` (and `?N`) parameters by name and looks each one up in a list, which makes a
/// statement with thousands of them quadratic to prepare (a 3,500-parameter INSERT took
/// ~20 ms), while a plain `?` just takes the next number.
fn placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    placeholders_from(backend, 1, rows, columns)
}

/// [`placeholders`] for a statement with `first - 1` parameters before the VALUES list:
/// PostgreSQL's numbers start at `$first` (SQLite's `?` need no number).
fn placeholders_from(backend: Backend, first: usize, rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..columns {
            if c > 0 {
                out.push_str(", ");
            }
            match backend {
                Backend::Postgres => {
                    out.push('$');
                    out.push_str(&(first + r * columns + c).to_string());
                }
                Backend::Sqlite => out.push('?'),
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(
            placeholders(Backend::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(
            placeholders_from(Backend::Postgres, 6, 2, 2),
            "($6, $7), ($8, $9)"
        );
    }

    #[test]
    fn urls_pick_backend() {
        let (b, _, shown) = connect_options("postgres://u:secret@localhost/db").unwrap();
        assert_eq!(b, Backend::Postgres);
        assert!(!shown.contains("secret"));
        let (b, _, shown) = connect_options("some dir/民生.db").unwrap();
        assert_eq!(b, Backend::Sqlite);
        assert!(shown.ends_with("some dir/民生.db"), "{shown}");
        let (b, _, _) = connect_options("sqlite:///tmp/x.db").unwrap();
        assert_eq!(b, Backend::Sqlite);
        assert!(matches!(
            connect_options("mysql://x/y"),
            Err(StoreError::UnsupportedUrl { .. })
        ));
    }

    #[tokio::test]
    async fn in_memory_sqlite_opens_and_migrates() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        assert_eq!(store.region_count().await.unwrap(), 0);
    }

    #[tokio::test]
    async fn unreachable_database_says_where() {
        let err = Store::open("/nonexistent-dir/sub/minsheng.db")
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("cannot open the database at /nonexistent-dir/sub/minsheng.db"),
            "{text}"
        );
    }
}
