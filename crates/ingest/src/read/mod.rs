//! Reading: a file's bytes to text. Detects the format from the content (not the name alone)
//! and the text encoding without asking. Owned by: encoding detection, .docx, .pdf.

use crate::IngestError;
use minsheng_model::CleaningNote;
use std::path::Path;

/// A document's text as read, before cleaning.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    pub text: String,
    /// What reading did that a reviewer should know (an encoding other than UTF-8, a BOM).
    pub notes: Vec<CleaningNote>,
}

/// Reads a plan document: .txt (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK), .docx, .pdf.
pub fn read_file(path: &Path) -> Result<RawDocument, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_bytes(path, &bytes)
}

/// Reads a document already in memory; `path` is used for format hints and error messages.
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<RawDocument, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    }
    // TODO(helper): encoding detection, docx, pdf.
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(RawDocument {
            text: t.trim_start_matches('\u{feff}').to_string(),
            notes: vec![],
        }),
        Err(e) => Err(IngestError::Undecodable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}
