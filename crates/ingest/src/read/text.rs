//! Plain text: the encoding is detected, never asked for. A byte-order mark decides first
//! (UTF-8, UTF-16LE, UTF-16BE); then valid UTF-8 is taken as UTF-8; anything else is guessed by
//! chardetng (GB18030/GBK for the plans minsheng reads) and decoded with encoding_rs. Any
//! encoding but plain UTF-8 is reported as a [`CleaningKind::Encoding`] note. Line endings
//! come out as `\n`.

use super::RawDocument;
use crate::IngestError;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, GB18030, GBK, UTF_8};
use minsheng_model::{CleaningKind, CleaningNote};
use std::path::Path;

/// Decodes a text file whose encoding is not known.
pub(super) fn read(path: &Path, bytes: &[u8]) -> Result<RawDocument, IngestError> {
    let undecodable = |reason: String| IngestError::Undecodable {
        path: path.to_path_buf(),
        reason,
    };
    let (text, encoding) = if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            return Err(undecodable(format!(
                "it starts with a {} byte-order mark but is not valid {}{}",
                encoding.name(),
                encoding.name(),
                error_at(encoding, body, bom_len)
            )));
        }
        let name = if encoding == UTF_8 {
            "UTF-8 with BOM"
        } else {
            encoding.name()
        };
        (text.into_owned(), Some(name))
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), None)
    } else {
        let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        // Plans come from Chinese government sites: the .cn hint settles short texts that
        // could be GBK or EUC-JP.
        let encoding = detector.guess(Some(b"cn"), Utf8Detection::Deny);
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(undecodable(format!(
                "it is not UTF-8{} and not {} either (the best guess){}; save it as UTF-8",
                error_at(UTF_8, bytes, 0),
                encoding.name(),
                error_at(encoding, bytes, 0)
            )));
        }
        if encoding != GBK && encoding != GB18030 && broken_gb18030(bytes) {
            // chardetng rules GBK out at the first bad byte and settles for an encoding that
            // decodes anything (windows-1252): mojibake, where an error is what helps.
            return Err(undecodable(format!(
                "it looks like GB18030/GBK text with damaged bytes{}; save it as UTF-8",
                error_at(GB18030, bytes, 0)
            )));
        }
        (text.into_owned(), Some(encoding.name()))
    };
    if looks_binary(&text) {
        return Err(IngestError::Unsupported {
            path: path.to_path_buf(),
            reason: "binary data, not text (too many control characters)".to_string(),
        });
    }
    let notes = encoding
        .map(|name| CleaningNote {
            kind: CleaningKind::Encoding,
            original: name.to_string(),
            replacement: "UTF-8".to_string(),
            count: 1,
        })
        .into_iter()
        .collect();
    Ok(RawDocument {
        text: unix_line_endings(text),
        notes,
    })
}

/// Where `bytes` stop being valid in `encoding`, as words for an error message (empty when
/// they are valid); `offset` is added to the position (the length of a BOM already cut off).
fn error_at(encoding: &'static Encoding, bytes: &[u8], offset: usize) -> String {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3 + 16),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        DecoderResult::Malformed(bad, after) => {
            let end = read - usize::from(after);
            let start = end.saturating_sub(usize::from(bad));
            format!(
                " (invalid {} byte at offset {})",
                encoding.name(),
                start + offset
            )
        }
        DecoderResult::InputEmpty | DecoderResult::OutputFull => String::new(),
    }
}

/// Whether `bytes` are GB18030 text with a few damaged bytes: decoding them as GB18030 gives
/// errors, but at least twenty Chinese characters for each.
fn broken_gb18030(bytes: &[u8]) -> bool {
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if !had_errors {
        return false;
    }
    let errors = text
        .chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count();
    let chinese = text
        .chars()
        .filter(|c| matches!(c, '\u{3000}'..='\u{303F}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}'))
        .count();
    chinese >= errors * 20
}

/// Whether decoded text is really binary data: more than 2 % control characters other than
/// tab, line feed, carriage return, vertical tab and form feed.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}') {
            control += 1;
        }
    }
    control > 0 && control * 50 > total
}

/// `\r\n` and lone `\r` to `\n`.
fn unix_line_endings(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "一、总体要求\n以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，\
        坚持以人民为中心的发展思想，围绕幼有所育、学有所教、劳有所得、病有所医、老有所养、住有所居、\
        弱有所扶以及优军服务保障、文体服务保障，推动基本公共服务均等化。\n\
        二、主要目标\n到2025年，全州基本公共服务标准体系更加完善，每千人口拥有3岁以下婴幼儿托位数达到4.5个，\
        普惠性幼儿园覆盖率达到85%以上，九年义务教育巩固率达到96.97%，城镇新增就业人数1.2万人，\
        人均预期寿命达到78岁，婴儿死亡率控制在5‰以内，养老机构护理型床位占比达到55%，\
        城镇保障性安居工程住房保障能力进一步增强，残疾人基本康复服务覆盖率达到85%。\n\
        三、保障措施\n各县（市、区）人民政府要加强组织领导，州发展改革委牵头，州级有关部门按职能配合。";

    fn read_ok(bytes: &[u8]) -> RawDocument {
        read(Path::new("plan.txt"), bytes).unwrap()
    }

    fn encoding_note(name: &str) -> CleaningNote {
        CleaningNote {
            kind: CleaningKind::Encoding,
            original: name.to_string(),
            replacement: "UTF-8".to_string(),
            count: 1,
        }
    }

    #[test]
    fn utf8_without_bom_reads_as_is() {
        let doc = read_ok(PLAN.as_bytes());
        assert_eq!(doc.text, PLAN);
        assert!(doc.notes.is_empty());
    }

    #[test]
    fn utf8_with_bom_loses_the_bom_and_says_so() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(PLAN.as_bytes());
        let doc = read_ok(&bytes);
        assert_eq!(doc.text, PLAN);
        assert_eq!(doc.notes, vec![encoding_note("UTF-8 with BOM")]);
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(PLAN.encode_utf16().flat_map(u16::to_le_bytes));
        let doc = read_ok(&bytes);
        assert_eq!(doc.text, PLAN);
        assert_eq!(doc.notes, vec![encoding_note("UTF-16LE")]);
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(PLAN.encode_utf16().flat_map(u16::to_be_bytes));
        let doc = read_ok(&bytes);
        assert_eq!(doc.text, PLAN);
        assert_eq!(doc.notes, vec![encoding_note("UTF-16BE")]);
    }

    #[test]
    fn utf16_cut_in_a_code_unit_is_undecodable() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(PLAN.encode_utf16().flat_map(u16::to_le_bytes));
        bytes.pop();
        let err = read(Path::new("plan.txt"), &bytes).unwrap_err();
        assert!(matches!(err, IngestError::Undecodable { .. }), "{err}");
    }

    #[test]
    fn gb18030_is_detected_and_decoded() {
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(PLAN);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err());
        let doc = read_ok(&bytes);
        assert_eq!(doc.text, PLAN);
        assert_eq!(doc.notes.len(), 1);
        assert_eq!(doc.notes[0].kind, CleaningKind::Encoding);
        assert!(
            ["GBK", "gb18030"].contains(&doc.notes[0].original.as_str()),
            "{:?}",
            doc.notes
        );
        assert_eq!(doc.notes[0].replacement, "UTF-8");
    }

    #[test]
    fn gb18030_four_byte_characters_survive() {
        // 𠀀 (U+20000) and € need GB18030's four-byte form; the rest is ordinary GBK.
        let text = format!("{PLAN}𠀀€");
        let bytes = encoding_rs::GB18030.encode(&text).0;
        assert_eq!(read_ok(&bytes).text, text);
    }

    #[test]
    fn windows_line_endings_become_unix() {
        let doc = read_ok("一、总体要求\r\n二、主要目标\r三、保障措施".as_bytes());
        assert_eq!(doc.text, "一、总体要求\n二、主要目标\n三、保障措施");
    }

    #[test]
    fn broken_gbk_is_undecodable() {
        let mut bytes = encoding_rs::GB18030.encode(PLAN).0.into_owned();
        // A GBK lead byte followed by a byte no GBK trail byte can be.
        bytes.extend_from_slice(b"\x81\x7f");
        let err = read(Path::new("plan.txt"), &bytes).unwrap_err();
        assert!(matches!(err, IngestError::Undecodable { .. }), "{err}");
        assert!(err.to_string().contains("plan.txt"));
        assert!(
            err.to_string()
                .contains(&format!("at offset {}", bytes.len() - 2)),
            "{err}"
        );
    }

    #[test]
    fn broken_utf8_with_bom_is_undecodable() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("规划".as_bytes());
        bytes.push(0xE5);
        let err = read(Path::new("plan.txt"), &bytes).unwrap_err();
        assert!(matches!(err, IngestError::Undecodable { .. }), "{err}");
        assert!(err.to_string().contains("offset 9"), "{err}");
    }

    #[test]
    fn latin_text_is_not_taken_for_broken_gbk() {
        let bytes = encoding_rs::WINDOWS_1252
            .encode("Plan d'amélioration des services publics de base, à réaliser en 2025.")
            .0;
        let doc = read_ok(&bytes);
        assert!(doc.text.contains("amélioration"), "{}", doc.text);
    }

    #[test]
    fn control_characters_mean_binary() {
        let bytes: Vec<u8> = (1u8..=200).cycle().take(2000).collect();
        let err = read(Path::new("plan.txt"), &bytes).unwrap_err();
        assert!(matches!(err, IngestError::Unsupported { .. }), "{err}");
    }
}
