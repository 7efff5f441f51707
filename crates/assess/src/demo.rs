//! 模拟数据: a deterministic generator of plausible quarterly values, 2022Q1–2025Q4, for every
//! county of Yunnan and every indicator — some on track, some lagging, some regressing, some
//! with gaps or never reported — every value labelled 模拟数据.
//!
//! Each (region, indicator) series draws from its own SplitMix64 stream, seeded by the seed
//! and stable hashes of the region code and indicator id, so a series does not change when
//! other regions or indicators are added, and the same seed gives the same values anywhere.
//!
//! A series is shaped against the target that applies to it (a county's share of a count
//! target set above it), so the statuses come out as drawn: about 28% on track, 20% needing
//! acceleration, 16% limited progress, 16% regressing, 14% achieved, 6% never reported; on
//! top, 7% of series miss one to three random quarters and 6% the last one or two. Without a
//! target, a baseline is drawn on a plausible scale for the indicator's kind and unit.
//!
//! Where values go: counties for every indicator, except per-unit indicators for prefectures
//! (每个州（市）…), which go to prefectures; indicators that do not aggregate (standards,
//! life expectancy) also get values for the prefectures and the province, since no value can
//! be made for them from below. Rates carry whole-number numerators and denominators and a
//! value recomputed from them; 累计新增 counts are running totals from zero at the start of
//! 2023.

use std::collections::HashMap;

use minsheng_catalog::{Aggregation, Kind};
use minsheng_model::{DataValue, Period, RegionLevel, ReviewState, ValueSource};

use crate::progress::direction;
use crate::rng::{SplitMix64, mix64, stable_hash};
use crate::target::TargetIndex;
use crate::warnings::reporting_deadline;
use crate::{AssessError, Hierarchy, IndicatorInfo, IndicatorSet, TargetRef};

/// 模拟数据: who entered every demo value.
pub const LABEL: &str = "模拟数据";
/// The comment on every demo value.
pub const COMMENT: &str = "模拟数据 (simulated)";
/// Yunnan's code prefix: the province demo data is generated for.
pub const PROVINCE_PREFIX: &str = "53";
/// First and last year of demo values.
pub const YEARS: [i32; 2] = [2022, 2025];

/// The trajectory drawn for a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trajectory {
    /// Observed growth 0.97–1.3 times what the target needs.
    OnTrack,
    /// 0.65–0.9 times.
    Lagging,
    /// 0.08–0.5 times.
    Slow,
    /// Moving away from the target.
    Regressing,
    /// Starting just short of the target and passing it by mid-2024.
    Achieved,
    /// Never reported.
    Missing,
}

impl Trajectory {
    fn draw(rng: &mut SplitMix64) -> Trajectory {
        match rng.below(100) {
            0..28 => Trajectory::OnTrack,
            28..48 => Trajectory::Lagging,
            48..64 => Trajectory::Slow,
            64..80 => Trajectory::Regressing,
            80..94 => Trajectory::Achieved,
            _ => Trajectory::Missing,
        }
    }
}

/// Generates the demo values (see the module docs). `targets` shape the series; unknown
/// regions or indicators in them are an error. The result is ordered by region (hierarchy
/// order), indicator, period.
pub fn generate(
    seed: u64,
    hierarchy: &Hierarchy,
    indicators: &IndicatorSet,
    targets: &[TargetRef],
) -> Result<Vec<DataValue>, AssessError> {
    let index = TargetIndex::new(targets, hierarchy, indicators)?;
    let mut leaves_under: HashMap<u32, usize> = HashMap::new();
    let mut out = Vec::new();
    for &r in hierarchy.order() {
        if !hierarchy.code(r).starts_with(PROVINCE_PREFIX) {
            continue;
        }
        let level = hierarchy.level(r);
        for i in 0..indicators.len() as u32 {
            let info = indicators.get(i);
            let wanted = match (info.applies_to, info.aggregation) {
                (Some(l), _) => l == level,
                (None, Aggregation::None) => true,
                (None, _) => level == RegionLevel::County,
            };
            if !wanted {
                continue;
            }
            let shape = match index.applicable(i, r, hierarchy, indicators) {
                Some(t) => Some(Goal::of(&targets[t as usize], info, 1.0)),
                None => index.nearest(i, r).map(|t| {
                    // A count target set above: this region's share of it.
                    let tr = index.region_of[t as usize];
                    let n = *leaves_under
                        .entry(tr)
                        .or_insert_with(|| hierarchy.leaves(tr).count().max(1));
                    Goal::of(&targets[t as usize], info, 1.0 / n as f64)
                }),
            };
            let code = hierarchy.code(r);
            let mut rng = SplitMix64::new(
                seed ^ mix64(stable_hash(code)) ^ mix64(stable_hash(&info.id).rotate_left(17)),
            );
            series(&mut rng, code, info, shape, &mut out)?;
        }
    }
    Ok(out)
}

/// The target a series is shaped against: value (a share for counts set above) and direction.
#[derive(Debug, Clone, Copy)]
struct Goal {
    value: f64,
    direction: f64,
}

impl Goal {
    fn of(t: &TargetRef, info: &IndicatorInfo, share: f64) -> Goal {
        Goal {
            value: t.value * share,
            direction: direction(t.op, info.polarity),
        }
    }
}

const QUARTERS: usize = 16;

fn quarter(k: usize) -> Period {
    Period::Quarter(YEARS[0] + (k / 4) as i32, (k % 4) as u8 + 1)
}

/// Years from the end of 2022 to the end of quarter k (2022Q4 → 0, 2025Q4 → 3).
fn tau(k: usize) -> f64 {
    (k as f64 + 1.0) / 4.0 - 1.0
}

fn series(
    rng: &mut SplitMix64,
    code: &str,
    info: &IndicatorInfo,
    goal: Option<Goal>,
    out: &mut Vec<DataValue>,
) -> Result<(), AssessError> {
    let trajectory = Trajectory::draw(rng);
    if trajectory == Trajectory::Missing {
        return Ok(());
    }
    let values: Vec<(f64, Option<(f64, f64)>)> =
        if info.kind.scales_with_population() && info.aggregation == Aggregation::None {
            milestone(rng, trajectory, goal)
        } else if info.additive {
            additive(rng, trajectory, info, goal)
        } else {
            growth(rng, trajectory, info, goal)
        };
    let mut present = [true; QUARTERS];
    if rng.chance(0.07) {
        for _ in 0..1 + rng.below(3) {
            present[rng.below(QUARTERS as u64) as usize] = false;
        }
    }
    if rng.chance(0.06) {
        let late = 1 + rng.below(2) as usize;
        for p in present.iter_mut().rev().take(late) {
            *p = false;
        }
    }
    for (k, (value, parts)) in values.into_iter().enumerate() {
        if !present[k] {
            continue;
        }
        let period = quarter(k);
        let entered = reporting_deadline(period, 20)?;
        out.push(DataValue {
            indicator: info.id.clone(),
            region: code.to_string(),
            period,
            value,
            numerator: parts.map(|p| p.0),
            denominator: parts.map(|p| p.1),
            source: ValueSource::Demo,
            entered_by: LABEL.to_string(),
            entered_at: format!("{entered}T09:00:00Z"),
            comment: Some(COMMENT.to_string()),
            state: ReviewState::Approved,
        });
    }
    Ok(())
}

/// Per-unit facility counts (每个县建成1个): whole numbers that step up when a facility opens.
fn milestone(
    rng: &mut SplitMix64,
    trajectory: Trajectory,
    goal: Option<Goal>,
) -> Vec<(f64, Option<(f64, f64)>)> {
    let target = goal.map_or(1.0, |g| g.value.round().max(1.0));
    // (value before, value after, the quarter it changes).
    let (before, after, at) = match trajectory {
        Trajectory::Achieved => (target - 1.0, target, 5 + rng.below(5) as usize),
        Trajectory::OnTrack | Trajectory::Lagging => {
            ((target - 1.0).max(0.0), target, 10 + rng.below(6) as usize)
        }
        Trajectory::Regressing => (target, target - 1.0, 6 + rng.below(4) as usize),
        _ => ((target - 1.0).max(0.0), (target - 1.0).max(0.0), QUARTERS),
    };
    (0..QUARTERS)
        .map(|k| (if k < at { before } else { after }, None))
        .collect()
}

/// 累计新增: running totals from zero at the start of 2023 (zero through 2022).
fn additive(
    rng: &mut SplitMix64,
    trajectory: Trajectory,
    info: &IndicatorInfo,
    goal: Option<Goal>,
) -> Vec<(f64, Option<(f64, f64)>)> {
    let (lo, hi) = count_scale(info);
    let target = goal.map_or_else(|| rng.range(lo, hi) * 3.0, |g| g.value.abs());
    let m = match trajectory {
        Trajectory::OnTrack => rng.range(0.97, 1.3),
        Trajectory::Lagging => rng.range(0.65, 0.9),
        Trajectory::Achieved => rng.range(1.6, 2.0),
        _ => rng.range(0.08, 0.5),
    };
    let per_quarter = m * target / 12.0;
    let decimals = decimals(info);
    let mut total = 0.0;
    (0..QUARTERS)
        .map(|k| {
            if tau(k) > 0.0 {
                total += per_quarter * rng.range(0.7, 1.3);
            }
            (round(total, decimals), None)
        })
        .collect()
}

/// Everything else: compound growth from a baseline at the end of 2022, with ±0.4% noise.
fn growth(
    rng: &mut SplitMix64,
    trajectory: Trajectory,
    info: &IndicatorInfo,
    goal: Option<Goal>,
) -> Vec<(f64, Option<(f64, f64)>)> {
    let cap = if info.kind == Kind::Rate && info.unit.contains('%') {
        100.0
    } else {
        f64::INFINITY
    };
    let (d, target, base) = match goal {
        Some(g) if g.value > 0.0 => {
            let gap = if trajectory == Trajectory::Achieved {
                rng.range(0.01, 0.03)
            } else {
                rng.range(0.06, 0.25)
            };
            (g.direction, g.value, g.value * (1.0 - g.direction * gap))
        }
        _ => {
            let d = info.polarity_sign();
            let (lo, hi) = base_scale(info);
            let b = rng.range(lo, hi);
            (d, (b * (1.0 + d * 0.15)).min(cap * 0.995), b)
        }
    };
    let base = base.clamp(f64::MIN_POSITIVE, cap);
    let required = (target / base).powf(1.0 / 3.0) - 1.0;
    let g = match trajectory {
        Trajectory::OnTrack => required * rng.range(0.97, 1.3),
        Trajectory::Lagging => required * rng.range(0.65, 0.9),
        Trajectory::Slow => required * rng.range(0.08, 0.5),
        Trajectory::Regressing => -required * rng.range(0.3, 1.0),
        _ => (target * (1.0 + d * 0.03) / base).powf(1.0 / 1.5) - 1.0,
    };
    let scale = info.ratio_scale();
    let denominator = denominator_scale(info).map(|(lo, hi)| rng.range(lo, hi).round());
    let decimals = decimals(info);
    (0..QUARTERS)
        .map(|k| {
            let v =
                (base * (1.0 + g).powf(tau(k)) * (1.0 + rng.range(-0.004, 0.004))).clamp(0.0, cap);
            match denominator {
                Some(den0) => {
                    let den = (den0 * (1.0 + 0.004 * k as f64)).round();
                    let num = (v * den / scale).round();
                    (scale * num / den, Some((num, den)))
                }
                None => (round(v, decimals), None),
            }
        })
        .collect()
}

/// A plausible baseline range for an indicator without a target.
fn base_scale(info: &IndicatorInfo) -> (f64, f64) {
    let lower = info.polarity_sign() < 0.0;
    match info.kind {
        Kind::Rate if lower => (3.0, 12.0),
        Kind::Rate => (55.0, 92.0),
        Kind::PerMille if info.unit.contains('万') => (10.0, 35.0),
        Kind::PerMille => (3.0, 10.0),
        Kind::PerCapita => match info.unit.as_str() {
            "岁" => (72.0, 78.0),
            "平方米" => (1.6, 2.8),
            _ if info.name.contains("每万") => (0.5, 1.5),
            _ => (1.5, 6.0),
        },
        Kind::Ratio => (1.0, 1.4),
        Kind::Count => count_scale(info),
        Kind::Amount => (500.0, 5000.0),
    }
}

fn count_scale(info: &IndicatorInfo) -> (f64, f64) {
    if info.unit.starts_with('万') {
        (0.1, 2.0)
    } else if matches!(info.unit.as_str(), "人" | "名" | "人次") {
        (100.0, 3000.0)
    } else {
        (3.0, 120.0)
    }
}

/// The denominator range for values aggregated by ratio: births, children, people (in the
/// unit of the per-capita "per").
fn denominator_scale(info: &IndicatorInfo) -> Option<(f64, f64)> {
    if info.aggregation != Aggregation::Ratio {
        return None;
    }
    Some(match info.kind {
        Kind::Rate => (2_000.0, 30_000.0),
        Kind::PerMille => (3_000.0, 12_000.0),
        _ if info.name.contains("每千") => (50.0, 800.0),
        _ if info.name.contains("每万") => (5.0, 80.0),
        _ => (50_000.0, 800_000.0),
    })
}

fn decimals(info: &IndicatorInfo) -> i32 {
    match info.kind {
        Kind::Count if !info.unit.starts_with('万') => 0,
        _ => 2,
    }
}

fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}
