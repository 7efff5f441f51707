//! `minsheng review … | audit`: 审核 — the workflow of a region's values for a period, and the
//! audit log of every change.

use crate::db;
use crate::monitor;
use crate::output::Format;
use crate::output::outln;
use clap::Subcommand;
use minsheng_model::Period;
use minsheng_store::{AuditFilter, ReviewAction, ReviewBatch};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// 报送: the reporting region submits its values (draft or returned → submitted).
    Submit(Batch),
    /// 审核通过: the parent region approves them (submitted → approved).
    Approve(Batch),
    /// 退回: the parent region returns them with a reason (submitted → returned).
    Return {
        #[command(flatten)]
        batch: Batch,
        /// Why they are returned (required).
        #[arg(long)]
        reason: String,
    },
    /// 公开: the plan owner publishes them (approved → published).
    Publish(Batch),
}

#[derive(clap::Args)]
pub struct Batch {
    /// The reporting region (a name or a code).
    #[arg(long)]
    region: String,
    #[arg(long, value_parser = monitor::parse_period)]
    period: Period,
    /// Only this indicator (a catalog id); default: all the region's values for the period.
    #[arg(long)]
    indicator: Option<String>,
    /// Who does it (recorded in the transitions and the audit log).
    #[arg(long = "as", env = "MINSHENG_USER", default_value = "cli")]
    actor: String,
}

#[derive(clap::Args)]
pub struct AuditArgs {
    /// Only changes by this user.
    #[arg(long)]
    actor: Option<String>,
    /// Only this kind of record: data_value, review, import, task_progress, evidence.
    #[arg(long)]
    entity: Option<String>,
    /// Only keys starting with this: a region code (5323), a cell (532301/2024Q1/…).
    #[arg(long)]
    key: Option<String>,
    /// From this time or date (2025-11-22).
    #[arg(long)]
    since: Option<String>,
    /// Up to this time or date.
    #[arg(long)]
    until: Option<String>,
    /// At most this many entries, newest first.
    #[arg(long, default_value_t = 100)]
    limit: i64,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub async fn review(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = db::open(url).await?;
    let (batch, action, reason) = match cmd {
        Command::Submit(b) => (b, ReviewAction::Submit, None),
        Command::Approve(b) => (b, ReviewAction::Approve, None),
        Command::Return { batch, reason } => (batch, ReviewAction::Return, Some(reason)),
        Command::Publish(b) => (b, ReviewAction::Publish, None),
    };
    let mut target = ReviewBatch::new(batch.region.clone(), batch.period);
    if let Some(indicator) = &batch.indicator {
        target = target.indicator(indicator.clone());
    }
    let done = store
        .review(&target, action, &batch.actor, reason.as_deref())
        .await?;
    let mut out = String::new();
    for t in &done {
        outln!(
            out,
            "{} {} {}：{}（{}）→ {}（{}），{} 个数值 (values)",
            t.region_code,
            t.period,
            action.as_str(),
            t.from_state.zh(),
            t.from_state.as_str(),
            t.to_state.zh(),
            t.to_state.as_str(),
            t.values
        );
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

pub async fn audit(url: &str, args: AuditArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(url).await?;
    let entries = store
        .audit(&AuditFilter {
            actor: args.actor,
            entity: args.entity,
            key_prefix: args.key,
            since: args.since,
            until: args.until,
            limit: Some(args.limit),
            offset: None,
        })
        .await?;
    let mut out = String::new();
    match args.format {
        Format::Json => outln!(out, "{}", serde_json::to_string_pretty(&entries)?),
        Format::Table => {
            for e in &entries {
                let change = match (&e.before, &e.after) {
                    (Some(b), Some(a)) => format!("{} → {}", brief(b), brief(a)),
                    (None, Some(a)) => format!("+ {}", brief(a)),
                    (Some(b), None) => format!("− {}", brief(b)),
                    (None, None) => String::new(),
                };
                outln!(
                    out,
                    "{}  {:<10} {:<8} {:<12} {}  {}{}{}",
                    e.at,
                    e.actor,
                    e.action,
                    e.entity,
                    e.key,
                    change,
                    e.note
                        .as_deref()
                        .map(|n| format!("  «{n}»"))
                        .unwrap_or_default(),
                    if e.simulated { "  [模拟数据]" } else { "" }
                );
            }
            outln!(out, "{} 条记录 (entries)", entries.len());
        }
    }
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// A record in a few words: its value and state where it has them.
fn brief(v: &serde_json::Value) -> String {
    match (v.get("value"), v.get("state")) {
        (Some(value), Some(state)) => format!("{value} ({})", state.as_str().unwrap_or("")),
        (Some(value), None) => value.to_string(),
        _ => {
            let s = v.to_string();
            s.chars().take(80).collect()
        }
    }
}
