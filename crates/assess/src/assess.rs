//! 评估: every (region, indicator) a target applies to, assessed at an as-of period.

use minsheng_catalog::Aggregation;
use minsheng_model::{Op, Period, RegionLevel};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::aggregate::series_points;
use crate::progress::{Method, Note, Observation, Status, direction, progress};
use crate::target::TargetIndex;
use crate::{AssessError, Hierarchy, IndicatorSet, PeriodKey, TargetRef, ValueTable};

/// What assessment reads: the hierarchy, the indicators, the values and the targets. The
/// caller loads them; nothing here touches a file or a database.
#[derive(Debug, Clone, Copy)]
pub struct AssessInput<'a> {
    pub hierarchy: &'a Hierarchy,
    pub indicators: &'a IndicatorSet,
    pub table: &'a ValueTable,
    pub targets: &'a [TargetRef],
}

/// Which assessments to produce. The default is all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessFilter {
    /// A region code: that region and every region below it.
    pub region: Option<String>,
    /// An indicator id.
    pub indicator: Option<String>,
    /// Only regions of these levels (empty: all levels).
    pub levels: Vec<RegionLevel>,
}

/// 基期来源: where the baseline came from, in the order the rules try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineSource {
    /// The region's own value for the year before the plan starts (2022 for a 2023–2025
    /// plan): the annual value, else the period ending with that year (2022Q4, 202212).
    OwnBeforePlan,
    /// The plan's stated baseline, when the target is the region's own plan's.
    PlanBaseline,
    /// Zero at the plan's start, for 累计新增 counts (nothing added yet).
    PlanStartZero,
    /// The region's first reported value, when something was reported after it.
    FirstReported,
}

impl BaselineSource {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineSource::OwnBeforePlan => "own_before_plan",
            BaselineSource::PlanBaseline => "plan_baseline",
            BaselineSource::PlanStartZero => "plan_start_zero",
            BaselineSource::FirstReported => "first_reported",
        }
    }
}

/// One region's progress on one indicator towards the target that applies to it.
///
/// JSON: `region, indicator, target_region, op, target, target_year, baseline,
/// baseline_period, latest, latest_period, ratio, projected, status, method`, then
/// `baseline_source, note, aggregated, incomplete, simulated`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment<'a> {
    /// The assessed region's code.
    pub region: &'a str,
    /// The catalog indicator's id.
    pub indicator: &'a str,
    /// Whose plan the target is: the region's own code, or its nearest ancestor's.
    pub target_region: &'a str,
    pub op: Op,
    pub target: f64,
    pub target_year: i32,
    pub baseline: Option<f64>,
    pub baseline_period: Option<Period>,
    /// The last value at or before the as-of period.
    pub latest: Option<f64>,
    pub latest_period: Option<Period>,
    /// R, observed over required growth (positive: towards the target).
    pub ratio: Option<f64>,
    /// The value at the end of the target year if the observed growth continues.
    pub projected: Option<f64>,
    pub status: Status,
    pub method: Method,
    pub baseline_source: Option<BaselineSource>,
    pub note: Option<Note>,
    /// True when the baseline or the latest value was made from lower regions' values.
    pub aggregated: bool,
    /// True when such a value lacked some lower region (a rate from those that reported).
    pub incomplete: bool,
    /// 模拟数据: true when the baseline or the latest value is generated demo data.
    pub simulated: bool,
    /// The target's position in [`AssessInput::targets`].
    #[serde(skip)]
    pub target_index: u32,
}

/// A region's series of one indicator up to the as-of period: its own values, or for a
/// region with children, its own merged with those made from the children.
struct View<'s> {
    keys: &'s [PeriodKey],
    values: &'s [f64],
    simulated: &'s [bool],
    /// Per value: made from children (and, second, incomplete). `None`: all own values.
    made: Option<&'s [(bool, bool)]>,
    /// Some sum made from the children lacked a child and was left out.
    dropped_incomplete: bool,
}

#[derive(Default)]
struct Merged {
    keys: Vec<PeriodKey>,
    values: Vec<f64>,
    simulated: Vec<bool>,
    made: Vec<(bool, bool)>,
    dropped_incomplete: bool,
}

/// 评估: assesses every (region, indicator) pair a target applies to — a region's own plan's
/// target, else its nearest ancestor's where the indicator's kind allows
/// ([`IndicatorInfo::inherits_to`](crate::IndicatorInfo::inherits_to)) — at `as_of`, in
/// hierarchy order (depth first) and indicator order. Regions with no data get `no_data`.
///
/// Values count up to as-of by the month their period ends (as of 2024Q4, the annual 2024
/// value counts). Runs on all cores (rayon). Errors when a target or the filter names an
/// unknown region or indicator.
pub fn assess<'a>(
    input: &AssessInput<'a>,
    as_of: Period,
    filter: &AssessFilter,
) -> Result<Vec<Assessment<'a>>, AssessError> {
    let h = input.hierarchy;
    let index = TargetIndex::new(input.targets, h, input.indicators)?;
    let scope = filter.region.as_deref().map(|c| h.require(c)).transpose()?;
    let only = filter
        .indicator
        .as_deref()
        .map(|i| input.indicators.require(i))
        .transpose()?;
    let indicators: Vec<u32> = index
        .indicators()
        .filter(|i| only.is_none_or(|o| o == *i))
        .collect();
    let regions: Vec<u32> = match scope {
        Some(r) => h.subtree(r),
        None => h.order(),
    }
    .iter()
    .copied()
    .filter(|r| filter.levels.is_empty() || filter.levels.contains(&h.level(*r)))
    .collect();
    let as_of_end = as_of.end_month();
    // Each chunk of regions fills a vector sized for all its pairs, so nothing regrows; the
    // chunks are then joined with one copy.
    let chunks: Vec<Vec<Assessment<'a>>> = regions
        .par_chunks(32)
        .map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len() * indicators.len());
            for &r in chunk {
                out.extend(
                    indicators
                        .iter()
                        .filter_map(|&i| assess_pair(input, &index, r, i, as_of_end)),
                );
            }
            out
        })
        .collect();
    let mut rows = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        rows.extend(chunk);
    }
    Ok(rows)
}

fn assess_pair<'a>(
    input: &AssessInput<'a>,
    index: &TargetIndex,
    region: u32,
    indicator: u32,
    as_of_end: i64,
) -> Option<Assessment<'a>> {
    let h = input.hierarchy;
    let t = index.applicable(indicator, region, h, input.indicators)?;
    let target = &input.targets[t as usize];
    let info = input.indicators.get(indicator);
    let own = input.table.series(region, indicator);
    let merged;
    let view = if h.is_leaf(region) || info.aggregation == Aggregation::None {
        View {
            keys: own.periods,
            values: own.values,
            simulated: own.simulated,
            made: None,
            dropped_incomplete: false,
        }
    } else {
        merged = merge(input, region, indicator, as_of_end);
        View {
            keys: &merged.keys,
            values: &merged.values,
            simulated: &merged.simulated,
            made: Some(&merged.made),
            dropped_incomplete: merged.dropped_incomplete,
        }
    };
    let target_region = index.region_of[t as usize];
    let is_own = target_region == region;
    // Values up to as-of: keys sort by end month first.
    let upto = view.keys.partition_point(|k| k.end_month() <= as_of_end);
    let latest = upto.checked_sub(1);
    let mut baseline: Option<(f64, Period, Option<usize>, BaselineSource)> = None;
    if let Some(start) = target.plan_start {
        let end = i64::from(start) * 12;
        let i = view.keys[..upto].partition_point(|k| k.end_month() <= end);
        if i > 0 && view.keys[i - 1].end_month() == end {
            baseline = Some((
                view.values[i - 1],
                view.keys[i - 1].period(),
                Some(i - 1),
                BaselineSource::OwnBeforePlan,
            ));
        }
    }
    if baseline.is_none()
        && is_own
        && let Some(v) = target.baseline
        && let Some(y) = target.baseline_year.or(target.plan_start.map(|s| s - 1))
        && Period::Year(y).end_month() <= as_of_end
    {
        baseline = Some((v, Period::Year(y), None, BaselineSource::PlanBaseline));
    }
    if baseline.is_none()
        && info.additive
        && let Some(start) = target.plan_start
        && Period::Year(start - 1).end_month() <= as_of_end
    {
        baseline = Some((
            0.0,
            Period::Year(start - 1),
            None,
            BaselineSource::PlanStartZero,
        ));
    }
    // The first reported value is a baseline only when something was reported after it: a
    // single value is no baseline.
    if baseline.is_none() && upto > 1 {
        baseline = Some((
            view.values[0],
            view.keys[0].period(),
            Some(0),
            BaselineSource::FirstReported,
        ));
    }
    let d = direction(target.op, info.polarity);
    let obs = Observation {
        baseline: baseline.map(|(v, p, _, _)| (v, p.end_as_years())),
        latest: latest.map(|i| (view.values[i], view.keys[i].end_years())),
        target: target.value,
        target_time: f64::from(target.year) + 1.0,
        direction: d,
        linear: info.additive,
    };
    let mut p = progress(&obs);
    let mut incomplete = false;
    if p.status == Status::NoData && view.dropped_incomplete {
        p.note = Some(Note::IncompleteSum);
        incomplete = true;
    }
    let used = [baseline.and_then(|b| b.2), latest];
    let made = |i: usize| view.made.map_or((false, false), |m| m[i]);
    Some(Assessment {
        region: h.code(region),
        indicator: &info.id,
        target_region: h.code(target_region),
        op: target.op,
        target: target.value,
        target_year: target.year,
        baseline: baseline.map(|b| b.0),
        baseline_period: baseline.map(|b| b.1),
        latest: latest.map(|i| view.values[i]),
        latest_period: latest.map(|i| view.keys[i].period()),
        ratio: p.ratio,
        // Every catalog kind is a non-negative quantity: a falling trend projects to 0, not below.
        projected: p.projected.map(|v| v.max(0.0)),
        status: p.status,
        method: p.method,
        baseline_source: baseline.map(|b| b.3),
        note: p.note,
        aggregated: used.iter().flatten().any(|&i| made(i).0),
        incomplete: incomplete || used.iter().flatten().any(|&i| made(i).1),
        simulated: used.iter().flatten().any(|&i| view.simulated[i]),
        target_index: t,
    })
}

/// A region's own values merged with values made from its children, for every period some
/// region below reported up to as-of. A sum missing some child is left out (it would read as
/// a fall); a ratio from the children that reported is kept, marked incomplete.
fn merge(input: &AssessInput<'_>, region: u32, indicator: u32, as_of_end: i64) -> Merged {
    let info = input.indicators.get(indicator);
    let points = series_points(
        input.table,
        input.hierarchy,
        info,
        indicator,
        region,
        as_of_end,
    );
    let mut m = Merged::default();
    for (key, p) in points {
        if p.own || p.complete || info.aggregation == Aggregation::Ratio {
            m.keys.push(key);
            m.values.push(p.value);
            m.simulated.push(p.simulated);
            m.made.push((!p.own, !p.complete));
        } else {
            m.dropped_incomplete = true;
        }
    }
    m
}
