//! 目标: the targets assessment holds values against, and which one applies to a region — its
//! own plan's, else its nearest ancestor's.

use minsheng_model::Op;
use serde::{Deserialize, Serialize};

use crate::{AssessError, Hierarchy, IndicatorSet};

/// A plan target linked to a catalog indicator, with what assessment and warnings need.
///
/// The CLI builds one per `TargetKind::Target` target of a stored plan whose indicator links
/// to the catalog; `value` must be in the indicator's catalog unit (convert with
/// `minsheng_catalog::convert` first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetRef {
    /// The code of the region whose plan sets the target.
    pub region: String,
    /// The catalog indicator's id.
    pub indicator: String,
    pub op: Op,
    /// The target value, in the indicator's unit.
    pub value: f64,
    /// The year the target is for (the plan's last year): reached by the end of it.
    pub year: i32,
    /// The plan's first year; the baseline is the region's value for the year before it.
    pub plan_start: Option<i32>,
    /// The plan's own baseline value for the indicator (发展基础: 2022年…达到X), if stated.
    pub baseline: Option<f64>,
    /// The year that baseline value is for.
    pub baseline_year: Option<i32>,
    /// The plan's words, for the reader.
    pub quote: String,
    /// Which plan (title or source), for the reader.
    pub plan: String,
    /// 牵头单位 of the task the target stands in: who warnings go to.
    pub lead_units: Vec<String>,
}

const NONE: u32 = u32::MAX;

/// Which target stands for each (region, indicator): a region's own, else the nearest
/// ancestor's, before the applicability rule of [`IndicatorInfo`](crate::IndicatorInfo).
#[derive(Debug, Clone)]
pub(crate) struct TargetIndex {
    /// Per indicator: per region, the nearest own-or-ancestor target (NONE if none); `None`
    /// for indicators no target names.
    nearest: Vec<Option<Vec<u32>>>,
    /// Per target: its region's index.
    pub(crate) region_of: Vec<u32>,
}

impl TargetIndex {
    /// Errors on a target whose region or indicator is unknown. Where one region's plans set
    /// several targets for one indicator, the one for the latest year stands (the first given
    /// among equals).
    pub(crate) fn new(
        targets: &[TargetRef],
        hierarchy: &Hierarchy,
        indicators: &IndicatorSet,
    ) -> Result<TargetIndex, AssessError> {
        let n = hierarchy.len();
        let mut nearest: Vec<Option<Vec<u32>>> = vec![None; indicators.len()];
        let mut region_of = Vec::with_capacity(targets.len());
        for (t, target) in targets.iter().enumerate() {
            let r = hierarchy.require(&target.region)?;
            let i = indicators.require(&target.indicator)?;
            region_of.push(r);
            let own = nearest[i as usize].get_or_insert_with(|| vec![NONE; n]);
            let slot = &mut own[r as usize];
            if *slot == NONE || targets[*slot as usize].year < target.year {
                *slot = t as u32;
            }
        }
        for per_region in nearest.iter_mut().flatten() {
            for &r in hierarchy.order() {
                if per_region[r as usize] == NONE
                    && let Some(p) = hierarchy.parent(r)
                {
                    per_region[r as usize] = per_region[p as usize];
                }
            }
        }
        Ok(TargetIndex { nearest, region_of })
    }

    /// Indicators some target names.
    pub(crate) fn indicators(&self) -> impl Iterator<Item = u32> + '_ {
        self.nearest
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_some())
            .map(|(i, _)| i as u32)
    }

    /// The nearest own-or-ancestor target, whether or not it applies.
    pub(crate) fn nearest(&self, indicator: u32, region: u32) -> Option<u32> {
        let t = self.nearest.get(indicator as usize)?.as_ref()?[region as usize];
        (t != NONE).then_some(t)
    }

    /// The target that applies to the region: its own plan's, else the nearest ancestor's
    /// when the indicator's kind lets an ancestor's target stand for a lower region.
    pub(crate) fn applicable(
        &self,
        indicator: u32,
        region: u32,
        hierarchy: &Hierarchy,
        indicators: &IndicatorSet,
    ) -> Option<u32> {
        let t = self.nearest(indicator, region)?;
        let info = indicators.get(indicator);
        let level = hierarchy.level(region);
        let applies = if self.region_of[t as usize] == region {
            info.own_applies(level)
        } else {
            info.inherits_to(level)
        };
        applies.then_some(t)
    }
}
