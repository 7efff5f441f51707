//! Errors of assessment: inputs that refer to regions or indicators that are not there.

use thiserror::Error;

/// What can go wrong building the inputs or answering a query.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AssessError {
    /// A region code the hierarchy does not know (in a filter, a target, a query).
    #[error("unknown region code {0}: not in the region hierarchy")]
    UnknownRegion(String),
    /// An indicator id the indicator set does not know.
    #[error("unknown indicator id {0}: not in the indicator catalog")]
    UnknownIndicator(String),
    /// The same region code given twice to [`Hierarchy::new`](crate::Hierarchy::new).
    #[error("region code {0} appears twice in the hierarchy")]
    DuplicateRegion(String),
    /// The same indicator id given twice to [`IndicatorSet::new`](crate::IndicatorSet::new).
    #[error("indicator id {0} appears twice")]
    DuplicateIndicator(String),
    /// A region's parent is not in the hierarchy.
    #[error("region {region} names parent {parent}, which is not in the hierarchy")]
    UnknownParent { region: String, parent: String },
    /// Following parents from this region comes back to it.
    #[error("region {0} is its own ancestor: the parent links form a cycle")]
    Cycle(String),
    /// A date computation left the range the calendar supports.
    #[error("date out of range: {0}")]
    Date(String),
}
