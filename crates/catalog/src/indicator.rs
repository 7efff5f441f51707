//! 指标: a canonical indicator of the catalog and the words that describe it.

use serde::Serialize;

/// A canonical indicator (指标), one entry of `data/catalog/indicators.toml`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// Stable ASCII slug (`infant_mortality`): what other data refers to.
    pub id: String,
    /// Chinese name (婴儿死亡率), the wording plans use most.
    pub name: String,
    /// English name (Infant mortality rate).
    pub name_en: String,
    /// The domain (领域) it belongs to, one of [`minsheng_model::DOMAINS`], if given.
    pub domain: Option<String>,
    /// Other wordings seen in plans (同义表述), each linking here.
    pub synonyms: Vec<String>,
    /// The unit the indicator is stated in: %, ‰, 个, 万人, 平方米 …
    pub unit: String,
    /// 指标属性: whether more is better (正向) or less is better (逆向).
    pub polarity: Polarity,
    /// 指标类型: what kind of number it is.
    pub kind: Kind,
    /// 汇总方式: how values of lower regions add up to the higher region's.
    pub aggregation: Aggregation,
    /// 分子: for rates, what is counted.
    pub numerator: Option<String>,
    /// 分母: for rates, what it is counted out of.
    pub denominator: Option<String>,
    /// A reviewer's note: definitions, caveats, why two wordings were or were not merged.
    pub note: Option<String>,
}

/// 指标属性: which direction is improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// 正向指标: higher is better (接种率, 入学率).
    HigherIsBetter,
    /// 逆向指标: lower is better (死亡率, 失业率).
    LowerIsBetter,
}

impl Polarity {
    pub const NAMES: [&'static str; 2] = ["higher_is_better", "lower_is_better"];

    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "higher_is_better",
            Polarity::LowerIsBetter => "lower_is_better",
        }
    }

    pub fn parse(s: &str) -> Option<Polarity> {
        match s {
            "higher_is_better" => Some(Polarity::HigherIsBetter),
            "lower_is_better" => Some(Polarity::LowerIsBetter),
            _ => None,
        }
    }
}

/// 指标类型: what kind of number an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 率/占比 in %: a numerator over a denominator (接种率, 公办园在园幼儿占比).
    Rate,
    /// 千分率 in ‰ (or per 100 000): deaths per live births (婴儿死亡率).
    PerMille,
    /// 人均/每千人口: a quantity per head or per thousand people (人均体育场地面积).
    PerCapita,
    /// 倍数/比值: one quantity as a multiple of another (特困人员供养标准为低保标准的1.3倍).
    Ratio,
    /// 数量: a number of people, places, institutions; scales with population.
    Count,
    /// 金额: money; scales with population.
    Amount,
}

impl Kind {
    pub const NAMES: [&'static str; 6] = [
        "rate",
        "per_mille",
        "per_capita",
        "ratio",
        "count",
        "amount",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Rate => "rate",
            Kind::PerMille => "per_mille",
            Kind::PerCapita => "per_capita",
            Kind::Ratio => "ratio",
            Kind::Count => "count",
            Kind::Amount => "amount",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "rate" => Some(Kind::Rate),
            "per_mille" => Some(Kind::PerMille),
            "per_capita" => Some(Kind::PerCapita),
            "ratio" => Some(Kind::Ratio),
            "count" => Some(Kind::Count),
            "amount" => Some(Kind::Amount),
            _ => None,
        }
    }

    /// True for counts and amounts: their size follows the region's population, so a
    /// prefecture's value cannot be held against the province's.
    pub fn scales_with_population(self) -> bool {
        matches!(self, Kind::Count | Kind::Amount)
    }

    /// True for kinds defined as a numerator over a denominator.
    pub fn is_rate(self) -> bool {
        matches!(self, Kind::Rate | Kind::PerMille)
    }
}

/// 汇总方式: how lower regions' values make the higher region's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// 加总: the parent's value is the sum of its children's (new jobs, places).
    Sum,
    /// 重算比率: sum the numerators and the denominators, then divide.
    Ratio,
    /// 不可汇总: each level states its own (per-county targets, standards, ratios of standards).
    None,
}

impl Aggregation {
    pub const NAMES: [&'static str; 3] = ["sum", "ratio", "none"];

    pub fn as_str(self) -> &'static str {
        match self {
            Aggregation::Sum => "sum",
            Aggregation::Ratio => "ratio",
            Aggregation::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Aggregation> {
        match s {
            "sum" => Some(Aggregation::Sum),
            "ratio" => Some(Aggregation::Ratio),
            "none" => Some(Aggregation::None),
            _ => None,
        }
    }
}
