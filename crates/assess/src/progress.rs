//! 进度评估: the status of one series against one target — the Open SDG / Statistics Canada
//! growth-rate ratio, its linear variant, and the achieved check. Pure arithmetic on numbers;
//! [`assess`](crate::assess()) finds the numbers.
//!
//! With baseline `y0` at time `t0`, latest value `yi` at `ti`, target `yT` for `tT` (times are
//! where periods end, in years: 2022 → 2023.0, 2024Q2 → 2024.5, target year 2025 → 2026.0)
//! and `d` = +1 when the target is a floor (more is better), −1 when it is a ceiling:
//!
//! - growth-rate method (`open_sdg_ratio`): `CAGRo = (yi/y0)^(1/(ti−t0)) − 1`,
//!   `CAGRr = (yT/y0)^(1/(tT−t0)) − 1`, `R = s·d·CAGRo / |CAGRr|` with `s` = −1 when the values
//!   are negative; projected `y0·(1+CAGRo)^(tT−t0)`.
//! - linear method (`linear`), for 累计新增 counts and wherever the growth model cannot run (a
//!   zero baseline, latest or target, or a change of sign): `Δo = (yi−y0)/(ti−t0)`,
//!   `Δr = (yT−y0)/(tT−t0)`, `R = d·Δo/|Δr|`; projected `y0 + Δo·(tT−t0)`.
//! - status: achieved when the latest value meets the target; else R ≥ 0.95 on track,
//!   0.60 ≤ R < 0.95 needs acceleration, 0 ≤ R < 0.60 limited progress, R < 0 regressing.
//!
//! See docs/assessment.md for the sources, the edge cases and worked examples.

use minsheng_catalog::Polarity;
use minsheng_model::Op;
use serde::{Deserialize, Serialize};

/// R at or above this: on track (Open SDG's "high" threshold).
pub const ON_TRACK: f64 = 0.95;
/// R at or above this (and below [`ON_TRACK`]): needs acceleration ("med").
pub const NEEDS_ACCELERATION: f64 = 0.60;
/// R at or above this (and below [`NEEDS_ACCELERATION`]): limited progress ("low").
pub const LIMITED_PROGRESS: f64 = 0.0;

/// 进度状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已达标: the latest value meets the target.
    Achieved,
    /// 进度正常: R ≥ 0.95.
    OnTrack,
    /// 需加快进度: 0.60 ≤ R < 0.95.
    NeedsAcceleration,
    /// 进展有限: 0 ≤ R < 0.60.
    LimitedProgress,
    /// 倒退: R < 0, moving away from the target.
    Regressing,
    /// 无数据: no latest value, or no baseline to measure from ([`Note`] says which).
    NoData,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Achieved,
        Status::OnTrack,
        Status::NeedsAcceleration,
        Status::LimitedProgress,
        Status::Regressing,
        Status::NoData,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::NeedsAcceleration => "needs_acceleration",
            Status::LimitedProgress => "limited_progress",
            Status::Regressing => "regressing",
            Status::NoData => "no_data",
        }
    }

    /// The Chinese label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Status::Achieved => "已达标",
            Status::OnTrack => "进度正常",
            Status::NeedsAcceleration => "需加快",
            Status::LimitedProgress => "进展有限",
            Status::Regressing => "倒退",
            Status::NoData => "无数据",
        }
    }

    /// Off track: needs acceleration or limited progress (what warnings list besides regressing).
    pub fn is_off_track(self) -> bool {
        matches!(self, Status::NeedsAcceleration | Status::LimitedProgress)
    }
}

/// How the status was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Growth-rate ratio R = CAGR observed / CAGR required (Open SDG, Statistics Canada).
    OpenSdgRatio,
    /// Average change per year observed / required: 累计新增 counts, zero values, sign changes.
    Linear,
    /// The latest value meets the target; R and the projection, when shown, come from the
    /// growth-rate method (or the linear one where that applies).
    AchievedCheck,
    /// Nothing could be computed (status `no_data`).
    None,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::OpenSdgRatio => "open_sdg_ratio",
            Method::Linear => "linear",
            Method::AchievedCheck => "achieved_check",
            Method::None => "none",
        }
    }
}

/// Why a status is what it is, where the numbers alone do not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Note {
    /// No baseline: no value for the year before the plan, no plan baseline, and nothing
    /// reported before the latest value.
    NoBaseline,
    /// No value reported up to the as-of period.
    NoLatest,
    /// The latest value is the baseline (or older): no change to measure yet.
    LatestNotAfterBaseline,
    /// The target year ends no later than the baseline: no required growth to compare with.
    TargetNotAfterBaseline,
    /// The baseline equals the target, and the latest value has moved off it the wrong way.
    BaselineMetTarget,
    /// The target year is over and the target was not met (an on-track R is shown as needing
    /// acceleration).
    TargetYearPassed,
    /// A zero baseline, latest value or target, or a change of sign: the growth model cannot
    /// run, so the linear method was used (Open SDG would substitute 0.001).
    ZeroOrSignChange,
    /// No usable value because every sum made from the regions below lacks some of them
    /// (a partial sum would read as a fall); see the missing reports.
    IncompleteSum,
}

impl Note {
    pub fn as_str(self) -> &'static str {
        match self {
            Note::NoBaseline => "no_baseline",
            Note::NoLatest => "no_latest",
            Note::LatestNotAfterBaseline => "latest_not_after_baseline",
            Note::TargetNotAfterBaseline => "target_not_after_baseline",
            Note::BaselineMetTarget => "baseline_met_target",
            Note::TargetYearPassed => "target_year_passed",
            Note::ZeroOrSignChange => "zero_or_sign_change",
            Note::IncompleteSum => "incomplete_sum",
        }
    }

    /// The Chinese explanation for tables.
    pub fn label(self) -> &'static str {
        match self {
            Note::NoBaseline => "无基期值",
            Note::NoLatest => "截至评估期无填报",
            Note::LatestNotAfterBaseline => "仅有基期数据",
            Note::TargetNotAfterBaseline => "目标年不晚于基期",
            Note::BaselineMetTarget => "基期已达目标但现已偏离",
            Note::TargetYearPassed => "目标年已过且未达标",
            Note::ZeroOrSignChange => "含零值或正负变化，改用线性法",
            Note::IncompleteSum => "下级填报不全，无法加总",
        }
    }
}

/// The direction of progress: +1 when the target is a floor (≥), −1 when a ceiling (≤); a
/// plain value (=) takes the indicator's polarity.
pub fn direction(op: Op, polarity: Polarity) -> f64 {
    match (op, polarity) {
        (Op::AtLeast, _) | (Op::Equal, Polarity::HigherIsBetter) => 1.0,
        (Op::AtMost, _) | (Op::Equal, Polarity::LowerIsBetter) => -1.0,
    }
}

/// Whether a value meets the target in the given direction, allowing a relative 1e-9 for
/// values recomputed from numerator and denominator.
pub fn meets(value: f64, target: f64, direction: f64) -> bool {
    let eps = 1e-9 * target.abs().max(1.0);
    if direction > 0.0 {
        value >= target - eps
    } else {
        value <= target + eps
    }
}

/// The status for R, by the thresholds 0.95 / 0.60 / 0.
pub fn status_of_ratio(r: f64) -> Status {
    if r >= ON_TRACK {
        Status::OnTrack
    } else if r >= NEEDS_ACCELERATION {
        Status::NeedsAcceleration
    } else if r >= LIMITED_PROGRESS {
        Status::LimitedProgress
    } else {
        Status::Regressing
    }
}

/// The numbers one status is computed from. Times are period ends in years
/// ([`PeriodKey::end_years`](crate::PeriodKey::end_years)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Baseline value and time.
    pub baseline: Option<(f64, f64)>,
    /// Latest value and time.
    pub latest: Option<(f64, f64)>,
    pub target: f64,
    /// End of the target year (2025 → 2026.0).
    pub target_time: f64,
    /// +1 or −1 ([`direction`]).
    pub direction: f64,
    /// Use the linear method whatever the values (累计新增 counts).
    pub linear: bool,
}

/// The result for one series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// R: observed over required growth, signed so that positive is towards the target.
    pub ratio: Option<f64>,
    /// The value at the end of the target year if the observed growth continues.
    pub projected: Option<f64>,
    pub status: Status,
    pub method: Method,
    pub note: Option<Note>,
}

/// Computes R, the projection and the status (module docs give the formulas).
pub fn progress(o: &Observation) -> Progress {
    let d = o.direction;
    let achieved = o.latest.is_some_and(|(v, _)| meets(v, o.target, d));
    let stop = |note: Note| {
        if achieved {
            Progress {
                ratio: None,
                projected: None,
                status: Status::Achieved,
                method: Method::AchievedCheck,
                note: Some(note),
            }
        } else {
            Progress {
                ratio: None,
                projected: None,
                status: Status::NoData,
                method: Method::None,
                note: Some(note),
            }
        }
    };
    let Some((lv, lt)) = o.latest else {
        return stop(Note::NoLatest);
    };
    let Some((bv, bt)) = o.baseline else {
        return stop(Note::NoBaseline);
    };
    let span = lt - bt;
    if span <= 0.0 {
        return stop(Note::LatestNotAfterBaseline);
    }
    let horizon = o.target_time - bt;
    if horizon <= 0.0 {
        return stop(Note::TargetNotAfterBaseline);
    }
    let same_sign =
        (bv > 0.0 && lv > 0.0 && o.target > 0.0) || (bv < 0.0 && lv < 0.0 && o.target < 0.0);
    let linear = o.linear || !same_sign;
    let (ratio, projected, method) = if linear {
        let observed = (lv - bv) / span;
        let required = (o.target - bv) / horizon;
        let ratio = (required != 0.0).then(|| d * observed / required.abs());
        (ratio, bv + observed * horizon, Method::Linear)
    } else {
        let s = if bv < 0.0 { -1.0 } else { 1.0 };
        let observed = (lv / bv).powf(1.0 / span) - 1.0;
        let required = (o.target / bv).powf(1.0 / horizon) - 1.0;
        let ratio = (required != 0.0).then(|| s * d * observed / required.abs());
        (
            ratio,
            bv * (1.0 + observed).powf(horizon),
            Method::OpenSdgRatio,
        )
    };
    let mut note = (linear && !o.linear).then_some(Note::ZeroOrSignChange);
    let status = if achieved {
        return Progress {
            ratio,
            projected: Some(projected),
            status: Status::Achieved,
            method: Method::AchievedCheck,
            note,
        };
    } else {
        match ratio {
            None => {
                note = Some(Note::BaselineMetTarget);
                Status::Regressing
            }
            Some(r) => {
                let s = status_of_ratio(r);
                if lt >= o.target_time {
                    note = Some(Note::TargetYearPassed);
                    if s == Status::OnTrack {
                        Status::NeedsAcceleration
                    } else {
                        s
                    }
                } else {
                    s
                }
            }
        }
    };
    Progress {
        ratio,
        projected: Some(projected),
        status,
        method,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(b: f64, l: f64, lt: f64, target: f64, d: f64) -> Observation {
        Observation {
            baseline: Some((b, 2023.0)),
            latest: Some((l, lt)),
            target,
            target_time: 2026.0,
            direction: d,
            linear: false,
        }
    }

    #[test]
    fn thresholds_are_inclusive_below() {
        assert_eq!(status_of_ratio(0.95), Status::OnTrack);
        assert_eq!(status_of_ratio(0.9499), Status::NeedsAcceleration);
        assert_eq!(status_of_ratio(0.60), Status::NeedsAcceleration);
        assert_eq!(status_of_ratio(0.5999), Status::LimitedProgress);
        assert_eq!(status_of_ratio(0.0), Status::LimitedProgress);
        assert_eq!(status_of_ratio(-0.0001), Status::Regressing);
    }

    #[test]
    fn equal_op_follows_polarity() {
        assert_eq!(direction(Op::Equal, Polarity::LowerIsBetter), -1.0);
        assert_eq!(direction(Op::AtLeast, Polarity::LowerIsBetter), 1.0);
    }

    #[test]
    fn target_year_passed_is_never_on_track() {
        // Baseline 80 (end 2022), target 90 by end 2025, latest 89.9 at end 2025:
        // R = ((89.9/80)^(1/3) − 1) / ((90/80)^(1/3) − 1) ≈ 0.990 → on track by R, but the
        // year is over and 89.9 < 90.
        let p = progress(&obs(80.0, 89.9, 2026.0, 90.0, 1.0));
        assert!(p.ratio.unwrap() > 0.95);
        assert_eq!(p.status, Status::NeedsAcceleration);
        assert_eq!(p.note, Some(Note::TargetYearPassed));
    }

    #[test]
    fn baseline_equal_to_target_then_worse_is_regressing() {
        let p = progress(&obs(5.0, 5.5, 2025.0, 5.0, -1.0));
        assert_eq!(p.status, Status::Regressing);
        assert_eq!(p.ratio, None);
        assert_eq!(p.note, Some(Note::BaselineMetTarget));
    }

    #[test]
    fn negative_values_flip_the_sign() {
        // Baseline −10, target −5 (higher is better), latest −8 two years on: moving up.
        let p = progress(&obs(-10.0, -8.0, 2025.0, -5.0, 1.0));
        assert!(p.ratio.unwrap() > 0.0, "{p:?}");
        assert_eq!(p.method, Method::OpenSdgRatio);
    }
}
