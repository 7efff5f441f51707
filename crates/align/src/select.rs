//! 目标选取: which of a plan's targets stands for an indicator, and which parent plan a child
//! plan is held against.
//!
//! Only `target` records for the plan's end year count (not baselines, not annual goals).
//! When a plan has several for one indicator, the one without a scope wins over scoped ones
//! (以县为单位, a county's name), then one stated with the domain's goals (三年目标, no task)
//! over one inside a numbered task, then the first in document order.
//!
//! When the parent region has several plans (the province has a 2023–2025 three-year action
//! plan and the 2021–2025 14th five-year plan), they are ranked by how well their years match
//! the child's: the same end year first, then the nearest start year, then input order. The
//! best is the child's *primary* parent plan; the others are fallbacks, consulted only for
//! indicators the primary lacks.

use crate::input::{LinkedTarget, PlanTargets};
use minsheng_model::{Target, TargetKind};
use std::collections::HashMap;

/// True when a target counts for alignment: a `target` record for the plan's end year (any
/// year when the plan's years are unknown) that links to the catalog.
fn counts(t: &LinkedTarget, end_year: Option<i32>) -> bool {
    t.indicator_id.is_some()
        && t.target.kind == TargetKind::Target
        && (end_year.is_none() || t.target.year == end_year)
}

/// Rank of a target among several for one indicator; lower wins.
fn preference(t: &Target, index: usize) -> (bool, bool, usize) {
    (t.scope.is_some(), t.task.is_some(), index)
}

/// The end-year target standing for each linked indicator of a plan, by catalog id.
pub fn end_year_targets(plan: &PlanTargets) -> HashMap<&str, &Target> {
    let end = plan.end_year();
    let mut best: HashMap<&str, (&Target, (bool, bool, usize))> = HashMap::new();
    for (i, lt) in plan.targets.iter().enumerate() {
        if !counts(lt, end) {
            continue;
        }
        let Some(id) = lt.indicator_id.as_deref() else {
            continue;
        };
        let rank = preference(&lt.target, i);
        match best.get(id) {
            Some((_, r)) if *r <= rank => {}
            _ => {
                best.insert(id, (&lt.target, rank));
            }
        }
    }
    best.into_iter().map(|(id, (t, _))| (id, t)).collect()
}

/// How far a parent plan's years are from a child's: (end-year gap, start-year gap). Unknown
/// years rank last.
fn year_distance(child: Option<[i32; 2]>, parent: Option<[i32; 2]>) -> (i32, i32) {
    match (child, parent) {
        (Some(c), Some(p)) => ((c[1] - p[1]).abs(), (c[0] - p[0]).abs()),
        _ => (i32::MAX, i32::MAX),
    }
}

/// The plans of the child's parent region, best year match first (see the module docs).
pub fn rank_parent_plans<'a>(
    child: &PlanTargets,
    plans: &'a [PlanTargets],
) -> Vec<&'a PlanTargets> {
    let Some(parent_code) = child.parent_code.as_deref() else {
        return Vec::new();
    };
    let mut parents: Vec<(usize, &PlanTargets)> = plans
        .iter()
        .enumerate()
        .filter(|(_, p)| p.region.code == parent_code)
        .collect();
    parents.sort_by_key(|(i, p)| (year_distance(child.years, p.years), *i));
    parents.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Region;
    use minsheng_model::Op;

    fn lt(
        id: &str,
        value: f64,
        scope: Option<&str>,
        task: Option<u32>,
        kind: TargetKind,
    ) -> LinkedTarget {
        LinkedTarget {
            indicator_id: Some(id.into()),
            target: Target {
                domain: "学有所教".into(),
                task,
                kind,
                indicator: id.into(),
                op: Op::AtLeast,
                value,
                value_max: None,
                unit: "%".into(),
                year: Some(if kind == TargetKind::Annual {
                    2023
                } else {
                    2025
                }),
                scope: scope.map(String::from),
                quote: String::new(),
                repaired: false,
            },
        }
    }

    fn plan(code: &str, years: [i32; 2], targets: Vec<LinkedTarget>) -> PlanTargets {
        PlanTargets {
            plan: code.into(),
            region: Region::new(code, code),
            parent_code: Some("530000".into()).filter(|_| code != "530000"),
            years: Some(years),
            targets,
        }
    }

    #[test]
    fn plan_wide_targets_win_over_scoped_and_task_ones() {
        let p = plan(
            "532300",
            [2023, 2025],
            vec![
                lt("a", 1.0, Some("以县为单位"), None, TargetKind::Target),
                lt("a", 2.0, None, Some(1), TargetKind::Target),
                lt("a", 3.0, None, None, TargetKind::Target),
                lt("a", 4.0, None, None, TargetKind::Target),
                lt("b", 5.0, None, None, TargetKind::Annual),
                lt("c", 6.0, Some("以县为单位"), None, TargetKind::Target),
            ],
        );
        let chosen = end_year_targets(&p);
        assert_eq!(chosen["a"].value, 3.0);
        assert!(!chosen.contains_key("b"), "annual goals do not count");
        assert_eq!(
            chosen["c"].value, 6.0,
            "a scoped target is used when it is the only one"
        );
    }

    #[test]
    fn parent_plans_rank_by_years() {
        let plans = vec![
            plan("530000", [2021, 2025], vec![]),
            plan("530000", [2023, 2025], vec![]),
            plan("532300", [2023, 2025], vec![]),
        ];
        let ranked = rank_parent_plans(&plans[2], &plans);
        assert_eq!(ranked.len(), 2);
        assert_eq!(ranked[0].years, Some([2023, 2025]));
        assert!(rank_parent_plans(&plans[0], &plans).is_empty());
    }
}
