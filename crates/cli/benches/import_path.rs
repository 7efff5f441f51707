//! The whole import path as `minsheng import` runs it (`minsheng_app::import::read_and_store`):
//! a CSV file's bytes read and validated on one thread while the rows checked so far are
//! stored on the other, in one transaction, into a fresh SQLite file. Prints validated values
//! per second, median of 3; before it, the same with the two steps one after the other
//! (`minsheng_collect::read`, then `Store::import_values`), timed apart.
//!
//! Beside it, in the same run, the floor SQLite itself sets: the same cells inserted into a
//! fresh store's `value_cells` by one `INSERT … SELECT` inside SQLite (no CSV, no validation,
//! no bound parameters) and committed, on a connection with the store's settings.
//!
//! `cargo bench -p minsheng --bench import_path`

use minsheng_collect::{ImportContext, KnownRegion};
use minsheng_store::Store;
use sqlx::{Connection, Executor};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const CATALOG: &str = include_str!("../../../data/catalog/indicators.toml");

fn main() {
    let catalog = minsheng_catalog::Catalog::from_toml(CATALOG).expect("catalog");
    let regions = minsheng_store::regions_csv(minsheng_store::REGIONS_CSV).expect("regions");
    let counties: Vec<&minsheng_store::RegionRow> = regions
        .iter()
        .filter(|r| r.level == minsheng_store::Level::County)
        .collect();
    // Count indicators (whole numbers ≥ 0) and rates (0–100): no numerator columns, so every
    // row is one value.
    let indicators: Vec<&minsheng_catalog::Indicator> = catalog
        .entries()
        .iter()
        .filter(|i| i.unit == "%" || i.unit == "个")
        .take(24)
        .collect();
    let quarters: Vec<String> = (2022..=2025)
        .flat_map(|y| (1..=4).map(move |q| format!("{y}Q{q}")))
        .take(15)
        .collect();
    let mut csv = String::from("dataelement,period,orgunit,value\n");
    let mut n = 0usize;
    for q in &quarters {
        for c in &counties {
            for (k, ind) in indicators.iter().enumerate() {
                let h = (c.code.len() * 31 + k * 17 + n) % 97;
                let value = if ind.unit == "%" { 40 + h % 55 } else { h * 3 };
                let _ = writeln!(csv, "{},{},{},{}", ind.id, q, c.code, value);
                n += 1;
            }
        }
    }
    let known: Vec<KnownRegion> = regions
        .iter()
        .map(|r| KnownRegion {
            code: r.code.clone(),
            names: vec![r.name.clone()],
        })
        .collect();
    let mut ctx = ImportContext::from_catalog(&catalog, known, "bench", "2026-01-01T00:00:00Z");
    ctx.jump_threshold = None;
    println!(
        "{n} values, {} MB of CSV ({} counties × {} indicators × {} quarters)",
        csv.len() / 1_000_000,
        counties.len(),
        indicators.len(),
        quarters.len()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut totals = Vec::new();
    for run in 1..=3 {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let (validate, store_time) = runtime.block_on(async {
            let store = fresh_store(&url, &regions, &catalog).await;
            let t = Instant::now();
            let report = minsheng_collect::read("bench.csv", csv.as_bytes(), &ctx);
            assert!(report.errors.is_empty(), "{:?}", report.errors.first());
            let validate = t.elapsed();
            let t = Instant::now();
            let outcome = store
                .import_values(&report.rows, "bench", "bench")
                .await
                .expect("import");
            assert_eq!(outcome.inserted, n);
            (validate, t.elapsed())
        });
        let total = validate + store_time;
        println!(
            "  run {run}: validate {:.3} s, store {:.3} s, total {:.3} s → {:.0} values/s",
            validate.as_secs_f64(),
            store_time.as_secs_f64(),
            total.as_secs_f64(),
            n as f64 / total.as_secs_f64()
        );
        totals.push(total);
    }
    totals.sort();
    println!(
        "one step after the other: median {:.3} s → {:.0} values/s",
        totals[1].as_secs_f64(),
        n as f64 / totals[1].as_secs_f64()
    );

    let mut totals = Vec::new();
    for run in 1..=3 {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let bytes = csv.clone().into_bytes();
        let total = runtime.block_on(async {
            let store = fresh_store(&url, &regions, &catalog).await;
            let t = Instant::now();
            let (report, outcome) = minsheng_app::import::read_and_store(
                &store,
                "bench.csv",
                bytes,
                &ctx,
                "bench",
                "bench",
            )
            .await
            .expect("import");
            let total = t.elapsed();
            assert!(report.errors.is_empty(), "{:?}", report.errors.first());
            assert_eq!(outcome.expect("stored").inserted, n);
            total
        });
        println!(
            "  run {run}, as minsheng import: {:.3} s → {:.0} values/s",
            total.as_secs_f64(),
            n as f64 / total.as_secs_f64()
        );
        totals.push(total);
    }
    totals.sort();
    let median: Duration = totals[1];
    println!(
        "CSV → validated → SQLite, as minsheng import: median {:.3} s → {:.0} values/s",
        median.as_secs_f64(),
        n as f64 / median.as_secs_f64()
    );

    let mut floors = Vec::new();
    for run in 1..=3 {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("floor.db");
        let floor = runtime.block_on(sqlite_alone(
            &path,
            &regions,
            &catalog,
            &counties,
            &indicators,
            &quarters,
        ));
        assert_eq!(floor.1, n as i64);
        println!(
            "  SQLite alone, run {run}: {:.3} s → {:.0} values/s",
            floor.0.as_secs_f64(),
            n as f64 / floor.0.as_secs_f64()
        );
        floors.push(floor.0);
    }
    floors.sort();
    println!(
        "SQLite alone (INSERT … SELECT, no parameters): median {:.3} s → {:.0} values/s; \
         the whole import takes {:.2}× as long",
        floors[1].as_secs_f64(),
        n as f64 / floors[1].as_secs_f64(),
        median.as_secs_f64() / floors[1].as_secs_f64()
    );
}

/// A new store at `url` holding the regions and the catalog's indicators, no values.
async fn fresh_store(
    url: &str,
    regions: &[minsheng_store::RegionRow],
    catalog: &minsheng_catalog::Catalog,
) -> Store {
    let store = Store::open(url).await.expect("open");
    store.load_regions(regions).await.expect("regions");
    store
        .save_indicators(&minsheng_app::indicator_rows(catalog))
        .await
        .expect("indicators");
    store
}

/// Inserts the bench's cells (the same count, key order and columns as the import writes)
/// into a fresh store's `value_cells` with one statement run inside SQLite, and commits.
/// Returns the time from BEGIN to the end of COMMIT and the rows stored.
async fn sqlite_alone(
    path: &std::path::Path,
    regions: &[minsheng_store::RegionRow],
    catalog: &minsheng_catalog::Catalog,
    counties: &[&minsheng_store::RegionRow],
    indicators: &[&minsheng_catalog::Indicator],
    quarters: &[String],
) -> (Duration, i64) {
    let url = format!("sqlite://{}", path.display());
    fresh_store(&url, regions, catalog).await.close().await;
    let mut conn = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("connect");
    // The store's connection settings (`Store::open`).
    for pragma in [
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA cache_size = -65536",
        "CREATE TEMP TABLE p (period TEXT, period_end INTEGER)",
        "CREATE TEMP TABLE region_codes (code TEXT)",
        "CREATE TEMP TABLE indicator_ids (id TEXT)",
        "INSERT INTO entries (source, entered_by, entered_at) \
         VALUES ('csv', 'bench', '2026-01-01T00:00:00Z')",
        // Numbered as an import numbers them.
        "INSERT INTO value_regions (code) SELECT code FROM regions ORDER BY code",
        "INSERT INTO value_indicators (indicator_id) SELECT id FROM indicators ORDER BY id",
    ] {
        conn.execute(pragma).await.expect(pragma);
    }
    // Sorted as the table's key, so the cross join yields the rows in key order, as the
    // import writes them.
    let mut periods: Vec<minsheng_model::Period> = quarters
        .iter()
        .map(|q| minsheng_model::Period::parse(q).expect("period"))
        .collect();
    periods.sort_by_key(|p| p.to_string());
    for p in &periods {
        sqlx::query("INSERT INTO p VALUES (?, ?)")
            .bind(p.to_string())
            .bind(p.end_month())
            .execute(&mut conn)
            .await
            .expect("period");
    }
    let codes: Vec<&str> = counties.iter().map(|c| c.code.as_str()).collect();
    let ids: Vec<&str> = indicators.iter().map(|i| i.id.as_str()).collect();
    for (insert, texts) in [
        ("INSERT INTO region_codes VALUES (?)", codes),
        ("INSERT INTO indicator_ids VALUES (?)", ids),
    ] {
        for text in texts {
            sqlx::query(insert)
                .bind(text)
                .execute(&mut conn)
                .await
                .expect(insert);
        }
    }
    // The cells' numbers, in order.
    for sql in [
        "CREATE TEMP TABLE r AS SELECT id FROM value_regions \
         WHERE code IN (SELECT code FROM region_codes) ORDER BY id",
        "CREATE TEMP TABLE i AS SELECT id FROM value_indicators \
         WHERE indicator_id IN (SELECT id FROM indicator_ids) ORDER BY id",
    ] {
        conn.execute(sql).await.expect(sql);
    }
    let t = Instant::now();
    conn.execute("BEGIN IMMEDIATE").await.expect("begin");
    conn.execute(
        "INSERT INTO value_cells (period, region, indicator, period_end, value, \
         numerator, denominator, entry_id, comment, state, simulated) \
         SELECT p.period, r.id, i.id, p.period_end, 55.0, NULL, NULL, \
         (SELECT max(id) FROM entries), NULL, 'draft', 0 \
         FROM p CROSS JOIN r CROSS JOIN i",
    )
    .await
    .expect("insert");
    conn.execute("COMMIT").await.expect("commit");
    let elapsed = t.elapsed();
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM value_cells")
        .fetch_one(&mut conn)
        .await
        .expect("count");
    (elapsed, stored)
}
