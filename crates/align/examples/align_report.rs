//! 对标报告: the alignment of ingested plans, as a table or JSON.
//!
//! ```sh
//! ./target/release/minsheng ingest --format json --out /tmp/plans data/plans/*.txt
//! cargo run -p minsheng-align --example align_report -- data/catalog/indicators.toml /tmp/plans/*.json
//! ```
//! Regions are read from each plan's `region` through [`minsheng_align::find_region`]. Add
//! `--json` first to print the rows as JSON.

use minsheng_align::{AlignRow, PlanTargets, align, find_region};
use minsheng_catalog::Catalog;
use minsheng_model::Plan;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.first().is_some_and(|a| a == "--json");
    if json {
        args.remove(0);
    }
    let Some((catalog_path, plan_paths)) = args.split_first() else {
        eprintln!("usage: align_report [--json] CATALOG.toml PLAN.json...");
        return ExitCode::FAILURE;
    };
    let catalog = match std::fs::read_to_string(catalog_path)
        .map_err(|e| e.to_string())
        .and_then(|t| Catalog::from_toml(&t).map_err(|e| e.to_string()))
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{catalog_path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut plans = Vec::new();
    for path in plan_paths {
        let plan: Plan = match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let Some(known) = plan.region.as_deref().and_then(find_region) else {
            eprintln!(
                "{path}: region {:?} is not a known region; skipped",
                plan.region
            );
            continue;
        };
        plans.push(PlanTargets::from_plan(
            &plan,
            known.region(),
            known.parent.map(String::from),
            &catalog,
        ));
    }
    let rows = align(&plans, &catalog);
    if json {
        match serde_json::to_string_pretty(&rows) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        for r in &rows {
            print_row(r);
        }
    }
    ExitCode::SUCCESS
}

fn print_row(r: &AlignRow) {
    let child = match (r.op, r.value, &r.unit) {
        (Some(op), Some(v), Some(u)) => format!("{} {v}{u}", op.as_str()),
        _ => "-".to_string(),
    };
    println!(
        "{}\t{}\t{}\t{}\t{} {}{}\t{}",
        r.region.name,
        r.indicator.id,
        r.indicator.name,
        child,
        r.parent_op.as_str(),
        r.parent_value,
        r.parent_unit,
        r.verdict.as_str()
    );
}
