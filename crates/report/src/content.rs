//! 报告内容: the sections of an evaluation report in the order officials write them, as
//! paragraphs, tables and charts every format renders the same way.
//!
//! 一、总体情况 · 二、分领域评估结果 · 三、排名情况 · 四、滞后指标及责任单位 · 五、均等化分析 ·
//! 六、问题与建议 (placeholders 【待填写】) · 附：评估方法.

use std::collections::BTreeMap;

use minsheng_assess::Status;
use minsheng_evaluate::{Change, OVERALL, ScorePart};
use minsheng_model::{DOMAINS, RegionLevel};

use crate::input::{ReportInput, fmt_num};

/// The label simulated data carries everywhere.
pub const SIMULATED: &str = "模拟数据";
/// What marks a placeholder the writers fill.
pub const TO_FILL: &str = "【待填写】";

/// A whole report.
#[derive(Debug, Clone)]
pub struct Report {
    pub title: String,
    pub subtitle: String,
    pub simulated: bool,
    pub sections: Vec<Section>,
}

/// A numbered section (一、总体情况 …).
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(String),
    /// A second-level heading （一）….
    Sub(String),
    /// A paragraph the writers fill in, marked 【待填写】.
    Placeholder(String),
    Table(Table),
    Chart(Chart),
}

/// A table with typed columns.
#[derive(Debug, Clone)]
pub struct Table {
    /// Short name (the xlsx sheet name).
    pub name: String,
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub kind: ColKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    Text,
    Int,
    /// A score, one decimal.
    Score,
    /// A measure, four decimals.
    Measure,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Num(f64),
    Empty,
}

impl Cell {
    pub fn text(&self, kind: ColKind) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Num(v) => match kind {
                ColKind::Int => format!("{v:.0}"),
                ColKind::Score => format!("{v:.1}"),
                ColKind::Measure => format!("{v:.4}"),
                ColKind::Text => fmt_num(*v),
            },
            Cell::Empty => "—".into(),
        }
    }
}

fn num(v: Option<f64>) -> Cell {
    v.filter(|v| v.is_finite()).map_or(Cell::Empty, Cell::Num)
}

fn txt(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars.
    Column,
    /// Horizontal bars (rankings).
    Bar,
    Line,
}

/// A chart: categories and one or more series.
#[derive(Debug, Clone)]
pub struct Chart {
    pub kind: ChartKind,
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// One colour per category (status distribution), as RRGGBB.
    pub point_colors: Option<Vec<u32>>,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
    /// Drawn dashed (a target trajectory).
    pub dashed: bool,
}

/// The colour of a status in charts.
pub fn status_color(s: Status) -> u32 {
    match s {
        Status::Achieved => 0x2E7D32,
        Status::OnTrack => 0x81C784,
        Status::NeedsAcceleration => 0xF9A825,
        Status::LimitedProgress => 0xEF6C00,
        Status::Regressing => 0xC62828,
        Status::NoData => 0x9E9E9E,
    }
}

/// Lagging statuses: 需加快, 进展有限, 倒退.
fn lagging(s: Status) -> bool {
    matches!(
        s,
        Status::NeedsAcceleration | Status::LimitedProgress | Status::Regressing
    )
}

fn change_text(c: Option<Change>) -> &'static str {
    match c {
        Some(Change::Narrowing) => "缩小",
        Some(Change::Widening) => "扩大",
        Some(Change::Unchanged) => "持平",
        Some(Change::Mixed) => "有升有降",
        None => "—",
    }
}

fn rank_change(prev: Option<u32>, change: Option<i64>) -> String {
    match (prev, change) {
        (None, _) => "新进入".into(),
        (_, Some(c)) if c > 0 => format!("↑{c}"),
        (_, Some(c)) if c < 0 => format!("↓{}", -c),
        _ => "—".into(),
    }
}

/// The report of a run: every section, computed once.
pub fn build(input: &ReportInput<'_>) -> Report {
    let r = input.result;
    let scope = input.scope().to_string();
    let scope_name = input.region_name(&scope).to_string();
    let title = format!("{}评估报告", input.plan.title);
    let sim = if input.simulated {
        format!("（{SIMULATED}，仅供演示）")
    } else {
        String::new()
    };
    let subtitle = format!(
        "{}　截至{}　运行编号{}　生成于{}{sim}",
        r.kind.label(),
        r.as_of,
        r.run_id,
        input.created_at
    );
    let level_of = |code: &str| input.region(code).map(|g| g.level);
    let is_county = |code: &str| level_of(code) == Some(RegionLevel::County);

    // 一、总体情况
    let scope_rows: Vec<_> = r.targets.iter().filter(|t| *t.region == *scope).collect();
    let county_rows: Vec<_> = r.targets.iter().filter(|t| is_county(&t.region)).collect();
    let count = |rows: &[&minsheng_evaluate::TargetScore], s: Status| {
        rows.iter().filter(|t| t.status == s).count()
    };
    let overall = r
        .scores
        .iter()
        .find(|s| s.region == scope && s.domain == OVERALL);
    let n_regions = r
        .scores
        .iter()
        .filter(|s| s.part == Some(ScorePart::Overall) || s.domain == OVERALL)
        .count();
    let n_ind: std::collections::BTreeSet<&str> = r.targets.iter().map(|t| &*t.indicator).collect();
    let achieved = count(&scope_rows, Status::Achieved);
    let mut s1 = vec![Block::Para(format!(
        "本次为{}，评估截至{}{}。评估范围为{scope_name}，共对{}个地区的{}项指标、{}个目标（指标×地区）进行评估。{}本级共评估目标{}个，已达标{}个，其余{}个未达标或无数据。",
        r.kind.label(),
        r.as_of,
        r.baseline
            .map(|b| format!("，基期为{b}"))
            .unwrap_or_default(),
        n_regions,
        n_ind.len(),
        r.targets.len(),
        overall
            .and_then(|o| o.score)
            .map(|s| format!("{scope_name}综合得分{s:.1}分（满分100分）。"))
            .unwrap_or_else(|| format!("{scope_name}暂无综合得分。")),
        scope_rows.len(),
        achieved,
        scope_rows.len() - achieved,
    ))];
    let mut dist = Table {
        name: "状态分布".into(),
        caption: "表1 目标进展状态分布".into(),
        columns: vec![
            col("状态", ColKind::Text),
            col("本级目标数", ColKind::Int),
            col("县级目标数", ColKind::Int),
            col("县级占比（%）", ColKind::Score),
        ],
        rows: Vec::new(),
    };
    for s in Status::ALL {
        let c = count(&county_rows, s);
        dist.rows.push(vec![
            txt(s.label()),
            Cell::Num(count(&scope_rows, s) as f64),
            Cell::Num(c as f64),
            num((!county_rows.is_empty()).then(|| 100.0 * c as f64 / county_rows.len() as f64)),
        ]);
    }
    s1.push(Block::Table(dist));
    s1.push(Block::Chart(Chart {
        kind: ChartKind::Column,
        title: "县级目标进展状态分布".into(),
        categories: Status::ALL.iter().map(|s| s.label().to_string()).collect(),
        series: vec![Series {
            name: "目标数".into(),
            values: Status::ALL
                .iter()
                .map(|s| Some(count(&county_rows, *s) as f64))
                .collect(),
            dashed: false,
        }],
        point_colors: Some(Status::ALL.iter().map(|s| status_color(*s)).collect()),
    }));
    s1.push(Block::Para(
        "评估方法简述：各目标按基期值至目标值的完成程度计0–100分，已达标计100分，无数据的目标不计分、不计入（不按0分处理）；领域得分为领域内目标得分的加权平均，综合得分为各领域得分的加权平均（另计群众满意度、第三方评估时按其权重合成）。详见附件“评估方法”。"
            .into(),
    ));

    // 二、分领域评估结果
    let mut dom = Table {
        name: "分领域".into(),
        caption: format!("表2 {scope_name}分领域评估结果"),
        columns: vec![
            col("领域", ColKind::Text),
            col("本级得分", ColKind::Score),
            col("数据覆盖率（%）", ColKind::Score),
            col("县级目标数", ColKind::Int),
        ],
        rows: Vec::new(),
    };
    for s in Status::ALL {
        dom.columns.push(col(s.label(), ColKind::Int));
    }
    let mut dom_scores = Vec::new();
    for d in DOMAINS {
        let row = r.scores.iter().find(|s| s.region == scope && s.domain == d);
        let in_d: Vec<_> = county_rows
            .iter()
            .copied()
            .filter(|t| &*t.domain == d)
            .collect();
        if row.is_none() && in_d.is_empty() {
            continue;
        }
        let score = row.and_then(|s| s.score);
        dom_scores.push((d, score));
        let mut cells = vec![
            txt(d),
            num(score),
            num(row.and_then(|s| s.coverage).map(|c| c * 100.0)),
            Cell::Num(in_d.len() as f64),
        ];
        for s in Status::ALL {
            cells.push(Cell::Num(count(&in_d, s) as f64));
        }
        dom.rows.push(cells);
    }
    let mut s2 = Vec::new();
    let scored: Vec<_> = dom_scores
        .iter()
        .filter_map(|(d, s)| s.map(|s| (*d, s)))
        .collect();
    if let (Some(hi), Some(lo)) = (
        scored.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
        scored.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
    ) {
        s2.push(Block::Para(format!(
            "{scope_name}在{}个领域有评估得分，得分最高的是{}（{:.1}分），最低的是{}（{:.1}分）。",
            scored.len(),
            hi.0,
            hi.1,
            lo.0,
            lo.1
        )));
    }
    s2.push(Block::Table(dom));
    s2.push(Block::Chart(Chart {
        kind: ChartKind::Column,
        title: format!("{scope_name}分领域得分"),
        categories: dom_scores.iter().map(|d| d.0.to_string()).collect(),
        series: vec![Series {
            name: "得分".into(),
            values: dom_scores.iter().map(|d| d.1).collect(),
            dashed: false,
        }],
        point_colors: None,
    }));
    for t in &input.trends {
        let mut periods: Vec<_> = t.values.iter().map(|v| v.0).collect();
        if let Some((_, y)) = t.target {
            let end = minsheng_model::Period::Year(y);
            if periods.last().is_none_or(|p| *p < end) {
                periods.push(end);
            }
        }
        let name = input.indicator_name(&t.indicator);
        s2.push(Block::Chart(Chart {
            kind: ChartKind::Line,
            title: format!("{}：{name}走势与目标轨迹", input.region_name(&t.region)),
            categories: periods.iter().map(|p| p.to_string()).collect(),
            series: vec![
                Series {
                    name: "实际值".into(),
                    values: periods
                        .iter()
                        .map(|p| t.values.iter().find(|v| v.0 == *p).map(|v| v.1))
                        .collect(),
                    dashed: false,
                },
                Series {
                    name: "目标轨迹".into(),
                    values: periods.iter().map(|p| t.trajectory_at(*p)).collect(),
                    dashed: true,
                },
            ],
            point_colors: None,
        }));
    }

    // 三、排名情况
    let mut s3 = Vec::new();
    let pref_rank: Vec<_> = r
        .rankings
        .iter()
        .filter(|k| k.scope == scope && k.level == Some(RegionLevel::Prefecture))
        .collect();
    let county_rank: Vec<_> = r
        .rankings
        .iter()
        .filter(|k| k.scope == scope && k.level == Some(RegionLevel::County))
        .collect();
    if !pref_rank.is_empty() {
        s3.push(Block::Sub("（一）州（市）综合得分排名".into()));
        let mut t = Table {
            name: "州市排名".into(),
            caption: format!("表3 {scope_name}各州（市）综合得分排名"),
            columns: vec![
                col("排名", ColKind::Int),
                col("州（市）", ColKind::Text),
                col("综合得分", ColKind::Score),
                col("上期排名", ColKind::Int),
                col("位次变化", ColKind::Text),
            ],
            rows: Vec::new(),
        };
        for k in &pref_rank {
            t.rows.push(vec![
                Cell::Num(k.rank as f64),
                txt(input.region_name(&k.region)),
                Cell::Num(k.score),
                num(k.previous_rank.map(f64::from)),
                txt(rank_change(k.previous_rank, k.change)),
            ]);
        }
        s3.push(Block::Table(t));
        s3.push(Block::Chart(ranking_chart(
            input,
            &pref_rank,
            format!("{scope_name}各州（市）综合得分"),
        )));
    }
    if !county_rank.is_empty() {
        s3.push(Block::Sub("（二）县（市、区）综合得分排名".into()));
        let mut t = Table {
            name: "县区排名".into(),
            caption: format!("表4 {scope_name}各县（市、区）综合得分排名"),
            columns: vec![
                col("排名", ColKind::Int),
                col("县（市、区）", ColKind::Text),
                col("所属州（市）", ColKind::Text),
                col("州（市）内排名", ColKind::Int),
                col("综合得分", ColKind::Score),
                col("上期排名", ColKind::Int),
                col("位次变化", ColKind::Text),
            ],
            rows: Vec::new(),
        };
        for k in &county_rank {
            let parent = input.region(&k.region).and_then(|g| g.parent.clone());
            let inner = parent.as_deref().and_then(|p| {
                r.rankings
                    .iter()
                    .find(|x| x.scope == p && x.region == k.region)
                    .map(|x| x.rank as f64)
            });
            t.rows.push(vec![
                Cell::Num(k.rank as f64),
                txt(input.region_name(&k.region)),
                txt(parent.as_deref().map_or("", |p| input.region_name(p))),
                num(inner),
                Cell::Num(k.score),
                num(k.previous_rank.map(f64::from)),
                txt(rank_change(k.previous_rank, k.change)),
            ]);
        }
        s3.push(Block::Table(t));
        if pref_rank.is_empty() {
            s3.push(Block::Chart(ranking_chart(
                input,
                &county_rank,
                format!("{scope_name}各县（市、区）综合得分"),
            )));
        }
    }
    if s3.is_empty() {
        s3.push(Block::Para("本次评估没有可排名的地区。".into()));
    }

    // 四、滞后指标及责任单位
    let mut by_ind: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for t in r
        .targets
        .iter()
        .filter(|t| lagging(t.status) && is_county(&t.region))
    {
        let e = by_ind.entry(&t.indicator).or_default();
        match t.status {
            Status::NeedsAcceleration => e[0] += 1,
            Status::LimitedProgress => e[1] += 1,
            _ => e[2] += 1,
        }
    }
    for t in scope_rows.iter().filter(|t| lagging(t.status)) {
        by_ind.entry(&t.indicator).or_default();
    }
    let mut lag = Table {
        name: "滞后指标".into(),
        caption: "表5 滞后指标及责任单位".into(),
        columns: vec![
            col("指标", ColKind::Text),
            col("领域", ColKind::Text),
            col("规划目标", ColKind::Text),
            col("本级状态", ColKind::Text),
            col("本级得分", ColKind::Score),
            col("需加快县数", ColKind::Int),
            col("进展有限县数", ColKind::Int),
            col("倒退县数", ColKind::Int),
            col("牵头单位", ColKind::Text),
            col("对应任务", ColKind::Text),
        ],
        rows: Vec::new(),
    };
    let mut lag_rows: Vec<_> = by_ind.into_iter().collect();
    lag_rows.sort_by_key(|(_, c)| std::cmp::Reverse((c[2], c[1], c[0])));
    for (ind, c) in lag_rows {
        let own = scope_rows.iter().find(|t| &*t.indicator == ind);
        let (lead, task) = input
            .lead_of(ind)
            .unwrap_or_else(|| (format!("{TO_FILL}（规划未列明）"), String::new()));
        lag.rows.push(vec![
            txt(input.indicator_name(ind)),
            txt(own
                .map(|t| t.domain.to_string())
                .or_else(|| input.indicator(ind).and_then(|i| i.domain.clone()))
                .unwrap_or_default()),
            txt(input.target_text(ind)),
            txt(own.map_or("—", |t| t.status.label())),
            num(own.and_then(|t| t.score)),
            Cell::Num(c[0] as f64),
            Cell::Num(c[1] as f64),
            Cell::Num(c[2] as f64),
            txt(lead),
            txt(task),
        ]);
    }
    let s4 = if lag.rows.is_empty() {
        vec![Block::Para("本次评估没有进度滞后的指标。".into())]
    } else {
        vec![
            Block::Para(format!(
                "进度滞后（需加快进度、进展有限、倒退）的指标共{}项，按倒退、进展有限的县数排序如下，请牵头单位对照整改。",
                lag.rows.len()
            )),
            Block::Table(lag),
        ]
    };

    // 五、均等化分析
    let mut eq = Table {
        name: "均等化".into(),
        caption: format!("表6 {scope_name}县域均等化指标（{}）", r.as_of),
        columns: vec![
            col("指标", ColKind::Text),
            col("单位", ColKind::Text),
            col("县数", ColKind::Int),
            col("均值", ColKind::Measure),
            col("变异系数", ColKind::Measure),
            col("基尼系数", ColKind::Measure),
            col("泰尔指数", ColKind::Measure),
            col("组间", ColKind::Measure),
            col("组内", ColKind::Measure),
            col("最大/最小", ColKind::Measure),
            col("市辖区–县差距", ColKind::Measure),
            col("较基期", ColKind::Text),
        ],
        rows: Vec::new(),
    };
    let mut moves = [0usize; 3];
    for e in r
        .equalization
        .iter()
        .filter(|e| e.scope == scope && e.period == r.as_of)
    {
        let overall = e.trend.and_then(|t| t.overall);
        match overall {
            Some(Change::Narrowing) => moves[0] += 1,
            Some(Change::Widening) => moves[1] += 1,
            Some(Change::Mixed) => moves[2] += 1,
            _ => {}
        }
        eq.rows.push(vec![
            txt(input.indicator_name(&e.indicator)),
            txt(input
                .indicator(&e.indicator)
                .map_or("", |i| i.unit.as_str())),
            Cell::Num(e.n as f64),
            num(e.mean),
            num(e.cv),
            num(e.gini),
            num(e.theil),
            num(e.theil_between),
            num(e.theil_within),
            num(e.max_min_ratio),
            num(e.urban_rural_gap),
            txt(change_text(overall)),
        ]);
    }
    let s5 = if eq.rows.is_empty() {
        vec![Block::Para("本次评估没有可计算均等化的县级数据。".into())]
    } else {
        vec![
            Block::Para(format!(
                "对{}项指标测算县域差距：较基期{}，差距缩小的{}项、扩大的{}项、有升有降的{}项。变异系数、基尼系数、泰尔指数越小越均衡；泰尔指数分解为州（市）之间（组间）与州（市）内部（组内）两部分；市辖区–县差距为市辖区均值减县均值（县级市单列，不计入）。",
                eq.rows.len(),
                r.baseline
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "—".into()),
                moves[0],
                moves[1],
                moves[2]
            )),
            Block::Table(eq),
        ]
    };

    // 六、问题与建议
    let s6 = vec![
        Block::Sub("（一）存在的主要问题".into()),
        Block::Placeholder(format!(
            "{TO_FILL}结合第四部分滞后指标和第五部分均等化分析，归纳主要问题及原因。"
        )),
        Block::Sub("（二）下一步工作建议".into()),
        Block::Placeholder(format!(
            "{TO_FILL}针对滞后指标，提出牵头单位的整改措施和时限。"
        )),
    ];

    // 附：评估方法
    let mut m = vec![
        Block::Para("1. 目标得分：已达标计100分；无数据不计分，不计入合成（不按0分处理）；其余按“（最新值−基期值）÷（目标值−基期值）×100”计算，方向随目标（不低于/不高于）调整，截取在0–100分之间；基期已达目标而现已偏离的计0分。".into()),
        Block::Para("2. 领域得分：领域内各目标得分的加权算术平均，仅计有得分的目标，其权重重新归一；数据覆盖率为有得分目标的权重占比。".into()),
        Block::Para("3. 综合得分：各领域得分的加权平均；设群众满意度、第三方评估权重时，综合得分 =（1−外部权重合计）×领域合成得分 + 各外部得分×其权重；无领域得分的地区不计综合得分、不参与排名。".into()),
        Block::Para("4. 排名：按综合得分（保留两位小数）由高到低，同分同名次，后续名次顺延（1、2、2、4）；位次变化 = 上期排名 − 本期排名。".into()),
        Block::Para("5. 均等化：以县为单位，变异系数 = 标准差÷均值；基尼系数；泰尔指数（T）及其州（市）间、州（市）内分解；最大值÷最小值；市辖区均值−县均值。只对比率、人均等可比指标测算，不对总量指标测算。".into()),
        Block::Para("6. 进展状态：按Open SDG（加拿大统计局）方法，以实际进度与所需进度之比R判定：已达标；进度正常（R≥0.95）；需加快进度（0.60≤R<0.95）；进展有限（0≤R<0.60）；倒退（R<0）；无数据。".into()),
    ];
    if let Some(note) = &r.method {
        let w = &note.weights;
        let doms: Vec<String> = w
            .domains
            .iter()
            .map(|(d, v)| format!("{d} {}", fmt_num(*v)))
            .collect();
        m.push(Block::Para(format!(
            "7. 本次权重：领域权重{}（未列出的为1）；指标权重{}项另设（未列出的为1）；群众满意度{}、第三方评估{}。",
            if doms.is_empty() { "均为1".to_string() } else { doms.join("，") },
            w.indicators.len(),
            fmt_num(w.external.satisfaction),
            fmt_num(w.external.third_party)
        )));
    }

    let sections = vec![
        Section {
            heading: "一、总体情况".into(),
            blocks: s1,
        },
        Section {
            heading: "二、分领域评估结果".into(),
            blocks: s2,
        },
        Section {
            heading: "三、排名情况".into(),
            blocks: s3,
        },
        Section {
            heading: "四、滞后指标及责任单位".into(),
            blocks: s4,
        },
        Section {
            heading: "五、均等化分析".into(),
            blocks: s5,
        },
        Section {
            heading: "六、问题与建议".into(),
            blocks: s6,
        },
        Section {
            heading: "附：评估方法".into(),
            blocks: m,
        },
    ];
    Report {
        title,
        subtitle,
        simulated: input.simulated,
        sections,
    }
}

fn col(h: &str, kind: ColKind) -> Column {
    Column {
        header: h.into(),
        kind,
    }
}

fn ranking_chart(
    input: &ReportInput<'_>,
    rows: &[&minsheng_evaluate::RankingRow],
    title: String,
) -> Chart {
    Chart {
        kind: ChartKind::Bar,
        title,
        categories: rows
            .iter()
            .map(|k| input.region_name(&k.region).to_string())
            .collect(),
        series: vec![Series {
            name: "综合得分".into(),
            values: rows.iter().map(|k| Some(k.score)).collect(),
            dashed: false,
        }],
        point_colors: None,
    }
}
