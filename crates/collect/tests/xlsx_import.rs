//! Filled-in workbooks through the importer: the template's own layout, sheets laid out by
//! hand, percentage-formatted cells, and bytes that are not a workbook at all.

mod common;

use common::{context, dump, request};
use minsheng_collect::template::{Entry, FilledRow, write_filled};
use minsheng_collect::{Field, PreviousValue, read, read_xlsx};
use minsheng_model::{Period, ReviewState, ValueSource};
use rust_xlsxwriter::{Format, Workbook};

fn fill(id: &str, value: Option<Entry>, num: Option<f64>, den: Option<f64>) -> FilledRow {
    FilledRow {
        indicator_id: id.to_string(),
        value,
        numerator: num.map(Entry::Number),
        denominator: den.map(Entry::Number),
        comment: None,
    }
}

fn n(v: f64) -> Option<Entry> {
    Some(Entry::Number(v))
}

fn t(s: &str) -> Option<Entry> {
    Some(Entry::Text(s.to_string()))
}

/// A sound filling: every kind of row.
fn good_rows() -> Vec<FilledRow> {
    vec![
        fill("immunization_coverage", None, Some(1910.0), Some(2000.0)),
        fill("infant_mortality", n(4.5), None, None),
        fill("new_childcare_places", n(150.0), None, None),
        fill("urban_new_jobs", t("0.42"), None, None),
        FilledRow {
            comment: Some("含公益性岗位安置 12 人".to_string()),
            ..fill("new_disabled_employment", n(85.0), None, None)
        },
        // per_capita_sports_area left empty: not reported this period.
    ]
}

#[test]
fn a_filled_template_imports_every_value() {
    let bytes = write_filled(&request(), &good_rows()).unwrap();
    let report = read_xlsx("双柏县2024.xlsx", &bytes, &context());
    assert!(report.errors.is_empty(), "{}", dump(&report));
    assert_eq!(report.rows.len(), 5, "{}", dump(&report));
    assert_eq!(report.blank, 1);
    assert_eq!(report.checked, 5);
    let imm = &report.rows[0];
    assert_eq!(imm.indicator, "immunization_coverage");
    assert_eq!(imm.region, "532322");
    assert_eq!(imm.period, Period::Year(2024));
    assert!((imm.value - 95.5).abs() < 1e-9, "computed from 1910/2000");
    assert_eq!(
        (imm.numerator, imm.denominator),
        (Some(1910.0), Some(2000.0))
    );
    assert_eq!(imm.source, ValueSource::Xlsx);
    assert_eq!(imm.state, ReviewState::Draft);
    assert_eq!(imm.entered_by, "clerk-shuangbai");
    assert_eq!(imm.entered_at, common::NOW);
    assert_eq!(report.rows[3].value, 0.42);
    assert_eq!(
        report.rows[4].comment.as_deref(),
        Some("含公益性岗位安置 12 人")
    );
    // Re-reading the same bytes gives the same rows: the store makes re-import a no-op.
    assert_eq!(
        read_xlsx("again.xlsx", &bytes, &context()).rows,
        report.rows
    );
    // `read` tells a workbook by its bytes.
    assert_eq!(read("双柏县2024.csv", &bytes, &context()).rows, report.rows);
}

#[test]
fn one_bad_cell_is_exactly_one_error_with_its_place_and_nothing_imports() {
    let mut rows = good_rows();
    rows[2].value = t("九十");
    let bytes = write_filled(&request(), &rows).unwrap();
    let report = read_xlsx("双柏县2024.xlsx", &bytes, &context());
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    assert!(report.rows.is_empty(), "no row is usable when any is wrong");
    let e = &report.errors[0];
    assert_eq!(e.file, "双柏县2024.xlsx");
    assert_eq!(e.sheet.as_deref(), Some("填报"));
    assert_eq!((e.row, e.column.as_str(), e.field), (7, "F", Field::Value));
    assert_eq!(
        e.message_zh,
        "第7行F列：本期值“九十”不是数字；请只填阿拉伯数字（如 95.5）"
    );
    assert_eq!(
        e.message_en,
        "row 7, column F: the value “九十” is not a number; write digits only (e.g. 95.5)"
    );
    assert!(
        e.to_string()
            .starts_with("双柏县2024.xlsx [填报]: 第7行F列")
    );
}

#[test]
fn range_ratio_and_consistency_errors() {
    let rows = vec![
        fill("immunization_coverage", n(120.0), None, None),
        fill("infant_mortality", None, Some(30.0), Some(20.0)),
        fill("new_childcare_places", n(12.5), None, None),
        fill("urban_new_jobs", n(-1.0), None, None),
        fill("new_disabled_employment", n(10.0), Some(1.0), Some(2.0)),
    ];
    let report = read_xlsx(
        "bad.xlsx",
        &write_filled(&request(), &rows).unwrap(),
        &context(),
    );
    let got: Vec<(usize, &str)> = report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![(5, "F"), (6, "G"), (7, "F"), (8, "F"), (9, "G")],
        "{}",
        dump(&report)
    );
    assert!(
        report.errors[0].message_zh.contains("本期值 120% 超出范围"),
        "{}",
        dump(&report)
    );
    assert!(
        report.errors[0]
            .message_en
            .contains("must be between 0 and 100")
    );
    assert!(report.errors[1].message_zh.contains("分子 30 大于分母 20"));
    assert!(report.errors[2].message_zh.contains("应为整数"));
    assert!(report.errors[3].message_zh.contains("不能是负数"));
    assert!(report.errors[4].message_zh.contains("不是比率指标"));
    assert!(report.rows.is_empty());
}

#[test]
fn value_must_agree_with_numerator_over_denominator() {
    let ok = vec![fill(
        "immunization_coverage",
        n(95.8),
        Some(1150.0),
        Some(1200.0),
    )];
    let report = read_xlsx(
        "ok.xlsx",
        &write_filled(&request(), &ok).unwrap(),
        &context(),
    );
    assert!(
        report.errors.is_empty(),
        "95.8 is 95.833… rounded: {}",
        dump(&report)
    );
    assert_eq!(report.rows[0].value, 95.8, "the value as reported is kept");
    let bad = vec![fill(
        "immunization_coverage",
        n(97.0),
        Some(1150.0),
        Some(1200.0),
    )];
    let report = read_xlsx(
        "bad.xlsx",
        &write_filled(&request(), &bad).unwrap(),
        &context(),
    );
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    assert!(
        report.errors[0]
            .message_zh
            .contains("与分子÷分母算出的 95.833333% 不一致"),
        "{}",
        dump(&report)
    );
    let half = vec![fill("immunization_coverage", None, Some(1150.0), None)];
    let report = read_xlsx(
        "half.xlsx",
        &write_filled(&request(), &half).unwrap(),
        &context(),
    );
    assert_eq!(report.errors[0].column, "H", "{}", dump(&report));
    assert!(report.errors[0].message_zh.contains("填了分子但没有填分母"));
}

#[test]
fn rates_accept_a_percent_sign_and_dashes_mean_no_data() {
    let rows = vec![
        fill("immunization_coverage", t("96.5%"), None, None),
        fill("infant_mortality", t("—"), None, None),
        fill("new_childcare_places", t("1,250"), None, None),
    ];
    let report = read_xlsx(
        "x.xlsx",
        &write_filled(&request(), &rows).unwrap(),
        &context(),
    );
    assert!(report.errors.is_empty(), "{}", dump(&report));
    assert_eq!(report.rows.len(), 2);
    assert_eq!(report.rows[0].value, 96.5);
    assert_eq!(report.rows[1].value, 1250.0);
    // A percent sign on a count is a unit that does not fit.
    let rows = vec![fill("new_childcare_places", t("50%"), None, None)];
    let report = read_xlsx(
        "x.xlsx",
        &write_filled(&request(), &rows).unwrap(),
        &context(),
    );
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    assert_eq!(report.errors[0].field, Field::Unit);
    assert!(
        report.errors[0]
            .message_zh
            .contains("单位“%”与指标“新增托位数”的单位“个”不符")
    );
}

#[test]
fn a_jump_against_the_previous_period_is_a_warning() {
    let mut ctx = context();
    ctx.previous = vec![
        PreviousValue {
            indicator: "new_childcare_places".into(),
            region: "532322".into(),
            period: Period::Year(2023),
            value: 80.0,
        },
        PreviousValue {
            indicator: "infant_mortality".into(),
            region: "532322".into(),
            period: Period::Year(2023),
            value: 4.8,
        },
        // An older year is not the one compared with.
        PreviousValue {
            indicator: "new_childcare_places".into(),
            region: "532322".into(),
            period: Period::Year(2022),
            value: 150.0,
        },
    ];
    let bytes = write_filled(&request(), &good_rows()).unwrap();
    let report = read_xlsx("jump.xlsx", &bytes, &ctx);
    assert!(report.errors.is_empty(), "{}", dump(&report));
    assert_eq!(report.rows.len(), 5, "warnings do not stop the import");
    assert_eq!(report.warnings.len(), 1, "{}", dump(&report));
    let w = &report.warnings[0];
    assert_eq!((w.row, w.column.as_str(), w.field), (7, "F", Field::Value));
    assert_eq!(
        w.message_zh,
        "第7行F列：本期值 150个 比上期（2023年）的 80个 增加 87.5%，变化超过 50%，请核实（提示，不影响导入）"
    );
    // A higher threshold lets it pass; None turns the check off.
    ctx.jump_threshold = Some(1.0);
    assert!(read_xlsx("jump.xlsx", &bytes, &ctx).warnings.is_empty());
    ctx.jump_threshold = None;
    assert!(read_xlsx("jump.xlsx", &bytes, &ctx).warnings.is_empty());
}

#[test]
fn a_stored_value_of_the_same_period_is_replaced_with_a_warning() {
    let mut ctx = context();
    ctx.previous = vec![PreviousValue {
        indicator: "infant_mortality".into(),
        region: "532322".into(),
        period: Period::Year(2024),
        value: 4.9,
    }];
    let report = read_xlsx(
        "r.xlsx",
        &write_filled(&request(), &good_rows()).unwrap(),
        &ctx,
    );
    assert_eq!(report.rows.len(), 5);
    assert_eq!(report.warnings.len(), 1, "{}", dump(&report));
    assert!(
        report.warnings[0]
            .message_zh
            .contains("系统中已有本期数值 4.9‰")
    );
}

#[test]
fn truncated_and_foreign_bytes_are_one_error_and_no_panic() {
    let bytes = write_filled(&request(), &good_rows()).unwrap();
    for cut in [
        0,
        1,
        4,
        30,
        100,
        bytes.len() / 3,
        bytes.len() / 2,
        bytes.len() - 20,
    ] {
        let report = read_xlsx("cut.xlsx", &bytes[..cut], &context());
        assert!(!report.errors.is_empty(), "cut at {cut}");
        assert!(report.rows.is_empty());
        assert_eq!(report.errors[0].field, Field::File, "{}", dump(&report));
    }
    let report = read_xlsx("cut.xlsx", &bytes[..bytes.len() / 2], &context());
    assert!(
        report.errors[0].message_zh.contains("无法打开表格"),
        "{}",
        dump(&report)
    );
    for junk in [
        &b"%PDF-1.7 not a workbook"[..],
        b"dataelement,period\n",
        &[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0],
    ] {
        let report = read_xlsx("junk.xlsx", junk, &context());
        assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    }
    // Every prefix, and flipped bytes, of a small workbook: never a panic.
    for cut in (0..bytes.len()).step_by(bytes.len() / 25) {
        let _ = read_xlsx("cut.xlsx", &bytes[..cut], &context());
    }
    let mut flipped = bytes.clone();
    for i in (200..flipped.len()).step_by(flipped.len() / 25) {
        flipped[i] ^= 0x5A;
        let _ = read_xlsx("flipped.xlsx", &flipped, &context());
    }
}

/// A sheet laid out by hand: region and period columns, a unit column, a percent-formatted
/// cell, a value in 人 for an indicator kept in 万人, and a total row without an indicator id.
#[test]
fn a_hand_made_sheet_with_its_own_columns() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("各县汇总").unwrap();
    ws.write_string(0, 0, "2024年各县指标汇总").unwrap();
    for (c, h) in ["地区", "统计期", "指标", "单位", "数值", "备注"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let pct = Format::new().set_num_format("0.0%");
    let rows: [(&str, &str, &str, &str); 4] = [
        ("楚雄市", "2024", "适龄儿童免疫疫苗接种率", "%"),
        ("532322", "2024", "城镇新增就业人数", "人"),
        ("双柏县", "2024年第3季度", "婴儿死亡率", "‰"),
        ("城关区", "2024", "新增托位数", "个"),
    ];
    for (i, (region, period, name, unit)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *region).unwrap();
        ws.write_string(r, 1, *period).unwrap();
        ws.write_string(r, 2, *name).unwrap();
        ws.write_string(r, 3, *unit).unwrap();
    }
    ws.write_number_with_format(3, 4, 0.955, &pct).unwrap();
    ws.write_number(4, 4, 4200.0).unwrap();
    ws.write_number(5, 4, 4.1).unwrap();
    ws.write_number(6, 4, 30.0).unwrap();
    ws.write_string(8, 0, "填报人：张三").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let report = read_xlsx("hand.xlsx", &bytes, &context());
    // 城关区 names two regions: the one error.
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    let e = &report.errors[0];
    assert_eq!(
        (e.sheet.as_deref(), e.row, e.column.as_str()),
        (Some("各县汇总"), 7, "A")
    );
    assert!(
        e.message_zh.contains("对应多个地区（620102, 540102）"),
        "{}",
        dump(&report)
    );

    // Without that row: a percent cell read as 95.5, 4200人 converted to 0.42万人 with a warning.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["orgunit", "period", "dataelement", "unit", "value"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, (region, period, name, unit)) in rows.iter().take(3).enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, *region).unwrap();
        ws.write_string(r, 1, *period).unwrap();
        ws.write_string(r, 2, *name).unwrap();
        ws.write_string(r, 3, *unit).unwrap();
    }
    ws.write_number_with_format(1, 4, 0.955, &pct).unwrap();
    ws.write_number(2, 4, 4200.0).unwrap();
    ws.write_number(3, 4, 4.1).unwrap();
    let report = read_xlsx("hand.xlsx", &wb.save_to_buffer().unwrap(), &context());
    assert!(report.errors.is_empty(), "{}", dump(&report));
    let values: Vec<(&str, &str, f64)> = report
        .rows
        .iter()
        .map(|r| (r.indicator.as_str(), r.region.as_str(), r.value))
        .collect();
    assert_eq!(
        values,
        vec![
            ("immunization_coverage", "532301", 95.5),
            ("urban_new_jobs", "532322", 0.42),
            ("infant_mortality", "532322", 4.1),
        ]
    );
    assert_eq!(report.rows[2].period, Period::Quarter(2024, 3));
    assert_eq!(report.warnings.len(), 1, "{}", dump(&report));
    assert_eq!(
        (report.warnings[0].row, report.warnings[0].column.as_str()),
        (3, "D")
    );
    assert!(
        report.warnings[0].message_zh.contains("4200人 = 0.42万人"),
        "{}",
        dump(&report)
    );
}

#[test]
fn a_workbook_without_a_reporting_table() {
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .write_string(0, 0, "随便写的内容")
        .unwrap();
    let report = read_xlsx("other.xlsx", &wb.save_to_buffer().unwrap(), &context());
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    assert!(report.errors[0].message_zh.contains("没有找到填报表"));
}

#[test]
fn metadata_region_and_period_are_checked_once() {
    let mut req = request();
    req.region_code = "999999".to_string();
    let report = read_xlsx(
        "x.xlsx",
        &write_filled(&req, &good_rows()).unwrap(),
        &context(),
    );
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    let e = &report.errors[0];
    assert_eq!((e.row, e.column.as_str(), e.field), (2, "B", Field::Region));
    assert!(
        e.message_zh.contains("地区“999999”不在可填报的地区中"),
        "{}",
        dump(&report)
    );

    let mut req = request();
    req.period = Period::Year(2026);
    let report = read_xlsx(
        "x.xlsx",
        &write_filled(&req, &good_rows()).unwrap(),
        &context(),
    );
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    assert_eq!(
        (report.errors[0].row, report.errors[0].column.as_str()),
        (2, "F")
    );
    assert!(report.errors[0].message_zh.contains("还没有开始"));
}

#[test]
fn a_duplicate_on_another_sheet_names_that_sheet() {
    let mut wb = Workbook::new();
    for (sheet, value) in [("一季度汇总", 4.4), ("补报", 4.6)] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        ws.write_string(0, 0, "统计期：2024").unwrap();
        ws.write_string(1, 0, "地区编码").unwrap();
        ws.write_string(1, 1, "532322").unwrap();
        ws.write_string(3, 0, "指标名称").unwrap();
        ws.write_string(3, 1, "本期值").unwrap();
        ws.write_string(4, 0, "婴儿死亡率").unwrap();
        ws.write_number(4, 1, value).unwrap();
    }
    let report = read_xlsx("two.xlsx", &wb.save_to_buffer().unwrap(), &context());
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    let e = &report.errors[0];
    assert_eq!((e.sheet.as_deref(), e.row), (Some("补报"), 5));
    assert!(
        e.message_zh.starts_with("第5行：与“一季度汇总”表第5行重复"),
        "{}",
        dump(&report)
    );
}
