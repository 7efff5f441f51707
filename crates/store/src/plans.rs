//! Plans and their targets, every version kept.
//!
//! A plan is named by its region and its key ([`plan_key`]: the source file's stem, else the
//! title). Saving a plan under a name already stored adds the next version; old versions stay.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use minsheng_model::Plan;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::bulk::BindReal;
use crate::regions::as_code;
use crate::{Backend, Result, Store, StoreError, dynamic_sql, finish, placeholders, time};

/// Where a saved plan went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRef {
    /// The row id of this version (unique across all plans and versions).
    pub id: i64,
    /// The version number within the plan's (region, key), from 1.
    pub version: i64,
}

/// A stored plan version with its document read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPlan {
    /// The row id of this version.
    pub id: i64,
    /// The region's GB/T 2260 code.
    pub region_code: String,
    /// What names the plan within its region: see [`plan_key`].
    pub plan_key: String,
    /// The version number, from 1.
    pub version: i64,
    /// When this version was saved, RFC 3339 UTC (2025-11-22T11:39:00Z).
    pub loaded_at: String,
    /// The plan as it was saved.
    pub plan: Plan,
    /// The catalogue indicator of each of `plan.targets`, index for index.
    pub indicator_ids: Vec<Option<String>>,
}

/// One stored version of a plan, without its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVersion {
    /// The row id of this version.
    pub id: i64,
    /// The region's GB/T 2260 code.
    pub region_code: String,
    /// What names the plan within its region.
    pub plan_key: String,
    /// The version number, from 1.
    pub version: i64,
    /// The plan's title.
    pub title: String,
    /// The file it was read from.
    pub source: String,
    /// When this version was saved, RFC 3339 UTC.
    pub loaded_at: String,
    /// How many targets this version has.
    pub targets: i64,
}

/// What names a plan within its region, so that loading it again makes a new version: the
/// source file's name without directory and extension (`data/plans/003_普洱.txt` →
/// `003_普洱`), or the title when the source has no file name.
pub fn plan_key(plan: &Plan) -> String {
    Path::new(plan.source.trim())
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| plan.title.trim().to_string())
}

const PLAN_COLUMNS: &str = "p.id, p.region_code, p.plan_key, p.version, p.loaded_at, p.document";

/// Rows per multi-row INSERT of targets: 15 values each.
const TARGET_BATCH: usize = 200;

fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt { what: what.into() }
}

fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column)
        .map_err(|e| corrupt(format!("column {column}: {e}")))
}

/// A plan row without its indicator ids (filled in by the caller).
fn stored_plan(row: &AnyRow) -> Result<StoredPlan> {
    let id: i64 = get(row, "id")?;
    let document: String = get(row, "document")?;
    let plan: Plan = serde_json::from_str(&document)
        .map_err(|e| corrupt(format!("the document of plan {id}: {e}")))?;
    Ok(StoredPlan {
        id,
        region_code: get(row, "region_code")?,
        plan_key: get(row, "plan_key")?,
        version: get(row, "version")?,
        loaded_at: get(row, "loaded_at")?,
        plan,
        indicator_ids: Vec::new(),
    })
}

impl Store {
    /// Saves `plan` as the next version of the plan named by (`region_code`, [`plan_key`]),
    /// with its targets and the catalogue indicator of each (`indicator_ids[i]` for
    /// `plan.targets[i]`; `None` where none matched). Earlier versions are kept. All or
    /// nothing: on error the store is unchanged. Concurrent saves are serialized, so each
    /// gets its own version number.
    ///
    /// Errors when the region is not stored, an indicator id is not in the catalogue, the
    /// number of ids differs from the number of targets, or a value is not a finite number.
    pub async fn save_plan(
        &self,
        plan: &Plan,
        region_code: &str,
        indicator_ids: &[Option<String>],
    ) -> Result<PlanRef> {
        if indicator_ids.len() != plan.targets.len() {
            return Err(StoreError::IndicatorCount {
                ids: indicator_ids.len(),
                targets: plan.targets.len(),
            });
        }
        if let Some((i, _)) = plan
            .targets
            .iter()
            .enumerate()
            .find(|(_, t)| !t.value.is_finite() || t.value_max.is_some_and(|v| !v.is_finite()))
        {
            return Err(StoreError::InvalidPlan {
                message: format!("target {i} has a value that is not a finite number"),
            });
        }
        let region = self
            .region(region_code)
            .await?
            .ok_or_else(|| StoreError::UnknownRegion {
                region: region_code.to_string(),
            })?;
        let key = plan_key(plan);
        let document = serde_json::to_string(plan).map_err(|e| StoreError::InvalidPlan {
            message: format!("it cannot be written as JSON: {e}"),
        })?;
        let years = plan.years.map(|[a, b]| format!("{a}-{b}"));
        let action = || format!("saving plan {key:?} of region {}", region.code);

        let mut tx = self
            .begin_write()
            .await
            .map_err(|e| StoreError::write(action(), e))?;
        let result = async {
            if self.backend == Backend::Postgres {
                // Two sessions saving the same plan would both read the same MAX(version); this
                // lock (which readers pass) makes the second wait for the first to commit.
                sqlx::query("LOCK TABLE plans IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::write(action(), e))?;
            }

            if indicator_ids.iter().any(Option::is_some) {
                let known: HashSet<String> =
                    sqlx::query_scalar::<_, String>("SELECT id FROM indicators")
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(|e| StoreError::write(action(), e))?
                        .into_iter()
                        .collect();
                for (target, id) in indicator_ids.iter().enumerate() {
                    if let Some(id) = id.as_ref().filter(|id| !known.contains(*id)) {
                        return Err(StoreError::UnknownIndicator {
                            target,
                            id: id.clone(),
                        });
                    }
                }
            }

            let version: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM plans \
             WHERE region_code = $1 AND plan_key = $2",
            )
            .bind(region.code.clone())
            .bind(key.clone())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| StoreError::write(action(), e))?;

            let id: i64 = sqlx::query_scalar(
            "INSERT INTO plans (region_code, plan_key, title, source, years, version, loaded_at, \
             document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(region.code.clone())
        .bind(key.clone())
        .bind(plan.title.clone())
        .bind(plan.source.clone())
        .bind(years)
        .bind(version)
        .bind(time::now_utc())
        .bind(document)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::write(action(), e))?;

            let numbered: Vec<_> = plan.targets.iter().zip(indicator_ids).enumerate().collect();
            for batch in numbered.chunks(TARGET_BATCH) {
                let sql = format!(
                    "INSERT INTO targets (plan_id, seq, domain, task, kind, indicator_text, \
                 indicator_id, op, value, value_max, unit, year, scope, quote, repaired) VALUES {}",
                    placeholders(self.backend, batch.len(), 15)
                );
                let mut query = sqlx::query(dynamic_sql(sql));
                for (seq, (t, indicator_id)) in batch {
                    query = query
                        .bind(id)
                        .bind(*seq as i64)
                        .bind(t.domain.clone())
                        .bind(t.task.map(i64::from))
                        .bind(t.kind.as_str())
                        .bind(t.indicator.clone())
                        .bind((*indicator_id).clone())
                        .bind(t.op.as_str())
                        .bind(t.value)
                        .bind_real(t.value_max)
                        .bind(t.unit.clone())
                        .bind(t.year.map(i64::from))
                        .bind(t.scope.clone())
                        .bind(t.quote.clone())
                        .bind(i64::from(t.repaired));
                }
                query
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| StoreError::write(action(), e))?;
            }
            Ok::<_, StoreError>(PlanRef { id, version })
        }
        .await;
        finish(tx, result, action).await
    }

    /// The latest version of every stored plan, by region code and key.
    pub async fn latest_plans(&self) -> Result<Vec<StoredPlan>> {
        let latest = "SELECT id FROM plans p WHERE p.version = (SELECT MAX(q.version) FROM plans q \
                      WHERE q.region_code = p.region_code AND q.plan_key = p.plan_key)";
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plans p WHERE p.id IN ({latest}) \
             ORDER BY p.region_code, p.plan_key"
        );
        let rows = sqlx::query(dynamic_sql(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading the latest plans", e))?;
        let mut plans = rows.iter().map(stored_plan).collect::<Result<Vec<_>>>()?;

        let sql = format!(
            "SELECT plan_id, indicator_id FROM targets WHERE plan_id IN ({latest}) \
             ORDER BY plan_id, seq"
        );
        let rows = sqlx::query(dynamic_sql(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading the latest plans' targets", e))?;
        let mut ids: HashMap<i64, Vec<Option<String>>> = HashMap::new();
        for row in &rows {
            ids.entry(get(row, "plan_id")?)
                .or_default()
                .push(get(row, "indicator_id")?);
        }
        for plan in &mut plans {
            plan.indicator_ids = ids.remove(&plan.id).unwrap_or_default();
            check_targets(plan)?;
        }
        Ok(plans)
    }

    /// The plan most recently saved for the region with this code (the latest version of
    /// whichever of its plans was saved last), with its targets' indicator ids.
    pub async fn plan_for_region(&self, region_code: &str) -> Result<Option<StoredPlan>> {
        let code = as_code(region_code).unwrap_or_else(|| region_code.to_string());
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plans p WHERE p.region_code = $1 ORDER BY p.id DESC LIMIT 1"
        );
        let row = sqlx::query(dynamic_sql(sql))
            .bind(code.clone())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read(format!("reading the plan of region {code}"), e))?;
        match row {
            Some(row) => self.with_indicators(stored_plan(&row)?).await.map(Some),
            None => Ok(None),
        }
    }

    /// The stored plan version with this row id, if any.
    pub async fn plan_by_id(&self, id: i64) -> Result<Option<StoredPlan>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM plans p WHERE p.id = $1");
        let row = sqlx::query(dynamic_sql(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read(format!("reading plan {id}"), e))?;
        match row {
            Some(row) => self.with_indicators(stored_plan(&row)?).await.map(Some),
            None => Ok(None),
        }
    }

    /// Every stored version of every plan of the region with this code, by key and version.
    pub async fn plan_versions(&self, region_code: &str) -> Result<Vec<PlanVersion>> {
        let code = as_code(region_code).unwrap_or_else(|| region_code.to_string());
        let rows = sqlx::query(
            "SELECT p.id, p.region_code, p.plan_key, p.version, p.title, p.source, p.loaded_at, \
             (SELECT COUNT(*) FROM targets t WHERE t.plan_id = p.id) AS targets \
             FROM plans p WHERE p.region_code = $1 ORDER BY p.plan_key, p.version",
        )
        .bind(code.clone())
        .fetch_all(&self.pool)
        .await
        .map_err(|e| StoreError::read(format!("listing the plans of region {code}"), e))?;
        rows.iter()
            .map(|row| {
                Ok(PlanVersion {
                    id: get(row, "id")?,
                    region_code: get(row, "region_code")?,
                    plan_key: get(row, "plan_key")?,
                    version: get(row, "version")?,
                    title: get(row, "title")?,
                    source: get(row, "source")?,
                    loaded_at: get(row, "loaded_at")?,
                    targets: get(row, "targets")?,
                })
            })
            .collect()
    }

    async fn with_indicators(&self, mut plan: StoredPlan) -> Result<StoredPlan> {
        plan.indicator_ids =
            sqlx::query_scalar("SELECT indicator_id FROM targets WHERE plan_id = $1 ORDER BY seq")
                .bind(plan.id)
                .fetch_all(&self.pool)
                .await
                .map_err(|e| {
                    StoreError::read(format!("reading the targets of plan {}", plan.id), e)
                })?;
        check_targets(&plan)?;
        Ok(plan)
    }
}

/// The targets table and the document must agree on how many targets there are.
fn check_targets(plan: &StoredPlan) -> Result<()> {
    if plan.indicator_ids.len() != plan.plan.targets.len() {
        return Err(corrupt(format!(
            "plan {} has {} targets in its document but {} in the targets table",
            plan.id,
            plan.plan.targets.len(),
            plan.indicator_ids.len()
        )));
    }
    Ok(())
}
