//! 任务进展: finding a plan's task and recording a region's progress on it with evidence
//! (佐证材料) — what `minsheng task set` and the web's task form both do.

use crate::{AppError, Result};
use minsheng_model::{Period, Task};
use minsheng_store::{MAX_EVIDENCE_BYTES, Store, StoredPlan, TaskKey, TaskStatus, TaskUpdate};

/// The task `number` of `domain` in the stored plan `plan_key` of `plan_region`, if any.
pub fn find_task<'p>(
    plans: &'p [StoredPlan],
    plan_region: &str,
    plan_key: &str,
    domain: &str,
    number: u32,
) -> Option<&'p Task> {
    plans
        .iter()
        .filter(|s| s.region_code == plan_region && s.plan_key == plan_key)
        .flat_map(|s| s.plan.domains.iter().filter(|d| d.name == domain))
        .flat_map(|d| d.tasks.iter().filter(|t| t.number == number))
        .next()
}

/// The key of a task named as people name it: the plan by its region (云南省, 楚雄州 or a
/// code), the domain, the task's number, the reporting region (default: the plan's).
/// Refused when a region is unknown, the region has no plan or the plan no such task.
pub async fn task_key(
    store: &Store,
    plan: &str,
    domain: &str,
    task: u32,
    region: Option<&str>,
    period: Period,
) -> Result<TaskKey> {
    let plan_region = store
        .resolve_region(plan)
        .await?
        .ok_or_else(|| AppError::Refused(format!("no region is called {plan}")))?;
    let stored = store
        .plan_for_region(&plan_region.code)
        .await?
        .ok_or_else(|| AppError::Refused(format!("{} has no stored plan", plan_region.name)))?;
    let exists = stored
        .plan
        .domains
        .iter()
        .any(|d| d.name == domain && d.tasks.iter().any(|t| t.number == task));
    if !exists {
        return Err(AppError::Refused(format!(
            "{} has no task {task} in {domain}",
            plan_region.name
        )));
    }
    let region = match region {
        Some(r) => {
            store
                .resolve_region(r)
                .await?
                .ok_or_else(|| AppError::Refused(format!("no region is called {r}")))?
                .code
        }
        None => plan_region.code.clone(),
    };
    Ok(TaskKey {
        plan_region: plan_region.code,
        plan_key: stored.plan_key,
        domain: domain.to_string(),
        task,
        region,
        period,
    })
}

/// An evidence file to keep: its name and content.
pub struct Evidence {
    pub file_name: String,
    pub content: Vec<u8>,
}

/// What recording progress did.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Whether the progress changed (reporting the same again changes nothing).
    pub changed: bool,
    /// Each evidence file's name and SHA-256.
    pub evidence: Vec<(String, String)>,
}

/// The status named `text` (not_started, in_progress, done, delayed), or a refusal saying
/// which there are.
pub fn parse_status(text: &str) -> Result<TaskStatus> {
    TaskStatus::parse(text.trim()).ok_or_else(|| {
        AppError::Refused(format!(
            "unknown status {text}: use not_started, in_progress, done or delayed"
        ))
    })
}

/// Records `update` for `key` and keeps the evidence files. Checked first, so that bad input
/// stores nothing: the due date, and each file (named, not empty, at most
/// [`MAX_EVIDENCE_BYTES`]).
pub async fn record(
    store: &Store,
    key: &TaskKey,
    update: &TaskUpdate,
    evidence: &[Evidence],
    actor: &str,
) -> Result<Recorded> {
    if let Some(due) = update.due_date.as_deref().filter(|d| !d.trim().is_empty()) {
        minsheng_store::check_date("the due date", due)?;
    }
    for e in evidence {
        if e.file_name.trim().is_empty() {
            return Err(AppError::Refused("an evidence file has no name".into()));
        }
        if e.content.is_empty() {
            return Err(AppError::Refused(format!(
                "the evidence file {} is empty",
                e.file_name
            )));
        }
        if e.content.len() > MAX_EVIDENCE_BYTES {
            return Err(AppError::Refused(format!(
                "the evidence file {} is larger than {} MiB",
                e.file_name,
                MAX_EVIDENCE_BYTES / 1024 / 1024
            )));
        }
    }
    let changed = store.set_task_progress(key, update, actor).await?;
    let mut kept = Vec::new();
    for e in evidence {
        let sha = store
            .add_evidence(key, &e.file_name, &e.content, actor)
            .await?;
        kept.push((e.file_name.clone(), sha));
    }
    Ok(Recorded {
        changed,
        evidence: kept,
    })
}
