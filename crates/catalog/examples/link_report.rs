//! 对应报告: how the targets of ingested plans link to the catalog.
//!
//! ```sh
//! ./target/release/minsheng ingest --format json --out /tmp/plans data/plans/*.txt
//! cargo run -p minsheng-catalog --example link_report -- data/catalog/indicators.toml /tmp/plans/*.json
//! ```
//! Prints one line per target (plan, kind, year, how, id, score, indicator, value, unit) and a
//! per-plan summary of the end-year targets linked.

use minsheng_catalog::Catalog;
use minsheng_model::{Plan, TargetKind};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((catalog_path, plans)) = args.split_first() else {
        eprintln!("usage: link_report CATALOG.toml PLAN.json...");
        return ExitCode::FAILURE;
    };
    let text = match std::fs::read_to_string(catalog_path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{catalog_path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let catalog = match Catalog::from_toml(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{catalog_path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut summary = Vec::new();
    for path in plans {
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
        let end = plan.years.map(|y| y[1]);
        let name = std::path::Path::new(path)
            .file_stem()
            .map_or(path.clone(), |s| {
                s.to_string_lossy().chars().take(3).collect()
            });
        let (mut total, mut linked) = (0, 0);
        for t in &plan.targets {
            let link = catalog.link(&t.indicator, &t.unit);
            let end_target = t.kind == TargetKind::Target && t.year == end;
            if end_target {
                total += 1;
                linked += usize::from(link.is_some());
            }
            let (how, id, score) = match &link {
                Some(l) => (format!("{:?}", l.how), l.id.as_str(), l.score),
                None => ("-".to_string(), "-", 0.0),
            };
            println!(
                "{name}\t{}\t{}\t{how}\t{id}\t{score:.2}\t{}\t{}\t{}",
                t.kind.as_str(),
                t.year.map_or("-".to_string(), |y| y.to_string()),
                t.indicator,
                t.value,
                t.unit
            );
        }
        summary.push(format!("{name}: {linked}/{total} end-year targets linked"));
    }
    for s in summary {
        eprintln!("{s}");
    }
    ExitCode::SUCCESS
}
