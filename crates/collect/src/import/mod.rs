//! 导入: reading a filled-in template or a CSV into checked [`DataValue`](minsheng_model::DataValue)s.
//!
//! The entry points take the file's name (for messages only), its bytes and an
//! [`ImportContext`], and return an [`ImportReport`]; they never panic and never touch a
//! database or the file system.

mod csv;
mod form;
mod xlsx;

use crate::context::{ImportContext, PreviousValue};
use crate::report::ImportReport;
use crate::validate::{HandOver, Validator};
use minsheng_model::{DataValue, ValueSource};

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

/// A file read and checked row by row, before the checks against stored values (the jump
/// from the previous period, a stored value of the same period): the caller looks at
/// [`CheckedFile::rows`] to read from the store only the values of the file's regions,
/// indicators and periods, then [`CheckedFile::finish`]es with them. [`read`] does both with
/// [`ImportContext::previous`].
pub struct CheckedFile<'c> {
    validator: Validator<'c>,
}

impl CheckedFile<'_> {
    /// The values read, in file order (also those of a file with errors, which
    /// [`CheckedFile::finish`] then drops).
    pub fn rows(&self) -> &[DataValue] {
        self.validator.rows()
    }

    /// The checks across rows, against `previous` (in place of
    /// [`ImportContext::previous`]), and the report.
    pub fn finish(self, previous: &[PreviousValue]) -> ImportReport {
        self.validator.finish_with(previous)
    }

    /// Gives back the rows of a [`check_handing_over`], all of them in the order they were
    /// handed over, before [`CheckedFile::finish`].
    pub fn put_back(&mut self, rows: Vec<DataValue>) {
        self.validator.put_back(rows);
    }
}

/// [`check`], handing the rows over as they are read instead of keeping them: `hand_over`
/// gets them in file order, in batches of `batch` rows (the last one shorter), each with the
/// count of errors found so far, and is dropped after the last batch. A CSV is read on this
/// thread alone, so that another can store the batches meanwhile. The file returned holds no
/// rows: give them back with [`CheckedFile::put_back`], then finish it.
pub fn check_handing_over<'c>(
    file_name: &str,
    bytes: &[u8],
    ctx: &'c ImportContext,
    batch: usize,
    hand_over: impl FnMut(Vec<DataValue>, usize) + Send + 'c,
) -> CheckedFile<'c> {
    let kind = detect(bytes);
    let source = match kind {
        FileKind::Workbook => ValueSource::Xlsx,
        FileKind::Csv => ValueSource::Csv,
    };
    let mut validator = Validator::new(ctx, file_name, source);
    validator.hand_over(HandOver {
        every: batch.max(1),
        to: Box::new(hand_over),
    });
    match kind {
        FileKind::Workbook => xlsx::read(&mut validator, bytes),
        FileKind::Csv => csv::read_one_thread(&mut validator, bytes),
    }
    validator.hand_over_rest();
    CheckedFile { validator }
}

/// [`read`] up to the checks against stored values: see [`CheckedFile`].
pub fn check<'c>(file_name: &str, bytes: &[u8], ctx: &'c ImportContext) -> CheckedFile<'c> {
    let kind = detect(bytes);
    let source = match kind {
        FileKind::Workbook => ValueSource::Xlsx,
        FileKind::Csv => ValueSource::Csv,
    };
    let mut validator = Validator::new(ctx, file_name, source);
    match kind {
        FileKind::Workbook => xlsx::read(&mut validator, bytes),
        FileKind::Csv => csv::read(&mut validator, bytes),
    }
    CheckedFile { validator }
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
