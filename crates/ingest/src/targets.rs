//! Targets: every quantitative statement of a plan, with the words it came from.
use minsheng_model::{Plan, Target};

/// Extracts the targets of a plan whose structure has been parsed.
pub fn extract(_plan: &Plan, _text: &str) -> Vec<Target> {
    Vec::new()
}
