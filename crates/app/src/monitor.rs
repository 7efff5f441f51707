//! What every monitoring view reads, fetched once per question: the hierarchy, the catalog,
//! every stored plan's linked targets in the catalog's units, the reported values as a column
//! table, and the progress of every task with its title and lead units from the plans.
//!
//! Nothing is precomputed between calls (no analytics tables): a value changed in the store
//! shows in the next answer.

use crate::Result;
use minsheng_assess::{Hierarchy, IndicatorSet, RegionInput, TargetRef, ValueTable};
use minsheng_catalog::Catalog;
use minsheng_model::TargetKind;
use minsheng_store::{Store, ValueFilter};

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
pub async fn inputs(store: &Store) -> Result<Inputs> {
    let catalog = crate::catalog()?;
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

/// The values to assess: approved and published (or every state), as a columnar table, and
/// how many values were left out because their region or indicator is unknown.
pub async fn table(
    store: &Store,
    inputs: &Inputs,
    include_unreviewed: bool,
) -> Result<(ValueTable, usize)> {
    let filter = if include_unreviewed {
        ValueFilter::default()
    } else {
        ValueFilter::internal()
    };
    let values = store.values(&filter).await?;
    let (table, skipped) = ValueTable::from_values(&values, &inputs.hierarchy, &inputs.indicators);
    Ok((table, skipped.len()))
}

/// The latest progress of every task and region, with titles and lead units from the plans.
pub async fn task_progress(
    store: &Store,
    plans: &[minsheng_store::StoredPlan],
) -> Result<Vec<minsheng_assess::TaskProgress>> {
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

/// 模拟数据: deterministic demo values for every Yunnan county and catalog indicator, stored
/// approved and flagged simulated. Refused when no stored plan has linked targets.
pub async fn demo_data(store: &Store, seed: u64) -> Result<(usize, minsheng_store::ImportOutcome)> {
    let inputs = inputs(store).await?;
    if inputs.targets.is_empty() {
        return Err(crate::AppError::Refused(
            "no stored plan has linked targets: load the plans first (minsheng plan load data/plans/*.txt)".into(),
        ));
    }
    let values = minsheng_assess::demo::generate(
        seed,
        &inputs.hierarchy,
        &inputs.indicators,
        &inputs.targets,
    )?;
    let outcome = store
        .import_values(&values, "模拟数据", &format!("demo-data --seed {seed}"))
        .await?;
    Ok((values.len(), outcome))
}
