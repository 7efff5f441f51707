//! Injected spam: gambling and advertising SEO titles that a compromised site inserted into the
//! plan's text (欧冠冠军足彩_欧冠足球竞猜-投注|官网 standing where 云南省人民政府 stood).
//!
//! Detection is by a lexicon and by shape, never by one known string:
//! - a *strong* term (足彩, 竞猜, 投注, 百家乐, 博彩 …) triggers a look around it;
//! - the span grows left and right over lexicon words — strong, *topical* (欧冠, 足球, 真人,
//!   彩票, 澳门 …) and *generic* (官网, 平台, 开户, 体育, ASCII words …) — joined directly or by
//!   SEO separators (`_ - | ｜ — · /`);
//! - a generic word at either edge joined without a separator is the plan's own word (体育 in
//!   加强体育皇冠体育_…) and is given back;
//! - the span is spam only with at least two words, one of them strong, and either a separator
//!   or a second strong word. A lone 投注 or 竞猜型体育彩票 stays, and so do 福利彩票, 体育彩票
//!   and 彩票公益金, which plans fund things with.
//!
//! A colon right after the span (…官网:更公平) came with it and goes too, unless it ends the line.
//! The words around the span stay: 欧冠…官网国有资产监督管理委员会 becomes 国有资产监督管理委员会.

use super::notes::Tally;
use minsheng_model::{CleaningKind, CleaningNote};
use regex::Regex;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

/// Gambling terms that start a look for spam.
const STRONG: &[&str] = &[
    "体育投注",
    "皇冠体育",
    "亚博体育",
    "开云体育",
    "真人视讯",
    "电子游艺",
    "威尼斯人",
    "六合彩",
    "时时彩",
    "百家乐",
    "娱乐城",
    "老虎机",
    "注册送",
    "足彩",
    "竞猜",
    "投注",
    "博彩",
    "赌场",
    "赌球",
    "赌博",
    "彩金",
    "下注",
    "葡京",
    "菠菜",
];

/// Words of the gambling trade that are spam next to a strong term and plain words elsewhere.
const TOPICAL: &[&str] = &[
    "电子游戏",
    "德州扑克",
    "金沙娱乐",
    "银河娱乐",
    "世界杯",
    "欧洲杯",
    "斗地主",
    "威尼斯",
    "bet365",
    "365bet",
    "彩票",
    "欧冠",
    "冠军",
    "足球",
    "篮球",
    "真人",
    "娱乐",
    "澳门",
    "皇冠",
    "英超",
    "西甲",
    "意甲",
    "德甲",
    "比分",
    "赔率",
    "盘口",
    "电竞",
    "捕鱼",
    "扑克",
    "棋牌",
    "体彩",
    "福彩",
    "网投",
    "必赢",
    "亚博",
    "开云",
];

/// Site words of SEO titles; ordinary words in a plan.
const GENERIC: &[&str] = &[
    "官方网站",
    "手机版",
    "官网",
    "官方",
    "平台",
    "开户",
    "注册",
    "登录",
    "入口",
    "网址",
    "网站",
    "首页",
    "下载",
    "在线",
    "体育",
    "游戏",
    "最新",
    "中心",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Strong,
    Topical,
    Generic,
}

static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    let mut words: Vec<&str> = STRONG.to_vec();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    Regex::new(&alternation.join("|")).expect("spam trigger pattern")
});

fn lexicon() -> impl Iterator<Item = (&'static str, Class)> {
    let tag = |words: &'static [&'static str], class| words.iter().map(move |w| (*w, class));
    tag(STRONG, Class::Strong)
        .chain(tag(TOPICAL, Class::Topical))
        .chain(tag(GENERIC, Class::Generic))
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '_' | '-' | '|' | '｜' | '—' | '–' | '·' | '/' | '＿' | '－'
    )
}

fn is_ascii_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.'
}

/// The longest lexicon word (or ASCII word, generic) starting at byte `p`.
fn token_at(text: &str, p: usize) -> Option<(usize, Class)> {
    let rest = text.get(p..)?;
    let mut best: Option<(usize, Class)> = None;
    for (w, class) in lexicon() {
        if rest.starts_with(w) && best.is_none_or(|(len, _)| w.len() > len) {
            best = Some((w.len(), class));
        }
    }
    let ascii = rest.bytes().take_while(|&b| is_ascii_word_byte(b)).count();
    if ascii > best.map_or(0, |(len, _)| len) {
        best = Some((ascii, Class::Generic));
    }
    best
}

/// The longest lexicon word (or ASCII word, generic) ending at byte `p`.
fn token_before(text: &str, p: usize) -> Option<(usize, Class)> {
    let head = text.get(..p)?;
    let mut best: Option<(usize, Class)> = None;
    for (w, class) in lexicon() {
        if head.ends_with(w) && best.is_none_or(|(len, _)| w.len() > len) {
            best = Some((w.len(), class));
        }
    }
    let ascii = head
        .bytes()
        .rev()
        .take_while(|&b| is_ascii_word_byte(b))
        .count();
    if ascii > best.map_or(0, |(len, _)| len) {
        best = Some((ascii, Class::Generic));
    }
    best
}

fn skip_separators(text: &str, p: usize) -> usize {
    let rest = text.get(p..).unwrap_or("");
    p + rest
        .chars()
        .take_while(|&c| is_separator(c))
        .map(char::len_utf8)
        .sum::<usize>()
}

fn skip_separators_back(text: &str, p: usize) -> usize {
    let head = text.get(..p).unwrap_or("");
    p - head
        .chars()
        .rev()
        .take_while(|&c| is_separator(c))
        .map(char::len_utf8)
        .sum::<usize>()
}

#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    class: Class,
}

/// The spam span around the strong term at `hit`, if the words around it make one.
fn spam_span(text: &str, hit: Range<usize>) -> Option<Range<usize>> {
    let mut left = Vec::new();
    let mut p = hit.start;
    loop {
        let q = skip_separators_back(text, p);
        let Some((len, class)) = token_before(text, q) else {
            break;
        };
        left.push(Token {
            start: q - len,
            end: q,
            class,
        });
        p = q - len;
    }
    let mut tokens: Vec<Token> = left.into_iter().rev().collect();
    tokens.push(Token {
        start: hit.start,
        end: hit.end,
        class: Class::Strong,
    });
    let mut p = hit.end;
    loop {
        let q = skip_separators(text, p);
        let Some((len, class)) = token_at(text, q) else {
            break;
        };
        tokens.push(Token {
            start: q,
            end: q + len,
            class,
        });
        p = q + len;
    }

    // Generic words joined to the span without a separator belong to the plan's text.
    let mut from = 0;
    let mut to = tokens.len();
    while to - from > 1
        && tokens[from].class == Class::Generic
        && tokens[from].end == tokens[from + 1].start
    {
        from += 1;
    }
    while to - from > 1
        && tokens[to - 1].class == Class::Generic
        && tokens[to - 2].end == tokens[to - 1].start
    {
        to -= 1;
    }
    let tokens = &tokens[from..to];

    let strong = tokens.iter().filter(|t| t.class == Class::Strong).count();
    let separated = tokens.windows(2).filter(|w| w[0].end != w[1].start).count();
    if tokens.len() < 2 || strong == 0 || (separated == 0 && strong < 2) {
        return None;
    }
    let start = tokens[0].start;
    let mut end = tokens[tokens.len() - 1].end;
    let rest = &text[end..];
    let mut chars = rest.chars();
    if let Some(colon @ (':' | '：')) = chars.next()
        && chars.next().is_some_and(|c| c != '\n' && c != '\r')
    {
        end += colon.len_utf8();
    }
    Some(start..end)
}

/// Removes every spam span; one note per distinct span removed, with its count.
pub(crate) fn remove<'a>(text: &'a str, notes: &mut Vec<CleaningNote>) -> Cow<'a, str> {
    let mut tally = Tally::default();
    let mut out = String::new();
    let mut last = 0;
    let mut pos = 0;
    while pos < text.len() {
        let Some(hit) = TRIGGER.find_at(text, pos) else {
            break;
        };
        match spam_span(text, hit.range()) {
            Some(span) => {
                let start = span.start.max(last);
                out.push_str(&text[last..start]);
                tally.add(CleaningKind::Spam, &text[start..span.end], "");
                last = span.end;
                pos = span.end;
            }
            None => pos = hit.end(),
        }
    }
    tally.finish(notes);
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(text: &str) -> (String, Vec<CleaningNote>) {
        let mut notes = vec![];
        let t = remove(text, &mut notes).into_owned();
        (t, notes)
    }

    #[test]
    fn seo_title_in_place_of_a_name_goes_and_the_name_after_stays() {
        let (t, notes) = cleaned(
            "云南省退役军人事务厅 欧冠冠军足彩_欧冠足球竞猜-投注|官网国有资产监督管理委员会",
        );
        assert_eq!(t, "云南省退役军人事务厅 国有资产监督管理委员会");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].kind, CleaningKind::Spam);
        assert_eq!(notes[0].original, "欧冠冠军足彩_欧冠足球竞猜-投注|官网");
        assert_eq!(notes[0].replacement, "");
        assert_eq!(notes[0].count, 1);
    }

    #[test]
    fn spam_with_its_colon_inside_a_sentence() {
        let (t, notes) = cleaned(
            "使改革发展成果欧冠冠军足彩_欧冠足球竞猜-投注|官网:更公平惠及全体人民。推动政务公开和欧冠冠军足彩_欧冠足球竞猜-投注|官网:,拓展渠道",
        );
        assert_eq!(
            t,
            "使改革发展成果更公平惠及全体人民。推动政务公开和,拓展渠道"
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].original, "欧冠冠军足彩_欧冠足球竞猜-投注|官网:");
        assert_eq!(notes[0].count, 2);
    }

    #[test]
    fn a_different_spam_title_is_removed_too() {
        let (t, notes) =
            cleaned("推进公共体育设施建设皇冠体育_真人百家乐-开户|官网，提升服务水平。");
        assert_eq!(t, "推进公共体育设施建设，提升服务水平。");
        assert_eq!(notes[0].original, "皇冠体育_真人百家乐-开户|官网");
    }

    #[test]
    fn plan_words_joined_to_spam_are_given_back() {
        let (t, _) = cleaned("加强体育澳门葡京_百家乐-开户|官网建设");
        assert_eq!(t, "加强体育建设");
        let (t, _) = cleaned("实现2025足彩_投注|官网年目标");
        assert_eq!(t, "实现2025年目标");
        // Generic words joined without a separator at the right edge stay with the plan.
        let (t, _) = cleaned("百家乐_投注平台建设");
        assert_eq!(t, "平台建设");
    }

    #[test]
    fn legitimate_lottery_and_sports_words_stay() {
        for text in [
            "统筹用好彩票公益金，支持福利彩票和体育彩票公益金项目。",
            "规范竞猜型体育彩票销售管理。",
            "用于体育彩票-公益金支出。",
            "建设老年人棋牌室、阅览室。",
            "严厉打击赌博违法犯罪活动，建设体育平台官网。",
            "体育彩票竞猜",
            "投注",
        ] {
            let (t, notes) = cleaned(text);
            assert_eq!(t, text);
            assert!(notes.is_empty(), "{text}: {notes:?}");
        }
    }

    #[test]
    fn colon_ending_a_line_stays() {
        let (t, _) = cleaned("足彩_投注|官网:\n正文");
        assert_eq!(t, ":\n正文");
    }

    #[test]
    fn clean_text_is_borrowed() {
        let mut notes = vec![];
        assert!(matches!(remove("普通文本。", &mut notes), Cow::Borrowed(_)));
    }
}
