//! 评估报告: a stored evaluation run rendered by the report crate — docx, xlsx, html, or the
//! public summary (公示) of a published run. Reads the run and its plan from the store and
//! fills the report crate's `ReportInput`.

use crate::monitor::inputs;
use crate::{AppError, Result};
use minsheng_assess::{Status, ValueTable};
use minsheng_model::Period;
use minsheng_report::{IndicatorInfo, RegionInfo, ReportInput, TrendSeries};
use minsheng_store::{SnapshotValue, Store, StoredRun};
use std::collections::BTreeSet;

/// How many lagging targets get a trend chart.
const MAX_TRENDS: usize = 6;

/// The forms a report takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Docx,
    Xlsx,
    Html,
    /// 公示: a published run's summary, as html; refused for an unpublished run.
    Public,
}

impl ReportFormat {
    /// `docx`, `xlsx`, `html` or `public`.
    pub fn parse(text: &str) -> Option<ReportFormat> {
        match text {
            "docx" => Some(ReportFormat::Docx),
            "xlsx" => Some(ReportFormat::Xlsx),
            "html" => Some(ReportFormat::Html),
            "public" => Some(ReportFormat::Public),
            _ => None,
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Docx => "docx",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Html | ReportFormat::Public => "html",
        }
    }

    /// The HTTP content type.
    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            ReportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ReportFormat::Html | ReportFormat::Public => "text/html; charset=utf-8",
        }
    }
}

/// Renders run `id`; returns the bytes and the run.
pub async fn render(store: &Store, id: i64, format: ReportFormat) -> Result<(Vec<u8>, StoredRun)> {
    let stored = crate::evaluation::stored_run(store, id).await?;
    let all = inputs(store).await?;
    let plan = all
        .plans
        .iter()
        .find(|p| {
            p.region_code == stored.summary.plan_region && p.plan_key == stored.summary.plan_key
        })
        .ok_or_else(|| {
            AppError::Refused(format!("the plan of run {id} is no longer in the store"))
        })?;
    let (info, targets, domains) = ReportInput::plan_parts(&plan.plan, |t| {
        let i = plan.plan.targets.iter().position(|x| std::ptr::eq(x, t))?;
        plan.indicator_ids.get(i).cloned().flatten()
    });
    let h = &all.hierarchy;
    // Every region the run names, with its ancestors, so tables can say where a county lies.
    let mut codes = BTreeSet::new();
    let result = &stored.result;
    let named = result
        .scores
        .iter()
        .map(|s| s.region.as_str())
        .chain(result.rankings.iter().map(|r| r.region.as_str()));
    for code in named.chain([stored.summary.plan_region.as_str()]) {
        if let Some(i) = h.index_of(code) {
            codes.insert(i);
            codes.extend(h.ancestors(i));
        }
    }
    let regions = codes
        .into_iter()
        .map(|i| RegionInfo {
            code: h.code(i).to_string(),
            name: h.name(i).unwrap_or(h.code(i)).to_string(),
            level: h.level(i),
            parent: h.parent(i).map(|p| h.code(p).to_string()),
        })
        .collect();
    let indicators = all
        .catalog
        .entries()
        .iter()
        .map(|e| IndicatorInfo {
            id: e.id.clone(),
            name: e.name.clone(),
            unit: e.unit.clone(),
            domain: e.domain.clone(),
        })
        .collect();
    let input = ReportInput {
        result,
        plan: info,
        region: stored.summary.plan_region.clone(),
        created_at: stored.summary.created_at.clone(),
        published: stored.summary.is_published(),
        simulated: stored.summary.simulated,
        regions,
        indicators,
        targets,
        domains,
        trends: trends(store, &stored, &all).await?,
    };
    let bytes = match format {
        ReportFormat::Docx => minsheng_report::docx(&input)?,
        ReportFormat::Xlsx => minsheng_report::xlsx(&input)?,
        ReportFormat::Html => minsheng_report::html(&input)?,
        ReportFormat::Public => minsheng_report::public_summary_html(&input)?,
    };
    Ok((bytes, stored))
}

/// 走势: for the plan region's lagging targets (at most [`MAX_TRENDS`]), the region's value at
/// the end of each year from the baseline to as-of (and at as-of), from the run's frozen
/// values — aggregated from the counties where the region reported nothing itself (rates
/// from summed numerators and denominators) — with the target the trajectory runs to.
async fn trends(
    store: &Store,
    stored: &StoredRun,
    all: &crate::monitor::Inputs,
) -> Result<Vec<TrendSeries>> {
    let scope = stored
        .summary
        .scope
        .clone()
        .unwrap_or_else(|| stored.summary.plan_region.clone());
    let lagging: Vec<_> = stored
        .result
        .targets
        .iter()
        .filter(|t| {
            &*t.region == scope.as_str()
                && matches!(
                    t.status,
                    Status::NeedsAcceleration | Status::LimitedProgress | Status::Regressing
                )
        })
        .take(MAX_TRENDS)
        .collect();
    if lagging.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<_> = store
        .run_snapshot(stored.summary.id)
        .await?
        .iter()
        .map(SnapshotValue::to_data_value)
        .collect();
    let (table, _) = ValueTable::from_values(&values, &all.hierarchy, &all.indicators);
    let as_of = stored.summary.as_of;
    let first = stored.summary.baseline.map_or(as_of.year(), |b| b.year());
    let mut periods: Vec<Period> = (first..as_of.year()).map(Period::Year).collect();
    periods.push(as_of);
    let mut out = Vec::new();
    for t in lagging {
        let mut series = Vec::new();
        for &p in &periods {
            // A year's value: the annual one, else the period ending the year (2022Q4, 202212).
            let tries = match p {
                Period::Year(y) => vec![p, Period::Quarter(y, 4), Period::Month(y, 12)],
                _ => vec![p],
            };
            for q in tries {
                let a = minsheng_assess::aggregate(
                    &table,
                    &all.hierarchy,
                    &all.indicators,
                    &scope,
                    &t.indicator,
                    q,
                )?;
                if let Some(v) = a.value {
                    series.push((q, v));
                    break;
                }
            }
        }
        if series.len() < 2 {
            continue;
        }
        let target = stored
            .inputs
            .targets
            .iter()
            .filter(|r| r.region == scope && r.indicator == *t.indicator)
            .max_by_key(|r| r.year)
            .map(|r| (r.value, r.year));
        out.push(TrendSeries {
            indicator: t.indicator.to_string(),
            region: scope.clone(),
            values: series,
            target,
        });
    }
    Ok(out)
}
