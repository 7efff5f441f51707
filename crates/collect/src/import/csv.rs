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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
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
    loop {
        match next(&mut reader, &mut record) {
            Ok(false) => break,
            Ok(true) => {
                row += 1;
                data_row(v, scope_index, &cols, row, &record);
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
