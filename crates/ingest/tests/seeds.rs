//! End-to-end: the five bundled plan documents through the whole pipeline (read, clean, parse,
//! extract), asserting their structure — every task's title and lead units — and a sample of
//! targets per document, including the damaged and spammed places.

use minsheng_ingest::ingest_file;
use minsheng_model::{CleaningKind, Op, Plan, Target, TargetKind};
use std::path::PathBuf;

fn plan(stem: &str) -> Plan {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/plans")
        .join(format!("{stem}.txt"));
    ingest_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts the plan's tasks, in order, against (domain, title, lead units joined by 、).
fn assert_tasks(plan: &Plan, expected: &[(&str, &str, &str)]) {
    let got: Vec<(String, String, String)> = plan
        .domains
        .iter()
        .flat_map(|d| {
            d.tasks.iter().map(move |t| {
                (
                    d.name.clone(),
                    t.title.clone(),
                    t.responsibility.lead.join("、"),
                )
            })
        })
        .collect();
    assert_eq!(got.len(), expected.len(), "number of tasks");
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        assert_eq!(
            (g.0.as_str(), g.1.as_str(), g.2.as_str()),
            *e,
            "task {} of {}",
            i + 1,
            plan.source
        );
    }
}

/// Finds the one target with this kind, value and unit whose indicator contains `name`.
fn target<'a>(plan: &'a Plan, kind: TargetKind, name: &str, value: f64, unit: &str) -> &'a Target {
    let found: Vec<&Target> = plan
        .targets
        .iter()
        .filter(|t| {
            t.kind == kind && t.indicator.contains(name) && t.value == value && t.unit == unit
        })
        .collect();
    assert!(
        !found.is_empty(),
        "no {kind:?} {name} {value}{unit} in {}",
        plan.source
    );
    found[0]
}

#[test]
fn yunnan_three_year_plan() {
    let p = plan("000_98986a7ea01ebd6d");
    assert_eq!(p.region.as_deref(), Some("云南省"));
    assert_eq!(p.years, Some([2023, 2025]));
    assert_eq!(
        p.title,
        "云南省基本公共服务提升三年行动计划（2023-2025年）（征求意见稿）"
    );
    assert_eq!(p.domains.len(), 9);
    assert_tasks(&p, TASKS_000);
    assert!(
        p.domains
            .iter()
            .all(|d| d.direction.is_some() && d.goals.is_some())
    );

    let infant = target(&p, TargetKind::Target, "婴儿死亡率", 4.0, "‰");
    assert_eq!((infant.op, infant.year), (Op::AtMost, Some(2025)));
    assert_eq!(
        target(&p, TargetKind::Target, "5岁以下儿童死亡率", 6.0, "‰").op,
        Op::AtMost
    );
    assert_eq!(
        target(&p, TargetKind::Baseline, "高中阶段毛入学率", 90.98, "%").op,
        Op::Equal
    );
    assert_eq!(
        target(
            &p,
            TargetKind::Baseline,
            "儿童保健设施建设达标率",
            50.0,
            "%"
        )
        .op,
        Op::AtLeast
    );
    assert_eq!(
        target(&p, TargetKind::Target, "城镇调查失业率", 5.5, "%").op,
        Op::AtMost
    );
    assert_eq!(
        target(&p, TargetKind::Target, "人均体育场地面积", 2.6, "平方米").op,
        Op::AtLeast
    );
    let range = target(&p, TargetKind::Target, "专科", 8.0, "个");
    assert_eq!(range.value_max, Some(10.0));
    let vaccine = target(&p, TargetKind::Target, "免疫疫苗接种率", 90.0, "%");
    assert_eq!(vaccine.scope.as_deref(), Some("以乡（镇、街道）为单位"));
    // 分别…和…: two indicators, two values, one sentence.
    assert_eq!(
        target(&p, TargetKind::Target, "5岁以下儿童生长迟缓率", 5.0, "%").op,
        Op::AtMost
    );
    // Every quote is the document's own words.
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/plans/000_98986a7ea01ebd6d.txt"),
    )
    .unwrap();
    let doc: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for t in &p.targets {
        assert!(
            doc.contains(&t.quote),
            "quote not in the document: {}",
            t.quote
        );
    }
}

#[test]
fn yunnan_five_year_plan_from_a_hacked_web_page() {
    let p = plan("001_25b46bd4477d6bc1");
    assert_eq!(p.region.as_deref(), Some("云南省"));
    assert_eq!(p.title, "云南省“十四五”公共服务发展规划");
    assert_eq!(p.years, Some([2021, 2025]));
    let spam: Vec<_> = p
        .cleaning
        .iter()
        .filter(|n| n.kind == CleaningKind::Spam)
        .collect();
    assert!(
        spam.iter().any(|n| n.original.contains("足彩")),
        "spam removal is reported"
    );
    assert!(p.cleaning.iter().any(|n| n.kind == CleaningKind::WebChrome));
    let json = serde_json::to_string(&p.targets).unwrap();
    assert!(!json.contains("足彩") && !json.contains("投注"));
    assert_eq!(
        target(&p, TargetKind::Target, "城镇新增就业", 250.0, "万人").op,
        Op::AtLeast
    );
    assert_eq!(
        target(&p, TargetKind::Baseline, "基本医疗保险参保率", 95.31, "%").op,
        Op::Equal
    );
    assert_eq!(
        target(&p, TargetKind::Baseline, "幼儿园", 13385.0, "所").op,
        Op::Equal
    );
}

#[test]
fn chuxiong_task_table_flattened_from_pdf() {
    let p = plan("002_ceb32094e06cc94e");
    assert_eq!(p.region.as_deref(), Some("楚雄州"));
    assert_eq!(p.years, Some([2023, 2025]));
    assert_eq!(p.domains.len(), 9);
    assert_tasks(&p, TASKS_002);
    let serials: Vec<u32> = p
        .domains
        .iter()
        .flat_map(|d| d.tasks.iter().filter_map(|t| t.serial))
        .collect();
    assert_eq!(serials, (1..=28).collect::<Vec<_>>());
    // A task with two sub-rows keeps both lead units.
    let task17 = &p.domains[4].tasks[1];
    assert_eq!(
        task17.responsibility.lead,
        vec!["州民政局", "州人力资源社会保障局"]
    );
    assert!(
        p.domains[0].tasks[0]
            .annual_goals
            .as_deref()
            .is_some_and(|g| g.contains("3个以上"))
    );

    let goal = target(&p, TargetKind::Target, "托位数", 4.5, "个");
    assert_eq!((goal.domain.as_str(), goal.task), ("幼有所育", Some(1)));
    assert_eq!(
        target(&p, TargetKind::Annual, "托位数", 3.0, "个").op,
        Op::AtLeast
    );
    assert_eq!(
        target(&p, TargetKind::Annual, "城镇登记失业率", 4.2, "%").op,
        Op::AtMost
    );
    assert_eq!(
        target(&p, TargetKind::Target, "人均体育场地面积", 2.5, "平方米").op,
        Op::AtLeast
    );
    // "95％" with a full-width percent sign, folded.
    target(&p, TargetKind::Target, "基本养老保险参保率", 95.0, "%");
    // 确保20%、争取30%: one goal with a range.
    let share = p
        .targets
        .iter()
        .find(|t| t.quote.starts_with("确保20%"))
        .expect("确保20%");
    assert_eq!(share.value_max, Some(30.0));
    // Page furniture is gone and reported.
    assert!(
        p.cleaning
            .iter()
            .any(|n| n.kind == CleaningKind::PageFooter)
    );
    assert!(
        p.cleaning
            .iter()
            .any(|n| n.kind == CleaningKind::RepeatedHeader)
    );
    let json = serde_json::to_string(&p).unwrap();
    assert!(!json.contains("第4页") && !json.contains("共10页"));
}

#[test]
fn puer_plan_with_ocr_damage_cut_off_in_ruo_you_suo_fu() {
    let p = plan("003_72cf686e9aa2ada4");
    assert_eq!(p.region.as_deref(), Some("普洱市"));
    assert_eq!(p.years, Some([2023, 2025]));
    assert_tasks(&p, TASKS_003);
    // Two tasks open without a title sentence.
    let untitled: Vec<_> = p
        .domains
        .iter()
        .flat_map(|d| {
            d.tasks
                .iter()
                .filter(|t| t.title.is_empty())
                .map(move |t| (d.name.as_str(), t.number))
        })
        .collect();
    assert_eq!(untitled, vec![("幼有所育", 2), ("劳有所得", 4)]);
    // The document stops inside 弱有所扶.
    let ruo = p.domains.iter().find(|d| d.name == "弱有所扶").unwrap();
    assert_eq!(ruo.tasks.len(), 2);

    // "96.97%o": a full stop read as "o".
    let rate = target(&p, TargetKind::Baseline, "九年义务教育巩固率", 96.97, "%");
    assert!(rate.repaired && rate.quote.contains("96.97%o"), "{rate:?}");
    // "下降到4%。、6%o": per-mille signs broken in two.
    let infant = target(&p, TargetKind::Target, "婴儿死亡率", 4.0, "‰");
    assert!(
        infant.repaired && infant.quote.contains("4%。"),
        "{infant:?}"
    );
    assert!(target(&p, TargetKind::Target, "5岁以下儿童死亡率", 6.0, "‰").repaired);
    // "4161%": a share cannot pass 100%; the decimal point was lost.
    assert!(target(&p, TargetKind::Baseline, "公办园占比", 41.61, "%").repaired);
    // Undamaged values are not marked.
    assert!(!target(&p, TargetKind::Target, "学前三年毛入园率", 96.0, "%").repaired);
    assert!(
        p.cleaning
            .iter()
            .any(|n| n.kind == CleaningKind::OcrRepair && n.original == "03岁")
    );
}

#[test]
fn yuxi_plan_extracted_from_pdf_with_radicals() {
    let p = plan("004_448f1b67fccfcd17");
    assert_eq!(p.region.as_deref(), Some("玉溪市"));
    assert_eq!(p.title, "玉溪市基本公共服务提升三年行动（2023-2025年）");
    assert_eq!(p.years, Some([2023, 2025]));
    assert_tasks(&p, TASKS_004);
    let kept = Plan {
        cleaning: Vec::new(),
        ..p.clone()
    };
    let json = serde_json::to_string(&kept).unwrap();
    let radical = json.chars().find(|c| ('\u{2E80}'..='\u{2FDF}').contains(c));
    assert_eq!(
        radical, None,
        "radicals are folded everywhere but in the cleaning report"
    );
    assert!(p.cleaning.iter().any(|n| n.kind == CleaningKind::Characters
        && n.original == "⺠"
        && n.replacement == "民"));
    assert_eq!(
        target(&p, TargetKind::Target, "婴儿死亡率", 3.0, "‰").op,
        Op::AtMost
    );
    assert_eq!(
        target(&p, TargetKind::Target, "产前筛查率", 96.0, "%").op,
        Op::AtLeast
    );
    assert_eq!(
        target(&p, TargetKind::Target, "新增托位", 6000.0, "个").op,
        Op::AtLeast
    );
}

#[test]
fn a_bad_file_names_itself() {
    let dir = std::env::temp_dir().join(format!("minsheng-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let err = ingest_file(&empty).unwrap_err().to_string();
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");
    let image = dir.join("scan.docx");
    std::fs::write(&image, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let err = ingest_file(&image).unwrap_err().to_string();
    assert!(err.contains("scan.docx"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Domain, title and lead units of every task of 000, checked against the document by hand.
const TASKS_000: &[(&str, &str, &str)] = &[
    ("幼有所育", "加大标准化儿童保健设施建设力度", ""),
    ("幼有所育", "提高妇幼保健服务能力水平", ""),
    ("幼有所育", "加强特殊儿童福利救助", ""),
    ("学有所教", "推动基础教育优质均衡发展", ""),
    ("学有所教", "提高职业教育服务产业发展的能力", ""),
    ("学有所教", "提升特殊教育保障能力", ""),
    ("学有所教", "进一步加强教师队伍建设", ""),
    ("劳有所得", "促进高质量充分就业", ""),
    ("劳有所得", "提升劳动者技能素质", ""),
    ("劳有所得", "提高社会保险抗风险能力", ""),
    ("劳有所得", "提高社会保障服务水平", ""),
    ("病有所医", "促进公立医院提质增效", ""),
    ("病有所医", "提升基层首诊服务能力", ""),
    ("病有所医", "提升公共卫生干预能力", ""),
    ("病有所医", "提升医疗保障服务水平", ""),
    ("老有所养", "建设方便可及的养老服务设施", ""),
    ("老有所养", "强化老年人社会救助和社会福利保障", ""),
    ("老有所养", "提升老年人健康保障能力", ""),
    ("住有所居", "稳步推进城镇棚户区改造", ""),
    ("住有所居", "加强农村危房动态监测和改造管理", ""),
    ("弱有所扶", "落细落实各项救助保障政策", ""),
    ("弱有所扶", "提升农村地区公共法律服务供给能力", ""),
    ("弱有所扶", "强化残疾人福利保障", ""),
    ("优军服务保障", "提高优待抚恤服务能力", ""),
    ("优军服务保障", "强化退役军人就业安置服务", ""),
    ("文体服务保障", "优化文体设施供给", ""),
    ("文体服务保障", "加大文体产品创新力度", ""),
    ("文体服务保障", "提高公共文体服务质量和水平", ""),
];

/// Domain, title and lead units of every task of 002, checked against the document by hand.
const TASKS_002: &[(&str, &str, &str)] = &[
    ("幼有所育", "加大标准化儿童保健设施建设力度", "州卫生健康委"),
    ("幼有所育", "提高妇幼保健服务能力水平", "州卫生健康委"),
    ("幼有所育", "加强特殊儿童福利救助", "州民政局"),
    ("学有所教", "推动基础教育优质均衡发展", "州教育体育局"),
    ("学有所教", "提高职业教育服务产业发展的能力", "州教育体育局"),
    ("学有所教", "提升特殊教育保障能力", "州教育体育局"),
    ("学有所教", "进一步加强教师队伍建设", "州教育体育局"),
    ("劳有所得", "促进高质量充分就业", "州人力资源社会保障局"),
    ("劳有所得", "提升劳动者技能素质", "州人力资源社会保障局"),
    ("劳有所得", "提高社会保险抗风险能力", "州人力资源社会保障局"),
    ("劳有所得", "提高社会保障服务水平", "州人力资源社会保障局"),
    ("病有所医", "促进公立医院提质增效", "州卫生健康委"),
    ("病有所医", "提高基层防病治病和健康管理能力", "州卫生健康委"),
    ("病有所医", "提升公共卫生干预能力", "州卫生健康委"),
    ("病有所医", "提升医疗保障服务水平", "州医保局"),
    ("老有所养", "建设方便可及的养老服务设施", "州民政局"),
    (
        "老有所养",
        "强化老年人社会救助和社会福利保障",
        "州民政局、州人力资源社会保障局",
    ),
    ("老有所养", "提升老年人健康保障能力", "州卫生健康委"),
    ("住有所居", "稳步推进城镇棚户区改造", "州住房城乡建设局"),
    (
        "住有所居",
        "加强农村危房动态监测和改造管理",
        "州住房城乡建设局",
    ),
    ("弱有所扶", "落细落实各项救助保障政策", "州民政局"),
    ("弱有所扶", "提升农村地区公共法律服务供给能力", "州司法局"),
    ("弱有所扶", "强化残疾人福利保障", "州残联"),
    ("优军服务保障", "提高优待抚恤服务能力", "州退役军人局"),
    ("优军服务保障", "强化退役军人就业安置服务", "州退役军人局"),
    (
        "文体服务保障",
        "优化文体设施供给",
        "州文化和旅游局、州教育体育局",
    ),
    (
        "文体服务保障",
        "加大文体产品创新力度",
        "州文化和旅游局、州教育体育局",
    ),
    (
        "文体服务保障",
        "提高公共文体服务质量和水平",
        "州文化和旅游局、州教育体育局",
    ),
];

/// Domain, title and lead units of every task of 003, checked against the document by hand.
const TASKS_003: &[(&str, &str, &str)] = &[
    ("幼有所育", "加大标准化儿童保健设施建设力度", "市卫生健康委"),
    ("幼有所育", "", "市卫生健康委"),
    ("幼有所育", "加强特殊儿童福利救助", "市民政局"),
    ("学有所教", "推动基础教育优质均衡发展", "市教育体育局"),
    ("学有所教", "提高职业教育服务产业发展的能力", "市教育体育局"),
    ("学有所教", "提升特殊教育保障能力", "市教育体育局"),
    ("学有所教", "进一步加强教师队伍建设", "市教育体育局"),
    ("劳有所得", "促进高质量充分就业", "市人力资源社会保障局"),
    ("劳有所得", "提升劳动者技能素质", "市人力资源社会保障局"),
    ("劳有所得", "提高社会保险抗风险能力", "市人力资源社会保障局"),
    ("劳有所得", "", "市人力资源社会保障局"),
    ("病有所医", "促进公立医院提质增效", "市卫生健康委"),
    ("病有所医", "提高基层防病治病和健康管理能力", "市卫生健康委"),
    ("病有所医", "提升公共卫生干预能力", "市卫生健康委"),
    ("病有所医", "提升医疗保障服务水平", "市医保局"),
    ("老有所养", "建设方便可及的养老服务设施", "市民政局"),
    ("老有所养", "强化老年人社会救助和社会福利保障", ""),
    ("老有所养", "提升老年人健康保障能力", ""),
    ("住有所居", "稳步推进城镇棚户区改造", "市住房城乡建设局"),
    (
        "住有所居",
        "加强农村危房动态监测和改造管理",
        "市住房城乡建设局",
    ),
    ("弱有所扶", "落细落实各项救助保障政策", "市民政局"),
    ("弱有所扶", "提升农村地区公共法律服务供给能力", ""),
];

/// Domain, title and lead units of every task of 004, checked against the document by hand.
const TASKS_004: &[(&str, &str, &str)] = &[
    ("幼有所育", "加强妇幼健康服务设施建设", "市卫生健康委"),
    ("幼有所育", "提高妇幼保健服务能力水平", "市卫生健康委"),
    ("幼有所育", "加强特殊儿童福利及救助", "市民政局"),
    ("学有所教", "提升基础教育优质均衡发展水平", "市教育体育局"),
    ("学有所教", "提高职业教育服务产业发展能力", "市教育体育局"),
    ("学有所教", "提升特殊教育保障能力", "市教育体育局"),
    ("学有所教", "进一步加强教师队伍建设", "市教育体育局"),
    ("劳有所得", "促进高质量充分就业", "市人力资源社会保障局"),
    ("劳有所得", "提升劳动者技能素质", "市人力资源社会保障局"),
    ("劳有所得", "提高社会保险抗风险能力", "市人力资源社会保障局"),
    ("劳有所得", "提高社会保障服务水平", "市人力资源社会保障局"),
    ("病有所医", "促进公立医院提质增效", "市卫生健康委"),
    ("病有所医", "加强县级公立综合医院能力建设", "市卫生健康委"),
    ("病有所医", "提升公共卫生服务能力", "市卫生健康委"),
    ("病有所医", "提升医疗保障服务水平", "市医保局"),
    ("老有所养", "建设方便可及的养老服务设施", "市民政局"),
    ("老有所养", "建立健全老年人关爱服务体系", "市民政局"),
    (
        "老有所养",
        "完善老年人健康服务体系",
        "市卫生健康委、市民政局",
    ),
    ("住有所居", "稳步推进城镇棚户区改造", "市住房城乡建设局"),
    (
        "住有所居",
        "加强农村危房动态监测和改造管理",
        "市住房城乡建设局",
    ),
    ("弱有所扶", "落细落实各项救助保障政策", "市民政局"),
    ("弱有所扶", "提升农村地区公共法律服务供给能力", "市司法局"),
    ("弱有所扶", "强化残疾人福利保障", "市残联"),
    ("优军服务保障", "提高优待抚恤服务能力", "市退役军人局"),
    ("优军服务保障", "强化退役军人就业安置服务", "市退役军人局"),
    (
        "文体服务保障",
        "优化文体设施布局",
        "市文化和旅游局、市教育体育局",
    ),
    (
        "文体服务保障",
        "加大文体产品供给",
        "市文化和旅游局、市教育体育局",
    ),
    (
        "文体服务保障",
        "提高公共文体服务质量和水平",
        "市文化和旅游局、市教育体育局",
    ),
];

#[test]
fn every_quote_is_found_in_the_kept_text() {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for stem in [
        "000_98986a7ea01ebd6d",
        "001_25b46bd4477d6bc1",
        "002_ceb32094e06cc94e",
        "003_72cf686e9aa2ada4",
        "004_448f1b67fccfcd17",
    ] {
        let p = plan(stem);
        assert!(!p.text.is_empty(), "{stem}: no text kept");
        let text = squeeze(&p.text);
        for t in &p.targets {
            assert!(
                text.contains(&squeeze(&t.quote)),
                "{stem}: quote {:?} is not in the kept text",
                t.quote
            );
        }
    }
    assert!(
        !plan("001_25b46bd4477d6bc1").text.contains("足彩"),
        "the removed spam is not in the kept text"
    );
    // The OCR-damaged words stay as the document had them, so the quote that keeps them is found.
    let puer = plan("003_72cf686e9aa2ada4");
    assert!(puer.text.contains("96.97%o"));
}
