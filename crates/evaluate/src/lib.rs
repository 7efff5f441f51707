//! minsheng-evaluate: 评估 — target scores, weighted composites per domain and overall,
//! rankings, and equalization (均等化) measures, as pure computation.
//!
//! The caller assesses (with [`minsheng_assess::assess`]), loads the weights file, the
//! external scores and the previous run, and passes them in; nothing here reads a file or a
//! database. [`evaluate`] returns an [`EvaluationResult`] that serializes to the contract of
//! `minsheng evaluate --format json`:
//!
//! ```json
//! {"run_id": "…", "kind": "final", "as_of": "2025",
//!  "scores": [{"region": "532301", "domain": "病有所医", "score": 71.4}],
//!  "rankings": [{"scope": "532300", "region": "532301", "rank": 2, "score": 68.2, "previous_rank": 3}],
//!  "equalization": [{"indicator": "…", "scope": "532300", "period": "2025", "n": 10,
//!    "mean": 92.1, "cv": 0.04, "williamson": null, "gini": 0.02, "theil": 0.001,
//!    "theil_between": null, "theil_within": null, "max_min_ratio": 1.12, "urban_rural_gap": 1.5}]}
//! ```
//!
//! with extra fields after the contract's (`part`, `coverage`, `level`, `of`, `change`,
//! weighted measures, `trend`, `targets`, `method`). docs/evaluation.md has the formulas and
//! the worked examples.
//!
//! - [`score`]: a 0–100 score per target — achieved 100, `no_data` none (left out, not 0),
//!   otherwise the share of the baseline-to-target distance covered, clipped to [0, 100] and
//!   direction-aware — and weighted means that re-normalise over the parts with data.
//! - [`weights`]: [`WeightsConfig::from_toml`], the reviewed weights file (`[domains]`,
//!   `[indicators]`, `[external]`), equal weights by default, errors naming the line.
//! - [`external`]: 群众满意度 and 第三方评估 scores from CSV, errors naming the line.
//! - [`ranking`]: standard competition ranking (1, 2, 2, 4) on scores rounded to two
//!   decimals, with the previous run's rank and the change.
//! - [`equalization`]: CV, Williamson, Gini, Theil T with its between/within-prefecture
//!   decomposition, max/min, the 市辖区–县 gap, weighted forms where population is known, and
//!   whether each narrowed since the baseline.
//! - [`run`]: [`evaluate`] puts them together.
//!
//! # Choices
//!
//! - **Scores from assessments at every level.** A prefecture's or province's score comes
//!   from its own assessment rows (assessed on values made from its counties — rates from
//!   summed numerators), not from averaging its counties' scores; assess all levels to rank
//!   prefectures.
//! - **Missing data is not zero.** A `no_data` target drops out of its domain; a domain with no
//!   scored target drops out of the overall score; in both cases the remaining weights are
//!   re-normalised, and `coverage` says what share of the weight had data.
//! - **External inputs are shares of the overall score**, not weights relative to domains: a
//!   reviewer writes "satisfaction counts for 10%". The latest score at or before as-of
//!   counts. A region without any monitoring score gets no overall score, whatever its
//!   surveys say.
//! - **Urban and rural.** 市辖区 urban, 县/自治县/旗/自治旗 rural, 县级市 reported apart and
//!   left out of the gap; the gap is urban − rural in the unit, `rural_lag` is the same turned
//!   by the indicator's direction (positive: rural behind).
//! - **Theil with zeros**: `0·ln 0 = 0` (the limit), so a county at zero does not void the
//!   measure; negative values do.
//! - **Counties directly under a province** (北京市's districts, 湖北省's 仙桃市) form one group in
//!   the province's Theil decomposition and are ranked only in the province.
//! - **No equalization of counts and amounts** ([`cross_sections`] skips them): their spread
//!   across counties is the counties' size. Rates, per-mille and per-capita figures and ratios
//!   are compared.
//! - **Ranking ties** are decided on scores rounded to [`RANK_DECIMALS`] decimals, as
//!   published; regions without a score are not ranked.

pub mod equalization;
mod error;
pub mod external;
pub mod ranking;
pub mod run;
pub mod score;
pub mod weights;

pub use equalization::{
    Change, CountyKind, CrossSection, EqualizationRow, Grouping, TheilDecomposition, Trend,
    UrbanRural, cross_sections, cv, equalize, gini, max_min_ratio, mean, theil_decomposition,
    theil_t, trend, urban_rural, urban_rural_gap, weighted_gini, weighted_mean, weighted_theil_t,
    williamson,
};
pub use error::EvaluateError;
pub use external::{ExternalError, ExternalScore, ExternalSource, parse_external_csv};
pub use ranking::{PreviousRanks, RANK_DECIMALS, RankingRow, competition_ranks, rank_scope};
pub use run::{
    EvaluationInput, EvaluationKind, EvaluationResult, IndicatorMeta, MethodNote, OVERALL,
    ScorePart, ScoreRow, TargetScore, evaluate,
};
pub use score::{Composite, CompositeBuilder, composite, overall, progress_score, target_score};
pub use weights::{ExternalWeights, UNCLASSIFIED, WeightsConfig, WeightsError};
