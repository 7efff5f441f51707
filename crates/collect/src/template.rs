//! 填报模板: the reporting workbook a region fills in.
//!
//! Sheet [`SHEET`] (填报), laid out as [`crate::layout`] describes:
//!
//! | row | content |
//! |---|---|
//! | 1 | title, merged over A–J |
//! | 2 | metadata: A2 `地区编码 Region code` B2 code · C2 `地区 Region` D2 name · E2 `统计期 Period` F2 `2024Q1` · G2 `填报部门 Department` H2 · I2 `模板版本 Template` J2 `minsheng-collect/1` |
//! | 3 | 模板说明: how to fill it in, merged over A–J |
//! | 4 | header: 指标编码 · 指标名称 · 单位 · 目标 · 上期值 · 本期值 · 分子 · 分母 · 备注 · 牵头单位, each with its English name |
//! | 5… | one indicator per row |
//!
//! The sheet is protected (no password: it guards against slips, not people): only 本期值,
//! 备注 and — for rates — 分子 and 分母 are unlocked, shown white; everything else is grey.
//! Every unlocked number cell has data validation: a rate 0–100 (‰ 0–1000, 1/10万 0–100 000),
//! a count of single things a whole number ≥ 0, anything else a number ≥ 0; numerator and
//! denominator ≥ 0; a comment at most 500 characters. The header rows and the first two
//! columns are frozen. Sheet [`HELP_SHEET`] (说明) explains filling in and what the import
//! checks, in Chinese and English.

use crate::layout::{
    COL_COMMENT, COL_DENOMINATOR, COL_ID, COL_LEAD, COL_NAME, COL_NUMERATOR, COL_PREVIOUS,
    COL_TARGET, COL_UNIT, COL_VALUE, COLUMNS, FIRST_DATA_ROW, HEADER_ROW, HELP_SHEET, META_ROW,
    NOTE_ROW, SHEET, TEMPLATE_VERSION, TITLE_ROW,
};
use minsheng_catalog::Kind;
use minsheng_catalog::unit::{UnitFamily, parse_unit};
use minsheng_model::{Op, Period};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, Format,
    FormatAlign, FormatBorder, Note, ProtectionOptions, Workbook, Worksheet, XlsxError,
};
use std::collections::HashMap;

/// What to put in a reporting workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRequest {
    /// The reporting region's code (GB/T 2260), written to [`crate::layout::REGION_CODE_CELL`].
    pub region_code: String,
    /// The region's name, for the title and [`crate::layout::REGION_NAME_CELL`].
    pub region_name: String,
    /// 统计期, written to [`crate::layout::PERIOD_CELL`] as `2024`, `2024Q1` or `202401`.
    pub period: Period,
    /// 填报部门: the department filling it in, when the template is for one.
    pub department: Option<String>,
    /// The indicators, in the order to show them.
    pub rows: Vec<TemplateRow>,
}

/// One indicator to report.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRow {
    pub indicator_id: String,
    pub indicator_name: String,
    /// The unit values are reported in (the catalog's).
    pub unit: String,
    /// Rates and per-mille rates get numerator and denominator cells.
    pub kind: Kind,
    /// The plan's target, shown for reference.
    pub target: Option<TemplateTarget>,
    /// The last reported value and its period, shown for reference.
    pub last_value: Option<(Period, f64)>,
    /// 牵头单位.
    pub lead_unit: Option<String>,
}

/// A target as the template shows it: `≥95%（2025年）`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TemplateTarget {
    pub op: Op,
    pub value: f64,
    /// The year it is to be reached by.
    pub year: Option<i32>,
}

/// What [`write_filled`] enters in a row's cells.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Number(f64),
    /// Text as a clerk might type it (`95.5`, `90%`, `九十`).
    Text(String),
}

/// Values to enter in the row of one indicator.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FilledRow {
    pub indicator_id: String,
    pub value: Option<Entry>,
    pub numerator: Option<Entry>,
    pub denominator: Option<Entry>,
    pub comment: Option<String>,
}

/// Why a template could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// No indicators to report: the region's plans (and its parent's) set none.
    #[error(
        "no indicators to report for {region}: its plans and its parent's set no indicator targets"
    )]
    NoRows { region: String },
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Writes the reporting workbook for a region and period, as xlsx bytes.
pub fn write(request: &TemplateRequest) -> Result<Vec<u8>, TemplateError> {
    build(request, &[])
}

/// Writes the workbook with values entered, as a clerk would: for tests, demonstrations and
/// for returning a workbook with what was already reported. Rows are matched by indicator id.
pub fn write_filled(
    request: &TemplateRequest,
    filled: &[FilledRow],
) -> Result<Vec<u8>, TemplateError> {
    build(request, filled)
}

/// The period as a title shows it: 2024年, 2024年第1季度, 2024年1月.
pub fn period_label(period: Period) -> String {
    match period {
        Period::Year(y) => format!("{y}年"),
        Period::Quarter(y, q) => format!("{y}年第{q}季度"),
        Period::Month(y, m) => format!("{y}年{m}月"),
    }
}

fn op_sign(op: Op) -> &'static str {
    match op {
        Op::AtLeast => "≥",
        Op::AtMost => "≤",
        Op::Equal => "",
    }
}

fn show(v: f64) -> String {
    crate::number::show(v)
}

/// `≥95%（2025年）`.
pub fn target_text(target: &TemplateTarget, unit: &str) -> String {
    let mut s = format!("{}{}{}", op_sign(target.op), show(target.value), unit);
    if let Some(y) = target.year {
        s.push_str(&format!("（{y}年）"));
    }
    s
}

/// The largest value a rate of this unit can take.
fn rate_max(unit: &str, kind: Kind) -> f64 {
    match parse_unit(unit) {
        Some(u) if u.family == UnitFamily::Rate => match u.base.as_str() {
            "‰" => 1000.0,
            "1/10万" => 100_000.0,
            _ => 100.0,
        },
        _ if kind == Kind::PerMille => 1000.0,
        _ => 100.0,
    }
}

struct Formats {
    title: Format,
    label: Format,
    meta: Format,
    note: Format,
    header: Format,
    locked_text: Format,
    locked_number: Format,
    input_number: Format,
    input_text: Format,
    disabled: Format,
    help_title: Format,
    help_heading: Format,
    help_text: Format,
}

fn formats() -> Formats {
    let grey = Color::RGB(0xF2F2F2);
    let border = |f: Format| {
        f.set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF))
    };
    Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        label: border(Format::new().set_bold().set_background_color(grey)),
        meta: border(Format::new().set_background_color(grey)),
        note: Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_font_size(10)
            .set_font_color(Color::RGB(0x404040)),
        header: border(
            Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2)),
        ),
        locked_text: border(
            Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(grey),
        ),
        locked_number: border(
            Format::new()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(grey),
        ),
        input_number: border(
            Format::new()
                .set_unlocked()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::White),
        ),
        input_text: border(
            Format::new()
                .set_unlocked()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::White),
        ),
        disabled: border(Format::new().set_background_color(Color::RGB(0xD9D9D9))),
        help_title: Format::new().set_bold().set_font_size(14),
        help_heading: Format::new().set_bold().set_font_size(11),
        help_text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
    }
}

/// 0-based row of a 1-based layout row.
fn r0(row: u32) -> u32 {
    row - 1
}

fn build(request: &TemplateRequest, filled: &[FilledRow]) -> Result<Vec<u8>, TemplateError> {
    if request.rows.is_empty() {
        return Err(TemplateError::NoRows {
            region: format!("{} {}", request.region_code, request.region_name),
        });
    }
    let f = formats();
    let mut sheet = Worksheet::new();
    sheet.set_name(SHEET)?;
    let last_col = (COLUMNS.len() - 1) as u16;
    for (i, (_, _, _, width)) in COLUMNS.iter().enumerate() {
        sheet.set_column_width(i as u16, *width)?;
    }

    // Title, metadata, instructions.
    let period_zh = period_label(request.period);
    let title = format!(
        "{}{}基本公共服务提升行动指标填报表 / Basic public services indicator report: {}, {}",
        request.region_name, period_zh, request.region_name, request.period
    );
    sheet.set_row_height(r0(TITLE_ROW), 28)?;
    sheet.merge_range(r0(TITLE_ROW), 0, r0(TITLE_ROW), last_col, &title, &f.title)?;
    let meta_row = r0(META_ROW);
    let department = request.department.clone().unwrap_or_default();
    let period_text = request.period.to_string();
    let meta: [(&str, &str); 5] = [
        ("地区编码 Region code", &request.region_code),
        ("地区 Region", &request.region_name),
        ("统计期 Period", &period_text),
        ("填报部门 Department", &department),
        ("模板版本 Template", TEMPLATE_VERSION),
    ];
    for (i, (label, value)) in meta.iter().enumerate() {
        let col = (i * 2) as u16;
        sheet.write_string_with_format(meta_row, col, *label, &f.label)?;
        sheet.write_string_with_format(meta_row, col + 1, *value, &f.meta)?;
    }
    let note = "模板说明：请在白色单元格中填写“本期值”；率类指标也可只填“分子”“分母”，由系统算出本期值。灰色单元格是指标信息，已锁定。\
数值只填阿拉伯数字，不带单位和%号（95.5% 填 95.5）；本期没有数据的指标留空。详见“说明”工作表。\n\
How to fill in: enter each value in the white cells; for rates you may give the numerator and denominator instead. Grey cells are locked. \
Digits only, without units or % (95.5% is 95.5); leave indicators without data empty. See the sheet “说明” for details.";
    sheet.set_row_height(r0(NOTE_ROW), 66)?;
    sheet.merge_range(r0(NOTE_ROW), 0, r0(NOTE_ROW), last_col, note, &f.note)?;

    // Header. The 上期值 header names the period when all rows share one.
    let periods: Vec<Period> = request
        .rows
        .iter()
        .filter_map(|r| r.last_value.map(|(p, _)| p))
        .collect();
    let common = periods
        .first()
        .copied()
        .filter(|p| periods.iter().all(|q| q == p));
    sheet.set_row_height(r0(HEADER_ROW), 34)?;
    for (i, (_, zh, en, _)) in COLUMNS.iter().enumerate() {
        let text = match (i as u16, common) {
            (COL_PREVIOUS, Some(p)) => format!("{zh}（{p}）\n{en} ({p})"),
            _ => format!("{zh}\n{en}"),
        };
        sheet.write_string_with_format(r0(HEADER_ROW), i as u16, &text, &f.header)?;
    }

    let filled: HashMap<&str, &FilledRow> = filled
        .iter()
        .map(|r| (r.indicator_id.as_str(), r))
        .collect();
    for (k, row) in request.rows.iter().enumerate() {
        let r = r0(FIRST_DATA_ROW) + k as u32;
        sheet.write_string_with_format(r, COL_ID, &row.indicator_id, &f.locked_text)?;
        sheet.write_string_with_format(r, COL_NAME, &row.indicator_name, &f.locked_text)?;
        sheet.write_string_with_format(r, COL_UNIT, &row.unit, &f.locked_text)?;
        let target = row
            .target
            .as_ref()
            .map(|t| target_text(t, &row.unit))
            .unwrap_or_default();
        sheet.write_string_with_format(r, COL_TARGET, &target, &f.locked_text)?;
        match row.last_value {
            Some((p, v)) => {
                sheet.write_number_with_format(r, COL_PREVIOUS, v, &f.locked_number)?;
                if common.is_none() {
                    let note = Note::new(format!("统计期 Period: {p}")).set_author("minsheng");
                    sheet.insert_note(r, COL_PREVIOUS, &note)?;
                }
            }
            None => {
                sheet.write_blank(r, COL_PREVIOUS, &f.locked_number)?;
            }
        }
        sheet.write_blank(r, COL_VALUE, &f.input_number)?;
        let rate = row.kind.is_rate();
        for col in [COL_NUMERATOR, COL_DENOMINATOR] {
            sheet.write_blank(r, col, if rate { &f.input_number } else { &f.disabled })?;
        }
        sheet.write_blank(r, COL_COMMENT, &f.input_text)?;
        sheet.write_string_with_format(
            r,
            COL_LEAD,
            row.lead_unit.as_deref().unwrap_or(""),
            &f.locked_text,
        )?;
        add_validation(&mut sheet, r, row)?;
        if let Some(entry) = filled.get(row.indicator_id.as_str()) {
            for (col, value) in [
                (COL_VALUE, &entry.value),
                (COL_NUMERATOR, &entry.numerator),
                (COL_DENOMINATOR, &entry.denominator),
            ] {
                match value {
                    Some(Entry::Number(v)) => {
                        sheet.write_number_with_format(r, col, *v, &f.input_number)?;
                    }
                    Some(Entry::Text(t)) => {
                        sheet.write_string_with_format(r, col, t, &f.input_number)?;
                    }
                    None => {}
                }
            }
            if let Some(c) = &entry.comment {
                sheet.write_string_with_format(r, COL_COMMENT, c, &f.input_text)?;
            }
        }
    }
    sheet.set_freeze_panes(r0(FIRST_DATA_ROW), COL_UNIT)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    });
    sheet.set_active(true);

    let mut help = help_sheet(&f, request)?;
    help.protect();

    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{}{}指标填报表", request.region_name, period_zh))
            .set_subject("基本公共服务提升行动指标填报 / Basic public services indicator report")
            .set_author("minsheng")
            .set_comment(format!(
                "region={} period={} template={TEMPLATE_VERSION}",
                request.region_code, request.period
            )),
    );
    workbook.push_worksheet(sheet);
    workbook.push_worksheet(help);
    Ok(workbook.save_to_buffer()?)
}

/// Data validation of one indicator's input cells.
fn add_validation(sheet: &mut Worksheet, r: u32, row: &TemplateRow) -> Result<(), XlsxError> {
    let unit = row.unit.as_str();
    let whole = row.kind == Kind::Count
        && parse_unit(unit).is_some_and(|u| u.scale == 1.0 && u.family != UnitFamily::Rate);
    let (rule_zh, rule_en, validation) = if row.kind.is_rate() {
        let max = rate_max(unit, row.kind);
        (
            format!(
                "填 0 到 {} 之间的数，不带{unit}号；也可只填分子、分母。",
                show(max)
            ),
            format!(
                "A number from 0 to {}, without {unit}; or give numerator and denominator.",
                show(max)
            ),
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, max)),
        )
    } else if whole {
        (
            "填不小于 0 的整数。".to_string(),
            "A whole number, 0 or more.".to_string(),
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
        )
    } else {
        (
            "填不小于 0 的数。".to_string(),
            "A number, 0 or more.".to_string(),
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
        )
    };
    let message = format!("单位：{unit}。{rule_zh}\nUnit: {unit}. {rule_en}");
    let validation = validation
        .set_input_title("本期值 Value")?
        .set_input_message(truncate(&message, 250))?
        .set_error_title("数值不符合要求 Invalid value")?
        .set_error_message(truncate(&message, 250))?
        .set_error_style(DataValidationErrorStyle::Stop);
    sheet.add_data_validation(r, COL_VALUE, r, COL_VALUE, &validation)?;
    if row.kind.is_rate() {
        let parts = DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_input_title("分子/分母 Numerator/denominator")?
            .set_input_message("填人数、个数等，不小于 0；分子不大于分母。\nCounts, 0 or more; the numerator no larger than the denominator.")?
            .set_error_title("数值不符合要求 Invalid value")?
            .set_error_message("分子、分母应为不小于 0 的数。\nNumerator and denominator are numbers, 0 or more.")?;
        sheet.add_data_validation(r, COL_NUMERATOR, r, COL_DENOMINATOR, &parts)?;
    }
    let comment = DataValidation::new()
        .allow_text_length(DataValidationRule::LessThanOrEqualTo(500))
        .set_error_title("备注太长 Comment too long")?
        .set_error_message("备注不超过 500 字。\nAt most 500 characters.")?;
    sheet.add_data_validation(r, COL_COMMENT, r, COL_COMMENT, &comment)?;
    Ok(())
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// The 说明 sheet.
fn help_sheet(f: &Formats, request: &TemplateRequest) -> Result<Worksheet, XlsxError> {
    let mut sheet = Worksheet::new();
    sheet.set_name(HELP_SHEET)?;
    sheet.set_column_width(0, 110)?;
    let lines: Vec<(u8, String)> = vec![
        (0, "填报说明 / How to fill in this workbook".to_string()),
        (2, format!("本表是{}（{}）{}的指标填报表。", request.region_name, request.region_code, period_label(request.period))),
        (2, format!("This workbook reports the indicators of {} ({}) for {}.", request.region_name, request.region_code, request.period)),
        (1, "一、怎么填 Filling in".to_string()),
        (2, "1. 只在“填报”表的白色单元格中填写：本期值（F列）、分子（G列）、分母（H列）、备注（I列）。灰色单元格是指标信息和参考值，已锁定，不要改动。".to_string()),
        (2, "   Fill in only the white cells of sheet “填报”: value (F), numerator (G), denominator (H), comment (I). Grey cells are locked reference information.".to_string()),
        (2, "2. 数值只填阿拉伯数字，不带单位：单位以C列为准。百分比填 95.5，不要填 95.5% 或 0.955；千分率填 4.5。".to_string()),
        (2, "   Digits only, in the unit of column C: a percentage 95.5 (not 95.5% or 0.955); per mille 4.5.".to_string()),
        (2, "3. 率类指标（单位为 %、‰）可以只填分子和分母，本期值由系统计算；三项都填时，本期值要与 分子÷分母 一致（允许四舍五入误差）。分子不能大于分母，分母不能为 0。".to_string()),
        (2, "   For rates (% or ‰) you may give numerator and denominator only and the value is computed; if all three are given they must agree (rounding allowed). The numerator cannot exceed the denominator; the denominator cannot be 0.".to_string()),
        (2, "4. 人数、个数等计数指标填整数，不能为负数；金额、面积等不能为负数。".to_string()),
        (2, "   Counts of people, places etc. are whole numbers, 0 or more; amounts and areas are 0 or more.".to_string()),
        (2, "5. 本期没有数据的指标留空（也可填“-”或“/”），不要填 0：0 表示实际数值就是 0。".to_string()),
        (2, "   Leave an indicator empty (or write - or /) when there is no data; 0 means the value is zero.".to_string()),
        (2, "6. 数值与上期相比变化超过一半时，导入时会提示核实（不影响导入），请在备注中说明原因。".to_string()),
        (2, "   A value more than 50% above or below the previous period is flagged for review (the import still goes ahead); explain it in the comment.".to_string()),
        (1, "二、导入 Importing".to_string()),
        (2, "填好后保存为 .xlsx，由系统导入（minsheng import 文件名.xlsx）。任何一处有错，整个文件都不导入，并列出每个错误所在的行、列和原因；改正后重新导入即可。同一文件重复导入不会产生重复数据。".to_string()),
        (2, "Save as .xlsx and import it (minsheng import FILE.xlsx). If anything is wrong nothing is imported, and every error is listed with its row, column and reason; correct them and import again. Importing the same file twice changes nothing.".to_string()),
        (2, "不要改动“填报”表第1至4行（地区编码、统计期和表头），系统据此识别地区和统计期。".to_string()),
        (2, "Do not change rows 1–4 of sheet “填报” (region code, period, header): the import reads the region and period from them.".to_string()),
        (1, "三、也可用 CSV 导入 CSV import".to_string()),
        (2, "CSV 的列与 DHIS2 的 dataValueSet 相同：dataelement（指标编码或名称）、period（2024、2024Q1 或 202401）、orgunit（地区编码或名称）、value，可另加 numerator、denominator、comment 列；编码 UTF-8 或 GBK 均可。".to_string()),
        (2, "CSV columns follow DHIS2's dataValueSet: dataelement (indicator id or name), period (2024, 2024Q1 or 202401), orgunit (region code or name), value, and optionally numerator, denominator, comment; UTF-8 or GBK.".to_string()),
    ];
    for (i, (kind, text)) in lines.iter().enumerate() {
        let format = match kind {
            0 => &f.help_title,
            1 => &f.help_heading,
            _ => &f.help_text,
        };
        sheet.write_string_with_format(i as u32, 0, text, format)?;
    }
    Ok(sheet)
}
