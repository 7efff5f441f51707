//! 指标库与对应: the catalog, and linking a plan's wording of an indicator to its entry.
//!
//! A wording links in one of three ways: its compare key is the entry's name's key (exact), a
//! synonym's key (synonym), or, failing both, it is similar enough to the name or a synonym
//! (bigram Dice, or containment) with the distinguishing words agreeing on both sides
//! (similar). In every case the units must be compatible. A similar link is refused when two
//! entries come out nearly as close: such a wording waits for a person to add a synonym.

use crate::error::CatalogError;
use crate::indicator::Indicator;
use crate::key::compare_key;
use crate::parse::parse;
use crate::similar::{Distinguishing, similarity};
use crate::unit::units_compatible;
use serde::Serialize;
use std::collections::HashMap;

/// How close a similar wording must come to link: below this, [`Catalog::link`] says nothing.
pub const LINK_THRESHOLD: f64 = 0.72;

/// How far apart the best and the second-best entries must be for a similar link to stand.
pub const AMBIGUITY_MARGIN: f64 = 0.05;

/// 指标库: the indicators, in file order, with their wordings' keys.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Indicator>,
    lines: Vec<usize>,
    /// Entry index by id.
    ids: HashMap<String, usize>,
    /// Compare key of every name and synonym → (entry index, is the name).
    exact: HashMap<String, (usize, bool)>,
    /// Per entry, the keys of its name and synonyms with their distinguishing words.
    keys: Vec<Vec<(String, Distinguishing)>>,
}

/// How a wording was linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// The entry's name, once normalized.
    Exact,
    /// One of the entry's synonyms, once normalized.
    Synonym,
    /// Similar to the name or a synonym, distinguishing words agreeing.
    Similar,
}

/// 对应: a plan's wording linked to a catalog entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// The entry's id.
    pub id: String,
    /// 1.0 for exact and synonym links, the similarity for similar ones.
    pub score: f64,
    pub how: How,
}

/// 建议: an entry a person might link a wording to by adding it as a synonym.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub id: String,
    pub name: String,
    /// Similarity, 0.0–1.0; halved when the distinguishing words disagree.
    pub score: f64,
}

impl Catalog {
    /// Reads a catalog from its TOML text (the caller reads the file). Errors name the entry,
    /// its line and the field; duplicate ids and a wording claimed by two entries are errors.
    pub fn from_toml(text: &str) -> Result<Catalog, CatalogError> {
        let parsed = parse(text)?;
        let mut entries = Vec::with_capacity(parsed.len());
        let mut lines = Vec::with_capacity(parsed.len());
        let mut exact = HashMap::new();
        let mut keys = Vec::with_capacity(parsed.len());
        for (i, p) in parsed.into_iter().enumerate() {
            let name = compare_key(&p.indicator.name);
            exact.insert(name.clone(), (i, true));
            let mut own = vec![(name.clone(), Distinguishing::of(&name))];
            for s in &p.indicator.synonyms {
                let k = compare_key(s);
                exact.insert(k.clone(), (i, false));
                own.push((k.clone(), Distinguishing::of(&k)));
            }
            keys.push(own);
            entries.push(p.indicator);
            lines.push(p.line);
        }
        let ids = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Ok(Catalog {
            entries,
            lines,
            ids,
            exact,
            keys,
        })
    }

    /// The entries in file order.
    pub fn entries(&self) -> &[Indicator] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.position(id).map(|i| &self.entries[i])
    }

    /// The entry's index in file order: the order alignment rows follow.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// The line of the file where the entry's table starts.
    pub fn line_of(&self, id: &str) -> Option<usize> {
        self.position(id).map(|i| self.lines[i])
    }

    /// 对应: links a plan's wording of an indicator (and the unit its value is in, "" if
    /// unknown) to a catalog entry, or says nothing when no entry is a safe match.
    pub fn link(&self, indicator_text: &str, unit: &str) -> Option<Link> {
        let key = compare_key(indicator_text);
        if key.is_empty() {
            return None;
        }
        if let Some(&(i, is_name)) = self.exact.get(&key)
            && units_compatible(&self.entries[i].unit, unit)
        {
            return Some(Link {
                id: self.entries[i].id.clone(),
                score: 1.0,
                how: if is_name { How::Exact } else { How::Synonym },
            });
        }
        let words = Distinguishing::of(&key);
        let mut scored: Vec<(usize, f64)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| units_compatible(&e.unit, unit))
            .filter_map(|(i, _)| {
                self.keys[i]
                    .iter()
                    .filter(|(_, d)| *d == words)
                    .map(|(k, _)| similarity(&key, k))
                    .fold(None, |best: Option<f64>, s| {
                        Some(best.map_or(s, |b| b.max(s)))
                    })
                    .map(|s| (i, s))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        let &(best, score) = scored.first()?;
        if score < LINK_THRESHOLD {
            return None;
        }
        if let Some(&(_, second)) = scored.get(1)
            && second > score - AMBIGUITY_MARGIN
        {
            return None;
        }
        Some(Link {
            id: self.entries[best].id.clone(),
            score,
            how: How::Similar,
        })
    }

    /// 建议: the `n` entries closest to a wording, for a person to confirm by adding the
    /// wording as a synonym. Entries whose unit is incompatible are left out; those whose
    /// distinguishing words disagree are kept at half their similarity, so a reviewer sees
    /// them but below the rest.
    pub fn suggest(&self, text: &str, unit: &str, n: usize) -> Vec<Suggestion> {
        let key = compare_key(text);
        if key.is_empty() {
            return Vec::new();
        }
        let words = Distinguishing::of(&key);
        let mut out: Vec<Suggestion> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| units_compatible(&e.unit, unit))
            .map(|(i, e)| {
                let score = self.keys[i]
                    .iter()
                    .map(|(k, d)| {
                        let s = similarity(&key, k);
                        if *d == words { s } else { s / 2.0 }
                    })
                    .fold(0.0, f64::max);
                Suggestion {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    score,
                }
            })
            .filter(|s| s.score > 0.0)
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out.truncate(n);
        out
    }
}
