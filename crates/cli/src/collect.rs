//! `minsheng template | import`: 填报 — reporting workbooks out, validated values in.

use crate::db;
use crate::monitor;
use crate::output::outln;
use anyhow::{Context, bail};
use minsheng_collect::{
    ImportContext, KnownRegion, PreviousValue, TemplateRequest, TemplateRow, TemplateTarget,
};
use minsheng_model::Period;
use minsheng_store::ValueFilter;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct TemplateArgs {
    /// The reporting region (a name such as 楚雄市, or a code).
    #[arg(long)]
    region: String,
    /// The period reported: 2024, 2024Q1, 202401.
    #[arg(long, value_parser = monitor::parse_period)]
    period: Period,
    /// Only the indicators of tasks this department leads (a part of its name: 卫生健康).
    #[arg(long)]
    department: Option<String>,
    /// Where to write the workbook.
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// Filled-in workbooks (.xlsx, .xls, .ods) or CSV files (DHIS2 dataValueSet columns).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Who is importing (recorded with every value and in the audit log).
    #[arg(long = "as", env = "MINSHENG_USER", default_value = "cli")]
    actor: String,
    /// A change from the previous period larger than this share is flagged for review
    /// (0.5 = 50%); 0 turns the check off.
    #[arg(long, default_value_t = 0.5)]
    jump_threshold: f64,
}

pub async fn template(url: &str, args: TemplateArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(url).await?;
    let region = store
        .resolve_region(&args.region)
        .await?
        .with_context(|| format!("no region is called {}", args.region))?;
    let inputs = monitor::inputs(&store).await?;
    // The region's own targets first, then its ancestors': the nearest one stands.
    let mut chain = vec![region.code.clone()];
    let mut cursor = region.parent.clone();
    while let Some(code) = cursor {
        cursor = store.region(&code).await?.and_then(|r| r.parent);
        chain.push(code);
    }
    let values = store
        .values(&ValueFilter {
            region: Some(region.code.clone()),
            ..ValueFilter::default()
        })
        .await?;
    let mut rows: Vec<TemplateRow> = Vec::new();
    for code in &chain {
        for t in inputs.targets.iter().filter(|t| &t.region == code) {
            if rows.iter().any(|r| r.indicator_id == t.indicator) {
                continue;
            }
            if let Some(dept) = &args.department
                && !t.lead_units.iter().any(|u| u.contains(dept.as_str()))
            {
                continue;
            }
            let Some(entry) = inputs.catalog.get(&t.indicator) else {
                continue;
            };
            let last_value = values
                .iter()
                .filter(|v| {
                    v.region == region.code && v.indicator == t.indicator && v.period < args.period
                })
                .max_by_key(|v| v.period)
                .map(|v| (v.period, v.value));
            rows.push(TemplateRow {
                indicator_id: entry.id.clone(),
                indicator_name: entry.name.clone(),
                unit: entry.unit.clone(),
                kind: entry.kind,
                target: Some(TemplateTarget {
                    op: t.op,
                    value: t.value,
                    year: Some(t.year),
                }),
                last_value,
                lead_unit: t.lead_units.first().cloned(),
            });
        }
    }
    let request = TemplateRequest {
        region_code: region.code.clone(),
        region_name: region.name.clone(),
        period: args.period,
        department: args.department.clone(),
        rows,
    };
    let n = request.rows.len();
    let bytes = minsheng_collect::template::write(&request)?;
    std::fs::write(&args.out, bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    crate::output::print(&format!(
        "已生成填报表 {}：{}（{}）{}，{} 个指标 (template written: indicators)\n",
        args.out.display(),
        region.name,
        region.code,
        args.period,
        n
    ))?;
    Ok(ExitCode::SUCCESS)
}

pub async fn import(url: &str, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(url).await?;
    let catalog = db::catalog(None)?;
    let regions: Vec<KnownRegion> = store
        .list_regions(None, None)
        .await?
        .into_iter()
        .map(|r| {
            let short = minsheng_store::region_short_name(&r.name);
            KnownRegion {
                code: r.code,
                names: vec![r.name, short],
            }
        })
        .collect();
    let mut ctx = ImportContext::from_catalog(
        &catalog,
        regions,
        args.actor.clone(),
        jiff::Timestamp::now().to_string(),
    );
    ctx.jump_threshold = (args.jump_threshold > 0.0).then_some(args.jump_threshold);

    let mut failed = false;
    for file in &args.files {
        let mut out = String::new();
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name = file.display().to_string();
        let checked = minsheng_collect::check(&name, &bytes, &ctx);
        let previous = previous_values(&store, checked.rows()).await?;
        let report = checked.finish(&previous);
        if !report.errors.is_empty() {
            failed = true;
            outln!(
                out,
                "✗ {name}：{} 处错误，未导入任何数据 ({} errors: nothing was imported)",
                report.error_count,
                report.error_count
            );
            for issue in &report.errors {
                outln!(out, "  错误 error  {issue}");
            }
        } else {
            let outcome = store
                .import_values(&report.rows, &args.actor, &format!("import {name}"))
                .await?;
            outln!(
                out,
                "✓ {name}：{} 个数值 — 新增 {}，更新 {}，未变 {} (values: inserted, updated, unchanged)",
                report.rows.len(),
                outcome.inserted,
                outcome.updated,
                outcome.unchanged
            );
        }
        for issue in &report.warnings {
            outln!(out, "  提示 warning  {issue}");
        }
        crate::output::print(&out)?;
    }
    if failed {
        bail!("some files had errors; fix the cells listed and import them again");
    }
    Ok(ExitCode::SUCCESS)
}

/// The stored values a file's rows are compared with (the previous period for the jump check,
/// the same period to warn of a replacement): those of the file's regions and indicators, of
/// periods up to the file's last. Stored values of other cells or later periods change
/// nothing in the checks, so they are not read.
async fn previous_values(
    store: &minsheng_store::Store,
    rows: &[minsheng_model::DataValue],
) -> anyhow::Result<Vec<PreviousValue>> {
    let Some(last) = rows.iter().map(|v| v.period).max() else {
        return Ok(Vec::new());
    };
    // Rows come in runs of one region or indicator: skip repeats before hashing.
    let distinct = |f: fn(&minsheng_model::DataValue) -> &str| {
        let mut seen = std::collections::HashSet::new();
        let mut list: Vec<&str> = Vec::new();
        let mut last = None;
        for x in rows.iter().map(f) {
            if last != Some(x) && seen.insert(x) {
                list.push(x);
            }
            last = Some(x);
        }
        list
    };
    let regions = distinct(|v| v.region.as_str());
    let indicators = distinct(|v| v.indicator.as_str());
    Ok(store
        .values_of_cells(&regions, &indicators, Some(last))
        .await?
        .into_iter()
        .map(|v| PreviousValue {
            indicator: v.indicator,
            region: v.region,
            period: v.period,
            value: v.value,
        })
        .collect())
}
