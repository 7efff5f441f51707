//! The whole import path as `minsheng import` runs it: a CSV file's bytes are read and
//! validated (`minsheng_collect::read`), then stored in one transaction into a fresh SQLite file
//! (`Store::import_values`). Prints validated values per second, median of 3.
//!
//! `cargo bench -p minsheng --bench import_path`

use minsheng_collect::{ImportContext, KnownRegion};
use minsheng_store::Store;
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
            let store = Store::open(&url).await.expect("open");
            store.load_regions(&regions).await.expect("regions");
            let rows = minsheng_app::indicator_rows(&catalog);
            store.save_indicators(&rows).await.expect("indicators");
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
    let median: Duration = totals[1];
    println!(
        "CSV → validated → SQLite: median {:.3} s → {:.0} values/s",
        median.as_secs_f64(),
        n as f64 / median.as_secs_f64()
    );
}
