//! `minsheng assess | warnings | demo-data`: 动态监测 over the stored plans and values.
//!
//! Everything is computed from the store at each call (no analytics tables): the hierarchy,
//! the catalog, every stored plan's linked 2025 targets, and the approved and published values.

use crate::db;
use crate::output::Format;
use crate::output::outln;
use anyhow::Context;
use minsheng_app::monitor::{inputs, table, task_progress};
use minsheng_assess::{AssessFilter, AssessInput, WarningOptions};
use minsheng_store::Store;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct AssessArgs {
    /// The period to assess at: 2024, 2024Q3, 202409.
    #[arg(long, value_parser = parse_period)]
    as_of: minsheng_model::Period,
    /// Only this region and those under it (a name or a code).
    #[arg(long)]
    region: Option<String>,
    /// Only this indicator (a catalog id).
    #[arg(long)]
    indicator: Option<String>,
    /// Count draft and submitted values too (default: approved and published only).
    #[arg(long)]
    include_unreviewed: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(clap::Args)]
pub struct WarningsArgs {
    /// Only lead units whose name contains this (卫生健康 matches 省卫生健康委 and 州卫生健康委).
    #[arg(long)]
    unit: Option<String>,
    /// Only this region and those under it.
    #[arg(long)]
    region: Option<String>,
    /// The date deadlines are held against (default: today in China).
    #[arg(long)]
    today: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(clap::Args)]
pub struct DemoArgs {
    /// The seed: the same seed gives the same values.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn parse_period(text: &str) -> Result<minsheng_model::Period, String> {
    minsheng_model::Period::parse(text)
        .ok_or_else(|| format!("not a period: {text} (write 2024, 2024Q1 or 202401)"))
}

async fn region_code(store: &Store, region: Option<&str>) -> anyhow::Result<Option<String>> {
    match region {
        Some(name) => Ok(Some(
            store
                .resolve_region(name)
                .await?
                .with_context(|| format!("no region is called {name}"))?
                .code,
        )),
        None => Ok(None),
    }
}

pub async fn assess(url: &str, args: AssessArgs) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let store = db::open(url).await?;
    let inputs = inputs(&store).await?;
    let (table, skipped) = table(&store, &inputs, args.include_unreviewed).await?;
    let filter = AssessFilter {
        region: region_code(&store, args.region.as_deref()).await?,
        indicator: args.indicator.clone(),
        ..AssessFilter::default()
    };
    let input = AssessInput {
        hierarchy: &inputs.hierarchy,
        indicators: &inputs.indicators,
        table: &table,
        targets: &inputs.targets,
    };
    let rows = minsheng_assess::assess(&input, args.as_of, &filter)?;
    match args.format {
        Format::Json => outln!(out, "{}", serde_json::to_string_pretty(&rows)?),
        Format::Table => {
            if rows.is_empty() {
                outln!(
                    out,
                    "没有可评估的目标：先载入规划（minsheng plan load）和数据（minsheng import / demo-data）(nothing to assess: load plans and values first)"
                );
            }
            out.push_str(&minsheng_assess::report::assessments_table(
                &rows,
                &inputs.hierarchy,
                &inputs.indicators,
            ));
            if skipped > 0 {
                outln!(
                    out,
                    "（{skipped} 个数值不在指标库或行政区划中，未计入 — values not in the catalog or hierarchy were left out）"
                );
            }
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

pub async fn warnings(url: &str, args: WarningsArgs) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    let store = db::open(url).await?;
    let inputs = inputs(&store).await?;
    let (table, _) = table(&store, &inputs, false).await?;
    let today = args
        .today
        .clone()
        .unwrap_or_else(minsheng_store::today_in_china);
    let today: jiff::civil::Date = today
        .parse()
        .with_context(|| format!("not a date: {today} (write 2025-11-22)"))?;
    let mut options = WarningOptions::new(today);
    options.unit = args.unit.clone();
    options.region = region_code(&store, args.region.as_deref()).await?;
    let tasks = task_progress(&store, &inputs.plans).await?;
    let input = AssessInput {
        hierarchy: &inputs.hierarchy,
        indicators: &inputs.indicators,
        table: &table,
        targets: &inputs.targets,
    };
    let groups = minsheng_assess::warnings(&input, &tasks, &options)?;
    match args.format {
        Format::Json => outln!(out, "{}", serde_json::to_string_pretty(&groups)?),
        Format::Table => out.push_str(&minsheng_assess::report::warnings_text(&groups)),
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

pub async fn demo_data(url: &str, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(url).await?;
    let (count, outcome) = minsheng_app::monitor::demo_data(&store, args.seed).await?;
    crate::output::print(&format!(
        "模拟数据 (simulated data): {} 个数值，已审核状态 (approved) — 新增 {}，更新 {}，未变 {} (inserted, updated, unchanged)\n",
        count, outcome.inserted, outcome.updated, outcome.unchanged,
    ))?;
    Ok(ExitCode::SUCCESS)
}
