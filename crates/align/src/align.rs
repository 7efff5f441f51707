//! 对标: holding each plan's end-year targets against its parent region's.
//!
//! For every plan whose parent region has plans in the input: each indicator the primary parent
//! plan sets gives a row (compared, or `missing` when the child lacks it); each indicator the
//! child sets that the primary lacks but a fallback parent plan sets gives a compared row. A
//! fallback's indicators the child lacks give no `missing` row: a plan of another period (the
//! 14th five-year plan) is not the brief a three-year action plan answers to. Indicators only
//! the child sets give no row. Rows follow the input's plan order, then the catalog's order.

use crate::input::PlanTargets;
use crate::row::{AlignRow, IndicatorRef};
use crate::select::{end_year_targets, rank_parent_plans};
use crate::verdict::{Verdict, binding_value, compare, direction};
use minsheng_catalog::Catalog;
use minsheng_model::Target;

/// 对标: the alignment rows of every plan against its parent region's plans. Targets linked to
/// an id the catalog does not have are ignored.
pub fn align(plans: &[PlanTargets], catalog: &Catalog) -> Vec<AlignRow> {
    let mut rows = Vec::new();
    for child in plans {
        let parents = rank_parent_plans(child, plans);
        let Some(primary) = parents.first() else {
            continue;
        };
        let own = end_year_targets(child);
        let parent_targets: Vec<_> = parents.iter().map(|p| end_year_targets(p)).collect();
        let mut plan_rows: Vec<(usize, AlignRow)> = Vec::new();
        for entry in catalog.entries() {
            let id = entry.id.as_str();
            let from_primary = parent_targets[0].get(id).map(|t| (*primary, *t));
            let parent = from_primary.or_else(|| {
                own.get(id)?;
                parents
                    .iter()
                    .zip(&parent_targets)
                    .skip(1)
                    .find_map(|(p, ts)| ts.get(id).map(|t| (*p, *t)))
            });
            let Some((parent_plan, pt)) = parent else {
                continue;
            };
            let child_target = own.get(id).copied();
            let verdict = match child_target {
                Some(ct) => compare(entry, ct, pt),
                None => Verdict::Missing,
            };
            let value_of = |t: &Target| binding_value(t, direction(t.op, entry.polarity));
            let row = AlignRow {
                region: child.region.clone(),
                parent_region: parent_plan.region.clone(),
                indicator: IndicatorRef {
                    id: entry.id.clone(),
                    name: entry.name.clone(),
                },
                op: child_target.map(|t| t.op),
                value: child_target.map(value_of),
                unit: child_target.map(|t| t.unit.clone()),
                parent_op: pt.op,
                parent_value: value_of(pt),
                parent_unit: pt.unit.clone(),
                verdict,
                quote: child_target.map(|t| t.quote.clone()),
                parent_quote: pt.quote.clone(),
            };
            plan_rows.push((catalog.position(id).unwrap_or(usize::MAX), row));
        }
        plan_rows.sort_by_key(|(pos, _)| *pos);
        rows.extend(plan_rows.into_iter().map(|(_, r)| r));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{LinkedTarget, Region};
    use minsheng_model::{Op, TargetKind};

    const CATALOG: &str = r#"
[[indicator]]
id = "enrol"
name = "高中阶段教育毛入学率"
name_en = "x"
unit = "%"
polarity = "higher_is_better"
kind = "rate"
aggregation = "ratio"
numerator = "n"
denominator = "d"

[[indicator]]
id = "area"
name = "人均体育场地面积"
name_en = "x"
unit = "平方米"
polarity = "higher_is_better"
kind = "per_capita"
aggregation = "ratio"
numerator = "n"
denominator = "d"

[[indicator]]
id = "football"
name = "每万人拥有足球场地数"
name_en = "x"
unit = "块"
polarity = "higher_is_better"
kind = "per_capita"
aggregation = "ratio"
numerator = "n"
denominator = "d"
"#;

    fn t(id: &str, op: Op, value: f64, unit: &str, quote: &str) -> LinkedTarget {
        LinkedTarget {
            indicator_id: Some(id.into()),
            target: Target {
                domain: "学有所教".into(),
                task: None,
                kind: TargetKind::Target,
                indicator: id.into(),
                op,
                value,
                value_max: None,
                unit: unit.into(),
                year: Some(2025),
                scope: None,
                quote: quote.into(),
                repaired: false,
            },
        }
    }

    fn plan(
        code: &str,
        parent: Option<&str>,
        years: [i32; 2],
        targets: Vec<LinkedTarget>,
    ) -> PlanTargets {
        PlanTargets {
            plan: format!("{code} {years:?}"),
            region: Region::new(code, code),
            parent_code: parent.map(String::from),
            years: Some(years),
            targets,
        }
    }

    #[test]
    fn primary_parent_then_fallback() {
        let catalog = Catalog::from_toml(CATALOG).unwrap();
        let plans = vec![
            // The five-year plan first in the input: years, not order, make the primary.
            plan(
                "530000",
                None,
                [2021, 2025],
                vec![
                    t("enrol", Op::AtLeast, 92.0, "%", "five-year enrol"),
                    t("area", Op::AtLeast, 2.6, "平方米", "five-year area"),
                    t("football", Op::AtLeast, 1.0, "块", "five-year football"),
                ],
            ),
            plan(
                "530000",
                None,
                [2023, 2025],
                vec![t("enrol", Op::AtLeast, 93.0, "%", "three-year enrol")],
            ),
            plan(
                "532300",
                Some("530000"),
                [2023, 2025],
                vec![
                    t("enrol", Op::AtLeast, 93.0, "%", "child enrol"),
                    t("area", Op::AtMost, 2.5, "平方米", "child area"),
                ],
            ),
        ];
        let rows = align(&plans, &catalog);
        assert_eq!(rows.len(), 2, "{rows:#?}");
        // enrol: against the three-year plan (the better year match).
        assert_eq!(rows[0].indicator.id, "enrol");
        assert_eq!(rows[0].parent_quote, "three-year enrol");
        assert_eq!(rows[0].verdict, Verdict::Equal);
        // area: the three-year plan lacks it, so the five-year plan answers; the ops point
        // different ways.
        assert_eq!(rows[1].indicator.id, "area");
        assert_eq!(rows[1].parent_quote, "five-year area");
        assert_eq!(rows[1].verdict, Verdict::NotComparable);
        // football: only in the fallback and not in the child: no missing row.
    }

    #[test]
    fn plans_without_a_parent_in_the_input_give_no_rows() {
        let catalog = Catalog::from_toml(CATALOG).unwrap();
        let plans = vec![plan(
            "532300",
            Some("530000"),
            [2023, 2025],
            vec![t("enrol", Op::AtLeast, 93.0, "%", "")],
        )];
        assert!(align(&plans, &catalog).is_empty());
    }
}
