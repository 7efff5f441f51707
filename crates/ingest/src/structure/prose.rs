//! Prose plans: 一、发展基础 … 三、重点任务 （一）幼有所育 1.提升方向 2.三年目标 3.重点任务 （1）…
//!
//! The text is read with all line breaks joined (wrapping differs between a .docx, a PDF
//! extraction and a web page; the markers do not). Headings are found by their numbering and a
//! vocabulary of section names; tasks by their running numbers （1）（2）… within a domain.

use super::responsibility;
use super::{Context, GENERAL, Parsed, Segment};
use crate::normalize::join_lines;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use minsheng_model::{DOMAINS, Domain, Section, SectionKind, Task};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

const NUMERAL: &str = "[一二三四五六七八九十]{1,3}";

/// Section names, found first (one pass of an Aho–Corasick automaton), then checked for a
/// heading number before them.
const SECTION_NAMES: &[&str] = &[
    "发展基础",
    "基本情况",
    "发展现状",
    "现实基础",
    "规划背景",
    "机遇挑战",
    "面临形势",
    "总体要求",
    "总体思路",
    "指导思想",
    "基本原则",
    "总体目标",
    "主要目标",
    "发展目标",
    "重点任务",
    "主要任务",
    "保障措施",
    "实施保障",
    "组织实施",
    "保障机制",
];
static SECTION_NAME: LazyLock<AhoCorasick> = LazyLock::new(|| literal_finder(SECTION_NAMES));
/// The heading number that must stand right before a section name: 第二章, 三、, （三）, (三).
static SECTION_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:第{NUMERAL}[章节]|{NUMERAL}、|（{NUMERAL}）|\({NUMERAL}\))\s*$"
    ))
    .expect("valid regex")
});
/// A chapter or section heading of a 规划 (第三章, 第二节): it ends the domain before it.
static CHAPTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"第{NUMERAL}[章节]")).expect("valid regex"));
/// A domain's name as a heading, found first by the name ...
static DOMAIN_NAME: LazyLock<AhoCorasick> = LazyLock::new(|| literal_finder(&DOMAINS));
/// ... then checked for what stands before it: ——, （一）, (一), 一、, or a full stop.
static DOMAIN_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(——|（{NUMERAL}）|\({NUMERAL}\)|{NUMERAL}、|[。；;])\s*$"
    ))
    .expect("valid regex")
});
/// 1.提升方向 / 2.三年目标 / 3.重点任务 inside a domain.
static SUBPART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d\s*[\.．、]\s*(提升方向|三年目标|主要目标|重点任务|主要任务)[。\.：:]?")
        .expect("valid regex")
});
static TASK_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(](\d{1,2})[）)]").expect("valid regex"));
static MEASURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"{NUMERAL}是")).expect("valid regex"));

/// A recognised top-level heading.
struct Heading {
    at: usize,
    body: usize,
    title: String,
    kind: SectionKind,
    context: Context,
}

pub fn parse(text: &str) -> Parsed {
    let flat = join_lines(text);
    let headings = headings(&flat);
    let mut parsed = Parsed::default();

    for (i, h) in headings.iter().enumerate() {
        let end = headings.get(i + 1).map_or(flat.len(), |n| n.at);
        parsed.plan.sections.push(Section {
            title: h.title.clone(),
            kind: h.kind,
            text: flat[h.body..end].to_string(),
        });
    }

    // Cut the text at every heading, domain mark, domain sub-part and task, and label the pieces.
    let mut cuts: Vec<Cut> = Vec::new();
    for h in &headings {
        cuts.push(Cut {
            at: h.at,
            body: h.body,
            what: What::Section(h.context),
        });
    }
    for m in CHAPTER.find_iter(&flat) {
        cuts.push(Cut {
            at: m.start(),
            body: m.start(),
            what: What::Chapter,
        });
    }
    let domain_marks = domain_marks(&flat);
    for (range, name) in &domain_marks {
        cuts.push(Cut {
            at: range.start,
            body: range.end,
            what: What::Domain(name),
        });
    }
    cuts.sort_by_key(|c| c.at);
    cuts.dedup_by_key(|c| c.at);

    // Domains with their parts and tasks, read inside the task section (or, lacking one, anywhere).
    let task_section = headings.iter().position(|h| h.kind == SectionKind::Tasks);
    let in_tasks = |at: usize| match task_section {
        Some(i) => at >= headings[i].at && headings.get(i + 1).is_none_or(|n| at < n.at),
        None => true,
    };
    let mut extra_cuts = Vec::new();
    for (range, name) in &domain_marks {
        // The domain runs to the next heading or domain mark (cuts holds only those so far).
        let end = cuts
            .iter()
            .find(|c| c.at > range.start)
            .map_or(flat.len(), |c| c.at);
        let span = range.end..end;
        let domain_index = super::domain_slot(&mut parsed.plan, name);
        if !in_tasks(range.start) {
            continue;
        }
        let domain = &mut parsed.plan.domains[domain_index];
        read_domain(&flat, span, domain, &mut extra_cuts);
    }
    cuts.extend(extra_cuts);
    cuts.sort_by_key(|c| c.at);

    parsed.segments = segments(&flat, &cuts);
    parsed.flat = Some(flat);
    parsed
}

#[derive(Debug, Clone, Copy)]
enum What {
    Section(Context),
    Chapter,
    Domain(&'static str),
    Part,
    Task(u32),
    /// A responsibility clause: no targets in it.
    Skip,
}

#[derive(Debug, Clone, Copy)]
struct Cut {
    /// Where the marker starts.
    at: usize,
    /// Where the text after the marker starts.
    body: usize,
    what: What,
}

fn headings(flat: &str) -> Vec<Heading> {
    SECTION_NAME
        .find_iter(flat)
        .filter_map(|name| {
            let head = before(flat, name.start(), 30);
            let number = SECTION_NUMBER.find(head)?;
            Some((name.start() - (head.len() - number.start()), name))
        })
        .map(|(at, name)| {
            let title = flat[name.range()].to_string();
            let (kind, context) = match title.as_str() {
                "发展基础" | "基本情况" | "发展现状" | "现实基础" => {
                    (SectionKind::Baseline, Context::Baseline)
                }
                "总体目标" | "主要目标" | "发展目标" => {
                    (SectionKind::Goals, Context::Target)
                }
                "重点任务" | "主要任务" => (SectionKind::Tasks, Context::Target),
                "保障措施" | "实施保障" | "组织实施" | "保障机制" => {
                    (SectionKind::Safeguards, Context::Other)
                }
                "总体要求" | "总体思路" => (SectionKind::Goals, Context::Other),
                _ => (SectionKind::Other, Context::Other),
            };
            Heading {
                at,
                body: name.end(),
                title,
                kind,
                context,
            }
        })
        .collect()
}

/// Where each domain is named as a heading: ——幼有所育。 （一）幼有所育 一、幼有所育方面 …
fn domain_marks(flat: &str) -> Vec<(Range<usize>, &'static str)> {
    DOMAIN_NAME
        .find_iter(flat)
        .filter_map(|m| {
            let name = DOMAINS[m.pattern().as_usize()];
            let mut end = m.end();
            if flat[end..].starts_with("方面") {
                end += "方面".len();
            }
            let stop = flat[end..]
                .chars()
                .next()
                .filter(|c| matches!(c, '。' | '.' | '：' | ':'));
            end += stop.map_or(0, char::len_utf8);
            let head = before(flat, m.start(), 24);
            let prefix = DOMAIN_PREFIX.captures(head);
            let at_start = head.trim().is_empty() && m.start() == head.len();
            // A bare name after a full stop (or opening the text) is a heading only when it is a
            // sentence of its own: "。幼有所育。持续保障…".
            let bare = match prefix.as_ref().and_then(|p| p.get(1)) {
                Some(p) => matches!(p.as_str(), "。" | "；" | ";"),
                None if at_start => true,
                None => return None,
            };
            if bare && stop != Some('。') {
                return None;
            }
            let start = match prefix.and_then(|p| p.get(0)) {
                Some(p) if !bare => m.start() - (head.len() - p.start()),
                _ => m.start(),
            };
            Some((start..end, name))
        })
        .collect()
}

/// A finder for a fixed list of words: leftmost-first, compiled to a DFA (the plans' words
/// share their leading UTF-8 bytes, which a byte-class prefilter cannot tell apart).
fn literal_finder(words: &[&str]) -> AhoCorasick {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(AhoCorasickKind::DFA))
        .build(words)
        .expect("valid word list")
}

/// Up to `bytes` bytes of `text` before `at`, cut at a character boundary.
fn before(text: &str, at: usize, bytes: usize) -> &str {
    let mut from = at.saturating_sub(bytes);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..at]
}

/// Reads 提升方向, 三年目标 and the numbered tasks of one domain's span.
fn read_domain(flat: &str, span: Range<usize>, domain: &mut Domain, cuts: &mut Vec<Cut>) {
    let text = &flat[span.clone()];
    let parts: Vec<(Range<usize>, &str)> = SUBPART
        .captures_iter(text)
        .map(|c| {
            (
                c.get(0).expect("whole").range(),
                c.get(1).expect("name").as_str(),
            )
        })
        .collect();
    let mut tasks_from = 0;
    for (i, (range, name)) in parts.iter().enumerate() {
        let end = parts.get(i + 1).map_or(text.len(), |(r, _)| r.start);
        let body = text[range.end..end].trim();
        cuts.push(Cut {
            at: span.start + range.start,
            body: span.start + range.end,
            what: What::Part,
        });
        match *name {
            "提升方向" => domain.direction = Some(body.to_string()),
            "三年目标" | "主要目标" => domain.goals = Some(body.to_string()),
            _ => tasks_from = range.end,
        }
    }
    // Tasks: （1）（2）… in order; a number out of sequence is not a task marker.
    let mut starts: Vec<(usize, usize, u32)> = Vec::new();
    let mut expect = 1;
    for c in TASK_NUMBER.captures_iter(&text[tasks_from..]) {
        let n: u32 = c[1].parse().unwrap_or(0);
        if n == expect {
            let m = c.get(0).expect("whole");
            starts.push((tasks_from + m.start(), tasks_from + m.end(), n));
            expect += 1;
        }
    }
    for (i, &(at, body, number)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |s| s.0);
        let raw = &text[body..end];
        let (task_text, responsibility) = match responsibility::find_clause(raw) {
            Some((range, content)) => {
                cuts.push(Cut {
                    at: span.start + body + range.start,
                    body: span.start + body + range.end,
                    what: What::Skip,
                });
                let rest = format!("{}{}", &raw[..range.start], &raw[range.end..]);
                (rest, responsibility::parse(content))
            }
            None => (raw.to_string(), Default::default()),
        };
        cuts.push(Cut {
            at: span.start + at,
            body: span.start + body,
            what: What::Task(number),
        });
        let task_text = task_text.trim().to_string();
        let title = title_sentence(&task_text);
        let after_title = task_text[title.len()..]
            .trim_start_matches(['。', '.'])
            .to_string();
        domain.tasks.push(Task {
            number,
            title: title.trim_end_matches(['。', '.']).to_string(),
            measures: measures(&after_title),
            text: task_text,
            responsibility,
            ..Task::default()
        });
    }
}

/// The opening sentence of a task when it is a title (short, no comma): "加大标准化儿童保健设施建设力度。".
pub(super) fn title_sentence(text: &str) -> &str {
    let end = text
        .find(['。'])
        .map_or(text.len(), |i| i + '。'.len_utf8());
    let sentence = &text[..end];
    let short = sentence.chars().count() <= 40;
    if short && !sentence.contains(['，', ',', '；', ';', '：', ':']) && end < text.len() {
        sentence
    } else {
        ""
    }
}

/// Measures: the pieces opened by 一是 / 二是 …, or else the sentences.
pub(super) fn measures(text: &str) -> Vec<String> {
    let mut starts: Vec<usize> = Vec::new();
    let mut expect = 1usize;
    for m in MEASURE.find_iter(text) {
        if numeral_value(m.as_str().trim_end_matches('是')) == Some(expect) {
            starts.push(m.start());
            expect += 1;
        }
    }
    let pieces: Vec<&str> = if starts.len() >= 2 {
        let mut v = Vec::new();
        for (i, &s) in starts.iter().enumerate() {
            v.push(&text[s..starts.get(i + 1).copied().unwrap_or(text.len())]);
        }
        v
    } else {
        text.split_inclusive('。').collect()
    };
    pieces
        .into_iter()
        .map(str::trim)
        .filter(|p| p.chars().count() > 1)
        .map(str::to_string)
        .collect()
}

/// The value of a Chinese numeral from 一 to 九十九.
pub(crate) fn numeral_value(s: &str) -> Option<usize> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p + 1)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        _ => None,
    }
}

/// Labels the text between cuts: context from the last section heading, domain from the last
/// domain mark after it, task from the last task marker inside that domain.
fn segments(flat: &str, cuts: &[Cut]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut context = Context::Target;
    let mut domain: &str = GENERAL;
    let mut task: Option<u32> = None;
    let mut pos = 0;
    let mut skip_until = 0;
    let mut push = |from: usize, to: usize, context: Context, domain: &str, task: Option<u32>| {
        if from < to && !flat[from..to].trim().is_empty() {
            out.push(Segment {
                text: flat[from..to].to_string(),
                domain: domain.to_string(),
                task,
                context,
                offset: Some(from),
            });
        }
    };
    for cut in cuts {
        if cut.at < skip_until {
            continue;
        }
        push(pos, cut.at, context, domain, task);
        match cut.what {
            What::Section(c) => {
                context = c;
                domain = GENERAL;
                task = None;
            }
            What::Chapter => {
                domain = GENERAL;
                task = None;
            }
            What::Domain(d) => {
                domain = d;
                task = None;
            }
            What::Part => task = None,
            What::Task(n) => task = Some(n),
            What::Skip => skip_until = cut.body,
        }
        pos = cut.body.max(pos);
    }
    push(pos, flat.len(), context, domain, task);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        assert_eq!(numeral_value("三"), Some(3));
        assert_eq!(numeral_value("十二"), Some(12));
        assert_eq!(numeral_value("二十"), Some(20));
        assert_eq!(numeral_value("零"), None);
    }

    #[test]
    fn measures_split_at_yishi() {
        let m = measures("一是完善网络。二是推进建设项目。三是强化评审。");
        assert_eq!(
            m,
            vec!["一是完善网络。", "二是推进建设项目。", "三是强化评审。"]
        );
    }

    #[test]
    fn title_needs_a_short_sentence() {
        assert_eq!(
            title_sentence("加大标准化儿童保健设施建设力度。完善网络"),
            "加大标准化儿童保健设施建设力度。"
        );
        assert_eq!(
            title_sentence("推进经办管理服务标准化、专业化、信息化建设,加快完善平台。其余"),
            ""
        );
    }

    #[test]
    fn a_small_prose_plan() {
        let text = "某省行动计划（2023-2025年）\n一、发展基础\n——幼有所育。达标率超过50%。\n三、重点任务\n（一）幼有所育\n1.提升方向。更好。\n2.三年目标。达标率达到70%。\n3.重点任务\n（1）加强建设。到2025年建成8个。〔责任单位：省卫生健康委牵头，省民政厅配合；各州（市）人民政府〕\n（2）提高水平。筛查率达到80%。\n四、保障措施\n（一）加强领导。";
        let p = parse(text);
        assert_eq!(p.plan.domains.len(), 1);
        let d = &p.plan.domains[0];
        assert_eq!(d.tasks.len(), 2);
        assert_eq!(d.tasks[0].title, "加强建设");
        assert_eq!(d.tasks[0].responsibility.lead, vec!["省卫生健康委"]);
        assert_eq!(d.goals.as_deref(), Some("达标率达到70%。"));
        let baseline = p
            .segments
            .iter()
            .find(|s| s.text.contains("超过50%"))
            .unwrap();
        assert_eq!(
            (baseline.context, baseline.domain.as_str()),
            (Context::Baseline, "幼有所育")
        );
        let task = p.segments.iter().find(|s| s.text.contains("8个")).unwrap();
        assert_eq!((task.context, task.task), (Context::Target, Some(1)));
        assert!(p.segments.iter().all(|s| !s.text.contains("责任单位")));
    }
}
