//! Excel: one sheet per table with number formats, a frozen header row, an autofilter and
//! column widths; native Excel charts beside their tables. Simulated runs say 模拟数据 in
//! every sheet's first row and print header.

use rust_xlsxwriter::{
    Chart, ChartEmptyCells, ChartFormat, ChartLine, ChartLineDashType, ChartPoint, ChartSolidFill,
    ChartType, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use crate::content::{self, Block, ChartKind, ColKind, SIMULATED, Table};
use crate::{ReportError, ReportInput};

/// The report as an .xlsx workbook.
pub fn xlsx(input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
    let report = content::build(input);
    let mut wb = Workbook::new();
    let title_fmt = Format::new().set_bold().set_font_size(14);
    let sim_fmt = Format::new().set_bold().set_font_color(0xC00000);
    let head = Format::new()
        .set_bold()
        .set_background_color(0xDDEBF7)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let fmts = |k: ColKind| match k {
        ColKind::Text => cell.clone(),
        ColKind::Int => cell.clone().set_num_format("0"),
        ColKind::Score => cell.clone().set_num_format("0.0"),
        ColKind::Measure => cell.clone().set_num_format("0.0000"),
    };

    // 总体情况: title, run line, the text of every section.
    let ws = wb.add_worksheet().set_name("报告")?;
    sheet_header(ws, input.simulated)?;
    let mut row = 0u32;
    if input.simulated {
        ws.write_with_format(
            row,
            0,
            format!("{SIMULATED}：本报告由模拟数据生成，仅供演示，不代表真实情况"),
            &sim_fmt,
        )?;
        row += 1;
    }
    ws.write_with_format(row, 0, &report.title, &title_fmt)?;
    ws.write(row + 1, 0, &report.subtitle)?;
    row += 3;
    ws.set_column_width(0, 120)?;
    for s in &report.sections {
        ws.write_with_format(row, 0, &s.heading, &Format::new().set_bold())?;
        row += 1;
        for b in &s.blocks {
            let text = match b {
                Block::Para(t) | Block::Sub(t) | Block::Placeholder(t) => t.clone(),
                Block::Table(t) => format!("（见工作表“{}”：{}）", t.name, t.caption),
                Block::Chart(_) => continue,
            };
            ws.write_with_format(row, 0, text, &Format::new().set_text_wrap())?;
            row += 1;
        }
    }

    let mut n_chart = 0usize;
    for s in &report.sections {
        let mut sheet: Option<(String, u32, usize)> = None;
        for b in &s.blocks {
            match b {
                Block::Table(t) => {
                    let ws = wb.add_worksheet().set_name(&t.name)?;
                    let first = write_table(ws, t, input.simulated, &head, &fmts)?;
                    sheet = Some((t.name.clone(), first, t.columns.len()));
                }
                Block::Chart(c) => {
                    // Data on its own sheet region: beside the last table, else a chart sheet.
                    let name = match &sheet {
                        Some((n, _, _)) => n.clone(),
                        None => continue,
                    };
                    n_chart += 1;
                    let ws = wb.worksheet_from_name(&name)?;
                    // Chart data below the table, in columns far right (Z onwards).
                    let base_col = 26 + 4 * ((n_chart - 1) % 4) as u16;
                    ws.write(0, base_col, &c.title)?;
                    for (i, cat) in c.categories.iter().enumerate() {
                        ws.write(i as u32 + 2, base_col, cat)?;
                    }
                    for (j, se) in c.series.iter().enumerate() {
                        let col = base_col + 1 + j as u16;
                        ws.write(1, col, &se.name)?;
                        for (i, v) in se.values.iter().enumerate() {
                            if let Some(v) = v {
                                ws.write_number(i as u32 + 2, col, *v)?;
                            }
                        }
                    }
                    let chart = chart_of(c, &name, base_col);
                    let at_col = sheet.as_ref().map_or(0, |s| s.2 as u16 + 1);
                    let at_row = 2 + 18 * ((n_chart - 1) % 4) as u32;
                    ws.insert_chart(at_row, at_col, &chart)?;
                }
                _ => {}
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}

fn sheet_header(ws: &mut Worksheet, simulated: bool) -> Result<(), ReportError> {
    if simulated {
        ws.set_header(format!("&C&\"-,Bold\"{SIMULATED}（仅供演示）"));
    }
    Ok(())
}

/// Writes a table with its header at row 0 (row 1 when simulated); returns the header row.
fn write_table(
    ws: &mut Worksheet,
    t: &Table,
    simulated: bool,
    head: &Format,
    fmts: &dyn Fn(ColKind) -> Format,
) -> Result<u32, ReportError> {
    sheet_header(ws, simulated)?;
    let mut r0 = 0u32;
    if simulated {
        ws.write_with_format(
            0,
            0,
            format!("{SIMULATED}（仅供演示）"),
            &Format::new().set_bold().set_font_color(0xC00000),
        )?;
        r0 = 1;
    }
    for (c, col) in t.columns.iter().enumerate() {
        ws.write_with_format(r0, c as u16, &col.header, head)?;
        let w = match col.kind {
            ColKind::Text => 16.0,
            _ => 11.0,
        };
        ws.set_column_width(c as u16, w)?;
    }
    for (i, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let kind = t.columns[c].kind;
            let f = fmts(kind);
            let (r, c) = (r0 + 1 + i as u32, c as u16);
            match cell {
                content::Cell::Num(v) => ws.write_number_with_format(r, c, *v, &f)?,
                content::Cell::Text(s) => ws.write_with_format(r, c, s, &f)?,
                content::Cell::Empty => ws.write_blank(r, c, &f)?,
            };
        }
    }
    ws.set_freeze_panes(r0 + 1, 0)?;
    let last = r0 + t.rows.len().max(1) as u32;
    ws.autofilter(r0, 0, last, t.columns.len() as u16 - 1)?;
    ws.set_repeat_rows(r0, r0)?;
    Ok(r0)
}

/// A native chart over data written at `base_col` (categories) and the columns after it.
pub(crate) fn chart_of(c: &content::Chart, sheet: &str, base_col: u16) -> Chart {
    let kind = match c.kind {
        ChartKind::Column => ChartType::Column,
        ChartKind::Bar => ChartType::Bar,
        ChartKind::Line => ChartType::Line,
    };
    let mut chart = Chart::new(kind);
    let n = c.categories.len().max(1) as u32;
    for (j, s) in c.series.iter().enumerate() {
        let col = base_col + 1 + j as u16;
        let series = chart
            .add_series()
            .set_name((sheet, 1, col))
            .set_categories((sheet, 2, base_col, 1 + n, base_col))
            .set_values((sheet, 2, col, 1 + n, col));
        // Explicit colours: a chart lifted into Word has no workbook theme to take them from.
        let rgb = if s.dashed { 0xC00000 } else { 0x4472C4 };
        if c.kind == ChartKind::Line {
            let mut line = ChartLine::new();
            line.set_color(rgb).set_width(2.25);
            if s.dashed {
                line.set_dash_type(ChartLineDashType::Dash);
            }
            series
                .set_format(ChartFormat::new().set_line(&line))
                .set_smooth(false);
        } else {
            series.set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(rgb)),
            );
        }
        if let Some(colors) = &c.point_colors {
            let points: Vec<ChartPoint> = colors
                .iter()
                .map(|rgb| {
                    ChartPoint::new().set_format(
                        ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(*rgb)),
                    )
                })
                .collect();
            series.set_points(&points);
        }
    }
    chart.title().set_name(&c.title);
    chart.show_empty_cells_as(ChartEmptyCells::Gaps);
    if c.kind == ChartKind::Bar {
        // Rank 1 on top: the category axis runs downwards.
        chart.y_axis().set_reverse();
    }
    if c.series.len() < 2 {
        chart.legend().set_hidden();
    }
    chart.set_width(560).set_height(320);
    chart
}
