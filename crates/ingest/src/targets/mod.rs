//! Targets: every quantitative statement of a plan, with the words it came from.
//!
//! The grammar, in the order it is applied to each clause of a [`Segment`]:
//! 1. [`quantity`] finds numbers with the unit written after them (4.5个, 90%, 2.5万户, 8—10个)
//!    and drops those that are not measurements: years, ordinals, ages that qualify a group
//!    (5岁以下儿童), numbers inside quotation marks or book titles, counts of the next number (4个100%).
//! 2. Quantities joined by 、 和 及 form one group ("分别控制在10%和5%以下", "4‰、6‰"), which shares
//!    its comparison word and, split, its subject ("婴儿、5岁以下儿童死亡率" → two indicators).
//! 3. [`op`] reads the comparison from the words before (达到, 不低于, 控制在, 下降到 …) and after
//!    (以上, 以下, 以内) the group; "由A提高到B" makes A a baseline.
//! 4. The kind comes from where the clause stands ([`Context`]) and the year it names.

mod indicator;
mod op;
mod quantity;

use crate::normalize::Repair;
use crate::structure::{Context, Segment};
use minsheng_model::{Op, Target, TargetKind};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Extracts the targets of a plan from its labelled segments. `years` is the plan's span;
/// `repairs` are the OCR repairs, positioned in the text the segments' offsets refer to.
pub fn extract(segments: &[Segment], years: Option<[i32; 2]>, repairs: &[Repair]) -> Vec<Target> {
    let mut out = Vec::new();
    for segment in segments {
        if segment.context == Context::Other {
            continue;
        }
        for clause in clauses(&segment.text) {
            let from = out.len();
            let spans = extract_clause(segment, clause, years, &mut out);
            if let Some(offset) = segment.offset {
                let base = offset + (clause.as_ptr() as usize - segment.text.as_ptr() as usize);
                for (target, span) in out[from..].iter_mut().zip(spans) {
                    mark_repaired(target, clause, span, base, repairs);
                }
            }
        }
    }
    drop_restated(out)
}

/// Marks a target read through an OCR repair, and puts the document's own (damaged) words back
/// into its quote so a reviewer finds them.
fn mark_repaired(
    target: &mut Target,
    clause: &str,
    span: Range<usize>,
    base: usize,
    repairs: &[Repair],
) {
    let (start, end) = (base + span.start, base + span.end);
    let hits: Vec<&Repair> = repairs
        .iter()
        .filter(|r| r.range.start < end && start < r.range.end)
        .collect();
    if hits.is_empty() {
        return;
    }
    target.repaired = true;
    let mut quote = String::new();
    let mut at = start;
    let end = hits
        .iter()
        .map(|r| r.range.end)
        .max()
        .unwrap_or(end)
        .max(end);
    for r in hits {
        let from = r.range.start.max(at);
        quote.push_str(clause.get(at - base..from - base).unwrap_or(""));
        quote.push_str(&r.original);
        at = r.range.end.max(at);
    }
    quote.push_str(
        clause
            .get(at - base..(end - base).min(clause.len()))
            .unwrap_or(""),
    );
    target.quote = quote.trim().to_string();
}

/// Drops a statement that restates an earlier one of the same task and kind: a task-breakdown
/// table repeats its 2023 goals in the measures column ("实现2023年学前三年毛入园率94%").
fn drop_restated(targets: Vec<Target>) -> Vec<Target> {
    let mut kept: Vec<Target> = Vec::with_capacity(targets.len());
    for t in targets {
        let restated = t.task.is_some()
            && kept.iter().rev().take(40).any(|k| {
                k.task == t.task
                    && k.domain == t.domain
                    && k.kind == t.kind
                    && k.value == t.value
                    && k.unit == t.unit
                    && indicator::similar(&k.indicator, &t.indicator)
            });
        if !restated {
            kept.push(t);
        }
    }
    kept
}

/// A clause: the text between two full stops or semicolons (a sentence-level unit). Commas stay
/// inside: a subject and its value are often a comma apart ("到2025年，全省…达到94%").
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['。', '；', ';'])
        .filter(|c| !c.trim().is_empty())
}

static EXPLICIT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:到|至|截至|截止|在)?((?:19|20)\d{2})\s*年(?:底|末)?").expect("valid regex")
});
/// 由…/从… right before a number, within its comma-delimited part of the clause.
static FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:由|从)[^，,。；由从]{0,20}$").expect("valid regex"));

/// Extracts the targets of one clause into `out`; returns each one's quote span in the clause.
fn extract_clause(
    segment: &Segment,
    clause: &str,
    years: Option<[i32; 2]>,
    out: &mut Vec<Target>,
) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    if !clause.bytes().any(|b| b.is_ascii_digit()) {
        return spans;
    }
    let mut quantities = quantity::find(clause);
    // Computed once per clause, shared by its targets.
    let scope = indicator::scope(clause);
    let named_years = named_years(clause);
    drop_place_counts(clause, &mut quantities);
    let groups = quantity::group(clause, &quantities);
    // Where the object the last number-first value named ends.
    let mut object_taken = 0;
    for group in groups {
        let members = &quantities[group.clone()];
        let (first, last) = (&members[0], &members[members.len() - 1]);
        // The group's subject and comparison word stand between the previous quantity (and its
        // 以上/以内) or the clause's start, and the group's first number.
        let lead_from = match group.start {
            0 => 0,
            i => {
                let prev = &quantities[i - 1];
                let after_prev = prev.end + op::after(&clause[prev.end..]).map_or(0, |s| s.1);
                // The previous value named what followed it ("100%联系到人、"): not our subject.
                after_prev.max(object_taken).min(first.start)
            }
        };
        let lead = &clause[lead_from..first.start];
        let tail = &clause[last.end..];
        let (prefix_op, verb_at) = op::before(lead);
        let group_suffix = op::after(tail);
        let subject_end = verb_at.unwrap_or(lead.len());
        let subject = &lead[..subject_end];
        let mut kind = kind_of(segment.context, clause, first.start, &named_years, years);
        // "由A提高到B": A is where things stand.
        let from = FROM.is_match(lead)
            && op::is_rise_or_fall(tail.get(..tail.len().min(12)).unwrap_or(tail));
        if from {
            kind = TargetKind::Baseline;
        }
        // "确保20%、争取30%": one goal with a floor and a hope.
        let values: Vec<(&quantity::Quantity, Option<f64>)> = if members.len() == 2
            && lead.ends_with("确保")
            && ["争取", "力争"]
                .iter()
                .any(|w| clause[first.end..members[1].start].contains(w))
        {
            vec![(first, Some(members[1].value))]
        } else {
            members.iter().map(|q| (q, q.value_max)).collect()
        };
        // "规范管理率和成功治疗率均达90%": one value, each listed indicator.
        let each = values.len() == 1 && (subject.ends_with('均') || subject.ends_with("分别"));
        let n_names = if each {
            indicator::list_len(subject).max(1)
        } else {
            values.len()
        };
        // "10个智慧图书馆、10个公共文化云": a list of number-first items; each names what follows.
        let subject = if group.start > 0 && lead.trim_end().ends_with('、') {
            ""
        } else {
            subject
        };
        let (names, object_named) = indicator::names(subject, tail, n_names);
        let names: Vec<String> = names
            .into_iter()
            .map(|n| indicator::with_topic(n, clause))
            .collect();
        let quote_start = quote_start(clause, lead_from, subject_end);
        let mut emitted = 0;
        for (i, (q, value_max)) in values.iter().enumerate() {
            let is_last = i + 1 == values.len();
            let own_suffix = if is_last {
                group_suffix
            } else {
                op::after(&clause[q.end..])
            };
            let mut quote_end = q.end + own_suffix.map_or(0, |s| s.1);
            if is_last && object_named {
                quote_end = indicator::object_end(clause, quote_end);
                object_taken = quote_end;
            }
            let subjects: Vec<String> = if each {
                names.clone()
            } else {
                vec![names.get(i).cloned().unwrap_or_default()]
            };
            for name in subjects {
                let op = if from {
                    Op::Equal
                } else {
                    op::decide(
                        kind,
                        prefix_op,
                        own_suffix.or(group_suffix),
                        &name,
                        &clause[q.end..],
                    )
                };
                let (value, repaired) = share_repair(q, &name, clause);
                out.push(Target {
                    domain: segment.domain.clone(),
                    task: segment.task,
                    kind,
                    indicator: name,
                    op,
                    value,
                    value_max: *value_max,
                    unit: q.unit.to_string(),
                    year: year_of(kind, &named_years, years),
                    scope: scope.clone(),
                    quote: clause[quote_start..quote_end].trim().to_string(),
                    repaired,
                });
                spans.push(quote_start..quote_end);
                emitted += 1;
            }
        }
        let _ = emitted;
    }
    spans
}

/// A share over 100% written with four digits and no decimal point (OCR lost it: "占比仅为4161%")
/// is read as XX.YY%, the precision these plans write shares in.
fn share_repair(q: &quantity::Quantity, name: &str, clause: &str) -> (f64, bool) {
    let digits = &clause[q.start..q.end - q.unit.len()];
    let is_share = ["占比", "比例", "比重", "率"]
        .iter()
        .any(|e| name.ends_with(e));
    if q.unit == "%"
        && is_share
        && q.value > 100.0
        && digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        (q.value / 100.0, true)
    } else {
        (q.value, false)
    }
}

/// Drops a count of places that scopes a later value in the same part of the clause:
/// "16个州市政府所在地社区日间照料机构覆盖率达到90%" measures the 90%, not the 16.
fn drop_place_counts(clause: &str, quantities: &mut Vec<quantity::Quantity>) {
    let n = quantities.len();
    let mut keep = vec![true; n];
    for i in 0..n.saturating_sub(1) {
        let q = &quantities[i];
        let after = &clause[q.end..];
        let names_places =
            q.unit == "个" && after.starts_with(['州', '县', '市', '区', '乡', '镇', '村']);
        let next = &quantities[i + 1];
        let between = &clause[q.end..next.start];
        let same_part = !between.contains(['，', ',', '；', ';', '。']);
        if names_places && same_part {
            keep[i] = false;
        }
        // "60%以上的乡镇（街道）建有1个…中心": the count says what the share's places have.
        if q.unit == "%"
            && same_part
            && between.contains('的')
            && next.unit == "个"
            && next.value == 1.0
        {
            keep[i + 1] = false;
        }
    }
    let mut k = keep.into_iter();
    quantities.retain(|_| k.next().unwrap_or(true));
}

/// Where a quote starts: the subject's start — after the last comma before it when the subject
/// is not empty there — so a quote is the subject, the verb and the value.
fn quote_start(clause: &str, lead_from: usize, subject_end: usize) -> usize {
    let lead = &clause[lead_from..lead_from + subject_end];
    let cut = lead
        .rfind(['，', ',', '：', ':'])
        .map(|i| i + lead[i..].chars().next().map_or(1, char::len_utf8));
    lead_from + cut.unwrap_or(0)
}

/// The years a clause names (2025年, 到2023年底), with where each stands.
fn named_years(clause: &str) -> Vec<(usize, i32)> {
    if !clause.contains('年') {
        return Vec::new();
    }
    EXPLICIT_YEAR
        .captures_iter(clause)
        .filter_map(|c| Some((c.get(1)?.start(), c[1].parse().ok()?)))
        .collect()
}

/// The kind of the numbers in a clause: the segment's context, unless the clause names a year
/// that says otherwise (到2025年 in a baseline section is a goal; a year before the plan is a baseline).
fn kind_of(
    context: Context,
    clause: &str,
    before: usize,
    named_years: &[(usize, i32)],
    years: Option<[i32; 2]>,
) -> TargetKind {
    let base = match context {
        Context::Baseline => TargetKind::Baseline,
        Context::Annual => TargetKind::Annual,
        Context::Target | Context::Other => TargetKind::Target,
    };
    // "目前所有毕业生建档率…均达到100%": a present value, in the comma-part holding the number.
    let part = clause[..before]
        .rsplit(['，', ',', '；'])
        .next()
        .unwrap_or("");
    if base != TargetKind::Baseline && (part.starts_with("目前") || part.starts_with("截至目前"))
    {
        return TargetKind::Baseline;
    }
    let Some([start, end]) = years else {
        return base;
    };
    let named = named_years
        .iter()
        .take_while(|(at, _)| *at < before)
        .map(|(_, y)| *y)
        .last();
    match (base, named) {
        (TargetKind::Baseline, Some(y)) if y >= end && clause.contains(&format!("到{y}年")) => {
            TargetKind::Target
        }
        (TargetKind::Target, Some(y)) if y < start && !clause.contains(&format!("到{y}年")) => {
            TargetKind::Baseline
        }
        _ => base,
    }
}

fn year_of(kind: TargetKind, named_years: &[(usize, i32)], years: Option<[i32; 2]>) -> Option<i32> {
    let named = named_years.first().map(|(_, y)| *y);
    match kind {
        TargetKind::Target => named
            .filter(|y| years.is_none_or(|[s, _]| *y >= s))
            .or(years.map(|[_, e]| e)),
        TargetKind::Annual => named.or(years.map(|[s, _]| s)),
        TargetKind::Baseline => named,
    }
}

/// Tells whether the op words of a target are all that is wanted: used by tests.
#[cfg(test)]
fn seg(text: &str, domain: &str, context: Context) -> Segment {
    Segment {
        text: text.into(),
        domain: domain.into(),
        task: None,
        context,
        offset: None,
    }
}

#[cfg(test)]
fn ops(text: &str) -> Vec<(String, Op, f64, String)> {
    let seg = seg(text, "总体", Context::Target);
    extract(&[seg], Some([2023, 2025]), &[])
        .into_iter()
        .map(|t| (t.indicator, t.op, t.value, t.unit))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_indicators_two_values() {
        let got = ops("5岁以下儿童贫血患病率和生长迟缓率分别控制在10%和5%以下。");
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].1, got[0].2, got[0].3.as_str()),
            (Op::AtMost, 10.0, "%")
        );
        assert_eq!((got[1].1, got[1].2), (Op::AtMost, 5.0));
        assert_eq!(got[0].0, "5岁以下儿童贫血患病率");
        assert_eq!(got[1].0, "5岁以下儿童生长迟缓率");
    }

    #[test]
    fn per_mille_list() {
        let got = ops("婴儿、5岁以下儿童死亡率下降到4‰、6‰，覆盖城乡。");
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].0.as_str(), got[0].1, got[0].2, got[0].3.as_str()),
            ("婴儿死亡率", Op::AtMost, 4.0, "‰")
        );
        assert_eq!(got[1].0, "5岁以下儿童死亡率");
    }

    #[test]
    fn floors_and_ranges() {
        let got = ops(
            "到2025年，国家和省级区域医疗中心投入运营不低于5000床，8—10个专科排名进入西南地区前列。",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].1, got[0].2, got[0].3.as_str()),
            (Op::AtLeast, 5000.0, "床")
        );
        assert_eq!((got[1].2, got[1].3.as_str()), (8.0, "个"));
        let seg = seg("8—10个专科排名进入前列。", "总体", Context::Target);
        assert_eq!(extract(&[seg], None, &[])[0].value_max, Some(10.0));
    }

    #[test]
    fn not_measurements() {
        assert!(
            ops("到2025年，0—3岁托育服务。按照《2023年版》，落实“1311”标准，第3批。").is_empty()
        );
        assert!(ops("义务教育优质均衡4个方面32项指标差距较大。").is_empty());
    }

    #[test]
    fn what_a_number_counts_is_named() {
        let names: Vec<String> =
            ops("重点推动全省建设10个智慧图书馆、10个公共文化云、30个博物馆数字化。")
                .into_iter()
                .map(|t| t.0)
                .collect();
        assert_eq!(names, vec!["智慧图书馆", "公共文化云", "博物馆数字化"]);
        assert_eq!(
            ops("实施县级医院300个薄弱专科建设。")[0].0,
            "县级医院薄弱专科建设"
        );
        assert_eq!(
            ops("争取宣威、镇雄等50所县级公立中医医院达到推荐标准。")[0].0,
            "县级公立中医医院达到推荐标准"
        );
        assert_eq!(
            ops("居家适老化改造，通过政府补贴等方式，到2025年完成2.5万户改造。")[0].0,
            "居家适老化改造"
        );
    }

    #[test]
    fn a_share_of_places_that_have_one_thing() {
        let got = ops("60%以上的乡镇（街道）建有1个具有综合服务功能的区域性养老服务中心。");
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].2, got[0].3.as_str()), (60.0, "%"));
        // Without a share before it, "建成1个…机构" is a target of its own.
        assert_eq!(ops("每个县建成1个县级失能照护服务机构。").len(), 1);
    }

    #[test]
    fn from_to_gives_a_baseline() {
        let seg = seg(
            "排位从“十二五”末的第23位提升到第18位。城镇化率由50%提高到60%。",
            "总体",
            Context::Target,
        );
        let got = extract(&[seg], Some([2021, 2025]), &[]);
        let rate: Vec<_> = got.iter().filter(|t| t.unit == "%").collect();
        assert_eq!(rate.len(), 2);
        assert_eq!(
            (rate[0].kind, rate[0].op, rate[0].value),
            (TargetKind::Baseline, Op::Equal, 50.0)
        );
        assert_eq!((rate[1].kind, rate[1].value), (TargetKind::Target, 60.0));
    }

    #[test]
    fn baseline_ops() {
        let seg = seg(
            "高中阶段毛入学率达90.98%，儿童保健设施建设达标率超过50%，病床使用率不足50%。",
            "学有所教",
            Context::Baseline,
        );
        let got = extract(&[seg], Some([2023, 2025]), &[]);
        let ops: Vec<Op> = got.iter().map(|t| t.op).collect();
        assert_eq!(ops, vec![Op::Equal, Op::AtLeast, Op::AtMost]);
        assert!(got.iter().all(|t| t.kind == TargetKind::Baseline));
        assert_eq!(got[0].quote, "高中阶段毛入学率达90.98%");
    }
}
