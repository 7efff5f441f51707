//! The review workflow (审核) of reported values, a region's period at a time:
//!
//! ```text
//! draft ──submit──► submitted ──approve──► approved ──publish──► published
//!   ▲                   │
//!   └──── returned ◄────┘ return (with a reason)
//! ```
//!
//! The reporting region submits, the parent region approves or returns with a reason, the
//! plan owner publishes. A step applies to every value of the region and period (or of one
//! indicator there) that is in the state it starts from:
//!
//! | step | moves | allowed when |
//! |---|---|---|
//! | submit | draft, returned → submitted | some value is draft or returned |
//! | approve | submitted → approved | some value is submitted and none is draft or returned |
//! | return | submitted → returned | some value is submitted; a reason is given |
//! | publish | approved → published | some value is approved and none is draft, returned or submitted |
//!
//! Anything else is refused with [`StoreError::InvalidTransition`], saying where the values
//! stand and what comes first ("楚雄市 2024Q1 is still draft: submit it before approving").
//! Each step is recorded in `transitions` (one row per state it moved values from) and in the
//! audit log, with who, when, from, to and why. Who may take which step is not checked here
//! (that comes with the web application's users); the actor is recorded as given.
//!
//! Only published values reach public pages and approved ones internal views: see
//! [`crate::ValueFilter::public`] and [`crate::ValueFilter::internal`]. An import that
//! changes a value puts that value back to draft, so a region's period with a corrected
//! value must be submitted again before it can be approved.

use std::collections::BTreeMap;

use minsheng_model::{Period, ReviewState};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{AuditRecord, write_audit};
use crate::values::{parse_state, state_str};
use crate::{Backend, Result, Store, StoreError, dynamic_sql, finish, time};

/// A review step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// 报送: the reporting region submits its values.
    Submit,
    /// 审核通过: the parent region approves them.
    Approve,
    /// 退回: the parent region returns them, with a reason.
    Return,
    /// 公开: the plan owner publishes them.
    Publish,
}

impl ReviewAction {
    /// `submit`, `approve`, `return`, `publish`: the audit log's action.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Submit => "submit",
            ReviewAction::Approve => "approve",
            ReviewAction::Return => "return",
            ReviewAction::Publish => "publish",
        }
    }

    /// The states the step moves values from.
    fn moves_from(self) -> &'static [ReviewState] {
        match self {
            ReviewAction::Submit => &[ReviewState::Draft, ReviewState::Returned],
            ReviewAction::Approve | ReviewAction::Return => &[ReviewState::Submitted],
            ReviewAction::Publish => &[ReviewState::Approved],
        }
    }

    /// The state the step moves values to.
    fn to_state(self) -> ReviewState {
        match self {
            ReviewAction::Submit => ReviewState::Submitted,
            ReviewAction::Approve => ReviewState::Approved,
            ReviewAction::Return => ReviewState::Returned,
            ReviewAction::Publish => ReviewState::Published,
        }
    }

    /// The gerund, for messages: submitting, approving …
    fn doing(self) -> &'static str {
        match self {
            ReviewAction::Submit => "submitting",
            ReviewAction::Approve => "approving",
            ReviewAction::Return => "returning",
            ReviewAction::Publish => "publishing",
        }
    }
}

/// The values a review step applies to: a region's period, or one indicator of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewBatch {
    /// The region: a GB/T 2260 code or a name [`Store::resolve_region`] accepts.
    pub region: String,
    pub period: Period,
    /// Only this indicator's value; `None` for all the region's values of the period.
    pub indicator: Option<String>,
}

impl ReviewBatch {
    /// All values of `region` for `period`.
    pub fn new(region: impl Into<String>, period: Period) -> ReviewBatch {
        ReviewBatch {
            region: region.into(),
            period,
            indicator: None,
        }
    }

    /// Only `indicator`'s value.
    pub fn indicator(mut self, indicator: impl Into<String>) -> ReviewBatch {
        self.indicator = Some(indicator.into());
        self
    }
}

/// One recorded review transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub id: i64,
    /// The region's GB/T 2260 code.
    pub region_code: String,
    pub period: Period,
    /// The indicator, when the step was for one indicator only.
    pub indicator: Option<String>,
    pub from_state: ReviewState,
    pub to_state: ReviewState,
    /// How many values moved.
    pub values: i64,
    /// Who took the step.
    pub actor: String,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Why: required when values are returned, optional otherwise.
    pub reason: Option<String>,
}

/// Which transitions to read; every field narrows the selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionFilter {
    /// Only this region (a code; 53 and 5323 are padded) and the regions under it.
    pub region: Option<String>,
    pub period: Option<Period>,
    /// Only steps for this indicator or for the whole region's period it belongs to.
    pub indicator: Option<String>,
    /// Only steps taken by this actor.
    pub actor: Option<String>,
}

/// Order of progress: draft and returned stand before submitted, and so on.
fn rank(state: ReviewState) -> u8 {
    match state {
        ReviewState::Draft | ReviewState::Returned => 0,
        ReviewState::Submitted => 1,
        ReviewState::Approved => 2,
        ReviewState::Published => 3,
    }
}

/// Why `action` cannot be taken on values whose least advanced state is `least` (`count` of
/// the batch's `total` values are in it), as the rest of a sentence after the batch's name.
fn refusal(action: ReviewAction, least: ReviewState, count: i64, total: i64) -> String {
    use ReviewAction as A;
    use ReviewState as S;
    let how_many = if count < total {
        format!(" ({count} of {total} values)")
    } else {
        String::new()
    };
    let state = format!("{}{how_many}", state_str(least));
    match (action, least) {
        (A::Submit, S::Submitted) => {
            format!("is already {state}: the parent region approves or returns it next")
        }
        (A::Submit, S::Approved) => {
            format!("is already {state}: the plan owner publishes it next")
        }
        (A::Approve, S::Draft) => format!("is still {state}: submit it before approving"),
        (A::Approve, S::Returned) => format!(
            "was returned{how_many}: the reporting region corrects it and submits it again \
             before it can be approved"
        ),
        (A::Return, _) => {
            format!("is {state}: only submitted values can be returned, and none is submitted")
        }
        (A::Publish, S::Draft) => {
            format!("is still {state}: submit and approve it before publishing")
        }
        (A::Publish, S::Returned) => format!(
            "was returned{how_many}: it must be submitted and approved again before publishing"
        ),
        (A::Publish, S::Submitted) => format!("is still {state}: approve it before publishing"),
        (_, S::Approved | S::Published) => {
            format!(
                "is already {state}: there is nothing to {}",
                action.as_str()
            )
        }
        // Not reached: the allowed steps are not refused.
        (_, _) => format!("is {state}: it cannot be {}", action.doing()),
    }
}

impl Store {
    /// 报送: the reporting region submits its values of `period` (draft or returned →
    /// submitted). `region` is a code or a name.
    pub async fn submit(
        &self,
        region: &str,
        period: Period,
        actor: &str,
    ) -> Result<Vec<Transition>> {
        self.review(
            &ReviewBatch::new(region, period),
            ReviewAction::Submit,
            actor,
            None,
        )
        .await
    }

    /// 审核通过: the parent region approves the submitted values (submitted → approved).
    pub async fn approve(
        &self,
        region: &str,
        period: Period,
        actor: &str,
    ) -> Result<Vec<Transition>> {
        self.review(
            &ReviewBatch::new(region, period),
            ReviewAction::Approve,
            actor,
            None,
        )
        .await
    }

    /// 退回: the parent region returns the submitted values with `reason`, which must say
    /// something (submitted → returned).
    pub async fn return_values(
        &self,
        region: &str,
        period: Period,
        actor: &str,
        reason: &str,
    ) -> Result<Vec<Transition>> {
        self.review(
            &ReviewBatch::new(region, period),
            ReviewAction::Return,
            actor,
            Some(reason),
        )
        .await
    }

    /// 公开: the plan owner publishes the approved values (approved → published).
    pub async fn publish(
        &self,
        region: &str,
        period: Period,
        actor: &str,
    ) -> Result<Vec<Transition>> {
        self.review(
            &ReviewBatch::new(region, period),
            ReviewAction::Publish,
            actor,
            None,
        )
        .await
    }

    /// Takes a review step on `batch`, in one transaction; see the module documentation for
    /// the rules. `reason` is required (non-empty) for [`ReviewAction::Return`] and recorded
    /// for any step. Returns the transitions recorded: one per state values moved from
    /// (submitting draft and returned values records two).
    pub async fn review(
        &self,
        batch: &ReviewBatch,
        action: ReviewAction,
        actor: &str,
        reason: Option<&str>,
    ) -> Result<Vec<Transition>> {
        let region = match self.region(&batch.region).await? {
            Some(r) => r,
            None => self.resolve_region(&batch.region).await?.ok_or_else(|| {
                StoreError::UnknownRegion {
                    region: batch.region.clone(),
                }
            })?,
        };
        let label = match &batch.indicator {
            Some(indicator) => format!("{} {} {indicator}", region.name, batch.period),
            None => format!("{} {}", region.name, batch.period),
        };
        let actor = actor.trim();
        if actor.is_empty() {
            return Err(StoreError::NoActor {
                action: format!("{} {label}", action.doing()),
            });
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if action == ReviewAction::Return && reason.is_none() {
            return Err(StoreError::ReasonRequired { batch: label });
        }
        let period = batch.period.to_string();
        let doing = || format!("{} {label}", action.doing());
        let fail = |e| StoreError::write(doing(), e);

        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            if self.backend == Backend::Postgres {
                sqlx::query("LOCK TABLE value_cells IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await
                    .map_err(fail)?;
            }
            let indicator_filter = if batch.indicator.is_some() {
                " AND indicator_id = $3"
            } else {
                ""
            };
            let sql = format!(
                "SELECT state, COUNT(*) FROM data_values WHERE region_code = $1 AND period = $2\
             {indicator_filter} GROUP BY state"
            );
            let mut query = sqlx::query(dynamic_sql(sql))
                .bind(region.code.as_str())
                .bind(period.as_str());
            if let Some(indicator) = &batch.indicator {
                query = query.bind(indicator.as_str());
            }
            let rows = query.fetch_all(&mut *tx).await.map_err(fail)?;
            let mut counts: BTreeMap<u8, Vec<(ReviewState, i64)>> = BTreeMap::new();
            let mut total = 0;
            for row in &rows {
                let text: String = row.try_get(0).map_err(fail)?;
                let count: i64 = row.try_get(1).map_err(fail)?;
                let state = parse_state(&text).ok_or_else(|| StoreError::Corrupt {
                    what: format!("a value of {label} has state {text:?}"),
                })?;
                counts.entry(rank(state)).or_default().push((state, count));
                total += count;
            }
            let Some((_, least)) = counts.iter().next() else {
                return Err(StoreError::InvalidTransition {
                    batch: label.clone(),
                    message: format!("has no values: import them before {}", action.doing()),
                });
            };
            // Draft before returned when both stand first: the message names the plainer one.
            let (least_state, least_count) = least
                .iter()
                .copied()
                .min_by_key(|(s, _)| *s == ReviewState::Returned)
                .unwrap_or((ReviewState::Draft, 0));
            let has = |s: ReviewState| {
                counts
                    .values()
                    .flatten()
                    .any(|(state, count)| *state == s && *count > 0)
            };
            let allowed = match action {
                ReviewAction::Submit => rank(least_state) == 0,
                ReviewAction::Approve => least_state == ReviewState::Submitted,
                ReviewAction::Return => has(ReviewState::Submitted),
                ReviewAction::Publish => least_state == ReviewState::Approved,
            };
            if !allowed {
                return Err(StoreError::InvalidTransition {
                    batch: label.clone(),
                    message: refusal(action, least_state, least_count, total),
                });
            }

            let now = time::now_utc();
            let to = action.to_state();
            let mut transitions = Vec::new();
            let mut records = Vec::new();
            for &from in action.moves_from() {
                // data_values is a view: the cells are in value_cells, by number.
                let sql = format!(
                    "UPDATE value_cells SET state = $1 \
                     WHERE region = (SELECT id FROM value_regions WHERE code = $2) \
                     AND period = $3 AND state = $4{}",
                    if batch.indicator.is_some() {
                        " AND indicator = \
                         (SELECT id FROM value_indicators WHERE indicator_id = $5)"
                    } else {
                        ""
                    }
                );
                let mut query = sqlx::query(dynamic_sql(sql))
                    .bind(state_str(to))
                    .bind(region.code.as_str())
                    .bind(period.as_str())
                    .bind(state_str(from));
                if let Some(indicator) = &batch.indicator {
                    query = query.bind(indicator.as_str());
                }
                let moved = query.execute(&mut *tx).await.map_err(fail)?.rows_affected() as i64;
                if moved == 0 {
                    continue;
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO transitions (region_code, period, indicator_id, from_state, \
                 to_state, value_count, actor, at, reason) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(region.code.as_str())
                .bind(period.as_str())
                .bind(batch.indicator.as_deref())
                .bind(state_str(from))
                .bind(state_str(to))
                .bind(moved)
                .bind(actor)
                .bind(now.as_str())
                .bind(reason)
                .fetch_one(&mut *tx)
                .await
                .map_err(fail)?;
                let key = match &batch.indicator {
                    Some(indicator) => format!("{}/{period}/{indicator}", region.code),
                    None => format!("{}/{period}", region.code),
                };
                records.push(AuditRecord {
                    action: action.as_str(),
                    entity: "review",
                    key,
                    before: Some(format!(
                        "{{\"state\":\"{}\",\"values\":{moved}}}",
                        state_str(from)
                    )),
                    after: Some(format!(
                        "{{\"state\":\"{}\",\"values\":{moved}}}",
                        state_str(to)
                    )),
                    note: reason.map(str::to_string),
                    simulated: false,
                });
                transitions.push(Transition {
                    id,
                    region_code: region.code.clone(),
                    period: batch.period,
                    indicator: batch.indicator.clone(),
                    from_state: from,
                    to_state: to,
                    values: moved,
                    actor: actor.to_string(),
                    at: now.clone(),
                    reason: reason.map(str::to_string),
                });
            }
            // Demo data is labelled in the log too: is every value of the batch demo data?
            let sql = format!(
                "SELECT COUNT(*) FROM data_values WHERE region_code = $1 AND period = $2 \
             AND simulated = 0{indicator_filter}"
            );
            let mut query = sqlx::query_scalar::<_, i64>(dynamic_sql(sql))
                .bind(region.code.as_str())
                .bind(period.as_str());
            if let Some(indicator) = &batch.indicator {
                query = query.bind(indicator.as_str());
            }
            let real = query.fetch_one(&mut *tx).await.map_err(fail)?;
            for r in &mut records {
                r.simulated = real == 0;
            }
            write_audit(&mut tx, self.backend, &now, actor, &records)
                .await
                .map_err(fail)?;
            Ok::<_, StoreError>(transitions)
        }
        .await;
        finish(tx, result, doing).await
    }

    /// The recorded review transitions `filter` selects, oldest first.
    pub async fn transitions(&self, filter: &TransitionFilter) -> Result<Vec<Transition>> {
        let mut sql = String::new();
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        fn param(value: String, binds: &mut Vec<String>) -> String {
            binds.push(value);
            format!("${}", binds.len())
        }
        if let Some(region) = &filter.region {
            let code =
                crate::regions::as_code(region).ok_or_else(|| StoreError::UnknownRegion {
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
        sql.push_str(
            "SELECT t.id, t.region_code, t.period, t.indicator_id, t.from_state, t.to_state, \
             t.value_count, t.actor, t.at, t.reason FROM transitions t",
        );
        if filter.region.is_some() {
            sql.push_str(" JOIN sub ON t.region_code = sub.code");
        }
        if let Some(period) = filter.period {
            let p = param(period.to_string(), &mut binds);
            conditions.push(format!("t.period = {p}"));
        }
        if let Some(indicator) = &filter.indicator {
            let p = param(indicator.clone(), &mut binds);
            conditions.push(format!("(t.indicator_id IS NULL OR t.indicator_id = {p})"));
        }
        if let Some(actor) = &filter.actor {
            let p = param(actor.clone(), &mut binds);
            conditions.push(format!("t.actor = {p}"));
        }
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY t.id");
        let mut query = sqlx::query(dynamic_sql(sql));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading review transitions", e))?;
        rows.iter()
            .map(|row| {
                let corrupt = |what: String| StoreError::Corrupt { what };
                let text = |i: usize| -> Result<Option<String>> {
                    row.try_get::<Option<String>, _>(i)
                        .map_err(|e| corrupt(format!("transitions column {i}: {e}")))
                };
                let state = |i: usize| -> Result<ReviewState> {
                    let t = text(i)?.unwrap_or_default();
                    parse_state(&t).ok_or_else(|| corrupt(format!("a transition has state {t:?}")))
                };
                let period_text = text(2)?.unwrap_or_default();
                Ok(Transition {
                    id: row
                        .try_get(0)
                        .map_err(|e| corrupt(format!("transitions.id: {e}")))?,
                    region_code: text(1)?.unwrap_or_default(),
                    period: Period::parse(&period_text).ok_or_else(|| {
                        corrupt(format!("a transition has period {period_text:?}"))
                    })?,
                    indicator: text(3)?,
                    from_state: state(4)?,
                    to_state: state(5)?,
                    values: row
                        .try_get(6)
                        .map_err(|e| corrupt(format!("transitions.value_count: {e}")))?,
                    actor: text(7)?.unwrap_or_default(),
                    at: text(8)?.unwrap_or_default(),
                    reason: text(9)?,
                })
            })
            .collect()
    }
}
