//! Evaluation speed on the national synthetic data set of the monitoring benchmark.
//!
//! The data are built exactly as `crates/assess/benches/assess.rs` builds them: the real
//! hierarchy (data/regions/regions.csv: 31 provinces, 333 prefectures, 2,850 counties), 300
//! synthetic indicators (rates in %, per-mille lower-is-better, per-capita) with a target in
//! every province's plan, 12 quarters 2022Q1–2024Q4 for every county from MurmurHash3's fmix32
//! on (county, indicator, quarter, salt). Added here: each indicator's domain (the nine in
//! turn), a population for every county, a 群众满意度 score for every county and prefecture,
//! a weights file, and a previous run (as of 2024Q3) for the previous ranks.
//!
//! Timed end to end, median of 3 runs on all cores: `assess` at 2024Q4 for every region (the
//! counties, and the prefectures and provinces on values made from their counties — the
//! prefectures need their own scores to be ranked), the county values of every indicator at
//! 2024Q4 and at the 2022 baseline, and `evaluate`: target scores, domain and overall
//! composites, rankings (prefectures in provinces, counties in prefectures and provinces),
//! and equalization for every indicator in every prefecture and province at both periods,
//! with trends. The target is under 2 s on two cores.
//!
//! `cargo bench -p minsheng-evaluate --bench evaluate`

use std::path::PathBuf;
use std::time::Instant;

use minsheng_assess::{AssessFilter, AssessInput, IndicatorSet, assess};
use minsheng_evaluate::{
    EvaluationInput, EvaluationKind, EvaluationResult, ExternalScore, ExternalSource,
    IndicatorMeta, WeightsConfig, cross_sections, evaluate,
};
use minsheng_model::{DOMAINS, Period, RegionLevel};

#[path = "../../assess/benches/common/national.rs"]
mod national;

use national::{INDICATORS, median, u};

const RUNS: usize = 3;

const WEIGHTS: &str = r#"
[domains]
"病有所医" = 2
"老有所养" = 1.5

[indicators]
ind000 = 2
ind004 = 0.5

[external]
satisfaction = 0.1
third_party = 0.1
"#;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let t = Instant::now();
    let national::National {
        h,
        counties,
        provinces,
        infos,
        targets,
        values,
    } = national::build(&root);
    let metas: Vec<IndicatorMeta> = infos
        .iter()
        .enumerate()
        .map(|(i, info)| IndicatorMeta {
            id: info.id.clone(),
            domain: Some(DOMAINS[i % DOMAINS.len()].to_string()),
            polarity: info.polarity,
        })
        .collect();
    let indicators = IndicatorSet::new(infos).expect("distinct ids");
    let table = values.build();
    let generated = t.elapsed().as_secs_f64();

    // Population: 50 000 to 1.5 million per county, from the same hash (salt 6).
    let mut population = vec![f64::NAN; h.len()];
    for (c, &region) in counties.iter().enumerate() {
        population[region as usize] = 50_000.0 + 1_450_000.0 * u(c as u32, 0, 15, 6);
    }
    // 群众满意度 for every county and prefecture (70–95), 第三方评估 for prefectures (60–90).
    let mut external = Vec::new();
    for r in 0..h.len() as u32 {
        let x = u(r, 1, 15, 7);
        match h.level(r) {
            RegionLevel::County | RegionLevel::Prefecture => external.push(ExternalScore {
                region: h.code(r).to_string(),
                source: ExternalSource::Satisfaction,
                score: 70.0 + 25.0 * x,
                period: Period::Year(2024),
                line: 0,
            }),
            RegionLevel::Province => {}
        }
        if h.level(r) == RegionLevel::Prefecture {
            external.push(ExternalScore {
                region: h.code(r).to_string(),
                source: ExternalSource::ThirdParty,
                score: 60.0 + 30.0 * u(r, 2, 15, 7),
                period: Period::Year(2024),
                line: 0,
            });
        }
    }
    let weights = WeightsConfig::from_toml(WEIGHTS).expect("the bench's weights");

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("minsheng-evaluate benchmark — synthetic national data (模拟数据)");
    println!(
        "  hierarchy: {} regions, {} counties, {} provinces; {} indicators; {} targets",
        h.len(),
        counties.len(),
        provinces.len(),
        INDICATORS,
        targets.len()
    );
    println!(
        "  values: {} (generated and tabled in {:.2} s); external scores: {}",
        table.len(),
        generated,
        external.len()
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
    let all = AssessFilter::default();
    let baseline = Period::Year(2022);

    // The previous run, as of 2024Q3 (untimed).
    let previous: EvaluationResult = {
        let as_of = Period::Quarter(2024, 3);
        let a = assess(&input, as_of, &all).expect("assess");
        let values: Vec<_> = [as_of, baseline]
            .iter()
            .flat_map(|p| cross_sections(&table, &h, &indicators, *p))
            .collect();
        evaluate(&EvaluationInput {
            run_id: "previous",
            kind: EvaluationKind::Monitoring,
            as_of,
            baseline: Some(baseline),
            scope: None,
            hierarchy: &h,
            indicators: &metas,
            assessments: &a,
            values: &values,
            population: Some(&population),
            weights: &weights,
            external: &external,
            previous: None,
        })
        .expect("evaluate")
    };

    let as_of = Period::Quarter(2024, 4);
    let (mut total, mut t_assess, mut t_values, mut t_eval) = (vec![], vec![], vec![], vec![]);
    let mut last = None;
    let mut n_assessments = 0;
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let a = assess(&input, as_of, &all).expect("assess");
        let t1 = Instant::now();
        let mut values = cross_sections(&table, &h, &indicators, as_of);
        values.extend(cross_sections(&table, &h, &indicators, baseline));
        let t2 = Instant::now();
        let r = evaluate(&EvaluationInput {
            run_id: "bench",
            kind: EvaluationKind::Final,
            as_of,
            baseline: Some(baseline),
            scope: None,
            hierarchy: &h,
            indicators: &metas,
            assessments: &a,
            values: &values,
            population: Some(&population),
            weights: &weights,
            external: &external,
            previous: Some(&previous),
        })
        .expect("evaluate");
        let t3 = Instant::now();
        total.push((t3 - t0).as_secs_f64());
        t_assess.push((t1 - t0).as_secs_f64());
        t_values.push((t2 - t1).as_secs_f64());
        t_eval.push((t3 - t2).as_secs_f64());
        n_assessments = a.len();
        drop(a);
        last = Some(r);
    }
    let r = last.expect("a run");
    let fmt = |xs: &[f64]| {
        xs.iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "\nEnd to end at {as_of} (assess all levels + county values at {as_of} and {baseline} + evaluate): median {:.3} s of {RUNS} runs [{}]",
        median(total.clone()),
        fmt(&total)
    );
    println!(
        "  assess ({n_assessments} rows): median {:.3} s; county values (2 × {INDICATORS} cross-sections): median {:.3} s; evaluate: median {:.3} s [{}]",
        median(t_assess),
        median(t_values),
        median(t_eval.clone()),
        fmt(&t_eval)
    );
    let trends = r.equalization.iter().filter(|e| e.trend.is_some()).count();
    let narrowing = r
        .equalization
        .iter()
        .filter_map(|e| e.trend.and_then(|t| t.overall))
        .filter(|c| *c == minsheng_evaluate::Change::Narrowing)
        .count();
    println!(
        "  result: {} target scores, {} score rows, {} ranking rows ({} with a previous rank), {} equalization rows ({} with a trend, {} narrowing with no measure widening)",
        r.targets.len(),
        r.scores.len(),
        r.rankings.len(),
        r.rankings
            .iter()
            .filter(|x| x.previous_rank.is_some())
            .count(),
        r.equalization.len(),
        trends,
        narrowing
    );
    let t = Instant::now();
    let json = serde_json::to_vec(&r).expect("json");
    println!(
        "  (not timed above) serializing the result to JSON: {:.1} MB in {:.3} s",
        json.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let med = median(total);
    println!(
        "Target: end to end under 2 s on two cores — {}",
        if med < 2.0 { "met" } else { "NOT met" }
    );
    peer(&root, &h, &r, as_of, med);
}

/// The figures both sides compute: county target scores and domain composites, and the
/// equalization rows at as-of with at least two counties (sums of each measure).
fn checks(
    h: &minsheng_assess::Hierarchy,
    r: &EvaluationResult,
    as_of: Period,
) -> Vec<(&'static str, f64)> {
    let county = |code: &str| {
        h.index_of(code)
            .is_some_and(|i| h.level(i) == RegionLevel::County)
    };
    let targets: Vec<f64> = r
        .targets
        .iter()
        .filter(|t| county(&t.region))
        .filter_map(|t| t.score)
        .collect();
    let domains: Vec<f64> = r
        .scores
        .iter()
        .filter(|s| s.part == Some(minsheng_evaluate::ScorePart::Domain) && county(&s.region))
        .filter_map(|s| s.score)
        .collect();
    let eq: Vec<_> = r
        .equalization
        .iter()
        .filter(|e| e.period == as_of && e.n >= 2)
        .collect();
    let sum = |f: &dyn Fn(&minsheng_evaluate::EqualizationRow) -> Option<f64>| -> f64 {
        eq.iter().filter_map(|e| f(e)).sum()
    };
    vec![
        ("county_target_scores", targets.len() as f64),
        ("county_target_score_sum", targets.iter().sum()),
        ("county_domain_scores", domains.len() as f64),
        ("county_domain_score_sum", domains.iter().sum()),
        ("equalization_rows_n2", eq.len() as f64),
        ("mean_sum", sum(&|e| e.mean)),
        ("cv_sum", sum(&|e| e.cv)),
        ("gini_sum", sum(&|e| e.gini)),
        ("theil_sum", sum(&|e| e.theil)),
        ("max_min_ratio_sum", sum(&|e| e.max_min_ratio)),
    ]
}

/// The DuckDB peer (tools/duckdb_evaluate.py) on the same data, in a Python subprocess
/// (`PYTHON`, default python3, with `pip install duckdb`): its time beside ours, and its
/// figures against ours (counts exactly, sums to a relative 1e-9).
fn peer(
    root: &std::path::Path,
    h: &minsheng_assess::Hierarchy,
    r: &EvaluationResult,
    as_of: Period,
    rust: f64,
) {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let output = std::process::Command::new(&python)
        .arg(root.join("tools/duckdb_evaluate.py"))
        .arg("--regions")
        .arg(root.join("data/regions/regions.csv"))
        .args([
            "--indicators",
            &INDICATORS.to_string(),
            "--runs",
            &RUNS.to_string(),
        ])
        .current_dir(root)
        .output();
    let output = match output {
        Ok(o) if o.status.code() == Some(3) => {
            println!(
                "\nDuckDB peer skipped: the duckdb module is not installed (pip install duckdb; PYTHON=… to pick the interpreter)."
            );
            return;
        }
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            println!(
                "\nDuckDB peer failed ({}): {}",
                o.status,
                String::from_utf8_lossy(&o.stderr)
            );
            return;
        }
        Err(e) => {
            println!("\nDuckDB peer skipped: cannot run {python} ({e}).");
            return;
        }
    };
    let json: serde_json::Value = match serde_json::from_slice(&output.stdout) {
        Ok(j) => j,
        Err(e) => {
            println!("\nDuckDB peer printed something unexpected ({e})");
            return;
        }
    };
    let duck = json["median_s"].as_f64().unwrap_or(f64::NAN);
    println!(
        "\nDuckDB {} ({} threads), same data ({} values, generated in SQL in {:.1} s): assess (counties) + county target scores, domain composites and equalization at {as_of} in SQL: median {duck:.3} s of {RUNS} — Rust end to end (all levels, rankings, trends too) {rust:.3} s, {:.1}× ",
        json["version"].as_str().unwrap_or("?"),
        json["threads"],
        json["values"],
        json["generate_s"].as_f64().unwrap_or(f64::NAN),
        duck / rust,
    );
    let mut all_same = true;
    for (name, ours) in checks(h, r, as_of) {
        let theirs = json["checks"][name].as_f64().unwrap_or(f64::NAN);
        let same = (ours - theirs).abs() <= 1e-9 * ours.abs().max(1.0);
        all_same &= same;
        println!(
            "  {name:<26} Rust {ours:<24} DuckDB {theirs:<24} {}",
            if same { "same" } else { "DIFFERENT" }
        );
    }
    println!("  figures agree: {}", if all_same { "yes" } else { "NO" });
}
