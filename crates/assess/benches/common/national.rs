//! The national synthetic data set shared by the assessment and evaluation benchmarks:
//! `crates/assess/benches/assess.rs` and `crates/evaluate/benches/evaluate.rs` include this
//! file by path (it sits in a folder so cargo does not take it for a bench of its own). The
//! real hierarchy (data/regions/regions.csv), 300 synthetic indicators (rates in %, per-mille
//! lower-is-better, per-capita) with a target in every province's plan, and 12 quarters
//! 2022Q1–2024Q4 for every county from MurmurHash3's fmix32 on (county, indicator, quarter,
//! salt) — the expression tools/duckdb_assess.py evaluates in SQL.

// Each bench uses part of what is here.
#![allow(dead_code)]

use std::path::Path;

use minsheng_assess::rng::fmix32;
use minsheng_assess::{
    Hierarchy, IndicatorInfo, PeriodKey, RegionInput, TargetRef, ValueTableBuilder,
};
use minsheng_catalog::{Aggregation, Kind, Polarity};
use minsheng_model::{Op, Period, RegionLevel};

pub const INDICATORS: u32 = 300;
pub const QUARTERS: u32 = 12;

/// (lo, hi, direction, lowest annual growth, kind, unit) by indicator index mod 3.
pub const KINDS: [(f64, f64, f64, f64, Kind, &str); 3] = [
    (40.0, 90.0, 1.0, -0.06, Kind::Rate, "%"),
    (3.0, 15.0, -1.0, -0.10, Kind::PerMille, "‰"),
    (1.0, 10.0, 1.0, -0.06, Kind::PerCapita, "张"),
];

/// fmix32 of (county, indicator, quarter, salt) as a double in [0, 1): the same expression
/// tools/duckdb_assess.py evaluates in SQL.
pub fn u(c: u32, i: u32, q: u32, salt: u32) -> f64 {
    let x = ((c * INDICATORS + i) * 16 + q) * 8 + salt;
    f64::from(fmix32(x)) / 4_294_967_296.0
}

pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The data set, with the values still in the builder (so a bench can time building the table).
pub struct National {
    pub h: Hierarchy,
    /// County indexes in code order.
    pub counties: Vec<u32>,
    pub provinces: Vec<u32>,
    pub infos: Vec<IndicatorInfo>,
    pub targets: Vec<TargetRef>,
    pub values: ValueTableBuilder,
}

/// Builds the data set from the repository at `root`.
pub fn build(root: &Path) -> National {
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
    National {
        h,
        counties,
        provinces,
        infos,
        targets,
        values: b,
    }
}
