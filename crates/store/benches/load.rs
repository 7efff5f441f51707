//! How long loading the national hierarchy (all of data/regions/regions.csv) into a fresh
//! SQLite store takes: median of 5 runs, each into a new file.
//!
//! ```sh
//! cargo bench -p minsheng-store --bench load
//! ```

use std::time::{Duration, Instant};

use minsheng_store::{REGIONS_CSV, Store, region_short_name, regions_csv};

const RUNS: usize = 5;

fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing special. Either way
    // run once quickly under test, fully under bench.
    let runs = if std::env::args().any(|a| a == "--bench") {
        RUNS
    } else {
        1
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");

    let t = Instant::now();
    let rows = regions_csv(REGIONS_CSV).expect("regions.csv parses");
    let parse = t.elapsed();
    let t = Instant::now();
    let shorts = rows
        .iter()
        .map(|r| region_short_name(&r.name).len())
        .sum::<usize>();
    let short = t.elapsed();
    assert!(shorts > 0);

    let (mut opens, mut loads) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("bench.db");
        rt.block_on(async {
            let t = Instant::now();
            let store = Store::open(&path.display().to_string())
                .await
                .expect("open a new store");
            opens.push(t.elapsed());

            let t = Instant::now();
            let n = store.load_regions(&rows).await.expect("load regions");
            loads.push(t.elapsed());
            assert_eq!(n, rows.len());
            assert_eq!(store.region_count().await.unwrap(), rows.len() as i64);
            store.close().await;
        });
    }
    println!(
        "regions: {} rows; parse CSV {}; short names {}; open + migrate new SQLite file: median {}; \
         load_regions (one transaction): median {} of {runs} runs (all: {})",
        rows.len(),
        ms(parse),
        ms(short),
        ms(median(opens)),
        ms(median(loads.clone())),
        loads.iter().map(|d| ms(*d)).collect::<Vec<_>>().join(", ")
    );
}
