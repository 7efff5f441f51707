//! `minsheng ingest`: plan documents to a readable summary or to the JSON contract.

use crate::output::Format;
use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use minsheng_model::{Plan, Target};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Output format: a readable summary, or one JSON document per file.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Folder to write `<file stem>.json` (or `.txt`) into; stdout when absent.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Plan documents: .txt, .docx or .pdf.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.format == Format::Json && args.out.is_none() && args.files.len() > 1 {
        bail!(
            "--format json with several files needs --out DIR (one JSON file is written per document)"
        );
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    }
    let progress = progress_bar(args.files.len());
    let mut failed = 0;
    for file in &args.files {
        progress.set_message(file.display().to_string());
        match minsheng_ingest::ingest_file(file) {
            Ok(plan) => {
                let rendered = match args.format {
                    Format::Json => serde_json::to_string_pretty(&plan)? + "\n",
                    Format::Table => render_table(&plan),
                };
                match &args.out {
                    Some(dir) => {
                        let ext = if args.format == Format::Json {
                            "json"
                        } else {
                            "txt"
                        };
                        let target = dir.join(format!("{}.{ext}", stem(file)));
                        std::fs::write(&target, rendered)
                            .with_context(|| format!("cannot write {}", target.display()))?;
                    }
                    None => progress.suspend(|| crate::output::print(&rendered))?,
                }
            }
            Err(e) => {
                failed += 1;
                progress.suspend(|| eprintln!("error: {e}"));
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "plan".into(), |s| s.to_string_lossy().into_owned())
}

fn progress_bar(n: usize) -> ProgressBar {
    if n < 3 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(n as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// The readable summary of one plan.
pub fn render_table(plan: &Plan) -> String {
    let mut s = String::new();
    let years = plan.years.map_or("?".into(), |[a, b]| format!("{a}–{b}"));
    let _ = writeln!(s, "══ {} ══", plan.source);
    let _ = writeln!(s, "标题 title:   {}", plan.title);
    let _ = writeln!(
        s,
        "地区 region:  {}",
        plan.region.as_deref().unwrap_or("（未识别 not found）")
    );
    let _ = writeln!(s, "年份 years:   {years}");
    let tasks: usize = plan.domains.iter().map(|d| d.tasks.len()).sum();
    let _ = writeln!(
        s,
        "领域 domains: {}   任务 tasks: {tasks}   指标 targets: {}",
        plan.domains.len(),
        plan.targets.len()
    );
    for domain in &plan.domains {
        let _ = writeln!(s, "\n【{}】 {} 项任务", domain.name, domain.tasks.len());
        for task in &domain.tasks {
            let lead = task.responsibility.lead.join("、");
            let _ = writeln!(
                s,
                "  {:>2}. {}  — 牵头: {}",
                task.number,
                task.title,
                if lead.is_empty() { "—" } else { &lead }
            );
        }
        for t in plan.targets.iter().filter(|t| t.domain == domain.name) {
            let _ = writeln!(s, "      {}", target_line(t));
        }
    }
    let general: Vec<&Target> = plan
        .targets
        .iter()
        .filter(|t| minsheng_model::domain_index(&t.domain).is_none())
        .collect();
    if !general.is_empty() {
        let _ = writeln!(s, "\n【总体】");
        for t in general {
            let _ = writeln!(s, "      {}", target_line(t));
        }
    }
    let _ = writeln!(s, "\n清理报告 cleaning report: {} 处", plan.cleaning.len());
    for note in &plan.cleaning {
        let _ = writeln!(
            s,
            "  {:?} ×{}: «{}» → «{}»",
            note.kind, note.count, note.original, note.replacement
        );
    }
    s.push('\n');
    s
}

fn target_line(t: &Target) -> String {
    let value = match t.value_max {
        Some(max) => format!("{}—{}", t.value, max),
        None => t.value.to_string(),
    };
    format!(
        "[{}] {} {} {}{}{}{}  «{}»",
        t.kind.as_str(),
        t.indicator,
        t.op.as_str(),
        value,
        t.unit,
        t.year.map(|y| format!(" ({y})")).unwrap_or_default(),
        if t.repaired { " 已修复" } else { "" },
        t.quote
    )
}
