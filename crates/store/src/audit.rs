//! The audit log (审计日志): every change the store makes to reported values, their review,
//! task progress and evidence, with who made it, when, and the record before and after.
//!
//! Entries are written in the same transaction as the change they describe, so the log and
//! the data never disagree. What is written:
//!
//! | entity | action | key | before / after |
//! |---|---|---|---|
//! | `import` | `import` | the import's note (a file name) | – / counts inserted, updated, unchanged |
//! | `data_value` | `insert` | `532301/2024Q1` | – / how many values a region's period got |
//! | `data_value` | `update` | `532301/2024Q1/infant_mortality` | the value before / after (JSON of `DataValue`) |
//! | `review` | `submit`, `approve`, `return`, `publish` | `532301/2024Q1` (+ `/indicator`) | state and count before / after |
//! | `task_progress` | `insert`, `update` | `532301/2024Q1/530000:plan_key/病有所医/3` | the progress before / after |
//! | `evidence` | `insert` | the task's key | – / file name, size, SHA-256 |
//!
//! Keys start with the region code, so a key prefix (`5323`) selects a prefecture and the
//! counties under it. New cells are logged per region and period rather than one by one: the
//! cell itself keeps who entered it, when and from what, and every later version is logged
//! with its before and after.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::bulk::insert_many;
use crate::{Backend, Result, Store, StoreError, dynamic_sql};

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its number; later entries have larger numbers.
    pub id: i64,
    /// When, RFC 3339 UTC (2025-11-22T11:39:00Z).
    pub at: String,
    /// Who made the change.
    pub actor: String,
    /// What was done: `import`, `insert`, `update`, `submit`, `approve`, `return`, `publish`.
    pub action: String,
    /// What kind of thing changed: `import`, `data_value`, `review`, `task_progress`,
    /// `evidence`.
    pub entity: String,
    /// Which one (see the module documentation for each entity's key).
    pub key: String,
    /// The record before the change, where there was one.
    pub before: Option<serde_json::Value>,
    /// The record after the change, where there is one.
    pub after: Option<serde_json::Value>,
    /// Why, or where from: the import's note, the reason a batch was returned.
    pub note: Option<String>,
    /// The change concerns demo data only (模拟数据): label it so wherever it is shown.
    pub simulated: bool,
}

/// Which audit entries to read. Every field narrows the selection; the default reads the
/// newest 1,000 entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Only changes by this actor (exact).
    pub actor: Option<String>,
    /// Only this entity (`data_value`, `review` …).
    pub entity: Option<String>,
    /// Only keys starting with this text: a region code prefix (`5323`), a cell
    /// (`532301/2024Q1/infant_mortality`).
    pub key_prefix: Option<String>,
    /// Only entries at or after this time: RFC 3339 (2025-11-22T11:39:00Z) or a date
    /// (2025-11-22, meaning from its start).
    pub since: Option<String>,
    /// Only entries at or before this time: RFC 3339, or a date (2025-11-22, meaning to
    /// its end).
    pub until: Option<String>,
    /// At most this many entries, newest first; `None` for all.
    pub limit: Option<i64>,
    /// Skip this many of the newest entries first (a page further down the log).
    #[serde(default)]
    pub offset: Option<i64>,
}

impl Default for AuditFilter {
    fn default() -> Self {
        AuditFilter {
            actor: None,
            entity: None,
            key_prefix: None,
            since: None,
            until: None,
            limit: Some(1000),
            offset: None,
        }
    }
}

/// An audit entry about to be written; `at` and `actor` are the transaction's.
pub(crate) struct AuditRecord {
    pub action: &'static str,
    pub entity: &'static str,
    pub key: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub note: Option<String>,
    pub simulated: bool,
}

/// Audit rows per multi-row INSERT: 9 values each.
const AUDIT_BATCH: usize = 500;

/// Writes `records` inside the caller's transaction.
pub(crate) async fn write_audit(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    at: &str,
    actor: &str,
    records: &[AuditRecord],
) -> sqlx::Result<()> {
    insert_many(
        conn,
        backend,
        (
            "INSERT INTO audit_log (at, actor, action, entity, key, before, after, note, \
             simulated) VALUES ",
            "",
        ),
        9,
        AUDIT_BATCH,
        records,
        |q, r| {
            q.bind(at)
                .bind(actor)
                .bind(r.action)
                .bind(r.entity)
                .bind(r.key.as_str())
                .bind(r.before.as_deref())
                .bind(r.after.as_deref())
                .bind(r.note.as_deref())
                .bind(i64::from(r.simulated))
        },
    )
    .await
}

/// JSON text of a record for the log.
pub(crate) fn json<T: Serialize>(value: &T) -> Option<String> {
    // Serializing plain data types to a string cannot fail.
    serde_json::to_string(value).ok()
}

fn entry(row: &AnyRow) -> Result<AuditEntry> {
    let corrupt = |what: String| StoreError::Corrupt { what };
    let text = |i: usize| -> Result<Option<String>> {
        row.try_get::<Option<String>, _>(i)
            .map_err(|e| corrupt(format!("audit_log column {i}: {e}")))
    };
    let id: i64 = row
        .try_get(0)
        .map_err(|e| corrupt(format!("audit_log.id: {e}")))?;
    let parse = |t: Option<String>| -> Result<Option<serde_json::Value>> {
        t.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| corrupt(format!("audit entry {id} holds no JSON: {e}")))
        })
        .transpose()
    };
    let simulated: i64 = row
        .try_get(9)
        .map_err(|e| corrupt(format!("audit_log.simulated: {e}")))?;
    Ok(AuditEntry {
        id,
        at: text(1)?.unwrap_or_default(),
        actor: text(2)?.unwrap_or_default(),
        action: text(3)?.unwrap_or_default(),
        entity: text(4)?.unwrap_or_default(),
        key: text(5)?.unwrap_or_default(),
        before: parse(text(6)?)?,
        after: parse(text(7)?)?,
        note: text(8)?,
        simulated: simulated != 0,
    })
}

impl Store {
    /// The audit entries `filter` selects, newest first.
    ///
    /// Times compare as text, which orders RFC 3339 UTC correctly; a bare date as `until`
    /// takes in the whole day.
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut conditions: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        fn param(value: &str, binds: &mut Vec<String>) -> String {
            binds.push(value.to_string());
            format!("${}", binds.len())
        }
        if let Some(actor) = &filter.actor {
            let p = param(actor, &mut binds);
            conditions.push(format!("actor = {p}"));
        }
        if let Some(entity) = &filter.entity {
            let p = param(entity, &mut binds);
            conditions.push(format!("entity = {p}"));
        }
        if let Some(prefix) = filter.key_prefix.as_deref().filter(|p| !p.is_empty()) {
            // substr rather than LIKE: no wildcard in the prefix needs escaping.
            let p = param(prefix, &mut binds);
            conditions.push(format!("substr(key, 1, length({p})) = {p}"));
        }
        if let Some(since) = filter.since.as_deref().map(str::trim) {
            let p = param(since, &mut binds);
            conditions.push(format!("at >= {p}"));
        }
        if let Some(until) = filter.until.as_deref().map(str::trim) {
            // 2025-11-22 takes in 2025-11-22T23:59:59Z: compare as many characters as given.
            let p = param(until, &mut binds);
            conditions.push(format!("substr(at, 1, length({p})) <= {p}"));
        }
        let mut sql = String::from(
            "SELECT id, at, actor, action, entity, key, before, after, note, simulated \
             FROM audit_log",
        );
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY id DESC");
        match (filter.limit, filter.offset.filter(|o| *o > 0)) {
            (Some(limit), offset) => {
                sql.push_str(&format!(" LIMIT {}", limit.max(0)));
                if let Some(offset) = offset {
                    sql.push_str(&format!(" OFFSET {offset}"));
                }
            }
            // PostgreSQL and SQLite both take LIMIT ALL / LIMIT -1 differently: a large limit.
            (None, Some(offset)) => sql.push_str(&format!(" LIMIT {} OFFSET {offset}", i64::MAX)),
            (None, None) => {}
        }
        let mut query = sqlx::query(dynamic_sql(sql));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading the audit log", e))?;
        rows.iter().map(entry).collect()
    }
}
