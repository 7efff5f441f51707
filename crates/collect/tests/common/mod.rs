//! Shared fixtures: the real catalog, a few Yunnan regions, a template request.

#![allow(dead_code)]

use minsheng_catalog::{Catalog, Kind};
use minsheng_collect::{
    ImportContext, ImportReport, KnownRegion, TemplateRequest, TemplateRow, TemplateTarget,
};
use minsheng_model::{Op, Period};

pub const NOW: &str = "2025-03-01T08:00:00Z";

pub fn catalog() -> Catalog {
    Catalog::from_toml(include_str!("../../../../data/catalog/indicators.toml")).unwrap()
}

pub fn regions() -> Vec<KnownRegion> {
    let r = |code: &str, names: &[&str]| KnownRegion {
        code: code.to_string(),
        names: names.iter().map(|s| s.to_string()).collect(),
    };
    vec![
        r("530000", &["云南省", "云南"]),
        r("532300", &["楚雄彝族自治州", "楚雄州"]),
        r("532301", &["楚雄市"]),
        r("532322", &["双柏县"]),
        r("620102", &["城关区"]),
        r("540102", &["城关区"]),
    ]
}

pub fn context() -> ImportContext {
    ImportContext::from_catalog(&catalog(), regions(), "clerk-shuangbai", NOW)
}

fn row(id: &str, lead: &str, target: Option<(Op, f64, i32)>, last: Option<f64>) -> TemplateRow {
    let cat = catalog();
    let ind = cat.get(id).unwrap_or_else(|| panic!("{id} not in catalog"));
    TemplateRow {
        indicator_id: id.to_string(),
        indicator_name: ind.name.clone(),
        unit: ind.unit.clone(),
        kind: ind.kind,
        target: target.map(|(op, value, year)| TemplateTarget {
            op,
            value,
            year: Some(year),
        }),
        last_value: last.map(|v| (Period::Year(2023), v)),
        lead_unit: Some(lead.to_string()),
    }
}

/// 双柏县 2024: a rate, a per-mille rate, counts in 个, 万人 and 人, a per-capita area.
pub fn request() -> TemplateRequest {
    let rows = vec![
        row(
            "immunization_coverage",
            "县卫生健康局",
            Some((Op::AtLeast, 95.0, 2025)),
            Some(96.2),
        ),
        row(
            "infant_mortality",
            "县卫生健康局",
            Some((Op::AtMost, 5.0, 2025)),
            Some(4.8),
        ),
        row(
            "new_childcare_places",
            "县卫生健康局",
            Some((Op::AtLeast, 300.0, 2025)),
            Some(120.0),
        ),
        row("urban_new_jobs", "县人力资源社会保障局", None, Some(0.35)),
        row("new_disabled_employment", "县残联", None, None),
        row(
            "per_capita_sports_area",
            "县教育体育局",
            Some((Op::AtLeast, 2.6, 2025)),
            Some(2.4),
        ),
    ];
    assert_eq!(rows[0].kind, Kind::Rate);
    TemplateRequest {
        region_code: "532322".to_string(),
        region_name: "双柏县".to_string(),
        period: Period::Year(2024),
        department: Some("县发展和改革局".to_string()),
        rows,
    }
}

/// Every issue of a report, one per line, for assertion messages.
pub fn dump(report: &ImportReport) -> String {
    let mut out = String::new();
    for i in &report.errors {
        out.push_str(&format!("E {i}\n"));
    }
    for i in &report.warnings {
        out.push_str(&format!("W {i}\n"));
    }
    out
}
