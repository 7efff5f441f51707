//! 对标: each stored plan's end-year targets held against its parent region's plans — the
//! inputs read from the store for `minsheng align` and the web's indicator pages; the
//! comparison itself is `minsheng-align`'s.

use crate::{AppError, Result};
use minsheng_align::{AlignRow, LinkedTarget, PlanTargets, Region};
use minsheng_catalog::Catalog;
use minsheng_store::{Store, StoredPlan};

/// What alignment needs of each of `plans`: its region (named as the plan names it, else by
/// its official name), the region above it, and its targets with their catalog links.
/// Refused when a plan's region is no longer in the region list.
pub async fn inputs(store: &Store, plans: &[StoredPlan]) -> Result<Vec<PlanTargets>> {
    let mut out = Vec::with_capacity(plans.len());
    for stored in plans {
        let region = store.region(&stored.region_code).await?.ok_or_else(|| {
            AppError::Refused(format!(
                "the stored plan's region {} is not in the region list",
                stored.region_code
            ))
        })?;
        // Rows name regions as the plans do (楚雄州), the official name when the plan has none.
        let name = stored
            .plan
            .region
            .clone()
            .unwrap_or_else(|| region.name.clone());
        let targets = stored
            .plan
            .targets
            .iter()
            .zip(&stored.indicator_ids)
            .map(|(t, id)| LinkedTarget {
                indicator_id: id.clone(),
                target: t.clone(),
            })
            .collect();
        out.push(PlanTargets {
            plan: stored.plan_key.clone(),
            region: Region::new(region.code.clone(), name),
            parent_code: region.parent.clone(),
            years: stored.plan.years,
            targets,
        });
    }
    Ok(out)
}

/// 对标结果 of every stored plan (latest versions) against its parent region's.
pub async fn rows(store: &Store, catalog: &Catalog) -> Result<Vec<AlignRow>> {
    let plans = store.latest_plans().await?;
    rows_of(store, &plans, catalog).await
}

/// 对标结果 of `plans` (already read from the store).
pub async fn rows_of(
    store: &Store,
    plans: &[StoredPlan],
    catalog: &Catalog,
) -> Result<Vec<AlignRow>> {
    let inputs = inputs(store, plans).await?;
    Ok(minsheng_align::align(&inputs, catalog))
}
