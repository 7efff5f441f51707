//! End to end: a real evaluation (minsheng_evaluate::evaluate over the sample's hand-made
//! 模拟数据) rendered to docx, xlsx and html, and read back.

use std::io::{Cursor, Read};

use calamine::{Data, DataType, Reader, Xlsx};
use minsheng_model::RegionLevel;
use minsheng_report::{EvaluationResult, ReportError, ReportInput, sample};
use quick_xml::events::Event;

const HEADINGS: [&str; 7] = [
    "一、总体情况",
    "二、分领域评估结果",
    "三、排名情况",
    "四、滞后指标及责任单位",
    "五、均等化分析",
    "六、问题与建议",
    "附：评估方法",
];

fn part(bytes: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    Some(s)
}

/// The text of every `w:t`, one string per paragraph; panics if the XML does not parse.
fn paragraphs(xml: &str) -> Vec<String> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_t = false;
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) if e.local_name().into_inner() == "t" => in_t = true,
            Event::End(e) if e.local_name().into_inner() == "t" => in_t = false,
            Event::End(e) if e.local_name().into_inner() == "p" => {
                out.push(std::mem::take(&mut cur))
            }
            Event::Text(t) if in_t => cur.push_str(&t.xml10_content()),
            Event::GeneralRef(g) if in_t => {
                let reference = format!("&{};", &*g);
                cur.push_str(&quick_xml::escape::unescape(&reference).unwrap());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn first_prefecture(r: &EvaluationResult) -> (String, f64) {
    let k = r
        .rankings
        .iter()
        .find(|k| k.level == Some(RegionLevel::Prefecture) && k.rank == 1)
        .expect("a prefecture ranked first");
    (k.region.clone(), k.score)
}

fn name_of(input: &ReportInput<'_>, code: &str) -> String {
    input
        .regions
        .iter()
        .find(|g| g.code == code)
        .unwrap()
        .name
        .clone()
}

#[test]
fn docx_has_the_sections_in_order_a_ranking_row_charts_and_the_simulated_label() {
    let result = sample::result();
    let input = sample::input(&result);
    let bytes = minsheng_report::docx(&input).unwrap();
    let doc = part(&bytes, "word/document.xml").expect("word/document.xml");
    let paras = paragraphs(&doc);
    let at: Vec<usize> = HEADINGS
        .iter()
        .map(|h| {
            paras
                .iter()
                .position(|p| p == h)
                .unwrap_or_else(|| panic!("no heading {h}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "headings out of order: {at:?}"
    );
    // The first-ranked prefecture's row: rank, name, score to one decimal.
    let (code, score) = first_prefecture(&result);
    let name = name_of(&input, &code);
    let i = paras
        .iter()
        .position(|p| *p == name)
        .expect("the prefecture's name");
    assert_eq!(paras[i - 1], "1");
    assert_eq!(paras[i + 1], format!("{score:.1}"));
    assert!(paras.iter().any(|p| p.contains("模拟数据")));
    assert!(paras.iter().any(|p| p.contains("【待填写】")));
    let header = part(&bytes, "word/header1.xml").expect("a page header");
    assert!(paragraphs(&header).concat().contains("模拟数据"));
    // Lagging targets name their lead unit from the plan's task.
    assert!(
        paras
            .iter()
            .any(|p| p == "省卫生健康委" || p == "省民政厅" || p == "省教育厅")
    );
    // Every chart referenced is a part that parses and carries cached values.
    let rels = part(&bytes, "word/_rels/document.xml.rels").unwrap();
    let n = rels.matches("charts/chart").count();
    assert!(n >= 4, "{n} charts");
    for k in 1..=n {
        let c = part(&bytes, &format!("word/charts/chart{k}.xml")).expect("chart part");
        let mut r = quick_xml::Reader::from_str(&c);
        while r.read_event().expect("chart XML parses") != Event::Eof {}
        assert!(c.contains("c:numCache") && c.contains("c:strCache"));
    }
    let types = part(&bytes, "[Content_Types].xml").unwrap();
    assert_eq!(types.matches("drawingml.chart+xml").count(), n);
}

#[test]
fn real_data_reports_carry_no_simulated_label() {
    let result = sample::result();
    let mut input = sample::input(&result);
    input.simulated = false;
    let docx = minsheng_report::docx(&input).unwrap();
    assert!(part(&docx, "word/header1.xml").is_none());
    assert!(
        !part(&docx, "word/document.xml")
            .unwrap()
            .contains("模拟数据")
    );
    let html = String::from_utf8(minsheng_report::html(&input).unwrap()).unwrap();
    assert!(!html.contains("模拟数据"));
}

#[test]
fn xlsx_holds_the_tables_with_numbers_frozen_headers_and_the_label() {
    let result = sample::result();
    let input = sample::input(&result);
    let bytes = minsheng_report::xlsx(&input).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let names = wb.sheet_names();
    for s in [
        "报告",
        "状态分布",
        "分领域",
        "州市排名",
        "县区排名",
        "滞后指标",
        "均等化",
    ] {
        assert!(names.iter().any(|n| n == s), "sheet {s} missing: {names:?}");
    }
    let rank = wb.worksheet_range("州市排名").unwrap();
    assert_eq!(
        rank.get((0, 0)),
        Some(&Data::String("模拟数据（仅供演示）".into()))
    );
    assert_eq!(rank.get((1, 1)), Some(&Data::String("州（市）".into())));
    let (code, score) = first_prefecture(&result);
    assert_eq!(rank.get((2, 0)), Some(&Data::Float(1.0)));
    assert_eq!(
        rank.get((2, 1)),
        Some(&Data::String(name_of(&input, &code)))
    );
    assert_eq!(
        rank.get((2, 2)),
        Some(&Data::Float(score)),
        "the score as a number"
    );
    let report = wb.worksheet_range("报告").unwrap();
    let cells: Vec<String> = report.rows().filter_map(|r| r[0].as_string()).collect();
    for h in HEADINGS {
        assert!(cells.iter().any(|c| c == h), "{h}");
    }
    // Frozen header rows and an autofilter on every table sheet.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut frozen = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().starts_with("xl/worksheets/sheet") {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            if s.contains("state=\"frozen\"") {
                assert!(s.contains("<autoFilter"), "{:?}", f.name());
                frozen += 1;
            }
        }
    }
    assert_eq!(frozen, names.len() - 1);
    let mut charts = 0;
    for i in 0..zip.len() {
        charts += usize::from(
            zip.by_index(i)
                .unwrap()
                .name()
                .unwrap()
                .starts_with("xl/charts/chart"),
        );
    }
    assert!(charts >= 4, "{charts} native charts");
}

#[test]
fn html_is_offline_and_has_every_section() {
    let result = sample::result();
    let input = sample::input(&result);
    let html = String::from_utf8(minsheng_report::html(&input).unwrap()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let at: Vec<usize> = HEADINGS.iter().map(|h| html.find(h).expect(h)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]));
    assert!(html.contains("class=\"sim\""));
    assert!(html.matches("<svg").count() >= 4);
    // Nothing to fetch: the only "http" is the SVG namespace.
    assert!(!html.contains(" src=") && !html.contains(" href=") && !html.contains("url("));
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
}

#[test]
fn public_summary_is_short_published_only_and_keeps_internal_notes_out() {
    let result = sample::result();
    let mut input = sample::input(&result);
    let html = String::from_utf8(minsheng_report::public_summary_html(&input).unwrap()).unwrap();
    assert!(html.contains("一、规划目标") && html.contains("二、各地进展"));
    assert!(html.contains("学前教育毛入园率") && html.contains("≥ 92%（2025年）"));
    for g in input
        .regions
        .iter()
        .filter(|g| g.level != RegionLevel::Province)
    {
        assert!(html.contains(&g.name), "{}", g.name);
    }
    assert!(html.contains("模拟数据"));
    for internal in [
        "牵头单位",
        "【待填写】",
        "评估方法",
        "省卫生健康委",
        "问题与建议",
    ] {
        assert!(!html.contains(internal), "{internal}");
    }
    input.published = false;
    assert!(matches!(
        minsheng_report::public_summary_html(&input),
        Err(ReportError::NotPublished { .. })
    ));
}

#[test]
fn a_prefecture_report_ranks_its_counties_with_a_chart() {
    let mut result = sample::result();
    result.scope = Some("532300".into());
    let mut input = sample::input(&result);
    input.region = "532300".into();
    let bytes = minsheng_report::xlsx(&input).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert!(!wb.sheet_names().iter().any(|n| n == "州市排名"));
    let rank = wb.worksheet_range("县区排名").unwrap();
    let names: Vec<String> = rank
        .rows()
        .skip(2)
        .filter_map(|r| r.get(1).and_then(|c| c.as_string()))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["双柏县", "楚雄市", "禄丰县"]);
    let html = String::from_utf8(minsheng_report::html(&input).unwrap()).unwrap();
    assert!(html.contains("楚雄州各县（市、区）综合得分"));
}
