//! `minsheng report`: a stored evaluation run rendered as a report (docx, xlsx, html) or, for a
//! published run, as the public summary (公示), written to a file.

use anyhow::Context;
use minsheng_app::report::{ReportFormat, render};
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
    let Some(format) = ReportFormat::parse(&args.format) else {
        anyhow::bail!(
            "unknown report format {}: use docx, xlsx, html or public",
            args.format
        );
    };
    let (bytes, stored) = render(&store, args.run, format).await?;
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
