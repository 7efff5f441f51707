//! 对标输入: what alignment needs of each plan — its region, its parent region and its
//! targets, each with the catalog entry it links to.

use minsheng_catalog::Catalog;
use minsheng_model::{Plan, Target};
use serde::{Deserialize, Serialize};

/// 区域: an administrative region by its code (行政区划代码, 530000) and name (云南省).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub name: String,
}

impl Region {
    pub fn new(code: impl Into<String>, name: impl Into<String>) -> Region {
        Region {
            code: code.into(),
            name: name.into(),
        }
    }
}

/// A target with the catalog entry its indicator links to, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedTarget {
    /// The catalog id ([`minsheng_catalog::Indicator::id`]); `None` when the wording did not link.
    pub indicator_id: Option<String>,
    pub target: Target,
}

/// One plan as alignment sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanTargets {
    /// Which plan this is (its source file, or any label): for the reader, not for matching.
    pub plan: String,
    /// The plan's region.
    pub region: Region,
    /// The region above it (the province for a prefecture); `None` at the top.
    pub parent_code: Option<String>,
    /// First and last year the plan covers; the last is the year its targets are for.
    pub years: Option<[i32; 2]>,
    pub targets: Vec<LinkedTarget>,
}

impl PlanTargets {
    /// Links every target of an ingested plan to the catalog (by indicator wording and unit).
    pub fn from_plan(
        plan: &Plan,
        region: Region,
        parent_code: Option<String>,
        catalog: &Catalog,
    ) -> PlanTargets {
        let targets = plan
            .targets
            .iter()
            .map(|t| LinkedTarget {
                indicator_id: catalog.link(&t.indicator, &t.unit).map(|l| l.id),
                target: t.clone(),
            })
            .collect();
        PlanTargets {
            plan: plan.source.clone(),
            region,
            parent_code,
            years: plan.years,
            targets,
        }
    }

    /// The year the plan's targets are for: its last year.
    pub fn end_year(&self) -> Option<i32> {
        self.years.map(|y| y[1])
    }
}
