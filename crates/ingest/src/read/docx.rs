//! Word .docx: the text of `word/document.xml`, paragraphs and table cells in document order.
//!
//! Each paragraph (`w:p`) is one line: its `w:t` runs joined, `w:tab` as a tab, `w:br`/`w:cr`
//! as a line break. Paragraphs are separated by `\n`; a table, each of its cells and each of
//! its rows are separated by a blank line (`\n\n`), so that downstream code sees every cell as a
//! block (nested tables follow the same rule). Deleted and moved-away text (`w:delText`,
//! `w:del`, `w:moveFrom`) and the fallback copy of text boxes (`mc:Fallback`) are left out.
//! Other zips (.xlsx, .pptx, .odt, .ofd) are refused with what they are.

use super::RawDocument;
use crate::IngestError;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use std::io::{Cursor, Read};
use std::path::Path;

/// The part that holds a Word document's body.
const DOCUMENT_XML: &str = "word/document.xml";

/// The largest `word/document.xml` read (unpacked); a plan's is a few MB at most.
const MAX_XML_BYTES: u64 = 256 * 1024 * 1024;

/// WordprocessingML namespaces: transitional (what Word writes) and strict.
const W_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// Markup compatibility: `mc:AlternateContent` / `mc:Choice` / `mc:Fallback`.
const MC_NAMESPACE: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Reads the text of a .docx; any other zip is refused.
pub(super) fn read(path: &Path, bytes: &[u8]) -> Result<RawDocument, IngestError> {
    let damaged = |reason: String| IngestError::Damaged {
        path: path.to_path_buf(),
        reason,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| damaged(format!("the zip archive (.docx) is cut off or broken: {e}")))?;
    if archive.index_for_name(DOCUMENT_XML).is_none() {
        return Err(IngestError::Unsupported {
            path: path.to_path_buf(),
            reason: other_zip_reason(&archive),
        });
    }
    let mut xml = Vec::new();
    archive
        .by_name(DOCUMENT_XML)
        .and_then(|part| {
            part.take(MAX_XML_BYTES + 1)
                .read_to_end(&mut xml)
                .map_err(zip::result::ZipError::from)
        })
        .map_err(|e| damaged(format!("{DOCUMENT_XML} cannot be unpacked: {e}")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(IngestError::Unsupported {
            path: path.to_path_buf(),
            reason: format!(
                "{DOCUMENT_XML} unpacks to more than {} MB",
                MAX_XML_BYTES >> 20
            ),
        });
    }
    let xml = xml_text(&xml).map_err(damaged)?;
    let text = document_text(&xml).map_err(damaged)?;
    if text.trim().is_empty() {
        return Err(IngestError::Unsupported {
            path: path.to_path_buf(),
            reason: "the .docx has no text (only pictures? a scan pasted into Word?)".to_string(),
        });
    }
    Ok(RawDocument {
        text,
        notes: vec![],
    })
}

/// What a zip without `word/document.xml` is, as the reason for refusing it.
fn other_zip_reason<R: Read + std::io::Seek>(archive: &zip::ZipArchive<R>) -> String {
    let has = |name: &str| archive.index_for_name(name).is_some();
    let what = if has("xl/workbook.xml") {
        " (it is an Excel .xlsx workbook)"
    } else if has("ppt/presentation.xml") {
        " (it is a PowerPoint .pptx presentation)"
    } else if has("OFD.xml") {
        " (it is an OFD document: export it as PDF or save it as .docx)"
    } else if has("content.xml") && has("mimetype") {
        " (it is an OpenDocument file: save it as .docx)"
    } else {
        ""
    };
    format!("a zip file that is not a Word .docx{what}")
}

/// The XML part as text: UTF-8 (with or without BOM), or UTF-16 with BOM.
fn xml_text(bytes: &[u8]) -> Result<String, String> {
    let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) else {
        return String::from_utf8(bytes.to_vec())
            .map_err(|e| format!("{DOCUMENT_XML} is not valid UTF-8: {}", e.utf8_error()));
    };
    match encoding.decode_without_bom_handling_and_without_replacement(&bytes[bom_len..]) {
        Some(text) => Ok(text.into_owned()),
        None => Err(format!("{DOCUMENT_XML} is not valid {}", encoding.name())),
    }
}

/// An element, classified as far as reading needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Paragraph,
    Text,
    Tab,
    Break,
    NoBreakHyphen,
    Table,
    Row,
    Cell,
    /// An element whose whole content is left out.
    Skipped,
    Other,
}

fn classify(ns: &ResolveResult<'_>, local: &str) -> Tag {
    let word = match ns {
        ResolveResult::Bound(ns) => W_NAMESPACES.contains(&ns.0),
        // A document that forgot to declare the usual prefix.
        ResolveResult::Unknown(prefix) => prefix == "w",
        ResolveResult::Unbound => false,
    };
    if word {
        match local {
            "p" => Tag::Paragraph,
            "t" => Tag::Text,
            "tab" | "ptab" => Tag::Tab,
            "br" | "cr" => Tag::Break,
            "noBreakHyphen" => Tag::NoBreakHyphen,
            "tbl" => Tag::Table,
            "tr" => Tag::Row,
            "tc" => Tag::Cell,
            // Paragraph properties hold tab stops (`w:tabs/w:tab`), not text; deleted and
            // moved-away runs are not part of the document as it reads now.
            "pPr" | "del" | "moveFrom" => Tag::Skipped,
            _ => Tag::Other,
        }
    } else if matches!(ns, ResolveResult::Bound(ns) if ns.0 == MC_NAMESPACE) && local == "Fallback"
    {
        // The same content as the `mc:Choice` before it (text boxes twice otherwise).
        Tag::Skipped
    } else {
        Tag::Other
    }
}

/// The text of `word/document.xml`, laid out as the module documentation says.
fn document_text(xml: &str) -> Result<String, String> {
    let mut reader = NsReader::from_str(xml);
    let mut out = Blocks::default();
    // Paragraphs being read; more than one when a text box's paragraph sits inside another.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut skip_depth = 0usize;
    let mut in_text = 0usize;
    loop {
        let position = reader.buffer_position();
        let (ns, event) = reader.read_resolved_event().map_err(|e| {
            format!("{DOCUMENT_XML} is not well-formed XML (near byte {position}): {e}")
        })?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if skip_depth > 0 {
                    skip_depth += 1;
                    continue;
                }
                match classify(&ns, e.local_name().as_ref()) {
                    Tag::Skipped => skip_depth = 1,
                    Tag::Paragraph => paragraphs.push(String::new()),
                    Tag::Text => in_text += 1,
                    Tag::Table => out.gap(2),
                    tag => inline(tag, &mut paragraphs),
                }
            }
            Event::Empty(e) => {
                if skip_depth > 0 {
                    continue;
                }
                match classify(&ns, e.local_name().as_ref()) {
                    Tag::Paragraph => out.line(""),
                    tag => inline(tag, &mut paragraphs),
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                match classify(&ns, e.local_name().as_ref()) {
                    Tag::Paragraph => {
                        let line = paragraphs.pop().unwrap_or_default();
                        out.line(&line);
                    }
                    Tag::Text => in_text = in_text.saturating_sub(1),
                    Tag::Table | Tag::Row | Tag::Cell => out.gap(2),
                    _ => {}
                }
            }
            Event::Text(e) if in_text > 0 && skip_depth == 0 => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    paragraph.push_str(&e.xml10_content());
                }
            }
            Event::CData(e) if in_text > 0 && skip_depth == 0 => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    paragraph.push_str(&e.xml10_content());
                }
            }
            Event::GeneralRef(e) if in_text > 0 && skip_depth == 0 => {
                let reference = format!("&{};", &*e);
                let resolved = quick_xml::escape::unescape(&reference).map_err(|err| {
                    format!("{DOCUMENT_XML} is not well-formed XML (near byte {position}): {err}")
                })?;
                if let Some(paragraph) = paragraphs.last_mut() {
                    paragraph.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 {
        return Err(format!(
            "{DOCUMENT_XML} ends before its elements are closed (cut off)"
        ));
    }
    Ok(out.finish())
}

/// Characters a run element stands for, added to the paragraph being read.
fn inline(tag: Tag, paragraphs: &mut [String]) {
    let Some(paragraph) = paragraphs.last_mut() else {
        return;
    };
    match tag {
        Tag::Tab => paragraph.push('\t'),
        Tag::Break => paragraph.push('\n'),
        Tag::NoBreakHyphen => paragraph.push('-'),
        _ => {}
    }
}

/// The document text being written: lines, and the separator owed before the next one.
#[derive(Debug, Default)]
struct Blocks {
    text: String,
    started: bool,
    /// Line breaks owed before the next line: 1 between paragraphs, 2 around table cells.
    owed: usize,
}

impl Blocks {
    fn line(&mut self, line: &str) {
        if self.started {
            for _ in 0..self.owed.max(1) {
                self.text.push('\n');
            }
        }
        self.text.push_str(line);
        self.started = true;
        self.owed = 1;
    }

    fn gap(&mut self, breaks: usize) {
        self.owed = self.owed.max(breaks);
    }

    fn finish(self) -> String {
        self.text.trim_matches('\n').to_string()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

    /// A `word/document.xml` with `body` inside `w:body`.
    fn document(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    }

    fn cell(text: &str) -> String {
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"#
        )
    }

    /// A zip with the given parts.
    pub(crate) fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in parts {
            zip.start_file(*name, SimpleFileOptions::default()).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn docx(body: &str) -> Vec<u8> {
        zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            (DOCUMENT_XML, &document(body)),
        ])
    }

    /// Two paragraphs, then a 2x2 table.
    pub(crate) fn sample_docx() -> Vec<u8> {
        docx(&format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>一、总体</w:t></w:r><w:r><w:t xml:space="preserve">要求</w:t></w:r></w:p><w:p><w:r><w:t>到2025年，托位数达到4.5个。</w:t></w:r></w:p><w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>"#,
            cell("序号"),
            cell("重点任务"),
            cell("1"),
            cell("加大标准化儿童保健设施建设力度"),
        ))
    }

    fn text_of(bytes: &[u8]) -> String {
        read(Path::new("plan.docx"), bytes).unwrap().text
    }

    #[test]
    fn paragraphs_then_table_cells_in_order() {
        let doc = read(Path::new("plan.docx"), &sample_docx()).unwrap();
        assert_eq!(
            doc.text,
            "一、总体要求\n到2025年，托位数达到4.5个。\n\n序号\n\n重点任务\n\n1\n\n加大标准化儿童保健设施建设力度"
        );
        assert!(doc.notes.is_empty());
    }

    #[test]
    fn docx_is_found_through_read_bytes() {
        let doc = super::super::read_bytes(Path::new("plan.txt"), &sample_docx()).unwrap();
        assert!(doc.text.starts_with("一、总体要求\n"));
    }

    #[test]
    fn tabs_breaks_and_entities_in_runs() {
        let text = text_of(&docx(
            r#"<w:p><w:r><w:t>第一</w:t><w:tab/><w:t>A&amp;B&#x4E00;</w:t><w:br/><w:t>&lt;二&gt;</w:t><w:noBreakHyphen/><w:t>三</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>后</w:t></w:r></w:p>"#,
        ));
        assert_eq!(text, "第一\tA&B一\n<二>-三\n\n后");
    }

    #[test]
    fn deleted_text_and_field_codes_are_left_out() {
        let text = text_of(&docx(
            r#"<w:p><w:r><w:t>保留</w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins w:id="2" w:author="x"><w:r><w:t>插入</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:delText>也删除</w:delText></w:r></w:p>"#,
        ));
        assert_eq!(text, "保留插入");
    }

    #[test]
    fn nested_tables_follow_the_same_rule() {
        let inner = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", cell("内1"), cell("内2"));
        let text = text_of(&docx(&format!(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外1</w:t></w:r></w:p>{inner}<w:p/></w:tc>{}</w:tr></w:tbl><w:p><w:r><w:t>表后</w:t></w:r></w:p>"#,
            cell("外2")
        )));
        assert_eq!(text, "外1\n\n内1\n\n内2\n\n\n\n外2\n\n表后");
    }

    #[test]
    fn text_box_fallback_is_not_read_twice() {
        let text = text_of(&docx(
            r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        ));
        assert_eq!(text.matches("文本框").count(), 1, "{text}");
        assert!(text.contains("正文"));
    }

    #[test]
    fn truncated_docx_is_damaged() {
        let bytes = sample_docx();
        let err = super::super::read_bytes(Path::new("plan.docx"), &bytes[..bytes.len() / 2])
            .unwrap_err();
        assert!(matches!(err, IngestError::Damaged { .. }), "{err}");
        assert!(err.to_string().contains("plan.docx"));
    }

    #[test]
    fn malformed_document_xml_is_damaged() {
        for xml in [
            document("<w:p><w:r><w:t>未闭合</w:r></w:p>"),
            document("<w:p><w:r><w:t>截断").replace("</w:body></w:document>", ""),
            "<w:document xmlns:w=\"x\"><w:body><w:p>".to_string(),
            document("<w:p><w:r><w:t>坏实体&foo;</w:t></w:r></w:p>"),
            "not xml at all <<<".to_string(),
        ] {
            let bytes = zip_of(&[(DOCUMENT_XML, &xml)]);
            let err = read(Path::new("plan.docx"), &bytes).unwrap_err();
            assert!(matches!(err, IngestError::Damaged { .. }), "{xml}: {err}");
        }
    }

    #[test]
    fn other_zips_are_unsupported() {
        let err = read(Path::new("a.zip"), &zip_of(&[("readme.txt", "hi")])).unwrap_err();
        assert!(
            matches!(&err, IngestError::Unsupported { reason, .. }
            if reason == "a zip file that is not a Word .docx"),
            "{err}"
        );
        let err = read(Path::new("a.xlsx"), &zip_of(&[("xl/workbook.xml", "<x/>")])).unwrap_err();
        assert!(err.to_string().contains("Excel"), "{err}");
    }
}
