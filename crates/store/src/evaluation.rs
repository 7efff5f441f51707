//! Evaluation runs (评估) and external scores (群众满意度, 第三方评估).
//!
//! A run is kept as it was made: the plan it evaluated (region, key and version), kind,
//! as-of period, baseline and scope, who ran it and when, the weights file's text, the run
//! it took previous ranks from, the [`EvaluationResult`] (the stored contract, as JSON), the
//! other inputs ([`RunInputs`]: targets and external scores, as JSON), and the frozen
//! snapshot of every value it used ([`SnapshotValue`], one row each in `evaluation_values`),
//! so that it can be recomputed and audited after the reported values change. Runs are
//! never edited; the one change is publishing (公示, [`Store::publish_run`]), after which
//! a run may reach public pages.
//!
//! External scores are imported all or nothing ([`Store::import_external_scores`]); a score
//! for a region, source and period already stored is replaced, its old value kept in the
//! audit log.
//!
//! | entity | action | key | before / after |
//! |---|---|---|---|
//! | `evaluation_run` | `insert`, `publish` | `530000/evaluation/12` | – / the run's summary |
//! | `external_score` | `import` | the import's note (a file name) | – / counts |
//! | `external_score` | `insert`, `update` | `532301/2024/satisfaction` | the score before / after |

use std::collections::{HashMap, HashSet};

use minsheng_assess::TargetRef;
use minsheng_evaluate::{EvaluationKind, EvaluationResult, ExternalScore, ExternalSource};
use minsheng_model::{DataValue, Period, ReviewState, ValueSource};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{AuditRecord, json, write_audit};
use crate::bulk::{BindReal, insert_many};
use crate::values::ImportOutcome;
use crate::{Result, Store, StoreError, dynamic_sql, finish, time};

/// Snapshot rows per multi-row INSERT: 8 values each.
const SNAPSHOT_BATCH: usize = 1000;

/// One value as an evaluation run used it (the frozen snapshot).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotValue {
    /// The catalog indicator's id.
    pub indicator: String,
    /// The region's GB/T 2260 code.
    pub region: String,
    pub period: Period,
    pub value: f64,
    /// 分子, for rates.
    pub numerator: Option<f64>,
    /// 分母, for rates.
    pub denominator: Option<f64>,
    /// 模拟数据: generated demo data.
    pub simulated: bool,
}

impl SnapshotValue {
    /// The parts of a stored value that evaluation reads.
    pub fn of(v: &DataValue) -> SnapshotValue {
        SnapshotValue {
            indicator: v.indicator.clone(),
            region: v.region.clone(),
            period: v.period,
            value: v.value,
            numerator: v.numerator,
            denominator: v.denominator,
            simulated: v.is_simulated(),
        }
    }

    /// Back to a [`DataValue`] for the monitoring table: who entered it and from what are
    /// not kept in a snapshot (source is `demo` for demo data, else `api`; state approved).
    pub fn to_data_value(&self) -> DataValue {
        DataValue {
            indicator: self.indicator.clone(),
            region: self.region.clone(),
            period: self.period,
            value: self.value,
            numerator: self.numerator,
            denominator: self.denominator,
            source: if self.simulated {
                ValueSource::Demo
            } else {
                ValueSource::Api
            },
            entered_by: String::new(),
            entered_at: String::new(),
            comment: None,
            state: ReviewState::Approved,
        }
    }
}

/// What a run read besides the values: enough, with the snapshot and the weights, to
/// compute it again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunInputs {
    /// The targets assessed (from the plans as stored when the run was made).
    #[serde(default)]
    pub targets: Vec<TargetRef>,
    /// The external scores offered to the run (it takes, per region and source, the latest
    /// not after as-of).
    #[serde(default)]
    pub external: Vec<ExternalScore>,
    /// Values in every review state were used, not only approved and published ones.
    #[serde(default)]
    pub include_unreviewed: bool,
}

/// A run to be saved.
#[derive(Debug, Clone, Copy)]
pub struct NewRun<'a> {
    /// The plan evaluated: its region's code, key and version.
    pub plan_region: &'a str,
    pub plan_key: &'a str,
    pub plan_version: i64,
    /// Who runs it.
    pub created_by: &'a str,
    /// The weights file's text ("" for the default, equal weights).
    pub weights: &'a str,
    /// The run whose ranks are this run's previous ranks.
    pub previous_run: Option<i64>,
    /// The result. Its `run_id` is replaced by the stored run's id.
    pub result: &'a EvaluationResult,
    pub inputs: &'a RunInputs,
    /// Every value the run used.
    pub values: &'a [SnapshotValue],
}

/// A stored run without its result and inputs: what a list shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: i64,
    pub plan_region: String,
    pub plan_key: String,
    pub plan_version: i64,
    pub kind: EvaluationKind,
    pub as_of: Period,
    pub baseline: Option<Period>,
    pub scope: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub created_by: String,
    pub previous_run: Option<i64>,
    /// How many values the snapshot holds.
    pub value_count: i64,
    /// Some value used was demo data (模拟数据).
    pub simulated: bool,
    /// 公示: when the run was published (RFC 3339 UTC), if it was.
    pub published_at: Option<String>,
    pub published_by: Option<String>,
}

impl RunSummary {
    pub fn is_published(&self) -> bool {
        self.published_at.is_some()
    }
}

/// A stored run with everything but its snapshot ([`Store::run_snapshot`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRun {
    #[serde(flatten)]
    pub summary: RunSummary,
    /// The weights file's text.
    pub weights: String,
    /// The result as computed (its `run_id` is the id as text).
    pub result: EvaluationResult,
    pub inputs: RunInputs,
}

/// Which runs to list; the default lists all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunFilter {
    /// Only runs of plans of this region (a code).
    pub plan_region: Option<String>,
    /// Only runs of the plan with this key.
    pub plan_key: Option<String>,
    /// Only published runs: what public pages may show.
    pub published_only: bool,
}

/// A stored external score, with who imported it and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredExternalScore {
    #[serde(flatten)]
    pub score: ExternalScore,
    pub imported_by: String,
    /// RFC 3339 UTC.
    pub imported_at: String,
    /// Where from (a file name).
    pub note: Option<String>,
}

const RUN_COLUMNS: &str = "id, plan_region, plan_key, plan_version, kind, as_of, baseline, scope, \
    created_at, created_by, previous_run, value_count, simulated, published_at, published_by";

fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt { what: what.into() }
}

fn get<'r, T>(row: &'r AnyRow, column: &str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column)
        .map_err(|e| corrupt(format!("evaluation column {column}: {e}")))
}

fn period(text: &str, what: &str) -> Result<Period> {
    Period::parse(text).ok_or_else(|| corrupt(format!("{what} has period {text:?}")))
}

fn summary(row: &AnyRow) -> Result<RunSummary> {
    let id: i64 = get(row, "id")?;
    let kind: String = get(row, "kind")?;
    let baseline: Option<String> = get(row, "baseline")?;
    let simulated: i64 = get(row, "simulated")?;
    Ok(RunSummary {
        id,
        plan_region: get(row, "plan_region")?,
        plan_key: get(row, "plan_key")?,
        plan_version: get(row, "plan_version")?,
        kind: EvaluationKind::parse(&kind)
            .ok_or_else(|| corrupt(format!("run {id} has kind {kind:?}")))?,
        as_of: period(&get::<String>(row, "as_of")?, &format!("run {id}"))?,
        baseline: baseline
            .map(|b| period(&b, &format!("the baseline of run {id}")))
            .transpose()?,
        scope: get(row, "scope")?,
        created_at: get(row, "created_at")?,
        created_by: get(row, "created_by")?,
        previous_run: get(row, "previous_run")?,
        value_count: get(row, "value_count")?,
        simulated: simulated != 0,
        published_at: get(row, "published_at")?,
        published_by: get(row, "published_by")?,
    })
}

fn stored_run(row: &AnyRow) -> Result<StoredRun> {
    let summary = summary(row)?;
    let id = summary.id;
    let result: String = get(row, "result")?;
    let inputs: String = get(row, "inputs")?;
    Ok(StoredRun {
        weights: get(row, "weights")?,
        result: serde_json::from_str(&result)
            .map_err(|e| corrupt(format!("the result of run {id}: {e}")))?,
        inputs: serde_json::from_str(&inputs)
            .map_err(|e| corrupt(format!("the inputs of run {id}: {e}")))?,
        summary,
    })
}

fn audit_key(region: &str, id: i64) -> String {
    format!("{region}/evaluation/{id}")
}

impl Store {
    /// Saves an evaluation run with its frozen snapshot in one transaction, and returns its
    /// id. The stored result's `run_id` is the id as text.
    ///
    /// Refused, with nothing saved: an empty actor, a plan region not in the store, a
    /// previous run that does not exist, a value that is not a finite number or given twice.
    pub async fn save_run(&self, run: &NewRun<'_>) -> Result<i64> {
        let action = || format!("saving the evaluation of {}", run.plan_region);
        let actor = run.created_by.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor { action: action() });
        }
        let invalid = |message: String| StoreError::InvalidRun { message };
        let mut cells = HashSet::with_capacity(run.values.len());
        for (i, v) in run.values.iter().enumerate() {
            let finite = v.value.is_finite()
                && v.numerator.is_none_or(f64::is_finite)
                && v.denominator.is_none_or(f64::is_finite);
            if !finite {
                return Err(invalid(format!(
                    "value {} ({} {} {}) is not a finite number",
                    i + 1,
                    v.region,
                    v.period,
                    v.indicator
                )));
            }
            if !cells.insert((v.period, v.region.as_str(), v.indicator.as_str())) {
                return Err(invalid(format!(
                    "value {} ({} {} {}) is given twice",
                    i + 1,
                    v.region,
                    v.period,
                    v.indicator
                )));
            }
        }
        let inputs = serde_json::to_string(run.inputs)
            .map_err(|e| invalid(format!("its inputs cannot be written as JSON: {e}")))?;
        let simulated = run.values.iter().any(|v| v.simulated);
        let now = time::now_utc();
        let fail = |e| StoreError::write(action(), e);

        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let known: Option<String> =
                sqlx::query_scalar("SELECT code FROM regions WHERE code = $1")
                    .bind(run.plan_region.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(fail)?;
            if known.is_none() {
                return Err(StoreError::UnknownRegion {
                    region: run.plan_region.to_string(),
                });
            }
            if let Some(previous) = run.previous_run {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM evaluation_runs WHERE id = $1")
                        .bind(previous)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(fail)?;
                if found.is_none() {
                    return Err(invalid(format!(
                        "the previous run {previous} does not exist"
                    )));
                }
            }
            let r = run.result;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO evaluation_runs (plan_region, plan_key, plan_version, kind, as_of, \
                 as_of_end, baseline, scope, created_at, created_by, weights, previous_run, \
                 result, inputs, value_count, simulated) VALUES ($1, $2, $3, $4, $5, $6, $7, \
                 $8, $9, $10, $11, $12, '', $13, $14, $15) RETURNING id",
            )
            .bind(run.plan_region.to_string())
            .bind(run.plan_key.to_string())
            .bind(run.plan_version)
            .bind(r.kind.as_str())
            .bind(r.as_of.to_string())
            .bind(r.as_of.end_month())
            .bind(r.baseline.map(|b| b.to_string()))
            .bind(r.scope.clone())
            .bind(now.clone())
            .bind(actor.to_string())
            .bind(run.weights.to_string())
            .bind(run.previous_run)
            .bind(inputs.clone())
            .bind(run.values.len() as i64)
            .bind(i64::from(simulated))
            .fetch_one(&mut *tx)
            .await
            .map_err(fail)?;
            let mut stored = r.clone();
            stored.run_id = id.to_string();
            let text = serde_json::to_string(&stored)
                .map_err(|e| invalid(format!("its result cannot be written as JSON: {e}")))?;
            sqlx::query("UPDATE evaluation_runs SET result = $1 WHERE id = $2")
                .bind(text)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            insert_many(
                &mut tx,
                self.backend,
                (
                    "INSERT INTO evaluation_values (run_id, period, region_code, indicator_id, \
                     value, numerator, denominator, simulated) VALUES ",
                    "",
                ),
                8,
                SNAPSHOT_BATCH,
                run.values,
                |q, v| {
                    q.bind(id)
                        .bind(v.period.to_string())
                        .bind(v.region.as_str())
                        .bind(v.indicator.as_str())
                        .bind(v.value)
                        .bind_real(v.numerator)
                        .bind_real(v.denominator)
                        .bind(i64::from(v.simulated))
                },
            )
            .await
            .map_err(fail)?;
            let after = serde_json::json!({
                "kind": r.kind.as_str(),
                "as_of": r.as_of.to_string(),
                "plan_key": run.plan_key,
                "plan_version": run.plan_version,
                "values": run.values.len(),
                "previous_run": run.previous_run,
            });
            write_audit(
                &mut tx,
                self.backend,
                &now,
                actor,
                &[AuditRecord {
                    action: "insert",
                    entity: "evaluation_run",
                    key: audit_key(run.plan_region, id),
                    before: None,
                    after: json(&after),
                    note: Some(format!("{} {}", r.kind.label(), r.as_of)),
                    simulated,
                }],
            )
            .await
            .map_err(fail)?;
            Ok(id)
        }
        .await;
        finish(tx, result, action).await
    }

    /// The runs `filter` selects, newest first, without results.
    pub async fn runs(&self, filter: &RunFilter) -> Result<Vec<RunSummary>> {
        let mut conditions = Vec::new();
        let mut binds = Vec::new();
        if let Some(region) = &filter.plan_region {
            binds.push(region.clone());
            conditions.push(format!("plan_region = ${}", binds.len()));
        }
        if let Some(key) = &filter.plan_key {
            binds.push(key.clone());
            conditions.push(format!("plan_key = ${}", binds.len()));
        }
        if filter.published_only {
            conditions.push("published_at IS NOT NULL".to_string());
        }
        let mut sql = format!("SELECT {RUN_COLUMNS} FROM evaluation_runs");
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY id DESC");
        let mut query = sqlx::query(dynamic_sql(sql));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("listing evaluation runs", e))?;
        rows.iter().map(summary).collect()
    }

    /// One run with its result and inputs; `None` when there is no run `id`.
    pub async fn run(&self, id: i64) -> Result<Option<StoredRun>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS}, weights, result, inputs FROM evaluation_runs WHERE id = $1"
        );
        let row = sqlx::query(dynamic_sql(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read(format!("reading evaluation run {id}"), e))?;
        row.as_ref().map(stored_run).transpose()
    }

    /// The values run `id` used, by period, region and indicator (empty for an unknown run).
    pub async fn run_snapshot(&self, id: i64) -> Result<Vec<SnapshotValue>> {
        let rows = sqlx::query(
            "SELECT period, region_code, indicator_id, value, numerator, denominator, simulated \
             FROM evaluation_values WHERE run_id = $1 ORDER BY period, region_code, indicator_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| StoreError::read(format!("reading the snapshot of run {id}"), e))?;
        rows.iter()
            .map(|row| {
                let simulated: i64 = get(row, "simulated")?;
                Ok(SnapshotValue {
                    period: period(
                        &get::<String>(row, "period")?,
                        &format!("a value of run {id}"),
                    )?,
                    region: get(row, "region_code")?,
                    indicator: get(row, "indicator_id")?,
                    value: get(row, "value")?,
                    numerator: get(row, "numerator")?,
                    denominator: get(row, "denominator")?,
                    simulated: simulated != 0,
                })
            })
            .collect()
    }

    /// The latest run (by id) of the same plan (region and key) and scope whose as-of
    /// period ends no later than `as_of`'s: where the next run takes its previous ranks.
    pub async fn previous_run(
        &self,
        plan_region: &str,
        plan_key: &str,
        scope: Option<&str>,
        as_of: Period,
    ) -> Result<Option<StoredRun>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS}, weights, result, inputs FROM evaluation_runs \
             WHERE plan_region = $1 AND plan_key = $2 AND as_of_end <= $3 \
             AND COALESCE(scope, '') = $4 ORDER BY id DESC LIMIT 1"
        );
        let row = sqlx::query(dynamic_sql(sql))
            .bind(plan_region.to_string())
            .bind(plan_key.to_string())
            .bind(as_of.end_month())
            .bind(scope.unwrap_or("").to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read("finding the previous evaluation run", e))?;
        row.as_ref().map(stored_run).transpose()
    }

    /// 公示: marks run `id` published by `actor`, so public pages may show it. Refused when
    /// the run does not exist or is published already (its first publication stands).
    pub async fn publish_run(&self, id: i64, actor: &str) -> Result<RunSummary> {
        let action = || format!("publishing evaluation run {id}");
        let actor = actor.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor { action: action() });
        }
        let fail = |e| StoreError::write(action(), e);
        let now = time::now_utc();
        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let sql = format!("SELECT {RUN_COLUMNS} FROM evaluation_runs WHERE id = $1");
            let row = sqlx::query(dynamic_sql(sql))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail)?;
            let Some(row) = row else {
                return Err(StoreError::InvalidRun {
                    message: format!("there is no evaluation run {id}"),
                });
            };
            let before = summary(&row)?;
            if let Some(at) = &before.published_at {
                return Err(StoreError::InvalidRun {
                    message: format!(
                        "run {id} was published already, at {at} by {}",
                        before.published_by.as_deref().unwrap_or("?")
                    ),
                });
            }
            sqlx::query(
                "UPDATE evaluation_runs SET published_at = $1, published_by = $2 WHERE id = $3",
            )
            .bind(now.clone())
            .bind(actor.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
            let after = RunSummary {
                published_at: Some(now.clone()),
                published_by: Some(actor.to_string()),
                ..before.clone()
            };
            write_audit(
                &mut tx,
                self.backend,
                &now,
                actor,
                &[AuditRecord {
                    action: "publish",
                    entity: "evaluation_run",
                    key: audit_key(&before.plan_region, id),
                    before: json(&before),
                    after: json(&after),
                    note: None,
                    simulated: before.simulated,
                }],
            )
            .await
            .map_err(fail)?;
            Ok(after)
        }
        .await;
        finish(tx, result, action).await
    }

    /// Imports external scores in one transaction, all or nothing: each new (region, source,
    /// period) inserted, a different score for one stored replaces it (old and new in the
    /// audit log), the same score changes nothing. `note` says from what (a file name).
    ///
    /// Refused, with nothing imported: an empty actor, a region not in the store, a score
    /// outside 0–100 or not a number, the same region, source and period twice.
    pub async fn import_external_scores(
        &self,
        scores: &[ExternalScore],
        actor: &str,
        note: &str,
    ) -> Result<ImportOutcome> {
        let action = || format!("importing {} external scores", scores.len());
        let actor = actor.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor { action: action() });
        }
        let invalid = |message: String| StoreError::InvalidExternal { message };
        let at = |i: usize, s: &ExternalScore| {
            if s.line > 0 {
                format!("line {}", s.line)
            } else {
                format!("score {}", i + 1)
            }
        };
        let mut seen = HashSet::new();
        for (i, s) in scores.iter().enumerate() {
            if !(s.score.is_finite() && (0.0..=100.0).contains(&s.score)) {
                return Err(invalid(format!(
                    "{}: score {} of {} is outside 0–100",
                    at(i, s),
                    s.score,
                    s.region
                )));
            }
            if !seen.insert((s.region.as_str(), s.source, s.period)) {
                return Err(invalid(format!(
                    "{}: {} {} {} is given twice",
                    at(i, s),
                    s.region,
                    s.source.as_str(),
                    s.period
                )));
            }
        }
        if scores.is_empty() {
            return Ok(ImportOutcome::default());
        }
        let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
        let now = time::now_utc();
        let fail = |e| StoreError::write(action(), e);
        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let regions: HashSet<String> = sqlx::query_scalar("SELECT code FROM regions")
                .fetch_all(&mut *tx)
                .await
                .map_err(fail)?
                .into_iter()
                .collect();
            if let Some((i, s)) = scores
                .iter()
                .enumerate()
                .find(|(_, s)| !regions.contains(&s.region))
            {
                return Err(invalid(format!(
                    "{}: region {:?} is not a region code in the store (write the 6-digit \
                     GB/T 2260 code, 532301)",
                    at(i, s),
                    s.region
                )));
            }
            let stored: HashMap<(String, String, String), f64> =
                sqlx::query_as::<_, (String, String, String, f64)>(
                    "SELECT region_code, source, period, score FROM external_scores",
                )
                .fetch_all(&mut *tx)
                .await
                .map_err(fail)?
                .into_iter()
                .map(|(r, s, p, x)| ((r, s, p), x))
                .collect();
            let mut outcome = ImportOutcome::default();
            let mut records = Vec::new();
            for s in scores {
                let key = (
                    s.region.clone(),
                    s.source.as_str().to_string(),
                    s.period.to_string(),
                );
                let old = stored.get(&key).copied();
                if old == Some(s.score) {
                    outcome.unchanged += 1;
                    continue;
                }
                sqlx::query(
                    "INSERT INTO external_scores (region_code, source, period, period_end, \
                     score, imported_by, imported_at, note) VALUES ($1, $2, $3, $4, $5, $6, \
                     $7, $8) ON CONFLICT (region_code, source, period) DO UPDATE SET \
                     period_end = excluded.period_end, score = excluded.score, \
                     imported_by = excluded.imported_by, imported_at = excluded.imported_at, \
                     note = excluded.note",
                )
                .bind(key.0.clone())
                .bind(key.1.clone())
                .bind(key.2.clone())
                .bind(s.period.end_month())
                .bind(s.score)
                .bind(actor.to_string())
                .bind(now.clone())
                .bind(note.clone())
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
                let record = |score: f64| json(&serde_json::json!({ "score": score }));
                records.push(AuditRecord {
                    action: if old.is_some() { "update" } else { "insert" },
                    entity: "external_score",
                    key: format!("{}/{}/{}", key.0, key.2, key.1),
                    before: old.and_then(record),
                    after: record(s.score),
                    note: note.clone(),
                    simulated: false,
                });
                if old.is_some() {
                    outcome.updated += 1;
                } else {
                    outcome.inserted += 1;
                }
            }
            records.push(AuditRecord {
                action: "import",
                entity: "external_score",
                key: note.clone().unwrap_or_default(),
                before: None,
                after: json(&outcome),
                note: note.clone(),
                simulated: false,
            });
            write_audit(&mut tx, self.backend, &now, actor, &records)
                .await
                .map_err(fail)?;
            Ok(outcome)
        }
        .await;
        finish(tx, result, action).await
    }

    /// Every stored external score, by region, source and period.
    pub async fn external_scores(&self) -> Result<Vec<StoredExternalScore>> {
        let rows = sqlx::query(
            "SELECT region_code, source, period, score, imported_by, imported_at, note \
             FROM external_scores ORDER BY region_code, source, period_end, period",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|e| StoreError::read("reading external scores", e))?;
        rows.iter()
            .map(|row| {
                let region: String = get(row, "region_code")?;
                let source: String = get(row, "source")?;
                Ok(StoredExternalScore {
                    score: ExternalScore {
                        source: ExternalSource::parse(&source).ok_or_else(|| {
                            corrupt(format!("external score of {region} has source {source:?}"))
                        })?,
                        period: period(
                            &get::<String>(row, "period")?,
                            &format!("an external score of {region}"),
                        )?,
                        score: get(row, "score")?,
                        line: 0,
                        region,
                    },
                    imported_by: get(row, "imported_by")?,
                    imported_at: get(row, "imported_at")?,
                    note: get(row, "note")?,
                })
            })
            .collect()
    }
}
