//! How fast `import_values` stores validated values in SQLite: 1,000,000 values into a fresh
//! file, median of 3 runs, each into a new file (regions and catalogue loaded first, not
//! timed). Also timed, once per run: importing the same million again (every value
//! unchanged), a second million into the now-filled store (new cells, checked against the
//! stored ones), and reading everything back with `all_values_for_assessment`.
//!
//! ```sh
//! cargo bench -p minsheng-store --bench values
//! ```
//!
//! Under `cargo test --benches` it runs once on 20,000 values, as a smoke test.
//!
//! The values come in the order a CSV lists them (region, then period, then indicator),
//! which is not the table's (period first): `import_values` writes in key order itself.
//! On the 2-core development machine, shared with other builds, three invocations gave
//! medians of 622,000, 626,000 and 659,000 values a second for the fresh import (single
//! runs 473,000–731,000); the same million again ~375,000–470,000/s, a second million into
//! the filled store ~350,000–400,000/s, reading 2 million back ~520,000–580,000/s.

use std::time::{Duration, Instant};

use minsheng_model::{DataValue, Period, ReviewState, ValueSource};
use minsheng_store::{IndicatorRow, Level, REGIONS_CSV, Store, regions_csv};

const RUNS: usize = 3;
const INDICATORS: usize = 40;
const PERIODS: usize = 10;

fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

fn per_second(n: usize, d: Duration) -> String {
    format!("{:.0}/s", n as f64 / d.as_secs_f64())
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn catalogue() -> Vec<IndicatorRow> {
    (0..INDICATORS)
        .map(|i| IndicatorRow {
            id: format!("indicator_{i:02}"),
            name: format!("指标{i}"),
            unit: "%".into(),
            polarity: "higher_better".into(),
            kind: "rate".into(),
            aggregation: "weighted_mean".into(),
            synonyms: vec![],
        })
        .collect()
}

/// `n` values, in the order a DHIS2-style CSV lists them: by region, period, indicator.
/// Every fourth is a rate with numerator and denominator, every tenth has a comment.
fn values(counties: &[String], periods: &[Period], n: usize) -> Vec<DataValue> {
    let mut out = Vec::with_capacity(n);
    'all: for region in counties {
        for &period in periods {
            for i in 0..INDICATORS {
                if out.len() == n {
                    break 'all;
                }
                let k = out.len();
                let (numerator, denominator) = if k % 4 == 0 {
                    (Some((k % 997) as f64), Some(1000.0))
                } else {
                    (None, None)
                };
                out.push(DataValue {
                    indicator: format!("indicator_{i:02}"),
                    region: region.clone(),
                    period,
                    value: (k % 10_007) as f64 / 100.0,
                    numerator,
                    denominator,
                    source: ValueSource::Csv,
                    entered_by: "county_clerk".into(),
                    entered_at: "2025-01-10T08:00:00Z".into(),
                    comment: (k % 10 == 0).then(|| "含民办机构".to_string()),
                    state: ReviewState::Draft,
                });
            }
        }
    }
    assert_eq!(out.len(), n, "not enough cells: add periods");
    out
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (n, runs) = if full { (1_000_000, RUNS) } else { (20_000, 1) };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");

    let regions = regions_csv(REGIONS_CSV).expect("regions.csv parses");
    let counties: Vec<String> = regions
        .iter()
        .filter(|r| r.level == Level::County)
        .map(|r| r.code.clone())
        .collect();
    let periods_2024: Vec<Period> = (1..=4)
        .map(|q| Period::Quarter(2024, q))
        .chain((1..=6).map(|m| Period::Month(2024, m)))
        .collect();
    assert_eq!(periods_2024.len(), PERIODS);
    let periods_2025: Vec<Period> = periods_2024
        .iter()
        .map(|p| match *p {
            Period::Quarter(_, q) => Period::Quarter(2025, q),
            Period::Month(_, m) => Period::Month(2025, m),
            Period::Year(_) => Period::Year(2025),
        })
        .collect();
    let t = Instant::now();
    let first = values(&counties, &periods_2024, n);
    let second = values(&counties, &periods_2025, n);
    let generate = t.elapsed();

    let (mut fresh, mut again, mut more, mut read) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("bench.db");
        rt.block_on(async {
            let store = Store::open(&path.display().to_string())
                .await
                .expect("open a new store");
            store.load_regions(&regions).await.expect("load regions");
            store
                .save_indicators(&catalogue())
                .await
                .expect("catalogue");

            let t = Instant::now();
            let outcome = store
                .import_values(&first, "bench", "first.csv")
                .await
                .expect("import into an empty store");
            fresh.push(t.elapsed());
            assert_eq!(outcome.inserted, n);

            let t = Instant::now();
            let outcome = store
                .import_values(&first, "bench", "first.csv")
                .await
                .expect("import the same again");
            again.push(t.elapsed());
            assert_eq!(outcome.unchanged, n);

            let t = Instant::now();
            let outcome = store
                .import_values(&second, "bench", "second.csv")
                .await
                .expect("import into a filled store");
            more.push(t.elapsed());
            assert_eq!(outcome.inserted, n);

            let t = Instant::now();
            let all = store.all_values_for_assessment().await.expect("read all");
            read.push(t.elapsed());
            assert_eq!(all.len(), 2 * n);
            store.close().await;
        });
    }
    let fresh_median = median(fresh.clone());
    println!(
        "import_values, {n} values into a new SQLite file: median {} = {} over {runs} runs \
         (all: {})",
        secs(fresh_median),
        per_second(n, fresh_median),
        fresh
            .iter()
            .map(|d| per_second(n, *d))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let m = median(again);
    println!(
        "  the same {n} again (all unchanged): median {} = {}",
        secs(m),
        per_second(n, m)
    );
    let m = median(more);
    println!(
        "  {n} new cells into the filled store: median {} = {}",
        secs(m),
        per_second(n, m)
    );
    let m = median(read);
    println!(
        "  all_values_for_assessment, {} values: median {} = {}",
        2 * n,
        secs(m),
        per_second(2 * n, m)
    );
    println!("  (generating the values: {})", secs(generate));
}
