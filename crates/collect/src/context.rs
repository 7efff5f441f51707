//! 导入上下文: what the caller knows and the importer needs — indicators, regions, earlier
//! values, who is importing and when. The caller reads them from the store; nothing here does
//! I/O.

use minsheng_catalog::{Catalog, Indicator, Kind, compare_key};
use minsheng_model::Period;

/// An indicator the importer accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownIndicator {
    /// The catalog id (`infant_mortality`): what [`minsheng_model::DataValue::indicator`] holds.
    pub id: String,
    /// The Chinese name.
    pub name: String,
    /// Other names accepted: synonyms, the English name.
    pub names: Vec<String>,
    /// The unit values are stored in: `%`, `‰`, `人`, `万人` …
    pub unit: String,
    pub kind: Kind,
}

impl KnownIndicator {
    /// The importer's view of a catalog entry: id, name, synonyms and English name, unit, kind.
    pub fn from_catalog(indicator: &Indicator) -> KnownIndicator {
        let mut names = indicator.synonyms.clone();
        if !indicator.name_en.is_empty() {
            names.push(indicator.name_en.clone());
        }
        KnownIndicator {
            id: indicator.id.clone(),
            name: indicator.name.clone(),
            names,
            unit: indicator.unit.clone(),
            kind: indicator.kind,
        }
    }
}

/// A region the importer accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownRegion {
    /// The GB/T 2260 code (`532300`): what [`minsheng_model::DataValue::region`] holds.
    pub code: String,
    /// Names accepted for it: the full name (楚雄彝族自治州) and short ones (楚雄州). A name
    /// that two regions share is refused with both codes named, asking for the code.
    pub names: Vec<String>,
}

/// A value already stored: compared with a new value of a later period for the jump check,
/// and with a new value of the same period to say it will be replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousValue {
    pub indicator: String,
    pub region: String,
    pub period: Period,
    pub value: f64,
}

/// The default [`ImportContext::jump_threshold`]: a value more than 50 % above or below the
/// previous period's is flagged.
pub const DEFAULT_JUMP_THRESHOLD: f64 = 0.5;

/// Everything an import checks against. Build it with [`ImportContext::new`] or
/// [`ImportContext::from_catalog`] and set the public fields.
#[derive(Debug, Clone)]
pub struct ImportContext {
    /// The indicators that may be reported.
    pub indicators: Vec<KnownIndicator>,
    /// The regions that may be reported for.
    pub regions: Vec<KnownRegion>,
    /// Stored values of the indicators and regions concerned (earlier periods for the jump
    /// check; the same period to warn of a replacement). More is harmless.
    pub previous: Vec<PreviousValue>,
    /// Relative change against the previous period beyond which a value is flagged for review
    /// (a warning): 0.5 flags 100 → 151 and 100 → 49. `None` turns the check off.
    pub jump_threshold: Option<f64>,
    /// Who is importing: [`minsheng_model::DataValue::entered_by`].
    pub entered_by: String,
    /// When, RFC 3339 UTC: [`minsheng_model::DataValue::entered_at`]. Its year and month also
    /// refuse periods that have not begun yet.
    pub now: String,
}

impl ImportContext {
    /// A context with no earlier values and the default jump threshold.
    pub fn new(
        indicators: Vec<KnownIndicator>,
        regions: Vec<KnownRegion>,
        entered_by: impl Into<String>,
        now: impl Into<String>,
    ) -> ImportContext {
        ImportContext {
            indicators,
            regions,
            previous: Vec::new(),
            jump_threshold: Some(DEFAULT_JUMP_THRESHOLD),
            entered_by: entered_by.into(),
            now: now.into(),
        }
    }

    /// A context accepting every indicator of the catalog.
    pub fn from_catalog(
        catalog: &Catalog,
        regions: Vec<KnownRegion>,
        entered_by: impl Into<String>,
        now: impl Into<String>,
    ) -> ImportContext {
        let indicators = catalog
            .entries()
            .iter()
            .map(KnownIndicator::from_catalog)
            .collect();
        ImportContext::new(indicators, regions, entered_by, now)
    }

    /// The year and month of [`ImportContext::now`], if it reads as RFC 3339.
    pub(crate) fn now_month(&self) -> Option<(i32, u8)> {
        let s = self.now.trim();
        let year: i32 = s.get(0..4)?.parse().ok()?;
        if s.get(4..5)? != "-" {
            return None;
        }
        let month: u8 = s.get(5..7)?.parse().ok()?;
        (1..=12).contains(&month).then_some((year, month))
    }
}

/// What a name resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    Found(u32),
    /// The name belongs to several entries: their indices.
    Ambiguous(Vec<u32>),
    Unknown,
}

/// Lookup tables built from a context once per import.
#[derive(Debug, Clone)]
pub(crate) struct Index {
    indicator_ids: std::collections::HashMap<String, u32>,
    indicator_keys: std::collections::HashMap<String, Vec<u32>>,
    region_codes: std::collections::HashMap<String, u32>,
    region_names: std::collections::HashMap<String, Vec<u32>>,
}

/// Region names compare with full-width forms folded and white space removed.
pub(crate) fn region_key(text: &str) -> String {
    text.chars()
        .map(minsheng_catalog::key::fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn push_unique(map: &mut std::collections::HashMap<String, Vec<u32>>, key: String, i: u32) {
    if key.is_empty() {
        return;
    }
    let list = map.entry(key).or_default();
    if !list.contains(&i) {
        list.push(i);
    }
}

impl Index {
    pub(crate) fn new(ctx: &ImportContext) -> Index {
        let mut indicator_ids = std::collections::HashMap::new();
        let mut indicator_keys = std::collections::HashMap::new();
        for (i, ind) in ctx.indicators.iter().enumerate() {
            let i = i as u32;
            indicator_ids.entry(ind.id.clone()).or_insert(i);
            for name in std::iter::once(&ind.name).chain(&ind.names) {
                push_unique(&mut indicator_keys, compare_key(name), i);
                push_unique(&mut indicator_keys, name.trim().to_lowercase(), i);
            }
        }
        let mut region_codes = std::collections::HashMap::new();
        let mut region_names = std::collections::HashMap::new();
        for (i, region) in ctx.regions.iter().enumerate() {
            let i = i as u32;
            region_codes.entry(region.code.clone()).or_insert(i);
            for name in &region.names {
                push_unique(&mut region_names, region_key(name), i);
            }
        }
        Index {
            indicator_ids,
            indicator_keys,
            region_codes,
            region_names,
        }
    }

    pub(crate) fn indicator_by_id(&self, id: &str) -> Option<u32> {
        self.indicator_ids.get(id).copied()
    }

    pub(crate) fn region_by_code(&self, code: &str) -> Option<u32> {
        self.region_codes.get(code).copied()
    }

    /// An indicator by id (exact, then case-insensitive), name or synonym.
    pub(crate) fn indicator(&self, text: &str) -> Resolved {
        let t = text.trim();
        if let Some(&i) = self.indicator_ids.get(t) {
            return Resolved::Found(i);
        }
        let lower = t.to_lowercase();
        if let Some(&i) = self.indicator_ids.get(&lower) {
            return Resolved::Found(i);
        }
        let found = self
            .indicator_keys
            .get(&lower)
            .or_else(|| self.indicator_keys.get(&compare_key(t)));
        match found.map(Vec::as_slice) {
            Some([i]) => Resolved::Found(*i),
            Some(list) if !list.is_empty() => Resolved::Ambiguous(list.to_vec()),
            _ => Resolved::Unknown,
        }
    }

    /// A region by code or name. A code written as a number with a trailing `.0`, or padded to
    /// 12 digits with zeros (532300000000), reads as the code.
    pub(crate) fn region(&self, text: &str) -> Resolved {
        let t = text.trim();
        if let Some(&i) = self.region_codes.get(t) {
            return Resolved::Found(i);
        }
        if t.bytes().all(|b| b.is_ascii_digit()) && t.len() > 6 {
            let trimmed = t.trim_end_matches("000");
            for len in [6, 9] {
                if trimmed.len() <= len
                    && let Some(&i) = self.region_codes.get(&t[..len.min(t.len())])
                {
                    return Resolved::Found(i);
                }
            }
        }
        match self.region_names.get(&region_key(t)).map(Vec::as_slice) {
            Some([i]) => Resolved::Found(*i),
            Some(list) if !list.is_empty() => Resolved::Ambiguous(list.to_vec()),
            _ => Resolved::Unknown,
        }
    }
}
