//! 错误: what can be wrong with a catalog file, said so a person editing it can fix it.

use thiserror::Error;

/// A reason `data/catalog/indicators.toml` (or any catalog text) could not be loaded. Every
/// variant names the line, and where it can, the entry's id and the field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CatalogError {
    /// The text is not valid TOML, or has a field the catalog does not know.
    #[error("catalog line {line}: {message}")]
    Syntax { line: usize, message: String },
    /// A required field is absent or empty.
    #[error("catalog entry {entry} (line {line}): the field `{field}` is missing or empty")]
    MissingField {
        entry: String,
        line: usize,
        field: &'static str,
    },
    /// A field has a value the catalog does not accept.
    #[error("catalog entry {entry} (line {line}): the field `{field}` {problem}")]
    BadValue {
        entry: String,
        line: usize,
        field: &'static str,
        problem: String,
    },
    /// Two entries have the same id.
    #[error(
        "catalog entry {id} (line {line}): the id `{id}` is already used by the entry at line {first_line}; ids must be unique"
    )]
    DuplicateId {
        id: String,
        line: usize,
        first_line: usize,
    },
    /// One wording (a name or a synonym, after normalization) is claimed by two entries, or
    /// twice by one.
    #[error(
        "catalog entry {id} (line {line}): the wording \"{wording}\" is already the name or a synonym of entry {first_id}; a wording may link to one entry only"
    )]
    SharedWording {
        wording: String,
        id: String,
        line: usize,
        first_id: String,
    },
}
