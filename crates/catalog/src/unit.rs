//! 单位: units as plans write them, which of them measure the same thing, and conversions.
//!
//! A unit is read as a scale (万, 亿) and a base (人, 个, 元, %, ‰ …). Bases fall into families:
//! rates (%, ‰, 1/10万), persons (人, 名), person-times (人次), places and institutions (个, 所,
//! 家 …), dwellings (户, 套), beds (张, 床), money (元), area (平方米), multiples (倍) and a few
//! more. Two units are *compatible* — may name the same indicator — when their families agree;
//! a value is *converted* only between units of one base that differ in scale (万人 ↔ 人,
//! 亿元 ↔ 万元 ↔ 元). % and ‰ are both rates but are never converted into each other: an
//! indicator is stated in one of them, and a plan that uses the other states something else.

use crate::key::fold_char;

/// What a unit measures, for deciding whether two units may name the same indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitFamily {
    /// %, ‰, 1/10万: shares and rates.
    Rate,
    /// 人, 名.
    Persons,
    /// 人次.
    PersonTimes,
    /// 个, 所, 家, 座, 处: places, institutions, things counted one by one.
    Units,
    /// 户, 套: households and dwellings.
    Dwellings,
    /// 张, 床: beds.
    Beds,
    /// 元.
    Money,
    /// 平方米.
    Area,
    /// 倍: a multiple of another quantity.
    Multiple,
    /// 岁: years of age (life expectancy).
    Age,
    /// 小时, 天: durations.
    Duration,
    /// A bare scale (万) whose noun the text left out: a count of something.
    BareCount,
    /// Anything else, compared by its base as written.
    Other(String),
}

/// A unit read into scale and base: `万人` is 10 000 × 人.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedUnit {
    /// How many base units one unit is (万 = 10 000).
    pub scale: f64,
    /// The base unit in its canonical spelling (名 reads as 人, 床 as 张, 套（户） as 套).
    pub base: String,
    pub family: UnitFamily,
}

/// Reads a unit as written after a number. Returns `None` for an empty unit.
pub fn parse_unit(unit: &str) -> Option<ParsedUnit> {
    let folded: String = unit
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    if folded.is_empty() {
        return None;
    }
    let (scale, rest) = if let Some(r) = folded.strip_prefix("亿") {
        (1e8, r)
    } else if let Some(r) = folded.strip_prefix('万') {
        (1e4, r)
    } else {
        (1.0, folded.as_str())
    };
    // 万 alone: a count whose noun the text left out (50万). 1/10万 is a rate base, read below.
    if rest.is_empty() {
        return Some(ParsedUnit {
            scale,
            base: String::new(),
            family: UnitFamily::BareCount,
        });
    }
    let (base, family) = match rest {
        "%" | "百分比" => ("%", UnitFamily::Rate),
        "‰" | "千分比" => ("‰", UnitFamily::Rate),
        "1/10万" | "/10万" | "/十万" | "1/十万" => ("1/10万", UnitFamily::Rate),
        "人" | "名" => ("人", UnitFamily::Persons),
        "人次" => ("人次", UnitFamily::PersonTimes),
        "个" => ("个", UnitFamily::Units),
        "所" => ("所", UnitFamily::Units),
        "家" => ("家", UnitFamily::Units),
        "座" => ("座", UnitFamily::Units),
        "处" => ("处", UnitFamily::Units),
        "户" => ("户", UnitFamily::Dwellings),
        "套" | "套(户)" | "套户" => ("套", UnitFamily::Dwellings),
        "张" | "床" => ("张", UnitFamily::Beds),
        "元" => ("元", UnitFamily::Money),
        "平方米" | "平" | "m2" | "m²" | "㎡" => ("平方米", UnitFamily::Area),
        "倍" => ("倍", UnitFamily::Multiple),
        "岁" => ("岁", UnitFamily::Age),
        "小时" => ("小时", UnitFamily::Duration),
        "天" | "日" => ("天", UnitFamily::Duration),
        other => return Some(other_unit(scale, other)),
    };
    Some(ParsedUnit {
        scale,
        base: base.to_string(),
        family,
    })
}

fn other_unit(scale: f64, base: &str) -> ParsedUnit {
    ParsedUnit {
        scale,
        family: UnitFamily::Other(base.to_string()),
        base: base.to_string(),
    }
}

/// True when a value in unit `a` and a value in unit `b` may measure the same indicator: their
/// families agree (% and ‰ are both rates; 万人 and 人 both persons; 个 and % are not). An empty
/// unit is compatible with anything (the caller did not say), and a bare scale (万) with any count.
pub fn units_compatible(a: &str, b: &str) -> bool {
    let (Some(a), Some(b)) = (parse_unit(a), parse_unit(b)) else {
        return true;
    };
    match (&a.family, &b.family) {
        (UnitFamily::BareCount, f) | (f, UnitFamily::BareCount) => matches!(
            f,
            UnitFamily::BareCount
                | UnitFamily::Persons
                | UnitFamily::PersonTimes
                | UnitFamily::Units
                | UnitFamily::Dwellings
                | UnitFamily::Beds
        ),
        (fa, fb) => fa == fb,
    }
}

/// Converts `value` from one unit to another of the same base and a different scale:
/// 万人 ↔ 人, 万个 ↔ 个, 万户 ↔ 户, 亿元 ↔ 万元 ↔ 元, 万名 ↔ 人. Returns `None` when no
/// conversion settles it (% vs ‰, 个 vs %, 所 vs 个), and the value itself for equal units.
/// A bare scale (万) converts to a scaled count of any count base (50万 → 500 000 人).
///
/// ```
/// use minsheng_catalog::convert;
/// assert_eq!(convert(1.7, "万人", "人"), Some(17_000.0));
/// assert_eq!(convert(3.53, "亿元", "万元"), Some(35_300.0));
/// assert_eq!(convert(4.0, "‰", "%"), None);
/// ```
pub fn convert(value: f64, from_unit: &str, to_unit: &str) -> Option<f64> {
    let from = parse_unit(from_unit)?;
    let to = parse_unit(to_unit)?;
    let same_base = from.base == to.base
        || (from.family == UnitFamily::BareCount && units_compatible(from_unit, to_unit))
        || (to.family == UnitFamily::BareCount && units_compatible(from_unit, to_unit));
    if !same_base {
        return None;
    }
    if from.family == UnitFamily::Rate && from.scale != to.scale {
        return None;
    }
    Some(value * from.scale / to.scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_convert() {
        assert_eq!(convert(2.5, "万户", "户"), Some(25_000.0));
        assert_eq!(convert(6910.0, "户", "万户"), Some(0.691));
        assert_eq!(convert(21.6, "万个", "个"), Some(216_000.0));
        assert_eq!(convert(1.0, "亿元", "元"), Some(1e8));
        assert_eq!(convert(3.0, "万名", "人"), Some(30_000.0));
        assert_eq!(convert(50.0, "万", "万人"), Some(50.0));
        assert_eq!(convert(4127.0, "套（户）", "套"), Some(4127.0));
    }

    #[test]
    fn kinds_do_not_convert() {
        assert_eq!(convert(4.0, "‰", "%"), None);
        assert_eq!(convert(4.0, "%", "‰"), None);
        assert_eq!(convert(4.0, "个", "%"), None);
        assert_eq!(convert(4.0, "所", "个"), None);
        assert_eq!(convert(4.0, "人次", "人"), None);
        assert_eq!(convert(4.0, "%", "%"), Some(4.0));
        assert_eq!(convert(4.0, "％", "%"), Some(4.0));
    }

    #[test]
    fn compatibility_is_by_family() {
        assert!(units_compatible("%", "‰"));
        assert!(units_compatible("万人", "人"));
        assert!(units_compatible("万", "万人"));
        assert!(units_compatible("名", "人"));
        assert!(units_compatible("床", "张"));
        assert!(units_compatible("所", "个"));
        assert!(!units_compatible("个", "%"));
        assert!(!units_compatible("户", "%"));
        assert!(!units_compatible("万", "%"));
        assert!(!units_compatible("人次", "人"));
        assert!(units_compatible("", "%"));
    }
}
