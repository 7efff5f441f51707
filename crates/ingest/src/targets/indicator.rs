//! Indicator names and scopes: the words a value measures, cut from the clause around it.

use regex::Regex;
use std::sync::LazyLock;

/// Openings that belong to the sentence, not to the indicator's name.
const OPENINGS: &[&str] = &[
    "到2025年",
    "到2024年",
    "到2023年",
    "到2022年",
    "到“十四五”末",
    "到十四五末",
    "全省",
    "全州",
    "全市",
    "全县",
    "全区",
    "力争",
    "确保",
    "争取",
    "积极争取",
    "实现",
    "使",
    "推动",
    "每年",
    "年均",
    "累计",
    "其中",
    "并",
    "且",
    "同时",
    "进一步",
    "持续",
    "稳步",
    "逐步",
    "有序",
    "均",
    "重点",
    "完成",
    "但",
    "而",
    "“十四五”期间",
    "“十四五”时期",
    "十四五期间",
    "十四五”期间",
    "十四五”时期",
    "共",
    "已",
    "要",
    "将",
    "我省",
    "我州",
    "我市",
];

/// Verbs after which the indicator is the object that follows the number (建设20个…学科).
const MAKE_VERBS: &[&str] = &[
    "建设", "建立", "建成", "新建", "实施", "完成", "培育", "组建", "创建", "开展", "遴选", "筹建",
    "新增", "增加", "打造", "改造", "举办", "培养", "培训", "招募", "募集", "提供", "组织", "下达",
    "推动", "支持", "办好", "启动", "设立", "配备", "争取", "落实", "实现", "加强", "有", "拥有",
];

static SCOPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"以[^，。；,;]{1,14}?为单位").expect("valid regex"));
static YEAR_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:到|至|截至|截止|在)?(?:19|20)\d{2}年(?:底|末)?[，,]?").expect("valid regex")
});

/// Names for the `n` values of one group. `subject` is the text before the comparison word (from
/// the previous quantity or the clause's start); `object` the text after the group's last unit.
/// Also says whether the name came from the object.
pub fn names(subject: &str, object: &str, n: usize) -> (Vec<String>, bool) {
    let subject = tidy(after_last_comma(subject));
    let object_text = object_of(object);
    // "建设20个…学科": the indicator is the object; "棚户区改造1800套": the verb names the thing.
    let (subject, verb_object) = match MAKE_VERBS.iter().find(|v| subject.ends_with(*v)) {
        Some(v) if !object_text.is_empty() => (tidy(&subject[..subject.len() - v.len()]), true),
        _ => (subject, false),
    };
    // "实施县级医院300个薄弱专科建设": a verb opens the subject, the number counts the object.
    let (subject, opened_by_verb) = match MAKE_VERBS
        .iter()
        .find(|v| v.chars().count() >= 2 && subject.starts_with(*v))
    {
        Some(v) if !verb_object && !object_text.is_empty() => {
            (subject[v.len()..].to_string(), true)
        }
        _ => (subject, false),
    };
    // "宣威、镇雄等50所…医院": places given as examples, the object is what is counted.
    let examples = subject.ends_with('等') && !object_text.is_empty();
    let from_object = (subject.chars().count() <= 2 && !object_text.is_empty())
        || verb_object
        || opened_by_verb
        || examples;
    let base = if examples {
        object_text
    } else if from_object {
        if subject.chars().count() >= 2 {
            format!("{subject}{object_text}")
        } else {
            object_text
        }
    } else {
        subject
    };
    if n <= 1 {
        return (vec![base], from_object);
    }
    (split_subject(&base, n), from_object)
}

/// A name too short to stand alone ("改造") that ends the clause's opening phrase takes that
/// phrase: "居家适老化改造，…，到2025年完成2.5万户改造" → 居家适老化改造.
pub fn with_topic(name: String, clause: &str) -> String {
    if name.chars().count() > 3 || name.is_empty() {
        return name;
    }
    let topic = clause.split(['，', ',']).next().unwrap_or("");
    let topic = tidy(topic);
    if topic.len() > name.len()
        && topic.ends_with(&name)
        && !topic.bytes().any(|b| b.is_ascii_digit())
    {
        topic
    } else {
        name
    }
}

/// Where the object after a number ends: the next comma or full stop.
pub fn object_end(clause: &str, from: usize) -> usize {
    from + object_len(&clause[from..])
}

/// How many indicators a subject lists: "规范管理率和成功治疗率均" → 2.
pub fn list_len(subject: &str) -> usize {
    let subject = tidy(after_last_comma(subject));
    let subject = subject.trim_end_matches('均').trim_end_matches("分别");
    subject
        .split(['、', '和', '及'])
        .filter(|p| p.chars().count() >= 2)
        .count()
}

/// Whether two names are near enough to be the same indicator: half their character pairs shared.
pub fn similar(a: &str, b: &str) -> bool {
    let pairs = |s: &str| {
        let c: Vec<char> = s.chars().collect();
        c.windows(2)
            .map(|w| (w[0], w[1]))
            .collect::<std::collections::HashSet<_>>()
    };
    let (x, y) = (pairs(a), pairs(b));
    if x.is_empty() || y.is_empty() {
        return a == b;
    }
    // Dice coefficient over character bigrams ≥ 0.5.
    4 * x.intersection(&y).count() >= x.len() + y.len()
}

/// "婴儿、5岁以下儿童死亡率" with two values → 婴儿死亡率, 5岁以下儿童死亡率;
/// "5岁以下儿童贫血患病率和生长迟缓率" → 5岁以下儿童贫血患病率, 5岁以下儿童生长迟缓率.
fn split_subject(base: &str, n: usize) -> Vec<String> {
    let base = base.trim_end_matches('均').trim_end_matches("分别");
    let parts: Vec<&str> = base
        .split(['、', '和', '及'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != n {
        return vec![base.to_string(); n];
    }
    let last = parts[n - 1];
    let mut out: Vec<String> = Vec::with_capacity(n);
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == n {
            // The last part may lack the group noun the first one carries (儿童 … 生长迟缓率).
            let first = parts[0];
            let noun_end = [
                "儿童",
                "老年人",
                "妇女",
                "人口",
                "残疾人",
                "学生",
                "幼儿",
                "居民",
                "职工",
            ]
            .iter()
            .filter_map(|g| first.find(g).map(|at| at + g.len()))
            .min();
            match noun_end {
                Some(end)
                    if !part.contains(&first[..end])
                        && n == 2
                        && first.len() > end
                        && part_is_rate(part)
                        && part_is_rate(first) =>
                {
                    out.push(format!("{}{}", &first[..end], part))
                }
                _ => out.push(part.to_string()),
            }
        } else if part_is_rate(part) {
            out.push(part.to_string());
        } else {
            // 婴儿 + the head of the last part (…儿童死亡率 → 死亡率); 广播 + 节目综合人口覆盖率.
            out.push(format!("{part}{}", head_of(last, part)));
        }
    }
    out
}

fn part_is_rate(s: &str) -> bool {
    ["率", "数", "比", "比例", "占比", "面积", "标准"]
        .iter()
        .any(|e| s.ends_with(e))
}

/// The head a short list item borrows from the last item: what follows the last item's own
/// qualifier (…儿童死亡率 → 死亡率), or the last item less as many characters as the item has.
fn head_of(last: &str, item: &str) -> String {
    for g in ["儿童", "老年人", "妇女", "婴幼儿"] {
        if let Some(at) = last.rfind(g) {
            let rest = &last[at + g.len()..];
            if rest.chars().count() >= 2 {
                return rest.to_string();
            }
        }
    }
    last.chars().skip(item.chars().count()).collect()
}

/// The part of a subject after its last comma: a number that opens a comma-part of its own has
/// no subject before it ("…水平，50%以上的县级公立中医医院达到…" names its indicator after the number).
fn after_last_comma(s: &str) -> &str {
    match s.rfind(['，', ',', '：', ':']) {
        Some(i) => &s[i + s[i..].chars().next().map_or(1, char::len_utf8)..],
        None => s,
    }
}

/// The object after a number's unit: up to the next comma or the end.
fn object_of(text: &str) -> String {
    let end = object_len(text);
    let obj = text[..end].trim_start_matches(['以', '上', '下', '左', '右', '的']);
    tidy(obj)
}

/// How far an object runs: to the next comma, full stop or list separator (、 starts the next
/// item: "100%联系到人、100%提供…服务").
fn object_len(text: &str) -> usize {
    text.find(['，', ',', '。', '；', ';', '：', '、'])
        .unwrap_or(text.len())
}

fn tidy(s: &str) -> String {
    let mut s = s
        .trim()
        .trim_start_matches(['，', ',', '、', '“', '”', '。']);
    s = YEAR_OPENING.find(s).map_or(s, |m| &s[m.end()..]);
    loop {
        let before = s;
        for o in OPENINGS {
            s = s.strip_prefix(o).unwrap_or(s);
        }
        s = s.trim_start_matches(['，', ',']);
        if s == before {
            break;
        }
    }
    s.trim_end_matches(['为', '是', '的', '仅', '约', '近', '只', '共', '，', ','])
        .to_string()
}

/// A sub-scope the clause names: 以乡（镇、街道）为单位.
pub fn scope(clause: &str) -> Option<String> {
    if !clause.contains("为单位") {
        return None;
    }
    SCOPE.find(clause).map(|m| m.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_subject() {
        assert_eq!(
            names("到2025年，全省学前三年毛入园率", "", 1).0,
            vec!["学前三年毛入园率"]
        );
    }

    #[test]
    fn object_after_a_make_verb() {
        assert_eq!(
            names("建立", "省级儿童早期发展教育示范基地。", 1),
            (vec!["省级儿童早期发展教育示范基地".to_string()], true)
        );
    }

    #[test]
    fn list_subjects() {
        assert_eq!(
            names("广播、电视节目综合人口覆盖率分别", "", 2).0,
            vec!["广播节目综合人口覆盖率", "电视节目综合人口覆盖率"]
        );
    }

    #[test]
    fn scope_by_unit() {
        assert_eq!(
            scope("接种率以乡（镇、街道）为单位保持在90%以上").as_deref(),
            Some("以乡（镇、街道）为单位")
        );
    }
}
