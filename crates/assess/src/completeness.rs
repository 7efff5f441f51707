//! 填报完整性: which indicators each region must report (应报指标), and for a period how many
//! of them it has reported — counts, so a higher region's completeness is a sum of its
//! regions' counts, never an average of their shares.

use minsheng_catalog::Aggregation;
use minsheng_model::Period;

use crate::target::TargetIndex;
use crate::{AssessError, AssessInput, PeriodKey};

/// One indicator a region must report, and the years the target it reports against covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedReport {
    pub region: u32,
    pub indicator: u32,
    /// The target's index in [`AssessInput::targets`].
    pub target: u32,
    /// The plan's first year (the target year − 2 when the plan's years are unknown).
    pub first_year: i32,
    /// The target year.
    pub last_year: i32,
}

/// A region's own reporting for one period: indicators due, and how many have a value for
/// exactly that period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Completeness {
    pub region: u32,
    pub expected: u32,
    pub reported: u32,
}

/// 应报指标: for an indicator that aggregates, every region without children (the counties)
/// under the region of a target for it; for one that does not, every region the target
/// applies to. `scope`: only that region and those under it. In hierarchy order, then
/// indicator order.
pub fn expected_reports(
    input: &AssessInput<'_>,
    scope: Option<&str>,
) -> Result<Vec<ExpectedReport>, AssessError> {
    let h = input.hierarchy;
    let index = TargetIndex::new(input.targets, h, input.indicators)?;
    let regions = match scope.map(|c| h.require(c)).transpose()? {
        Some(r) => h.subtree(r),
        None => h.order(),
    };
    let mut out = Vec::new();
    for &r in regions {
        for i in index.indicators() {
            let info = input.indicators.get(i);
            let t = if info.aggregation == Aggregation::None {
                index.applicable(i, r, h, input.indicators)
            } else if h.is_leaf(r) {
                index.nearest(i, r)
            } else {
                None
            };
            let Some(t) = t else { continue };
            let target = &input.targets[t as usize];
            out.push(ExpectedReport {
                region: r,
                indicator: i,
                target: t,
                first_year: target.plan_start.unwrap_or(target.year - 2),
                last_year: target.year,
            });
        }
    }
    Ok(out)
}

/// Each region's own reporting of `period` (regions with nothing due that period left out),
/// in hierarchy order. A report is due when the period falls in the target's years.
pub fn completeness(
    input: &AssessInput<'_>,
    period: Period,
    scope: Option<&str>,
) -> Result<Vec<Completeness>, AssessError> {
    let year = period.year();
    let key = PeriodKey::of(period);
    let mut out: Vec<Completeness> = Vec::new();
    for e in expected_reports(input, scope)? {
        if year < e.first_year || year > e.last_year {
            continue;
        }
        if out.last().is_none_or(|c| c.region != e.region) {
            out.push(Completeness {
                region: e.region,
                ..Completeness::default()
            });
        }
        let Some(c) = out.last_mut() else { continue };
        c.expected += 1;
        if input
            .table
            .series(e.region, e.indicator)
            .find(key)
            .is_some()
        {
            c.reported += 1;
        }
    }
    Ok(out)
}
