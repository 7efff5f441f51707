//! 评估 runs: a plan evaluated at a period from a frozen snapshot of values, stored, and
//! recomputed later from that snapshot (`verify`).
//!
//! A run reads what monitoring reads ([`crate::monitor::Inputs`]), but the approved and
//! published values of the plan's region and those under it, up to as-of, are taken once,
//! stored with the run, and the computation reads only them.

use crate::monitor::{Inputs, inputs};
use crate::{AppError, Result};
use minsheng_assess::{AssessFilter, AssessInput, Hierarchy, IndicatorSet, ValueTable};
use minsheng_evaluate::{
    EvaluationInput, EvaluationKind, EvaluationResult, IndicatorMeta, WeightsConfig,
    cross_sections, evaluate,
};
use minsheng_model::Period;
use minsheng_store::{NewRun, RunInputs, SnapshotValue, Store, StoredPlan, StoredRun, ValueFilter};

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// The plan: its key, or the name or code of its region.
    pub plan: String,
    pub as_of: Period,
    pub kind: EvaluationKind,
    /// The weights (TOML: [domains], [indicators], [external]); empty for equal weights.
    pub weights: String,
    /// Where the weights came from, for errors.
    pub weights_origin: String,
    /// Count draft and submitted values too.
    pub include_unreviewed: bool,
    /// Who runs it.
    pub actor: String,
}

/// The plan named by `name`: a plan key, else the latest plan of the region so named.
pub async fn find_plan<'a>(
    store: &Store,
    inputs: &'a Inputs,
    name: &str,
) -> Result<&'a StoredPlan> {
    if let Some(p) = inputs.plans.iter().find(|p| p.plan_key == name.trim()) {
        return Ok(p);
    }
    let region = store.resolve_region(name).await?.ok_or_else(|| {
        AppError::Refused(format!(
            "no stored plan or region is called {name} (see minsheng plan show)"
        ))
    })?;
    inputs
        .plans
        .iter()
        .filter(|p| p.region_code == region.code)
        // Several plans of one region (a 十四五 plan and a three-year action): the most
        // recent one, by its years; the plan key picks another.
        .max_by_key(|p| (p.plan.years.map(|y| (y[1], y[0])), p.id))
        .ok_or_else(|| {
            AppError::Refused(format!(
                "{} has no stored plan: load it first (minsheng plan load FILE)",
                region.name
            ))
        })
}

/// The evaluation's indicator list, in the catalog's order.
pub fn metas(inputs: &Inputs) -> Vec<IndicatorMeta> {
    inputs
        .catalog
        .entries()
        .iter()
        .map(IndicatorMeta::from_catalog)
        .collect()
}

/// Weights from TOML text; `origin` names them in the error.
pub fn weights_of(text: &str, origin: &str) -> Result<WeightsConfig> {
    WeightsConfig::from_toml(text)
        .map_err(|e| AppError::Refused(format!("the weights file {origin} has a mistake: {e}")))
}

/// What a computation reads, besides the monitoring inputs.
struct Frozen<'a> {
    run_id: &'a str,
    kind: EvaluationKind,
    as_of: Period,
    baseline: Period,
    scope: &'a str,
    values: &'a [SnapshotValue],
    run_inputs: &'a RunInputs,
    weights: &'a WeightsConfig,
    previous: Option<&'a EvaluationResult>,
}

/// Assessment of every level in scope and evaluation, from frozen values only: the path of
/// both [`run`] and [`recompute`].
fn compute(
    h: &Hierarchy,
    indicators: &IndicatorSet,
    metas: &[IndicatorMeta],
    f: &Frozen,
) -> Result<EvaluationResult> {
    // In one order whatever the source's: sums over counties then add up in the same order.
    let mut values: Vec<_> = f.values.iter().map(SnapshotValue::to_data_value).collect();
    values.sort_by(|a, b| {
        (&a.indicator, &a.region, a.period).cmp(&(&b.indicator, &b.region, b.period))
    });
    let (table, _skipped) = ValueTable::from_values(&values, h, indicators);
    let input = AssessInput {
        hierarchy: h,
        indicators,
        table: &table,
        targets: &f.run_inputs.targets,
    };
    let filter = AssessFilter {
        region: Some(f.scope.to_string()),
        ..AssessFilter::default()
    };
    let assessments = minsheng_assess::assess(&input, f.as_of, &filter)?;
    let mut sections = cross_sections(&table, h, indicators, f.as_of);
    if f.baseline != f.as_of {
        sections.extend(cross_sections(&table, h, indicators, f.baseline));
    }
    Ok(evaluate(&EvaluationInput {
        run_id: f.run_id,
        kind: f.kind,
        as_of: f.as_of,
        baseline: Some(f.baseline),
        scope: Some(f.scope),
        hierarchy: h,
        indicators: metas,
        assessments: &assessments,
        values: &sections,
        population: None,
        weights: f.weights,
        external: &f.run_inputs.external,
        previous: f.previous,
    })?)
}

/// Evaluates a plan, stores the run with the values it used frozen, and returns it as stored.
pub async fn run(store: &Store, request: &RunRequest) -> Result<StoredRun> {
    let inputs = inputs(store).await?;
    let plan = find_plan(store, &inputs, &request.plan).await?;
    let scope = plan.region_code.clone();
    let weights = weights_of(&request.weights, &request.weights_origin)?;
    let mut filter = if request.include_unreviewed {
        ValueFilter::default()
    } else {
        ValueFilter::internal()
    };
    filter.region = Some(scope.clone());
    let values: Vec<SnapshotValue> = store
        .values(&filter)
        .await?
        .iter()
        .filter(|v| v.period.end_month() <= request.as_of.end_month())
        .map(SnapshotValue::of)
        .collect();
    let h = &inputs.hierarchy;
    let root = h.require(&scope)?;
    let external = store
        .external_scores()
        .await?
        .into_iter()
        .map(|s| s.score)
        .filter(|s| h.index_of(&s.region).is_some_and(|r| h.is_within(r, root)))
        .collect();
    let run_inputs = RunInputs {
        targets: inputs.targets.clone(),
        external,
        include_unreviewed: request.include_unreviewed,
    };
    // The year before the plan starts (2022 for 2023–2025).
    let baseline = Period::Year(plan.plan.years.map_or(2022, |y| y[0] - 1));
    let previous = store
        .previous_run(
            &plan.region_code,
            &plan.plan_key,
            Some(&scope),
            request.as_of,
        )
        .await?;
    let metas = metas(&inputs);
    let result = compute(
        h,
        &inputs.indicators,
        &metas,
        &Frozen {
            run_id: "",
            kind: request.kind,
            as_of: request.as_of,
            baseline,
            scope: &scope,
            values: &values,
            run_inputs: &run_inputs,
            weights: &weights,
            previous: previous.as_ref().map(|p| &p.result),
        },
    )?;
    let id = store
        .save_run(&NewRun {
            plan_region: &plan.region_code,
            plan_key: &plan.plan_key,
            plan_version: plan.version,
            created_by: &request.actor,
            weights: &request.weights,
            previous_run: previous.as_ref().map(|p| p.summary.id),
            result: &result,
            inputs: &run_inputs,
            values: &values,
        })
        .await?;
    stored_run(store, id).await
}

/// A stored run, or an error saying there is none.
pub async fn stored_run(store: &Store, id: i64) -> Result<StoredRun> {
    store.run(id).await?.ok_or_else(|| {
        AppError::Refused(format!(
            "there is no evaluation run {id} (see minsheng evaluate list)"
        ))
    })
}

/// A run recomputed from its frozen values, and how many values that was: equal to the
/// stored result when the run reproduces.
pub async fn recompute(store: &Store, run: &StoredRun) -> Result<(EvaluationResult, usize)> {
    let id = run.summary.id;
    let values = store.run_snapshot(id).await?;
    let inputs = inputs(store).await?;
    let previous = match run.summary.previous_run {
        Some(p) => Some(stored_run(store, p).await?.result),
        None => None,
    };
    let weights = weights_of(&run.weights, &format!("of run {id}"))?;
    let scope = run
        .summary
        .scope
        .clone()
        .unwrap_or_else(|| run.summary.plan_region.clone());
    let metas = metas(&inputs);
    let again = compute(
        &inputs.hierarchy,
        &inputs.indicators,
        &metas,
        &Frozen {
            run_id: &run.result.run_id,
            kind: run.summary.kind,
            as_of: run.summary.as_of,
            baseline: run.summary.baseline.unwrap_or(run.summary.as_of),
            scope: &scope,
            values: &values,
            run_inputs: &run.inputs,
            weights: &weights,
            previous: previous.as_ref(),
        },
    )?;
    Ok((again, values.len()))
}
