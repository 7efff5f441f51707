//! A small Yunnan for the tests: the province, 昆明市 (which has a plan of its own) with two
//! districts, 楚雄州 (no plan of its own) with two counties; and indicators shaped like the
//! catalog's.

#![allow(dead_code)]

use minsheng_assess::{Hierarchy, IndicatorInfo, IndicatorSet, RegionInput, TargetRef};
use minsheng_catalog::{Aggregation, Indicator, Kind, Polarity};
use minsheng_model::{DataValue, Op, Period, RegionLevel, ReviewState, ValueSource};

pub const YUNNAN: &str = "530000";
pub const KUNMING: &str = "530100";
pub const WUHUA: &str = "530102";
pub const PANLONG: &str = "530103";
pub const CHUXIONG: &str = "532300";
pub const CHUXIONG_CITY: &str = "532301";
pub const SHUANGBAI: &str = "532322";

pub fn hierarchy() -> Hierarchy {
    let rows = [
        (YUNNAN, None, RegionLevel::Province, "云南省"),
        (KUNMING, Some(YUNNAN), RegionLevel::Prefecture, "昆明市"),
        (WUHUA, Some(KUNMING), RegionLevel::County, "五华区"),
        (PANLONG, Some(KUNMING), RegionLevel::County, "盘龙区"),
        (
            CHUXIONG,
            Some(YUNNAN),
            RegionLevel::Prefecture,
            "楚雄彝族自治州",
        ),
        (CHUXIONG_CITY, Some(CHUXIONG), RegionLevel::County, "楚雄市"),
        (SHUANGBAI, Some(CHUXIONG), RegionLevel::County, "双柏县"),
    ];
    Hierarchy::new(rows.iter().map(|(code, parent, level, name)| RegionInput {
        code: code.to_string(),
        parent: parent.map(str::to_string),
        level: *level,
        name: Some(name.to_string()),
        kind: None,
    }))
    .unwrap()
}

pub fn entry(
    id: &str,
    name: &str,
    unit: &str,
    polarity: Polarity,
    kind: Kind,
    aggregation: Aggregation,
) -> Indicator {
    Indicator {
        id: id.into(),
        name: name.into(),
        name_en: String::new(),
        domain: None,
        synonyms: vec![],
        unit: unit.into(),
        polarity,
        kind,
        aggregation,
        numerator: None,
        denominator: None,
        note: None,
    }
}

/// vaccination (%, rate, ratio), infant_mortality (‰, lower is better), new_childcare_places
/// (新增, count, sum), public_childcare (count, sum), places (count, sum),
/// hardship_ratio (倍, not aggregable).
pub fn indicators() -> IndicatorSet {
    use Polarity::*;
    let (sum, ratio, none) = (Aggregation::Sum, Aggregation::Ratio, Aggregation::None);
    let entries = [
        entry(
            "vaccination",
            "适龄儿童免疫规划疫苗接种率",
            "%",
            HigherIsBetter,
            Kind::Rate,
            ratio,
        ),
        entry(
            "infant_mortality",
            "婴儿死亡率",
            "‰",
            LowerIsBetter,
            Kind::PerMille,
            ratio,
        ),
        entry(
            "new_childcare_places",
            "新增托位数",
            "个",
            HigherIsBetter,
            Kind::Count,
            sum,
        ),
        entry(
            "public_childcare",
            "公办托育机构数",
            "个",
            HigherIsBetter,
            Kind::Count,
            sum,
        ),
        entry("places", "托位数", "个", HigherIsBetter, Kind::Count, sum),
        entry(
            "hardship_ratio",
            "特困人员基本生活标准与城市低保标准之比",
            "倍",
            HigherIsBetter,
            Kind::Ratio,
            none,
        ),
    ];
    IndicatorSet::new(entries.iter().map(IndicatorInfo::from_catalog).collect()).unwrap()
}

pub fn target(region: &str, indicator: &str, op: Op, value: f64) -> TargetRef {
    TargetRef {
        region: region.into(),
        indicator: indicator.into(),
        op,
        value,
        year: 2025,
        plan_start: Some(2023),
        baseline: None,
        baseline_year: None,
        quote: format!("{indicator} {} {value}", op.as_str()),
        plan: format!("{region} 基本公共服务提升三年行动（2023-2025年）"),
        lead_units: vec!["省卫生健康委".into()],
    }
}

pub fn value(region: &str, indicator: &str, period: &str, v: f64) -> DataValue {
    DataValue {
        indicator: indicator.into(),
        region: region.into(),
        period: Period::parse(period).unwrap(),
        value: v,
        numerator: None,
        denominator: None,
        source: ValueSource::Form,
        entered_by: "tester".into(),
        entered_at: "2025-01-01T00:00:00Z".into(),
        comment: None,
        state: ReviewState::Approved,
    }
}

/// A rate with its parts: value = 100 · numerator / denominator.
pub fn rate(region: &str, indicator: &str, period: &str, num: f64, den: f64) -> DataValue {
    DataValue {
        numerator: Some(num),
        denominator: Some(den),
        ..value(region, indicator, period, 100.0 * num / den)
    }
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}
