//! The one error type of ingestion: which file, and what is wrong with it in plain words.

use std::path::PathBuf;

/// Why a document could not be read. Every variant names the file; the message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: cannot open the file: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the file is empty (文件为空)")]
    Empty { path: PathBuf },
    #[error(
        "{path}: not a plan document minsheng can read ({reason}); give a .txt (UTF-8, UTF-16 or GB18030), .docx or .pdf file (不支持的文件格式)"
    )]
    Unsupported { path: PathBuf, reason: String },
    #[error("{path}: the file is damaged or cut off ({reason}) (文件损坏或不完整)")]
    Damaged { path: PathBuf, reason: String },
    #[error("{path}: the text cannot be decoded ({reason}) (无法识别文件编码)")]
    Undecodable { path: PathBuf, reason: String },
}
