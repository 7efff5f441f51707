//! 评估: evaluation runs — the list, starting a run (plan owner), one run's scores, rankings
//! and equalization measures with a chart, its reports as downloads (docx, xlsx, html), 公示
//! (publishing, plan owner), and 校验 (recomputing it from its frozen values to see whether it
//! reproduces).
//!
//! The computation is `minsheng_app::evaluation` (the same as `minsheng evaluate`); the
//! reports are `minsheng_app::report::render`. This module only reads forms and shows results.

use crate::auth::CurrentUser;
use crate::auth::access::may_publish;
use crate::error::AppError;
use crate::i18n::{Entry, Lang};
use crate::pages::{Page, beijing_time, number};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, body::Body};
use minsheng_app::evaluation::RunRequest;
use minsheng_app::report::ReportFormat;
use minsheng_assess::Hierarchy;
use minsheng_evaluate::{
    Change, EqualizationRow, EvaluationKind, EvaluationResult, RankingRow, ScorePart,
};
use minsheng_model::{DOMAINS, Period, RegionLevel};
use minsheng_store::{RunFilter, StoredRun};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/evaluations", get(list).post(start))
        .route("/evaluations/{id}", get(detail))
        .route("/evaluations/{id}/publish", post(publish))
        .route("/evaluations/{id}/{file}", get(download))
}

pub const STRINGS: &[Entry] = &[
    ("eval.title", "评估", "Evaluation"),
    ("eval.runs", "评估记录", "Evaluation runs"),
    (
        "eval.none",
        "还没有评估记录。",
        "No evaluation has been run yet.",
    ),
    ("eval.id", "编号", "No."),
    ("eval.kind", "评估类型", "Kind"),
    ("eval.plan", "规划", "Plan"),
    ("eval.as_of", "评估时点", "As of"),
    ("eval.created", "创建", "Created"),
    ("eval.published", "公示", "Published"),
    ("eval.not_published", "未公示", "Not published"),
    ("eval.simulated", "模拟数据", "Simulated data"),
    ("eval.open", "查看", "Open"),
    ("eval.kind.monitoring", "动态监测评估", "Monitoring"),
    ("eval.kind.midterm", "中期评估", "Mid-term"),
    ("eval.kind.final", "终期评估", "Final"),
    ("eval.start", "发起评估", "Start an evaluation"),
    (
        "eval.start_help",
        "以已审核和已公开的数据计算；数据随评估冻结保存，可随时校验复现。",
        "Computed from approved and published values, frozen with the run so it can be verified later.",
    ),
    (
        "eval.only_owner",
        "只有规划主管可以发起评估和公示。",
        "Only the plan owner starts and publishes evaluations.",
    ),
    (
        "eval.as_of_help",
        "如 2024、2024Q4、202412",
        "e.g. 2024, 2024Q4, 202412",
    ),
    (
        "eval.weights",
        "权重（可选，TOML）",
        "Weights (optional, TOML)",
    ),
    (
        "eval.weights_help",
        "留空为等权重。可写 [domains]、[indicators]、[external] 三节。",
        "Empty for equal weights; sections [domains], [indicators], [external].",
    ),
    ("eval.run", "开始评估", "Run"),
    ("eval.overall", "综合得分", "Overall score"),
    ("eval.coverage", "覆盖率", "Coverage"),
    ("eval.values", "使用数据", "Values used"),
    ("eval.ranked", "参与排名", "Ranked"),
    ("eval.domains", "各领域得分", "Scores by domain"),
    ("eval.domain", "领域", "Domain"),
    ("eval.score", "得分", "Score"),
    ("eval.scored", "有数据/目标数", "Scored / targets"),
    ("eval.weight", "权重", "Weight"),
    (
        "eval.matrix",
        "下级地区各领域得分",
        "Scores of the regions below, by domain",
    ),
    ("eval.region", "地区", "Region"),
    ("eval.chart", "州市综合得分", "Overall score by prefecture"),
    (
        "eval.chart_counties",
        "县（市、区）综合得分",
        "Overall score by county",
    ),
    ("eval.rank_pref", "州市排名", "Prefectures ranked"),
    ("eval.rank_county", "县（市、区）排名", "Counties ranked"),
    ("eval.rank", "名次", "Rank"),
    ("eval.previous", "上次名次", "Previous"),
    ("eval.change", "变化", "Change"),
    ("eval.new", "新", "new"),
    ("eval.prefecture", "所属州市", "Prefecture"),
    (
        "eval.no_previous",
        "无上次评估可比较。",
        "No previous run to compare with.",
    ),
    ("eval.equalization", "均等化程度", "Equalization"),
    (
        "eval.equalization_help",
        "按县级数据计算，越小越均衡；“趋势”与基期比较。空值处写明原因。人口尚未入库，人口加权指标（Williamson 系数等）为空；各州市的分项见 Excel 报告。",
        "Over county values; lower is more equal; the trend compares with the baseline. Empty cells say why. Population is not stored yet, so population-weighted measures (Williamson etc.) are empty; prefecture rows are in the Excel report.",
    ),
    ("eval.indicator", "指标", "Indicator"),
    ("eval.n", "县数", "Counties"),
    ("eval.mean", "均值", "Mean"),
    ("eval.cv", "变异系数", "CV"),
    ("eval.gini", "基尼系数", "Gini"),
    ("eval.theil", "泰尔指数", "Theil"),
    ("eval.theil_between", "州市间", "Between"),
    ("eval.theil_within", "州市内", "Within"),
    ("eval.max_min", "最大/最小", "Max/min"),
    ("eval.gap", "城乡差距", "Urban–rural gap"),
    ("eval.trend", "趋势", "Trend"),
    ("eval.trend.narrowing", "缩小", "narrowing"),
    ("eval.trend.widening", "扩大", "widening"),
    ("eval.trend.unchanged", "不变", "unchanged"),
    ("eval.trend.mixed", "有升有降", "mixed"),
    (
        "eval.no_equalization",
        "没有可比较的县级数据。",
        "No comparable county values.",
    ),
    ("why.none", "无数据", "no data"),
    ("why.few", "不足2县", "fewer than 2"),
    ("why.mean_le0", "均值≤0", "mean ≤ 0"),
    ("why.negative", "有负值", "negative value"),
    ("why.sum0", "总和为0", "sum is 0"),
    ("why.min_le0", "最小值≤0", "min ≤ 0"),
    ("why.prefecture_row", "州市不分解", "n/a for a prefecture"),
    ("why.no_district", "无市辖区", "no district"),
    ("why.no_county", "无县", "no county"),
    ("why.no_baseline", "无基期", "no baseline"),
    ("eval.downloads", "下载报告", "Download the report"),
    ("eval.docx", "Word 报告", "Word report"),
    ("eval.xlsx", "Excel 数据表", "Excel tables"),
    ("eval.html", "网页版", "Web page"),
    ("eval.publish", "公示", "Publish"),
    (
        "eval.publish_help",
        "公示后结果出现在公开页面，且不可撤回。",
        "Once published the results appear on the public pages; this cannot be undone.",
    ),
    ("eval.published_at", "已公示", "Published"),
    ("eval.verify", "校验复现", "Verify"),
    (
        "eval.verify_help",
        "用随评估冻结的数据重新计算，检查结果是否一致。",
        "Recompute from the frozen values and compare.",
    ),
    (
        "eval.verify_ok",
        "校验通过：用冻结的数据重新计算，结果完全一致。",
        "Verified: recomputed from the frozen values, the result is identical.",
    ),
    (
        "eval.verify_failed",
        "校验未通过：重新计算的结果与保存的结果不一致。不一致的行数：",
        "Not reproduced: the recomputed result differs. Rows that differ: ",
    ),
    ("eval.values_frozen", "条冻结数据", "frozen values"),
    ("eval.baseline", "基期", "Baseline"),
    ("eval.by", "由", "by"),
    ("eval.back", "返回评估列表", "Back to the runs"),
];

fn kind_key(kind: EvaluationKind) -> &'static str {
    match kind {
        EvaluationKind::Monitoring => "eval.kind.monitoring",
        EvaluationKind::Midterm => "eval.kind.midterm",
        EvaluationKind::Final => "eval.kind.final",
    }
}

fn name_of(h: &Hierarchy, code: &str) -> String {
    h.index_of(code)
        .and_then(|i| h.name(i))
        .unwrap_or(code)
        .to_string()
}

// ---------------------------------------------------------------------------------------
// The list and the form.

/// One run in the list.
pub struct RunRow {
    pub id: i64,
    pub kind: &'static str,
    pub plan: String,
    pub plan_key: String,
    pub as_of: String,
    pub created: String,
    pub created_by: String,
    pub published: Option<String>,
    pub simulated: bool,
}

/// A plan the form offers.
pub struct PlanChoice {
    pub key: String,
    pub label: String,
}

/// The form's fields, also used to fill it again after a refusal.
#[derive(Debug, Default, Deserialize)]
pub struct RunForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub weights: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluations/list.html")]
pub struct ListPage {
    page: Page,
    runs: Vec<RunRow>,
    may_run: bool,
    plans: Vec<PlanChoice>,
    form: RunForm,
    error: Option<String>,
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    form: RunForm,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let m = state.monitor().await?;
    let h = &m.inputs.hierarchy;
    let stored = state.store().runs(&RunFilter::default()).await?;
    let simulated = stored.iter().any(|r| r.simulated);
    let runs = stored
        .into_iter()
        .map(|r| RunRow {
            id: r.id,
            kind: kind_key(r.kind),
            plan: name_of(h, &r.plan_region),
            plan_key: r.plan_key,
            as_of: r.as_of.to_string(),
            created: beijing_time(&r.created_at),
            created_by: r.created_by,
            published: r.published_at.as_deref().map(beijing_time),
            simulated: r.simulated,
        })
        .collect();
    let plans = m
        .inputs
        .plans
        .iter()
        .map(|p| PlanChoice {
            key: p.plan_key.clone(),
            label: format!(
                "{} · {}{}",
                name_of(h, &p.region_code),
                p.plan.title,
                p.plan
                    .years
                    .map_or(String::new(), |y| format!("（{}–{}）", y[0], y[1]))
            ),
        })
        .collect();
    let mut form = form;
    if form.as_of.is_empty() {
        form.as_of = m.latest.map(|p| p.to_string()).unwrap_or_default();
    }
    Ok(ListPage {
        page: Page::new(lang, "evaluations", "eval.title", Some(&user.0)).simulated(simulated),
        runs,
        may_run: may_publish(user.user()).is_ok(),
        plans,
        form,
        error,
    })
}

async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> Result<ListPage, AppError> {
    list_page(&state, lang, &user, RunForm::default(), None).await
}

/// POST /evaluations: the plan owner starts a run; anyone else is refused (403) and nothing
/// is stored. A mistake in the form shows the list again with the reason.
async fn start(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<RunForm>,
) -> Result<Response, AppError> {
    user.check_csrf(&form.csrf)?;
    may_publish(user.user())?;
    let as_of = Period::parse(form.as_of.trim());
    let kind = EvaluationKind::parse(&form.kind);
    let refused = |message: String| async {
        let page = list_page(&state, lang, &user, form_again(&form), Some(message)).await?;
        Ok::<_, AppError>((StatusCode::BAD_REQUEST, page).into_response())
    };
    let Some(as_of) = as_of else {
        return refused(format!(
            "评估时点“{}”无法识别：请写成 2024、2024Q4 或 202412。",
            form.as_of.trim()
        ))
        .await;
    };
    let Some(kind) = kind else {
        return refused("请选择评估类型（动态监测、中期或终期）。".into()).await;
    };
    if form.plan.trim().is_empty() {
        return refused("请选择要评估的规划。".into()).await;
    }
    let request = RunRequest {
        plan: form.plan.trim().to_string(),
        as_of,
        kind,
        weights: form.weights.clone(),
        weights_origin: "（网页表单中的权重）".into(),
        include_unreviewed: false,
        actor: user.user().username.clone(),
    };
    match minsheng_app::evaluation::run(state.store(), &request).await {
        Ok(run) => Ok(Redirect::to(&format!("/evaluations/{}", run.summary.id)).into_response()),
        Err(minsheng_app::AppError::Store(e)) => Err(e.into()),
        Err(e) => refused(format!("评估未能完成，未保存任何结果：{e}")).await,
    }
}

fn form_again(form: &RunForm) -> RunForm {
    RunForm {
        csrf: String::new(),
        plan: form.plan.clone(),
        as_of: form.as_of.clone(),
        kind: form.kind.clone(),
        weights: form.weights.clone(),
    }
}

// ---------------------------------------------------------------------------------------
// One run.

/// A table cell that may be empty for a reason.
pub struct Cell {
    pub text: String,
    /// The string key saying why it is empty.
    pub why: Option<&'static str>,
}

impl Cell {
    fn of(v: Option<f64>, why: &'static str) -> Cell {
        match v {
            Some(v) => Cell {
                text: format!("{v:.3}"),
                why: None,
            },
            None => Cell {
                text: String::new(),
                why: Some(why),
            },
        }
    }
}

pub struct DomainScore {
    pub name: String,
    pub score: String,
    pub scored: String,
    pub coverage: String,
    pub weight: String,
}

pub struct MatrixRow {
    pub code: String,
    pub name: String,
    pub overall: String,
    pub domains: Vec<String>,
}

pub struct RankView {
    pub rank: u32,
    pub of: u32,
    pub code: String,
    pub name: String,
    pub parent: String,
    pub score: String,
    pub previous: String,
    /// `up`, `down`, `same` or `new`.
    pub change_class: &'static str,
    pub change: String,
}

pub struct EqView {
    pub indicator: String,
    pub unit: String,
    pub n: usize,
    pub cells: Vec<Cell>,
    pub trend: Option<&'static str>,
}

pub struct Verified {
    pub ok: bool,
    pub differing: usize,
    pub values: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluations/detail.html")]
pub struct DetailPage {
    page: Page,
    id: i64,
    kind: &'static str,
    region: String,
    plan_key: String,
    as_of: String,
    baseline: String,
    created: String,
    created_by: String,
    published: Option<(String, String)>,
    simulated: bool,
    value_count: i64,
    overall: String,
    coverage: String,
    ranked: usize,
    domains: Vec<DomainScore>,
    matrix_domains: Vec<String>,
    matrix: Vec<MatrixRow>,
    chart_title: &'static str,
    chart: String,
    /// Pixels: room for every bar.
    chart_height: usize,
    prefectures: Vec<RankView>,
    counties: Vec<RankView>,
    has_previous: bool,
    equalization: Vec<EqView>,
    verified: Option<Verified>,
    may_publish: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    #[serde(default)]
    verify: Option<String>,
}

fn score_text(v: Option<f64>) -> String {
    v.map_or("–".into(), |s| format!("{s:.2}"))
}

fn rank_view(h: &Hierarchy, r: &RankingRow) -> RankView {
    let (change_class, change) = match (r.change, r.previous_rank) {
        (Some(c), _) if c > 0 => ("up", format!("↑{c}")),
        (Some(c), _) if c < 0 => ("down", format!("↓{}", -c)),
        (Some(_), _) => ("same", "–".into()),
        (None, _) => ("new", String::new()),
    };
    let parent = h
        .index_of(&r.region)
        .and_then(|i| h.parent(i))
        .map(|p| h.name(p).unwrap_or(h.code(p)).to_string())
        .unwrap_or_default();
    RankView {
        rank: r.rank,
        of: r.of,
        code: r.region.clone(),
        name: name_of(h, &r.region),
        parent,
        score: format!("{:.2}", r.score),
        previous: r.previous_rank.map_or("–".into(), |p| p.to_string()),
        change_class,
        change,
    }
}

/// Why each measure of `row` is empty, where it is.
fn eq_cells(row: &EqualizationRow) -> Vec<Cell> {
    let few = row.n < 2;
    let negative = row.min.is_some_and(|m| m < 0.0);
    let why_cv = if row.n == 0 {
        "why.none"
    } else if few {
        "why.few"
    } else {
        "why.mean_le0"
    };
    let why_gt = if row.n == 0 {
        "why.none"
    } else if few {
        "why.few"
    } else if negative {
        "why.negative"
    } else {
        "why.sum0"
    };
    let why_split = if row.scope_level == Some(RegionLevel::Prefecture) {
        "why.prefecture_row"
    } else {
        why_gt
    };
    let why_ratio = if row.n == 0 {
        "why.none"
    } else if few {
        "why.few"
    } else {
        "why.min_le0"
    };
    let why_gap = if row.n_urban == 0 {
        "why.no_district"
    } else {
        "why.no_county"
    };
    let mean = match row.mean {
        Some(m) => Cell {
            text: number(m),
            why: None,
        },
        None => Cell {
            text: String::new(),
            why: Some("why.none"),
        },
    };
    let gap = match row.urban_rural_gap {
        Some(g) => Cell {
            text: number(g),
            why: None,
        },
        None => Cell {
            text: String::new(),
            why: Some(why_gap),
        },
    };
    vec![
        mean,
        Cell::of(row.cv, why_cv),
        Cell::of(row.gini, why_gt),
        Cell::of(row.theil, why_gt),
        Cell::of(row.theil_between, why_split),
        Cell::of(row.theil_within, why_split),
        Cell::of(row.max_min_ratio, why_ratio),
        gap,
    ]
}

fn trend_key(c: Change) -> &'static str {
    match c {
        Change::Narrowing => "eval.trend.narrowing",
        Change::Widening => "eval.trend.widening",
        Change::Unchanged => "eval.trend.unchanged",
        Change::Mixed => "eval.trend.mixed",
    }
}

/// How many rows of two results differ (0: the run reproduces).
fn differing(a: &EvaluationResult, b: &EvaluationResult) -> usize {
    fn count<T: PartialEq>(x: &[T], y: &[T]) -> usize {
        x.iter().zip(y).filter(|(p, q)| p != q).count() + x.len().abs_diff(y.len())
    }
    let head = usize::from(a.kind != b.kind || a.as_of != b.as_of || a.scope != b.scope);
    head + count(&a.scores, &b.scores)
        + count(&a.rankings, &b.rankings)
        + count(&a.equalization, &b.equalization)
        + count(&a.targets, &b.targets)
}

async fn load_run(state: &AppState, id: i64) -> Result<StoredRun, AppError> {
    state.store().run(id).await?.ok_or(AppError::NotFound)
}

async fn detail(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> Result<DetailPage, AppError> {
    let run = load_run(&state, id).await?;
    let verified = if q.verify.is_some() {
        let (again, values) = minsheng_app::evaluation::recompute(state.store(), &run)
            .await
            .map_err(|e| AppError::BadRequest(format!("无法重新计算评估 {id}：{e}")))?;
        let differing = differing(&run.result, &again);
        Some(Verified {
            ok: differing == 0,
            differing,
            values,
        })
    } else {
        None
    };
    let m = state.monitor().await?;
    let h = &m.inputs.hierarchy;
    let catalog = &m.inputs.catalog;
    let s = &run.summary;
    let result = &run.result;
    let scope = s.scope.clone().unwrap_or_else(|| s.plan_region.clone());
    let page = Page::new(lang, "evaluations", "eval.title", Some(&user.0)).simulated(s.simulated);

    let overall_row = result
        .scores
        .iter()
        .find(|r| r.region == scope && r.part == Some(ScorePart::Overall));
    let domains = DOMAINS
        .iter()
        .filter_map(|d| {
            let r = result.scores.iter().find(|r| {
                r.region == scope && r.part == Some(ScorePart::Domain) && r.domain == *d
            })?;
            Some(DomainScore {
                name: (*d).to_string(),
                score: score_text(r.score),
                scored: format!("{}/{}", r.n_scored, r.n),
                coverage: r
                    .coverage
                    .map_or("–".into(), |c| format!("{}%", number(100.0 * c))),
                weight: r.weight.map_or("–".into(), number),
            })
        })
        .collect();

    // The regions one level below the scope, with their domain scores.
    let children: Vec<String> = h
        .index_of(&scope)
        .map(|i| {
            h.children(i)
                .iter()
                .map(|&c| h.code(c).to_string())
                .collect()
        })
        .unwrap_or_default();
    let score_of = |region: &str, part: ScorePart, domain: Option<&str>| {
        result
            .scores
            .iter()
            .find(|r| {
                r.region == region && r.part == Some(part) && domain.is_none_or(|d| r.domain == d)
            })
            .and_then(|r| r.score)
    };
    let mut matrix: Vec<MatrixRow> = children
        .iter()
        .filter(|c| result.scores.iter().any(|r| &r.region == *c))
        .map(|c| MatrixRow {
            code: c.clone(),
            name: name_of(h, c),
            overall: score_text(score_of(c, ScorePart::Overall, None)),
            domains: DOMAINS
                .iter()
                .map(|d| score_text(score_of(c, ScorePart::Domain, Some(d))))
                .collect(),
        })
        .collect();
    matrix.sort_by(|a, b| {
        let key = |r: &MatrixRow| r.overall.parse::<f64>().unwrap_or(f64::NEG_INFINITY);
        key(b).total_cmp(&key(a)).then_with(|| a.code.cmp(&b.code))
    });

    let mut prefectures: Vec<RankView> = result
        .rankings
        .iter()
        .filter(|r| r.level == Some(RegionLevel::Prefecture))
        .map(|r| rank_view(h, r))
        .collect();
    prefectures.sort_by_key(|r| (r.rank, r.code.clone()));
    let mut counties: Vec<RankView> = result
        .rankings
        .iter()
        .filter(|r| r.level == Some(RegionLevel::County) && r.scope == scope)
        .map(|r| rank_view(h, r))
        .collect();
    counties.sort_by_key(|r| (r.rank, r.code.clone()));
    let ranked = prefectures.len() + counties.len();

    let (chart_title, bars) = if prefectures.is_empty() {
        ("eval.chart_counties", &counties)
    } else {
        ("eval.chart", &prefectures)
    };
    // Horizontal bars, the best on top: readable with sixteen prefectures on a phone too.
    let chart = serde_json::json!({
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 40, "top": 8, "bottom": 8, "containLabel": true},
        "yAxis": {"type": "category", "inverse": true,
                  "data": bars.iter().map(|r| minsheng_store::region_short_name(&r.name)).collect::<Vec<_>>(),
                  "axisLabel": {"interval": 0}},
        "xAxis": {"type": "value", "min": 0, "max": 100},
        "series": [{
            "name": page.tr.t("eval.overall"),
            "type": "bar",
            "barMaxWidth": 18,
            "itemStyle": {"color": "#1f4e8c"},
            "label": {"show": true, "position": "right", "formatter": "{c}"},
            "data": bars.iter().map(|r| r.score.parse::<f64>().unwrap_or(0.0)).collect::<Vec<_>>(),
        }],
    })
    .to_string();
    let chart_height = 40 + 24 * bars.len().min(60);

    let equalization = result
        .equalization
        .iter()
        .filter(|r| r.scope == scope && r.period == s.as_of)
        .map(|r| {
            let entry = catalog.get(&r.indicator);
            EqView {
                indicator: entry.map_or(r.indicator.clone(), |e| e.name.clone()),
                unit: entry.map_or(String::new(), |e| e.unit.clone()),
                n: r.n,
                cells: eq_cells(r),
                trend: r.trend.and_then(|t| t.overall).map(trend_key),
            }
        })
        .collect();

    Ok(DetailPage {
        id,
        kind: kind_key(s.kind),
        region: name_of(h, &s.plan_region),
        plan_key: s.plan_key.clone(),
        as_of: s.as_of.to_string(),
        baseline: s.baseline.map_or("–".into(), |b| b.to_string()),
        created: beijing_time(&s.created_at),
        created_by: s.created_by.clone(),
        published: s
            .published_at
            .as_deref()
            .map(|at| (beijing_time(at), s.published_by.clone().unwrap_or_default())),
        simulated: s.simulated,
        value_count: s.value_count,
        overall: score_text(overall_row.and_then(|r| r.score)),
        coverage: overall_row
            .and_then(|r| r.coverage)
            .map_or("–".into(), |c| format!("{}%", number(100.0 * c))),
        ranked,
        domains,
        matrix_domains: DOMAINS
            .iter()
            .map(|d| page.tr.domain(d).to_string())
            .collect(),
        matrix,
        chart_title,
        chart,
        chart_height,
        has_previous: s.previous_run.is_some(),
        prefectures,
        counties,
        equalization,
        verified,
        may_publish: may_publish(user.user()).is_ok(),
        page,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// POST /evaluations/{id}/publish: 公示, the plan owner only.
async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Redirect, AppError> {
    user.check_csrf(&form.csrf)?;
    may_publish(user.user())?;
    let run = load_run(&state, id).await?;
    if let Some(at) = &run.summary.published_at {
        return Err(AppError::BadRequest(format!(
            "评估 {id} 已于 {} 公示，无需再次公示。",
            beijing_time(at)
        )));
    }
    state.store().publish_run(id, &user.user().username).await?;
    Ok(Redirect::to(&format!("/evaluations/{id}")))
}

/// `Content-Disposition` naming a download: an ASCII `filename` for old clients and the
/// Chinese name as `filename*` (RFC 6266 / RFC 8187, UTF-8, percent-encoded).
pub fn content_disposition(disposition: &str, ascii: &str, name: &str) -> String {
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// GET /evaluations/{id}/report.docx|xlsx|html: the run's report.
async fn download(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let format = file
        .strip_prefix("report.")
        .and_then(ReportFormat::parse)
        .filter(|f| *f != ReportFormat::Public)
        .ok_or(AppError::NotFound)?;
    let (bytes, run) = match minsheng_app::report::render(state.store(), id, format).await {
        Ok(r) => r,
        Err(minsheng_app::AppError::Refused(_)) => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::internal(e)),
    };
    let m = state.monitor().await?;
    let s = &run.summary;
    let ext = format.extension();
    let region = name_of(&m.inputs.hierarchy, &s.plan_region);
    let sim = if s.simulated {
        "（模拟数据）"
    } else {
        ""
    };
    let name = format!("{region}{}-{}-第{id}号{sim}.{ext}", s.kind.label(), s.as_of);
    let ascii = format!("evaluation-{id}-{}-{}.{ext}", s.kind.as_str(), s.as_of);
    let disposition = if format == ReportFormat::Html {
        "inline"
    } else {
        "attachment"
    };
    Response::builder()
        .header(header::CONTENT_TYPE, format.content_type())
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(disposition, &ascii, &name),
        )
        .body(Body::from(bytes))
        .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_file_name_is_percent_encoded_beside_an_ascii_one() {
        let h = content_disposition("attachment", "evaluation-3.docx", "云南省 评估.docx");
        assert_eq!(
            h,
            "attachment; filename=\"evaluation-3.docx\"; \
             filename*=UTF-8''%E4%BA%91%E5%8D%97%E7%9C%81%20%E8%AF%84%E4%BC%B0%2Edocx"
        );
    }

    #[test]
    fn times_show_in_beijing_time() {
        assert_eq!(beijing_time("2026-12-02T01:39:00Z"), "2026-12-02 09:39");
        assert_eq!(beijing_time("not a time"), "not a time");
    }
}
