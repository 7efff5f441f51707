//! 网页填报: values typed into the web form, checked by the same rules as a workbook's cells.
//!
//! The form states its region and period once (as the template's metadata does) and has one
//! row per indicator; messages name the row by its number in the form and the column by the
//! template's header (本期值, 分子, 分母), so a clerk reads the same words in both.

use crate::context::ImportContext;
use crate::layout::{COLUMNS, Role};
use crate::report::ImportReport;
use crate::validate::{Cell, Col, Columns, RowInput, Scope, Stated, Validator};
use minsheng_model::ValueSource;

/// One row of the web form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormRow {
    /// The indicator's catalog id (the form's hidden key).
    pub indicator_id: String,
    /// 本期值; empty when not filled in.
    pub value: String,
    /// 分子 (rates only).
    pub numerator: String,
    /// 分母 (rates only).
    pub denominator: String,
    /// 备注.
    pub comment: String,
}

/// A column as the template's header names it (`本期值`); `fallback` for the metadata.
fn column(role: Role, fallback: &str) -> Col {
    let name = COLUMNS
        .iter()
        .find(|c| c.0 == role)
        .map_or(fallback, |c| c.1);
    Col::header(name)
}

fn cell(text: &str) -> Option<Cell<'_>> {
    if text.trim().is_empty() {
        Some(Cell::Empty)
    } else {
        Some(Cell::Text(text))
    }
}

/// Checks the values of a web form for `region` (a code) and `period` (`2024Q1`), row by
/// row as [`crate::read_xlsx`] checks a workbook. Values come out with source
/// [`ValueSource::Form`]; any error and [`ImportReport::rows`] is empty.
pub fn read_form(
    form_name: &str,
    region: &str,
    period: &str,
    rows: &[FormRow],
    ctx: &ImportContext,
) -> ImportReport {
    let mut v = Validator::new(ctx, form_name, ValueSource::Form);
    let region_col = column(Role::Region, "地区编码");
    let period_col = column(Role::Period, "统计期");
    let region = v.stated_region(None, 0, &region_col, &Cell::Text(region));
    let period = v.stated_period(None, 0, &period_col, &Cell::Text(period));
    let scope = v.add_scope(Scope {
        sheet: None,
        columns: Columns {
            indicator: column(Role::IndicatorId, "指标编码"),
            indicator_name: Col::default(),
            region: region_col,
            period: period_col,
            unit: column(Role::Unit, "单位"),
            value: column(Role::Value, "本期值"),
            numerator: column(Role::Numerator, "分子"),
            denominator: column(Role::Denominator, "分母"),
            coc: Col::default(),
        },
        region,
        period,
    });
    if matches!(region, Stated::Failed) || matches!(period, Stated::Failed) {
        return v.finish();
    }
    v.reserve(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let input = RowInput {
            row: i + 1,
            indicator: Some(Cell::Text(&r.indicator_id)),
            value: cell(&r.value),
            numerator: cell(&r.numerator),
            denominator: cell(&r.denominator),
            comment: cell(&r.comment),
            ..RowInput::default()
        };
        v.row(scope, &input);
    }
    v.finish()
}
