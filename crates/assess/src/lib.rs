//! minsheng-assess: 动态监测 — aggregation up the region hierarchy, progress assessment
//! against plan targets, warnings (预警) and demo data (模拟数据), as pure computation.
//!
//! The caller loads the region hierarchy, the catalog, the reported values and the plan
//! targets and passes them in; nothing here reads a file or a database, and nothing is
//! precomputed between queries: every call computes from the values it is given, so a changed
//! value shows in the next answer.
//!
//! - [`Hierarchy`]: the region tree (code → parent, level), indexed densely.
//! - [`IndicatorSet`] / [`IndicatorInfo`]: polarity, kind and aggregation of each catalog
//!   indicator, plus two facts read from its name: 累计新增 counts
//!   ([`IndicatorInfo::additive`]) and per-unit targets ([`IndicatorInfo::applies_to`]).
//! - [`ValueTable`]: the values in columns (period, value, numerator, denominator, simulated
//!   flag) sorted by (region, indicator, period) with an offset array; ten million values fit
//!   in about 210 MB and one series is two array reads away.
//! - [`aggregate()`]: a region's value from its children's — sums for counts, summed numerators
//!   over summed denominators for rates (never an average of percentages), `not_aggregable`
//!   otherwise; missing children listed, never zero.
//! - [`assess()`]: the status of every (region, indicator) a target applies to, by the Open SDG
//!   / Statistics Canada growth-rate ratio or its linear variant ([`progress`]).
//! - [`completeness()`]: 填报完整性 — which indicators each region must report, and how many
//!   it has for a period (counts, summed upward).
//! - [`warnings()`]: off-track and regressing targets, reports missing past their deadline and
//!   overdue tasks, grouped by lead unit (牵头单位) and region.
//! - [`demo`]: a deterministic generator of plausible quarterly values for Yunnan's counties,
//!   every value labelled 模拟数据.
//! - [`report`]: plain-text tables for the CLI.
//!
//! # Choices
//!
//! - **Which target applies.** A region's own plan's target; else its nearest ancestor's —
//!   for rates, per-mille and per-capita figures and ratios only. A province's count target
//!   (新增托位6000个) is not a county's: it is assessed at the province against the sum of its
//!   counties. Per-unit targets (每个县（市、区）建成1个) apply to every region of the level the
//!   indicator's name gives, not to the plan's own region. Of several targets one region's
//!   plans set for one indicator, the one for the latest year stands.
//! - **Baselines**, in order: the region's own value for the year before the plan starts (the
//!   annual value, else the quarter or month ending that year); the plan's stated baseline
//!   when the plan is the region's own; zero at the plan's start for 累计新增 counts; the
//!   region's first reported value. `baseline_source` says which.
//! - **Time.** Growth is measured between the ends of periods, in years (2022 and 2022Q4 end
//!   at 2023.0; a 2025 target is due at 2026.0). Values count up to as-of by the month their
//!   period ends, so as of 2024Q4 the annual 2024 value counts.
//! - **Aggregates in assessment.** A region with children and no value of its own for a
//!   period is given the value made from its children. A rate from the children that reported
//!   is used and marked `incomplete`; a sum missing a child is not used (the missing part would
//!   read as a fall) — when no complete sum is left the status is `no_data` with note
//!   `incomplete_sum`, and the missing reports show in the warnings.
//! - **Projections** are at the end of the target year and never below zero (every catalog
//!   kind is a non-negative quantity); they are not capped at 100%, since gross ratios
//!   (毛入学率) may exceed it.
//! - **Output size.** [`Assessment`] borrows its codes and ids from the inputs (no string is
//!   copied per row), and the rows are built in parallel chunks sized for their pairs.
//! - **Edge cases** follow Open SDG where it decides (achieved is checked first; the sign is
//!   flipped for negative series; `d·CAGRo/|CAGRr|` keeps R's sign meaning "towards the
//!   target") and depart from it where it substitutes 0.001 for a zero baseline or target: the
//!   linear method is used instead. Once the target year is over and the target not met, an
//!   on-track R is reported as needing acceleration. See docs/assessment.md.

mod aggregate;
mod assess;
mod completeness;
pub mod demo;
mod error;
mod hierarchy;
mod indicators;
mod period;
pub mod progress;
pub mod report;
pub mod rng;
mod table;
mod target;
mod warnings;

pub use aggregate::{Aggregate, AggregateMethod, aggregate};
pub use assess::{AssessFilter, AssessInput, Assessment, BaselineSource, assess};
pub use completeness::{Completeness, ExpectedReport, completeness, expected_reports};
pub use error::AssessError;
pub use hierarchy::{Hierarchy, RegionInput};
pub use indicators::{IndicatorInfo, IndicatorSet, ratio_scale};
pub use period::PeriodKey;
pub use progress::{Method, Note, Status};
pub use table::{Series, SkipReason, SkippedValue, ValueTable, ValueTableBuilder};
pub use target::TargetRef;
pub use warnings::{
    Frequency, MissingReport, NO_LEAD_UNIT, OverdueTask, TargetWarning, TaskProgress, TaskStatus,
    WarningGroup, WarningOptions, period_end_date, reporting_deadline, warnings,
};
