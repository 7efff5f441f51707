//! 责任单位: who answers for a task, parsed from "市卫生健康委牵头，市发展改革委配合；各县（市、区）人民政府".

use minsheng_model::Responsibility;

/// Parses the text of a responsibility clause (without 责任单位： and the brackets).
///
/// Clauses are separated by ；, ， or ;. A clause ending in 牵头 names lead units, one ending in
/// 配合 (按职能配合) cooperating units, one naming 人民政府 or 政府 the implementing governments;
/// a bare list of units before any of these is taken as the lead.
pub fn parse(text: &str) -> Responsibility {
    let text = crate::normalize::join_lines(text);
    let mut r = Responsibility::default();
    for clause in split_top_level(&text, &['；', ';', '，', ',']) {
        let clause = clause.trim().trim_end_matches(['。', '.']);
        if clause.is_empty() {
            continue;
        }
        if let Some(units) = clause.strip_suffix("牵头") {
            r.lead.extend(units_of(units));
        } else if let Some(units) = clause
            .strip_suffix("按职能配合")
            .or_else(|| clause.strip_suffix("按职责配合"))
            .or_else(|| clause.strip_suffix("共同配合"))
            .or_else(|| clause.strip_suffix("配合"))
        {
            r.cooperating.extend(units_of(units));
        } else if clause.contains("政府") && (clause.starts_with('各') || clause.ends_with("政府"))
        {
            r.governments.extend(units_of(clause));
        } else if r.lead.is_empty() && r.cooperating.is_empty() {
            r.lead.extend(units_of(clause));
        } else {
            r.cooperating.extend(units_of(clause));
        }
    }
    r
}

/// Units listed with 、 (or 和/及 between the last two), splitting outside brackets only.
fn units_of(list: &str) -> Vec<String> {
    split_top_level(list, &['、'])
        .into_iter()
        .flat_map(|u| {
            let u = u.trim();
            // "州民政局和州残联": split at 和/及 only when both sides look like units.
            match u.split_once(['和', '及']) {
                Some((a, b)) if looks_like_unit(a) && looks_like_unit(b) => {
                    vec![a.to_string(), b.to_string()]
                }
                _ => vec![u.to_string()],
            }
        })
        .filter(|u| !u.is_empty())
        .collect()
}

fn looks_like_unit(s: &str) -> bool {
    s.chars().count() >= 3
        && [
            "局", "委", "厅", "办", "会", "院", "部", "联", "政府", "中心", "处", "队", "所", "团",
        ]
        .iter()
        .any(|end| s.ends_with(end))
}

/// Splits at any of `seps` that stands outside （）() and 〔〕 brackets.
pub(crate) fn split_top_level<'a>(text: &'a str, seps: &[char]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '〔' | '[' | '【' => depth += 1,
            '）' | ')' | '〕' | ']' | '】' => depth = (depth - 1).max(0),
            c if depth == 0 && seps.contains(&c) => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// Finds a 责任单位 clause in a task's text: returns (byte range of the whole bracketed clause,
/// the clause's content). Brackets inside (各县（市、区）人民政府) are balanced.
pub fn find_clause(text: &str) -> Option<(std::ops::Range<usize>, &str)> {
    let key = text.rfind("责任单位")?;
    let open = text[..key]
        .char_indices()
        .next_back()
        .filter(|(_, c)| matches!(c, '〔' | '（' | '(' | '[' | '【'));
    let content_start = key + "责任单位".len();
    let rest = &text[content_start..];
    let rest_trimmed = rest.trim_start_matches(['：', ':']);
    let content_start = content_start + (rest.len() - rest_trimmed.len());
    let mut depth = 0i32;
    let mut end = text.len();
    let mut content_end = text.len();
    for (i, c) in text[content_start..].char_indices() {
        match c {
            '（' | '(' | '〔' | '[' | '【' => depth += 1,
            '）' | ')' | '〕' | ']' | '】' => {
                if depth == 0 {
                    content_end = content_start + i;
                    end = content_end + c.len_utf8();
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    let begin = open.map_or(key, |(i, _)| i);
    Some((begin..end, &text[content_start..content_end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_cooperating_governments() {
        let r = parse("市卫生健康委牵头，市发展改革委配合；各县（市、区）人民政府");
        assert_eq!(r.lead, vec!["市卫生健康委"]);
        assert_eq!(r.cooperating, vec!["市发展改革委"]);
        assert_eq!(r.governments, vec!["各县（市、区）人民政府"]);
    }

    #[test]
    fn by_function_and_several_units() {
        let r = parse("州教育体育局牵头，州发展改革委、州民政局、州残联按职能配合；各县市人民政府");
        assert_eq!(r.lead, vec!["州教育体育局"]);
        assert_eq!(r.cooperating, vec!["州发展改革委", "州民政局", "州残联"]);
        assert_eq!(r.governments, vec!["各县市人民政府"]);
    }

    #[test]
    fn bare_unit_is_the_lead() {
        let r = parse("市人力资源社会保障局,各县(区)人民政府");
        assert_eq!(r.lead, vec!["市人力资源社会保障局"]);
        assert_eq!(r.governments, vec!["各县(区)人民政府"]);
    }

    #[test]
    fn clause_with_nested_brackets() {
        let text = "加强儿童重点疾病防治。〔责任单位：市卫生健康委牵头，各县（市、区）人民政府〕（3）下一项";
        let (range, content) = find_clause(text).unwrap();
        assert_eq!(content, "市卫生健康委牵头，各县（市、区）人民政府");
        assert!(text[range.end..].starts_with("（3）"));
        assert!(text[range.start..].starts_with('〔'));
    }
}
