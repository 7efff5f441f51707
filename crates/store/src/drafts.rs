//! 规划草稿: plan drafts of the ingestion review. An uploaded plan document, as ingested, is
//! kept here between upload and approval, so a reviewer's corrections survive across
//! requests and server processes (several processes may share a PostgreSQL store). A draft
//! is edited in place until it is approved; approval stores the plan as a new version
//! ([`Store::save_plan`], by the caller) and marks the draft approved with that version, after
//! which it no longer changes.
//!
//! Every step is in the audit log: entity `plan_draft`, key `530000/plan_draft/3` (the plan's
//! region first, as every key), actions `insert`, `update` (targets before / after) and
//! `approve`.

use minsheng_model::Plan;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{AuditRecord, json, write_audit};
use crate::{Result, Store, StoreError, dynamic_sql, finish, time};

/// A draft about to be saved.
#[derive(Debug, Clone, Copy)]
pub struct NewPlanDraft<'a> {
    /// The uploaded file's name, as the browser sent it.
    pub file_name: &'a str,
    /// The plan's region (a code), resolved from its title.
    pub region_code: &'a str,
    pub plan: &'a Plan,
    /// The cleaned text of the document, in which the targets' quotes are found.
    pub source_text: &'a str,
    /// Who uploaded it.
    pub created_by: &'a str,
}

/// A stored draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDraft {
    pub id: i64,
    pub file_name: String,
    pub region_code: String,
    pub plan: Plan,
    pub source_text: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub created_by: String,
    /// When it was last edited (or created).
    pub updated_at: String,
    /// When it was approved into the store, and by whom, and the plan version it became.
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub plan_version: Option<i64>,
}

impl PlanDraft {
    pub fn is_approved(&self) -> bool {
        self.approved_at.is_some()
    }
}

const COLUMNS: &str = "id, file_name, region_code, plan, source_text, created_at, created_by, \
    updated_at, approved_at, approved_by, plan_version";

fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt { what: what.into() }
}

fn draft(row: &AnyRow) -> Result<PlanDraft> {
    fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T>
    where
        T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        row.try_get(column)
            .map_err(|e| corrupt(format!("plan_drafts.{column}: {e}")))
    }
    let id: i64 = get(row, "id")?;
    let plan: String = get(row, "plan")?;
    Ok(PlanDraft {
        id,
        file_name: get(row, "file_name")?,
        region_code: get(row, "region_code")?,
        plan: serde_json::from_str(&plan)
            .map_err(|e| corrupt(format!("the plan of draft {id}: {e}")))?,
        source_text: get(row, "source_text")?,
        created_at: get(row, "created_at")?,
        created_by: get(row, "created_by")?,
        updated_at: get(row, "updated_at")?,
        approved_at: get(row, "approved_at")?,
        approved_by: get(row, "approved_by")?,
        plan_version: get(row, "plan_version")?,
    })
}

fn audit_key(region: &str, id: i64) -> String {
    format!("{region}/plan_draft/{id}")
}

/// What the log keeps of a draft's plan: its title and targets.
fn summary(plan: &Plan) -> serde_json::Value {
    serde_json::json!({
        "title": plan.title,
        "targets": plan.targets.iter().map(|t| serde_json::json!({
            "domain": t.domain,
            "indicator": t.indicator,
            "op": t.op.as_str(),
            "value": t.value,
            "unit": t.unit,
            "year": t.year,
        })).collect::<Vec<_>>(),
    })
}

impl Store {
    /// Saves an uploaded plan as a draft and returns its id.
    pub async fn save_plan_draft(&self, new: &NewPlanDraft<'_>) -> Result<i64> {
        let action = || format!("saving the plan draft {}", new.file_name);
        let actor = new.created_by.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor { action: action() });
        }
        let plan = serde_json::to_string(new.plan).map_err(|e| StoreError::InvalidPlan {
            message: format!("the plan cannot be written as JSON: {e}"),
        })?;
        let now = time::now_utc();
        let fail = |e| StoreError::write(action(), e);
        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_drafts (file_name, region_code, plan, source_text, created_at, \
                 created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $5) RETURNING id",
            )
            .bind(new.file_name.to_string())
            .bind(new.region_code.to_string())
            .bind(plan)
            .bind(new.source_text.to_string())
            .bind(now.clone())
            .bind(actor.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(fail)?;
            write_audit(
                &mut tx,
                self.backend,
                &now,
                actor,
                &[AuditRecord {
                    action: "insert",
                    entity: "plan_draft",
                    key: audit_key(new.region_code, id),
                    before: None,
                    after: json(&summary(new.plan)),
                    note: Some(new.file_name.to_string()),
                    simulated: false,
                }],
            )
            .await
            .map_err(fail)?;
            Ok(id)
        }
        .await;
        finish(tx, result, action).await
    }

    /// Draft `id`, if there is one.
    pub async fn plan_draft(&self, id: i64) -> Result<Option<PlanDraft>> {
        let sql = format!("SELECT {COLUMNS} FROM plan_drafts WHERE id = $1");
        let row = sqlx::query(dynamic_sql(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading a plan draft", e))?;
        row.as_ref().map(draft).transpose()
    }

    /// The drafts, newest first: those still under review, or all.
    pub async fn plan_drafts(&self, include_approved: bool) -> Result<Vec<PlanDraft>> {
        let filter = if include_approved {
            ""
        } else {
            " WHERE approved_at IS NULL"
        };
        let sql = format!("SELECT {COLUMNS} FROM plan_drafts{filter} ORDER BY id DESC");
        let rows = sqlx::query(dynamic_sql(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading the plan drafts", e))?;
        rows.iter().map(draft).collect()
    }

    /// Replaces the plan of draft `id` with the reviewer's corrected one. Refused once the
    /// draft is approved.
    pub async fn update_plan_draft(&self, id: i64, plan: &Plan, actor: &str) -> Result<()> {
        self.change_draft(id, actor, Some(plan), None).await
    }

    /// Marks draft `id` approved as `plan_version` of its region's plan. Refused if it was
    /// approved already.
    pub async fn approve_plan_draft(&self, id: i64, plan_version: i64, actor: &str) -> Result<()> {
        self.change_draft(id, actor, None, Some(plan_version)).await
    }

    async fn change_draft(
        &self,
        id: i64,
        actor: &str,
        plan: Option<&Plan>,
        version: Option<i64>,
    ) -> Result<()> {
        let doing = if version.is_some() {
            "approving"
        } else {
            "editing"
        };
        let action = || format!("{doing} plan draft {id}");
        let actor = actor.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor { action: action() });
        }
        let invalid = |message: String| StoreError::InvalidPlan { message };
        let now = time::now_utc();
        let fail = |e| StoreError::write(action(), e);
        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let sql = format!("SELECT {COLUMNS} FROM plan_drafts WHERE id = $1");
            let row = sqlx::query(dynamic_sql(sql))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail)?;
            let Some(before) = row.as_ref().map(draft).transpose()? else {
                return Err(invalid(format!("there is no plan draft {id}")));
            };
            if let Some(at) = &before.approved_at {
                return Err(invalid(format!(
                    "plan draft {id} was approved already, at {at}"
                )));
            }
            let record = if let Some(plan) = plan {
                let text = serde_json::to_string(plan)
                    .map_err(|e| invalid(format!("the plan cannot be written as JSON: {e}")))?;
                sqlx::query("UPDATE plan_drafts SET plan = $1, updated_at = $2 WHERE id = $3")
                    .bind(text)
                    .bind(now.clone())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(fail)?;
                AuditRecord {
                    action: "update",
                    entity: "plan_draft",
                    key: audit_key(&before.region_code, id),
                    before: json(&summary(&before.plan)),
                    after: json(&summary(plan)),
                    note: Some(before.file_name.clone()),
                    simulated: false,
                }
            } else {
                sqlx::query(
                    "UPDATE plan_drafts SET approved_at = $1, approved_by = $2, \
                     plan_version = $3 WHERE id = $4",
                )
                .bind(now.clone())
                .bind(actor.to_string())
                .bind(version)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
                AuditRecord {
                    action: "approve",
                    entity: "plan_draft",
                    key: audit_key(&before.region_code, id),
                    before: None,
                    after: json(&serde_json::json!({
                        "plan_version": version,
                        "targets": before.plan.targets.len(),
                    })),
                    note: Some(before.file_name.clone()),
                    simulated: false,
                }
            };
            write_audit(&mut tx, self.backend, &now, actor, &[record])
                .await
                .map_err(fail)?;
            Ok(())
        }
        .await;
        finish(tx, result, action).await
    }
}
