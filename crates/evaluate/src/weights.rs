//! 权重配置: the reviewed weights file composites are computed with.
//!
//! ```toml
//! # Weights of the 2025 final evaluation, reviewed 2025-11-03.
//! [domains]            # relative weights of the nine domains in the overall score
//! "病有所医" = 2
//! "老有所养" = 1.5     # not listed: 1
//!
//! [indicators]         # relative weights of indicators inside their domain
//! infant_mortality = 2 # not listed: 1; 0 leaves an indicator out
//!
//! [external]           # shares of the overall score (0 ≤ share, sum < 1)
//! satisfaction = 0.10  # 群众满意度
//! third_party = 0.10   # 第三方评估
//! ```
//!
//! Nothing listed means equal weights and no external part. Domain and indicator weights are
//! relative (only their ratios matter); external weights are absolute shares of the overall
//! score, the monitoring part taking what is left. Every error names the line.

use std::collections::BTreeMap;

use minsheng_model::DOMAINS;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use toml::Spanned;

/// The pseudo-domain of indicators the catalog gives no domain: weighted like a domain.
pub const UNCLASSIFIED: &str = "未分类";

/// A weights file that cannot be used, with the 1-based line of the problem.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("weights file, line {line}: {message}")]
pub struct WeightsError {
    pub line: usize,
    pub message: String,
}

/// Shares of the overall score given to the external inputs.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ExternalWeights {
    /// 群众满意度.
    #[serde(default)]
    pub satisfaction: f64,
    /// 第三方评估.
    #[serde(default)]
    pub third_party: f64,
}

impl ExternalWeights {
    /// The sum of the external shares; the monitoring part's share is 1 minus this.
    pub fn total(&self) -> f64 {
        self.satisfaction + self.third_party
    }
}

/// The weights of a run: per domain, per indicator and for the external inputs. The default
/// is equal weights and no external part. Serializes as it reads (`domains`, `indicators`,
/// `external`), so a run's snapshot keeps the weights it used.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WeightsConfig {
    /// Relative domain weights by name (one of the nine, or 未分类); others weigh 1.
    #[serde(default)]
    pub domains: BTreeMap<String, f64>,
    /// Relative indicator weights by catalog id, within the indicator's domain; others weigh 1.
    #[serde(default)]
    pub indicators: BTreeMap<String, f64>,
    #[serde(default)]
    pub external: ExternalWeights,
    /// The line of each indicator id, for [`WeightsConfig::check_indicators`].
    #[serde(skip)]
    indicator_lines: BTreeMap<String, usize>,
}

impl PartialEq for WeightsConfig {
    /// Equal when the weights are (where in a file they stood does not matter).
    fn eq(&self, other: &WeightsConfig) -> bool {
        self.domains == other.domains
            && self.indicators == other.indicators
            && self.external == other.external
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    domains: BTreeMap<String, Spanned<f64>>,
    #[serde(default)]
    indicators: BTreeMap<String, Spanned<f64>>,
    #[serde(default)]
    external: Option<Spanned<RawExternal>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExternal {
    satisfaction: Option<Spanned<f64>>,
    third_party: Option<Spanned<f64>>,
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

impl WeightsConfig {
    /// Reads a weights file. Errors, each naming the line: TOML syntax, an unknown table or
    /// key, a weight that is not a number, negative or not finite, a domain that is not one of
    /// the nine (or 未分类), an external share of 1 or more in total.
    pub fn from_toml(text: &str) -> Result<WeightsConfig, WeightsError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| WeightsError {
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        let err = |span: std::ops::Range<usize>, message: String| WeightsError {
            line: line_of(text, span.start),
            message,
        };
        let weight = |what: &str, v: &Spanned<f64>| -> Result<f64, WeightsError> {
            let w = *v.get_ref();
            if !w.is_finite() || w < 0.0 {
                return Err(err(
                    v.span(),
                    format!("weight of {what} is {w}; weights are numbers ≥ 0"),
                ));
            }
            Ok(w)
        };
        let mut domains = BTreeMap::new();
        for (name, v) in &raw.domains {
            if !DOMAINS.contains(&name.as_str()) && name != UNCLASSIFIED {
                return Err(err(
                    v.span(),
                    format!(
                        "unknown domain {name:?}; the domains are {} (and {UNCLASSIFIED} for indicators without one)",
                        DOMAINS.join("、")
                    ),
                ));
            }
            domains.insert(name.clone(), weight(&format!("domain {name}"), v)?);
        }
        let mut indicators = BTreeMap::new();
        let mut indicator_lines = BTreeMap::new();
        for (id, v) in &raw.indicators {
            indicators.insert(id.clone(), weight(&format!("indicator {id}"), v)?);
            indicator_lines.insert(id.clone(), line_of(text, v.span().start));
        }
        let mut external = ExternalWeights::default();
        if let Some(ext) = &raw.external {
            let e = ext.get_ref();
            let share = |what: &str, v: &Option<Spanned<f64>>| -> Result<f64, WeightsError> {
                let Some(v) = v else { return Ok(0.0) };
                let w = weight(what, v)?;
                if w >= 1.0 {
                    return Err(err(
                        v.span(),
                        format!(
                            "{what} share is {w}; external shares are fractions below 1 (0.1 = 10%)"
                        ),
                    ));
                }
                Ok(w)
            };
            external.satisfaction = share("external satisfaction", &e.satisfaction)?;
            external.third_party = share("external third_party", &e.third_party)?;
            if external.total() >= 1.0 {
                return Err(err(
                    ext.span(),
                    format!(
                        "external shares add up to {}; they must leave a part for monitoring (sum < 1)",
                        external.total()
                    ),
                ));
            }
        }
        Ok(WeightsConfig {
            domains,
            indicators,
            external,
            indicator_lines,
        })
    }

    /// The weight of a domain (1 unless listed).
    pub fn domain(&self, name: &str) -> f64 {
        self.domains.get(name).copied().unwrap_or(1.0)
    }

    /// The weight of an indicator within its domain (1 unless listed).
    pub fn indicator(&self, id: &str) -> f64 {
        self.indicators.get(id).copied().unwrap_or(1.0)
    }

    /// Checks that every indicator id listed is known; the error names the first unknown id
    /// and its line (a typo would otherwise silently weigh 1).
    pub fn check_indicators(&self, known: impl Fn(&str) -> bool) -> Result<(), WeightsError> {
        let mut unknown: Vec<(usize, &str)> = self
            .indicators
            .keys()
            .filter(|id| !known(id))
            .map(|id| {
                (
                    self.indicator_lines.get(id).copied().unwrap_or(1),
                    id.as_str(),
                )
            })
            .collect();
        unknown.sort();
        match unknown.first() {
            Some((line, id)) => Err(WeightsError {
                line: *line,
                message: format!("unknown indicator id {id:?}: not in the catalog"),
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_weights_and_defaults() {
        let w = WeightsConfig::from_toml(
            "[domains]\n\"病有所医\" = 2\n[indicators]\ninfant_mortality = 0.5\n[external]\nsatisfaction = 0.1\n",
        )
        .unwrap();
        assert_eq!(w.domain("病有所医"), 2.0);
        assert_eq!(w.domain("学有所教"), 1.0);
        assert_eq!(w.indicator("infant_mortality"), 0.5);
        assert_eq!(w.indicator("other"), 1.0);
        assert_eq!(w.external.satisfaction, 0.1);
        assert_eq!(w.external.third_party, 0.0);
        assert_eq!(
            WeightsConfig::from_toml("").unwrap(),
            WeightsConfig::default()
        );
    }
}
