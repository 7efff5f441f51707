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

use minsheng_assess::rng::fmix32;
use minsheng_assess::{
    AssessFilter, AssessInput, Hierarchy, IndicatorInfo, IndicatorSet, PeriodKey, RegionInput,
    TargetRef, ValueTableBuilder, assess,
};
use minsheng_catalog::{Aggregation, Kind, Polarity};
use minsheng_model::{Op, Period, RegionLevel};

const INDICATORS: u32 = 300;
const QUARTERS: u32 = 12;
const RUNS: usize = 5;

/// (lo, hi, direction, lowest annual growth, kind, unit) by indicator index mod 3.
const KINDS: [(f64, f64, f64, f64, Kind, &str); 3] = [
    (40.0, 90.0, 1.0, -0.06, Kind::Rate, "%"),
    (3.0, 15.0, -1.0, -0.10, Kind::PerMille, "‰"),
    (1.0, 10.0, 1.0, -0.06, Kind::PerCapita, "张"),
];

/// fmix32 of (county, indicator, quarter, salt) as a double in [0, 1): the same expression
/// tools/duckdb_assess.py evaluates in SQL.
fn u(c: u32, i: u32, q: u32, salt: u32) -> f64 {
    let x = ((c * INDICATORS + i) * 16 + q) * 8 + salt;
    f64::from(fmix32(x)) / 4_294_967_296.0
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let regions_path = root.join("data/regions/regions.csv");
    let text = std::fs::read_to_string(&regions_path).expect("data/regions/regions.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<RegionInput> = reader
        .records()
        .map(|r| r.expect("a regions.csv record"))
        .map(|r| RegionInput {
            code: r[0].to_string(),
            name: Some(r[1].to_string()),
            level: match &r[2] {
                "province" => RegionLevel::Province,
                "prefecture" => RegionLevel::Prefecture,
                _ => RegionLevel::County,
            },
            parent: (!r[3].is_empty()).then(|| r[3].to_string()),
            kind: (!r[4].is_empty()).then(|| r[4].to_string()),
        })
        .collect();
    let h = Hierarchy::new(rows).expect("a valid hierarchy");
    let mut counties: Vec<u32> = (0..h.len() as u32)
        .filter(|r| h.level(*r) == RegionLevel::County)
        .collect();
    counties.sort_by_key(|r| h.code(*r).to_string());
    let provinces: Vec<u32> = (0..h.len() as u32)
        .filter(|r| h.level(*r) == RegionLevel::Province)
        .collect();

    let infos: Vec<IndicatorInfo> = (0..INDICATORS)
        .map(|i| {
            let (_, _, d, _, kind, unit) = KINDS[(i % 3) as usize];
            IndicatorInfo {
                id: format!("ind{i:03}"),
                name: format!("指标{i:03}"),
                unit: unit.to_string(),
                polarity: if d > 0.0 {
                    Polarity::HigherIsBetter
                } else {
                    Polarity::LowerIsBetter
                },
                kind,
                aggregation: Aggregation::Ratio,
                additive: false,
                applies_to: None,
            }
        })
        .collect();
    let indicators = IndicatorSet::new(infos).expect("distinct ids");
    let targets: Vec<TargetRef> = provinces
        .iter()
        .flat_map(|&p| {
            let h = &h;
            (0..INDICATORS).map(move |i| {
                let (lo, hi, d, ..) = KINDS[(i % 3) as usize];
                TargetRef {
                    region: h.code(p).to_string(),
                    indicator: format!("ind{i:03}"),
                    op: if d > 0.0 { Op::AtLeast } else { Op::AtMost },
                    value: if d > 0.0 {
                        lo + (hi - lo) * 0.85
                    } else {
                        lo + (hi - lo) * 0.15
                    },
                    year: 2025,
                    plan_start: Some(2023),
                    baseline: None,
                    baseline_year: None,
                    quote: String::new(),
                    plan: "synthetic".into(),
                    lead_units: vec![],
                }
            })
        })
        .collect();

    // Generate in (region, indicator, period) order, as the table keeps it.
    let t = Instant::now();
    let mut b = ValueTableBuilder::new(h.len() as u32, INDICATORS);
    b.reserve(counties.len() * (INDICATORS * QUARTERS) as usize);
    for (c, &region) in counties.iter().enumerate() {
        let c = c as u32;
        for i in 0..INDICATORS {
            let (lo, hi, _, gmin, kind, _) = KINDS[(i % 3) as usize];
            let base = lo + (hi - lo) * u(c, i, 15, 1);
            let g = gmin + 0.16 * u(c, i, 15, 2);
            if u(c, i, 15, 3) < 0.005 {
                continue; // never reported
            }
            let scale = if kind == Kind::PerMille {
                1000.0
            } else if kind == Kind::Rate {
                100.0
            } else {
                1.0
            };
            for q in 0..QUARTERS {
                if u(c, i, q, 4) < 0.03 {
                    continue; // a gap
                }
                let time = 2022.0 + f64::from(q + 1) / 4.0;
                let v = base * (1.0 + g * (time - 2023.0)) * (1.0 + 0.01 * (u(c, i, q, 5) - 0.5));
                let period = Period::Quarter(2022 + (q / 4) as i32, (q % 4) as u8 + 1);
                // Parts with a denominator of 1000, so provinces and prefectures aggregate.
                b.push(
                    region,
                    i,
                    PeriodKey::of(period),
                    v,
                    Some((v * 1000.0 / scale, 1000.0)),
                    true,
                );
            }
        }
    }
    let generated = t.elapsed().as_secs_f64();
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
