//! CSV in DHIS2's dataValueSet layout, through the `csv` crate.
//!
//! The encoding is detected, not asked for: a byte-order mark decides (UTF-8, UTF-16LE/BE, as
//! Excel's "Unicode text" writes); otherwise valid UTF-8 is UTF-8, and anything else is read as
//! GB18030 (a superset of GBK, what Excel and WPS write for "CSV" on Chinese Windows). Bytes
//! that are neither are refused with the place of the first bad byte.
//!
//! The delimiter is a comma, or a tab when the first line has tabs and no commas, or a
//! semicolon when it has semicolons only.
//!
//! The first record is a header when at least two of its cells name known columns (any
//! order, any case: `dataelement`, `period`, `orgunit`, `value`, `numerator` … or 指标, 地区,
//! 统计期, 本期值 …; unknown columns are ignored). Otherwise the file is read as a headerless
//! DHIS2 export in the standard order ([`DHIS2_COLUMNS`]), which needs at least six columns.
//! Rows are numbered as a spreadsheet program shows them: one per record, the header row 1.

use crate::layout::{DHIS2_COLUMNS, DHIS2_ROLES, Role, role_of_header};
use crate::report::Field;
use crate::validate::{Cell, Col, Columns, RowInput, Scope, Severity, Stated, Validator};
use encoding_rs::{Encoding, GB18030};
use std::borrow::Cow;

/// Decodes the bytes, or says why not.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, (String, String)> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        return match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) => Ok(text),
            None => Err((
                format!(
                    "文件开头标明是 {} 编码，但内容不是；请另存为 UTF-8 编码的 CSV",
                    encoding.name()
                ),
                format!(
                    "the file starts with a {} byte-order mark but is not valid {}; save it as UTF-8 CSV",
                    encoding.name(),
                    encoding.name()
                ),
            )),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(utf8_error) => match GB18030.decode_without_bom_handling_and_without_replacement(bytes)
        {
            Some(text) => Ok(Cow::Owned(text.into_owned())),
            None => {
                let at = utf8_error.valid_up_to();
                Err((
                    format!(
                        "文件既不是 UTF-8 也不是 GBK/GB18030 编码（第 {at} 字节处无法识别）；请另存为“CSV UTF-8”"
                    ),
                    format!(
                        "the file is neither UTF-8 nor GBK/GB18030 (undecodable at byte {at}); save it as “CSV UTF-8”"
                    ),
                ))
            }
        },
    }
}

fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    if count(',') > 0 {
        b','
    } else if count('\t') > 0 {
        b'\t'
    } else if count(';') > 0 {
        b';'
    } else {
        b','
    }
}

pub(super) fn read(v: &mut Validator<'_>, bytes: &[u8]) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    read_split(
        v,
        bytes,
        if cores < 2 {
            usize::MAX
        } else {
            TWO_THREADS_FROM
        },
    );
}

/// [`read`] on this thread alone, whatever the file's size: for a caller whose other core
/// has other work (storing the rows handed over).
pub(super) fn read_one_thread(v: &mut Validator<'_>, bytes: &[u8]) {
    read_split(v, bytes, usize::MAX);
}

/// [`read`], on two threads when the data rows hold at least `two_threads_from` bytes.
fn read_split(v: &mut Validator<'_>, bytes: &[u8], two_threads_from: usize) {
    if bytes.is_empty() {
        v.file_error(
            "文件是空的（0 字节）".to_string(),
            "the file is empty (0 bytes)".to_string(),
        );
        return;
    }
    let text = match decode(bytes) {
        Ok(text) => text,
        Err((zh, en)) => {
            v.file_error(zh, en);
            return;
        }
    };
    if text.contains('\0') {
        v.file_error(
            "这不是文本文件（含有二进制内容）；Excel 表格请以 .xlsx 导入".to_string(),
            "this is not a text file (it holds binary data); import a workbook as .xlsx"
                .to_string(),
        );
        return;
    }
    v.reserve(line_count(text.as_bytes()));
    let delimiter = delimiter(&text);
    let mut reader = csv_reader(text.as_bytes(), delimiter);
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    let next = |reader: &mut csv::Reader<&[u8]>, record: &mut csv::StringRecord| {
        reader.read_record(record)
    };

    // The first non-empty record: header or data.
    let first = loop {
        match next(&mut reader, &mut record) {
            Ok(false) => {
                v.file_error(
                    "文件中没有任何内容".to_string(),
                    "the file holds nothing".to_string(),
                );
                return;
            }
            Ok(true) => {
                row += 1;
                if record.iter().any(|f| !f.trim().is_empty()) {
                    break record.clone();
                }
            }
            Err(e) => {
                v.file_error(
                    format!("CSV 格式错误：{e}"),
                    format!("the CSV is malformed: {e}"),
                );
                return;
            }
        }
    };
    let recognised: Vec<Option<Role>> = first.iter().map(role_of_header).collect();
    let header = recognised.iter().filter(|r| r.is_some()).count() >= 2;
    let (roles, labels): (Vec<Option<Role>>, Vec<Col>) = if header {
        let labels = first.iter().map(|h| Col::header(h.trim())).collect();
        (recognised, labels)
    } else if first.len() >= 6 {
        let roles = (0..first.len())
            .map(|i| DHIS2_ROLES.get(i).copied())
            .collect();
        let labels = (0..first.len())
            .map(|i| Col::numbered(i + 1, DHIS2_COLUMNS.get(i).copied().unwrap_or("")))
            .collect();
        (roles, labels)
    } else {
        v.file_error(
            "无法识别各列：第1行应为表头，至少包含 dataelement（指标）、period（统计期）、orgunit（地区）、value（本期值）；或为没有表头的 DHIS2 标准导出（至少6列）".to_string(),
            "the columns are not recognised: row 1 should be a header with at least dataelement, period, orgunit and value, or the file a headerless DHIS2 export in the standard order (6 columns or more)".to_string(),
        );
        return;
    };

    // Role → column index; a data role twice is an error.
    let mut index: Vec<(Role, usize)> = Vec::new();
    let mut clash = false;
    for (i, role) in roles.iter().enumerate() {
        let Some(role) = *role else { continue };
        if role == Role::Reference {
            continue;
        }
        // 指标编码 and 指标名称 both name the indicator; keep them apart.
        if let Some(&(_, first)) = index.iter().find(|(r, _)| *r == role) {
            v.issue(
                Severity::Error,
                None,
                row,
                Some(&labels[i]),
                Field::File,
                format!("表头重复：与第{}列是同一项，请删去一列", first + 1),
                format!(
                    "repeated header: the same item as column {}; remove one",
                    first + 1
                ),
            );
            clash = true;
        } else {
            index.push((role, i));
        }
    }
    if clash {
        return;
    }
    let col_of = |role: Role| index.iter().find(|(r, _)| *r == role).map(|&(_, i)| i);
    let (id_col, name_col) = match (
        col_of(Role::IndicatorId),
        col_of(Role::Indicator),
        col_of(Role::IndicatorName),
    ) {
        (Some(id), _, name) => (Some(id), name),
        (None, Some(generic), name) => (Some(generic), name),
        (None, None, Some(name)) => (Some(name), None),
        (None, None, None) => (None, None),
    };
    let value_col = col_of(Role::Value);
    let numerator_col = col_of(Role::Numerator);
    let denominator_col = col_of(Role::Denominator);
    let mut missing = Vec::new();
    if id_col.is_none() {
        missing.push(("dataelement（指标）", "dataelement (indicator)"));
    }
    if col_of(Role::Period).is_none() {
        missing.push(("period（统计期）", "period"));
    }
    if col_of(Role::Region).is_none() {
        missing.push(("orgunit（地区）", "orgunit (region)"));
    }
    if value_col.is_none() && (numerator_col.is_none() || denominator_col.is_none()) {
        missing.push(("value（本期值）", "value"));
    }
    if !missing.is_empty() {
        let zh: Vec<&str> = missing.iter().map(|m| m.0).collect();
        let en: Vec<&str> = missing.iter().map(|m| m.1).collect();
        v.issue(
            Severity::Error,
            None,
            row,
            None,
            Field::File,
            format!("缺少必需的列：{}", zh.join("、")),
            format!("required columns are missing: {}", en.join(", ")),
        );
        return;
    }
    let label = |i: Option<usize>| i.map(|i| labels[i].clone()).unwrap_or_default();
    let scope = Scope {
        sheet: None,
        columns: Columns {
            indicator: label(id_col),
            indicator_name: label(name_col),
            region: label(col_of(Role::Region)),
            period: label(col_of(Role::Period)),
            unit: label(col_of(Role::Unit)),
            value: label(value_col),
            numerator: label(numerator_col),
            denominator: label(denominator_col),
            coc: label(col_of(Role::CategoryOptionCombo)),
        },
        region: Stated::None,
        period: Stated::None,
    };
    let scope_index = v.add_scope(scope);
    let cols = Cols {
        id: id_col,
        name: name_col,
        region: col_of(Role::Region),
        period: col_of(Role::Period),
        unit: col_of(Role::Unit),
        value: value_col,
        numerator: numerator_col,
        denominator: denominator_col,
        comment: col_of(Role::Comment),
        coc: col_of(Role::CategoryOptionCombo),
        deleted: col_of(Role::Deleted),
    };
    if !header {
        data_row(v, scope_index, &cols, row, &first);
    }
    let rest = reader.position().byte() as usize;
    let Some((cut, before)) = halfway(&text, rest, delimiter, two_threads_from) else {
        data_rows(v, scope_index, &cols, &mut reader, row, usize::MAX);
        return;
    };
    // A large file: the second half is checked on another thread; its rows, all after the
    // first half's, are appended, so the report is the same as one thread's.
    let mut part = v.for_part();
    std::thread::scope(|threads| {
        let cols = &cols;
        let second = threads.spawn(|| {
            let mut reader = csv_reader(&text.as_bytes()[cut..], delimiter);
            data_rows(
                &mut part,
                scope_index,
                cols,
                &mut reader,
                row + before,
                usize::MAX,
            );
        });
        data_rows(v, scope_index, cols, &mut reader, row, cut);
        if second.join().is_err() {
            // Checking a row does not panic; if it ever did, the file fails with an error
            // rather than importing half-checked.
            v.file_error(
                "读取文件后半部分时出错，请将文件发给技术支持".to_string(),
                "checking the second half of the file failed; send the file to support".to_string(),
            );
        }
    });
    v.append(part);
}

/// Files with less than this many bytes of data rows are checked on one thread.
const TWO_THREADS_FROM: usize = 4 << 20;

/// A reader of records (no header: the caller reads it), rows of any length.
fn csv_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// Where to cut the data rows that start at byte `start` of `text` to check them on two
/// threads: the byte at which the first record past the middle starts, and how many records
/// come before it. `None` for files with fewer than `from` bytes of rows, or when the text
/// cannot be read through to there (one thread then reports the error where it is).
fn halfway(text: &str, start: usize, delimiter: u8, from: usize) -> Option<(usize, usize)> {
    if text.len().saturating_sub(start) < from {
        return None;
    }
    let middle = (text.len() - start) / 2;
    let mut reader = csv_reader(&text.as_bytes()[start..], delimiter);
    let mut record = csv::ByteRecord::new();
    let mut records = 0;
    loop {
        let at = reader.position().byte() as usize;
        if at >= middle {
            return Some((start + at, records));
        }
        match reader.read_byte_record(&mut record) {
            Ok(true) => records += 1,
            Ok(false) | Err(_) => return None,
        }
    }
}

/// Checks the data records `reader` yields, numbering them on from `row`, until the record
/// that starts at byte `end` of the reader's input, or the last.
fn data_rows(
    v: &mut Validator<'_>,
    scope: u16,
    cols: &Cols,
    reader: &mut csv::Reader<&[u8]>,
    mut row: usize,
    end: usize,
) {
    let mut record = csv::StringRecord::new();
    while (reader.position().byte() as usize) < end {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                row += 1;
                data_row(v, scope, cols, row, &record);
            }
            Err(e) => {
                v.issue(
                    Severity::Error,
                    None,
                    row + 1,
                    None,
                    Field::Row,
                    format!("CSV 格式错误，无法继续读取：{e}"),
                    format!("the CSV is malformed and cannot be read further: {e}"),
                );
                break;
            }
        }
    }
}

/// Lines in the text, to reserve room for the rows.
fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Column indices by role.
struct Cols {
    id: Option<usize>,
    name: Option<usize>,
    region: Option<usize>,
    period: Option<usize>,
    unit: Option<usize>,
    value: Option<usize>,
    numerator: Option<usize>,
    denominator: Option<usize>,
    comment: Option<usize>,
    coc: Option<usize>,
    deleted: Option<usize>,
}

fn data_row(
    v: &mut Validator<'_>,
    scope: u16,
    cols: &Cols,
    row: usize,
    record: &csv::StringRecord,
) {
    if record.iter().all(|f| f.trim().is_empty()) {
        return;
    }
    let get = |i: Option<usize>| -> Option<Cell<'_>> {
        let i = i?;
        Some(match record.get(i) {
            Some(f) if !f.is_empty() => Cell::Text(f),
            _ => Cell::Empty,
        })
    };
    let input = RowInput {
        row,
        indicator: get(cols.id),
        indicator_name: get(cols.name),
        region: get(cols.region),
        period: get(cols.period),
        unit: get(cols.unit),
        value: get(cols.value),
        numerator: get(cols.numerator),
        denominator: get(cols.denominator),
        comment: get(cols.comment),
        coc: get(cols.coc),
        deleted: get(cols.deleted),
    };
    v.row(scope, &input);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ImportContext, ImportReport, KnownRegion};
    use minsheng_model::ValueSource;
    use std::fmt::Write as _;

    fn context() -> ImportContext {
        let catalog = minsheng_catalog::Catalog::from_toml(include_str!(
            "../../../../data/catalog/indicators.toml"
        ))
        .expect("catalog");
        let regions = ["532301", "532322", "532323", "532324"]
            .iter()
            .map(|code| KnownRegion {
                code: code.to_string(),
                names: Vec::new(),
            })
            .collect();
        ImportContext::from_catalog(&catalog, regions, "clerk", "2026-01-01T00:00:00Z")
    }

    fn report(ctx: &ImportContext, csv: &str, two_threads_from: usize) -> ImportReport {
        let mut v = Validator::new(ctx, "big.csv", ValueSource::Csv);
        read_split(&mut v, csv.as_bytes(), two_threads_from);
        v.finish()
    }

    /// A file checked in two halves reports exactly what one thread reports: the same rows,
    /// the same row numbers (past blank lines and comments that span lines), errors in both
    /// halves, a duplicate whose two rows fall in different halves, and a jump warning
    /// against a row of the other half.
    #[test]
    fn two_halves_report_what_one_thread_does() {
        let ctx = context();
        let mut csv = String::from("dataelement,period,orgunit,value,comment\n");
        let regions = ["532301", "532322", "532323", "532324"];
        for year in 2015..=2024 {
            for q in 1..=4 {
                for region in regions {
                    let value = if region == "532324" && year == 2020 && q == 2 {
                        "9".to_string() // a jump from ~95
                    } else {
                        format!("{}.5", 90 + (year + q) % 7)
                    };
                    let comment = if q == 3 { "\"核实，\n已报\"" } else { "" };
                    let _ = writeln!(
                        csv,
                        "immunization_coverage,{year}Q{q},{region},{value},{comment}"
                    );
                }
                if q == 2 {
                    csv.push('\n');
                }
            }
        }
        // Clean (with the jump), then with errors early and late and the first row again.
        let clean = report(&ctx, &csv, usize::MAX);
        assert_eq!(clean, report(&ctx, &csv, 0));
        assert_eq!((clean.error_count, clean.rows.len()), (0, 160));
        assert!(clean.warning_count >= 1, "{:?}", clean.warnings);
        assert_eq!(
            halfway(&csv, 40, b',', 0).map(|(_, before)| before > 10),
            Some(true)
        );

        csv = csv.replacen("2016Q1,532322,", "2016Q1,532322,x", 1);
        csv.push_str("immunization_coverage,2024Q4,532399,90,\n");
        csv.push_str("immunization_coverage,2015Q1,532301,91,\n");
        let one = report(&ctx, &csv, usize::MAX);
        let two = report(&ctx, &csv, 0);
        let rows: Vec<usize> = one.errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, [19, 162, 163], "{:?}", one.errors);
        assert!(one.errors[2].message_en.contains("duplicates row 2"));
        assert_eq!(one, two);

        // Handed over in batches of 7 as they are read, then given back: the same report;
        // each batch carries the errors found up to it (row 19's is in the third batch).
        let (handed, errors) = handed_over(&ctx, &csv, 7);
        assert_eq!(handed, one);
        assert_eq!(&errors[..3], [0, 0, 1]);
        assert!(errors.len() > 20);
    }

    /// The report of a file whose rows are handed over in batches of `batch` and given
    /// back, and the error count that came with each batch.
    fn handed_over(ctx: &ImportContext, csv: &str, batch: usize) -> (ImportReport, Vec<usize>) {
        let (to, from) = std::sync::mpsc::channel();
        let mut checked =
            crate::check_handing_over("big.csv", csv.as_bytes(), ctx, batch, move |part, count| {
                assert!(part.len() <= batch);
                to.send((part, count)).unwrap();
            });
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        // The sender went with the last batch.
        for (part, count) in from {
            rows.extend(part);
            errors.push(count);
        }
        checked.put_back(rows);
        (checked.finish(&[]), errors)
    }
}
