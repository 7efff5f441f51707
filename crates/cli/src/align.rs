//! `minsheng align`: 对标 — each stored plan's 2025 targets against its parent region's plans.

use crate::db;
use crate::output::Format;
use crate::output::outln;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let catalog = db::catalog(None)?;
    let store = db::open(url).await?;
    let rows = minsheng_app::align::rows(&store, &catalog).await?;
    match args.format {
        Format::Json => {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "region": r.region.name,
                        "parent_region": r.parent_region.name,
                        "indicator": r.indicator.name,
                        "op": r.op,
                        "value": r.value,
                        "unit": r.unit,
                        "parent_op": r.parent_op,
                        "parent_value": r.parent_value,
                        "parent_unit": r.parent_unit,
                        "verdict": r.verdict.as_str(),
                        "quote": r.quote,
                        "parent_quote": r.parent_quote,
                        "region_code": r.region.code,
                        "parent_region_code": r.parent_region.code,
                        "indicator_id": r.indicator.id,
                    })
                })
                .collect();
            outln!(out, "{}", serde_json::to_string_pretty(&json)?);
        }
        Format::Table => {
            if rows.is_empty() {
                outln!(
                    out,
                    "没有可对标的规划：先用 `minsheng plan load` 载入省级和下级规划 (no plans to align: load a province's plan and its prefectures' first)"
                );
            }
            let mut current = String::new();
            for r in &rows {
                let pair = format!("{} ↔ {}", r.region.name, r.parent_region.name);
                if pair != current {
                    outln!(out, "\n══ {pair} ══");
                    current = pair;
                }
                let child = match (r.op, r.value, &r.unit) {
                    (Some(op), Some(v), Some(u)) => format!("{} {v}{u}", op.as_str()),
                    _ => "—".to_string(),
                };
                outln!(
                    out,
                    "  {:<16} {:<10} {:<14} 上级 {} {}{}",
                    verdict_zh(r.verdict.as_str()),
                    r.indicator.name,
                    child,
                    r.parent_op.as_str(),
                    r.parent_value,
                    r.parent_unit
                );
            }
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn verdict_zh(v: &str) -> String {
    let zh = match v {
        "stricter" => "高于上级",
        "equal" => "持平",
        "weaker" => "低于上级",
        "missing" => "缺少",
        "not_comparable" => "不可比",
        other => other,
    };
    format!("{zh} ({v})")
}
