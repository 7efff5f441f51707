//! 评估报告: a stored evaluation run rendered by the report crate — docx, xlsx, html, or the
//! public summary (公示) of a published run. Reads the run and its plan from the store and
//! fills the report crate's `ReportInput`.

use crate::monitor::inputs;
use crate::{AppError, Result};
use minsheng_report::{IndicatorInfo, RegionInfo, ReportInput};
use minsheng_store::{Store, StoredRun};
use std::collections::BTreeSet;

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
        trends: Vec::new(),
    };
    let bytes = match format {
        ReportFormat::Docx => minsheng_report::docx(&input)?,
        ReportFormat::Xlsx => minsheng_report::xlsx(&input)?,
        ReportFormat::Html => minsheng_report::html(&input)?,
        ReportFormat::Public => minsheng_report::public_summary_html(&input)?,
    };
    Ok((bytes, stored))
}
