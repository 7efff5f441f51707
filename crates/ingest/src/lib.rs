//! Plan ingestion: from a document as officials receive it to a structured, sourced [`Plan`].
//!
//! The path a document takes, one module a step:
//! 1. [`read`]: bytes to text (UTF-8, UTF-16, GB18030 text; .docx; .pdf), or an error naming the file.
//! 2. [`normalize`]: fold compatibility characters, drop page furniture, web chrome and injected
//!    spam, and report every change as a [`CleaningNote`].
//! 3. [`structure`]: sections, the nine domains, numbered tasks and their responsible units.
//! 4. [`targets`]: every quantitative statement, with its source quote.
//!
//! Bad input never panics: it gives an [`IngestError`] naming the file and the reason.

pub mod normalize;
pub mod read;
pub mod structure;
pub mod targets;

mod error;

pub use error::IngestError;
use minsheng_model::{CleaningNote, Plan};
use std::path::Path;

/// Reads, cleans and parses one plan document.
pub fn ingest_file(path: &Path) -> Result<Plan, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(ingest_bytes(path, &bytes)?.plan)
}

/// A plan document ingested from memory, with the cleaned text its quotes come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingested {
    pub plan: Plan,
    /// The document's text after cleaning: what a reviewer reads the targets' quotes in.
    pub cleaned_text: String,
}

/// Reads, cleans and parses a document already in memory (an upload); `path` names it in
/// errors and becomes the plan's source. The format is told from the content.
pub fn ingest_bytes(path: &Path, bytes: &[u8]) -> Result<Ingested, IngestError> {
    let doc = read::read_bytes(path, bytes)?;
    let (mut plan, cleaned_text) = ingest_cleaned(&doc.text);
    plan.source = path.display().to_string();
    let mut cleaning: Vec<CleaningNote> = doc.notes;
    cleaning.append(&mut plan.cleaning);
    plan.cleaning = cleaning;
    Ok(Ingested { plan, cleaned_text })
}

/// Cleans and parses a plan already decoded to text.
pub fn ingest_text(text: &str) -> Plan {
    ingest_cleaned(text).0
}

/// The plan and the cleaned text.
fn ingest_cleaned(text: &str) -> (Plan, String) {
    let cleaned = normalize::clean(text);
    let parsed = structure::parse(&cleaned.text);
    let repairs = match &parsed.flat {
        Some(flat) => reposition(&cleaned.repairs, &cleaned.text, flat),
        None => Vec::new(),
    };
    let mut plan = parsed.plan;
    plan.targets = targets::extract(&parsed.segments, plan.years, &repairs);
    plan.text = source_text(&cleaned);
    plan.cleaning = cleaned.notes;
    (plan, cleaned.text)
}

/// The cleaned text with every OCR repair undone (the document's own damaged words put
/// back), so that each target's quote — which keeps those words — is found in it.
fn source_text(cleaned: &normalize::Cleaned) -> String {
    let text = &cleaned.text;
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in &cleaned.repairs {
        if r.range.start < at {
            continue;
        }
        let (Some(before), Some(_)) = (text.get(at..r.range.start), text.get(r.range.clone()))
        else {
            continue;
        };
        out.push_str(before);
        out.push_str(&r.original);
        at = r.range.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

/// Moves repairs from the cleaned text to the joined text, which is the cleaned text with some
/// white space taken out: the joined text is a subsequence of the cleaned one.
fn reposition(
    repairs: &[normalize::Repair],
    cleaned: &str,
    joined: &str,
) -> Vec<normalize::Repair> {
    // The cleaned-text positions to translate, in order.
    let mut wanted: Vec<usize> = repairs
        .iter()
        .flat_map(|r| [r.range.start, r.range.end])
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found = std::collections::HashMap::with_capacity(wanted.len());
    let mut next = wanted.iter().peekable();
    let mut j = joined.char_indices().peekable();
    for (i, c) in cleaned.char_indices() {
        let at = j.peek().map_or(joined.len(), |&(at, _)| at);
        while next.peek().is_some_and(|&&w| w <= i) {
            found.insert(*next.next().expect("peeked"), at);
        }
        if next.peek().is_none() {
            break;
        }
        if j.peek().is_some_and(|&(_, d)| d == c) {
            j.next();
        }
    }
    let place = |p: usize| found.get(&p).copied().unwrap_or(joined.len());
    repairs
        .iter()
        .map(|r| normalize::Repair {
            range: place(r.range.start)..place(r.range.end),
            original: r.original.chars().filter(|c| !c.is_whitespace()).collect(),
        })
        .collect()
}
