//! Web-page chrome: what a government site prints around a plan it publishes, scraped along with
//! it (来源…【字体:大 中 小】, 打印本页, 关闭窗口, 分享到, 扫一扫, ICP备…号, 网站标识码, 版权所有,
//! 主办单位, 技术支持, 联系我们, 网站地图, navigation crumbs 首页 > …).
//!
//! A line is chrome when
//! - it matches one of the site patterns ([`SITE_START`], [`SITE_ANYWHERE`]) or is made only of
//!   site words (微信 微博 电脑版 …), and has no sentence punctuation (a plan's sentence that
//!   mentions 技术支持 stays);
//! - or it stands in the page's footer: after the last line of the plan's text, from the first
//!   chrome line on, every short unpunctuated line (link bars, 中国政府网, 运行维护:云南网 …).
//!
//! Lines before that first footer chrome line (a signature, a date) are the plan's and stay.

use super::scan::Line;
use minsheng_model::CleaningKind;
use regex::Regex;
use std::sync::LazyLock;

/// Longest unpunctuated line (in bytes: 80 Chinese characters) that the page footer zone takes
/// along.
const MAX_FOOTER_ZONE_BYTES: usize = 240;

/// Site patterns that start a line, matched against a trimmed line.
static SITE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
          来源[:：].*\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}
        | 字[体号][:：]\s*[大中小]
        | [【\[]?\s*[大中小]\s*[】\]]?(?:\s+[【\[]?\s*[大中小]\s*[】\]]?){2}$
        | 相关(?:文档|链接|阅读|新闻|文章|附件|稿件)\s*[:：]?\s*$
        | 上一篇 | 下一篇
        | 责任编辑[:：] | (?:发布|发稿|更新)(?:时间|日期)[:：]
        | (?:当前位置|您的位置|你的位置|您现在的位置)[:：] | 首页\s*(?:>|＞|»|›|/)
        )",
    )
    .expect("chrome line-start pattern")
});

/// The characters [`SITE_START`] matches can begin with: a quick look before the pattern.
const SITE_START_FIRST: [char; 17] = [
    '来', '字', '【', '[', '大', '中', '小', '相', '上', '下', '责', '发', '更', '当', '您', '你',
    '首',
];

/// Site patterns found anywhere in a line (all start with a literal, so the search is a
/// multi-literal scan).
static SITE_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
          【[\ \t]*字[体号]
        | 打印本页 | 打印此页 | 关闭窗口 | 关闭本页 | [【\[][\ \t]*(?:打印|关闭|收藏)[\ \t]*[】\]]
        | 分享到 | 扫一扫 | 返回顶部 | 设为首页 | 加入收藏
        | ICP[备证] | 公网安备 | 网站标识码 | 网站识别码
        | 版权所有 | (?i:copyright) | ©
        | (?:主办|承办|协办|主管)单位[:：] | 技术支持[:：] | (?:运行|网站)维护[:：] | 维护单位[:：]
        | 联系我们 | 网站地图 | 网站声明 | 关于我们 | 隐私(?:声明|政策) | 使用帮助
        | (?:浏览|阅读|访问|点击)(?:次数|量)[:：]
        | 网站支持IPv6 | 便民热线[:：]
        ",
    )
    .expect("chrome pattern")
});

/// Words a site's link rows are made of; a line of only these is chrome.
const SITE_WORDS: &[&str] = &[
    "微信",
    "微博",
    "公众号",
    "政务微信",
    "政务微博",
    "电脑版",
    "手机版",
    "移动版",
    "客户端",
    "曝光",
    "无障碍",
    "无障碍浏览",
    "长者模式",
    "关怀版",
    "繁体",
    "简体",
    "繁體",
    "English",
    "RSS",
    "打印",
    "关闭",
    "收藏",
    "分享",
    "返回",
    "搜索",
    "登录",
    "注册",
    "首页",
    "中国政府网",
];

/// Longest of [`SITE_WORDS`], in bytes.
const MAX_SITE_WORD_BYTES: usize = 15;

fn only_site_words(t: &str) -> bool {
    let mut any = false;
    for w in t.split(|c: char| c.is_whitespace() || matches!(c, '|' | '｜' | '·')) {
        if w.is_empty() {
            continue;
        }
        if w.len() > MAX_SITE_WORD_BYTES || !SITE_WORDS.contains(&w) {
            return false;
        }
        any = true;
    }
    any
}

/// Whether a line can be chrome at all: not blank, not long, no sentence punctuation (a plan's
/// sentence that mentions 技术支持 stays).
fn may_be_chrome(l: &Line) -> bool {
    !l.is_empty() && !l.long && !l.stop
}

/// The tests of a line on its own: site words only, or a line-start site pattern.
fn chrome_by_itself(t: &str) -> bool {
    only_site_words(t) || (t.starts_with(SITE_START_FIRST) && SITE_START.is_match(t))
}

/// Whether a line is chrome wherever it stands.
fn is_chrome(l: &Line) -> bool {
    may_be_chrome(l) && (chrome_by_itself(l.text) || SITE_ANYWHERE.is_match(l.text))
}

/// A line the footer zone takes along: short and without sentence punctuation.
fn is_weak(l: &Line) -> bool {
    !l.long && l.text.len() <= MAX_FOOTER_ZONE_BYTES && !l.stop
}

/// Marks chrome lines as [`CleaningKind::WebChrome`]. Lines already marked are left alone.
pub(crate) fn mark(lines: &[Line], marks: &mut [Option<CleaningKind>]) {
    for (l, mark) in lines.iter().zip(marks.iter_mut()) {
        if mark.is_none() && is_chrome(l) {
            *mark = Some(CleaningKind::WebChrome);
        }
    }
    // The footer zone: walk up from the end over blank, chrome and weak lines; the topmost
    // chrome line of that run starts the zone.
    let mut zone_start = None;
    for i in (0..lines.len()).rev() {
        if lines[i].is_empty() {
            continue;
        }
        if marks[i] == Some(CleaningKind::WebChrome) {
            zone_start = Some(i);
        } else if !is_weak(&lines[i]) {
            break;
        }
    }
    if let Some(start) = zone_start {
        for i in start..lines.len() {
            if marks[i].is_none() && !lines[i].is_empty() {
                marks[i] = Some(CleaningKind::WebChrome);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan::lines;
    use super::*;

    #[test]
    fn longest_site_word_is_known() {
        let longest = SITE_WORDS.iter().map(|w| w.len()).max();
        assert_eq!(longest, Some(MAX_SITE_WORD_BYTES));
    }

    #[test]
    fn site_lines_are_chrome() {
        for t in [
            "来源:云南省发展和改革委员会          2022-08-30 16:56:02 【字体:",
            "【字体：大 中 小】",
            "大 中 小",
            "打印本页 关闭窗口",
            "|      分享到:",
            "扫一扫在手机打开当前页",
            "滇ICP备05000002号",
            "政府网站标识码:5300000033",
            "版权所有：云南省人民政府办公厅",
            "主办单位:云南省人民政府办公厅 运行维护:云南网",
            "技术支持：某某科技有限公司",
            "网站地图  |  网站声明  |  关于我们",
            "联系我们",
            "首页 > 政务公开 > 规划计划",
            "当前位置：首页 > 信息公开",
            "相关文档:",
            "微信 微博 电脑版",
            "曝光 无障碍",
            "公众号 微博",
            "网站支持IPv6",
            // Every line-start pattern.
            "来源：某某网 2023年5月6日",
            "字号：大 中 小",
            "【大】 【中】 【小】",
            "[大] [中] [小]",
            "相关链接",
            "上一篇：关于……的通知",
            "下一篇",
            "责任编辑：张三",
            "发布时间：2023-05-06",
            "更新日期：2023-05-06",
            "当前位置：首页",
            "您的位置：首页",
            "你的位置：首页",
            "您现在的位置：首页",
            "首页 / 政务公开",
        ] {
            assert!(is_chrome(&Line::new(t)), "{t}");
        }
    }

    #[test]
    fn plan_sentences_naming_site_words_are_not_chrome() {
        for t in [
            "加强技术支持，提升基层服务能力。",
            "推进无障碍环境建设",
            "（三）推进无障碍设施建设",
            "来源于群众，服务于群众。",
            "建立健全版权保护机制。",
            "各州(市)人民政府:",
            "首页",
        ] {
            // "首页" alone is a site word: a plan never has it as a line.
            assert_eq!(is_chrome(&Line::new(t)), t == "首页", "{t}");
        }
    }

    #[test]
    fn footer_zone_takes_short_lines_after_the_first_chrome_line_only() {
        let text = "正文最后一段，内容。\n\n云南省发展和改革委员会\n2022年7月29日\n\n     |      分享到:\n 相关文档:\n中国政府网\n云南省人大常委会 | 政协云南省委员会 | 云南省检察院\n运行维护:云南网\n";
        let lines = lines(text);
        let mut marks = vec![None; lines.len()];
        mark(&lines, &mut marks);
        let kept: Vec<&str> = lines
            .iter()
            .zip(&marks)
            .filter(|(l, m)| m.is_none() && !l.is_empty())
            .map(|(l, _)| l.text)
            .collect();
        assert_eq!(
            kept,
            [
                "正文最后一段，内容。",
                "云南省发展和改革委员会",
                "2022年7月29日"
            ]
        );
    }

    #[test]
    fn without_chrome_the_end_of_a_plan_stays() {
        let text = "正文。\n\n云南省发展和改革委员会\n2022年7月29日\n";
        let lines = lines(text);
        let mut marks = vec![None; lines.len()];
        mark(&lines, &mut marks);
        assert!(marks.iter().all(Option::is_none));
    }
}
