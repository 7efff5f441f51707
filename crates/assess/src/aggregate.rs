//! 汇总: a region's value made from its children's, as the catalog says the indicator adds up.
//!
//! - A region's own reported value always wins (`own`).
//! - `sum` (counts, amounts): the children's values added.
//! - `ratio` (rates): the children's numerators added and their denominators added, then
//!   divided and scaled (×100 for %, ×1000 for ‰). A percentage is never averaged: 90% of 100
//!   and 50% of 900 is 54%, not 70%.
//! - `not_aggregable` (standards, per-unit targets, life expectancy): no value from children.
//!
//! Children without a value of their own are made from theirs, down to the counties. A child
//! with no value is listed as missing — never counted as zero — and so is, for a ratio, a
//! child that reported a rate without numerator and denominator (listed separately). The value
//! is still computed from the children that have one, with `complete: false`; assessment uses
//! such an incomplete value only for ratios (the rate among those that reported), never for
//! sums, where the missing part would read as a fall.

use minsheng_catalog::Aggregation;
use minsheng_model::Period;
use serde::{Deserialize, Serialize};

use crate::{AssessError, Hierarchy, IndicatorInfo, IndicatorSet, PeriodKey, Series, ValueTable};

/// How an [`Aggregate`]'s value was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregateMethod {
    /// The region's own reported value.
    Own,
    /// Sum of the children's values.
    Sum,
    /// Summed numerators over summed denominators.
    Ratio,
    /// The indicator does not add up (汇总方式 none) and the region reported nothing.
    NotAggregable,
}

impl AggregateMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AggregateMethod::Own => "own",
            AggregateMethod::Sum => "sum",
            AggregateMethod::Ratio => "ratio",
            AggregateMethod::NotAggregable => "not_aggregable",
        }
    }
}

/// A region's value of an indicator for one period, its own or made from its children's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    pub region: String,
    pub indicator: String,
    pub period: Period,
    /// `None` when nothing was reported below, or the indicator does not aggregate.
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub method: AggregateMethod,
    /// Direct children that contributed a value.
    pub reported_children: u32,
    /// Direct children in the hierarchy.
    pub expected_children: u32,
    /// True when every region below contributed (always true for `own`).
    pub complete: bool,
    /// Regions below with no value, at the level where the value is missing (a county that
    /// did not report, not its prefecture), in hierarchy order.
    pub missing: Vec<String>,
    /// For ratios: regions below that reported a rate without numerator and denominator, so
    /// it could not be recomputed; they are left out like the missing.
    pub without_parts: Vec<String>,
    /// True when any value used is 模拟数据.
    pub simulated: bool,
}

/// What is lacking below a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lack {
    Missing,
    WithoutParts,
}

/// One value with its parts (NaN when absent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    pub value: f64,
    pub numerator: f64,
    pub denominator: f64,
    pub complete: bool,
    pub simulated: bool,
    /// The region's own reported value (not made from children).
    pub own: bool,
}

fn point_at(s: &Series<'_>, i: usize) -> Point {
    let (numerator, denominator) = s.parts(i).unwrap_or((f64::NAN, f64::NAN));
    Point {
        value: s.values[i],
        numerator,
        denominator,
        complete: true,
        simulated: s.simulated[i],
        own: true,
    }
}

pub(crate) fn own_point(
    table: &ValueTable,
    region: u32,
    indicator: u32,
    key: PeriodKey,
) -> Option<Point> {
    let s = table.series(region, indicator);
    s.find(key).map(|i| point_at(&s, i))
}

/// The value made from a region's children (ignoring its own), with how many direct
/// children contributed; `sink` hears of every region below that is missing or lacks parts.
pub(crate) fn from_children<F: FnMut(u32, Lack)>(
    table: &ValueTable,
    hierarchy: &Hierarchy,
    info: &IndicatorInfo,
    indicator: u32,
    region: u32,
    key: PeriodKey,
    sink: &mut F,
) -> (Option<Point>, u32) {
    if info.aggregation == Aggregation::None {
        return (None, 0);
    }
    let ratio = info.aggregation == Aggregation::Ratio;
    let (mut sum, mut num, mut den) = (0.0, 0.0, 0.0);
    let (mut reported, mut complete, mut simulated) = (0u32, true, false);
    for &child in hierarchy.children(region) {
        let p = match own_point(table, child, indicator, key) {
            Some(p) => Some(p),
            None if hierarchy.is_leaf(child) => None,
            None => from_children(table, hierarchy, info, indicator, child, key, sink).0,
        };
        let Some(p) = p else {
            if hierarchy.is_leaf(child) {
                sink(child, Lack::Missing);
            }
            complete = false;
            continue;
        };
        if ratio && (p.numerator.is_nan() || p.denominator.is_nan()) {
            sink(child, Lack::WithoutParts);
            complete = false;
            continue;
        }
        reported += 1;
        complete &= p.complete;
        simulated |= p.simulated;
        sum += p.value;
        num += p.numerator;
        den += p.denominator;
    }
    if reported == 0 {
        return (None, 0);
    }
    let point = if ratio {
        if den == 0.0 {
            return (None, reported);
        }
        Point {
            value: info.ratio_scale() * num / den,
            numerator: num,
            denominator: den,
            complete,
            simulated,
            own: false,
        }
    } else {
        Point {
            value: sum,
            numerator: f64::NAN,
            denominator: f64::NAN,
            complete,
            simulated,
            own: false,
        }
    };
    (Some(point), reported)
}

/// A child's series while merging: a leaf's own values, or a series made below.
enum Child<'t> {
    Leaf(Series<'t>, usize),
    Made(Vec<(PeriodKey, Point)>),
}

impl Child<'_> {
    fn len(&self) -> usize {
        match self {
            Child::Leaf(_, n) => *n,
            Child::Made(v) => v.len(),
        }
    }

    fn key(&self, i: usize) -> PeriodKey {
        match self {
            Child::Leaf(s, _) => s.periods[i],
            Child::Made(v) => v[i].0,
        }
    }

    fn point(&self, i: usize) -> Point {
        match self {
            Child::Leaf(s, _) => point_at(s, i),
            Child::Made(v) => v[i].1,
        }
    }
}

/// Every period up to as-of (by end month) for which the region has a value — its own, else
/// made from its children exactly as [`from_children`] makes it (incomplete ones included) —
/// in period order. One pass over the subtree's values instead of one look-up per period and
/// region.
pub(crate) fn series_points(
    table: &ValueTable,
    hierarchy: &Hierarchy,
    info: &IndicatorInfo,
    indicator: u32,
    region: u32,
    as_of_end: i64,
) -> Vec<(PeriodKey, Point)> {
    let own = table.series(region, indicator);
    let upto = own.periods.partition_point(|k| k.end_month() <= as_of_end);
    if hierarchy.is_leaf(region) || info.aggregation == Aggregation::None {
        return (0..upto)
            .map(|i| (own.periods[i], point_at(&own, i)))
            .collect();
    }
    let children: Vec<Child<'_>> = hierarchy
        .children(region)
        .iter()
        .map(|&c| {
            if hierarchy.is_leaf(c) {
                let s = table.series(c, indicator);
                let n = s.periods.partition_point(|k| k.end_month() <= as_of_end);
                Child::Leaf(s, n)
            } else {
                Child::Made(series_points(
                    table, hierarchy, info, indicator, c, as_of_end,
                ))
            }
        })
        .collect();
    let mut keys: Vec<PeriodKey> = own.periods[..upto].to_vec();
    for c in &children {
        keys.extend((0..c.len()).map(|i| c.key(i)));
    }
    keys.sort_unstable();
    keys.dedup();
    let ratio = info.aggregation == Aggregation::Ratio;
    let scale = info.ratio_scale();
    let mut cursors = vec![0usize; children.len()];
    let mut o = 0;
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        while o < upto && own.periods[o] < key {
            o += 1;
        }
        if o < upto && own.periods[o] == key {
            out.push((key, point_at(&own, o)));
            continue;
        }
        let (mut sum, mut num, mut den) = (0.0, 0.0, 0.0);
        let (mut reported, mut complete, mut simulated) = (0u32, true, false);
        for (c, cur) in children.iter().zip(cursors.iter_mut()) {
            while *cur < c.len() && c.key(*cur) < key {
                *cur += 1;
            }
            if *cur >= c.len() || c.key(*cur) != key {
                complete = false;
                continue;
            }
            let p = c.point(*cur);
            if ratio && (p.numerator.is_nan() || p.denominator.is_nan()) {
                complete = false;
                continue;
            }
            reported += 1;
            complete &= p.complete;
            simulated |= p.simulated;
            sum += p.value;
            num += p.numerator;
            den += p.denominator;
        }
        if reported == 0 || (ratio && den == 0.0) {
            continue;
        }
        let (value, numerator, denominator) = if ratio {
            (scale * num / den, num, den)
        } else {
            (sum, f64::NAN, f64::NAN)
        };
        out.push((
            key,
            Point {
                value,
                numerator,
                denominator,
                complete,
                simulated,
                own: false,
            },
        ));
    }
    out
}

/// 汇总: the region's value of the indicator for the period — its own if reported, else made
/// from the regions below (module docs give the rules). Errors on an unknown region or
/// indicator.
pub fn aggregate(
    table: &ValueTable,
    hierarchy: &Hierarchy,
    indicators: &IndicatorSet,
    region: &str,
    indicator: &str,
    period: Period,
) -> Result<Aggregate, AssessError> {
    let r = hierarchy.require(region)?;
    let i = indicators.require(indicator)?;
    let info = indicators.get(i);
    let key = PeriodKey::of(period);
    let expected_children = hierarchy.children(r).len() as u32;
    let nan_none = |x: f64| (!x.is_nan()).then_some(x);
    let base = Aggregate {
        region: region.to_string(),
        indicator: indicator.to_string(),
        period,
        value: None,
        numerator: None,
        denominator: None,
        method: AggregateMethod::Own,
        reported_children: 0,
        expected_children,
        complete: true,
        missing: Vec::new(),
        without_parts: Vec::new(),
        simulated: false,
    };
    if let Some(p) = own_point(table, r, i, key) {
        return Ok(Aggregate {
            value: Some(p.value),
            numerator: nan_none(p.numerator),
            denominator: nan_none(p.denominator),
            simulated: p.simulated,
            ..base
        });
    }
    let method = match info.aggregation {
        Aggregation::None => {
            return Ok(Aggregate {
                method: AggregateMethod::NotAggregable,
                complete: false,
                ..base
            });
        }
        Aggregation::Sum => AggregateMethod::Sum,
        Aggregation::Ratio => AggregateMethod::Ratio,
    };
    let mut lacking: Vec<(u32, Lack)> = Vec::new();
    let (point, reported) = from_children(table, hierarchy, info, i, r, key, &mut |c, l| {
        lacking.push((c, l))
    });
    let codes = |want: Lack| -> Vec<String> {
        lacking
            .iter()
            .filter(|(_, l)| *l == want)
            .map(|(c, _)| hierarchy.code(*c).to_string())
            .collect()
    };
    Ok(Aggregate {
        value: point.map(|p| p.value),
        numerator: point.and_then(|p| nan_none(p.numerator)),
        denominator: point.and_then(|p| nan_none(p.denominator)),
        method,
        reported_children: reported,
        complete: point.is_some_and(|p| p.complete) && lacking.is_empty(),
        missing: codes(Lack::Missing),
        without_parts: codes(Lack::WithoutParts),
        simulated: point.is_some_and(|p| p.simulated),
        ..base
    })
}
