//! minsheng-align: target alignment (对标) — a region's plan targets held against its parent
//! region's, indicator by indicator.
//!
//! A prefecture's three-year plan answers to the province's; for each catalog indicator the
//! province sets for 2025, the prefecture's target is `stricter`, `equal` or `weaker`, is
//! `missing`, or is `not_comparable` (counts and amounts that follow population, ops pointing
//! different ways, units no conversion settles).
//!
//! - [`input`]: what alignment reads (对标输入): regions and linked targets.
//! - [`select`]: which target stands for an indicator, which parent plan is primary (目标选取).
//! - [`verdict`]: comparing two targets (对标结论).
//! - [`row`]: the output rows and their JSON names (对标结果).
//!
//! Pure computation: no I/O.

mod align;
pub mod input;
pub mod row;
pub mod select;
pub mod verdict;

pub use align::align;
pub use input::{LinkedTarget, PlanTargets, Region};
pub use row::{AlignRow, IndicatorRef};
pub use verdict::{Verdict, compare};
