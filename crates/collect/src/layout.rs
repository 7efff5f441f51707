//! 表样: the layout the template writes and the column names the importer recognises.
//!
//! The writer and the reader share this module so that what [`crate::template::write`] puts in
//! a workbook is exactly what [`crate::import`] looks for. The importer does not rely on fixed
//! positions: it finds the header row by its names and the metadata by its labels, so a sheet
//! laid out by hand, or a CSV from another system, reads too.

use minsheng_catalog::key::fold_char;

/// The sheet the values are entered on.
pub const SHEET: &str = "填报";
/// The sheet explaining how to fill the template in.
pub const HELP_SHEET: &str = "说明";

/// 1-based row of the title (merged over the table's width).
pub const TITLE_ROW: u32 = 1;
/// 1-based row of the metadata: labels in A, C, E, G, I and their values in B, D, F, H, J.
pub const META_ROW: u32 = 2;
/// 1-based row of the instructions (模板说明), merged over the table's width.
pub const NOTE_ROW: u32 = 3;
/// 1-based row of the column headers.
pub const HEADER_ROW: u32 = 4;
/// 1-based row of the first indicator.
pub const FIRST_DATA_ROW: u32 = 5;

/// The cell holding the region's code (地区编码), read back by the importer.
pub const REGION_CODE_CELL: &str = "B2";
/// The cell holding the region's name.
pub const REGION_NAME_CELL: &str = "D2";
/// The cell holding the period (统计期) as DHIS2 writes it: `2024`, `2024Q1`, `202401`.
pub const PERIOD_CELL: &str = "F2";
/// The cell holding the reporting department (填报部门), if any.
pub const DEPARTMENT_CELL: &str = "H2";
/// The cell holding the template's version.
pub const VERSION_CELL: &str = "J2";
/// What [`VERSION_CELL`] holds.
pub const TEMPLATE_VERSION: &str = "minsheng-collect/1";

/// What a column of a reporting sheet or CSV holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 指标编码: our indicator id (a name is accepted too).
    IndicatorId,
    /// 指标名称: the indicator's name (an id is accepted too).
    IndicatorName,
    /// dataelement / 指标: id or name.
    Indicator,
    /// 地区编码 / orgunit: the region's code or name.
    Region,
    /// 统计期 / period.
    Period,
    /// 单位: the unit the row's value is stated in.
    Unit,
    /// 本期值 / value.
    Value,
    /// 分子 / numerator.
    Numerator,
    /// 分母 / denominator.
    Denominator,
    /// 备注 / comment.
    Comment,
    /// DHIS2's categoryoptioncombo: minsheng stores totals only.
    CategoryOptionCombo,
    /// DHIS2's deleted flag: a row marked deleted is skipped.
    Deleted,
    /// Read by people, ignored on import: 目标, 上期值, 牵头单位, storedby, lastupdated, followup,
    /// attributeoptioncombo.
    Reference,
}

/// The template's columns in order: role, Chinese header, English header, width.
pub const COLUMNS: [(Role, &str, &str, f64); 10] = [
    (Role::IndicatorId, "指标编码", "Indicator id", 34.0),
    (Role::IndicatorName, "指标名称", "Indicator", 40.0),
    (Role::Unit, "单位", "Unit", 9.0),
    (Role::Reference, "目标", "Target", 18.0),
    (Role::Reference, "上期值", "Previous value", 14.0),
    (Role::Value, "本期值", "Value", 14.0),
    (Role::Numerator, "分子", "Numerator", 13.0),
    (Role::Denominator, "分母", "Denominator", 13.0),
    (Role::Comment, "备注", "Comment", 30.0),
    (Role::Reference, "牵头单位", "Lead unit", 24.0),
];

/// 0-based column of each input in the template.
pub(crate) const COL_ID: u16 = 0;
pub(crate) const COL_NAME: u16 = 1;
pub(crate) const COL_UNIT: u16 = 2;
pub(crate) const COL_TARGET: u16 = 3;
pub(crate) const COL_PREVIOUS: u16 = 4;
pub(crate) const COL_VALUE: u16 = 5;
pub(crate) const COL_NUMERATOR: u16 = 6;
pub(crate) const COL_DENOMINATOR: u16 = 7;
pub(crate) const COL_COMMENT: u16 = 8;
pub(crate) const COL_LEAD: u16 = 9;

/// DHIS2's dataValueSet CSV columns in their standard order: what a headerless file holds.
pub const DHIS2_COLUMNS: [&str; 11] = [
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
    "deleted",
];

/// The roles of [`DHIS2_COLUMNS`], index for index.
pub(crate) const DHIS2_ROLES: [Role; 11] = [
    Role::Indicator,
    Role::Period,
    Role::Region,
    Role::CategoryOptionCombo,
    Role::Reference,
    Role::Value,
    Role::Reference,
    Role::Reference,
    Role::Comment,
    Role::Reference,
    Role::Deleted,
];

/// Header names (folded: lower case, no spaces, `_`, `-` or `.`) and their roles.
const ALIASES: &[(&str, Role)] = &[
    // Indicator.
    ("指标编码", Role::IndicatorId),
    ("指标代码", Role::IndicatorId),
    ("指标id", Role::IndicatorId),
    ("indicatorid", Role::IndicatorId),
    ("dataelementid", Role::IndicatorId),
    ("dataelementcode", Role::IndicatorId),
    ("指标名称", Role::IndicatorName),
    ("indicatorname", Role::IndicatorName),
    ("dataelementname", Role::IndicatorName),
    ("dataelement", Role::Indicator),
    ("de", Role::Indicator),
    ("indicator", Role::Indicator),
    ("指标", Role::Indicator),
    ("数据元", Role::Indicator),
    // Region.
    ("orgunit", Role::Region),
    ("ou", Role::Region),
    ("orgunitid", Role::Region),
    ("orgunitcode", Role::Region),
    ("orgunitname", Role::Region),
    ("region", Role::Region),
    ("regioncode", Role::Region),
    ("regionname", Role::Region),
    ("地区", Role::Region),
    ("地区编码", Role::Region),
    ("地区代码", Role::Region),
    ("地区名称", Role::Region),
    ("行政区划", Role::Region),
    ("行政区划代码", Role::Region),
    ("区划代码", Role::Region),
    ("填报地区", Role::Region),
    ("组织机构", Role::Region),
    // Period.
    ("period", Role::Period),
    ("pe", Role::Period),
    ("统计期", Role::Period),
    ("报告期", Role::Period),
    ("统计期间", Role::Period),
    ("期间", Role::Period),
    ("时期", Role::Period),
    // Value and its parts.
    ("value", Role::Value),
    ("本期值", Role::Value),
    ("数值", Role::Value),
    ("填报值", Role::Value),
    ("值", Role::Value),
    ("numerator", Role::Numerator),
    ("分子", Role::Numerator),
    ("denominator", Role::Denominator),
    ("分母", Role::Denominator),
    ("unit", Role::Unit),
    ("单位", Role::Unit),
    ("计量单位", Role::Unit),
    ("comment", Role::Comment),
    ("备注", Role::Comment),
    // DHIS2 columns minsheng does not store.
    ("categoryoptioncombo", Role::CategoryOptionCombo),
    ("coc", Role::CategoryOptionCombo),
    ("deleted", Role::Deleted),
    ("attributeoptioncombo", Role::Reference),
    ("aoc", Role::Reference),
    ("storedby", Role::Reference),
    ("lastupdated", Role::Reference),
    ("created", Role::Reference),
    ("followup", Role::Reference),
    // The template's reference columns.
    ("目标", Role::Reference),
    ("target", Role::Reference),
    ("上期值", Role::Reference),
    ("previousvalue", Role::Reference),
    ("牵头单位", Role::Reference),
    ("leadunit", Role::Reference),
    ("序号", Role::Reference),
];

/// Folds a header or label for comparison: full-width forms to ASCII, lower case, and spaces,
/// `_`, `-`, `.`, `:`, `：`, `*` removed.
pub(crate) fn fold_label(text: &str) -> String {
    text.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | ':' | '：' | '*'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn alias(folded: &str) -> Option<Role> {
    ALIASES
        .iter()
        .find(|(name, _)| *name == folded)
        .map(|(_, role)| *role)
}

/// The role a header cell names: the whole text, or one of its lines, or the part before or
/// after a `/` or a bracket (`指标编码\nIndicator id`, `本期值 Value`, `value（本期值）`).
pub(crate) fn role_of_header(text: &str) -> Option<Role> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 60 {
        return None;
    }
    if let Some(role) = alias(&fold_label(text)) {
        return Some(role);
    }
    for part in text.split(['\n', '/', '／', '(', ')', '（', '）', '|']) {
        if let Some(role) = alias(&fold_label(part)) {
            return Some(role);
        }
        // `本期值 Value`: the Chinese words before the first Latin letter, and the rest.
        if let Some(cut) = part.find(|c: char| c.is_ascii_alphabetic()) {
            let (zh, en) = part.split_at(cut);
            for piece in [zh, en] {
                if let Some(role) = alias(&fold_label(piece)) {
                    return Some(role);
                }
            }
        }
    }
    None
}

/// A metadata label above the header row: region code, region name or period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetaLabel {
    RegionCode,
    RegionName,
    Period,
}

/// Reads a metadata label (`地区编码 Region code`, `统计期：`, `Period`).
pub(crate) fn meta_label(text: &str) -> Option<MetaLabel> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 40 {
        return None;
    }
    let first = text
        .split(['\n', '/', '／', '(', '（'])
        .next()
        .unwrap_or(text);
    let zh_end = first
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(first.len());
    for candidate in [text, first, &first[..zh_end], &first[zh_end..]] {
        match fold_label(candidate).as_str() {
            "地区编码" | "地区代码" | "行政区划代码" | "区划代码" | "regioncode" | "orgunit"
            | "orgunitcode" => return Some(MetaLabel::RegionCode),
            "地区" | "地区名称" | "填报地区" | "填报单位地区" | "region" | "regionname" =>
            {
                return Some(MetaLabel::RegionName);
            }
            "统计期" | "报告期" | "统计期间" | "填报期" | "period" => {
                return Some(MetaLabel::Period);
            }
            _ => {}
        }
    }
    None
}

/// The spreadsheet letter of a 0-based column: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(5), "F");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn headers_are_recognised_in_both_languages() {
        assert_eq!(
            role_of_header("指标编码\nIndicator id"),
            Some(Role::IndicatorId)
        );
        assert_eq!(role_of_header("本期值 Value"), Some(Role::Value));
        assert_eq!(
            role_of_header("上期值\nPrevious value"),
            Some(Role::Reference)
        );
        assert_eq!(role_of_header("DataElement"), Some(Role::Indicator));
        assert_eq!(role_of_header("orgUnit"), Some(Role::Region));
        assert_eq!(
            role_of_header("category_option_combo"),
            Some(Role::CategoryOptionCombo)
        );
        assert_eq!(role_of_header("分母（人）"), Some(Role::Denominator));
        assert_eq!(role_of_header("九十"), None);
        for (role, zh, en, _) in COLUMNS {
            assert_eq!(role_of_header(&format!("{zh}\n{en}")), Some(role), "{zh}");
        }
    }

    #[test]
    fn meta_labels() {
        assert_eq!(
            meta_label("地区编码 Region code"),
            Some(MetaLabel::RegionCode)
        );
        assert_eq!(meta_label("地区 Region"), Some(MetaLabel::RegionName));
        assert_eq!(meta_label("统计期："), Some(MetaLabel::Period));
        assert_eq!(meta_label("统计期 Period"), Some(MetaLabel::Period));
        assert_eq!(meta_label("备注"), None);
    }
}
