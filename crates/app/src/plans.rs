//! Plans into the store: an ingested plan's region resolved, every target linked to the
//! indicator catalog (指标库), a new version saved; the five bundled plan documents; and
//! where each target's quote (引文) stands in the plan's kept text ([`locate_quotes`]).

use crate::{AppError, Result};
use minsheng_catalog::Catalog;
use minsheng_model::Plan;
use minsheng_store::{RegionRow, Store};
use std::ops::Range;

/// The bundled plan documents (data/plans), built into the binary: (file name, text).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "000_98986a7ea01ebd6d.txt",
        include_str!("../../../data/plans/000_98986a7ea01ebd6d.txt"),
    ),
    (
        "001_25b46bd4477d6bc1.txt",
        include_str!("../../../data/plans/001_25b46bd4477d6bc1.txt"),
    ),
    (
        "002_ceb32094e06cc94e.txt",
        include_str!("../../../data/plans/002_ceb32094e06cc94e.txt"),
    ),
    (
        "003_72cf686e9aa2ada4.txt",
        include_str!("../../../data/plans/003_72cf686e9aa2ada4.txt"),
    ),
    (
        "004_448f1b67fccfcd17.txt",
        include_str!("../../../data/plans/004_448f1b67fccfcd17.txt"),
    ),
];

/// What storing one plan did.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    pub region: RegionRow,
    pub version: i64,
    pub tasks: usize,
    pub targets: usize,
    /// Targets linked to a catalog indicator.
    pub linked: usize,
}

/// The catalog link of each of `plan`'s targets, in order.
pub fn link_targets(catalog: &Catalog, plan: &Plan) -> Vec<Option<String>> {
    plan.targets
        .iter()
        .map(|t| catalog.link(&t.indicator, &t.unit).map(|l| l.id))
        .collect()
}

/// Stores an ingested plan as a new version of its region's plan. `origin` (a file name)
/// names the plan in errors. Refused, with nothing stored, when the plan's region cannot be
/// read from its title or is not in the region list.
pub async fn save(
    store: &Store,
    catalog: &Catalog,
    plan: &Plan,
    origin: &str,
) -> Result<LoadedPlan> {
    let Some(region_name) = plan.region.clone() else {
        return Err(AppError::Refused(format!(
            "{origin}: the plan's region could not be read from its title; nothing was stored"
        )));
    };
    let region = store.resolve_region(&region_name).await?.ok_or_else(|| {
        AppError::Refused(format!(
            "{origin}: the plan's region {region_name} is not in the region list; nothing was stored"
        ))
    })?;
    let ids = link_targets(catalog, plan);
    let saved = store.save_plan(plan, &region.code, &ids).await?;
    Ok(LoadedPlan {
        region,
        version: saved.version,
        tasks: plan.domains.iter().map(|d| d.tasks.len()).sum(),
        targets: plan.targets.len(),
        linked: ids.iter().flatten().count(),
    })
}

/// Ingests one bundled document (by its text) under its file name.
pub fn ingest_bundled(name: &str, text: &str) -> Plan {
    let mut plan = minsheng_ingest::ingest_text(text);
    plan.source = format!("data/plans/{name}");
    plan
}

/// Where each of `quotes` stands in `text` (byte ranges of `text`), `None` for a quote not
/// found. White space is ignored on both sides — joining lines and table cells removes it
/// from quotes — and each quote is looked for after where the previous one was found, then
/// at the same place (a longer quote can begin where the previous one did), then from the
/// start (quotes come in document order, and the same words can stand twice).
pub fn locate_quotes(text: &str, quotes: &[&str]) -> Vec<Option<Range<usize>>> {
    // The text without white space, each character with its byte range in `text`.
    let mut chars = Vec::with_capacity(text.len() / 3);
    let mut spans = Vec::with_capacity(text.len() / 3);
    for (at, c) in text.char_indices().filter(|(_, c)| !c.is_whitespace()) {
        chars.push(c);
        spans.push(at..at + c.len_utf8());
    }
    let find = |from: usize, needle: &[char]| {
        chars
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut cursor = 0;
    quotes
        .iter()
        .map(|quote| {
            let needle: Vec<char> = quote.chars().filter(|c| !c.is_whitespace()).collect();
            if needle.is_empty() {
                return None;
            }
            let at = find(cursor + 1, &needle)
                .or_else(|| find(cursor, &needle))
                .or_else(|| find(0, &needle))?;
            cursor = at;
            let (first, last) = (spans.get(at)?, spans.get(at + needle.len() - 1)?);
            Some(first.start..last.end)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_across_line_breaks_in_order_and_missing_ones_say_so() {
        let text = "到2025年，婴儿死亡率\n下降到4‰。\n…婴儿死亡率下降到4‰。新建幼儿园。";
        let got = locate_quotes(
            text,
            &[
                "婴儿死亡率下降到4‰",
                "婴儿死亡率下降到4‰",
                "托位数4.5个",
                "",
                "新建幼儿园",
            ],
        );
        let first = got[0].clone().unwrap();
        assert_eq!(&text[first.clone()], "婴儿死亡率\n下降到4‰");
        let second = got[1].clone().unwrap();
        assert!(
            second.start > first.start,
            "the second stands after the first"
        );
        assert_eq!(&text[second], "婴儿死亡率下降到4‰");
        assert_eq!(got[2], None, "not in the text");
        assert_eq!(got[3], None, "an empty quote marks nothing");
        // Found again from the start after the cursor went past it.
        let back = locate_quotes(text, &["新建幼儿园", "到2025年"]);
        assert_eq!(&text[back[1].clone().unwrap()], "到2025年");
    }

    #[test]
    fn every_bundled_quote_is_located_in_the_kept_text() {
        for (name, text) in BUNDLED {
            let plan = ingest_bundled(name, text);
            let quotes: Vec<&str> = plan.targets.iter().map(|t| t.quote.as_str()).collect();
            let found = locate_quotes(&plan.text, &quotes);
            for (t, f) in plan.targets.iter().zip(&found) {
                assert!(f.is_some(), "{name}: {:?} not located", t.quote);
            }
        }
    }

    #[test]
    fn every_bundled_plan_names_its_region() {
        for (name, text) in BUNDLED {
            let plan = ingest_bundled(name, text);
            assert!(plan.region.is_some(), "{name} has no region");
            assert_eq!(plan.source, format!("data/plans/{name}"));
        }
    }
}
