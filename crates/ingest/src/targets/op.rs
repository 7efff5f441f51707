//! The comparison a plan's words put on a value: 达到 / 不低于 / 以上 are floors, 控制在 / 下降到 /
//! 以下 / 以内 ceilings, a plain achieved value an equality.

use minsheng_model::{Op, TargetKind};

/// Words before a number, longest first so 力争达到 wins over 达到 and 达.
const BEFORE: &[(&str, Op)] = &[
    ("力争达到", Op::AtLeast),
    ("不低于", Op::AtLeast),
    ("不少于", Op::AtLeast),
    ("不小于", Op::AtLeast),
    ("提高到", Op::AtLeast),
    ("提高至", Op::AtLeast),
    ("提升到", Op::AtLeast),
    ("提升至", Op::AtLeast),
    ("增加到", Op::AtLeast),
    ("增加至", Op::AtLeast),
    ("增长到", Op::AtLeast),
    ("上升到", Op::AtLeast),
    ("保持在", Op::AtLeast),
    ("稳定在", Op::AtLeast),
    ("力争达", Op::AtLeast),
    ("控制在", Op::AtMost),
    ("下降到", Op::AtMost),
    ("下降至", Op::AtMost),
    ("降低到", Op::AtMost),
    ("降低至", Op::AtMost),
    ("缩小到", Op::AtMost),
    ("缩小至", Op::AtMost),
    ("不超过", Op::AtMost),
    ("不高于", Op::AtMost),
    ("至少", Op::AtLeast),
    ("超过", Op::AtLeast),
    ("大于", Op::AtLeast),
    ("高于", Op::AtLeast),
    ("多于", Op::AtLeast),
    ("达到", Op::AtLeast),
    ("突破", Op::AtLeast),
    ("跃上", Op::AtLeast),
    ("增至", Op::AtLeast),
    ("降至", Op::AtMost),
    ("降到", Op::AtMost),
    ("低于", Op::AtMost),
    ("小于", Op::AtMost),
    ("少于", Op::AtMost),
    ("不足", Op::AtMost),
    ("≥", Op::AtLeast),
    (">=", Op::AtLeast),
    ("≤", Op::AtMost),
    ("<=", Op::AtMost),
    ("达", Op::AtLeast),
];

/// Words that say a value is a floor or ceiling even for a baseline (超过50% is not "= 50").
const STRICT_FOR_BASELINE: &[&str] = &[
    "超过",
    "大于",
    "高于",
    "多于",
    "突破",
    "跃上",
    "不足",
    "低于",
    "小于",
    "少于",
    "不低于",
    "≥",
    "≤",
];

/// How far (in characters) a comparison word may stand before its number: it must govern the
/// number itself ("超过全国平均水平0.33张" is a difference, not a floor).
const REACH: usize = 1;

/// The comparison word nearest before the number in `lead` (the text from the previous
/// quantity or the clause's start up to the number): its op, where it starts, and the word.
pub fn before(lead: &str) -> (Option<(Op, &'static str)>, Option<usize>) {
    // The word must end within REACH characters of the number: try each cut, nearest first,
    // and at a cut the longest word (BEFORE lists longer words first).
    let mut end = lead.len();
    for _ in 0..=REACH {
        let head = &lead[..end];
        if let Some(&(word, op)) = BEFORE.iter().find(|(w, _)| head.ends_with(w)) {
            return (Some((op, word)), Some(end - word.len()));
        }
        match head.char_indices().next_back() {
            Some((i, _)) => end = i,
            None => break,
        }
    }
    (None, None)
}

/// The comparison word right after a number: 以上 / 以下 / 以内, with its byte length.
pub fn after(tail: &str) -> Option<(Op, usize)> {
    let trimmed = tail.trim_start_matches("左右");
    let skipped = tail.len() - trimmed.len();
    let tail = trimmed;
    for (word, op) in [
        ("及以上", Op::AtLeast),
        ("以上", Op::AtLeast),
        ("以下", Op::AtMost),
        ("以内", Op::AtMost),
    ] {
        if tail.starts_with(word) {
            return Some((op, skipped + word.len()));
        }
    }
    // "24小时内恢复收视": 内 alone is "within", but not in 内容 / 内部 / 内涵.
    if tail.starts_with('内') && !tail[3..].starts_with(['容', '部', '涵', '外']) {
        return Some((Op::AtMost, skipped + '内'.len_utf8()));
    }
    None
}

/// Whether the words between two numbers move one to the other: 提高到, 下降到 …
pub fn is_rise_or_fall(between: &str) -> bool {
    [
        "提高到",
        "提高至",
        "提升到",
        "提升至",
        "增加到",
        "增长到",
        "上升到",
        "下降到",
        "下降至",
        "降低到",
        "降至",
        "缩小到",
    ]
    .iter()
    .any(|w| between.contains(w))
}

/// Ends of indicator names whose smaller values are better.
const LOWER_IS_BETTER: &[&str] = &[
    "死亡率",
    "失业率",
    "发生率",
    "患病率",
    "迟缓率",
    "贫血率",
    "近视率",
    "肥胖率",
    "辍学率",
    "负担",
];

/// Decides the comparison of one value.
pub fn decide(
    kind: TargetKind,
    before: Option<(Op, &'static str)>,
    after: Option<(Op, usize)>,
    indicator: &str,
    tail: &str,
) -> Op {
    if kind == TargetKind::Baseline {
        if let Some((op, _)) = after {
            return op;
        }
        return match before {
            Some((op, word)) if STRICT_FOR_BASELINE.contains(&word) => op,
            _ => Op::Equal,
        };
    }
    if let Some((op, _)) = after {
        return op;
    }
    if let Some((op, _)) = before {
        return op;
    }
    if tail.starts_with("左右") {
        return Op::Equal;
    }
    if LOWER_IS_BETTER.iter().any(|e| indicator.ends_with(e)) {
        return Op::AtMost;
    }
    Op::AtLeast
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_word_wins() {
        let (op, at) = before("普惠性幼儿园覆盖率力争达");
        assert_eq!(op.map(|o| o.1), Some("力争达"));
        assert_eq!(at, Some("普惠性幼儿园覆盖率".len()));
        assert_eq!(
            before("城镇调查失业率控制在").0.map(|o| o.0),
            Some(Op::AtMost)
        );
        assert_eq!(before("达到国家标准的学校比例今后逐年提升稳步推进").0, None);
    }

    #[test]
    fn decisions() {
        assert_eq!(
            decide(
                TargetKind::Baseline,
                Some((Op::AtLeast, "达")),
                None,
                "x",
                ""
            ),
            Op::Equal
        );
        assert_eq!(
            decide(
                TargetKind::Baseline,
                Some((Op::AtLeast, "超过")),
                None,
                "x",
                ""
            ),
            Op::AtLeast
        );
        assert_eq!(
            decide(TargetKind::Target, None, None, "婴儿死亡率", ""),
            Op::AtMost
        );
        assert_eq!(
            decide(TargetKind::Target, None, None, "托位数", ""),
            Op::AtLeast
        );
        assert_eq!(
            decide(
                TargetKind::Target,
                Some((Op::AtLeast, "保持在")),
                Some((Op::AtMost, 6)),
                "x",
                ""
            ),
            Op::AtMost
        );
    }
}
