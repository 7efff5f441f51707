//! The reporting workbook, read back with calamine and (for protection and validation) as the
//! sheet XML inside the xlsx.

mod common;

use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};
use common::{context, dump, request};
use minsheng_collect::layout::{self, FIRST_DATA_ROW, HEADER_ROW};
use minsheng_collect::{TemplateError, read_xlsx, template};
use std::io::{Cursor, Read};

fn open(bytes: &[u8]) -> Sheets<Cursor<&[u8]>> {
    open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap()
}

fn sheet_xml(bytes: &[u8], n: usize) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        _ => String::new(),
    }
}

#[test]
fn template_has_sheets_metadata_header_and_rows() {
    let req = request();
    let bytes = template::write(&req).unwrap();
    let mut wb = open(&bytes);
    assert_eq!(
        wb.sheet_names(),
        vec!["填报".to_string(), "说明".to_string()]
    );
    let range = wb.worksheet_range("填报").unwrap();
    let at = |cell: &str| {
        let col = u32::from(cell.as_bytes()[0] - b'A');
        let row: u32 = cell[1..].parse::<u32>().unwrap() - 1;
        text(range.get_value((row, col)))
    };
    assert!(
        at("A1").contains("双柏县2024年基本公共服务提升行动指标填报表"),
        "{}",
        at("A1")
    );
    assert_eq!(at(layout::REGION_CODE_CELL), "532322");
    assert_eq!(at(layout::REGION_NAME_CELL), "双柏县");
    assert_eq!(at(layout::PERIOD_CELL), "2024");
    assert_eq!(at(layout::DEPARTMENT_CELL), "县发展和改革局");
    assert_eq!(at(layout::VERSION_CELL), layout::TEMPLATE_VERSION);
    assert!(at("A3").starts_with("模板说明"));
    let header: Vec<String> = (0..10)
        .map(|c| text(range.get_value((HEADER_ROW - 1, c))))
        .collect();
    assert_eq!(header[0], "指标编码\nIndicator id");
    assert_eq!(header[4], "上期值（2023）\nPrevious value (2023)");
    assert_eq!(header[5], "本期值\nValue");
    assert_eq!(header[6], "分子\nNumerator");
    assert_eq!(header[7], "分母\nDenominator");
    assert_eq!(header[9], "牵头单位\nLead unit");
    let first = FIRST_DATA_ROW - 1;
    assert_eq!(text(range.get_value((first, 0))), "immunization_coverage");
    assert_eq!(
        text(range.get_value((first, 1))),
        "适龄儿童免疫规划疫苗接种率"
    );
    assert_eq!(text(range.get_value((first, 2))), "%");
    assert_eq!(text(range.get_value((first, 3))), "≥95%（2025年）");
    assert_eq!(range.get_value((first, 4)), Some(&Data::Float(96.2)));
    assert_eq!(text(range.get_value((first + 1, 3))), "≤5‰（2025年）");
    assert_eq!(text(range.get_value((first + 5, 9))), "县教育体育局");

    // Locked reference cells, unlocked input cells (calamine reads cell protection).
    let Sheets::Xlsx(x) = &mut wb else {
        panic!("not xlsx")
    };
    let styles = x.worksheet_style("填报").unwrap();
    let locked = |row: u32, col: u32| {
        styles
            .get((row, col))
            .and_then(|s| s.protection.as_ref())
            .is_none_or(|p| p.locked)
    };
    assert!(locked(HEADER_ROW - 1, 5), "header locked");
    assert!(
        locked(first, 0) && locked(first, 1) && locked(first, 4),
        "reference cells locked"
    );
    assert!(!locked(first, 5) && !locked(first, 6) && !locked(first, 7) && !locked(first, 8));
    // A count has no numerator or denominator to fill.
    assert!(!locked(first + 2, 5) && locked(first + 2, 6) && locked(first + 2, 7));

    // Sheet protection, data validation, frozen panes: in the sheet's XML.
    let xml = sheet_xml(&bytes, 1);
    assert!(xml.contains("<sheetProtection"), "protected");
    assert!(xml.contains("<dataValidations"), "validated");
    let validation = |sqref: &str| {
        xml.split("<dataValidation ")
            .find(|v| v.contains(&format!(r#"sqref="{sqref}""#)))
            .unwrap_or_else(|| panic!("no validation on {sqref}"))
            .to_string()
    };
    let rate = validation("F5");
    assert!(
        rate.starts_with(r#"type="decimal""#)
            && rate.contains("<formula1>0</formula1><formula2>100</formula2>"),
        "rate 0–100: {rate}"
    );
    assert!(
        validation("F6").contains("<formula2>1000</formula2>"),
        "per mille 0–1000"
    );
    assert!(
        validation("F7").starts_with(r#"type="whole" operator="greaterThanOrEqual""#),
        "count of 个 whole"
    );
    assert!(
        validation("F8").starts_with(r#"type="decimal" operator="greaterThanOrEqual""#),
        "万人 decimal"
    );
    assert!(
        xml.contains(r#"sqref="G5:H5""#),
        "numerator and denominator validated"
    );
    assert!(xml.contains(r#"state="frozen""#), "frozen header");
    assert!(
        sheet_xml(&bytes, 2).contains("<sheetProtection"),
        "help sheet protected"
    );
}

#[test]
fn an_unfilled_template_imports_nothing_and_says_so() {
    let bytes = template::write(&request()).unwrap();
    let report = read_xlsx("blank.xlsx", &bytes, &context());
    assert!(report.errors.is_empty(), "{}", dump(&report));
    assert!(report.rows.is_empty());
    assert_eq!(report.blank, 6);
    assert_eq!(report.warnings.len(), 1, "{}", dump(&report));
    assert!(report.warnings[0].message_zh.contains("没有读到任何数值"));
}

#[test]
fn a_template_needs_rows() {
    let mut req = request();
    req.rows.clear();
    assert!(matches!(
        template::write(&req),
        Err(TemplateError::NoRows { .. })
    ));
}

#[test]
fn quarter_templates_and_differing_previous_periods() {
    let mut req = request();
    req.period = minsheng_model::Period::Quarter(2024, 3);
    req.rows[1].last_value = Some((minsheng_model::Period::Quarter(2024, 2), 4.1));
    let bytes = template::write(&req).unwrap();
    let mut wb = open(&bytes);
    let range = wb.worksheet_range("填报").unwrap();
    assert_eq!(text(range.get_value((1, 5))), "2024Q3");
    assert_eq!(
        text(range.get_value((HEADER_ROW - 1, 4))),
        "上期值\nPrevious value"
    );
    assert!(text(range.get_value((0, 0))).contains("2024年第3季度"));
}
