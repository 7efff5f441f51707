//! Tests of [`clean`] as a whole, on small texts and on the seed plans in `data/plans/`.

use super::*;

const PLAN_000: &str = include_str!("../../../../data/plans/000_98986a7ea01ebd6d.txt");
const PLAN_001: &str = include_str!("../../../../data/plans/001_25b46bd4477d6bc1.txt");
const PLAN_002: &str = include_str!("../../../../data/plans/002_ceb32094e06cc94e.txt");
const PLAN_003: &str = include_str!("../../../../data/plans/003_72cf686e9aa2ada4.txt");
const PLAN_004: &str = include_str!("../../../../data/plans/004_448f1b67fccfcd17.txt");
const PLANS: [&str; 5] = [PLAN_000, PLAN_001, PLAN_002, PLAN_003, PLAN_004];

fn notes_of(c: &Cleaned, kind: CleaningKind) -> Vec<&CleaningNote> {
    c.notes.iter().filter(|n| n.kind == kind).collect()
}

fn count_lines(text: &str, line: &str) -> usize {
    text.lines().filter(|l| l.trim() == line).count()
}

#[test]
fn clean_text_passes_unchanged() {
    let text = "一、总体要求\n\n到2025年，基本公共服务均等化水平明显提高。\n";
    let c = clean(text);
    assert_eq!(c.text, text);
    assert!(c.notes.is_empty());
    assert!(c.repairs.is_empty());
}

#[test]
fn steps_compose_on_a_small_text() {
    let text = "⼈⺠政府\u{3000}２０２５年\n\n第 1 页，共 2 页\n\n婴儿死亡率下降到4%。、6%o,皇冠体育_真人百家乐-开户|官网项目\n";
    let c = clean(text);
    assert_eq!(
        c.text,
        "人民政府 2025年\n\n\n\n婴儿死亡率下降到4‰、6‰,项目\n"
    );
    let kinds: Vec<CleaningKind> = c.notes.iter().map(|n| n.kind).collect();
    for kind in [
        CleaningKind::Characters,
        CleaningKind::PageFooter,
        CleaningKind::Spam,
        CleaningKind::OcrRepair,
    ] {
        assert!(kinds.contains(&kind), "{kind:?}");
    }
    assert_eq!(c.repairs.len(), 2);
    for r in &c.repairs {
        assert!(c.text[r.range.clone()].ends_with('‰'));
    }
}

#[test]
fn seed_001_loses_spam_and_site_chrome_but_keeps_the_plan() {
    let c = clean(PLAN_001);
    for gone in [
        "足彩",
        "投注",
        "竞猜",
        "官网",
        "分享到",
        "ICP备",
        "网站标识码",
        "主办单位",
        "【字体",
        "网站地图",
        "微信 微博",
    ] {
        assert!(!c.text.contains(gone), "{gone} still there");
    }
    for kept in [
        "云南省退役军人事务厅 国有资产监督管理委员会",
        "\n国有资产监督管理委员会\n",
        "使改革发展成果更公平惠及全体人民",
        "各州(市)人民政府:",
        "2022年7月29日",
        "第五节 加大宣传引导",
        "营造有利于公共服务事业发展的舆论氛围。",
    ] {
        assert!(c.text.contains(kept), "{kept} lost");
    }
    // Headings that recur in the plan's own text are not page headers.
    assert_eq!(count_lines(&c.text, "一、幼有所育方面"), 3);

    let spam = notes_of(&c, CleaningKind::Spam);
    assert!(!spam.is_empty());
    assert!(spam.iter().all(|n| {
        n.original
            .starts_with("欧冠冠军足彩_欧冠足球竞猜-投注|官网")
    }));
    let removed: usize = spam.iter().map(|n| n.count).sum();
    assert!(removed >= 10, "{removed}");
    let chrome = notes_of(&c, CleaningKind::WebChrome);
    assert!(chrome.iter().any(|n| n.original.starts_with("来源:")));
    assert!(chrome.iter().any(|n| n.original.contains("ICP备")));
    // The text ends with the plan's last paragraph.
    assert!(
        c.text
            .trim_end()
            .ends_with("营造有利于公共服务事业发展的舆论氛围。")
    );
}

#[test]
fn seed_002_keeps_one_table_header_and_loses_its_footer() {
    let c = clean(PLAN_002);
    let header = "序号 所属领域 重点任务 三年目标 2023年工作目标 2023年具体工作措施 责任单位";
    assert_eq!(count_lines(PLAN_002, header), 9);
    assert_eq!(
        c.text
            .lines()
            .filter(|l| l.trim_start().starts_with("序号 所属领域"))
            .count(),
        1
    );
    assert!(!c.text.contains("第 4 页"));
    let headers = notes_of(&c, CleaningKind::RepeatedHeader);
    assert_eq!(headers.len(), 1);
    assert_eq!(headers[0].original, header);
    assert_eq!(headers[0].count, 8);
    assert_eq!(
        notes_of(&c, CleaningKind::PageFooter)[0].original,
        "第 4 页，共 10 页"
    );
    // Line structure stays: same number of lines, table cells untouched.
    assert_eq!(c.text.lines().count(), PLAN_002.lines().count());
    assert_eq!(count_lines(&c.text, "州 教 育 体 育 局 牵"), 7);
    assert_eq!(count_lines(&c.text, "县市人民政府"), 5);
    // The full-width ％ is folded.
    assert!(!c.text.contains('％'));
}

#[test]
fn seed_003_ocr_damage_is_repaired_and_recorded() {
    let c = clean(PLAN_003);
    assert!(c.text.contains("九年义务教育巩固率为96.97%。高中阶段"));
    assert!(!c.text.contains("%o"));
    for repaired in [
        "下降到4‰、6‰,",
        "0—3岁托育",
        "35—64岁妇女",
        "80—89周岁",
        "(2023—2025年)",
        "100周岁及以上",
        "99.60%.9.63%。公共",
    ] {
        assert!(c.text.contains(repaired), "{repaired}");
    }
    let r = c
        .repairs
        .iter()
        .find(|r| r.original == "96.97%o")
        .expect("96.97%o repair recorded");
    assert_eq!(&c.text[r.range.clone()], "96.97%。");
    for r in &c.repairs {
        let now = &c.text[r.range.clone()];
        assert!(
            notes_of(&c, CleaningKind::OcrRepair)
                .iter()
                .any(|n| n.original == r.original && n.replacement == now),
            "{r:?}"
        );
    }
    // Damage that cannot be repaired without guessing stays as written.
    assert!(c.text.contains("4161%"));
    assert!(c.text.contains("LO名"));
}

#[test]
fn seed_004_has_no_radicals_left() {
    let c = clean(PLAN_004);
    assert!(
        !c.text
            .chars()
            .any(|ch| ('\u{2E80}'..='\u{2FDF}').contains(&ch))
    );
    assert!(c.text.contains("以人民为"));
    assert!(c.text.contains("玉溪市基本公共服务提升三年行动"));
    let chars = notes_of(&c, CleaningKind::Characters);
    let min = chars.iter().find(|n| n.original == "⺠").expect("⺠ note");
    assert_eq!((min.replacement.as_str(), min.count), ("民", 70));
    let folded: usize = chars.iter().map(|n| n.count).sum();
    let radicals = PLAN_004
        .chars()
        .filter(|ch| ('\u{2E80}'..='\u{2FDF}').contains(ch))
        .count();
    assert_eq!(folded, radicals);
    assert_eq!(c.text.lines().count(), PLAN_004.lines().count());
}

#[test]
fn seed_000_numbered_headings_stay() {
    let c = clean(PLAN_000);
    assert_eq!(count_lines(&c.text, "3.重点任务"), 9);
    assert!(notes_of(&c, CleaningKind::RepeatedHeader).is_empty());
    assert!(notes_of(&c, CleaningKind::Spam).is_empty());
    assert!(notes_of(&c, CleaningKind::WebChrome).is_empty());
}

#[test]
fn repairs_point_at_char_boundaries_in_every_seed() {
    for plan in PLANS {
        let c = clean(plan);
        for r in &c.repairs {
            assert!(c.text.get(r.range.clone()).is_some(), "{r:?}");
        }
    }
}

#[test]
fn compare_key_folds_radicals_width_and_space() {
    assert_eq!(
        compare_key("⼈⺠ 政府\n２０２５"),
        compare_key("人民政府2025")
    );
    assert_eq!(compare_key("⻓ 期"), "长期");
}

#[test]
fn clean_never_panics_on_cut_or_noisy_input() {
    // Every cut of a seed at a char boundary near the interesting places, and noise.
    for plan in PLANS {
        let mut cuts: Vec<usize> = (0..plan.len()).step_by(4999).collect();
        cuts.push(plan.len());
        for cut in cuts {
            let cut = (0..=cut)
                .rev()
                .find(|&i| plan.is_char_boundary(i))
                .unwrap_or(0);
            let _ = clean(&plan[..cut]);
            let _ = clean(&plan[cut..]);
        }
    }
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let alphabet: Vec<char> = "%o。、03岁年 \n\r_-|足彩投注官网第页共⺠⼈ＡＩOl|分享到12345"
        .chars()
        .collect();
    for _ in 0..2000 {
        let mut s = String::new();
        for _ in 0..(x % 40) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push(alphabet[(x % alphabet.len() as u64) as usize]);
        }
        let c = clean(&s);
        for r in &c.repairs {
            assert!(c.text.get(r.range.clone()).is_some());
        }
    }
    for odd in ["", "\n", "\r", "\n\n\n", "第 1 页", "%o", "岁", "分享到:\n"] {
        let _ = clean(odd);
    }
}
