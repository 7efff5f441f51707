//! 对标结果: one row of the alignment, as `minsheng align --format json` prints it.

use crate::input::Region;
use crate::verdict::Verdict;
use minsheng_model::Op;
use serde::{Deserialize, Serialize};

/// The catalog entry a row is about: its id and Chinese name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRef {
    pub id: String,
    pub name: String,
}

/// 对标结果: one indicator of one plan held against the parent region's target.
///
/// The JSON field names are a contract. `op`, `value`, `unit` and `quote` are `null` for a
/// `missing` row. Values are the ones compared: a floor's lower end, a ceiling's upper end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignRow {
    pub region: Region,
    pub parent_region: Region,
    pub indicator: IndicatorRef,
    pub op: Option<Op>,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub parent_op: Op,
    pub parent_value: f64,
    pub parent_unit: String,
    pub verdict: Verdict,
    pub quote: Option<String>,
    pub parent_quote: String,
}
