//! 外部评价: satisfaction surveys (群众满意度) and third-party evaluations (第三方评估),
//! imported from a CSV file and weighted into the overall score.
//!
//! ```text
//! region,source,score,period
//! 532301,satisfaction,86.5,2024
//! 532301,third_party,78,2024
//! ```
//!
//! The header may also be written in Chinese (地区, 来源, 得分, 统计期) and may carry more
//! columns (a `note`), which are ignored. `source` is `satisfaction` / 群众满意度 or
//! `third_party` / 第三方评估; `score` is 0–100; `period` as DHIS2 writes it (2024, 2024Q4,
//! 202412). A byte-order mark is skipped. Every error names its line.

use std::collections::HashMap;

use minsheng_model::Period;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An external scores file that cannot be used, with the 1-based line of the problem.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("external scores, line {line}: {message}")]
pub struct ExternalError {
    pub line: usize,
    pub message: String,
}

/// Where an external score comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalSource {
    /// 群众满意度: a satisfaction survey of residents.
    Satisfaction,
    /// 第三方评估: an evaluation by an independent body.
    ThirdParty,
}

impl ExternalSource {
    pub const ALL: [ExternalSource; 2] = [ExternalSource::Satisfaction, ExternalSource::ThirdParty];

    pub fn as_str(self) -> &'static str {
        match self {
            ExternalSource::Satisfaction => "satisfaction",
            ExternalSource::ThirdParty => "third_party",
        }
    }

    /// 群众满意度 / 第三方评估: also the `domain` of its score rows.
    pub fn label(self) -> &'static str {
        match self {
            ExternalSource::Satisfaction => "群众满意度",
            ExternalSource::ThirdParty => "第三方评估",
        }
    }

    /// Reads `satisfaction`, `third_party` (or `third-party`), 群众满意度, 满意度, 第三方评估,
    /// 第三方.
    pub fn parse(text: &str) -> Option<ExternalSource> {
        match text.trim() {
            "satisfaction" | "群众满意度" | "满意度" => Some(ExternalSource::Satisfaction),
            "third_party" | "third-party" | "第三方评估" | "第三方" => {
                Some(ExternalSource::ThirdParty)
            }
            _ => None,
        }
    }
}

/// One external score of a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExternalScore {
    /// The region's GB/T 2260 code.
    pub region: String,
    pub source: ExternalSource,
    /// 0–100.
    pub score: f64,
    pub period: Period,
    /// The line of the file it came from (0 when not from a file).
    #[serde(skip)]
    pub line: usize,
}

/// The 1-based line a record starting at a byte offset is on. The csv reader's offset for a
/// record after blank lines points at the first blank line, so line breaks are skipped first.
fn line_of(text: &str, offset: u64) -> usize {
    let bytes = text.as_bytes();
    let mut end = (offset as usize).min(bytes.len());
    while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
        end += 1;
    }
    bytes[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// Reads the external scores CSV. Errors, naming the line: a missing column, an unknown
/// source, a score that is not a number in 0–100, a period that is not one, a region left
/// empty, and the same region, source and period given twice (naming both lines).
pub fn parse_external_csv(text: &str) -> Result<Vec<ExternalScore>, ExternalError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ExternalError {
            line: 1,
            message: format!("cannot read the header: {e}"),
        })?
        .clone();
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h));
    let need = |names: &[&str]| {
        column(names).ok_or_else(|| ExternalError {
            line: 1,
            message: format!(
                "no {} column (the header must name region, source, score, period)",
                names[0]
            ),
        })
    };
    let c_region = need(&["region", "地区", "地区代码"])?;
    let c_source = need(&["source", "来源"])?;
    let c_score = need(&["score", "得分"])?;
    let c_period = need(&["period", "统计期"])?;
    let mut out = Vec::new();
    let mut seen: HashMap<(String, ExternalSource, Period), usize> = HashMap::new();
    for record in reader.records() {
        // Lines from byte offsets: the csv crate's own line count skips blank lines.
        let record = record.map_err(|e| ExternalError {
            line: e.position().map_or(0, |p| line_of(text, p.byte())),
            message: format!("cannot read the row: {e}"),
        })?;
        let line = record.position().map_or(0, |p| line_of(text, p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |c: usize| record.get(c).unwrap_or("");
        let fail = |message: String| ExternalError { line, message };
        let region = field(c_region);
        if region.is_empty() {
            return Err(fail("the region is empty".into()));
        }
        let source = ExternalSource::parse(field(c_source)).ok_or_else(|| {
            fail(format!(
                "unknown source {:?}; write satisfaction (群众满意度) or third_party (第三方评估)",
                field(c_source)
            ))
        })?;
        let score: f64 = field(c_score)
            .parse()
            .map_err(|_| fail(format!("score {:?} is not a number", field(c_score))))?;
        if !(0.0..=100.0).contains(&score) {
            return Err(fail(format!("score {score} is outside 0–100")));
        }
        let period = Period::parse(field(c_period)).ok_or_else(|| {
            fail(format!(
                "period {:?} is not a period (write 2024, 2024Q4 or 202412)",
                field(c_period)
            ))
        })?;
        if let Some(first) = seen.insert((region.to_string(), source, period), line) {
            return Err(fail(format!(
                "{region} {} {period} is given twice (also on line {first})",
                source.as_str()
            )));
        }
        out.push(ExternalScore {
            region: region.to_string(),
            source,
            score,
            period,
            line,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_english_and_chinese_headers() {
        let a = parse_external_csv(
            "\u{feff}region,source,score,period\n532301,satisfaction,86.5,2024\n532301,第三方评估,78,2024Q4\n",
        )
        .unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].source, ExternalSource::ThirdParty);
        assert_eq!(a[1].period, Period::Quarter(2024, 4));
        assert_eq!(a[1].line, 3);
        let b = parse_external_csv("统计期,地区,来源,得分,备注\n2024,532301,群众满意度,90,抽样\n")
            .unwrap();
        assert_eq!(b[0].score, 90.0);
        assert_eq!(b[0].region, "532301");
    }
}
