//! `minsheng task set | list`: 任务进展 — a region's progress on a plan's task, with evidence.

use crate::db;
use crate::monitor;
use crate::output::outln;
use anyhow::Context;
use clap::Subcommand;
use minsheng_model::Period;
use minsheng_store::{TaskFilter, TaskUpdate};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Report progress on a task: status, what was done, due date, evidence files.
    Set {
        /// The region whose plan holds the task (云南省, 楚雄州 …).
        #[arg(long)]
        plan: String,
        /// The domain (幼有所育 … 文体服务保障).
        #[arg(long)]
        domain: String,
        /// The task's number within its domain.
        #[arg(long)]
        task: u32,
        /// The region reporting (default: the plan's region).
        #[arg(long)]
        region: Option<String>,
        #[arg(long, value_parser = monitor::parse_period)]
        period: Period,
        /// not_started | in_progress | done | delayed
        #[arg(long)]
        status: String,
        /// What was done.
        #[arg(long, default_value = "")]
        narrative: String,
        /// When the task is due: 2025-12-31.
        #[arg(long)]
        due: Option<String>,
        /// Evidence files, stored with their SHA-256.
        #[arg(long)]
        evidence: Vec<PathBuf>,
        #[arg(long = "as", env = "MINSHENG_USER", default_value = "cli")]
        actor: String,
    },
    /// List reported progress; overdue tasks are marked.
    List {
        /// Only progress reported by this region and those under it.
        #[arg(long)]
        region: Option<String>,
        /// The date deadlines are held against (default: today in China).
        #[arg(long)]
        today: Option<String>,
    },
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = db::open(url).await?;
    let mut out = String::new();
    match cmd {
        Command::Set {
            plan,
            domain,
            task,
            region,
            period,
            status,
            narrative,
            due,
            evidence,
            actor,
        } => {
            let status = minsheng_app::tasks::parse_status(&status)?;
            let key = minsheng_app::tasks::task_key(
                &store,
                &plan,
                &domain,
                task,
                region.as_deref(),
                period,
            )
            .await?;
            let mut files = Vec::new();
            for file in evidence {
                let content = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let file_name = file.file_name().map_or_else(
                    || file.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                files.push(minsheng_app::tasks::Evidence { file_name, content });
            }
            let recorded = minsheng_app::tasks::record(
                &store,
                &key,
                &TaskUpdate {
                    status,
                    narrative,
                    due_date: due,
                    simulated: false,
                },
                &files,
                &actor,
            )
            .await?;
            let changed = recorded.changed;
            outln!(
                out,
                "{} {}",
                key.audit_key(),
                if changed {
                    "已更新 (updated)"
                } else {
                    "未变 (unchanged)"
                }
            );
            for (name, sha) in recorded.evidence {
                outln!(out, "  佐证材料 evidence {name}  sha256 {sha}");
            }
        }
        Command::List { region, today } => {
            let region = match region {
                Some(r) => Some(
                    store
                        .resolve_region(&r)
                        .await?
                        .with_context(|| format!("no region is called {r}"))?
                        .code,
                ),
                None => None,
            };
            let today = today.unwrap_or_else(minsheng_store::today_in_china);
            let rows = store
                .task_progress(&TaskFilter {
                    region,
                    ..TaskFilter::default()
                })
                .await?;
            for p in &rows {
                outln!(
                    out,
                    "{}  {:<11} due {:<10} {}{}{}",
                    p.key.audit_key(),
                    p.status.as_str(),
                    p.due_date.as_deref().unwrap_or("—"),
                    p.narrative,
                    if p.is_overdue(&today) {
                        "  ⚠ 逾期 overdue"
                    } else {
                        ""
                    },
                    if p.simulated { "  [模拟数据]" } else { "" }
                );
            }
            outln!(out, "{} 条 (tasks)", rows.len());
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}
