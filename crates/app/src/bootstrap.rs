//! A fresh store made ready to show (what `minsheng serve` does on first run): the region
//! hierarchy, the indicator catalog, the five bundled plans, demo values (模拟数据, seed 1),
//! and one evaluation of the provincial plan on them, published so the public pages have
//! something to show — flagged 模拟数据 like the values it was computed from.
//!
//! A store that already holds a plan is left as it is.

use crate::evaluation::{RunRequest, run};
use crate::{Result, plans};
use minsheng_evaluate::EvaluationKind;
use minsheng_model::Period;
use minsheng_store::Store;

/// The seed of the first run's demo data.
pub const DEMO_SEED: u64 = 1;

/// The period the first run's demo evaluation is made at.
pub const DEMO_AS_OF: Period = Period::Quarter(2024, 4);

/// What a first run loaded (all zero when the store was already set up).
#[derive(Debug, Default, Clone)]
pub struct FirstRun {
    pub plans: usize,
    pub demo_values: usize,
    /// The published demo evaluation run.
    pub run: Option<i64>,
}

/// Sets up a store that holds no plan yet; does nothing to one that does.
pub async fn first_run(store: &Store) -> Result<FirstRun> {
    if !store.latest_plans().await?.is_empty() {
        return Ok(FirstRun::default());
    }
    let catalog = crate::catalog()?;
    store
        .save_indicators(&crate::indicator_rows(&catalog))
        .await?;
    let mut out = FirstRun::default();
    for (name, text) in plans::BUNDLED {
        let plan = plans::ingest_bundled(name, text);
        plans::save(store, &catalog, &plan, name).await?;
        out.plans += 1;
    }
    let (count, _) = crate::monitor::demo_data(store, DEMO_SEED).await?;
    out.demo_values = count;
    let request = RunRequest {
        plan: "云南省".into(),
        as_of: DEMO_AS_OF,
        kind: EvaluationKind::Monitoring,
        weights: String::new(),
        weights_origin: "(default: equal weights)".into(),
        include_unreviewed: false,
        actor: "模拟数据".into(),
    };
    let stored = run(store, &request).await?;
    store.publish_run(stored.summary.id, "模拟数据").await?;
    out.run = Some(stored.summary.id);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_store_gets_plans_demo_values_and_a_published_simulated_run() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let (store, regions) = crate::open("sqlite::memory:").await.unwrap();
            assert!(regions > 3000, "regions loaded: {regions}");
            let first = first_run(&store).await.unwrap();
            assert_eq!(first.plans, plans::BUNDLED.len());
            assert!(first.demo_values > 1000, "{first:?}");
            let run = store.run(first.run.unwrap()).await.unwrap().unwrap();
            assert!(run.summary.is_published());
            assert!(run.summary.simulated, "a run on demo values is 模拟数据");
            // A second start changes nothing.
            let again = first_run(&store).await.unwrap();
            assert_eq!(again.plans, 0);
            assert_eq!(store.runs(&Default::default()).await.unwrap().len(), 1);
        });
    }
}
