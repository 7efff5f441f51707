//! 比较键: the compare key under which two wordings of an indicator are the same.
//!
//! Plans word one indicator many ways: full-width or half-width brackets, a leading 全省 / 到2025年
//! / 力争, a scope phrase (以乡（镇、街道）为单位) inside the name, a trailing 持续 or 稳定. The key
//! folds characters the NFKC way for the forms plans use, drops white space and punctuation, and
//! strips those leading and trailing phrases, so that the key of every wording of one indicator
//! is the same string. Keys are for comparing only; nobody reads them.

/// Leading phrases that say where, when or how hard, not what is measured. Stripped repeatedly.
const LEADING: &[&str] = &[
    "全省",
    "全州",
    "全市",
    "全县",
    "全区",
    "全国",
    "每年",
    "力争",
    "争取",
    "确保",
    "努力",
    "积极",
    "持续",
    "稳步",
    "进一步",
    "实现",
    "完成",
    "累计",
    "再",
    "开展",
    "实施",
    "推进",
    "推动",
    "建设",
    "建成",
    "建立",
    "组织",
    "支持",
    "鼓励",
    "其中",
    "但",
    "仅",
    "一是",
    "二是",
    "三是",
    "四是",
    "五是",
    "六是",
    "十四五期间",
    "十四五时期",
    "十四五末",
    "十四五",
    "期间",
    "年内",
    "的",
];

/// Trailing words that qualify the statement, not the indicator.
const TRAILING: &[&str] = &[
    "持续", "稳定", "保持", "要求", "均", "仅", "分别", "达到", "达", "为",
];

/// Folds one character the way NFKC does for the forms found in plans: full-width ASCII to
/// ASCII, the ideographic space to a space, dash variants to `-`, ASCII to lower case.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    match c {
        '—' | '–' | '―' | '‐' | '‑' | '−' | '~' | '〜' => '-',
        _ => c.to_ascii_lowercase(),
    }
}

/// Punctuation dropped from keys (after [`fold_char`]).
fn is_dropped(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | '《'
                | '》'
                | '<'
                | '>'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '"'
                | '\''
                | '「'
                | '」'
                | '『'
                | '』'
                | ','
                | '、'
                | '.'
                | '。'
                | ':'
                | ';'
                | '!'
                | '?'
                | '·'
                | '•'
                | '…'
                | '/'
                | '\\'
                | '-'
                | '_'
                | '*'
                | '#'
        )
}

/// The compare key of an indicator's wording: folded, without white space and punctuation,
/// without scope phrases (以…为单位), leading phrases (全省, 到2025年, 力争 …), leading
/// quantities (60%以上的) and trailing qualifiers (持续, 稳定 …).
///
/// ```
/// use minsheng_catalog::compare_key;
/// assert_eq!(compare_key("全省高中阶段教育毛入学率"), compare_key("高中阶段教育毛入学率"));
/// assert_eq!(
///     compare_key("适龄儿童免疫规划疫苗接种率以乡（镇、街道）为单位"),
///     compare_key("适龄儿童免疫规划疫苗接种率"),
/// );
/// ```
pub fn compare_key(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(fold_char)
        .filter(|c| !is_dropped(*c))
        .collect();
    let mut s = remove_scope_phrases(&folded);
    loop {
        let before = s.len();
        s = strip_leading(&s);
        s = strip_trailing(&s);
        if s.len() == before {
            break;
        }
    }
    s
}

/// Removes 以…为单位 (at most eight characters between) wherever it stands.
fn remove_scope_phrases(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(end) = out.find("为单位") {
        let head = &out[..end];
        let start = head
            .char_indices()
            .rev()
            .take(9)
            .find(|(_, c)| *c == '以')
            .map(|(i, _)| i);
        match start {
            Some(i) => out.replace_range(i..end + "为单位".len(), ""),
            None => break,
        }
    }
    out
}

fn strip_leading(s: &str) -> String {
    let mut s = s;
    if let Some(rest) = strip_year(s) {
        s = rest;
    }
    if let Some(rest) = strip_quantity(s) {
        s = rest;
    }
    for p in LEADING {
        if let Some(rest) = s.strip_prefix(p)
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    s.to_string()
}

fn strip_trailing(s: &str) -> String {
    for p in TRAILING {
        if let Some(rest) = s.strip_suffix(p)
            && rest.chars().count() >= 2
        {
            return rest.to_string();
        }
    }
    s.to_string()
}

/// `到2025年`, `至2025年底`, `2023年`: a year at the start.
fn strip_year(s: &str) -> Option<&str> {
    let t = s
        .strip_prefix('到')
        .or_else(|| s.strip_prefix('至'))
        .unwrap_or(s);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let rest = t[digits..].strip_prefix('年')?;
    let rest = rest
        .strip_prefix("底")
        .or_else(|| rest.strip_prefix("末"))
        .unwrap_or(rest);
    (!rest.is_empty()).then_some(rest)
}

/// `60%以上的`, `85%的`, `90%`: a quantity at the start, left by a statement written
/// "N% of the X do Y".
fn strip_quantity(s: &str) -> Option<&str> {
    let n = s
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    if n == 0 {
        return None;
    }
    let rest = s[n..]
        .strip_prefix('%')
        .or_else(|| s[n..].strip_prefix('‰'))?;
    let rest = ["以上", "以下", "左右"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))
        .unwrap_or(rest);
    let rest = rest.strip_prefix('的').unwrap_or(rest);
    (!rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_brackets_and_width() {
        assert_eq!(
            compare_key("每千名儿童拥有儿科执业（助理）医生"),
            compare_key("每千名儿童拥有儿科执业(助理)医生")
        );
        assert_eq!(compare_key("３５—４５岁"), "3545岁");
    }

    #[test]
    fn strips_leading_phrases() {
        assert_eq!(
            compare_key("到2025年全省力争人均体育场地面积"),
            "人均体育场地面积"
        );
        assert_eq!(compare_key("“十四五”期间城镇新增就业"), "城镇新增就业");
        assert_eq!(
            compare_key("2023年全州高中阶段毛入学率"),
            "高中阶段毛入学率"
        );
        assert_eq!(compare_key("二是推进"), "推进");
        assert_eq!(compare_key("60%以上的乡镇卫生院"), "乡镇卫生院");
    }

    #[test]
    fn keeps_meaningful_words() {
        assert_eq!(compare_key("基本养老保险参保率"), "基本养老保险参保率");
        assert_eq!(compare_key("城镇新增就业人数"), "城镇新增就业人数");
        assert_eq!(compare_key("新增托位"), "新增托位");
    }

    #[test]
    fn strips_trailing_qualifiers_and_scopes() {
        assert_eq!(
            compare_key("适龄儿童免疫规划常规疫苗接种率持续"),
            "适龄儿童免疫规划常规疫苗接种率"
        );
        assert_eq!(
            compare_key("12月龄儿童建卡、建证率要求"),
            compare_key("12月龄儿童建卡建证率")
        );
        assert_eq!(compare_key("以乡镇（街道）为单位接种率"), "接种率");
    }
}
