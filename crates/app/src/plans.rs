//! Plans into the store: an ingested plan's region resolved, every target linked to the
//! indicator catalog (指标库), a new version saved; and the five bundled plan documents.

use crate::{AppError, Result};
use minsheng_catalog::Catalog;
use minsheng_model::Plan;
use minsheng_store::{RegionRow, Store};

/// The bundled plan documents (data/plans), built into the binary: (file name, text).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "000_98986a7ea01ebd6d.txt",
        include_str!("../../../data/plans/000_98986a7ea01ebd6d.txt"),
    ),
    (
        "001_25b46bd4477d6bc1.txt",
        include_str!("../../../data/plans/001_25b46bd4477d6bc1.txt"),
    ),
    (
        "002_ceb32094e06cc94e.txt",
        include_str!("../../../data/plans/002_ceb32094e06cc94e.txt"),
    ),
    (
        "003_72cf686e9aa2ada4.txt",
        include_str!("../../../data/plans/003_72cf686e9aa2ada4.txt"),
    ),
    (
        "004_448f1b67fccfcd17.txt",
        include_str!("../../../data/plans/004_448f1b67fccfcd17.txt"),
    ),
];

/// What storing one plan did.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    pub region: RegionRow,
    pub version: i64,
    pub tasks: usize,
    pub targets: usize,
    /// Targets linked to a catalog indicator.
    pub linked: usize,
}

/// The catalog link of each of `plan`'s targets, in order.
pub fn link_targets(catalog: &Catalog, plan: &Plan) -> Vec<Option<String>> {
    plan.targets
        .iter()
        .map(|t| catalog.link(&t.indicator, &t.unit).map(|l| l.id))
        .collect()
}

/// Stores an ingested plan as a new version of its region's plan. `origin` (a file name)
/// names the plan in errors. Refused, with nothing stored, when the plan's region cannot be
/// read from its title or is not in the region list.
pub async fn save(
    store: &Store,
    catalog: &Catalog,
    plan: &Plan,
    origin: &str,
) -> Result<LoadedPlan> {
    let Some(region_name) = plan.region.clone() else {
        return Err(AppError::Refused(format!(
            "{origin}: the plan's region could not be read from its title; nothing was stored"
        )));
    };
    let region = store.resolve_region(&region_name).await?.ok_or_else(|| {
        AppError::Refused(format!(
            "{origin}: the plan's region {region_name} is not in the region list; nothing was stored"
        ))
    })?;
    let ids = link_targets(catalog, plan);
    let saved = store.save_plan(plan, &region.code, &ids).await?;
    Ok(LoadedPlan {
        region,
        version: saved.version,
        tasks: plan.domains.iter().map(|d| d.tasks.len()).sum(),
        targets: plan.targets.len(),
        linked: ids.iter().flatten().count(),
    })
}

/// Ingests one bundled document (by its text) under its file name.
pub fn ingest_bundled(name: &str, text: &str) -> Plan {
    let mut plan = minsheng_ingest::ingest_text(text);
    plan.source = format!("data/plans/{name}");
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_plan_names_its_region() {
        for (name, text) in BUNDLED {
            let plan = ingest_bundled(name, text);
            assert!(plan.region.is_some(), "{name} has no region");
            assert_eq!(plan.source, format!("data/plans/{name}"));
        }
    }
}
