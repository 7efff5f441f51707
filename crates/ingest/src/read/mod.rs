//! Reading: a file's bytes to text. Detects the format from the content (not the name) and the
//! text encoding without asking.
//!
//! One submodule a concern:
//! - [`detect`]: which format the bytes are (zip, PDF, text, or something minsheng cannot read).
//! - [`text`]: plain text in UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.
//! - [`docx`]: Word .docx paragraphs and table cells in document order.
//! - [`pdf`]: the text layer of a PDF, with pdf-extract's panics turned into errors.
//! - [`quiet`]: running code that may panic without printing the panic message.

mod detect;
mod docx;
mod pdf;
mod quiet;
mod text;

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

/// Reads a document already in memory; `path` is only used in error messages (the format is
/// told from the content, so a .docx saved as .txt still reads).
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<RawDocument, IngestError> {
    match detect::sniff(bytes) {
        detect::Format::Empty => Err(IngestError::Empty {
            path: path.to_path_buf(),
        }),
        detect::Format::Zip => docx::read(path, bytes),
        detect::Format::Pdf => pdf::read(path, bytes),
        detect::Format::Text => text::read(path, bytes),
        detect::Format::Unsupported(reason) => Err(IngestError::Unsupported {
            path: path.to_path_buf(),
            reason,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("plan.txt")
    }

    #[test]
    fn empty_file_is_empty() {
        assert!(matches!(
            read_bytes(p(), b""),
            Err(IngestError::Empty { .. })
        ));
    }

    #[test]
    fn missing_file_is_io_error_naming_the_file() {
        let err = read_file(Path::new("/nonexistent/minsheng/plan.txt")).unwrap_err();
        assert!(matches!(err, IngestError::Io { .. }));
        assert!(err.to_string().contains("/nonexistent/minsheng/plan.txt"));
    }

    #[test]
    fn read_file_reads_from_disk() {
        let dir = std::env::temp_dir().join(format!("minsheng-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("plan.txt");
        std::fs::write(&file, "一、总体要求\n").unwrap();
        let doc = read_file(&file).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(doc.text, "一、总体要求\n");
        assert!(doc.notes.is_empty());
    }

    #[test]
    fn format_is_told_from_content_not_name() {
        let doc = read_bytes(Path::new("plan.pdf"), "幼有所育".as_bytes()).unwrap();
        assert_eq!(doc.text, "幼有所育");
    }

    /// No input makes reading panic: every prefix of each kind of document, and byte noise.
    #[test]
    fn never_panics_on_cut_or_noisy_input() {
        let samples: Vec<Vec<u8>> = vec![
            docx::tests::sample_docx(),
            pdf::tests::sample_pdf(),
            encoding_rs::GB18030
                .encode("基本公共服务提升行动计划")
                .0
                .into_owned(),
            b"\xff\xfe\x00".to_vec(),
        ];
        for sample in &samples {
            let step = (sample.len() / 97).max(1);
            for cut in (0..sample.len()).step_by(step) {
                let _ = read_bytes(p(), &sample[..cut]);
            }
        }
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in [1, 2, 3, 7, 64, 1000] {
            let noise: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            let _ = read_bytes(p(), &noise);
            let mut pdf = b"%PDF-1.4\n".to_vec();
            pdf.extend_from_slice(&noise);
            let _ = read_bytes(p(), &pdf);
        }
    }
}
