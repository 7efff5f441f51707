//! The real catalog file, the linking rules on the pairs that matter, and load errors.

use minsheng_catalog::{Catalog, CatalogError, How, Kind};

const REAL: &str = include_str!("../../../data/catalog/indicators.toml");

fn real() -> Catalog {
    Catalog::from_toml(REAL).unwrap_or_else(|e| panic!("data/catalog/indicators.toml: {e}"))
}

fn linked(c: &Catalog, text: &str, unit: &str) -> Option<String> {
    c.link(text, unit).map(|l| l.id)
}

#[test]
fn real_catalog_parses() {
    let c = real();
    assert!(c.len() >= 100, "only {} entries", c.len());
    for e in c.entries() {
        if e.kind.is_rate() {
            assert!(e.numerator.is_some() && e.denominator.is_some(), "{}", e.id);
        }
        assert!(e.domain.is_some(), "{} has no domain", e.id);
    }
}

#[test]
fn every_wording_links_to_its_own_entry() {
    let c = real();
    for e in c.entries() {
        let name = c.link(&e.name, &e.unit).expect(&e.name);
        assert_eq!((name.id.as_str(), name.how), (e.id.as_str(), How::Exact));
        for s in &e.synonyms {
            let l = c
                .link(s, &e.unit)
                .unwrap_or_else(|| panic!("{s} does not link"));
            assert_eq!(l.id, e.id, "synonym {s}");
            assert_eq!(l.how, How::Synonym, "synonym {s}");
            assert_eq!(l.score, 1.0);
        }
    }
}

#[test]
fn same_indicator_worded_differently_links_to_one_entry() {
    let c = real();
    let pairs = [
        ("适龄儿童免疫规划疫苗接种率", "适龄儿童免疫疫苗接种率", "%"),
        ("高中阶段毛入学率", "高中阶段教育毛入学率", "%"),
        ("县域就诊率", "县域内就诊率", "%"),
        ("护理型床位占比", "养老机构护理型床位占比", "%"),
        (
            "城市社区日间照料机构覆盖率",
            "城市社区日间照料设施覆盖率",
            "%",
        ),
        (
            "每千名儿童拥有儿科执业（助理）医生",
            "每千名儿童拥有儿科执业(助理)医生",
            "名",
        ),
        ("全省人均体育场地面积", "人均体育场地面积", "平方米"),
        ("城镇新增就业人数", "“十四五”期间城镇新增就业", "万人"),
    ];
    for (a, b, unit) in pairs {
        let (la, lb) = (linked(&c, a, unit), linked(&c, b, unit));
        assert!(la.is_some(), "{a} does not link");
        assert_eq!(la, lb, "{a} / {b}");
    }
}

#[test]
fn different_indicators_never_link_together() {
    let c = real();
    let pairs = [
        ("城镇调查失业率", "城镇登记失业率", "%", "%"),
        ("婴儿死亡率", "5岁以下儿童死亡率", "‰", "‰"),
        ("孕产妇死亡率", "婴儿死亡率", "1/10万", "‰"),
        ("新生儿死亡率", "婴儿死亡率", "‰", "‰"),
        ("广播节目综合人口覆盖率", "电视节目综合人口覆盖率", "%", "%"),
        ("5岁以下儿童贫血患病率", "5岁以下儿童生长迟缓率", "%", "%"),
        (
            "新报告丙肝患者抗病毒治疗率",
            "存量符合治疗条件的慢性丙肝患者抗病毒治疗率",
            "%",
            "%",
        ),
        ("省级爱国主义教育基地", "州级爱国主义教育基地", "个", "个"),
        (
            "每千人口拥有3岁以下婴幼儿托位数",
            "每千常住人口拥有3岁以下婴幼儿普惠托位数",
            "个",
            "个",
        ),
    ];
    for (a, b, ua, ub) in pairs {
        let (la, lb) = (linked(&c, a, ua), linked(&c, b, ub));
        assert!(la.is_some() && lb.is_some(), "{a} {la:?} / {b} {lb:?}");
        assert_ne!(la, lb, "{a} / {b}");
    }
}

/// A catalog with one entry: a wording that is a different indicator must not reach it by
/// similarity, however alike the words.
fn only(id: &str, name: &str, unit: &str, kind: &str) -> Catalog {
    let rate = matches!(kind, "rate" | "per_mille");
    let toml = format!(
        "[[indicator]]\nid = \"{id}\"\nname = \"{name}\"\nname_en = \"x\"\nunit = \"{unit}\"\n\
         polarity = \"lower_is_better\"\nkind = \"{kind}\"\naggregation = \"{agg}\"\n{nd}",
        agg = if rate { "ratio" } else { "sum" },
        nd = if rate {
            "numerator = \"n\"\ndenominator = \"d\"\n"
        } else {
            ""
        },
    );
    Catalog::from_toml(&toml).unwrap()
}

#[test]
fn distinguishing_words_block_similar_links() {
    let surveyed = only("surveyed", "城镇调查失业率", "%", "rate");
    assert_eq!(linked(&surveyed, "城镇登记失业率", "%"), None);
    assert_eq!(
        linked(&surveyed, "全省城镇调查失业率", "%").as_deref(),
        Some("surveyed")
    );
    let infant = only("infant", "婴儿死亡率", "‰", "per_mille");
    assert_eq!(linked(&infant, "5岁以下儿童死亡率", "‰"), None);
    assert_eq!(linked(&infant, "孕产妇死亡率", "‰"), None);
    assert_eq!(linked(&infant, "新生儿死亡率", "‰"), None);
    let county = only("county", "县级妇幼保健院达标率", "%", "rate");
    assert_eq!(linked(&county, "州（市）级妇幼保健院达标率", "%"), None);
    let public = only("public", "公办园在园幼儿占比", "%", "rate");
    assert_eq!(linked(&public, "民办园在园幼儿占比", "%"), None);
    let urban = only("urban", "城镇居民医保参保率", "%", "rate");
    assert_eq!(linked(&urban, "农村居民医保参保率", "%"), None);
    assert_eq!(linked(&urban, "城乡居民医保参保率", "%"), None);
}

#[test]
fn similar_wordings_link_with_a_score() {
    let c = real();
    let l = c
        .link("需求的持证残疾人和残疾儿童接受基本康复服务的比例", "%")
        .unwrap();
    assert_eq!(l.id, "disabled_rehab_services");
    assert_eq!(l.how, How::Similar);
    assert!(l.score > 0.72 && l.score < 1.0);
    let l = c
        .link("依托有条件的机构老年中医医疗健康中心", "个")
        .unwrap();
    assert_eq!(
        (l.id.as_str(), l.how),
        ("tcm_geriatric_centres", How::Similar)
    );
    // Bare wordings that lack the words naming the indicator do not link.
    assert_eq!(linked(&c, "规范管理率", "%"), None);
    assert_eq!(linked(&c, "就业率", "%"), None);
    assert_eq!(linked(&c, "改造", "万户"), None);
}

#[test]
fn units_must_be_compatible() {
    let c = real();
    assert_eq!(linked(&c, "婴儿死亡率", "个"), None);
    assert_eq!(
        linked(&c, "婴儿死亡率", "%").as_deref(),
        Some("infant_mortality")
    );
    assert_eq!(linked(&c, "城镇新增就业人数", "%"), None);
    assert_eq!(
        linked(&c, "城镇新增就业人数", "万").as_deref(),
        Some("urban_new_jobs")
    );
    assert_eq!(
        linked(&c, "城镇新增就业人数", "人").as_deref(),
        Some("urban_new_jobs")
    );
    assert_eq!(
        linked(
            &c,
            "乡镇（街道）建有1个具有综合服务功能的区域性养老服务中心",
            "个"
        ),
        None
    );
}

#[test]
fn suggestions_rank_the_closest_first() {
    let c = real();
    let s = c.suggest("城乡基本养老保险法定人员参保率", "%", 3);
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].id, "basic_pension_coverage");
    assert!(s[0].score >= s[1].score && s[1].score >= s[2].score);
    assert!(c.suggest("", "%", 3).is_empty());
    // Incompatible units are left out.
    assert!(
        c.suggest("婴儿死亡率", "个", 10)
            .iter()
            .all(|s| c.get(&s.id).unwrap().kind != Kind::PerMille)
    );
}

const ENTRY_A: &str = r#"
[[indicator]]
id = "a"
name = "婴儿死亡率"
name_en = "Infant mortality"
unit = "‰"
polarity = "lower_is_better"
kind = "per_mille"
aggregation = "ratio"
numerator = "deaths"
denominator = "live births"
"#;

#[test]
fn duplicate_id_is_an_error() {
    let text = format!("{ENTRY_A}{}", ENTRY_A.replace("婴儿死亡率", "新生儿死亡率"));
    let err = Catalog::from_toml(&text).unwrap_err();
    assert_eq!(
        err,
        CatalogError::DuplicateId {
            id: "a".into(),
            line: 13,
            first_line: 2,
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains("`a`") && msg.contains("line 13") && msg.contains("line 2"),
        "{msg}"
    );
}

#[test]
fn a_wording_claimed_twice_is_an_error() {
    let b = ENTRY_A.replace("id = \"a\"", "id = \"b\"").replace(
        "name = \"婴儿死亡率\"",
        "name = \"新生儿死亡率\"\nsynonyms = [\"全省婴儿死亡率\"]",
    );
    let err = Catalog::from_toml(&format!("{ENTRY_A}{b}")).unwrap_err();
    match &err {
        CatalogError::SharedWording {
            wording,
            id,
            first_id,
            ..
        } => assert_eq!(
            (wording.as_str(), id.as_str(), first_id.as_str()),
            ("全省婴儿死亡率", "b", "a")
        ),
        other => panic!("{other}"),
    }
}

#[test]
fn errors_name_entry_line_and_field() {
    let missing = ENTRY_A.replace("polarity = \"lower_is_better\"\n", "");
    let err = Catalog::from_toml(&missing).unwrap_err().to_string();
    assert!(
        err.contains("entry a") && err.contains("line 2") && err.contains("`polarity`"),
        "{err}"
    );

    let bad = ENTRY_A.replace("lower_is_better", "down");
    let err = Catalog::from_toml(&bad).unwrap_err().to_string();
    assert!(
        err.contains("`polarity`") && err.contains("\"down\"") && err.contains("higher_is_better"),
        "{err}"
    );

    let no_denominator = ENTRY_A.replace("denominator = \"live births\"\n", "");
    let err = Catalog::from_toml(&no_denominator).unwrap_err().to_string();
    assert!(err.contains("`denominator`"), "{err}");

    let wrong_unit = ENTRY_A.replace("unit = \"‰\"", "unit = \"个\"");
    let err = Catalog::from_toml(&wrong_unit).unwrap_err().to_string();
    assert!(err.contains("`unit`") && err.contains("per_mille"), "{err}");

    let summed_rate = ENTRY_A.replace("aggregation = \"ratio\"", "aggregation = \"sum\"");
    let err = Catalog::from_toml(&summed_rate).unwrap_err().to_string();
    assert!(err.contains("`aggregation`"), "{err}");

    let bad_id = ENTRY_A.replace("id = \"a\"", "id = \"婴儿\"");
    let err = Catalog::from_toml(&bad_id).unwrap_err().to_string();
    assert!(err.contains("`id`") && err.contains("slug"), "{err}");

    let bad_domain = ENTRY_A.replace("unit =", "domain = \"卫生\"\nunit =");
    let err = Catalog::from_toml(&bad_domain).unwrap_err().to_string();
    assert!(
        err.contains("`domain`") && err.contains("幼有所育"),
        "{err}"
    );

    let unknown = ENTRY_A.replace("unit =", "units = \"x\"\nunit =");
    let err = Catalog::from_toml(&unknown).unwrap_err();
    assert!(matches!(err, CatalogError::Syntax { line: 6, .. }), "{err}");
    assert!(err.to_string().contains("units"), "{err}");

    let broken = ENTRY_A.replace("name_en = \"Infant mortality\"", "name_en = Infant");
    let err = Catalog::from_toml(&broken).unwrap_err();
    assert!(matches!(err, CatalogError::Syntax { line: 5, .. }), "{err}");
}

#[test]
fn empty_text_is_an_empty_catalog() {
    let c = Catalog::from_toml("# nothing yet\n").unwrap();
    assert!(c.is_empty());
    assert_eq!(c.link("婴儿死亡率", "‰"), None);
}
