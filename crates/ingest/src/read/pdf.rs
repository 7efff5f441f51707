//! PDF: the text layer, through pdf-extract.
//!
//! pdf-extract panics on fonts and encodings it does not know (among them the Chinese CMaps
//! such as GBK-EUC-H, jrmuizel/pdf-extract#126); such a panic is caught silently
//! ([`super::quiet`]) and becomes an error that says how to get the text another way. A PDF
//! without text (a scan) or whose text is mostly U+FFFD is refused as well.

use super::RawDocument;
use super::quiet::catch_silently;
use crate::IngestError;
use std::path::Path;

/// Reads the text layer of a PDF.
pub(super) fn read(path: &Path, bytes: &[u8]) -> Result<RawDocument, IngestError> {
    let unsupported = |reason: String| IngestError::Unsupported {
        path: path.to_path_buf(),
        reason,
    };
    let text = match catch_silently(|| pdf_extract::extract_text_from_mem(bytes)) {
        Ok(Ok(text)) => text,
        Ok(Err(e)) if is_encrypted(bytes) => {
            return Err(unsupported(format!(
                "the PDF is password-protected ({e}); remove the password or save it as .docx"
            )));
        }
        Ok(Err(e)) => {
            return Err(IngestError::Damaged {
                path: path.to_path_buf(),
                reason: format!("the PDF cannot be parsed: {e}"),
            });
        }
        Err(panic) => {
            return Err(unsupported(format!(
                "the PDF's fonts could not be read ({}); convert it with pdftotext or save \
                 it as .docx",
                shorten(&panic)
            )));
        }
    };
    if !has_usable_text(&text) {
        return Err(unsupported(
            "the PDF has no usable text layer (scanned?); run OCR on it or get the .docx"
                .to_string(),
        ));
    }
    Ok(RawDocument {
        text: text.trim_matches('\n').to_string(),
        notes: vec![],
    })
}

/// Whether the PDF declares encryption (pdf-extract opens those with an empty password only).
fn is_encrypted(bytes: &[u8]) -> bool {
    super::detect::find(bytes, b"/Encrypt").is_some()
}

/// Whether extracted text has any visible characters and fewer than half of them are U+FFFD.
fn has_usable_text(text: &str) -> bool {
    let mut visible = 0usize;
    let mut replaced = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if c == char::REPLACEMENT_CHARACTER {
            replaced += 1;
        }
    }
    visible > 0 && replaced * 2 < visible
}

/// A panic message short enough for an error line.
fn shorten(message: &str) -> String {
    const MAX_CHARS: usize = 120;
    let mut short: String = message.chars().take(MAX_CHARS).collect();
    if message.chars().nth(MAX_CHARS).is_some() {
        short.push('…');
    }
    format!("pdf-extract: {short}")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    const HELVETICA: &str =
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

    /// A one-page PDF showing `content` (a content stream) with Helvetica as /F1.
    pub(crate) fn pdf_with_content(content: &str) -> Vec<u8> {
        pdf_with(HELVETICA, content)
    }

    /// A one-page PDF showing `content` with `font` (a font dictionary) as /F1.
    fn pdf_with(font: &str, content: &str) -> Vec<u8> {
        pdf_of(&page_objects(font, content))
    }

    /// Objects 1-5 of a one-page PDF: catalog, pages, page, font /F1, content stream.
    fn page_objects(font: &str, content: &str) -> Vec<String> {
        vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
             /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
                .to_string(),
            font.to_string(),
            stream(content),
        ]
    }

    fn stream(content: &str) -> String {
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        )
    }

    /// A PDF of `objects` (numbered from 1, the first the catalog), with its xref table
    /// computed here.
    fn pdf_of(objects: &[String]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(format!("xref\n0 {}\n", objects.len() + 1).as_bytes());
        pdf.extend_from_slice(b"0000000000 65535 f \n");
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    pub(crate) fn sample_pdf() -> Vec<u8> {
        pdf_with_content(
            "BT /F1 12 Tf 72 720 Td (Basic public services plan 2023-2025) Tj \
             0 -20 Td (Target: 4.5 nursery places per 1000 people) Tj ET",
        )
    }

    #[test]
    fn pdf_text_layer_is_read() {
        let doc = super::super::read_bytes(Path::new("plan.pdf"), &sample_pdf()).unwrap();
        assert!(
            doc.text.contains("Basic public services plan 2023-2025"),
            "{:?}",
            doc.text
        );
        assert!(doc.text.contains("4.5 nursery places"), "{:?}", doc.text);
        let first = doc.text.find("Basic").unwrap();
        let second = doc.text.find("Target").unwrap();
        assert!(first < second);
        assert!(doc.notes.is_empty());
    }

    /// Chinese text as Word and WPS write it: a Type0 font, Identity-H, and a ToUnicode CMap.
    #[test]
    fn chinese_text_through_to_unicode_cmap() {
        let chars = "基本公共服务";
        let mut bfchar = String::new();
        let mut shown = String::new();
        for (cid, c) in chars.chars().enumerate() {
            bfchar.push_str(&format!("<{:04X}> <{:04X}>\n", cid + 1, u32::from(c)));
            shown.push_str(&format!("{:04X}", cid + 1));
        }
        let cmap = format!(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
             {} beginbfchar\n{bfchar}endbfchar\nendcmap\n\
             CMapName currentdict /CIDInit /ProcSet findresource pop\nend\nend",
            chars.chars().count()
        );
        let mut objects = page_objects(
            "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H \
             /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            &format!("BT /F1 12 Tf 72 720 Td <{shown}> Tj ET"),
        );
        objects.push(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor << /Type /FontDescriptor /FontName /SimSun /Flags 4 \
             /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 \
             /CapHeight 683 /StemV 80 >> /DW 1000 >>"
                .to_string(),
        );
        objects.push(stream(&cmap));
        let doc = read(Path::new("plan.pdf"), &pdf_of(&objects)).unwrap();
        assert!(doc.text.contains(chars), "{:?}", doc.text);
    }

    #[test]
    fn truncated_pdf_is_an_error_not_a_panic() {
        let bytes = sample_pdf();
        for cut in [bytes.len() / 2, bytes.len() / 4, 20, 9] {
            let err = read(Path::new("plan.pdf"), &bytes[..cut]).unwrap_err();
            assert!(
                matches!(
                    err,
                    IngestError::Damaged { .. } | IngestError::Unsupported { .. }
                ),
                "{err}"
            );
            assert!(err.to_string().contains("plan.pdf"));
        }
    }

    #[test]
    fn pdf_without_text_is_refused_as_scanned() {
        let bytes = pdf_with_content("0 0 m 100 100 l S");
        let err = read(Path::new("scan.pdf"), &bytes).unwrap_err();
        assert!(
            matches!(&err, IngestError::Unsupported { reason, .. } if reason.contains("no usable text layer")),
            "{err}"
        );
    }

    #[test]
    fn pdf_extract_panic_becomes_an_error() {
        // The panic of jrmuizel/pdf-extract#126: a Type0 font with the GBK-EUC-H CMap.
        let bytes = pdf_with(
            "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /GBK-EUC-H \
             /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
             /DW 1000 >>] >>",
            "BT /F1 12 Tf 72 720 Td <B9E6BBAE> Tj ET",
        );
        let err = read(Path::new("gbk.pdf"), &bytes).unwrap_err();
        assert!(
            matches!(&err, IngestError::Unsupported { reason, .. }
                if reason.contains("fonts could not be read") && reason.contains("GBK-EUC-H")),
            "{err}"
        );
    }

    #[test]
    fn mostly_replacement_characters_is_not_usable() {
        assert!(has_usable_text("规划 text"));
        assert!(!has_usable_text(" \n\n "));
        assert!(!has_usable_text("\u{FFFD}\u{FFFD}\u{FFFD}a"));
        assert!(has_usable_text("\u{FFFD}abc"));
    }
}
