//! Format detection: what a file is, told from its first bytes (magic numbers), never from its
//! name. Owns the list of formats minsheng recognises only to refuse them with a useful reason.

/// What the bytes of a file look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Format {
    /// No bytes at all.
    Empty,
    /// A zip archive: a .docx, or another zip (told apart by [`super::docx`]).
    Zip,
    /// A PDF (`%PDF-` within the first 1024 bytes, as the PDF specification allows).
    Pdf,
    /// Anything else without NUL bytes near its start, or with a UTF-8/UTF-16 byte-order mark.
    Text,
    /// Binary data minsheng cannot read; the reason names what it looks like and what to do.
    Unsupported(String),
}

/// How far into the file NUL bytes are looked for.
const BINARY_PROBE: usize = 8 * 1024;

/// OLE2 compound file: Word/Excel/PowerPoint 97-2003, WPS, and password-protected Office files.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Magic numbers of binary formats people send instead of a plan, with what to say about them.
const BINARY_MAGIC: &[(&[u8], &str)] = &[
    (
        b"\x89PNG\r\n\x1a\n",
        "a PNG image: the plan's text is needed, not a picture of it",
    ),
    (
        b"\xFF\xD8\xFF",
        "a JPEG image: the plan's text is needed, not a picture of it",
    ),
    (
        b"GIF87a",
        "a GIF image: the plan's text is needed, not a picture of it",
    ),
    (
        b"GIF89a",
        "a GIF image: the plan's text is needed, not a picture of it",
    ),
    (
        b"II*\x00",
        "a TIFF image: the plan's text is needed, not a picture of it",
    ),
    (
        b"MM\x00*",
        "a TIFF image: the plan's text is needed, not a picture of it",
    ),
    (
        b"Rar!\x1a\x07",
        "a RAR archive: unpack it and give the plan file inside",
    ),
    (
        b"7z\xBC\xAF\x27\x1C",
        "a 7-Zip archive: unpack it and give the plan file inside",
    ),
    (
        b"\x1F\x8B",
        "a gzip archive: unpack it and give the plan file inside",
    ),
    (b"{\\rtf", "an RTF document: save it as .docx"),
];

/// Tells the format of `bytes` from their content.
pub(super) fn sniff(bytes: &[u8]) -> Format {
    if bytes.is_empty() {
        return Format::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Format::Zip;
    }
    if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Format::Unsupported(ole_reason(bytes).to_string());
    }
    if let Some((_, reason)) = BINARY_MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Format::Unsupported((*reason).to_string());
    }
    if encoding_rs::Encoding::for_bom(bytes).is_some() {
        return Format::Text;
    }
    if bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
        return Format::Unsupported(
            "binary data, not text (it has NUL bytes); if it is UTF-16 text, save it as UTF-8 \
             or with a byte-order mark"
                .to_string(),
        );
    }
    Format::Text
}

/// What an OLE2 compound file most likely is, from the stream names in its directory
/// (stored as UTF-16LE).
fn ole_reason(bytes: &[u8]) -> &'static str {
    let has_stream = |name: &str| {
        let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        find(bytes, &utf16).is_some()
    };
    if has_stream("EncryptedPackage") {
        "a password-protected Office document: remove the password and save it as .docx"
    } else if has_stream("WordDocument") {
        "an old Word 97-2003 (.doc/.wps) file: save it as .docx"
    } else if has_stream("Workbook") || has_stream("Book") {
        "an old Excel 97-2003 (.xls) workbook, not a plan document: give the plan as .docx"
    } else {
        "an old Word/Excel 97-2003 file: save it as .docx"
    }
}

/// The first position of `needle` in `haystack`.
pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_formats_apart() {
        assert_eq!(sniff(b""), Format::Empty);
        assert_eq!(sniff(b"PK\x03\x04rest"), Format::Zip);
        assert_eq!(sniff(b"%PDF-1.7\n"), Format::Pdf);
        assert_eq!(sniff(b"\r\n%PDF-1.4\n"), Format::Pdf);
        assert_eq!(sniff("一、总体要求".as_bytes()), Format::Text);
        assert_eq!(sniff(b"\xFF\xFEa\x00"), Format::Text);
        assert_eq!(sniff(b"\xFE\xFF\x00a"), Format::Text);
    }

    #[test]
    fn old_office_files_are_named() {
        let mut doc = OLE_MAGIC.to_vec();
        doc.extend_from_slice(&[0; 64]);
        let Format::Unsupported(reason) = sniff(&doc) else {
            panic!("OLE file not refused")
        };
        assert!(reason.contains("97-2003"), "{reason}");

        let name: Vec<u8> = "WordDocument"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        doc.extend_from_slice(&name);
        let Format::Unsupported(reason) = sniff(&doc) else {
            panic!("OLE file not refused")
        };
        assert!(reason.contains("Word 97-2003"), "{reason}");
    }

    #[test]
    fn images_and_nul_bytes_are_refused() {
        assert!(
            matches!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Format::Unsupported(r) if r.contains("PNG"))
        );
        assert!(matches!(sniff(b"abc\0def"), Format::Unsupported(r) if r.contains("NUL")));
    }
}
