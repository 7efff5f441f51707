//! Word: a .docx written with zip + quick-xml (no string-built XML). Headings in 黑体/楷体,
//! body in 仿宋, bordered tables with a repeated header row, and charts as native DrawingML
//! chart parts (`word/charts/chartN.xml`): the chart XML is what rust_xlsxwriter writes for
//! the same chart in the .xlsx, lifted from an in-memory workbook, with its data cached in the
//! part, so Word and LibreOffice draw it with their own fonts (Chinese labels need no embedded
//! font). A simulated run says 模拟数据 on the title page and in every page header.

use std::io::{Cursor, Read, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::content::{self, Block, ColKind, SIMULATED, Table};
use crate::{ReportError, ReportInput};

type W = Writer<Vec<u8>>;
type R = std::io::Result<()>;

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

fn xml(root: impl FnOnce(&mut W) -> R) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))?;
    root(&mut w)?;
    Ok(w.into_inner())
}

fn empty(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> R {
    w.create_element(name)
        .with_attributes(attrs.iter().copied())
        .write_empty()?;
    Ok(())
}

/// A run of text with optional bold and size (half-points) and colour.
fn run(w: &mut W, text: &str, bold: bool, size: Option<u32>, color: Option<&str>) -> R {
    w.create_element("w:r").write_inner_content(|w| {
        w.create_element("w:rPr").write_inner_content(|w| {
            if bold {
                empty(w, "w:b", &[])?;
            }
            if let Some(c) = color {
                empty(w, "w:color", &[("w:val", c)])?;
            }
            if let Some(s) = size {
                empty(w, "w:sz", &[("w:val", &s.to_string())])?;
                empty(w, "w:szCs", &[("w:val", &s.to_string())])?;
            }
            Ok(())
        })?;
        w.create_element("w:t")
            .with_attribute(("xml:space", "preserve"))
            .write_text_content(BytesText::new(text))?;
        Ok(())
    })?;
    Ok(())
}

/// A paragraph of one style and one run.
fn para(w: &mut W, style: &str, text: &str, center: bool) -> R {
    w.create_element("w:p").write_inner_content(|w| {
        w.create_element("w:pPr").write_inner_content(|w| {
            empty(w, "w:pStyle", &[("w:val", style)])?;
            if center {
                empty(w, "w:jc", &[("w:val", "center")])?;
            }
            Ok(())
        })?;
        run(w, text, false, None, None)
    })?;
    Ok(())
}

fn table(w: &mut W, t: &Table) -> R {
    para(w, "Caption", &t.caption, true)?;
    w.create_element("w:tbl").write_inner_content(|w| {
        w.create_element("w:tblPr").write_inner_content(|w| {
            // Schema order: tblW, jc, tblBorders, tblLayout.
            empty(w, "w:tblW", &[("w:w", "5000"), ("w:type", "pct")])?;
            empty(w, "w:jc", &[("w:val", "center")])?;
            w.create_element("w:tblBorders").write_inner_content(|w| {
                for side in [
                    "w:top",
                    "w:left",
                    "w:bottom",
                    "w:right",
                    "w:insideH",
                    "w:insideV",
                ] {
                    empty(
                        w,
                        side,
                        &[
                            ("w:val", "single"),
                            ("w:sz", "4"),
                            ("w:space", "0"),
                            ("w:color", "000000"),
                        ],
                    )?;
                }
                Ok(())
            })?;
            empty(w, "w:tblLayout", &[("w:type", "fixed")])?;
            Ok(())
        })?;
        let widths = column_widths(t);
        w.create_element("w:tblGrid").write_inner_content(|w| {
            for wd in &widths {
                empty(w, "w:gridCol", &[("w:w", &wd.to_string())])?;
            }
            Ok(())
        })?;
        let cell = |w: &mut W, text: &str, head: bool, right: bool, width: u32| -> R {
            w.create_element("w:tc").write_inner_content(|w| {
                w.create_element("w:tcPr").write_inner_content(|w| {
                    empty(
                        w,
                        "w:tcW",
                        &[("w:w", &width.to_string()), ("w:type", "dxa")],
                    )?;
                    if head {
                        empty(
                            w,
                            "w:shd",
                            &[
                                ("w:val", "clear"),
                                ("w:color", "auto"),
                                ("w:fill", "DDEBF7"),
                            ],
                        )?;
                    }
                    Ok(())
                })?;
                w.create_element("w:p").write_inner_content(|w| {
                    w.create_element("w:pPr").write_inner_content(|w| {
                        empty(w, "w:pStyle", &[("w:val", "TableText")])?;
                        if head || right {
                            empty(
                                w,
                                "w:jc",
                                &[("w:val", if head { "center" } else { "right" })],
                            )?;
                        }
                        Ok(())
                    })?;
                    run(w, text, head, None, None)
                })?;
                Ok(())
            })?;
            Ok(())
        };
        w.create_element("w:tr").write_inner_content(|w| {
            w.create_element("w:trPr")
                .write_inner_content(|w| empty(w, "w:tblHeader", &[]))?;
            for (c, wd) in t.columns.iter().zip(&widths) {
                cell(w, &c.header, true, false, *wd)?;
            }
            Ok(())
        })?;
        for row in &t.rows {
            w.create_element("w:tr").write_inner_content(|w| {
                for ((v, c), wd) in row.iter().zip(&t.columns).zip(&widths) {
                    cell(w, &v.text(c.kind), false, c.kind != ColKind::Text, *wd)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Column widths in twips over the text width (9298): each column by the longest text in it
/// (header or cell) plus padding, between 4.5 and 12 characters.
fn column_widths(t: &Table) -> Vec<u32> {
    let chars: Vec<f64> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let longest = t
                .rows
                .iter()
                .map(|r| r.get(i).map_or(0, |v| v.text(c.kind).chars().count()))
                .max()
                .unwrap_or(0);
            (longest.max(c.header.chars().count().div_ceil(2)) as f64 + 1.5).clamp(4.5, 12.0)
        })
        .collect();
    let total: f64 = chars.iter().sum();
    chars.iter().map(|c| (9298.0 * c / total) as u32).collect()
}

/// An inline chart referring to relationship `rid`.
fn chart_para(w: &mut W, rid: &str, id: usize) -> R {
    let (cx, cy) = ("5486400", "3200400");
    w.create_element("w:p").write_inner_content(|w| {
        w.create_element("w:pPr").write_inner_content(|w| {
            empty(w, "w:keepNext", &[])?;
            empty(w, "w:jc", &[("w:val", "center")])
        })?;
        w.create_element("w:r").write_inner_content(|w| {
            w.create_element("w:drawing").write_inner_content(|w| {
                w.create_element("wp:inline").write_inner_content(|w| {
                    empty(w, "wp:extent", &[("cx", cx), ("cy", cy)])?;
                    empty(
                        w,
                        "wp:docPr",
                        &[("id", &id.to_string()), ("name", &format!("图表 {id}"))],
                    )?;
                    w.create_element("a:graphic").write_inner_content(|w| {
                        w.create_element("a:graphicData")
                            .with_attribute(("uri", NS_C))
                            .write_inner_content(|w| {
                                empty(w, "c:chart", &[("xmlns:c", NS_C), ("r:id", rid)])
                            })?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}

/// The chart part rust_xlsxwriter writes for `c`, lifted from an in-memory workbook.
fn chart_part(c: &content::Chart) -> Result<Vec<u8>, ReportError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    for (i, cat) in c.categories.iter().enumerate() {
        ws.write(i as u32 + 2, 0, cat)?;
    }
    for (j, s) in c.series.iter().enumerate() {
        ws.write(1, 1 + j as u16, &s.name)?;
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                ws.write_number(i as u32 + 2, 1 + j as u16, *v)?;
            }
        }
    }
    let chart = crate::xlsx::chart_of(c, "Sheet1", 0);
    ws.insert_chart(0, 4, &chart)?;
    let bytes = wb.save_to_buffer()?;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut part = Vec::new();
    zip.by_name("xl/charts/chart1.xml")?
        .read_to_end(&mut part)?;
    if c.kind == content::ChartKind::Line {
        part = straight_lines(&part)?;
    }
    Ok(part)
}

/// Adds `<c:smooth val="0"/>` to every series: rust_xlsxwriter writes the element only to
/// turn smoothing on, and LibreOffice draws a series without it as a smoothed curve.
fn straight_lines(part: &[u8]) -> Result<Vec<u8>, ReportError> {
    let mut reader = quick_xml::Reader::from_reader(part);
    let mut w = Writer::new(Vec::new());
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Eof => break,
            Event::End(e) if e.name().into_inner() == "c:ser" => {
                empty(&mut w, "c:smooth", &[("val", "0")])?;
            }
            _ => {}
        }
        w.write_event(event)?;
        buf.clear();
    }
    Ok(w.into_inner())
}

fn rels(items: &[(String, &str, String)]) -> std::io::Result<Vec<u8>> {
    xml(|w| {
        w.create_element("Relationships")
            .with_attribute(("xmlns", PKG_REL))
            .write_inner_content(|w| {
                for (id, ty, target) in items {
                    empty(
                        w,
                        "Relationship",
                        &[
                            ("Id", id),
                            ("Type", &format!("{REL}/{ty}")),
                            ("Target", target),
                        ],
                    )?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// The report as a .docx document.
pub fn docx(input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
    let report = content::build(input);
    let mut charts: Vec<Vec<u8>> = Vec::new();
    for s in &report.sections {
        for b in &s.blocks {
            if let Block::Chart(c) = b
                && !c.categories.is_empty()
            {
                charts.push(chart_part(c)?);
            }
        }
    }
    let mut chart_no = 0usize;
    let document = xml(|w| {
        w.create_element("w:document")
            .with_attributes([
                ("xmlns:w", NS_W),
                ("xmlns:r", NS_R),
                ("xmlns:wp", NS_WP),
                ("xmlns:a", NS_A),
            ])
            .write_inner_content(|w| {
                w.create_element("w:body").write_inner_content(|w| {
                    if report.simulated {
                        w.create_element("w:p").write_inner_content(|w| {
                            w.create_element("w:pPr").write_inner_content(|w| {
                                empty(w, "w:jc", &[("w:val", "center")])
                            })?;
                            run(
                                w,
                                &format!("【{SIMULATED}】本报告由模拟数据生成，仅供演示"),
                                true,
                                Some(32),
                                Some("C00000"),
                            )
                        })?;
                    }
                    para(w, "Title", &report.title, true)?;
                    para(w, "Subtitle", &report.subtitle, true)?;
                    for s in &report.sections {
                        para(w, "Heading1", &s.heading, false)?;
                        for b in &s.blocks {
                            match b {
                                Block::Para(t) => para(w, "BodyText", t, false)?,
                                Block::Sub(t) => para(w, "Heading2", t, false)?,
                                Block::Placeholder(t) => {
                                    w.create_element("w:p").write_inner_content(|w| {
                                        w.create_element("w:pPr").write_inner_content(|w| {
                                            empty(w, "w:pStyle", &[("w:val", "BodyText")])
                                        })?;
                                        w.create_element("w:r").write_inner_content(|w| {
                                            w.create_element("w:rPr").write_inner_content(|w| {
                                                empty(w, "w:highlight", &[("w:val", "yellow")])
                                            })?;
                                            w.create_element("w:t")
                                                .write_text_content(BytesText::new(t))?;
                                            Ok(())
                                        })?;
                                        Ok(())
                                    })?;
                                }
                                Block::Table(t) => table(w, t)?,
                                Block::Chart(c) => {
                                    if c.categories.is_empty() {
                                        continue;
                                    }
                                    chart_no += 1;
                                    chart_para(w, &format!("rIdChart{chart_no}"), chart_no)?;
                                    para(w, "Caption", &format!("图{chart_no} {}", c.title), true)?;
                                }
                            }
                        }
                    }
                    w.create_element("w:sectPr").write_inner_content(|w| {
                        if report.simulated {
                            empty(
                                w,
                                "w:headerReference",
                                &[("w:type", "default"), ("r:id", "rIdHeader")],
                            )?;
                        }
                        empty(w, "w:pgSz", &[("w:w", "11906"), ("w:h", "16838")])?;
                        empty(
                            w,
                            "w:pgMar",
                            &[
                                ("w:top", "1440"),
                                ("w:right", "1304"),
                                ("w:bottom", "1440"),
                                ("w:left", "1304"),
                                ("w:header", "720"),
                                ("w:footer", "720"),
                                ("w:gutter", "0"),
                            ],
                        )
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    })?;
    let header = xml(|w| {
        w.create_element("w:hdr")
            .with_attributes([("xmlns:w", NS_W)])
            .write_inner_content(|w| {
                w.create_element("w:p").write_inner_content(|w| {
                    w.create_element("w:pPr")
                        .write_inner_content(|w| empty(w, "w:jc", &[("w:val", "center")]))?;
                    run(
                        w,
                        &format!("{SIMULATED}（仅供演示）"),
                        true,
                        Some(24),
                        Some("C00000"),
                    )
                })?;
                Ok(())
            })?;
        Ok(())
    })?;

    let mut doc_rels = vec![("rIdStyles".to_string(), "styles", "styles.xml".to_string())];
    if report.simulated {
        doc_rels.push(("rIdHeader".into(), "header", "header1.xml".into()));
    }
    for i in 1..=charts.len() {
        doc_rels.push((
            format!("rIdChart{i}"),
            "chart",
            format!("charts/chart{i}.xml"),
        ));
    }

    let content_types = xml(|w| {
        w.create_element("Types")
            .with_attribute(("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types"))
            .write_inner_content(|w| {
                empty(w, "Default", &[("Extension", "rels"), ("ContentType", "application/vnd.openxmlformats-package.relationships+xml")])?;
                empty(w, "Default", &[("Extension", "xml"), ("ContentType", "application/xml")])?;
                let ov = |w: &mut W, part: &str, ty: &str| empty(w, "Override", &[("PartName", part), ("ContentType", ty)]);
                ov(w, "/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")?;
                ov(w, "/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml")?;
                if report.simulated {
                    ov(w, "/word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml")?;
                }
                for i in 1..=charts.len() {
                    ov(w, &format!("/word/charts/chart{i}.xml"), "application/vnd.openxmlformats-officedocument.drawingml.chart+xml")?;
                }
                Ok(())
            })?;
        Ok(())
    })?;

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), ReportError> {
        zip.start_file(name, opts)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    put("[Content_Types].xml", &content_types)?;
    put(
        "_rels/.rels",
        &rels(&[("rId1".into(), "officeDocument", "word/document.xml".into())])?,
    )?;
    put("word/document.xml", &document)?;
    put("word/_rels/document.xml.rels", &rels(&doc_rels)?)?;
    put("word/styles.xml", &styles()?)?;
    if report.simulated {
        put("word/header1.xml", &header)?;
    }
    for (i, c) in charts.iter().enumerate() {
        put(&format!("word/charts/chart{}.xml", i + 1), c)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Styles in the manner of official documents: 标题 小标宋/黑体, 一级标题 黑体, 二级标题 楷体,
/// 正文 仿宋; fonts Word has, LibreOffice substitutes its CJK fonts.
fn styles() -> std::io::Result<Vec<u8>> {
    let style =
        |w: &mut W, id: &str, name: &str, font: &str, size: u32, bold: bool, before: u32| -> R {
            w.create_element("w:style")
                .with_attributes([("w:type", "paragraph"), ("w:styleId", id)])
                .write_inner_content(|w| {
                    empty(w, "w:name", &[("w:val", name)])?;
                    if id != "Normal" {
                        empty(w, "w:basedOn", &[("w:val", "Normal")])?;
                    }
                    w.create_element("w:pPr").write_inner_content(|w| {
                        // Schema order: keepNext before spacing, ind, outlineLvl.
                        if id == "Caption" || id.starts_with("Heading") {
                            empty(w, "w:keepNext", &[])?;
                        }
                        empty(
                            w,
                            "w:spacing",
                            &[
                                ("w:before", &before.to_string()),
                                ("w:after", "120"),
                                ("w:line", "360"),
                                ("w:lineRule", "auto"),
                            ],
                        )?;
                        if id == "BodyText" {
                            empty(
                                w,
                                "w:ind",
                                &[("w:firstLineChars", "200"), ("w:firstLine", "560")],
                            )?;
                        }
                        if id.starts_with("Heading") {
                            empty(
                                w,
                                "w:outlineLvl",
                                &[("w:val", if id == "Heading1" { "0" } else { "1" })],
                            )?;
                        }
                        Ok(())
                    })?;
                    w.create_element("w:rPr").write_inner_content(|w| {
                        empty(
                            w,
                            "w:rFonts",
                            &[
                                ("w:ascii", "Times New Roman"),
                                ("w:hAnsi", "Times New Roman"),
                                ("w:eastAsia", font),
                            ],
                        )?;
                        if bold {
                            empty(w, "w:b", &[])?;
                        }
                        empty(w, "w:sz", &[("w:val", &size.to_string())])?;
                        empty(w, "w:szCs", &[("w:val", &size.to_string())])?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
            Ok(())
        };
    xml(|w| {
        w.create_element("w:styles")
            .with_attribute(("xmlns:w", NS_W))
            .write_inner_content(|w| {
                style(w, "Normal", "Normal", "仿宋", 24, false, 0)?;
                style(w, "Title", "Title", "黑体", 40, true, 240)?;
                style(w, "Subtitle", "Subtitle", "楷体", 22, false, 0)?;
                style(w, "Heading1", "heading 1", "黑体", 32, false, 360)?;
                style(w, "Heading2", "heading 2", "楷体", 28, true, 200)?;
                style(w, "BodyText", "Body Text", "仿宋", 28, false, 0)?;
                style(w, "Caption", "caption", "黑体", 21, false, 120)?;
                style(w, "TableText", "Table Text", "宋体", 20, false, 0)?;
                Ok(())
            })?;
        Ok(())
    })
}
