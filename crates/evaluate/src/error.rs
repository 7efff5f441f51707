//! Errors of evaluation: inputs that name regions or indicators that are not there, and the
//! reviewed files (weights, external scores) that cannot be read.

use thiserror::Error;

use crate::external::ExternalError;
use crate::weights::WeightsError;

/// What can stop an evaluation. Every variant names what was wrong and where.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EvaluateError {
    /// A region code the hierarchy does not know (in an assessment, an external score, the
    /// scope).
    #[error("unknown region code {code} ({place}): not in the region hierarchy")]
    UnknownRegion { code: String, place: &'static str },
    /// An indicator id the indicator list does not know.
    #[error("unknown indicator id {id} ({place}): not in the indicator list")]
    UnknownIndicator { id: String, place: &'static str },
    /// A region index in a cross-section outside the hierarchy.
    #[error("region index {index} in the values of {indicator} is outside the hierarchy")]
    RegionIndex { index: u32, indicator: String },
    /// The population slice is not one entry per region of the hierarchy.
    #[error("population has {got} entries; the hierarchy has {want} regions")]
    PopulationLength { got: usize, want: usize },
    /// The weights file.
    #[error(transparent)]
    Weights(#[from] WeightsError),
    /// The external scores file.
    #[error(transparent)]
    External(#[from] ExternalError),
}
