//! 导入报告: what an import found — the rows, and every error and warning with its place.

use minsheng_model::DataValue;
use serde::Serialize;

/// Which input an [`Issue`] concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The file as a whole: unreadable, wrong encoding, no header.
    File,
    /// A sheet's layout or its metadata.
    Sheet,
    /// 指标.
    Indicator,
    /// 地区.
    Region,
    /// 统计期.
    Period,
    /// 本期值.
    Value,
    /// 分子.
    Numerator,
    /// 分母.
    Denominator,
    /// 单位.
    Unit,
    /// 备注.
    Comment,
    /// The row as a whole (a duplicate, a disaggregated DHIS2 row).
    Row,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::File => "file",
            Field::Sheet => "sheet",
            Field::Indicator => "indicator",
            Field::Region => "region",
            Field::Period => "period",
            Field::Value => "value",
            Field::Numerator => "numerator",
            Field::Denominator => "denominator",
            Field::Unit => "unit",
            Field::Comment => "comment",
            Field::Row => "row",
        }
    }

    /// The field's Chinese name, as a message uses it.
    pub fn name_zh(self) -> &'static str {
        match self {
            Field::File => "文件",
            Field::Sheet => "工作表",
            Field::Indicator => "指标",
            Field::Region => "地区",
            Field::Period => "统计期",
            Field::Value => "本期值",
            Field::Numerator => "分子",
            Field::Denominator => "分母",
            Field::Unit => "单位",
            Field::Comment => "备注",
            Field::Row => "行",
        }
    }
}

/// 问题: one error or warning, with where it is and what is wrong, in Chinese and English.
///
/// The messages start with the place as the user sees it (`第12行F列：` / `row 12, column F: `)
/// and say what is wrong and what is expected in plain words. They do not name the file or the
/// sheet; [`Issue`]'s `Display` adds both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// The file name as the caller gave it.
    pub file: String,
    /// The sheet, for workbooks.
    pub sheet: Option<String>,
    /// 1-based row as a spreadsheet program shows it (a CSV's header is row 1); 0 when the
    /// issue concerns the whole file or sheet.
    pub row: usize,
    /// The column: its letter in a workbook (`F`), its header in a CSV (`value`), its 1-based
    /// number in a CSV without a header; empty when the issue concerns no one column.
    pub column: String,
    pub field: Field,
    pub message_zh: String,
    pub message_en: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " [{sheet}]")?;
        }
        write!(f, ": {} / {}", self.message_zh, self.message_en)
    }
}

/// 导入报告: the rows an import produced, and what was wrong with the file.
///
/// When `errors` is non-empty, `rows` is empty: a file with any error imports nothing, so a
/// caller that stores `rows` without looking cannot import half a file. `warnings` never stop
/// an import; they are shown to the person importing and to the reviewer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// The file name as the caller gave it.
    pub file: String,
    /// The values read, in file order: state [`Draft`](minsheng_model::ReviewState::Draft),
    /// source [`Xlsx`](minsheng_model::ValueSource::Xlsx) or
    /// [`Csv`](minsheng_model::ValueSource::Csv).
    pub rows: Vec<DataValue>,
    /// Everything that stops the import, in file order (at most [`MAX_ISSUES`]).
    pub errors: Vec<Issue>,
    /// Everything a person should look at, in file order (at most [`MAX_ISSUES`]).
    pub warnings: Vec<Issue>,
    /// How many errors there were in all, listed or not.
    pub error_count: usize,
    /// How many warnings there were in all, listed or not.
    pub warning_count: usize,
    /// Data rows read and checked (blank rows and rows marked deleted not counted).
    pub checked: usize,
    /// Rows that name an indicator but carry no value, numerator or denominator (not reported
    /// this period), and rows whose value is `-`, `—` or `/`.
    pub blank: usize,
    /// DHIS2 rows marked `deleted = true`, skipped.
    pub deleted: usize,
}

/// How many errors and how many warnings a report lists; the counts go on past it. A file
/// with more errors than this is usually wrong as a whole (a shifted column, another system's
/// ids), and the first ten thousand say so.
pub const MAX_ISSUES: usize = 10_000;

impl ImportReport {
    /// True when nothing stops the import.
    pub fn is_ok(&self) -> bool {
        self.error_count == 0
    }
}
