//! The web application under load (issue 6, Speed): the overview page (signed in) and the
//! indicator API, served by the release build in-process on a loopback port, driven by `wrk`
//! (2 threads, 64 connections, 15 s each, `--latency`), with the national synthetic data set
//! in a SQLite store.
//!
//! ```sh
//! apt-get install wrk        # the bench says so and stops when wrk is missing
//! cargo bench -p minsheng-web --bench serve_load
//! ```
//!
//! The data: the bundled plans and the Yunnan demo values (as `minsheng serve` loads them on
//! first run), then the national synthetic values of the assessment bench
//! (`crates/assess/benches/common/national.rs`: the same hash, bounds and growth per
//! (county, indicator, quarter)) for every one of the real hierarchy's counties, every
//! catalog indicator (150: the store accepts only catalog indicators, where the assessment
//! bench has 300 synthetic ones) and 12 quarters 2022Q1–2024Q4 — about 5.1 million values,
//! approved, marked 模拟数据. `MINSHENG_BENCH_QUARTERS=24` (2019Q1–2024Q4) loads ~10 million,
//! the size of the assessment bench's set. `MINSHENG_BENCH_SECS` changes the 15 s.
//!
//! Target (the issue): at least 2,000 requests/s with p99 under 50 ms on two cores. The
//! server runs on a 2-worker tokio runtime; wrk shares the same two cores.

#[path = "../../assess/benches/common/national.rs"]
mod national;

use minsheng_catalog::Kind;
use minsheng_model::{DataValue, Period, ReviewState, ValueSource};
use minsheng_store::{Level, NewUser, Role};
use minsheng_web::{AppState, Config};
use std::process::Command;
use std::time::Instant;
use tower::ServiceExt;

fn env_u32(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// wrk's figures: requests/s and the 99th percentile latency line.
fn run_wrk(label: &str, url: &str, cookie: &str, secs: u32) {
    let out = Command::new("wrk")
        .args(["-t2", "-c64", &format!("-d{secs}s"), "--latency", "-H"])
        .arg(format!("Cookie: {cookie}"))
        .arg(url)
        .output()
        .expect("wrk runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let rps = text
        .lines()
        .find(|l| l.starts_with("Requests/sec:"))
        .map_or("?", |l| l.trim_start_matches("Requests/sec:").trim());
    let p99 = text
        .lines()
        .find(|l| l.trim_start().starts_with("99%"))
        .map_or("?", |l| l.trim().trim_start_matches("99%").trim());
    let non2xx = text
        .lines()
        .find(|l| l.contains("Non-2xx"))
        .unwrap_or("all responses 2xx");
    println!(
        "{label:<28} {rps:>10} req/s   p99 {p99:>9}   ({})",
        non2xx.trim()
    );
    if std::env::var_os("MINSHENG_BENCH_VERBOSE").is_some() {
        println!("{text}");
    }
}

fn main() {
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        // `cargo test --benches`: nothing to smoke-test cheaply (the set takes a minute).
        return;
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        println!(
            "serve_load: wrk is not installed; install it with `apt-get install wrk` and run again"
        );
        return;
    }
    let quarters = env_u32("MINSHENG_BENCH_QUARTERS", 12);
    let secs = env_u32("MINSHENG_BENCH_SECS", 15);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let dir = tempfile::tempdir().expect("a temp dir");
    let url = format!("sqlite://{}/bench.db", dir.path().display());

    let (state, cookie, indicator) = rt.block_on(async {
        let t = Instant::now();
        let (store, _) = minsheng_app::open(&url).await.expect("the store opens");
        let first = minsheng_app::bootstrap::first_run(&store)
            .await
            .expect("plans and demo data load");
        println!(
            "serve_load: {} plans, {} Yunnan demo values in {:.1} s",
            first.plans,
            first.demo_values,
            t.elapsed().as_secs_f64()
        );

        // The national synthetic values, a province at a time (bounded memory).
        let catalog = minsheng_app::catalog().expect("the catalog");
        let entries = catalog.entries();
        let provinces = store
            .list_regions(None, Some(Level::Province))
            .await
            .expect("provinces");
        let t = Instant::now();
        let mut total = 0usize;
        let mut c = 0u32;
        let first_year = 2025 - (quarters as i32 + 3) / 4;
        for p in &provinces {
            let counties = store
                .list_regions(Some(&p.code), Some(Level::County))
                .await
                .expect("counties");
            let mut batch: Vec<DataValue> = Vec::new();
            for county in &counties {
                for (i, e) in entries.iter().enumerate() {
                    let i = i as u32;
                    let k = match e.kind {
                        Kind::Rate => 0,
                        Kind::PerMille => 1,
                        _ => 2,
                    };
                    let (lo, hi, _, gmin, _, _) = national::KINDS[k];
                    let base = lo + (hi - lo) * national::u(c, i, 15, 1);
                    let g = gmin + 0.16 * national::u(c, i, 15, 2);
                    if national::u(c, i, 15, 3) < 0.005 {
                        continue; // never reported
                    }
                    for q in 0..quarters {
                        if national::u(c, i, q % 16, 4) < 0.03 {
                            continue; // a gap
                        }
                        let year = first_year + (q / 4) as i32;
                        let time = f64::from(year) + f64::from(q % 4 + 1) / 4.0;
                        let v = base
                            * (1.0 + g * (time - 2023.0))
                            * (1.0 + 0.01 * (national::u(c, i, q % 16, 5) - 0.5));
                        let v = if k == 0 { v.clamp(0.0, 100.0) } else { v.max(0.0) };
                        batch.push(DataValue {
                            indicator: e.id.clone(),
                            region: county.code.clone(),
                            period: Period::Quarter(year, (q % 4) as u8 + 1),
                            value: (v * 100.0).round() / 100.0,
                            numerator: None,
                            denominator: None,
                            source: ValueSource::Demo,
                            entered_by: "模拟数据".into(),
                            entered_at: "2025-01-15T00:00:00Z".into(),
                            comment: None,
                            state: ReviewState::Approved,
                        });
                    }
                }
                c += 1;
            }
            total += batch.len();
            store
                .import_values(&batch, "模拟数据", "serve_load bench")
                .await
                .expect("the synthetic values import");
        }
        let load = t.elapsed().as_secs_f64();
        println!(
            "serve_load: {total} synthetic values ({c} counties × {} indicators × {quarters} quarters, gaps left out) stored in {load:.1} s ({:.0} values/s)",
            entries.len(),
            total as f64 / load
        );

        let hash = minsheng_web::auth::password::hash("bench-secret".into())
            .await
            .expect("a hash");
        let user = store
            .create_user(&NewUser {
                username: "bench".into(),
                display_name: "压测".into(),
                password_hash: hash,
                role: Role::Viewer,
                region_code: None,
                unit: None,
                demo: false,
            })
            .await
            .expect("a user");
        let state = AppState::new(store, Config::default());
        let cookie = minsheng_web::auth::session::open(&state, &user)
            .await
            .expect("a session");
        let cookie = format!("{}={}", cookie.name(), cookie.value());

        // Warm the cache: the monitoring inputs, the overview, one indicator.
        let t = Instant::now();
        let m = state.monitor().await.expect("the monitor");
        let indicator = m
            .inputs
            .targets
            .first()
            .map(|t| t.indicator.clone())
            .expect("a target");
        println!(
            "serve_load: monitoring inputs and value table built in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        for uri in ["/".to_string(), format!("/api/indicators/{indicator}")] {
            let t = Instant::now();
            let req = axum::http::Request::get(&uri)
                .header("cookie", &cookie)
                .body(axum::body::Body::empty())
                .expect("a request");
            let resp = minsheng_web::router(state.clone())
                .oneshot(req)
                .await
                .expect("a response");
            assert!(resp.status().is_success(), "{uri}: {}", resp.status());
            println!(
                "serve_load: first {uri} in {:.0} ms",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
        (state, cookie, indicator)
    });

    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let addr = listener.local_addr().expect("an address");
    rt.spawn(minsheng_web::serve(state, listener));

    println!(
        "serve_load: wrk -t2 -c64 -d{secs}s --latency on http://{addr} (server: 2 tokio workers, same 2 cores as wrk)"
    );
    run_wrk(
        "GET / (overview, signed in)",
        &format!("http://{addr}/"),
        &cookie,
        secs,
    );
    run_wrk(
        "GET /api/indicators/{id}",
        &format!("http://{addr}/api/indicators/{indicator}"),
        &cookie,
        secs,
    );
    println!("serve_load: indicator {indicator}; target ≥ 2,000 req/s, p99 < 50 ms");
    rt.shutdown_background();
}
