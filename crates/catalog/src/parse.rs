//! 读取指标库: reading the catalog's TOML text into checked [`Indicator`]s.
//!
//! The file is read into loose records first (every field optional, as text), then checked
//! field by field, so that an error says which entry, which line and which field, in words.

use crate::error::CatalogError;
use crate::indicator::{Aggregation, Indicator, Kind, Polarity};
use crate::key::compare_key;
use crate::unit::{UnitFamily, parse_unit};
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    indicator: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: Option<String>,
    name: Option<String>,
    name_en: Option<String>,
    domain: Option<String>,
    #[serde(default)]
    synonyms: Vec<String>,
    unit: Option<String>,
    polarity: Option<String>,
    kind: Option<String>,
    aggregation: Option<String>,
    numerator: Option<String>,
    denominator: Option<String>,
    note: Option<String>,
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// An entry read and checked, with the line its table starts on.
pub(crate) struct Parsed {
    pub indicator: Indicator,
    pub line: usize,
}

/// Reads and checks a catalog text: entries in file order, or the first error found.
pub(crate) fn parse(text: &str) -> Result<Vec<Parsed>, CatalogError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| CatalogError::Syntax {
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: e.message().trim().to_string(),
    })?;
    let mut out: Vec<Parsed> = Vec::with_capacity(raw.indicator.len());
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut wordings: HashMap<String, String> = HashMap::new();
    for spanned in raw.indicator {
        let line = line_of(text, spanned.span().start);
        let entry = check(spanned.into_inner(), line)?;
        if let Some(first_line) = ids.get(&entry.id) {
            return Err(CatalogError::DuplicateId {
                id: entry.id,
                line,
                first_line: *first_line,
            });
        }
        ids.insert(entry.id.clone(), line);
        for wording in std::iter::once(&entry.name).chain(&entry.synonyms) {
            let key = compare_key(wording);
            if key.is_empty() {
                return Err(CatalogError::BadValue {
                    entry: entry.id.clone(),
                    line,
                    field: "synonyms",
                    problem: format!(
                        "has \"{wording}\", which is empty once punctuation and leading phrases are removed"
                    ),
                });
            }
            if let Some(first_id) = wordings.get(&key) {
                return Err(CatalogError::SharedWording {
                    wording: wording.clone(),
                    id: entry.id.clone(),
                    line,
                    first_id: first_id.clone(),
                });
            }
            wordings.insert(key, entry.id.clone());
        }
        out.push(Parsed {
            indicator: entry,
            line,
        });
    }
    Ok(out)
}

fn required(
    value: Option<String>,
    entry: &str,
    line: usize,
    field: &'static str,
) -> Result<String, CatalogError> {
    match value.map(|v| v.trim().to_string()) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(CatalogError::MissingField {
            entry: entry.to_string(),
            line,
            field,
        }),
    }
}

fn one_of<T>(
    value: String,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
    entry: &str,
    line: usize,
    field: &'static str,
) -> Result<T, CatalogError> {
    parse(&value).ok_or_else(|| CatalogError::BadValue {
        entry: entry.to_string(),
        line,
        field,
        problem: format!("is \"{value}\"; it must be one of {}", names.join(", ")),
    })
}

fn is_slug(id: &str) -> bool {
    id.len() <= 48
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn optional(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Checks one entry's fields and their consistency.
fn check(raw: RawEntry, line: usize) -> Result<Indicator, CatalogError> {
    let unnamed = format!("without an id at line {line}");
    let id = required(raw.id, &unnamed, line, "id")?;
    let bad = |field: &'static str, problem: String| CatalogError::BadValue {
        entry: id.clone(),
        line,
        field,
        problem,
    };
    if !is_slug(&id) {
        return Err(bad(
            "id",
            format!(
                "is \"{id}\"; an id is a short ASCII slug: lower-case letters, digits and _, starting with a letter"
            ),
        ));
    }
    let name = required(raw.name, &id, line, "name")?;
    let name_en = required(raw.name_en, &id, line, "name_en")?;
    let unit = required(raw.unit, &id, line, "unit")?;
    let polarity = one_of(
        required(raw.polarity, &id, line, "polarity")?,
        Polarity::parse,
        &Polarity::NAMES,
        &id,
        line,
        "polarity",
    )?;
    let kind = one_of(
        required(raw.kind, &id, line, "kind")?,
        Kind::parse,
        &Kind::NAMES,
        &id,
        line,
        "kind",
    )?;
    let aggregation = one_of(
        required(raw.aggregation, &id, line, "aggregation")?,
        Aggregation::parse,
        &Aggregation::NAMES,
        &id,
        line,
        "aggregation",
    )?;
    let domain = optional(raw.domain);
    if let Some(d) = &domain
        && minsheng_model::domain_index(d).is_none()
    {
        return Err(bad(
            "domain",
            format!(
                "is \"{d}\"; it must be one of the nine domains: {}",
                minsheng_model::DOMAINS.join("、")
            ),
        ));
    }
    let numerator = optional(raw.numerator);
    let denominator = optional(raw.denominator);
    if kind.is_rate() || aggregation == Aggregation::Ratio {
        let why = if kind.is_rate() {
            format!("kind {}", kind.as_str())
        } else {
            "aggregation ratio".to_string()
        };
        if numerator.is_none() {
            return Err(bad(
                "numerator",
                format!("is missing; an entry of {why} must say what is counted"),
            ));
        }
        if denominator.is_none() {
            return Err(bad(
                "denominator",
                format!("is missing; an entry of {why} must say what it is counted out of"),
            ));
        }
    }
    if aggregation == Aggregation::Sum && !kind.scales_with_population() {
        return Err(bad(
            "aggregation",
            format!(
                "is sum, but kind {} cannot be added up across regions; use ratio or none",
                kind.as_str()
            ),
        ));
    }
    let family = parse_unit(&unit).map(|u| u.family);
    let unit_fits = match kind {
        Kind::Rate => unit == "%",
        Kind::PerMille => matches!(unit.as_str(), "‰" | "1/10万"),
        _ => family != Some(UnitFamily::Rate),
    };
    if !unit_fits {
        let want = match kind {
            Kind::Rate => "%".to_string(),
            Kind::PerMille => "‰ or 1/10万".to_string(),
            _ => "a unit that is not a rate (%, ‰)".to_string(),
        };
        return Err(bad(
            "unit",
            format!(
                "is \"{unit}\", which does not fit kind {}; expected {want}",
                kind.as_str()
            ),
        ));
    }
    let mut synonyms = Vec::with_capacity(raw.synonyms.len());
    for s in raw.synonyms {
        let s = s.trim().to_string();
        if s.is_empty() {
            return Err(bad("synonyms", "has an empty wording".to_string()));
        }
        synonyms.push(s);
    }
    Ok(Indicator {
        id,
        name,
        name_en,
        domain,
        synonyms,
        unit,
        polarity,
        kind,
        aggregation,
        numerator,
        denominator,
        note: optional(raw.note),
    })
}
