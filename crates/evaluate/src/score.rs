//! 得分: a 0–100 score for each target and region, and weighted composites of them.
//!
//! **Target score.** From the assessment of one target in one region (baseline `b`, latest `y`,
//! target `T`, direction `d` = +1 for a floor, −1 for a ceiling, the indicator's polarity for a
//! plain value):
//!
//! | status | score |
//! |---|---|
//! | `achieved` | 100 |
//! | `no_data` | none: the target is left out of the composite (not counted as 0) |
//! | otherwise, `d·(T − b) > 0` | `100 · d·(y − b) / (d·(T − b))`, clipped to [0, 100] |
//! | otherwise, `d·(T − b) ≤ 0` | 0: the baseline already met the target and the region has fallen back |
//!
//! The score is the share of the distance from the baseline to the target covered by the
//! latest value — what remains to do, not the pace (the assessment's status says the pace).
//! A region that moved away from the target scores 0; only a met target scores 100.
//!
//! **Composite.** A weighted arithmetic mean `Σ wᵢsᵢ / Σ wᵢ` over the parts that have a
//! score: indicators within a domain (weights from `[indicators]`), domains within the overall
//! score (`[domains]`). A part without a score (every target `no_data`) drops out and the
//! others' weights are re-normalised to sum to 1; [`Composite::coverage`] is the share of the
//! weight that had a score, so a reader sees how much of the composite rests on data. The
//! external inputs are absolute shares of the overall score; see
//! [`overall`].

use minsheng_assess::progress::direction;
use minsheng_assess::{Assessment, Status};
use minsheng_catalog::Polarity;
use serde::{Deserialize, Serialize};

/// The 0–100 score of one target from its status and values (module docs). `direction` is +1
/// when more is better for this target, −1 when less is.
pub fn progress_score(
    status: Status,
    baseline: Option<f64>,
    latest: Option<f64>,
    target: f64,
    direction: f64,
) -> Option<f64> {
    match status {
        Status::Achieved => Some(100.0),
        Status::NoData => None,
        _ => {
            let (b, y) = (baseline?, latest?);
            let gap = direction * (target - b);
            if gap.is_nan() || gap <= 0.0 || gap.is_infinite() {
                return Some(0.0);
            }
            let s = 100.0 * direction * (y - b) / gap;
            s.is_finite().then(|| s.clamp(0.0, 100.0))
        }
    }
}

/// The 0–100 score of an assessment row; `None` for `no_data`.
pub fn target_score(a: &Assessment<'_>, polarity: Polarity) -> Option<f64> {
    progress_score(
        a.status,
        a.baseline,
        a.latest,
        a.target,
        direction(a.op, polarity),
    )
}

/// A weighted mean over the parts that have a score.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Composite {
    /// `Σ wᵢsᵢ / Σ wᵢ` over the parts with a score and a positive weight; `None` when none.
    pub score: Option<f64>,
    /// Parts counted (with or without a score).
    pub n: usize,
    /// Parts with a score.
    pub n_scored: usize,
    /// Σ weight of the parts with a score / Σ weight of all parts; `None` when all weigh 0.
    pub coverage: Option<f64>,
}

/// Accumulates a [`Composite`] part by part.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompositeBuilder {
    weighted: f64,
    scored_weight: f64,
    all_weight: f64,
    n: usize,
    n_scored: usize,
}

impl CompositeBuilder {
    /// Adds a part with its score (`None`: no data) and weight (≥ 0).
    pub fn add(&mut self, score: Option<f64>, weight: f64) {
        self.n += 1;
        self.all_weight += weight;
        if let Some(s) = score {
            self.n_scored += 1;
            self.weighted += weight * s;
            self.scored_weight += weight;
        }
    }

    pub fn finish(&self) -> Composite {
        Composite {
            score: (self.scored_weight > 0.0).then(|| self.weighted / self.scored_weight),
            n: self.n,
            n_scored: self.n_scored,
            coverage: (self.all_weight > 0.0).then(|| self.scored_weight / self.all_weight),
        }
    }
}

/// The weighted mean of `(score, weight)` parts, re-normalising over those with a score.
pub fn composite(parts: impl IntoIterator<Item = (Option<f64>, f64)>) -> Composite {
    let mut b = CompositeBuilder::default();
    for (s, w) in parts {
        b.add(s, w);
    }
    b.finish()
}

/// The overall score: the monitoring composite `internal` with share `1 − Σ eₖ` and each
/// external score `k` with its share `eₖ`, the shares of missing external scores re-normalised
/// away. No monitoring score, no overall score: a region is not ranked on surveys alone.
pub fn overall(internal: Option<f64>, external: &[(Option<f64>, f64)]) -> Option<f64> {
    let internal = internal?;
    let ext_total: f64 = external.iter().map(|(_, w)| w).sum();
    let mut b = CompositeBuilder::default();
    b.add(Some(internal), (1.0 - ext_total).max(0.0));
    for (s, w) in external {
        b.add(*s, *w);
    }
    b.finish().score
}
