//! Import speed: 1,000,000 CSV rows (DHIS2 layout, generated in memory) read, decoded and
//! validated into `DataValue`s; the median of 3 runs. The store's insert is measured
//! elsewhere; the target for the whole path (CSV → SQLite) is ≥ 500,000 values per second.
//!
//! `cargo bench -p minsheng-collect --bench import` (optionally `-- ROWS` for another size).

use minsheng_catalog::{Catalog, Kind};
use minsheng_collect::{ImportContext, KnownRegion, read_csv, read_xlsx, template};
use minsheng_model::Period;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const INDICATORS: usize = 100;
const PERIODS: i32 = 10;

/// CPU time this thread has run, from /proc (Linux); the machine may be shared, and wall time
/// then counts other processes' turns too.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `f` and returns (wall, cpu) time.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let cpu0 = cpu_time();
    let t = Instant::now();
    let out = f();
    let wall = t.elapsed();
    let cpu = cpu_time().zip(cpu0).map(|(b, a)| b.saturating_sub(a));
    (out, wall, cpu)
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// `rows` rows over 100 indicators × 10 years × as many regions as it takes; rates given as
/// value, or as numerator and denominator every fourth row; values drift a few percent a year;
/// every tenth row has a comment in Chinese.
fn generate(catalog: &Catalog, rows: usize, regions: &[KnownRegion]) -> String {
    let indicators: Vec<_> = catalog.entries().iter().take(INDICATORS).collect();
    let mut out = String::with_capacity(rows * 60);
    out.push_str("dataelement,period,orgunit,value,numerator,denominator,comment\n");
    let mut n = 0;
    'all: for region in regions {
        for ind in &indicators {
            for y in 0..PERIODS {
                if n == rows {
                    break 'all;
                }
                let drift = 1.0 + f64::from(y) * 0.01;
                let _ = match ind.kind {
                    Kind::Rate if n % 4 == 0 => {
                        let den = 2000 + (n % 500);
                        let num = den * 9 / 10;
                        writeln!(out, "{},{},{},,{num},{den},", ind.id, 2015 + y, region.code)
                    }
                    Kind::Rate => {
                        writeln!(
                            out,
                            "{},{},{},{:.1},,,",
                            ind.id,
                            2015 + y,
                            region.code,
                            80.0 * drift
                        )
                    }
                    Kind::PerMille => {
                        writeln!(
                            out,
                            "{},{},{},{:.2},,,",
                            ind.id,
                            2015 + y,
                            region.code,
                            4.0 * drift
                        )
                    }
                    Kind::Count => writeln!(
                        out,
                        "{},{},{},{},,,",
                        ind.id,
                        2015 + y,
                        region.code,
                        (120.0 * drift).round()
                    ),
                    _ => writeln!(
                        out,
                        "{},{},{},{:.2},,,",
                        ind.id,
                        2015 + y,
                        region.code,
                        2.5 * drift
                    ),
                };
                if n % 10 == 0 {
                    // A comment in Chinese now and then, so the GBK bytes differ from UTF-8.
                    out.pop();
                    out.push_str("含流动人口\n");
                }
                n += 1;
            }
        }
    }
    out
}

fn main() {
    let rows: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let catalog =
        Catalog::from_toml(include_str!("../../../data/catalog/indicators.toml")).expect("catalog");
    let region_count = rows.div_ceil(INDICATORS * PERIODS as usize);
    let regions: Vec<KnownRegion> = (0..region_count)
        .map(|i| KnownRegion {
            code: format!("{}", 530_000 + i),
            names: vec![format!("测试地区{i}")],
        })
        .collect();
    let ctx =
        ImportContext::from_catalog(&catalog, regions.clone(), "bench", "2025-06-01T00:00:00Z");
    let csv = generate(&catalog, rows, &regions);
    let mb = csv.len() as f64 / 1e6;
    println!(
        "collect import bench: {rows} CSV rows, {mb:.1} MB, {} indicators × {PERIODS} years × {region_count} regions",
        INDICATORS
    );

    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    for (label, bytes) in [("csv utf-8", csv.as_bytes()), ("csv gbk", &gbk[..])] {
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        for run in 1..=3 {
            let (report, wall, cpu) = timed(|| read_csv("bench.csv", bytes, &ctx));
            assert!(report.errors.is_empty(), "{:?}", report.errors.first());
            assert_eq!(report.rows.len(), rows);
            println!(
                "  {label} run {run}: wall {:.3} s, cpu {}, {} warnings",
                wall.as_secs_f64(),
                cpu.map_or("n/a".to_string(), |c| format!("{:.3} s", c.as_secs_f64())),
                report.warning_count
            );
            drop(report);
            walls.push(wall);
            cpus.extend(cpu);
        }
        let wall = median(walls);
        print!(
            "{label}: median wall {:.3} s → {:.0} rows/s ({:.0} MB/s)",
            wall.as_secs_f64(),
            rows as f64 / wall.as_secs_f64(),
            mb / wall.as_secs_f64()
        );
        if cpus.len() == 3 {
            let cpu = median(cpus);
            print!(
                "; median cpu {:.3} s → {:.0} rows/s",
                cpu.as_secs_f64(),
                rows as f64 / cpu.as_secs_f64()
            );
        }
        println!();
    }

    // A template-sized workbook: 150 indicators written, filled and read back.
    let request = template::TemplateRequest {
        region_code: "530000".to_string(),
        region_name: "测试地区0".to_string(),
        period: Period::Year(2024),
        department: None,
        rows: catalog
            .entries()
            .iter()
            .map(|i| template::TemplateRow {
                indicator_id: i.id.clone(),
                indicator_name: i.name.clone(),
                unit: i.unit.clone(),
                kind: i.kind,
                target: None,
                last_value: None,
                lead_unit: None,
            })
            .collect(),
    };
    let filled: Vec<template::FilledRow> = catalog
        .entries()
        .iter()
        .map(|i| template::FilledRow {
            indicator_id: i.id.clone(),
            value: Some(template::Entry::Number(if i.kind == Kind::PerMille {
                4.0
            } else {
                50.0
            })),
            ..template::FilledRow::default()
        })
        .collect();
    let t = Instant::now();
    let bytes = template::write_filled(&request, &filled).expect("template");
    let write = t.elapsed();
    let mut runs = Vec::new();
    let mut n = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let report = read_xlsx("bench.xlsx", &bytes, &ctx);
        runs.push(t.elapsed());
        n = report.rows.len();
    }
    println!(
        "xlsx template: {} indicators, {} bytes, written in {:.1} ms, read and validated in {:.1} ms (median of 3, {n} rows)",
        request.rows.len(),
        bytes.len(),
        write.as_secs_f64() * 1e3,
        median(runs).as_secs_f64() * 1e3
    );
}
