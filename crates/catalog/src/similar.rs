//! 相似度与区分词: how alike two compare keys are, and the words that must agree.
//!
//! Similarity is the Dice coefficient of character bigrams, raised when one key contains the
//! other whole. Similar wordings are not enough: 城镇调查失业率 and 城镇登记失业率 differ in
//! one word and are different indicators. So each side's *distinguishing words* (区分词) are
//! read — grouped as 调查/登记, 城镇/农村/城乡/城市, 婴儿/新生儿/5岁以下/孕产妇, 省级/州（市）级/
//! 县级/乡镇, 公办/普惠/民办 and more — and a similar link stands only when, group by group,
//! both sides name the same ones. Numbers in the text (ages, counts of places) must agree too.

/// Groups of distinguishing words. Within a group, a word is (pattern, label): patterns with one
/// label mean the same thing (州市级 and 市级 are both the prefecture level). Patterns are tried
/// in order and a matched span is consumed, so longer patterns come first.
const GROUPS: &[&[(&str, &str)]] = &[
    &[("调查", "survey"), ("登记", "registered")],
    &[
        ("城乡", "urban_rural"),
        ("中心城区", "city_centre"),
        ("城镇", "town"),
        ("城市", "city"),
        ("农村", "rural"),
        ("乡村", "rural"),
    ],
    &[
        ("孕产妇", "maternal"),
        ("新生儿", "neonatal"),
        ("婴幼儿", "toddler"),
        ("婴儿", "infant"),
        ("5岁以下", "under5"),
        ("12月龄", "month12"),
    ],
    &[
        ("省级", "province"),
        ("州市级", "prefecture"),
        ("州级", "prefecture"),
        ("市级", "prefecture"),
        ("县级以上", "county_up"),
        ("县级", "county"),
        ("中心乡镇", "central_township"),
        ("乡镇", "township"),
    ],
    &[
        ("公办", "public"),
        ("公立", "public"),
        ("普惠", "inclusive"),
        ("民办", "private"),
    ],
    &[("新报告", "new"), ("存量", "existing")],
    &[("广播", "radio"), ("电视", "tv")],
    &[
        ("贫血", "anaemia"),
        ("生长迟缓", "stunting"),
        ("低体重", "underweight"),
    ],
    &[("基本标准", "basic"), ("推荐标准", "recommended")],
    &[("残疾", "disabled")],
    &[
        ("退役军人", "veteran"),
        ("烈士", "martyr"),
        ("特困", "hardship"),
        ("孤儿", "orphan"),
    ],
    &[("中医", "tcm")],
    &[
        ("学前", "preschool"),
        ("幼儿园", "preschool"),
        ("入园", "preschool"),
        ("义务教育", "compulsory"),
        ("高中", "high_school"),
        ("中职", "secondary_vocational"),
        ("高职", "vocational"),
        ("职业院校", "vocational"),
        ("高等", "higher"),
        ("高校", "higher"),
    ],
    &[
        ("养老保险", "pension_insurance"),
        ("医疗保险", "medical_insurance"),
        ("医保", "medical_insurance"),
        ("失业保险", "unemployment_insurance"),
        ("工伤保险", "injury_insurance"),
    ],
    &[("妇女", "women")],
    &[
        ("每千名儿童", "per_1000_children"),
        ("每千常住人口", "per_1000"),
        ("每千人口", "per_1000"),
        ("每千人", "per_1000"),
        ("每万人", "per_10000"),
        ("人均", "per_capita"),
    ],
];

/// What must agree between two keys for a similar link: per group, the sorted labels of the
/// distinguishing words found, and the runs of digits in order (5岁以下 → ["5"]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distinguishing {
    markers: Vec<Vec<&'static str>>,
    numbers: Vec<String>,
}

impl Distinguishing {
    /// Reads the distinguishing words and numbers of a compare key.
    pub fn of(key: &str) -> Distinguishing {
        let markers = GROUPS
            .iter()
            .map(|group| {
                let mut rest = key.to_string();
                let mut labels: Vec<&'static str> = Vec::new();
                for (pattern, label) in group.iter() {
                    if rest.contains(pattern) {
                        rest = rest.replace(pattern, "|");
                        labels.push(label);
                    }
                }
                labels.sort_unstable();
                labels.dedup();
                labels
            })
            .collect();
        let numbers = key
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        Distinguishing { markers, numbers }
    }
}

/// True when the two keys name the same distinguishing words, group by group, and the same
/// numbers. What a similar link must satisfy.
pub fn distinguishing_words_agree(a: &str, b: &str) -> bool {
    Distinguishing::of(a) == Distinguishing::of(b)
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v
}

/// The Dice coefficient of the two keys' character bigrams (as multisets), 0.0–1.0.
pub fn dice(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

/// How alike a wording's key (`query`) is to a catalog wording's key (`entry`), 0.0–1.0: the
/// bigram Dice coefficient, raised to 0.5 plus half the length ratio when the catalog wording
/// (three characters or more) stands whole inside the query — the query says the same with
/// extra words (依托有条件的机构老年中医医疗健康中心). The reverse is not raised: a query that is
/// part of a catalog wording lacks words that may matter (规范管理率 is not 肺结核患者规范管理率).
pub fn similarity(query: &str, entry: &str) -> f64 {
    let d = dice(query, entry);
    let (lq, le) = (query.chars().count(), entry.chars().count());
    if le >= 3 && le < lq && query.contains(entry) {
        d.max(0.5 + 0.5 * le as f64 / lq as f64)
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinguishing_words() {
        assert!(!distinguishing_words_agree(
            "城镇调查失业率",
            "城镇登记失业率"
        ));
        assert!(!distinguishing_words_agree(
            "婴儿死亡率",
            "5岁以下儿童死亡率"
        ));
        assert!(!distinguishing_words_agree("孕产妇死亡率", "婴儿死亡率"));
        assert!(!distinguishing_words_agree("新生儿死亡率", "婴儿死亡率"));
        assert!(!distinguishing_words_agree(
            "县级妇幼保健院",
            "州市级妇幼保健院"
        ));
        assert!(distinguishing_words_agree(
            "州市级妇幼保健院",
            "市级妇幼保健院"
        ));
        assert!(!distinguishing_words_agree(
            "公办园在园幼儿占比",
            "普惠园在园幼儿占比"
        ));
        assert!(!distinguishing_words_agree(
            "广播节目综合人口覆盖率",
            "电视节目综合人口覆盖率"
        ));
        assert!(!distinguishing_words_agree("16个州市", "10个州市"));
        assert!(distinguishing_words_agree(
            "高中阶段毛入学率",
            "高中阶段教育毛入学率"
        ));
    }

    #[test]
    fn similarity_scores() {
        assert_eq!(dice("婴儿死亡率", "婴儿死亡率"), 1.0);
        assert!(similarity("高中阶段毛入学率", "高中阶段教育毛入学率") > 0.7);
        assert!(
            similarity(
                "依托有条件的机构老年中医医疗健康中心",
                "老年中医医疗健康中心"
            ) > 0.72
        );
        assert!(similarity("规范管理率", "肺结核患者规范管理率") < 0.72);
        assert!(similarity("产前筛查率", "新生儿访视率") < 0.3);
    }
}
