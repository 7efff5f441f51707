//! Task progress (任务进展) and evidence (佐证材料): how far a region has come with a plan's
//! task in a period, with its narrative, due date and evidence files, and which tasks are
//! overdue.
//!
//! A task is named by its plan (the plan's region code and [`crate::plan_key`]), its domain
//! and its number there ([`minsheng_model::Task::number`]); progress is reported by a region
//! (often a county carrying out a prefecture's plan) for a period. Dates are calendar dates
//! written `YYYY-MM-DD`, checked with `jiff`; overdue means not done and due before the day
//! asked about, compared as ISO dates.

use std::fmt::Write as _;

use minsheng_model::{DOMAINS, Period, Plan, domain_index};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{AuditRecord, json, write_audit};
use crate::regions::as_code;
use crate::{Result, Store, StoreError, dynamic_sql, finish, time};

/// The largest evidence file kept in the database.
pub const MAX_EVIDENCE_BYTES: usize = 100 * 1024 * 1024;

/// 进展状态: where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// 未启动
    NotStarted,
    /// 推进中
    InProgress,
    /// 已完成
    Done,
    /// 滞后: the region itself reports it behind schedule.
    Delayed,
}

impl TaskStatus {
    /// `not_started`, `in_progress`, `done`, `delayed`: how it is stored and written.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Delayed => "delayed",
        }
    }

    /// The status named by [`TaskStatus::as_str`]'s text.
    pub fn parse(text: &str) -> Option<TaskStatus> {
        Some(match text {
            "not_started" => TaskStatus::NotStarted,
            "in_progress" => TaskStatus::InProgress,
            "done" => TaskStatus::Done,
            "delayed" => TaskStatus::Delayed,
            _ => return None,
        })
    }
}

/// Which task, reported by which region for which period.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaskKey {
    /// The GB/T 2260 code of the plan's region.
    pub plan_region: String,
    /// The plan's key within its region ([`crate::plan_key`]).
    pub plan_key: String,
    /// One of the nine [`DOMAINS`].
    pub domain: String,
    /// The task's number within its domain, from 1.
    pub task: u32,
    /// The GB/T 2260 code of the region reporting progress.
    pub region: String,
    pub period: Period,
}

impl TaskKey {
    /// The audit log's key: reporting region first, so that a region prefix selects it.
    /// `532301/2024Q1/532300:002_楚雄/病有所医/3`.
    pub fn audit_key(&self) -> String {
        format!(
            "{}/{}/{}:{}/{}/{}",
            self.region, self.period, self.plan_region, self.plan_key, self.domain, self.task
        )
    }
}

/// What a region reports about a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskUpdate {
    pub status: TaskStatus,
    /// What was done, in the region's words.
    pub narrative: String,
    /// When the task is due, `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// Demo data (模拟数据).
    pub simulated: bool,
}

/// A task's progress as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskProgress {
    pub key: TaskKey,
    pub status: TaskStatus,
    pub narrative: String,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// Demo data (模拟数据): label it so wherever it is shown.
    pub simulated: bool,
    /// Who reported it last.
    pub updated_by: String,
    /// When, RFC 3339 UTC.
    pub updated_at: String,
}

impl TaskProgress {
    /// Whether the task is overdue on `as_of` (`YYYY-MM-DD`): not done, and due before then.
    pub fn is_overdue(&self, as_of: &str) -> bool {
        self.status != TaskStatus::Done && self.due_date.as_deref().is_some_and(|d| d < as_of)
    }
}

/// Which task progress to read; every field narrows the selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskFilter {
    /// Only tasks of plans of this region (code).
    pub plan_region: Option<String>,
    /// Only tasks of the plan with this key.
    pub plan_key: Option<String>,
    /// Only progress reported by this region (a code; 53 and 5323 are padded) or a region
    /// under it.
    pub region: Option<String>,
    pub period: Option<Period>,
    pub status: Option<TaskStatus>,
}

/// An evidence file, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFile {
    pub id: i64,
    /// The file's name as uploaded.
    pub file_name: String,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    pub uploaded_by: String,
    /// When, RFC 3339 UTC.
    pub uploaded_at: String,
}

/// A calendar date `YYYY-MM-DD` in its canonical form, or why not.
pub fn check_date(what: &'static str, text: &str) -> Result<String> {
    let bad = || StoreError::InvalidDate {
        what,
        text: text.to_string(),
    };
    let t = text.trim();
    // jiff also reads the basic form (20250630); ask for the one minsheng writes.
    if t.len() != 10 || t.as_bytes()[4] != b'-' || t.as_bytes()[7] != b'-' {
        return Err(bad());
    }
    let date: jiff::civil::Date = t.parse().map_err(|_| bad())?;
    Ok(date.to_string())
}

/// Today's date in China (UTC+8), `YYYY-MM-DD`: the as-of date for overdue tasks.
pub fn today_in_china() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .date()
        .to_string()
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

const PROGRESS_COLUMNS: &str = "plan_region, plan_key, domain, task_number, region_code, period, \
    status, narrative, due_date, simulated, updated_by, updated_at";

const KEY_CONDITION: &str = "plan_region = $1 AND plan_key = $2 AND domain = $3 \
    AND task_number = $4 AND region_code = $5 AND period = $6";

fn progress_from_row(row: &AnyRow) -> Result<TaskProgress> {
    let corrupt = |what: String| StoreError::Corrupt { what };
    let text = |i: usize| -> Result<Option<String>> {
        row.try_get::<Option<String>, _>(i)
            .map_err(|e| corrupt(format!("task_progress column {i}: {e}")))
    };
    let int = |i: usize| -> Result<i64> {
        row.try_get::<i64, _>(i)
            .map_err(|e| corrupt(format!("task_progress column {i}: {e}")))
    };
    let period_text = text(5)?.unwrap_or_default();
    let status_text = text(6)?.unwrap_or_default();
    Ok(TaskProgress {
        key: TaskKey {
            plan_region: text(0)?.unwrap_or_default(),
            plan_key: text(1)?.unwrap_or_default(),
            domain: text(2)?.unwrap_or_default(),
            task: u32::try_from(int(3)?)
                .map_err(|_| corrupt("a task number out of range".into()))?,
            region: text(4)?.unwrap_or_default(),
            period: Period::parse(&period_text)
                .ok_or_else(|| corrupt(format!("task progress has period {period_text:?}")))?,
        },
        status: TaskStatus::parse(&status_text)
            .ok_or_else(|| corrupt(format!("task progress has status {status_text:?}")))?,
        narrative: text(7)?.unwrap_or_default(),
        due_date: text(8)?,
        simulated: int(9)? != 0,
        updated_by: text(10)?.unwrap_or_default(),
        updated_at: text(11)?.unwrap_or_default(),
    })
}

/// Binds the six columns of [`KEY_CONDITION`].
fn bind_key(q: crate::bulk::AnyQuery, key: &TaskKey) -> crate::bulk::AnyQuery {
    q.bind(key.plan_region.clone())
        .bind(key.plan_key.clone())
        .bind(key.domain.clone())
        .bind(i64::from(key.task))
        .bind(key.region.clone())
        .bind(key.period.to_string())
}

impl Store {
    /// Records a task's progress as `key`'s region reports it for the period, replacing what
    /// was recorded before (the audit log keeps both). Returns whether anything changed:
    /// reporting the same again changes nothing and logs nothing.
    ///
    /// Refused: an empty actor; a domain that is not one of the nine; a plan not in the store,
    /// or whose latest version has no such task; a reporting region not in the store; a due
    /// date that is not a date.
    pub async fn set_task_progress(
        &self,
        key: &TaskKey,
        update: &TaskUpdate,
        actor: &str,
    ) -> Result<bool> {
        let actor = actor.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor {
                action: format!("recording the progress of {}", key.audit_key()),
            });
        }
        let key = self.checked_key(key).await?;
        let due_date = update
            .due_date
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(|d| check_date("the due date", d))
            .transpose()?;
        let progress = |updated_by: &str, updated_at: &str| TaskProgress {
            key: key.clone(),
            status: update.status,
            narrative: update.narrative.trim().to_string(),
            due_date: due_date.clone(),
            simulated: update.simulated,
            updated_by: updated_by.to_string(),
            updated_at: updated_at.to_string(),
        };
        let action = || format!("recording the progress of {}", key.audit_key());
        let fail = |e| StoreError::write(action(), e);

        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let sql = format!("SELECT {PROGRESS_COLUMNS} FROM task_progress WHERE {KEY_CONDITION}");
            let before = bind_key(sqlx::query(dynamic_sql(sql)), &key)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail)?
                .map(|row| progress_from_row(&row))
                .transpose()?;
            if let Some(old) = &before {
                let new = progress(&old.updated_by, &old.updated_at);
                if *old == new {
                    return Ok(false);
                }
            }
            let now = time::now_utc();
            let after = progress(actor, &now);
            let sql = format!(
                "INSERT INTO task_progress ({PROGRESS_COLUMNS}, period_end) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (plan_region, plan_key, domain, task_number, region_code, period) \
             DO UPDATE SET status = excluded.status, narrative = excluded.narrative, \
             due_date = excluded.due_date, simulated = excluded.simulated, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at"
            );
            bind_key(sqlx::query(dynamic_sql(sql)), &key)
                .bind(after.status.as_str())
                .bind(after.narrative.clone())
                .bind(after.due_date.clone())
                .bind(i64::from(after.simulated))
                .bind(actor)
                .bind(now.as_str())
                .bind(key.period.end_month())
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            let record = AuditRecord {
                action: if before.is_some() { "update" } else { "insert" },
                entity: "task_progress",
                key: key.audit_key(),
                before: before.as_ref().and_then(json),
                after: json(&after),
                note: None,
                simulated: after.simulated && before.as_ref().is_none_or(|b| b.simulated),
            };
            write_audit(&mut tx, self.backend, &now, actor, &[record])
                .await
                .map_err(fail)?;
            Ok::<_, StoreError>(true)
        }
        .await;
        finish(tx, result, action).await
    }

    /// `key` with its region codes padded, after checking the plan has the task and the
    /// reporting region exists.
    async fn checked_key(&self, key: &TaskKey) -> Result<TaskKey> {
        let invalid = |message: String| StoreError::InvalidTask { message };
        if domain_index(key.domain.trim()).is_none() {
            return Err(invalid(format!(
                "{:?} is not one of the nine domains ({})",
                key.domain,
                DOMAINS.join(", ")
            )));
        }
        let key = normalized(key);
        if self.region(&key.region).await?.is_none() {
            return Err(StoreError::UnknownRegion {
                region: key.region.clone(),
            });
        }
        let document: Option<String> = sqlx::query_scalar(
            "SELECT document FROM plans WHERE region_code = $1 AND plan_key = $2 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(key.plan_region.as_str())
        .bind(key.plan_key.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| StoreError::read(format!("reading plan {:?}", key.plan_key), e))?;
        let Some(document) = document else {
            return Err(invalid(format!(
                "no plan {:?} of region {} is stored: load the plan first, or check its key \
                 and region",
                key.plan_key, key.plan_region
            )));
        };
        let plan: Plan = serde_json::from_str(&document).map_err(|e| StoreError::Corrupt {
            what: format!("the document of plan {:?}: {e}", key.plan_key),
        })?;
        let tasks: Vec<u32> = plan
            .domains
            .iter()
            .filter(|d| d.name == key.domain)
            .flat_map(|d| d.tasks.iter().map(|t| t.number))
            .collect();
        if !tasks.contains(&key.task) {
            let has = match (tasks.iter().min(), tasks.iter().max()) {
                (Some(a), Some(b)) => format!("its tasks there are numbered {a}–{b}"),
                _ => "it has no tasks there".to_string(),
            };
            return Err(invalid(format!(
                "plan {:?} of region {} has no task {} in {}: {has}",
                key.plan_key, key.plan_region, key.task, key.domain
            )));
        }
        Ok(key)
    }

    /// The task progress `filter` selects, by reporting region, period, plan, domain (in the
    /// plans' order) and task.
    pub async fn task_progress(&self, filter: &TaskFilter) -> Result<Vec<TaskProgress>> {
        let mut sql = String::new();
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        fn param(value: String, binds: &mut Vec<String>) -> String {
            binds.push(value);
            format!("${}", binds.len())
        }
        if let Some(region) = &filter.region {
            let code = as_code(region).ok_or_else(|| StoreError::UnknownRegion {
                region: region.clone(),
            })?;
            let p = param(code, &mut binds);
            sql.push_str(&format!(
                "WITH RECURSIVE sub (code) AS ( \
                   SELECT code FROM regions WHERE code = {p} \
                   UNION ALL \
                   SELECT r.code FROM regions r JOIN sub s ON r.parent = s.code) "
            ));
        }
        let columns = PROGRESS_COLUMNS
            .split(", ")
            .map(|c| format!("t.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        sql.push_str(&format!("SELECT {columns} FROM task_progress t"));
        if filter.region.is_some() {
            sql.push_str(" JOIN sub ON t.region_code = sub.code");
        }
        if let Some(plan_region) = &filter.plan_region {
            let code = as_code(plan_region).unwrap_or_else(|| plan_region.clone());
            let p = param(code, &mut binds);
            conditions.push(format!("t.plan_region = {p}"));
        }
        if let Some(plan_key) = &filter.plan_key {
            let p = param(plan_key.clone(), &mut binds);
            conditions.push(format!("t.plan_key = {p}"));
        }
        if let Some(period) = filter.period {
            let p = param(period.to_string(), &mut binds);
            conditions.push(format!("t.period = {p}"));
        }
        if let Some(status) = filter.status {
            let p = param(status.as_str().to_string(), &mut binds);
            conditions.push(format!("t.status = {p}"));
        }
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        let mut query = sqlx::query(dynamic_sql(sql));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading task progress", e))?;
        let mut out = rows
            .iter()
            .map(progress_from_row)
            .collect::<Result<Vec<_>>>()?;
        sort_progress(&mut out);
        Ok(out)
    }

    /// Tasks overdue on `as_of` (`YYYY-MM-DD`; [`today_in_china`] for today): not done and
    /// due before that day. A task the region reports as delayed but not yet due is not
    /// overdue; read it with [`TaskFilter::status`].
    pub async fn overdue_tasks(&self, as_of: &str) -> Result<Vec<TaskProgress>> {
        let as_of = check_date("the as-of date", as_of)?;
        let sql = format!(
            "SELECT {PROGRESS_COLUMNS} FROM task_progress \
             WHERE status <> 'done' AND due_date IS NOT NULL AND due_date < $1"
        );
        let rows = sqlx::query(dynamic_sql(sql))
            .bind(as_of.clone())
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read(format!("finding tasks overdue on {as_of}"), e))?;
        let mut out = rows
            .iter()
            .map(progress_from_row)
            .collect::<Result<Vec<_>>>()?;
        sort_progress(&mut out);
        Ok(out)
    }

    /// Keeps `content` as evidence of `key`'s progress, which must have been recorded, and
    /// returns its SHA-256 (lower-case hex). The same content for the same progress is kept
    /// once: adding it again changes nothing and returns the same checksum.
    pub async fn add_evidence(
        &self,
        key: &TaskKey,
        file_name: &str,
        content: &[u8],
        actor: &str,
    ) -> Result<String> {
        let invalid = |message: String| StoreError::InvalidTask { message };
        let actor = actor.trim();
        let file_name = file_name.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor {
                action: format!("adding evidence {file_name:?} to {}", key.audit_key()),
            });
        }
        if file_name.is_empty() {
            return Err(invalid("the evidence file has no name".into()));
        }
        if content.is_empty() {
            return Err(invalid(format!("the evidence file {file_name:?} is empty")));
        }
        if content.len() > MAX_EVIDENCE_BYTES {
            return Err(invalid(format!(
                "the evidence file {file_name:?} has {} bytes, more than the {} MiB kept in \
                 the database: compress or split it",
                content.len(),
                MAX_EVIDENCE_BYTES / 1024 / 1024
            )));
        }
        let key = normalized(key);
        let sha = sha256_hex(content);
        let action = || format!("adding evidence {file_name:?} to {}", key.audit_key());
        let fail = |e| StoreError::write(action(), e);

        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let sql = format!("SELECT id FROM task_progress WHERE {KEY_CONDITION}");
            let Some(progress_id) = bind_key(sqlx::query(dynamic_sql(sql)), &key)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail)?
                .map(|row| row.try_get::<i64, _>(0))
                .transpose()
                .map_err(fail)?
            else {
                return Err(invalid(format!(
                    "no progress is recorded for {}: record the task's progress before adding \
                 evidence",
                    key.audit_key()
                )));
            };
            let known: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM evidence WHERE progress_id = $1 AND sha256 = $2",
            )
            .bind(progress_id)
            .bind(sha.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail)?;
            if known.is_some() {
                return Ok(sha);
            }
            let now = time::now_utc();
            sqlx::query(
                "INSERT INTO evidence (progress_id, file_name, sha256, size, content, uploaded_by, \
             uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(progress_id)
            .bind(file_name)
            .bind(sha.as_str())
            .bind(content.len() as i64)
            .bind(content)
            .bind(actor)
            .bind(now.as_str())
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
            let simulated: i64 =
                sqlx::query_scalar("SELECT simulated FROM task_progress WHERE id = $1")
                    .bind(progress_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(fail)?;
            let record = AuditRecord {
                action: "insert",
                entity: "evidence",
                key: key.audit_key(),
                before: None,
                after: json(&serde_json::json!({
                    "file_name": file_name,
                    "sha256": sha,
                    "size": content.len(),
                })),
                note: None,
                simulated: simulated != 0,
            };
            write_audit(&mut tx, self.backend, &now, actor, &[record])
                .await
                .map_err(fail)?;
            Ok::<_, StoreError>(sha)
        }
        .await;
        finish(tx, result, action).await
    }

    /// The evidence files of `key`'s progress, oldest first, without their content.
    pub async fn evidence(&self, key: &TaskKey) -> Result<Vec<EvidenceFile>> {
        let key = normalized(key);
        let sql = format!(
            "SELECT e.id, e.file_name, e.sha256, e.size, e.uploaded_by, e.uploaded_at \
             FROM evidence e JOIN task_progress t ON t.id = e.progress_id \
             WHERE {} ORDER BY e.id",
            KEY_CONDITION
                .split(" AND ")
                .map(|c| format!("t.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(" AND ")
        );
        let rows = bind_key(sqlx::query(dynamic_sql(sql)), &key)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| {
                StoreError::read(format!("listing the evidence of {}", key.audit_key()), e)
            })?;
        rows.iter().map(evidence_from_row).collect()
    }

    /// An evidence file with its content, checked against its SHA-256: a mismatch is
    /// reported as [`StoreError::Corrupt`], never returned.
    pub async fn evidence_file(&self, id: i64) -> Result<Option<(EvidenceFile, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT id, file_name, sha256, size, uploaded_by, uploaded_at, content \
             FROM evidence WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| StoreError::read(format!("reading evidence file {id}"), e))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let file = evidence_from_row(&row)?;
        let content: Vec<u8> = row.try_get(6).map_err(|e| StoreError::Corrupt {
            what: format!("the content of evidence file {id}: {e}"),
        })?;
        if sha256_hex(&content) != file.sha256 || content.len() as i64 != file.size {
            return Err(StoreError::Corrupt {
                what: format!(
                    "evidence file {id} ({}) no longer matches its SHA-256 {}",
                    file.file_name, file.sha256
                ),
            });
        }
        Ok(Some((file, content)))
    }
}

fn evidence_from_row(row: &AnyRow) -> Result<EvidenceFile> {
    let corrupt = |e: sqlx::Error| StoreError::Corrupt {
        what: format!("an evidence row: {e}"),
    };
    Ok(EvidenceFile {
        id: row.try_get(0).map_err(corrupt)?,
        file_name: row.try_get(1).map_err(corrupt)?,
        sha256: row.try_get(2).map_err(corrupt)?,
        size: row.try_get(3).map_err(corrupt)?,
        uploaded_by: row.try_get(4).map_err(corrupt)?,
        uploaded_at: row.try_get(5).map_err(corrupt)?,
    })
}

/// `key` with region codes padded and names trimmed, as [`Store::set_task_progress`] stores it.
fn normalized(key: &TaskKey) -> TaskKey {
    TaskKey {
        plan_region: as_code(&key.plan_region).unwrap_or_else(|| key.plan_region.clone()),
        region: as_code(&key.region).unwrap_or_else(|| key.region.clone()),
        domain: key.domain.trim().to_string(),
        plan_key: key.plan_key.trim().to_string(),
        ..key.clone()
    }
}

fn sort_progress(list: &mut [TaskProgress]) {
    list.sort_by(|a, b| {
        let order = |p: &TaskProgress| {
            (
                p.key.region.clone(),
                p.key.period,
                p.key.plan_region.clone(),
                p.key.plan_key.clone(),
                domain_index(&p.key.domain),
                p.key.task,
            )
        };
        order(a).cmp(&order(b))
    });
}
