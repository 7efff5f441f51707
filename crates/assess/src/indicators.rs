//! 指标信息: what assessment needs to know of a catalog indicator — direction, kind, how it adds
//! up, and two facts read from its name (累计新增 counts, per-unit targets).

use std::collections::HashMap;

use minsheng_catalog::{Aggregation, Indicator, Kind, Polarity};
use minsheng_model::RegionLevel;

use crate::AssessError;

/// One indicator as assessment sees it. Build it with [`IndicatorInfo::from_catalog`].
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorInfo {
    /// The catalog id (`infant_mortality`).
    pub id: String,
    /// The Chinese name (婴儿死亡率).
    pub name: String,
    /// The unit values and targets are stated in (%, ‰, 1/10万, 个 …).
    pub unit: String,
    pub polarity: Polarity,
    pub kind: Kind,
    pub aggregation: Aggregation,
    /// 累计新增: a count of things added since the plan began (新增托位, 城镇新增就业). Reported
    /// values are the running total since the plan's start, so the baseline is zero at the
    /// start and progress is measured linearly.
    pub additive: bool,
    /// For a per-unit target (每个县（市、区）建成1个, 每个州（市）…): the level each unit is.
    /// Such a target applies to every region of that level below the plan's region, and not
    /// to the plan's region itself.
    pub applies_to: Option<RegionLevel>,
}

impl IndicatorInfo {
    /// Takes the catalog entry's id, name, unit, polarity, kind and aggregation, and reads
    /// [`additive`](IndicatorInfo::additive) (the name contains 新增 and it is a count) and
    /// [`applies_to`](IndicatorInfo::applies_to) (a count that does not aggregate whose name
    /// says 每个县 / 县（市、区） or 每个州 / 州（市）) from the name.
    pub fn from_catalog(entry: &Indicator) -> IndicatorInfo {
        let counts = entry.kind.scales_with_population();
        let additive = counts && entry.name.contains("新增");
        let applies_to = if counts && entry.aggregation == Aggregation::None {
            per_unit_level(&entry.name)
        } else {
            None
        };
        IndicatorInfo {
            id: entry.id.clone(),
            name: entry.name.clone(),
            unit: entry.unit.clone(),
            polarity: entry.polarity,
            kind: entry.kind,
            aggregation: entry.aggregation,
            additive,
            applies_to,
        }
    }

    /// +1 when more is better, −1 when less is.
    pub fn polarity_sign(&self) -> f64 {
        match self.polarity {
            Polarity::HigherIsBetter => 1.0,
            Polarity::LowerIsBetter => -1.0,
        }
    }

    /// How a ratio's value follows from its parts: value = scale · numerator / denominator.
    /// 100 for %, 1000 for ‰, 100 000 for 1/10万, 1 otherwise (per-capita indicators state
    /// the denominator in the unit of the "per": 千人, 万人).
    pub fn ratio_scale(&self) -> f64 {
        ratio_scale(&self.unit)
    }

    /// Whether a target set by an ancestor's plan applies to a region at `level` below it.
    ///
    /// Rates, per-mille and per-capita figures, ratios: yes — a province's 95% holds for each
    /// county. Counts and amounts follow population, so a province's 6000 new places is not a
    /// county's target: no (the province's target is assessed against the sum of its counties).
    /// Per-unit counts that do not aggregate (每个县建成1个): yes for regions of the level the
    /// name gives.
    pub fn inherits_to(&self, level: RegionLevel) -> bool {
        if !self.kind.scales_with_population() {
            return true;
        }
        self.aggregation == Aggregation::None && self.applies_to == Some(level)
    }

    /// Whether a region's own plan's target applies to the region itself: yes, unless it is a
    /// per-unit target for a lower level (每个县… in a province's plan).
    pub fn own_applies(&self, level: RegionLevel) -> bool {
        match self.applies_to {
            Some(l) => l == level,
            None => true,
        }
    }
}

/// value = scale · numerator / denominator for a unit: 100 for %, 1000 for ‰, 100 000 for
/// 1/10万 (and 1/万 → 10 000), 1 otherwise.
pub fn ratio_scale(unit: &str) -> f64 {
    match unit.trim() {
        "%" | "％" => 100.0,
        "‰" => 1000.0,
        "1/10万" | "/10万" => 100_000.0,
        "1/万" | "/万" | "‱" => 10_000.0,
        _ => 1.0,
    }
}

fn per_unit_level(name: &str) -> Option<RegionLevel> {
    if name.contains("县（市、区）") || name.contains("县(市、区)") || name.starts_with("每个县")
    {
        Some(RegionLevel::County)
    } else if name.contains("州（市）") || name.contains("州(市)") || name.starts_with("每个州")
    {
        Some(RegionLevel::Prefecture)
    } else {
        None
    }
}

/// The indicators assessment knows, indexed by a dense `u32` in the order given.
#[derive(Debug, Clone, Default)]
pub struct IndicatorSet {
    infos: Vec<IndicatorInfo>,
    index: HashMap<String, u32>,
}

impl IndicatorSet {
    /// Errors on a duplicate id.
    pub fn new(infos: Vec<IndicatorInfo>) -> Result<IndicatorSet, AssessError> {
        let mut index = HashMap::with_capacity(infos.len());
        for (i, info) in infos.iter().enumerate() {
            if index.insert(info.id.clone(), i as u32).is_some() {
                return Err(AssessError::DuplicateIndicator(info.id.clone()));
            }
        }
        Ok(IndicatorSet { infos, index })
    }

    /// Every entry of a catalog, in catalog order.
    pub fn from_catalog(entries: &[Indicator]) -> IndicatorSet {
        let infos: Vec<IndicatorInfo> = entries.iter().map(IndicatorInfo::from_catalog).collect();
        let index = infos
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i as u32))
            .collect();
        IndicatorSet { infos, index }
    }

    pub fn len(&self) -> usize {
        self.infos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.infos.is_empty()
    }

    pub fn get(&self, indicator: u32) -> &IndicatorInfo {
        &self.infos[indicator as usize]
    }

    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    /// The dense index of an id, or [`AssessError::UnknownIndicator`].
    pub fn require(&self, id: &str) -> Result<u32, AssessError> {
        self.index_of(id)
            .ok_or_else(|| AssessError::UnknownIndicator(id.to_string()))
    }

    pub fn iter(&self) -> impl Iterator<Item = &IndicatorInfo> {
        self.infos.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, name: &str, unit: &str, kind: Kind, aggregation: Aggregation) -> Indicator {
        Indicator {
            id: id.into(),
            name: name.into(),
            name_en: String::new(),
            domain: None,
            synonyms: vec![],
            unit: unit.into(),
            polarity: Polarity::HigherIsBetter,
            kind,
            aggregation,
            numerator: None,
            denominator: None,
            note: None,
        }
    }

    #[test]
    fn reads_additive_and_per_unit_from_the_name() {
        let new_places = IndicatorInfo::from_catalog(&entry(
            "new_childcare_places",
            "新增托位数",
            "个",
            Kind::Count,
            Aggregation::Sum,
        ));
        assert!(new_places.additive);
        assert!(!new_places.inherits_to(RegionLevel::County));
        let per_county = IndicatorInfo::from_catalog(&entry(
            "county_childcare_centres",
            "每个县（市、区）区域综合托育中心数",
            "所",
            Kind::Count,
            Aggregation::None,
        ));
        assert_eq!(per_county.applies_to, Some(RegionLevel::County));
        assert!(per_county.inherits_to(RegionLevel::County));
        assert!(!per_county.inherits_to(RegionLevel::Prefecture));
        assert!(!per_county.own_applies(RegionLevel::Province));
        let rate =
            IndicatorInfo::from_catalog(&entry("x", "接种率", "%", Kind::Rate, Aggregation::Ratio));
        assert!(rate.inherits_to(RegionLevel::County));
        assert_eq!(rate.ratio_scale(), 100.0);
        assert_eq!(ratio_scale("1/10万"), 100_000.0);
    }
}
