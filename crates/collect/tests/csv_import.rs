//! CSV through the importer: DHIS2's dataValueSet layout with ids and with names, GBK and
//! UTF-16 bytes, headerless exports, and the errors a CSV can carry.

mod common;

use common::{context, dump};
use minsheng_collect::{Field, read, read_csv};
use minsheng_model::{Period, ValueSource};

const DHIS2_HEADER: &str = "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted";

#[test]
fn dhis2_csv_with_our_ids() {
    let csv = format!(
        "{DHIS2_HEADER}\n\
         immunization_coverage,2024,532322,HllvX50cXC0,HllvX50cXC0,96.1,admin,2025-01-10T10:00:00.000,,false,\n\
         infant_mortality,2024,532322,,,4.6,admin,2025-01-10T10:00:00.000,\"县妇幼保健院,报送\",false,false\n\
         new_childcare_places,2024Q4,532301,default,,40,admin,2025-01-10,,,\n"
    );
    let report = read_csv("dhis2.csv", csv.as_bytes(), &context());
    assert!(report.errors.is_empty(), "{}", dump(&report));
    assert_eq!(report.rows.len(), 3);
    assert_eq!(report.rows[0].indicator, "immunization_coverage");
    assert_eq!(report.rows[0].value, 96.1);
    assert_eq!(report.rows[0].source, ValueSource::Csv);
    assert_eq!(report.rows[1].comment.as_deref(), Some("县妇幼保健院,报送"));
    assert_eq!(report.rows[2].period, Period::Quarter(2024, 4));
    assert_eq!(report.rows[2].region, "532301");
    // Who and when are the importer's, not DHIS2's storedby and lastupdated.
    assert_eq!(report.rows[0].entered_by, "clerk-shuangbai");
}

#[test]
fn dhis2_csv_with_names_any_order_and_case_plus_numerator_and_denominator() {
    let csv = "OrgUnit,Period,DataElement,Value,Numerator,Denominator,Comment,Extra\n\
               双柏县,2024,适龄儿童免疫规划疫苗接种率,,1910,2000,,x\n\
               楚雄州,2024,婴儿死亡率,4.2,,,,x\n\
               楚雄彝族自治州,2024,城镇新增就业,1.8,,,,\n\
               532300000000,2023,新增托位,200,,,,\n";
    let report = read_csv("names.csv", csv.as_bytes(), &context());
    assert!(report.errors.is_empty(), "{}", dump(&report));
    let got: Vec<(&str, &str, f64)> = report
        .rows
        .iter()
        .map(|r| (r.indicator.as_str(), r.region.as_str(), r.value))
        .collect();
    assert_eq!(
        got,
        vec![
            ("immunization_coverage", "532322", 95.5),
            ("infant_mortality", "532300", 4.2),
            ("urban_new_jobs", "532300", 1.8),
            ("new_childcare_places", "532300", 200.0),
        ]
    );
    assert_eq!(report.rows[0].numerator, Some(1910.0));
}

#[test]
fn gbk_encoded_csv_with_chinese_headers() {
    let text = "指标,统计期,地区,本期值,备注\r\n婴儿死亡率,2024,双柏县,4.4,含流动人口\r\n新增托位数,2024,双柏县,\"1,200\",\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    let report = read_csv("gbk.csv", &gbk, &context());
    assert!(report.errors.is_empty(), "{}", dump(&report));
    assert_eq!(report.rows.len(), 2);
    assert_eq!(report.rows[0].comment.as_deref(), Some("含流动人口"));
    assert_eq!(report.rows[1].value, 1200.0);
    // UTF-8 with BOM, and UTF-16LE with BOM and tabs (Excel's "Unicode text").
    let bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
    assert_eq!(read_csv("bom.csv", &bom, &context()).rows, report.rows);
    let tabbed = text.replace(",\"1,200\",", "\t1200\t").replace(',', "\t");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in tabbed.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let r16 = read_csv("unicode.txt", &utf16, &context());
    assert!(r16.errors.is_empty(), "{}", dump(&r16));
    assert_eq!(r16.rows, report.rows);
}

#[test]
fn headerless_dhis2_export_in_standard_order() {
    let csv = "immunization_coverage,2024,532322,HllvX50cXC0,HllvX50cXC0,96.1,admin,2025-01-10,,false\n\
               infant_mortality,2024,532322,HllvX50cXC0,HllvX50cXC0,九十,admin,2025-01-10,,false\n";
    let report = read_csv("export.csv", csv.as_bytes(), &context());
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    let e = &report.errors[0];
    assert_eq!((e.row, e.column.as_str()), (2, "6"));
    assert_eq!(
        e.message_zh,
        "第2行第6列（value）：本期值“九十”不是数字；请只填阿拉伯数字（如 95.5）"
    );
    let fixed = csv.replace("九十", "4.3");
    let report = read_csv("export.csv", fixed.as_bytes(), &context());
    assert!(report.errors.is_empty(), "{}", dump(&report));
    assert_eq!(report.rows.len(), 2);
}

#[test]
fn duplicates_name_both_rows() {
    let csv = "dataelement,period,orgunit,value\n\
               infant_mortality,2024,532322,4.4\n\
               new_childcare_places,2024,532322,10\n\
               婴儿死亡率,2024,双柏县,4.5\n";
    let report = read_csv("dup.csv", csv.as_bytes(), &context());
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    let e = &report.errors[0];
    assert_eq!((e.row, e.field), (4, Field::Row));
    assert!(
        e.message_zh.starts_with("第4行：与第2行重复"),
        "{}",
        e.message_zh
    );
    assert!(
        e.message_en.starts_with("row 4: duplicates row 2"),
        "{}",
        e.message_en
    );
    assert!(report.rows.is_empty());
}

#[test]
fn every_error_is_listed_in_both_languages() {
    let csv = "dataelement,period,orgunit,value,numerator,denominator\n\
               婴儿死忙率,2024,532322,4.4,,\n\
               infant_mortality,2024-13,532322,4.4,,\n\
               infant_mortality,2024,火星,4.4,,\n\
               immunization_coverage,2024,532322,120,,\n\
               immunization_coverage,2023,532322,,120,100\n\
               immunization_coverage,2022,532322,,5,0\n\
               immunization_coverage,2021,532322,4‰,,\n\
               infant_mortality,2026,532322,4.4,,\n\
               infant_mortality,2023,城关区,4.4,,\n";
    let report = read_csv("many.csv", csv.as_bytes(), &context());
    let got: Vec<(usize, &str, Field)> = report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.field))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "dataelement", Field::Indicator),
            (3, "period", Field::Period),
            (4, "orgunit", Field::Region),
            (5, "value", Field::Value),
            (6, "numerator", Field::Numerator),
            (7, "denominator", Field::Denominator),
            (8, "value", Field::Unit),
            (9, "period", Field::Period),
            (10, "orgunit", Field::Region),
        ],
        "{}",
        dump(&report)
    );
    let m = |i: usize| report.errors[i].message_zh.as_str();
    assert!(
        m(0).contains("指标“婴儿死忙率”不在指标库中；是不是：婴儿死亡率（infant_mortality）"),
        "{}",
        m(0)
    );
    assert!(
        m(1).contains("统计期“2024-13”无法识别；请写成 2024（年）、2024Q1（季度）或 202401（月）")
    );
    assert!(m(2).contains("地区“火星”不在可填报的地区中"));
    assert!(m(7).contains("还没有开始"));
    for e in &report.errors {
        assert!(e.message_zh.starts_with(&format!("第{}行", e.row)), "{e}");
        assert!(e.message_en.starts_with(&format!("row {}", e.row)), "{e}");
        assert!(
            !e.message_en
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                || e.message_en.contains('“'),
            "{e}"
        );
    }
}

#[test]
fn jumps_within_the_file_are_warnings() {
    let csv = "dataelement,period,orgunit,value\n\
               new_childcare_places,2023,532322,100\n\
               new_childcare_places,2024,532322,400\n\
               new_childcare_places,2024Q1,532322,20\n";
    let report = read_csv("jump.csv", csv.as_bytes(), &context());
    assert!(report.errors.is_empty(), "{}", dump(&report));
    assert_eq!(report.rows.len(), 3);
    assert_eq!(
        report.warnings.len(),
        1,
        "a quarter is not compared with a year: {}",
        dump(&report)
    );
    assert_eq!(report.warnings[0].row, 3);
    assert!(
        report.warnings[0]
            .message_en
            .contains("300% higher than 100个 in 2023"),
        "{}",
        dump(&report)
    );
}

#[test]
fn dhis2_specials_deleted_rows_and_disaggregations() {
    let csv = format!(
        "{DHIS2_HEADER}\n\
         infant_mortality,2024,532322,HllvX50cXC0,,4.4,,,,,true\n\
         infant_mortality,2024,532322,HllvX50cXC0,,4.5,,,,,false\n\
         new_childcare_places,2024,532322,Prlt0C1RF0s,,12,,,,,\n"
    );
    let report = read_csv("d.csv", csv.as_bytes(), &context());
    assert_eq!(report.deleted, 1);
    assert_eq!(report.errors.len(), 1, "{}", dump(&report));
    assert_eq!(report.errors[0].column, "categoryoptioncombo");
    assert!(report.errors[0].message_zh.contains("只收总数"));
}

#[test]
fn files_that_are_not_csv_or_lack_columns() {
    let ctx = context();
    let cases: [(&[u8], &str); 5] = [
        (b"", "文件是空的"),
        (b"a,b\n1,2\n", "无法识别各列"),
        (
            b"dataelement,value\ninfant_mortality,4\n",
            "缺少必需的列：period（统计期）、orgunit（地区）",
        ),
        (
            &[0xFF, 0xFF, 0x00, 0x81, 0x30, 0xFF, 0xFE, 0x80],
            "既不是 UTF-8 也不是 GBK/GB18030",
        ),
        (b"dataelement,period,orgunit,value,value\n", "表头重复"),
    ];
    for (bytes, expected) in cases {
        let report = read_csv("x.csv", bytes, &ctx);
        assert_eq!(report.errors.len(), 1, "{}", dump(&report));
        assert!(
            report.errors[0].message_zh.contains(expected),
            "{}",
            dump(&report)
        );
    }
    // A header without data is no error, but a warning that nothing was read.
    let report = read_csv("x.csv", b"dataelement,period,orgunit,value\n", &ctx);
    assert!(
        report.errors.is_empty() && report.warnings.len() == 1,
        "{}",
        dump(&report)
    );
    // `read` sends text to the CSV reader whatever the name says.
    let report = read(
        "x.xlsx",
        b"dataelement,period,orgunit,value\ninfant_mortality,2024,532322,4\n",
        &ctx,
    );
    assert_eq!(report.rows.len(), 1, "{}", dump(&report));
}

#[test]
fn arbitrary_bytes_never_panic() {
    let ctx = context();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in [1usize, 7, 64, 300, 2000] {
        for _ in 0..30 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Mostly CSV-ish bytes, with some high ones.
                    let alphabet = b",\n\"0123456789.%-abcQ\xe5\x85\xb0\xff";
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            let report = read("fuzz", &bytes, &ctx);
            assert!(report.errors.is_empty() || report.rows.is_empty());
        }
    }
}

#[test]
fn errors_come_in_file_order_and_a_third_copy_names_the_first() {
    let csv = "dataelement,period,orgunit,value\n\
               infant_mortality,2024,532322,4.4\n\
               infant_mortality,2024,532322,4.4\n\
               new_childcare_places,2024,532322,abc\n\
               infant_mortality,2024,532322,4.4\n";
    let report = read_csv("order.csv", csv.as_bytes(), &context());
    let rows: Vec<usize> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, vec![3, 4, 5], "{}", dump(&report));
    assert!(
        report.errors[2].message_zh.contains("与第2行重复"),
        "{}",
        dump(&report)
    );
    assert_eq!(report.error_count, 3);
}
