//! `minsheng template | import`: 填报 — reporting workbooks out, validated values in.

use crate::db;
use crate::monitor;
use crate::output::outln;
use anyhow::{Context, bail};
use minsheng_model::Period;
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
    let inputs = minsheng_app::monitor::inputs(&store).await?;
    let request = minsheng_app::collect::template_request(
        &store,
        &inputs,
        &region,
        args.period,
        args.department.as_deref(),
    )
    .await?;
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
    // Files are checked against this catalog; a store without one (no plan loaded, never
    // served) gets it, as a fresh store gets its regions, so the values can be stored.
    if store.indicators().await?.is_empty() {
        let n = store
            .save_indicators(&minsheng_app::indicator_rows(&catalog))
            .await?;
        eprintln!(
            "首次使用：已载入指标目录 {n} 项 (first use: saved the indicator catalog, {n} indicators)"
        );
    }
    let ctx =
        minsheng_app::import::context(&store, &catalog, &args.actor, args.jump_threshold).await?;

    let mut failed = false;
    for file in &args.files {
        let mut out = String::new();
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name = file.display().to_string();
        let (report, outcome) = minsheng_app::import::read_and_store(
            &store,
            &name,
            bytes,
            &ctx,
            &args.actor,
            &format!("import {name}"),
        )
        .await?;
        if let Some(outcome) = outcome {
            outln!(
                out,
                "✓ {name}：{} 个数值 — 新增 {}，更新 {}，未变 {} (values: inserted, updated, unchanged)",
                report.rows.len(),
                outcome.inserted,
                outcome.updated,
                outcome.unchanged
            );
        } else {
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
