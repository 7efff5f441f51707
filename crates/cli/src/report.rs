//! `minsheng report`: a stored evaluation run rendered as a report (docx, xlsx, html) or, for a
//! published run, as the public summary (公示). Reads the run and its plan from the store, fills
//! the report crate's `ReportInput`, writes the bytes.

use crate::monitor::inputs;
use anyhow::Context;
use minsheng_report::{IndicatorInfo, RegionInfo, ReportInput};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The evaluation run (see `minsheng evaluate list`).
    #[arg(long)]
    run: i64,
    /// docx, xlsx, html, or public (公示: a published run's summary, as html).
    #[arg(long, default_value = "docx")]
    format: String,
    /// The file to write.
    #[arg(long)]
    out: PathBuf,
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let store = crate::db::open(url).await?;
    let stored = store.run(args.run).await?.with_context(|| {
        format!(
            "there is no evaluation run {} (see minsheng evaluate list)",
            args.run
        )
    })?;
    let all = inputs(&store).await?;
    let plan = all
        .plans
        .iter()
        .find(|p| {
            p.region_code == stored.summary.plan_region && p.plan_key == stored.summary.plan_key
        })
        .with_context(|| format!("the plan of run {} is no longer in the store", args.run))?;
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
    let bytes = match args.format.as_str() {
        "docx" => minsheng_report::docx(&input)?,
        "xlsx" => minsheng_report::xlsx(&input)?,
        "html" => minsheng_report::html(&input)?,
        "public" => minsheng_report::public_summary_html(&input)?,
        other => anyhow::bail!("unknown report format {other}: use docx, xlsx, html or public"),
    };
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write the report to {}", args.out.display()))?;
    eprintln!(
        "已写出评估报告 {} (run {}{})",
        args.out.display(),
        args.run,
        if stored.summary.simulated {
            "，模拟数据"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}
