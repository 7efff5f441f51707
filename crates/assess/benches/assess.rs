//! Assessment speed on a national-size synthetic data set, with DuckDB as the peer to beat.
//!
//! The hierarchy is the real one (data/regions/regions.csv: 31 provinces, 333 prefectures, 2850
//! counties); 300 synthetic indicators (rates in %, per-mille lower-is-better, per-capita), each
//! with a target in every province's plan; 12 quarters, 2022Q1–2024Q4, for every county: about
//! 10.3 million values, 3% of them missing and 0.5% of series never reported. Values come from
//! MurmurHash3's fmix32 on (county, indicator, quarter, salt) — a formula DuckDB SQL computes
//! exactly, so `tools/duckdb_assess.py` builds the same table.
//!
//! Timed: `assess` over every (county, indicator) pair at as-of 2024Q4 — the nearest ancestor's
//! target, baseline, latest, R, projection, status — median of 5 runs on all cores; then the
//! same over all levels (prefectures and provinces assessed on values made from their
//! counties). Then the DuckDB script times the county computation in SQL (median of 5) and
//! the two sets of status counts are compared.
//!
//! `cargo bench -p minsheng-assess --bench assess`

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use minsheng_assess::{AssessFilter, AssessInput, IndicatorSet, assess};
use minsheng_model::{Period, RegionLevel};

#[path = "common/national.rs"]
mod national;

use national::{INDICATORS, median};

const RUNS: usize = 5;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let regions_path = root.join("data/regions/regions.csv");
    let t = Instant::now();
    let data = national::build(&root);
    let generated = t.elapsed().as_secs_f64();
    let national::National {
        h,
        counties,
        provinces,
        infos,
        targets,
        values: b,
    } = data;
    let indicators = IndicatorSet::new(infos).expect("distinct ids");
    let t = Instant::now();
    let table = b.build();
    let built = t.elapsed().as_secs_f64();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("minsheng-assess benchmark — synthetic national data (模拟数据)");
    println!(
        "  hierarchy: {} regions, {} counties, {} provinces; {} indicators; {} targets",
        h.len(),
        counties.len(),
        provinces.len(),
        INDICATORS,
        targets.len()
    );
    println!(
        "  values: {} (generated in {:.2} s, table built in {:.3} s)",
        table.len(),
        generated,
        built
    );
    println!(
        "  threads: {} (rayon); load average before timing: {}",
        rayon::current_num_threads(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    let input = AssessInput {
        hierarchy: &h,
        indicators: &indicators,
        table: &table,
        targets: &targets,
    };
    let as_of = Period::Quarter(2024, 4);
    let counties_only = AssessFilter {
        levels: vec![RegionLevel::County],
        ..AssessFilter::default()
    };
    let mut runs = Vec::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut rows = 0;
    for run in 0..=RUNS {
        let t = Instant::now();
        let out = assess(&input, as_of, &counties_only).expect("assess");
        let secs = t.elapsed().as_secs_f64();
        if run == 0 {
            // Warm-up run; its counts are the ones compared.
            rows = out.len();
            for a in &out {
                *counts.entry(a.status.as_str()).or_default() += 1;
            }
        } else {
            runs.push(secs);
        }
        drop(out);
    }
    let rust = median(runs.clone());
    println!(
        "\nRust assess, {} (county, indicator) pairs at {as_of}: median {:.3} s of {RUNS} runs {:?}",
        rows,
        rust,
        runs.iter().map(|s| format!("{s:.3}")).collect::<Vec<_>>()
    );
    println!("  status counts: {counts:?}");

    let mut all_runs = Vec::new();
    let mut all_rows = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = assess(&input, as_of, &AssessFilter::default()).expect("assess");
        all_runs.push(t.elapsed().as_secs_f64());
        all_rows = out.len();
    }
    println!(
        "Rust assess, all levels ({all_rows} rows: counties + prefectures and provinces from aggregates): median {:.3} s",
        median(all_runs)
    );

    let script = root.join("tools/duckdb_assess.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg("--regions")
        .arg(&regions_path)
        .args([
            "--indicators",
            &INDICATORS.to_string(),
            "--runs",
            &RUNS.to_string(),
        ])
        .current_dir(&root)
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            println!(
                "\nDuckDB peer skipped: cannot run python3 ({e}). Install Python 3 and `pip install duckdb`."
            );
            return;
        }
    };
    if output.status.code() == Some(3) {
        println!(
            "\nDuckDB peer skipped: the duckdb module is not installed. Install it with `pip install duckdb` (Python 3)."
        );
        return;
    }
    if !output.status.success() {
        println!(
            "\nDuckDB peer failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        return;
    }
    let json: serde_json::Value = match serde_json::from_slice(&output.stdout) {
        Ok(j) => j,
        Err(e) => {
            println!(
                "\nDuckDB peer printed something unexpected ({e}): {}",
                String::from_utf8_lossy(&output.stdout)
            );
            return;
        }
    };
    let duck = json["median_s"].as_f64().unwrap_or(f64::NAN);
    let duck_counts: BTreeMap<String, usize> = json["counts"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0) as usize))
                .collect()
        })
        .unwrap_or_default();
    println!(
        "\nDuckDB {} ({} threads), same data ({} values generated in SQL in {:.1} s), same computation in SQL: median {:.3} s of {RUNS} runs {:?}",
        json["version"].as_str().unwrap_or("?"),
        json["threads"],
        json["values"],
        json["generate_s"].as_f64().unwrap_or(f64::NAN),
        duck,
        json["runs_s"]
            .as_array()
            .map(|a| a
                .iter()
                .filter_map(|x| x.as_f64())
                .map(|s| format!("{s:.3}"))
                .collect::<Vec<_>>())
            .unwrap_or_default()
    );
    println!("  status counts: {duck_counts:?}");
    let ours: BTreeMap<String, usize> = counts.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    let same_values = json["values"].as_u64() == Some(table.len() as u64);
    println!(
        "\nRust {:.3} s vs DuckDB {:.3} s: Rust is {:.1}× {}; values identical in number: {}; status counts agree: {}",
        rust,
        duck,
        if rust < duck {
            duck / rust
        } else {
            rust / duck
        },
        if rust < duck { "faster" } else { "slower" },
        if same_values { "yes" } else { "NO" },
        if ours == duck_counts { "yes" } else { "NO" }
    );
    println!(
        "Target: Rust under 1 s — {}",
        if rust < 1.0 { "met" } else { "NOT met" }
    );
}
