//! 校验: the checks every row goes through, whatever file it came from.
//!
//! The readers ([`crate::import`]) turn each data row into a [`RowInput`] of cells and hand it
//! to a [`Validator`], which resolves names, reads numbers, checks them and collects the
//! [`DataValue`]s and [`Issue`]s. [`Validator::finish`] then runs the checks that need every
//! row (the jump against the previous period) and empties the rows if anything was wrong.

use crate::context::{ImportContext, Index, KnownIndicator, PreviousValue, Resolved};
use crate::number::{self, Parsed, decimals_of_f64, show};
use crate::report::{Field, ImportReport, Issue, MAX_ISSUES};
use minsheng_catalog::Kind;
use minsheng_catalog::unit::{UnitFamily, parse_unit};
use minsheng_model::{DataValue, Period, ReviewState, ValueSource};
use std::borrow::Cow;
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use std::sync::Arc;

/// One cell as a reader found it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(&'a str),
    /// A spreadsheet number; `percent` when the cell is formatted as a percentage (Excel
    /// stores 90% as 0.9).
    Number {
        value: f64,
        percent: bool,
    },
    /// A date, a boolean or a formula error: shown as the sheet shows it, with what it is.
    Other {
        shown: String,
        zh: &'static str,
        en: &'static str,
    },
}

impl Cell<'_> {
    /// The cell as text, for names, codes and periods: integral numbers without `.0`.
    fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s.trim()),
            Cell::Number { value, .. } => Cow::Owned(show(*value)),
            Cell::Other { shown, .. } => Cow::Borrowed(shown.as_str()),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// How a column is named in messages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Col {
    /// [`Issue::column`]: `F`, `value`, `6`.
    pub key: String,
    /// `F列`, `“value”列`, `第6列（value）`.
    pub zh: String,
    /// `column F`, `column “value”`, `column 6 (value)`.
    pub en: String,
}

impl Col {
    pub(crate) fn letter(letter: String) -> Col {
        Col {
            zh: format!("{letter}列"),
            en: format!("column {letter}"),
            key: letter,
        }
    }

    pub(crate) fn header(name: &str) -> Col {
        Col {
            key: name.to_string(),
            zh: format!("“{name}”列"),
            en: format!("column “{name}”"),
        }
    }

    pub(crate) fn numbered(n: usize, name: &str) -> Col {
        Col {
            key: n.to_string(),
            zh: format!("第{n}列（{name}）"),
            en: format!("column {n} ({name})"),
        }
    }
}

/// The columns of one sheet or CSV, as messages name them (default: none).
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    pub indicator: Col,
    pub indicator_name: Col,
    pub region: Col,
    pub period: Col,
    pub unit: Col,
    pub value: Col,
    pub numerator: Col,
    pub denominator: Col,
    pub coc: Col,
}

/// A region or period a sheet states once, above its table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Stated<T> {
    /// Not stated: every row must carry its own.
    None,
    Ok(T),
    /// Stated wrongly; the error is reported once, and rows without their own are skipped.
    Failed,
}

/// One sheet or CSV file: what messages call it and what it states for all its rows.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub sheet: Option<String>,
    pub columns: Columns,
    pub region: Stated<u32>,
    pub period: Stated<Period>,
}

/// One data row's cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowInput<'a> {
    /// 1-based row as the user sees it.
    pub row: usize,
    pub indicator: Option<Cell<'a>>,
    pub indicator_name: Option<Cell<'a>>,
    pub region: Option<Cell<'a>>,
    pub period: Option<Cell<'a>>,
    pub unit: Option<Cell<'a>>,
    pub value: Option<Cell<'a>>,
    pub numerator: Option<Cell<'a>>,
    pub denominator: Option<Cell<'a>>,
    pub comment: Option<Cell<'a>>,
    pub coc: Option<Cell<'a>>,
    pub deleted: Option<Cell<'a>>,
}

/// Where an accepted row came from, for the checks run after all rows are read.
#[derive(Debug, Clone, Copy)]
struct Loc {
    scope: u16,
    row: u32,
    indicator: u32,
    region: u32,
}

/// A number read from a cell and checked against its unit.
#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    decimals: u32,
}

enum Read {
    Blank,
    Num(Num, String),
    Bad,
}

/// Runs the row checks and collects the outcome.
pub(crate) struct Validator<'c> {
    ctx: &'c ImportContext,
    index: Index,
    source: ValueSource,
    report: ImportReport,
    scopes: Vec<Arc<Scope>>,
    locs: Vec<Loc>,
    /// Sort keys of the listed errors and warnings: (scopes added before, row).
    error_order: Vec<(usize, usize)>,
    warning_order: Vec<(usize, usize)>,
    /// The last name looked up per field, and what it resolved to.
    last_indicator: (String, Option<Resolved>),
    last_region: (String, Option<Resolved>),
    /// Per indicator: the rate's scale (100 for %), and whether values are whole numbers.
    ind_info: Vec<(f64, bool)>,
    indicators: HashMap<String, Resolved>,
    regions: HashMap<String, Resolved>,
    periods: HashMap<String, Option<Period>>,
    now_month: Option<i64>,
    /// Where rows go as they are read, when the caller takes them in batches.
    hand_over: Option<HandOver<'c>>,
}

/// Rows handed over in batches of `every` as they are read, with the count of errors so far.
pub(crate) struct HandOver<'c> {
    pub(crate) every: usize,
    pub(crate) to: Box<dyn FnMut(Vec<DataValue>, usize) + Send + 'c>,
}

/// Severity of an issue being added.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// `“a”、“b”` for a message.
fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("“{s}”"))
        .collect::<Vec<_>>()
        .join("、")
}

fn period_zh(p: Period) -> String {
    match p {
        Period::Year(y) => format!("{y}年"),
        Period::Quarter(y, q) => format!("{y}年第{q}季度"),
        Period::Month(y, m) => format!("{y}年{m}月"),
    }
}

fn first_month(p: Period) -> i64 {
    match p {
        Period::Year(y) => i64::from(y) * 12 + 1,
        Period::Quarter(y, q) => i64::from(y) * 12 + i64::from(q) * 3 - 2,
        Period::Month(y, m) => i64::from(y) * 12 + i64::from(m),
    }
}

/// How many of the rate's unit one whole is: % → 100, ‰ → 1000, 1/10万 → 100 000.
fn rate_scale(ind: &KnownIndicator) -> f64 {
    match parse_unit(&ind.unit) {
        Some(u) if u.family == UnitFamily::Rate => match u.base.as_str() {
            "‰" => 1000.0,
            "1/10万" => 100_000.0,
            _ => 100.0,
        },
        _ if ind.kind == Kind::PerMille => 1000.0,
        _ => 100.0,
    }
}

/// True when a count's unit is one thing at a time (人, 个), so its values are whole numbers.
fn counts_whole_things(ind: &KnownIndicator) -> bool {
    ind.kind == Kind::Count
        && parse_unit(&ind.unit).is_some_and(|u| u.scale == 1.0 && u.family != UnitFamily::Rate)
}

/// Rounds to `decimals` places, to undo binary noise after scaling (0.955 × 100).
fn round_to(v: f64, decimals: u32) -> f64 {
    if decimals > 12 {
        return v;
    }
    let f = 10f64.powi(decimals as i32);
    let r = (v * f).round() / f;
    if r.is_finite() { r } else { v }
}

fn truthy(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "y" | "是"
    )
}

impl<'c> Validator<'c> {
    pub(crate) fn new(ctx: &'c ImportContext, file: &str, source: ValueSource) -> Validator<'c> {
        Validator {
            ctx,
            index: Index::new(ctx),
            source,
            report: ImportReport {
                file: file.to_string(),
                ..ImportReport::default()
            },
            scopes: Vec::new(),
            locs: Vec::new(),
            error_order: Vec::new(),
            warning_order: Vec::new(),
            last_indicator: (String::new(), None),
            last_region: (String::new(), None),
            ind_info: ctx
                .indicators
                .iter()
                .map(|i| (rate_scale(i), counts_whole_things(i)))
                .collect(),
            indicators: HashMap::default(),
            regions: HashMap::default(),
            periods: HashMap::default(),
            now_month: ctx
                .now_month()
                .map(|(y, m)| i64::from(y) * 12 + i64::from(m)),
            hand_over: None,
        }
    }

    /// Hands the rows over as they are read (see [`HandOver`]) instead of keeping them.
    pub(crate) fn hand_over(&mut self, hand_over: HandOver<'c>) {
        self.hand_over = Some(hand_over);
    }

    /// Hands over the rows not handed over yet, and stops handing over (dropping the
    /// receiver's end): the rows must be given back with [`Validator::put_back`].
    pub(crate) fn hand_over_rest(&mut self) {
        if let Some(mut h) = self.hand_over.take() {
            (h.to)(
                std::mem::take(&mut self.report.rows),
                self.report.error_count,
            );
        }
    }

    /// Takes back every row handed over, in file order. Rows that do not match what was
    /// read make an error of the file (nothing is imported) rather than a wrong check.
    pub(crate) fn put_back(&mut self, rows: Vec<DataValue>) {
        if rows.len() != self.locs.len() {
            self.file_error(
                "读取的数据与检查的行数不一致，请将文件发给技术支持".to_string(),
                "the values given back do not match the rows checked; send the file to support"
                    .to_string(),
            );
        }
        self.report.rows = rows;
    }

    /// Adds an issue. `row` 0 and an empty column make a message about the file or sheet.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn issue(
        &mut self,
        severity: Severity,
        sheet: Option<&str>,
        row: usize,
        col: Option<&Col>,
        field: Field,
        zh: String,
        en: String,
    ) {
        let epoch = self.scopes.len();
        self.issue_in(severity, epoch, sheet, row, col, field, zh, en);
    }

    /// Adds an issue that sorts with the rows of `epoch` scopes (see `error_order`).
    #[allow(clippy::too_many_arguments)]
    fn issue_in(
        &mut self,
        severity: Severity,
        epoch: usize,
        sheet: Option<&str>,
        row: usize,
        col: Option<&Col>,
        field: Field,
        zh: String,
        en: String,
    ) {
        let (count, list, order) = match severity {
            Severity::Error => (
                &mut self.report.error_count,
                &mut self.report.errors,
                &mut self.error_order,
            ),
            Severity::Warning => (
                &mut self.report.warning_count,
                &mut self.report.warnings,
                &mut self.warning_order,
            ),
        };
        *count += 1;
        if list.len() >= MAX_ISSUES {
            return;
        }
        order.push((epoch, row));
        let col = col.filter(|c| !c.key.is_empty());
        let (pzh, pen) = match (row, col) {
            (0, None) => (String::new(), String::new()),
            (0, Some(c)) => (format!("{}：", c.zh), format!("{}: ", c.en)),
            (r, None) => (format!("第{r}行："), format!("row {r}: ")),
            (r, Some(c)) => (format!("第{r}行{}：", c.zh), format!("row {r}, {}: ", c.en)),
        };
        list.push(Issue {
            file: self.report.file.clone(),
            sheet: sheet.map(str::to_string),
            row,
            column: col.map(|c| c.key.clone()).unwrap_or_default(),
            field,
            message_zh: format!("{pzh}{zh}"),
            message_en: format!("{pen}{en}"),
        });
    }

    /// Makes room for about `rows` rows.
    pub(crate) fn reserve(&mut self, rows: usize) {
        self.report.rows.reserve(rows);
        self.locs.reserve(rows);
    }

    /// Errors so far.
    pub(crate) fn error_count(&self) -> usize {
        self.report.error_count
    }

    /// A file-level error (unreadable, no header).
    pub(crate) fn file_error(&mut self, zh: String, en: String) {
        self.issue(Severity::Error, None, 0, None, Field::File, zh, en);
    }

    /// A file-level warning.
    pub(crate) fn file_warning(&mut self, zh: String, en: String) {
        self.issue(Severity::Warning, None, 0, None, Field::File, zh, en);
    }

    /// Resolves a region stated above a sheet's table, reporting a failure at its cell.
    pub(crate) fn stated_region(
        &mut self,
        sheet: Option<&str>,
        row: usize,
        col: &Col,
        cell: &Cell<'_>,
    ) -> Stated<u32> {
        match self.region_of(sheet, row, Some(col), cell) {
            Some(i) => Stated::Ok(i),
            None => Stated::Failed,
        }
    }

    /// Resolves a period stated above a sheet's table, reporting a failure at its cell.
    pub(crate) fn stated_period(
        &mut self,
        sheet: Option<&str>,
        row: usize,
        col: &Col,
        cell: &Cell<'_>,
    ) -> Stated<Period> {
        match self.period_of(sheet, row, Some(col), cell) {
            Some(p) => Stated::Ok(p),
            None => Stated::Failed,
        }
    }

    /// Registers a sheet or file; rows then name it by the returned index.
    pub(crate) fn add_scope(&mut self, scope: Scope) -> u16 {
        self.scopes.push(Arc::new(scope));
        (self.scopes.len() - 1) as u16
    }

    fn indicator_of(&mut self, text: &str) -> Resolved {
        if let (last, Some(r)) = &self.last_indicator
            && last == text
        {
            return r.clone();
        }
        let r = match self.indicators.get(text) {
            Some(r) => r.clone(),
            None => {
                let r = self.index.indicator(text);
                self.indicators.insert(text.to_string(), r.clone());
                r
            }
        };
        self.last_indicator.0.clear();
        self.last_indicator.0.push_str(text);
        self.last_indicator.1 = Some(r.clone());
        r
    }

    /// The closest known indicator names to an unknown one, for the message.
    fn suggest_indicator(&self, text: &str) -> Vec<String> {
        let key = minsheng_catalog::compare_key(text);
        if key.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(f64, usize)> = self
            .ctx
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| {
                let best = std::iter::once(&ind.name)
                    .chain(&ind.names)
                    .map(|n| {
                        minsheng_catalog::similar::similarity(
                            &key,
                            &minsheng_catalog::compare_key(n),
                        )
                    })
                    .fold(0.0, f64::max);
                (best, i)
            })
            .filter(|(s, _)| *s >= 0.5)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .iter()
            .take(3)
            .map(|&(_, i)| {
                let ind = &self.ctx.indicators[i];
                format!("{}（{}）", ind.name, ind.id)
            })
            .collect()
    }

    fn region_of(
        &mut self,
        sheet: Option<&str>,
        row: usize,
        col: Option<&Col>,
        cell: &Cell<'_>,
    ) -> Option<u32> {
        let text = cell.text();
        let resolved = match &self.last_region {
            (last, Some(r)) if *last == text => r.clone(),
            _ => {
                let r = match self.regions.get(text.as_ref()) {
                    Some(r) => r.clone(),
                    None => {
                        let r = self.index.region(&text);
                        self.regions.insert(text.to_string(), r.clone());
                        r
                    }
                };
                self.last_region.0.clear();
                self.last_region.0.push_str(&text);
                self.last_region.1 = Some(r.clone());
                r
            }
        };
        match resolved {
            Resolved::Found(i) => Some(i),
            Resolved::Ambiguous(list) => {
                let codes: Vec<String> = list
                    .iter()
                    .take(6)
                    .map(|&i| self.ctx.regions[i as usize].code.clone())
                    .collect();
                let codes = codes.join(", ");
                self.issue(
                    Severity::Error,
                    sheet,
                    row,
                    col,
                    Field::Region,
                    format!("地区名称“{text}”对应多个地区（{codes}），请改填地区编码"),
                    format!("the region name “{text}” fits several regions ({codes}); write the region code instead"),
                );
                None
            }
            Resolved::Unknown => {
                let (zh, en) = if text.is_empty() {
                    (
                        "没有填写地区".to_string(),
                        "the region is missing".to_string(),
                    )
                } else if self.ctx.regions.is_empty() {
                    (
                        format!("地区“{text}”无法识别：系统中还没有地区表"),
                        format!("the region “{text}” is not known: no regions are loaded"),
                    )
                } else if self.ctx.regions.len() <= 8 {
                    let known: Vec<String> = self
                        .ctx
                        .regions
                        .iter()
                        .map(|r| match r.names.first() {
                            Some(n) => format!("{n} {}", r.code),
                            None => r.code.clone(),
                        })
                        .collect();
                    (
                        format!("地区“{text}”不在可填报的地区中；可填：{}", known.join("、")),
                        format!(
                            "the region “{text}” is not one this import accepts; known: {}",
                            known.join(", ")
                        ),
                    )
                } else {
                    (
                        format!(
                            "地区“{text}”不在地区表中；请填写行政区划代码（如 532300）或地区全称"
                        ),
                        format!(
                            "the region “{text}” is not in the region table; write its administrative code (e.g. 532300) or its full name"
                        ),
                    )
                };
                self.issue(Severity::Error, sheet, row, col, Field::Region, zh, en);
                None
            }
        }
    }

    fn period_of(
        &mut self,
        sheet: Option<&str>,
        row: usize,
        col: Option<&Col>,
        cell: &Cell<'_>,
    ) -> Option<Period> {
        if let Cell::Other { shown, .. } = cell {
            self.issue(
                Severity::Error,
                sheet,
                row,
                col,
                Field::Period,
                format!("统计期“{shown}”是日期格式；请写成文本 2024（年）、2024Q1（季度）或 202401（月）"),
                format!("the period “{shown}” is a date; write it as text: 2024 (year), 2024Q1 (quarter) or 202401 (month)"),
            );
            return None;
        }
        let text = cell.text();
        let parsed = match self.periods.get(text.as_ref()) {
            Some(p) => *p,
            None => {
                let p = Period::parse(&text);
                self.periods.insert(text.to_string(), p);
                p
            }
        };
        let Some(period) = parsed else {
            let (zh, en) = if text.is_empty() {
                (
                    "没有填写统计期".to_string(),
                    "the period is missing".to_string(),
                )
            } else {
                (
                    format!("统计期“{text}”无法识别"),
                    format!("the period “{text}” is not understood"),
                )
            };
            self.issue(
                Severity::Error,
                sheet,
                row,
                col,
                Field::Period,
                format!("{zh}；请写成 2024（年）、2024Q1（季度）或 202401（月）"),
                format!("{en}; write 2024 (year), 2024Q1 (quarter) or 202401 (month)"),
            );
            return None;
        };
        if let Some(now) = self.now_month
            && first_month(period) > now
        {
            self.issue(
                Severity::Error,
                sheet,
                row,
                col,
                Field::Period,
                format!(
                    "统计期 {period}（{}）还没有开始，不能填报",
                    period_zh(period)
                ),
                format!("the period {period} has not begun yet and cannot be reported"),
            );
            return None;
        }
        Some(period)
    }

    /// Reads a number cell: the value and the unit written with it (or `%` for a cell
    /// formatted as a percentage, whose stored fraction is turned back into the percentage).
    fn read_number(
        &mut self,
        scope: &Scope,
        row: usize,
        col: &Col,
        field: Field,
        cell: &Cell<'_>,
    ) -> Read {
        match cell {
            Cell::Empty => Read::Blank,
            Cell::Number { value, percent } => {
                if *percent {
                    // 0.955 formatted as a percentage is 95.5%.
                    let decimals = decimals_of_f64(*value).saturating_sub(2);
                    let v = round_to(value * 100.0, decimals);
                    Read::Num(Num { value: v, decimals }, "%".to_string())
                } else {
                    Read::Num(
                        Num {
                            value: *value,
                            decimals: decimals_of_f64(*value),
                        },
                        String::new(),
                    )
                }
            }
            Cell::Text(text) => match number::parse(text) {
                Parsed::Blank => Read::Blank,
                Parsed::Number(n) => Read::Num(
                    Num {
                        value: n.value,
                        decimals: n.decimals,
                    },
                    n.unit,
                ),
                Parsed::NotANumber => {
                    let shown = text.trim();
                    self.issue(
                        Severity::Error,
                        scope.sheet.as_deref(),
                        row,
                        Some(col),
                        field,
                        format!(
                            "{}“{shown}”不是数字；请只填阿拉伯数字（如 95.5）",
                            field.name_zh()
                        ),
                        format!(
                            "the {} “{shown}” is not a number; write digits only (e.g. 95.5)",
                            field.as_str()
                        ),
                    );
                    Read::Bad
                }
            },
            Cell::Other { shown, zh, en } => {
                self.issue(
                    Severity::Error,
                    scope.sheet.as_deref(),
                    row,
                    Some(col),
                    field,
                    format!("{}“{shown}”是{zh}，不是数字", field.name_zh()),
                    format!("the {} “{shown}” is {en}, not a number", field.as_str()),
                );
                Read::Bad
            }
        }
    }

    /// Checks one data row and keeps it if it is sound.
    pub(crate) fn row(&mut self, scope_index: u16, input: &RowInput<'_>) {
        let scope = Arc::clone(&self.scopes[scope_index as usize]);
        self.check_row(scope_index, &scope, input);
    }

    fn check_row(&mut self, scope_index: u16, scope: &Scope, input: &RowInput<'_>) {
        let ctx = self.ctx;
        let row = input.row;
        let sheet = scope.sheet.as_deref();
        let cols = &scope.columns;
        if input.deleted.as_ref().is_some_and(|c| truthy(&c.text())) {
            self.report.deleted += 1;
            return;
        }
        let empty = Cell::Empty;
        let value_cell = input.value.as_ref().unwrap_or(&empty);
        let num_cell = input.numerator.as_ref().unwrap_or(&empty);
        let den_cell = input.denominator.as_ref().unwrap_or(&empty);
        let value = self.read_number(scope, row, &cols.value, Field::Value, value_cell);
        let numerator = self.read_number(scope, row, &cols.numerator, Field::Numerator, num_cell);
        let denominator =
            self.read_number(scope, row, &cols.denominator, Field::Denominator, den_cell);
        let id_text = input
            .indicator
            .as_ref()
            .map(|c| c.text())
            .unwrap_or_default();
        let name_text = input
            .indicator_name
            .as_ref()
            .map(|c| c.text())
            .unwrap_or_default();
        if matches!(
            (&value, &numerator, &denominator),
            (Read::Blank, Read::Blank, Read::Blank)
        ) {
            if !id_text.is_empty() || !name_text.is_empty() {
                self.report.blank += 1;
            }
            return;
        }
        self.report.checked += 1;

        // 指标.
        let (ind_text, ind_col) = if id_text.is_empty() {
            (name_text.as_ref(), &cols.indicator_name)
        } else {
            (id_text.as_ref(), &cols.indicator)
        };
        let mut indicator = None;
        if ind_text.is_empty() {
            self.issue(
                Severity::Error,
                sheet,
                row,
                Some(ind_col),
                Field::Indicator,
                "填了数值，但没有填指标".to_string(),
                "a value is given but no indicator".to_string(),
            );
        } else {
            match self.indicator_of(ind_text) {
                Resolved::Found(i) => indicator = Some(i),
                Resolved::Ambiguous(list) => {
                    let names: Vec<String> = list
                        .iter()
                        .map(|&i| ctx.indicators[i as usize].id.clone())
                        .collect();
                    self.issue(
                        Severity::Error,
                        sheet,
                        row,
                        Some(ind_col),
                        Field::Indicator,
                        format!("指标“{ind_text}”对应多个指标（{}），请改填指标编码", quoted_list(&names)),
                        format!("the indicator “{ind_text}” fits several indicators ({}); write the indicator id instead", names.join(", ")),
                    );
                }
                Resolved::Unknown => {
                    let suggestions = self.suggest_indicator(ind_text);
                    let (hint_zh, hint_en) = if suggestions.is_empty() {
                        (
                            "请填写模板中的指标编码，或指标库中的指标名称".to_string(),
                            "use the indicator id from the template or a name from the catalog"
                                .to_string(),
                        )
                    } else {
                        (
                            format!("是不是：{}", suggestions.join("、")),
                            format!("did you mean: {}", suggestions.join(", ")),
                        )
                    };
                    self.issue(
                        Severity::Error,
                        sheet,
                        row,
                        Some(ind_col),
                        Field::Indicator,
                        format!("指标“{ind_text}”不在指标库中；{hint_zh}"),
                        format!("the indicator “{ind_text}” is not in the catalog; {hint_en}"),
                    );
                }
            }
        }
        if let Some(i) = indicator
            && !id_text.is_empty()
            && !name_text.is_empty()
            && let Resolved::Found(j) = self.indicator_of(&name_text)
            && j != i
        {
            let (a, b) = (&ctx.indicators[i as usize], &ctx.indicators[j as usize]);
            let (zh, en) = (
                format!(
                    "指标编码“{}”（{}）与指标名称“{name_text}”（{}）不一致；请核对是哪一个指标",
                    a.id, a.name, b.id
                ),
                format!(
                    "the indicator id “{}” ({}) and the name “{name_text}” ({}) disagree; check which indicator is meant",
                    a.id, a.name, b.id
                ),
            );
            self.issue(
                Severity::Error,
                sheet,
                row,
                Some(&cols.indicator_name),
                Field::Indicator,
                zh,
                en,
            );
            indicator = None;
        }

        // 地区 and 统计期: the row's own, or what the sheet states.
        let region = match (&input.region, scope.region) {
            (Some(cell), stated) if !cell.is_blank() || stated == Stated::None => {
                self.region_of(sheet, row, Some(&cols.region), cell)
            }
            (_, Stated::Ok(i)) => Some(i),
            _ => None,
        };
        let period = match (&input.period, scope.period) {
            (Some(cell), stated) if !cell.is_blank() || stated == Stated::None => {
                self.period_of(sheet, row, Some(&cols.period), cell)
            }
            (_, Stated::Ok(p)) => Some(p),
            _ => None,
        };

        // DHIS2 disaggregation.
        if let Some(coc) = &input.coc {
            let text = coc.text();
            let t = text.trim();
            if !t.is_empty() && !t.eq_ignore_ascii_case("default") && t != "HllvX50cXC0" {
                self.issue(
                    Severity::Error,
                    sheet,
                    row,
                    Some(&cols.coc),
                    Field::Row,
                    format!("分类组合“{t}”：本系统只收总数，不收分类（分性别、分年龄等）数据；请导出合计值（default）"),
                    format!("category option combo “{t}”: minsheng takes totals only, not disaggregated values; export the totals (default)"),
                );
            }
        }

        let Some(ind_index) = indicator else { return };
        let ind = &ctx.indicators[ind_index as usize];
        let stated_unit = input
            .unit
            .as_ref()
            .map(|c| c.text().trim().to_string())
            .unwrap_or_default();

        // 本期值 in the indicator's unit.
        let mut value_num = match value {
            Read::Num(n, unit) => {
                let written = if unit.is_empty() {
                    stated_unit.as_str()
                } else {
                    unit.as_str()
                };
                match self.convert_to_indicator_unit(
                    scope,
                    row,
                    &cols.value,
                    n,
                    written,
                    ind,
                    unit.is_empty() && !stated_unit.is_empty(),
                ) {
                    Some(n) => Some(n),
                    None => return,
                }
            }
            Read::Blank => None,
            Read::Bad => return,
        };
        let part = |read: Read| match read {
            Read::Num(n, unit) => Ok(Some((n, unit))),
            Read::Blank => Ok(None),
            Read::Bad => Err(()),
        };
        let (Ok(num), Ok(den)) = (part(numerator), part(denominator)) else {
            return;
        };
        let ind = &ctx.indicators[ind_index as usize];
        let kind = ind.kind;
        let mut bad = false;
        for (part, col, field) in [
            (&num, &cols.numerator, Field::Numerator),
            (&den, &cols.denominator, Field::Denominator),
        ] {
            if let Some((_, unit)) = part
                && parse_unit(unit).is_some_and(|u| u.family == UnitFamily::Rate)
            {
                self.issue(
                    Severity::Error,
                    sheet,
                    row,
                    Some(col),
                    field,
                    format!("{}应填人数、个数等数量，不能带“{unit}”", field.name_zh()),
                    format!(
                        "the {} is a count and cannot carry “{unit}”",
                        field.as_str()
                    ),
                );
                bad = true;
            }
        }
        if bad {
            return;
        }
        let ind = &ctx.indicators[ind_index as usize];
        let (ind_name, ind_unit) = (ind.name.as_str(), ind.unit.as_str());
        let mut numerator_value = None;
        let mut denominator_value = None;
        if !kind.is_rate() {
            if num.is_some() || den.is_some() {
                let col = if num.is_some() {
                    &cols.numerator
                } else {
                    &cols.denominator
                };
                self.issue(
                    Severity::Error,
                    sheet,
                    row,
                    Some(col),
                    if num.is_some() { Field::Numerator } else { Field::Denominator },
                    format!("“{ind_name}”不是比率指标，不填分子、分母；请只填本期值"),
                    format!("“{ind_name}” is not a rate and takes no numerator or denominator; fill in the value only"),
                );
                return;
            }
        } else {
            match (&num, &den) {
                (Some((n, _)), Some((d, _))) => {
                    let scale = self.ind_info[ind_index as usize].0;
                    let mut ok = true;
                    for (v, col, field) in [
                        (n.value, &cols.numerator, Field::Numerator),
                        (d.value, &cols.denominator, Field::Denominator),
                    ] {
                        if v < 0.0 {
                            self.issue(
                                Severity::Error,
                                sheet,
                                row,
                                Some(col),
                                field,
                                format!("{}{}不能是负数", field.name_zh(), show(v)),
                                format!("the {} {} cannot be negative", field.as_str(), show(v)),
                            );
                            ok = false;
                        }
                    }
                    if ok && d.value == 0.0 {
                        self.issue(
                            Severity::Error,
                            sheet,
                            row,
                            Some(&cols.denominator),
                            Field::Denominator,
                            "分母为0，无法计算比率；没有统计对象时请把分子、分母和本期值都留空".to_string(),
                            "the denominator is 0, so no rate can be computed; leave numerator, denominator and value empty when there is nothing to count".to_string(),
                        );
                        ok = false;
                    }
                    if ok && n.value > d.value {
                        self.issue(
                            Severity::Error,
                            sheet,
                            row,
                            Some(&cols.numerator),
                            Field::Numerator,
                            format!("分子 {} 大于分母 {}；分子是分母中的一部分，不能比分母大", show(n.value), show(d.value)),
                            format!("the numerator {} is larger than the denominator {}; the numerator counts part of the denominator and cannot exceed it", show(n.value), show(d.value)),
                        );
                        ok = false;
                    }
                    if !ok {
                        return;
                    }
                    let computed = n.value / d.value * scale;
                    match value_num {
                        None => {
                            value_num = Some(Num {
                                value: computed,
                                decimals: 12,
                            })
                        }
                        Some(v) => {
                            let tolerance = 0.5 * 10f64.powi(-(v.decimals.min(9) as i32))
                                + 1e-9 * computed.abs().max(1.0);
                            if (v.value - computed).abs() > tolerance {
                                self.issue(
                                    Severity::Error,
                                    sheet,
                                    row,
                                    Some(&cols.value),
                                    Field::Value,
                                    format!("本期值 {} 与分子÷分母算出的 {}{ind_unit} 不一致（{} ÷ {}）；请核对，或把本期值留空由系统计算", show(v.value), show(computed), show(n.value), show(d.value)),
                                    format!("the value {} does not match numerator ÷ denominator = {}{ind_unit} ({} ÷ {}); check them, or leave the value empty to have it computed", show(v.value), show(computed), show(n.value), show(d.value)),
                                );
                                return;
                            }
                        }
                    }
                    numerator_value = Some(n.value);
                    denominator_value = Some(d.value);
                }
                (Some(_), None) | (None, Some(_)) => {
                    let (col, field, zh, en) = if den.is_none() {
                        (
                            &cols.denominator,
                            Field::Denominator,
                            "填了分子但没有填分母",
                            "a numerator is given but no denominator",
                        )
                    } else {
                        (
                            &cols.numerator,
                            Field::Numerator,
                            "填了分母但没有填分子",
                            "a denominator is given but no numerator",
                        )
                    };
                    self.issue(
                        Severity::Error,
                        sheet,
                        row,
                        Some(col),
                        field,
                        format!("{zh}；分子和分母要一起填，或都不填"),
                        format!("{en}; give both or neither"),
                    );
                    return;
                }
                (None, None) => {}
            }
        }
        let Some(value_num) = value_num else {
            // Blank value with numerator or denominator of a non-rate: reported above.
            return;
        };
        let v = value_num.value;
        let ind = &ctx.indicators[ind_index as usize];
        let range_error = match kind {
            Kind::Rate | Kind::PerMille => {
                let max = self.ind_info[ind_index as usize].0;
                (!(0.0..=max).contains(&v)).then(|| {
                    (
                        format!(
                            "本期值 {}{} 超出范围：“{}”应在 0 到 {} 之间",
                            show(v),
                            ind.unit,
                            ind.name,
                            show(max)
                        ),
                        format!(
                            "the value {}{} is out of range: “{}” must be between 0 and {}",
                            show(v),
                            ind.unit,
                            ind.name,
                            show(max)
                        ),
                    )
                })
            }
            _ if v < 0.0 => Some((
                format!("本期值 {} 不能是负数", show(v)),
                format!("the value {} cannot be negative", show(v)),
            )),
            _ if self.ind_info[ind_index as usize].1 && (v - v.round()).abs() > 1e-9 => Some((
                format!("本期值 {} 应为整数（单位：{}）", show(v), ind.unit),
                format!(
                    "the value {} must be a whole number (unit: {})",
                    show(v),
                    ind.unit
                ),
            )),
            _ => None,
        };
        if let Some((zh, en)) = range_error {
            self.issue(
                Severity::Error,
                sheet,
                row,
                Some(&cols.value),
                Field::Value,
                zh,
                en,
            );
            return;
        }

        let (Some(region), Some(period)) = (region, period) else {
            return;
        };
        self.locs.push(Loc {
            scope: scope_index,
            row: row as u32,
            indicator: ind_index,
            region,
        });
        let comment = input
            .comment
            .as_ref()
            .map(|c| c.text().trim().to_string())
            .filter(|c| !c.is_empty());
        self.report.rows.push(DataValue {
            indicator: ind.id.clone(),
            region: ctx.regions[region as usize].code.clone(),
            period,
            value: v,
            numerator: numerator_value,
            denominator: denominator_value,
            source: self.source,
            entered_by: ctx.entered_by.clone(),
            entered_at: ctx.now.clone(),
            comment,
            state: ReviewState::Draft,
        });
        if let Some(h) = &mut self.hand_over
            && self.report.rows.len() >= h.every
        {
            let rows = std::mem::replace(&mut self.report.rows, Vec::with_capacity(h.every));
            (h.to)(rows, self.report.error_count);
        }
    }

    /// Turns a value written in `written` into the indicator's unit: the same unit passes, a
    /// unit of the same base and another scale converts (万人 → 人, with a warning so a
    /// reviewer sees it), anything else is an error.
    #[allow(clippy::too_many_arguments)]
    fn convert_to_indicator_unit(
        &mut self,
        scope: &Scope,
        row: usize,
        col: &Col,
        n: Num,
        written: &str,
        ind: &KnownIndicator,
        from_unit_column: bool,
    ) -> Option<Num> {
        let sheet = scope.sheet.as_deref();
        if written.is_empty() || ind.unit.is_empty() || written == ind.unit {
            return Some(n);
        }
        let (Some(from), Some(to)) = (parse_unit(written), parse_unit(&ind.unit)) else {
            return Some(n);
        };
        if from.base == to.base && from.scale == to.scale {
            return Some(n);
        }
        let col = if from_unit_column {
            &scope.columns.unit
        } else {
            col
        };
        match minsheng_catalog::convert(n.value, written, &ind.unit) {
            Some(v) if from.family != UnitFamily::Rate => {
                let (name, unit) = (ind.name.clone(), ind.unit.clone());
                self.issue(
                    Severity::Warning,
                    sheet,
                    row,
                    Some(col),
                    Field::Unit,
                    format!("单位“{written}”已换算为指标单位“{unit}”：{}{written} = {}{unit}（{name}）", show(n.value), show(v)),
                    format!("the unit “{written}” was converted to the indicator's unit “{unit}”: {}{written} = {}{unit} ({name})", show(n.value), show(v)),
                );
                let digits = (from.scale / to.scale).log10().round() as i32;
                let decimals = (n.decimals as i32 - digits).max(0) as u32;
                Some(Num {
                    value: round_to(v, decimals),
                    decimals,
                })
            }
            _ => {
                let (zh, en) = (
                    format!(
                        "单位“{written}”与指标“{}”的单位“{}”不符，无法换算；请按“{}”填写",
                        ind.name, ind.unit, ind.unit
                    ),
                    format!(
                        "the unit “{written}” does not match “{}”, the unit of “{}”, and cannot be converted; report it in “{}”",
                        ind.unit, ind.name, ind.unit
                    ),
                );
                self.issue(Severity::Error, sheet, row, Some(col), Field::Unit, zh, en);
                None
            }
        }
    }

    /// A validator for a later part of the same file, to be checked on another thread: the
    /// same context, source and scopes, nothing read yet. [`Validator::append`] takes it back.
    pub(crate) fn for_part(&self) -> Validator<'c> {
        Validator {
            index: self.index.clone(),
            scopes: self.scopes.clone(),
            ..Validator::new(self.ctx, &self.report.file, self.source)
        }
    }

    /// Takes in what `part` (from [`Validator::for_part`]) read: rows that all come after
    /// this validator's. Lists stay capped at [`MAX_ISSUES`]; counts go on.
    pub(crate) fn append(&mut self, part: Validator<'c>) {
        fn take(
            list: &mut Vec<Issue>,
            order: &mut Vec<(usize, usize)>,
            more: Vec<Issue>,
            more_order: Vec<(usize, usize)>,
        ) {
            let room = MAX_ISSUES.saturating_sub(list.len());
            list.extend(more.into_iter().take(room));
            order.extend(more_order.into_iter().take(room));
        }
        let theirs = part.report;
        self.report.rows.extend(theirs.rows);
        self.locs.extend(part.locs);
        take(
            &mut self.report.errors,
            &mut self.error_order,
            theirs.errors,
            part.error_order,
        );
        take(
            &mut self.report.warnings,
            &mut self.warning_order,
            theirs.warnings,
            part.warning_order,
        );
        self.report.error_count += theirs.error_count;
        self.report.warning_count += theirs.warning_count;
        self.report.checked += theirs.checked;
        self.report.blank += theirs.blank;
        self.report.deleted += theirs.deleted;
    }

    /// The values read so far, in file order.
    pub(crate) fn rows(&self) -> &[DataValue] {
        &self.report.rows
    }

    /// Runs the checks that need every row, against the context's stored values, and returns
    /// the report (rows emptied on error).
    pub(crate) fn finish(self) -> ImportReport {
        let ctx = self.ctx;
        self.finish_with(&ctx.previous)
    }

    /// [`Validator::finish`] against `previous` instead of the context's stored values.
    pub(crate) fn finish_with(mut self, previous: &[PreviousValue]) -> ImportReport {
        if self.report.error_count == 0 && self.report.checked == 0 {
            self.file_warning(
                "没有读到任何数值：表格中的本期值、分子、分母都是空的".to_string(),
                "no values were found: every value, numerator and denominator is empty".to_string(),
            );
        }
        self.compare_rows(previous);
        if self.report.error_count > 0 {
            self.report.rows = Vec::new();
        }
        // File order: issues found after reading (duplicates, jumps) go to their rows.
        for (list, order) in [
            (&mut self.report.errors, &self.error_order),
            (&mut self.report.warnings, &self.warning_order),
        ] {
            let mut keyed: Vec<((usize, usize), Issue)> =
                order.iter().copied().zip(list.drain(..)).collect();
            keyed.sort_by_key(|(k, _)| *k);
            list.extend(keyed.into_iter().map(|(_, issue)| issue));
        }
        self.report
    }

    /// The checks across rows, on all values sorted by indicator, region, kind of period and
    /// period (stored values of a period before the file's): the same indicator, region and
    /// period twice in the file is an error; each value is compared with the latest earlier
    /// value of the same kind of period (year with year, quarter with quarter), from the store
    /// or this file, for the jump warning; a stored value of the same period that differs is
    /// a warning that it will be replaced.
    fn compare_rows(&mut self, previous: &[PreviousValue]) {
        if self.report.rows.is_empty() {
            return;
        }
        let threshold = self
            .ctx
            .jump_threshold
            .filter(|t| t.is_finite() && *t > 0.0);
        let mut all: Vec<Entry> = Vec::with_capacity(previous.len() + self.locs.len());
        for (k, (loc, row)) in self.locs.iter().zip(&self.report.rows).enumerate() {
            all.push(Entry::new(
                loc.indicator,
                loc.region,
                row.period,
                row.value,
                Some(k as u32),
            ));
        }
        if threshold.is_some() || !previous.is_empty() {
            for p in previous {
                if let (Some(i), Some(r)) = (
                    self.index.indicator_by_id(&p.indicator),
                    self.index.region_by_code(&p.region),
                ) {
                    all.push(Entry::new(i, r, p.period, p.value, None));
                }
            }
        }
        all.sort_unstable_by_key(|e| e.sort_key());

        // Duplicates: neighbours from the file with one period.
        let mut duplicates = Vec::new();
        for pair in all.windows(2) {
            if let [a, b] = pair
                && a.group == b.group
                && a.period == b.period
                && let (Some(first), Some(again)) = (a.row, b.row)
            {
                duplicates.push((first, again));
            }
        }
        if !duplicates.is_empty() {
            // A row repeated three times names the first row each time.
            let mut first_of: HashMap<u32, u32> = HashMap::default();
            for &(first, again) in &duplicates {
                let root = first_of.get(&first).copied().unwrap_or(first);
                first_of.insert(again, root);
            }
            for (_, again) in duplicates {
                let first = first_of[&again];
                let (a, b) = (self.locs[first as usize], self.locs[again as usize]);
                let scope = Arc::clone(&self.scopes[b.scope as usize]);
                let (where_zh, where_en) =
                    match (&self.scopes[a.scope as usize].sheet, a.scope == b.scope) {
                        (Some(s), false) => (
                            format!("“{s}”表第{}行", a.row),
                            format!("row {} of sheet “{s}”", a.row),
                        ),
                        _ => (format!("第{}行", a.row), format!("row {}", a.row)),
                    };
                let row = &self.report.rows[again as usize];
                let ind = &self.ctx.indicators[b.indicator as usize];
                let code = &row.region;
                let period = row.period;
                let (zh, en) = (
                    format!(
                        "与{where_zh}重复：同一指标“{}”、地区 {code}、统计期 {period} 填了两次；请删去一行",
                        ind.name
                    ),
                    format!(
                        "duplicates {where_en}: the same indicator “{}”, region {code} and period {period} are reported twice; remove one",
                        ind.id
                    ),
                );
                self.issue_in(
                    Severity::Error,
                    b.scope as usize + 1,
                    scope.sheet.as_deref(),
                    b.row as usize,
                    None,
                    Field::Row,
                    zh,
                    en,
                );
            }
            return;
        }
        if threshold.is_none() && previous.is_empty() {
            return;
        }

        let mut found = Vec::new();
        let mut start = 0;
        while start < all.len() {
            let group_key = all[start].group;
            let end = all[start..]
                .iter()
                .position(|e| e.group != group_key)
                .map_or(all.len(), |n| start + n);
            let group = &all[start..end];
            for (j, e) in group.iter().enumerate() {
                let Some(k) = e.row else { continue };
                let mut earlier = None;
                for before in group[..j].iter().rev() {
                    if std::mem::discriminant(&before.period) != std::mem::discriminant(&e.period) {
                        break;
                    }
                    if before.period == e.period {
                        if before.row.is_none() && before.value != e.value {
                            found.push((k, Jump::Replaces(before.value)));
                        }
                        continue;
                    }
                    earlier = Some((before.period, before.value));
                    break;
                }
                let (Some(t), Some((p, old))) = (threshold, earlier) else {
                    continue;
                };
                if old == 0.0 {
                    if e.value != 0.0 {
                        found.push((k, Jump::FromZero(p)));
                    }
                } else {
                    let change = (e.value - old) / old.abs();
                    if change.abs() > t {
                        found.push((k, Jump::Change(p, old, change, t)));
                    }
                }
            }
            start = end;
        }
        found.sort_by_key(|(k, _)| *k);
        for (k, jump) in found {
            let loc = self.locs[k as usize];
            let row = &self.report.rows[k as usize];
            let scope = Arc::clone(&self.scopes[loc.scope as usize]);
            let new = show(row.value);
            let unit = self.ctx.indicators[loc.indicator as usize].unit.as_str();
            let (zh, en) = match jump {
                Jump::Change(p, old, change, t) => {
                    let (dir_zh, dir_en) = if change > 0.0 {
                        ("增加", "higher")
                    } else {
                        ("减少", "lower")
                    };
                    let pct = show((change.abs() * 1000.0).round() / 10.0);
                    let tp = show(t * 100.0);
                    (
                        format!(
                            "本期值 {new}{unit} 比上期（{}）的 {}{unit} {dir_zh} {pct}%，变化超过 {tp}%，请核实（提示，不影响导入）",
                            period_zh(p),
                            show(old)
                        ),
                        format!(
                            "the value {new}{unit} is {pct}% {dir_en} than {}{unit} in {p}, a change beyond {tp}%; please check (a warning: the import goes ahead)",
                            show(old)
                        ),
                    )
                }
                Jump::FromZero(p) => (
                    format!(
                        "本期值 {new}{unit}，上期（{}）为 0，请核实（提示，不影响导入）",
                        period_zh(p)
                    ),
                    format!(
                        "the value is {new}{unit} where {p} had 0; please check (a warning: the import goes ahead)"
                    ),
                ),
                Jump::Replaces(old) => (
                    format!(
                        "系统中已有本期数值 {}{unit}，导入后将改为 {new}{unit}，原值保留在修改记录中",
                        show(old)
                    ),
                    format!(
                        "a value of {}{unit} is already stored for this period; importing replaces it with {new}{unit} and keeps the old one in the audit trail",
                        show(old)
                    ),
                ),
            };
            self.issue_in(
                Severity::Warning,
                loc.scope as usize + 1,
                scope.sheet.as_deref(),
                loc.row as usize,
                Some(&scope.columns.value),
                Field::Value,
                zh,
                en,
            );
        }
    }
}

/// One value for the jump check.
struct Entry {
    /// Indicator and region.
    group: u64,
    period: Period,
    value: f64,
    /// Index into the file's rows; `None` for a stored value.
    row: Option<u32>,
}

impl Entry {
    fn new(indicator: u32, region: u32, period: Period, value: f64, row: Option<u32>) -> Entry {
        Entry {
            group: (u64::from(indicator) << 32) | u64::from(region),
            period,
            value,
            row,
        }
    }

    /// Indicator and region, kind of period, when the period ends, stored values before the
    /// file's rows, file order: packed into one number, which sorts fastest.
    fn sort_key(&self) -> u128 {
        let kind: u128 = match self.period {
            Period::Month(..) => 0,
            Period::Quarter(..) => 1,
            Period::Year(..) => 2,
        };
        let end = self.period.end_month().clamp(0, 0xFF_FFFF) as u128;
        let row = self.row.map_or(0, |r| u128::from(r) + 1);
        (u128::from(self.group) << 64) | (kind << 56) | (end << 32) | row
    }
}

enum Jump {
    Change(Period, f64, f64, f64),
    FromZero(Period),
    Replaces(f64),
}
