//! 对标结论: how one target compares with the parent region's target for the same indicator.
//!
//! A target is a floor (达到, 不低于: op `>=`) or a ceiling (控制在, 下降到: op `<=`); a plain value
//! (op `=`) takes the direction of the indicator's polarity (a floor when higher is better). A
//! child's floor above the parent's, or its ceiling below, is *stricter*. Ops pointing different
//! ways, counts and amounts (which follow population), and units no conversion settles are *not
//! comparable*. For a range (8—10个) a floor is its lower end and a ceiling its upper end.

use minsheng_catalog::{Indicator, Polarity, convert, unit::parse_unit};
use minsheng_model::{Op, Target};
use serde::{Deserialize, Serialize};

/// 对标结论: the child's target against the parent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 高于上级: asks more than the parent.
    Stricter,
    /// 持平: asks the same.
    Equal,
    /// 低于上级: asks less than the parent.
    Weaker,
    /// 缺失: the parent sets a target for the plan's end year that the child plan lacks.
    Missing,
    /// 不可比: counts and amounts, ops of different direction, units no conversion settles.
    NotComparable,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Stricter => "stricter",
            Verdict::Equal => "equal",
            Verdict::Weaker => "weaker",
            Verdict::Missing => "missing",
            Verdict::NotComparable => "not_comparable",
        }
    }
}

/// Which way a target binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// At least this much.
    Floor,
    /// At most this much.
    Ceiling,
}

/// The direction a target binds in: its op, or for a plain value the indicator's polarity.
pub fn direction(op: Op, polarity: Polarity) -> Direction {
    match (op, polarity) {
        (Op::AtLeast, _) | (Op::Equal, Polarity::HigherIsBetter) => Direction::Floor,
        (Op::AtMost, _) | (Op::Equal, Polarity::LowerIsBetter) => Direction::Ceiling,
    }
}

/// The value a target binds at: a floor's lower end, a ceiling's upper end.
pub fn binding_value(t: &Target, dir: Direction) -> f64 {
    match dir {
        Direction::Floor => t.value,
        Direction::Ceiling => t.value_max.unwrap_or(t.value),
    }
}

/// The child's value expressed in the parent's unit, when the units are the same or convert
/// (万人 ↔ 人, 亿元 ↔ 万元); `None` otherwise (% vs ‰, 个 vs %).
fn in_parent_unit(value: f64, unit: &str, parent_unit: &str) -> Option<f64> {
    match (parse_unit(unit), parse_unit(parent_unit)) {
        (None, None) => Some(value),
        (Some(_), Some(_)) => convert(value, unit, parent_unit),
        _ => None,
    }
}

/// Compares a child's target with its parent's for one indicator.
pub fn compare(indicator: &Indicator, child: &Target, parent: &Target) -> Verdict {
    if indicator.kind.scales_with_population() {
        return Verdict::NotComparable;
    }
    let dir = direction(child.op, indicator.polarity);
    if dir != direction(parent.op, indicator.polarity) {
        return Verdict::NotComparable;
    }
    let Some(c) = in_parent_unit(binding_value(child, dir), &child.unit, &parent.unit) else {
        return Verdict::NotComparable;
    };
    let p = binding_value(parent, dir);
    if (c - p).abs() <= 1e-9 * p.abs().max(1.0) {
        return Verdict::Equal;
    }
    match (dir, c > p) {
        (Direction::Floor, true) | (Direction::Ceiling, false) => Verdict::Stricter,
        _ => Verdict::Weaker,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minsheng_catalog::{Aggregation, Kind};
    use minsheng_model::TargetKind;

    fn indicator(kind: Kind, polarity: Polarity) -> Indicator {
        Indicator {
            id: "x".into(),
            name: "x".into(),
            name_en: "x".into(),
            domain: None,
            synonyms: vec![],
            unit: "%".into(),
            polarity,
            kind,
            aggregation: Aggregation::Ratio,
            numerator: None,
            denominator: None,
            note: None,
        }
    }

    fn target(op: Op, value: f64, unit: &str) -> Target {
        Target {
            domain: "幼有所育".into(),
            task: None,
            kind: TargetKind::Target,
            indicator: "x".into(),
            op,
            value,
            value_max: None,
            unit: unit.into(),
            year: Some(2025),
            scope: None,
            quote: String::new(),
            repaired: false,
        }
    }

    use Op::*;
    use Polarity::*;

    #[test]
    fn higher_is_better_floors() {
        let i = indicator(Kind::Rate, HigherIsBetter);
        let p = target(AtLeast, 93.0, "%");
        assert_eq!(
            compare(&i, &target(AtLeast, 95.0, "%"), &p),
            Verdict::Stricter
        );
        assert_eq!(compare(&i, &target(AtLeast, 93.0, "%"), &p), Verdict::Equal);
        assert_eq!(
            compare(&i, &target(AtLeast, 90.0, "%"), &p),
            Verdict::Weaker
        );
        assert_eq!(
            compare(&i, &target(Equal, 95.0, "%"), &p),
            Verdict::Stricter
        );
    }

    #[test]
    fn lower_is_better_ceilings() {
        let i = indicator(Kind::PerMille, LowerIsBetter);
        let p = target(AtMost, 4.0, "‰");
        assert_eq!(
            compare(&i, &target(AtMost, 3.0, "‰"), &p),
            Verdict::Stricter
        );
        assert_eq!(compare(&i, &target(AtMost, 5.0, "‰"), &p), Verdict::Weaker);
        assert_eq!(compare(&i, &target(Equal, 4.0, "‰"), &p), Verdict::Equal);
    }

    #[test]
    fn disagreeing_ops_and_units_are_not_comparable() {
        let i = indicator(Kind::Rate, LowerIsBetter);
        let p = target(AtMost, 5.5, "%");
        assert_eq!(
            compare(&i, &target(AtLeast, 5.0, "%"), &p),
            Verdict::NotComparable
        );
        assert_eq!(
            compare(&i, &target(AtMost, 5.0, "‰"), &p),
            Verdict::NotComparable
        );
        assert_eq!(
            compare(&i, &target(AtMost, 5.0, ""), &p),
            Verdict::NotComparable
        );
    }

    #[test]
    fn counts_and_amounts_are_not_comparable() {
        let p = target(AtLeast, 50.0, "万");
        let c = target(AtLeast, 3.5, "万");
        let count = indicator(Kind::Count, HigherIsBetter);
        let amount = indicator(Kind::Amount, HigherIsBetter);
        assert_eq!(compare(&count, &c, &p), Verdict::NotComparable);
        assert_eq!(compare(&amount, &c, &p), Verdict::NotComparable);
    }

    #[test]
    fn units_convert_before_comparing() {
        let i = indicator(Kind::PerCapita, HigherIsBetter);
        let p = target(AtLeast, 1.0, "万人");
        assert_eq!(
            compare(&i, &target(AtLeast, 12_000.0, "人"), &p),
            Verdict::Stricter
        );
        assert_eq!(
            compare(&i, &target(AtLeast, 10_000.0, "人"), &p),
            Verdict::Equal
        );
    }

    #[test]
    fn ranges_bind_at_their_near_end() {
        let i = indicator(Kind::Rate, HigherIsBetter);
        let mut c = target(AtLeast, 8.0, "%");
        c.value_max = Some(10.0);
        assert_eq!(compare(&i, &c, &target(AtLeast, 9.0, "%")), Verdict::Weaker);
        let j = indicator(Kind::Rate, LowerIsBetter);
        let mut c = target(AtMost, 3.0, "%");
        c.value_max = Some(5.0);
        assert_eq!(compare(&j, &c, &target(AtMost, 4.0, "%")), Verdict::Weaker);
    }
}
