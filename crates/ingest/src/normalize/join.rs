//! Joining the lines of one paragraph or table cell into running text.
//!
//! Chinese is written without spaces, so every run of white space goes — line breaks, the
//! spaces of justified PDF text (州 卫 生 健 康 委 牵) and the stray ones around punctuation
//! (建设力度 ，) — except one space between two ASCII letters or digits on the same line
//! (IPv6 网站 keeps none, `Wi Fi` keeps one, `3\n岁` none).

/// Joins the lines of one paragraph or table cell: line breaks and spaces inside Chinese text go;
/// a space between two Latin letters or digits on the same line stays (one, however many there
/// were).
pub fn join_lines(block: &str) -> String {
    let mut out = String::with_capacity(block.len());
    let mut prev: Option<char> = None;
    // Inside a run of white space: whether it holds a line break.
    let mut gap: Option<bool> = None;
    let mut rest = block;
    while !rest.is_empty() {
        // Copy a run of characters that cannot be white space in one go: no ASCII byte other
        // than letters, digits and punctuation, and no lead byte of a non-ASCII space
        // (U+0085, U+00A0 start with C2; U+1680 with E1; U+2000–U+205F with E2; U+3000 with E3).
        let run = rest
            .bytes()
            .position(|b| {
                b.is_ascii_whitespace() || b == 0x0B || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3)
            })
            .unwrap_or(rest.len());
        if run > 0 {
            let chunk = &rest[..run];
            let first = chunk.chars().next().expect("non-empty");
            if let (Some(false), Some(p)) = (gap, prev)
                && p.is_ascii_alphanumeric()
                && first.is_ascii_alphanumeric()
            {
                out.push(' ');
            }
            gap = None;
            out.push_str(chunk);
            prev = chunk.chars().next_back();
            rest = &rest[run..];
            continue;
        }
        let c = rest.chars().next().expect("non-empty");
        rest = &rest[c.len_utf8()..];
        if c.is_whitespace() {
            let newline = matches!(
                c,
                '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}'
            );
            gap = Some(gap.unwrap_or(false) || newline);
            continue;
        }
        if let (Some(false), Some(p)) = (gap, prev)
            && p.is_ascii_alphanumeric()
            && c.is_ascii_alphanumeric()
        {
            out.push(' ');
        }
        gap = None;
        out.push(c);
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_out_justified_text_of_a_pdf_table() {
        assert_eq!(
            join_lines("州 卫 生 健 康 委 牵\n头，州发展改革委\n配合；各县市人民\n政府"),
            "州卫生健康委牵头，州发展改革委配合；各县市人民政府"
        );
        assert_eq!(
            join_lines("学 前 三 年 毛 入 园 率 达 到\n95%，普惠性幼儿园覆盖"),
            "学前三年毛入园率达到95%，普惠性幼儿园覆盖"
        );
        assert_eq!(
            join_lines("以 上 ， 确 保 20% 、 争 取\n30%的县市"),
            "以上，确保20%、争取30%的县市"
        );
        assert_eq!(
            join_lines("苗 接 种 率 以 乡 （ 镇 、 街\n道）为单位保持在 90%以\n上。"),
            "苗接种率以乡（镇、街道）为单位保持在90%以上。"
        );
    }

    #[test]
    fn a_space_stays_only_between_ascii_alphanumerics_on_one_line() {
        assert_eq!(join_lines("Wi   Fi 网络"), "Wi Fi网络");
        assert_eq!(join_lines("达到 2025 年"), "达到2025年");
        assert_eq!(join_lines("每千人口拥有3\n岁以下"), "每千人口拥有3岁以下");
        assert_eq!(join_lines("version 2\n3 items"), "version 23 items");
        assert_eq!(join_lines("建设力度 ，完善"), "建设力度，完善");
        assert_eq!(
            join_lines("12. 促 进 公\n立医院提质"),
            "12.促进公立医院提质"
        );
    }

    #[test]
    fn edges_ideographic_space_and_crlf() {
        assert_eq!(
            join_lines("  \n 开头\u{3000}中间\r\n结尾 \n"),
            "开头中间结尾"
        );
        assert_eq!(join_lines(""), "");
        assert_eq!(join_lines(" \n\t "), "");
    }
}
