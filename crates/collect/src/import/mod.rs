//! 导入: reading a filled-in template or a CSV into checked [`DataValue`](minsheng_model::DataValue)s.
//!
//! The entry points take the file's name (for messages only), its bytes and an
//! [`ImportContext`], and return an [`ImportReport`]; they never panic and never touch a
//! database or the file system.

mod csv;
mod form;
mod xlsx;

use crate::context::ImportContext;
use crate::report::ImportReport;
use crate::validate::Validator;
use minsheng_model::ValueSource;

pub use form::{FormRow, read_form};

/// Reads a workbook: .xlsx (as the template writes it, or laid out by hand with a header row),
/// and also .xls and .ods. Values come out with source [`ValueSource::Xlsx`].
pub fn read_xlsx(file_name: &str, bytes: &[u8], ctx: &ImportContext) -> ImportReport {
    let mut v = Validator::new(ctx, file_name, ValueSource::Xlsx);
    xlsx::read(&mut v, bytes);
    v.finish()
}

/// Reads a CSV in DHIS2's dataValueSet layout (with or without its header) or with Chinese
/// headers, in UTF-8, UTF-16 with BOM or GB18030/GBK. Values come out with source
/// [`ValueSource::Csv`].
pub fn read_csv(file_name: &str, bytes: &[u8], ctx: &ImportContext) -> ImportReport {
    let mut v = Validator::new(ctx, file_name, ValueSource::Csv);
    csv::read(&mut v, bytes);
    v.finish()
}

/// What a file is, told from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A zip (xlsx, ods) or an OLE compound file (xls): read with [`read_xlsx`].
    Workbook,
    /// Anything else: read with [`read_csv`].
    Csv,
}

/// Tells a workbook from a CSV by content, whatever the file's name says (a CSV saved as
/// `.xls` by some systems, an xlsx renamed `.csv`).
pub fn detect(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        FileKind::Workbook
    } else {
        FileKind::Csv
    }
}

/// Reads a workbook or a CSV, told apart by [`detect`].
pub fn read(file_name: &str, bytes: &[u8], ctx: &ImportContext) -> ImportReport {
    match detect(bytes) {
        FileKind::Workbook => read_xlsx(file_name, bytes, ctx),
        FileKind::Csv => read_csv(file_name, bytes, ctx),
    }
}
