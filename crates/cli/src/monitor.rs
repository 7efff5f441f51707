//! `minsheng assess | warnings | demo-data`: 动态监测 over the stored plans and values.
//!
//! Everything is computed from the store at each call (no analytics tables): the hierarchy,
//! the catalog, every stored plan's linked 2025 targets, and the approved and published values.

use crate::db;
use crate::output::Format;
use crate::output::outln;
use anyhow::Context;
use minsheng_assess::{
    AssessFilter, AssessInput, Hierarchy, IndicatorSet, RegionInput, TargetRef, ValueTable,
    WarningOptions,
};
use minsheng_catalog::Catalog;
use minsheng_model::TargetKind;
use minsheng_store::{Store, ValueFilter};
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

/// What every monitoring command reads from the store.
pub struct Inputs {
    pub catalog: Catalog,
    pub hierarchy: Hierarchy,
    pub indicators: IndicatorSet,
    pub targets: Vec<TargetRef>,
    /// The latest version of every stored plan.
    pub plans: Vec<minsheng_store::StoredPlan>,
}

/// Loads the hierarchy, the catalog and the stored plans' targets, each in the catalog's unit.
pub async fn inputs(store: &Store) -> anyhow::Result<Inputs> {
    let catalog = db::catalog(None)?;
    let regions = store.list_regions(None, None).await?;
    let hierarchy = Hierarchy::new(regions.into_iter().map(|r| RegionInput {
        code: r.code,
        parent: r.parent,
        level: r.level,
        name: Some(r.name),
        kind: r.kind.map(|k| k.as_str().to_string()),
    }))?;
    let indicators = IndicatorSet::from_catalog(catalog.entries());
    let mut targets = Vec::new();
    let plans = store.latest_plans().await?;
    for stored in &plans {
        let plan = &stored.plan;
        let linked: Vec<_> = plan.targets.iter().zip(&stored.indicator_ids).collect();
        for (t, id) in &linked {
            let (Some(id), TargetKind::Target) = (id, t.kind) else {
                continue;
            };
            let Some(entry) = catalog.get(id) else {
                continue;
            };
            let Some(value) = minsheng_catalog::convert(t.value, &t.unit, &entry.unit) else {
                continue;
            };
            let Some(year) = t.year.or(plan.years.map(|y| y[1])) else {
                continue;
            };
            // The plan's own baseline for the indicator: a 发展基础 value of the same indicator.
            let baseline = linked.iter().find_map(|(b, bid)| {
                (b.kind == TargetKind::Baseline && bid.as_deref() == Some(id.as_str()))
                    .then(|| {
                        minsheng_catalog::convert(b.value, &b.unit, &entry.unit)
                            .map(|v| (v, b.year))
                    })
                    .flatten()
            });
            let lead_units = t
                .task
                .and_then(|n| {
                    let domain = plan.domains.iter().find(|d| d.name == t.domain)?;
                    domain
                        .tasks
                        .iter()
                        .find(|task| task.number == n)
                        .map(|task| task.responsibility.lead.clone())
                })
                .unwrap_or_default();
            targets.push(TargetRef {
                region: stored.region_code.clone(),
                indicator: id.clone(),
                op: t.op,
                value,
                year,
                plan_start: plan.years.map(|y| y[0]),
                baseline: baseline.map(|b| b.0),
                baseline_year: baseline.and_then(|b| b.1),
                quote: t.quote.clone(),
                plan: stored.plan_key.clone(),
                lead_units,
            });
        }
    }
    Ok(Inputs {
        catalog,
        hierarchy,
        indicators,
        targets,
        plans,
    })
}

/// The values to assess: approved and published (or every state), as a columnar table.
async fn table(
    store: &Store,
    inputs: &Inputs,
    include_unreviewed: bool,
) -> anyhow::Result<(ValueTable, usize)> {
    let filter = if include_unreviewed {
        ValueFilter::default()
    } else {
        ValueFilter::internal()
    };
    let values = store.values(&filter).await?;
    let (table, skipped) = ValueTable::from_values(&values, &inputs.hierarchy, &inputs.indicators);
    Ok((table, skipped.len()))
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

/// The latest progress of every task and region, with titles and lead units from the plans.
async fn task_progress(
    store: &Store,
    plans: &[minsheng_store::StoredPlan],
) -> anyhow::Result<Vec<minsheng_assess::TaskProgress>> {
    let mut out = Vec::new();
    for p in store
        .task_progress(&minsheng_store::TaskFilter::default())
        .await?
    {
        let Some(due) = p
            .due_date
            .as_deref()
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        else {
            continue;
        };
        let task = plans
            .iter()
            .filter(|s| s.region_code == p.key.plan_region && s.plan_key == p.key.plan_key)
            .flat_map(|s| s.plan.domains.iter().filter(|d| d.name == p.key.domain))
            .flat_map(|d| d.tasks.iter().filter(|t| t.number == p.key.task))
            .next();
        out.push(minsheng_assess::TaskProgress {
            region: p.key.region.clone(),
            plan_region: p.key.plan_region.clone(),
            plan: p.key.plan_key.clone(),
            domain: p.key.domain.clone(),
            task: p.key.task,
            title: task.map(|t| t.title.clone()).unwrap_or_default(),
            lead_units: task
                .map(|t| t.responsibility.lead.clone())
                .unwrap_or_default(),
            due,
            status: match p.status {
                minsheng_store::TaskStatus::NotStarted => minsheng_assess::TaskStatus::NotStarted,
                minsheng_store::TaskStatus::InProgress => minsheng_assess::TaskStatus::InProgress,
                minsheng_store::TaskStatus::Done => minsheng_assess::TaskStatus::Done,
                minsheng_store::TaskStatus::Delayed => minsheng_assess::TaskStatus::Delayed,
            },
            narrative: p.narrative.clone(),
            simulated: p.simulated,
        });
    }
    Ok(out)
}

pub async fn demo_data(url: &str, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(url).await?;
    let inputs = inputs(&store).await?;
    if inputs.targets.is_empty() {
        anyhow::bail!(
            "no stored plan has linked targets: load the plans first (minsheng plan load data/plans/*.txt)"
        );
    }
    let values = minsheng_assess::demo::generate(
        args.seed,
        &inputs.hierarchy,
        &inputs.indicators,
        &inputs.targets,
    )?;
    let outcome = store
        .import_values(
            &values,
            "模拟数据",
            &format!("demo-data --seed {}", args.seed),
        )
        .await?;
    crate::output::print(&format!(
        "模拟数据 (simulated data): {} 个数值，已审核状态 (approved) — 新增 {}，更新 {}，未变 {} (inserted, updated, unchanged)\n",
        values.len(),
        outcome.inserted,
        outcome.updated,
        outcome.unchanged,
    ))?;
    Ok(ExitCode::SUCCESS)
}
