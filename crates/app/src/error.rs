//! The errors of the shared operations, each saying what to do about it.

/// `Result` with [`AppError`].
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// What went wrong in a shared operation.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] minsheng_store::StoreError),
    #[error("the indicator catalog {origin} has a mistake: {source}")]
    Catalog {
        origin: String,
        source: minsheng_catalog::CatalogError,
    },
    #[error(transparent)]
    Ingest(#[from] minsheng_ingest::IngestError),
    #[error(transparent)]
    Assess(#[from] minsheng_assess::AssessError),
    #[error(transparent)]
    Evaluate(#[from] minsheng_evaluate::EvaluateError),
    #[error(transparent)]
    Report(#[from] minsheng_report::ReportError),
    /// Something the user asked for that does not exist or cannot be done; says why.
    #[error("{0}")]
    Refused(String),
}
