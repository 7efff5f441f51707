//! Workbooks (xlsx, xls, ods) through calamine.
//!
//! Every sheet but [`HELP_SHEET`] is looked at. A sheet's table is found by its header row (the
//! first of its top 30 rows naming an indicator column and a value, numerator or denominator
//! column); cells above it labelled 地区编码 / 地区 / 统计期 state the region and period of
//! every row that does not carry its own. A sheet without such a header is passed over (a
//! warning when it holds anything); a workbook where no sheet has one is an error.

use crate::layout::{HELP_SHEET, MetaLabel, Role, column_letter, meta_label, role_of_header};
use crate::report::Field;
use crate::validate::{Cell, Col, Columns, RowInput, Scope, Severity, Stated, Validator};
use calamine::{Data, Range, Reader, SheetVisible, Sheets, open_workbook_auto_from_rs};
use std::collections::HashMap;
use std::io::Cursor;

/// How far down a sheet the header row is looked for.
const HEADER_SEARCH_ROWS: usize = 30;

/// One sheet as read: its cells, and which cells are formatted as percentages.
struct SheetData {
    name: String,
    hidden: bool,
    range: Range<Data>,
    percent: Option<calamine::StyleRange>,
}

/// Reads every sheet of the workbook, inside a panic guard: a malformed file that makes the
/// reader panic is reported like any unreadable file.
/// The sheets read, and the sheets that could not be read with the reason.
type Loaded = (Vec<SheetData>, Vec<(String, String)>);

fn load(bytes: &[u8]) -> Result<Loaded, String> {
    let run = || -> Result<Loaded, String> {
        let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let meta: Vec<(String, bool)> = wb
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
            .collect();
        let mut sheets = Vec::new();
        let mut failed = Vec::new();
        for (name, hidden) in meta {
            if name == HELP_SHEET {
                continue;
            }
            match wb.worksheet_range(&name) {
                Ok(range) => {
                    let percent = match &mut wb {
                        Sheets::Xlsx(x) => x.worksheet_style(&name).ok(),
                        _ => None,
                    };
                    sheets.push(SheetData {
                        name,
                        hidden,
                        range,
                        percent,
                    });
                }
                Err(e) => failed.push((name, e.to_string())),
            }
        }
        Ok((sheets, failed))
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(_) => Err("the reader stopped on malformed content".to_string()),
    }
}

/// What a byte prefix says the file is, for the message when it cannot be opened.
fn looks_like(bytes: &[u8]) -> (&'static str, &'static str) {
    if bytes.starts_with(b"PK\x03\x04") {
        (
            "文件已损坏或不完整（压缩包无法解开）",
            "the file is damaged or incomplete (the zip container cannot be read)",
        )
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        (
            "文件可能已加密（设置了打开密码）或已损坏",
            "the file may be encrypted (password to open) or damaged",
        )
    } else if bytes.starts_with(b"%PDF") {
        (
            "这是 PDF 文件，不是 Excel 表格",
            "this is a PDF, not a spreadsheet",
        )
    } else {
        (
            "这不是 Excel 表格文件（.xlsx/.xls/.ods）；如是 CSV 请以 .csv 导入",
            "this is not a spreadsheet (.xlsx/.xls/.ods); import a CSV as .csv",
        )
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
    let (sheets, failed) = match load(bytes) {
        Ok(x) => x,
        Err(reason) => {
            let (zh, en) = looks_like(bytes);
            v.file_error(
                format!("无法打开表格：{zh}。请用 Excel 或 WPS 重新保存为 .xlsx 后再导入"),
                format!("the workbook cannot be opened: {en} ({reason}); save it again as .xlsx in Excel or WPS and retry"),
            );
            return;
        }
    };
    for (name, reason) in failed {
        v.issue(
            Severity::Error,
            Some(&name),
            0,
            None,
            Field::Sheet,
            "工作表无法读取，可能已损坏".to_string(),
            format!("the sheet cannot be read ({reason})"),
        );
    }
    let mut tables = 0;
    for sheet in &sheets {
        if read_sheet(v, sheet) {
            tables += 1;
        }
    }
    if tables == 0 && v.error_count() == 0 {
        v.file_error(
            "没有找到填报表：任何工作表的前30行中都没有同时含“指标编码”（或“指标名称”）和“本期值”的表头行；请使用系统生成的填报模板".to_string(),
            "no reporting table found: no sheet has a header row (within its first 30 rows) naming an indicator column (指标编码 / indicator) and a value column (本期值 / value); use the template minsheng generates".to_string(),
        );
    }
}

/// A calamine cell as the validator sees it.
fn cell<'a>(data: Option<&'a Data>, percent: bool) -> Cell<'a> {
    match data {
        None | Some(Data::Empty) => Cell::Empty,
        Some(Data::String(s)) => Cell::Text(s),
        Some(Data::Float(f)) => Cell::Number { value: *f, percent },
        Some(Data::Int(i)) => Cell::Number {
            value: *i as f64,
            percent,
        },
        Some(Data::Bool(b)) => Cell::Other {
            shown: if *b { "TRUE" } else { "FALSE" }.to_string(),
            zh: "逻辑值（是/否）",
            en: "a true/false value",
        },
        Some(Data::DateTime(d)) => Cell::Other {
            shown: d.to_string(),
            zh: "日期",
            en: "a date",
        },
        Some(Data::DateTimeIso(s)) => Cell::Other {
            shown: s.clone(),
            zh: "日期",
            en: "a date",
        },
        Some(Data::DurationIso(s)) => Cell::Other {
            shown: s.clone(),
            zh: "时长",
            en: "a duration",
        },
        Some(Data::Error(e)) => Cell::Other {
            shown: e.to_string(),
            zh: "公式错误",
            en: "a formula error",
        },
    }
}

fn is_percent(styles: Option<&calamine::StyleRange>, pos: (u32, u32)) -> bool {
    styles
        .and_then(|s| s.get(pos))
        .and_then(|s| s.number_format.as_ref())
        .is_some_and(|f| {
            matches!(f.format_id, Some(9 | 10)) || f.format_code.replace("\"%\"", "").contains('%')
        })
}

/// The text of a cell, for header and label matching.
fn text_of(data: &Data) -> Option<&str> {
    match data {
        Data::String(s) => Some(s),
        _ => None,
    }
}

/// Reads one sheet; returns whether it held a table.
fn read_sheet(v: &mut Validator<'_>, sheet: &SheetData) -> bool {
    let range = &sheet.range;
    let Some((row0, col0)) = range.start() else {
        return false;
    };
    let name = sheet.name.as_str();
    let rows: Vec<&[Data]> = range.rows().collect();
    // The header row: roles by absolute column.
    let mut header = None;
    for (i, cells) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let roles: Vec<(u32, Role)> = cells
            .iter()
            .enumerate()
            .filter_map(|(j, d)| Some((col0 + j as u32, role_of_header(text_of(d)?)?)))
            .collect();
        let has = |r: Role| roles.iter().any(|(_, x)| *x == r);
        let indicator = has(Role::IndicatorId) || has(Role::IndicatorName) || has(Role::Indicator);
        let value = has(Role::Value) || has(Role::Numerator) || has(Role::Denominator);
        if indicator && value {
            header = Some((i, roles));
            break;
        }
    }
    let Some((header_index, roles)) = header else {
        if rows.len() > 1 || rows.iter().any(|r| r.iter().any(|d| *d != Data::Empty)) {
            v.issue(
                Severity::Warning,
                Some(name),
                0,
                None,
                Field::Sheet,
                "此工作表没有填报表头（指标编码、本期值），未读取".to_string(),
                "this sheet has no reporting header (indicator, value) and was not read"
                    .to_string(),
            );
        }
        return false;
    };
    if sheet.hidden {
        v.issue(
            Severity::Warning,
            Some(name),
            0,
            None,
            Field::Sheet,
            "这是隐藏的工作表，未读取；要导入其中的数据，请先取消隐藏".to_string(),
            "this sheet is hidden and was not read; unhide it to import its values".to_string(),
        );
        return false;
    }
    let header_row = row0 as usize + header_index + 1;

    // Columns by role; a data role claimed twice is an error.
    let mut cols: HashMap<Role, u32> = HashMap::new();
    let mut clash = false;
    for &(c, role) in &roles {
        if matches!(role, Role::Reference) {
            continue;
        }
        if let Some(&first) = cols.get(&role) {
            v.issue(
                Severity::Error,
                Some(name),
                header_row,
                Some(&Col::letter(column_letter(c))),
                Field::Sheet,
                format!(
                    "表头重复：{}列和{}列是同一项，请删去一列",
                    column_letter(first),
                    column_letter(c)
                ),
                format!(
                    "repeated header: columns {} and {} hold the same item; remove one",
                    column_letter(first),
                    column_letter(c)
                ),
            );
            clash = true;
        } else {
            cols.insert(role, c);
        }
    }
    if clash {
        return true;
    }
    let (id_role, name_role) = match (
        cols.get(&Role::IndicatorId),
        cols.get(&Role::IndicatorName),
        cols.get(&Role::Indicator),
    ) {
        (Some(_), _, _) => (Role::IndicatorId, Role::IndicatorName),
        (None, Some(_), Some(_)) => (Role::Indicator, Role::IndicatorName),
        (None, Some(_), None) => (Role::IndicatorName, Role::IndicatorName),
        _ => (Role::Indicator, Role::IndicatorName),
    };
    let label = |role: Role| {
        cols.get(&role)
            .map(|&c| Col::letter(column_letter(c)))
            .unwrap_or_default()
    };
    let columns = Columns {
        indicator: label(id_role),
        indicator_name: if name_role == id_role {
            Col::default()
        } else {
            label(name_role)
        },
        region: label(Role::Region),
        period: label(Role::Period),
        unit: label(Role::Unit),
        value: label(Role::Value),
        numerator: label(Role::Numerator),
        denominator: label(Role::Denominator),
        coc: label(Role::CategoryOptionCombo),
    };

    // Metadata above the header: 地区编码, 地区, 统计期.
    let mut region_code = None;
    let mut region_name = None;
    let mut period = None;
    for (i, cells) in rows.iter().enumerate().take(header_index) {
        for (j, d) in cells.iter().enumerate() {
            let Some(text) = text_of(d) else { continue };
            let (label_text, inline) = match text.split_once(['：', ':']) {
                Some((l, rest)) if !rest.trim().is_empty() => (l, Some(rest.trim())),
                _ => (text, None),
            };
            let Some(which) = meta_label(label_text) else {
                continue;
            };
            let found = match inline {
                Some(rest) => Some((j, Cell::Text(rest))),
                None => cells
                    .iter()
                    .enumerate()
                    .skip(j + 1)
                    .find(|(_, d)| **d != Data::Empty)
                    .filter(|(_, d)| text_of(d).is_none_or(|t| meta_label(t).is_none()))
                    .map(|(k, d)| (k, cell(Some(d), false))),
            };
            let Some((k, value)) = found else { continue };
            let at = (row0 as usize + i + 1, col0 + k as u32);
            let slot = match which {
                MetaLabel::RegionCode => &mut region_code,
                MetaLabel::RegionName => &mut region_name,
                MetaLabel::Period => &mut period,
            };
            if slot.is_none() {
                *slot = Some((at, value));
            }
        }
    }
    let stated_region = match region_code.or(region_name) {
        Some(((r, c), cell)) => {
            v.stated_region(Some(name), r, &Col::letter(column_letter(c)), &cell)
        }
        None => Stated::None,
    };
    let stated_period = match period {
        Some(((r, c), cell)) => {
            v.stated_period(Some(name), r, &Col::letter(column_letter(c)), &cell)
        }
        None => Stated::None,
    };
    let mut scope = Scope {
        sheet: Some(name.to_string()),
        columns,
        region: stated_region,
        period: stated_period,
    };
    for (has_column, stated, zh, en) in [
        (
            cols.contains_key(&Role::Region),
            matches!(scope.region, Stated::None),
            "不知道是哪个地区的数据：表头上方没有“地区编码”，表中也没有“地区”列",
            "the region is not stated: no 地区编码 (region code) above the header and no region column",
        ),
        (
            cols.contains_key(&Role::Period),
            matches!(scope.period, Stated::None),
            "不知道是哪个统计期的数据：表头上方没有“统计期”，表中也没有“统计期”列",
            "the period is not stated: no 统计期 (period) above the header and no period column",
        ),
    ] {
        if !has_column && stated {
            v.issue(
                Severity::Error,
                Some(name),
                0,
                None,
                Field::Sheet,
                zh.to_string(),
                en.to_string(),
            );
        }
    }
    if !cols.contains_key(&Role::Region) && scope.region == Stated::None {
        scope.region = Stated::Failed;
    }
    if !cols.contains_key(&Role::Period) && scope.period == Stated::None {
        scope.period = Stated::Failed;
    }
    let scope_index = v.add_scope(scope);

    let at = |cells: &'_ [Data], role: Role| -> Option<(usize, u32)> {
        let c = *cols.get(&role)?;
        let j = (c - col0) as usize;
        (j < cells.len()).then_some((j, c))
    };
    for (i, cells) in rows.iter().enumerate().skip(header_index + 1) {
        if cells.iter().all(|d| *d == Data::Empty) {
            continue;
        }
        let abs_row = row0 + i as u32;
        let get = |role: Role| -> Option<Cell<'_>> {
            if !cols.contains_key(&role) {
                return None;
            }
            Some(match at(cells, role) {
                Some((j, c)) => cell(
                    Some(&cells[j]),
                    role == Role::Value && is_percent(sheet.percent.as_ref(), (abs_row, c)),
                ),
                None => Cell::Empty,
            })
        };
        let input = RowInput {
            row: abs_row as usize + 1,
            indicator: get(id_role),
            indicator_name: if name_role == id_role {
                None
            } else {
                get(name_role)
            },
            region: get(Role::Region),
            period: get(Role::Period),
            unit: get(Role::Unit),
            value: get(Role::Value),
            numerator: get(Role::Numerator),
            denominator: get(Role::Denominator),
            comment: get(Role::Comment),
            coc: get(Role::CategoryOptionCombo),
            deleted: get(Role::Deleted),
        };
        v.row(scope_index, &input);
    }
    true
}
