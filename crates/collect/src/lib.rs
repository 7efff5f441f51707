//! minsheng-collect: 填报 — reporting templates and validated imports of indicator values.
//!
//! County clerks report indicator values in an Excel workbook minsheng writes for them, or in
//! a CSV (DHIS2's dataValueSet layout, so a DHIS2 export imports); a prefecture reviews them.
//! This crate writes the workbook ([`template::write`]) and reads filled-in workbooks and CSVs
//! into checked [`DataValue`](minsheng_model::DataValue)s ([`import::read`],
//! [`import::read_xlsx`], [`import::read_csv`]). It does no I/O and no database work: the
//! caller passes in what it knows ([`ImportContext`]: indicators, regions, stored values, who
//! and when) and stores the rows of the returned [`ImportReport`].
//!
//! - [`template`]: the reporting workbook — sheet 填报 with a title, metadata (region code in
//!   B2, period in F2), instructions, a bilingual header in row 4 and one indicator per row
//!   from row 5; protected, with data validation on the cells to fill; sheet 说明 explains.
//! - [`import`]: workbooks (xlsx, xls, ods through calamine) and CSV (through the csv crate;
//!   UTF-8, UTF-16 with BOM or GB18030/GBK, detected).
//! - [`layout`]: the positions and column names both sides share.
//! - [`ImportReport`] and [`Issue`]: rows, errors and warnings, each issue with file, sheet,
//!   row, column, field and a message in Chinese and in English.
//!
//! # What an import checks
//!
//! Every cell of every data row; messages say the place, what is wrong and what is expected,
//! Chinese first (`第12行F列：本期值“九十”不是数字；请只填阿拉伯数字（如 95.5）` /
//! `row 12, column F: the value “九十” is not a number; write digits only (e.g. 95.5)`):
//!
//! - **indicator**: our id, the catalog name or a synonym (compared as the catalog compares
//!   wordings); an unknown one is an error that suggests the closest names. When a row gives
//!   both id and name (the template does), they must agree.
//! - **region**: code (6 digits, or 12 padded with zeros) or a name the caller lists; a name
//!   two regions share is refused, naming both codes. A workbook states it once above the
//!   header (地区编码); a CSV per row (orgunit).
//! - **period**: `2024`, `2024Q1`, `202401` (also `2024-01`, `2024年`, `2024年第1季度`); a
//!   period that has not begun by [`ImportContext::now`] is refused.
//! - **number**: digits, with `,` grouping by thousands and full-width digits allowed;
//!   words (`九十`), dates, formula errors and `NaN` are refused. `-`, `—` and `/` mean "no
//!   data" and the row is skipped (counted in [`ImportReport::blank`]). A unit written after
//!   the number or in a 单位 column is checked against the indicator's:
//! - **unit**: the same unit passes; `90%` is 90 for a rate in %; a cell formatted as a
//!   percentage in Excel (which stores 90% as 0.9) is read as the percentage it shows. A unit
//!   of the same base and another scale is **converted**, with a warning (1.5万人 → 15000 for
//!   an indicator in 人; 亿元 → 万元), because the intent is plain and the reviewer sees the
//!   warning; any other unit (% for ‰, 个 for %, 所 for 个) is **refused**: % and ‰ look
//!   alike but mean different indicators, and 所 vs 个 may count different things.
//! - **range**: a rate in % 0–100, in ‰ 0–1000, per 10万 0–100 000; counts, amounts,
//!   per-capita values and ratios ≥ 0; counts of single things (unit 人, 个, 所 … without 万)
//!   whole numbers.
//! - **numerator and denominator**: for rates only (an error elsewhere); both or neither;
//!   ≥ 0; denominator not 0; numerator ≤ denominator. With the value blank the value is
//!   computed (numerator ÷ denominator × 100, or × 1000 for ‰); with both, the value must
//!   match within the rounding of the value as written (95.8 stands for 95.75–95.85).
//! - **duplicates**: the same indicator, region and period twice in one file is an error
//!   naming both rows.
//! - **DHIS2 columns**: `categoryoptioncombo` other than `default` is refused (minsheng keeps
//!   totals); rows with `deleted = true` are skipped and counted; `storedby`, `lastupdated`,
//!   `followup`, `attributeoptioncombo` are ignored (who and when are the importer's).
//! - **jump** (a warning): against the latest earlier value of the same kind of period (year
//!   with year, quarter with quarter) from [`ImportContext::previous`] or from the file
//!   itself, a relative change beyond [`ImportContext::jump_threshold`] (default 50 %), or a
//!   change from 0. A stored value of the same period that differs is also a warning: the
//!   import replaces it (the store keeps the old one in the audit trail).
//!
//! Any error and [`ImportReport::rows`] is empty: nothing of the file is imported. A file
//! that cannot be read at all (truncated, encrypted, not a spreadsheet, undecodable text) is
//! one error; no bytes make the importer panic. Reports list at most
//! [`report::MAX_ISSUES`] errors and as many warnings, and count all.
//!
//! # Choices
//!
//! - The importer finds a sheet's header row and metadata by their names, not their
//!   positions: the template's layout reads, and so does a sheet laid out by hand with the
//!   same headers (or with 地区 and 统计期 columns instead of the metadata).
//! - Rows are matched to indicators through the catalog's compare key, so a name copied from
//!   a plan with full-width brackets or a leading 全州 still links.
//! - Re-importing a file yields the same rows; storing them idempotently and keeping older
//!   values in the audit trail is the store's work.
//! - Hidden sheets are not read (a warning says so), nor is 说明; the template's protection
//!   has no password: it prevents slips, and a clerk who must fix a header can.
//! - A region, period or indicator name is resolved once per file and remembered; duplicates
//!   and jumps are found by sorting all values once, not by a lookup per row: 1,000,000 CSV
//!   rows validate in about 0.65 s on one core (`benches/import.rs`).
//! - A CSV with 4 MB or more of rows is checked in two halves on two threads, cut at a
//!   record boundary the CSV parser finds (so a comment spanning lines is never split); the
//!   second half's rows, errors and warnings are appended to the first's, and the report is
//!   the one a single thread gives (a unit test compares them). Workbooks are read on one.
//! - Numbers keep the precision written; a value computed from numerator and denominator
//!   is kept unrounded; a percentage-formatted cell or a converted unit is rounded to the
//!   decimals written, so 0.955 → 95.5 and 0.691万 → 6910 carry no binary noise.

pub mod context;
pub mod import;
pub mod layout;
mod number;
pub mod report;
pub mod template;
mod validate;

pub use context::{
    DEFAULT_JUMP_THRESHOLD, ImportContext, KnownIndicator, KnownRegion, PreviousValue,
};
pub use import::{
    CheckedFile, FileKind, FormRow, check, check_handing_over, detect, read, read_csv, read_form,
    read_xlsx,
};
pub use report::{Field, ImportReport, Issue};
pub use template::{
    Entry, FilledRow, TemplateError, TemplateRequest, TemplateRow, TemplateTarget, write,
    write_filled,
};
