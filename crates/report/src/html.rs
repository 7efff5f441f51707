//! HTML: one self-contained file that works offline — inline CSS, inline SVG charts, no script
//! and no external URL — written with quick-xml's writer (text escaped by it); and the public
//! summary (公示) of a published run.

use quick_xml::Writer;
use quick_xml::events::{BytesText, Event};

use crate::content::{self, Block, Chart, ChartKind, ColKind, SIMULATED, Table};
use crate::{ReportError, ReportInput};
use minsheng_model::RegionLevel;

type W = Writer<Vec<u8>>;
type R = std::io::Result<()>;

const CSS: &str = "body{font-family:'Noto Serif CJK SC','Source Han Serif SC','SimSun',serif;max-width:1100px;margin:0 auto;padding:1em 2em;color:#222}\
h1{text-align:center;font-size:1.6em}h2{font-family:'Noto Sans CJK SC','SimHei',sans-serif;border-bottom:2px solid #8b0000;padding-bottom:.2em;margin-top:1.6em}\
h3{font-size:1.1em}.sub{text-align:center;color:#555}.sim{background:#c00000;color:#fff;font-weight:bold;text-align:center;padding:.6em;font-size:1.2em}\
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #999;padding:.25em .5em}th{background:#ddebf7}\
td.n{text-align:right}caption{font-weight:bold;padding:.3em}.fill{background:#fff3cd;border:1px dashed #c99;padding:.5em}svg{display:block;margin:.5em 0}";

fn el(w: &mut W, name: &str, attrs: &[(&str, &str)], text: &str) -> R {
    w.create_element(name)
        .with_attributes(attrs.iter().copied())
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

fn page(title: &str, body: impl FnOnce(&mut W) -> R) -> Result<Vec<u8>, ReportError> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::DocType(BytesText::from_escaped("html")))?;
    w.create_element("html")
        .with_attribute(("lang", "zh-CN"))
        .write_inner_content(|w| {
            w.create_element("head").write_inner_content(|w| {
                w.create_element("meta")
                    .with_attribute(("charset", "utf-8"))
                    .write_empty()?;
                el(w, "title", &[], title)?;
                // Constant CSS, written as is (quick-xml would escape its quotes).
                w.create_element("style").write_inner_content(|w| {
                    w.write_event(Event::Text(BytesText::from_escaped(CSS)))
                })?;
                Ok(())
            })?;
            w.create_element("body").write_inner_content(body)?;
            Ok(())
        })?;
    Ok(w.into_inner())
}

fn sim_banner(w: &mut W) -> R {
    el(
        w,
        "div",
        &[("class", "sim")],
        &format!("{SIMULATED}：本页内容由模拟数据生成，仅供演示，不代表真实情况"),
    )
}

/// The report as one offline HTML page.
pub fn html(input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
    let report = content::build(input);
    page(&report.title, |w| {
        if report.simulated {
            sim_banner(w)?;
        }
        el(w, "h1", &[], &report.title)?;
        el(w, "p", &[("class", "sub")], &report.subtitle)?;
        for s in &report.sections {
            el(w, "h2", &[], &s.heading)?;
            for b in &s.blocks {
                match b {
                    Block::Para(t) => el(w, "p", &[], t)?,
                    Block::Sub(t) => el(w, "h3", &[], t)?,
                    Block::Placeholder(t) => el(w, "p", &[("class", "fill")], t)?,
                    Block::Table(t) => table(w, t)?,
                    Block::Chart(c) => svg(w, c)?,
                }
            }
        }
        Ok(())
    })
}

fn table(w: &mut W, t: &Table) -> R {
    w.create_element("table").write_inner_content(|w| {
        el(w, "caption", &[], &t.caption)?;
        w.create_element("tr").write_inner_content(|w| {
            for c in &t.columns {
                el(w, "th", &[], &c.header)?;
            }
            Ok(())
        })?;
        for row in &t.rows {
            w.create_element("tr").write_inner_content(|w| {
                for (cell, c) in row.iter().zip(&t.columns) {
                    let attrs: &[(&str, &str)] = if c.kind == ColKind::Text {
                        &[]
                    } else {
                        &[("class", "n")]
                    };
                    el(w, "td", attrs, &cell.text(c.kind))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}

/// An inline SVG chart: columns, horizontal bars, or lines (dashed for a trajectory).
fn svg(w: &mut W, c: &Chart) -> R {
    let n = c.categories.len();
    if n == 0 {
        return Ok(());
    }
    let max = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0f64, |a, b| a.max(*b));
    // A round top for the value axis: the next half step of the magnitude above the maximum.
    let max = if max <= 0.0 {
        1.0
    } else {
        let p = 10f64.powf((max * 1.05).log10().floor());
        (max * 1.05 / p * 2.0).ceil() / 2.0 * p
    };
    let label = |v: f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    };
    let (width, height) = match c.kind {
        ChartKind::Bar => (720.0, 40.0 + 24.0 * n as f64),
        _ => (720.0, 300.0),
    };
    let attrs = [
        ("xmlns", "http://www.w3.org/2000/svg"),
        ("width", &f(width)),
        ("height", &f(height)),
        ("role", "img"),
    ];
    let attrs: Vec<(&str, &str)> = attrs.iter().map(|(a, b)| (*a, *b)).collect();
    w.create_element("svg")
        .with_attributes(attrs)
        .write_inner_content(|w| {
            el(w, "title", &[], &c.title)?;
            el(
                w,
                "text",
                &[
                    ("x", "360"),
                    ("y", "18"),
                    ("text-anchor", "middle"),
                    ("font-weight", "bold"),
                ],
                &c.title,
            )?;
            let color = |i: usize| {
                c.point_colors
                    .as_ref()
                    .and_then(|p| p.get(i))
                    .map_or("#4472c4".to_string(), |rgb| format!("#{rgb:06x}"))
            };
            match c.kind {
                ChartKind::Bar => {
                    let (x0, x1) = (140.0, width - 60.0);
                    for (i, v) in c.series[0].values.iter().enumerate() {
                        let y = 34.0 + 24.0 * i as f64;
                        el(
                            w,
                            "text",
                            &[
                                ("x", &f(x0 - 6.0)),
                                ("y", &f(y + 14.0)),
                                ("text-anchor", "end"),
                                ("font-size", "12"),
                            ],
                            &c.categories[i],
                        )?;
                        if let Some(v) = v {
                            let len = (x1 - x0) * v / max;
                            w.create_element("rect")
                                .with_attributes([
                                    ("x", f(x0).as_str()),
                                    ("y", &f(y)),
                                    ("width", &f(len)),
                                    ("height", "18"),
                                    ("fill", &color(i)),
                                ])
                                .write_empty()?;
                            el(
                                w,
                                "text",
                                &[
                                    ("x", &f(x0 + len + 4.0)),
                                    ("y", &f(y + 14.0)),
                                    ("font-size", "12"),
                                ],
                                &f(*v),
                            )?;
                        }
                    }
                }
                ChartKind::Column | ChartKind::Line => {
                    let (x0, x1, y0, y1) = (50.0, width - 20.0, height - 50.0, 40.0);
                    let step = (x1 - x0) / n as f64;
                    let y_of = |v: f64| y0 - (y0 - y1) * v / max;
                    w.create_element("line")
                        .with_attributes([
                            ("x1", f(x0).as_str()),
                            ("y1", &f(y0)),
                            ("x2", &f(x1)),
                            ("y2", &f(y0)),
                            ("stroke", "#333"),
                        ])
                        .write_empty()?;
                    // Value axis: five gridlines with their values.
                    for k in 0..=4 {
                        let v = max * k as f64 / 4.0;
                        let y = f(y_of(v));
                        w.create_element("line")
                            .with_attributes([
                                ("x1", f(x0).as_str()),
                                ("y1", &y),
                                ("x2", &f(x1)),
                                ("y2", &y),
                                ("stroke", "#ddd"),
                            ])
                            .write_empty()?;
                        el(
                            w,
                            "text",
                            &[
                                ("x", &f(x0 - 6.0)),
                                ("y", &f(y_of(v) + 4.0)),
                                ("text-anchor", "end"),
                                ("font-size", "11"),
                            ],
                            &label(v),
                        )?;
                    }
                    for (i, cat) in c.categories.iter().enumerate() {
                        let cx = x0 + step * (i as f64 + 0.5);
                        el(
                            w,
                            "text",
                            &[
                                ("x", &f(cx)),
                                ("y", &f(y0 + 18.0)),
                                ("text-anchor", "middle"),
                                ("font-size", "12"),
                            ],
                            cat,
                        )?;
                    }
                    for (j, s) in c.series.iter().enumerate() {
                        if c.kind == ChartKind::Column {
                            for (i, v) in s.values.iter().enumerate() {
                                let Some(v) = v else { continue };
                                let cx = x0 + step * (i as f64 + 0.5);
                                let bw = step * 0.6;
                                w.create_element("rect")
                                    .with_attributes([
                                        ("x", f(cx - bw / 2.0).as_str()),
                                        ("y", &f(y_of(*v))),
                                        ("width", &f(bw)),
                                        ("height", &f(y0 - y_of(*v))),
                                        ("fill", &color(i)),
                                    ])
                                    .write_empty()?;
                                el(
                                    w,
                                    "text",
                                    &[
                                        ("x", &f(cx)),
                                        ("y", &f(y_of(*v) - 4.0)),
                                        ("text-anchor", "middle"),
                                        ("font-size", "12"),
                                    ],
                                    &label(*v),
                                )?;
                            }
                        } else {
                            let pts: Vec<String> = s
                                .values
                                .iter()
                                .enumerate()
                                .filter_map(|(i, v)| {
                                    v.map(|v| {
                                        format!(
                                            "{},{}",
                                            f(x0 + step * (i as f64 + 0.5)),
                                            f(y_of(v))
                                        )
                                    })
                                })
                                .collect();
                            let stroke = if s.dashed { "#c00000" } else { "#4472c4" };
                            let dash = if s.dashed { "6,4" } else { "none" };
                            w.create_element("polyline")
                                .with_attributes([
                                    ("points", pts.join(" ").as_str()),
                                    ("fill", "none"),
                                    ("stroke", stroke),
                                    ("stroke-width", "2"),
                                    ("stroke-dasharray", dash),
                                ])
                                .write_empty()?;
                            el(
                                w,
                                "text",
                                &[
                                    ("x", &f(x1 - 120.0)),
                                    ("y", &f(40.0 + 16.0 * j as f64)),
                                    ("fill", stroke),
                                    ("font-size", "12"),
                                ],
                                &format!("— {}", s.name),
                            )?;
                        }
                    }
                }
            }
            Ok(())
        })?;
    Ok(())
}

/// 公示: the public summary of a published run — what the plan promises and where each
/// region stands. No lead units, no method notes, no placeholders. Refused for a run that is
/// not published.
pub fn public_summary_html(input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
    let r = input.result;
    if !input.published {
        return Err(ReportError::NotPublished {
            run: r.run_id.clone(),
        });
    }
    let title = format!("{}实施情况公示", input.plan.title);
    let scope = input.scope().to_string();
    page(&title, |w| {
        if input.simulated {
            sim_banner(w)?;
        }
        el(w, "h1", &[], &title)?;
        el(
            w,
            "p",
            &[("class", "sub")],
            &format!("{}　截至{}", r.kind.label(), r.as_of),
        )?;
        el(w, "h2", &[], "一、规划目标")?;
        let mut promises = Table {
            name: String::new(),
            caption: format!("{}承诺的主要目标", input.plan.title),
            columns: vec![
                content::Column {
                    header: "领域".into(),
                    kind: ColKind::Text,
                },
                content::Column {
                    header: "指标".into(),
                    kind: ColKind::Text,
                },
                content::Column {
                    header: "目标".into(),
                    kind: ColKind::Text,
                },
                content::Column {
                    header: "目前进展".into(),
                    kind: ColKind::Text,
                },
            ],
            rows: Vec::new(),
        };
        for t in &input.targets {
            let status = r
                .targets
                .iter()
                .find(|s| *s.region == *scope && *s.indicator == t.indicator)
                .map_or("—", |s| s.status.label());
            promises.rows.push(vec![
                content::Cell::Text(t.domain.clone()),
                content::Cell::Text(input.indicator_name(&t.indicator).to_string()),
                content::Cell::Text(input.target_text(&t.indicator)),
                content::Cell::Text(status.to_string()),
            ]);
        }
        table(w, &promises)?;
        el(w, "h2", &[], "二、各地进展")?;
        for (level, what) in [
            (RegionLevel::Prefecture, "州（市）"),
            (RegionLevel::County, "县（市、区）"),
        ] {
            let mut standing = Table {
                name: String::new(),
                caption: format!("各{what}综合得分与排名"),
                columns: vec![
                    content::Column {
                        header: what.into(),
                        kind: ColKind::Text,
                    },
                    content::Column {
                        header: "综合得分".into(),
                        kind: ColKind::Score,
                    },
                    content::Column {
                        header: "排名".into(),
                        kind: ColKind::Text,
                    },
                    content::Column {
                        header: "已达标目标".into(),
                        kind: ColKind::Text,
                    },
                ],
                rows: Vec::new(),
            };
            for k in r
                .rankings
                .iter()
                .filter(|k| k.scope == scope && k.level == Some(level))
            {
                let own: Vec<_> = r
                    .targets
                    .iter()
                    .filter(|t| *t.region == *k.region)
                    .collect();
                let done = own
                    .iter()
                    .filter(|t| t.status == minsheng_assess::Status::Achieved)
                    .count();
                standing.rows.push(vec![
                    content::Cell::Text(input.region_name(&k.region).to_string()),
                    content::Cell::Num(k.score),
                    content::Cell::Text(format!("{}/{}", k.rank, k.of)),
                    content::Cell::Text(format!("{done}/{}", own.len())),
                ]);
            }
            if !standing.rows.is_empty() {
                table(w, &standing)?;
            }
        }
        el(
            w,
            "p",
            &[],
            "综合得分为各目标完成程度的加权平均（满分100分），已达标目标计满分。",
        )?;
        Ok(())
    })
}
