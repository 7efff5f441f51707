//! The test harness shared by the store's test files: a fresh store per test on SQLite and
//! on PostgreSQL, and the `both!` macro that runs a test body on each.
//!
//! ```sh
//! cargo test -p minsheng-store                      # SQLite; PostgreSQL reported as ignored
//! MINSHENG_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test \
//!     cargo test -p minsheng-store -- --include-ignored
//! ```
//!
//! Run with `--include-ignored`, a PostgreSQL test fails (never passes silently) when the
//! variable is unset or the server cannot be reached.

use std::sync::atomic::{AtomicU64, Ordering};

use minsheng_store::{RegionRow, Store, regions_csv};
use sqlx::{Connection, Executor, PgConnection};

const PG_ENV: &str = "MINSHENG_TEST_POSTGRES";

/// A store for one test, and what must be cleaned up after it.
pub struct TestDb {
    pub store: Store,
    /// The URL the store was opened with, to open it again.
    #[allow(dead_code)] // read by some test files only
    pub url: String,
    _cleanup: Cleanup,
}

enum Cleanup {
    /// Removed with the directory.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    /// Dropped with `DROP SCHEMA … CASCADE` through `admin_url`.
    Postgres { admin_url: String, schema: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, schema } = self {
            let (url, sql) = (
                admin_url.clone(),
                format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"),
            );
            // Drop runs inside the test's runtime: do the async work on a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for cleaning up");
                rt.block_on(async {
                    if let Ok(mut conn) = PgConnection::connect(&url).await {
                        let _ = conn.execute(sqlx::AssertSqlSafe(sql)).await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

pub async fn sqlite_db() -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // A space and Chinese in the path: the URL handling must cope.
    let path = dir.path().join("民生 test.db");
    let url = path.display().to_string();
    let store = Store::open(&url).await.expect("open a new SQLite store");
    TestDb {
        store,
        url,
        _cleanup: Cleanup::Sqlite(dir),
    }
}

pub async fn postgres_db() -> TestDb {
    let admin_url = std::env::var(PG_ENV).unwrap_or_else(|_| {
        panic!(
            "{PG_ENV} is not set: set it to a PostgreSQL URL the tests may create schemas in, \
             e.g. {PG_ENV}=postgres://postgres@127.0.0.1:5432/test"
        )
    });
    let mut conn = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {PG_ENV}={admin_url}: {e}"));
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let schema = format!(
        "minsheng_test_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\"")))
        .await
        .unwrap_or_else(|e| panic!("cannot create schema {schema} at {admin_url}: {e}"));
    let _ = conn.close().await;
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{sep}options=-c%20search_path%3D{schema}");
    let cleanup = Cleanup::Postgres { admin_url, schema };
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("open the PostgreSQL store: {e}"));
    TestDb {
        store,
        url,
        _cleanup: cleanup,
    }
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::sqlite_db().await;
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[ignore = "needs PostgreSQL: set MINSHENG_TEST_POSTGRES=postgres://… and run with --include-ignored"]
                async fn $name() {
                    let db = super::postgres_db().await;
                    super::$name(&db).await;
                }
            )*
        }
    };
}

/// The real data/regions/regions.csv, read from the repository.
pub fn national_regions() -> Vec<RegionRow> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/regions/regions.csv"
    );
    let text = std::fs::read_to_string(path).expect("data/regions/regions.csv");
    regions_csv(&text).expect("regions.csv parses")
}
