//! Languages: Chinese (the default) and English. The language of a request is `?lang=zh|en`
//! if given, else the `lang` cookie (set by `/lang/{zh|en}`, the switch in the top bar), else
//! Chinese. Every string a page shows comes from [`STRINGS`], one row per key with both
//! languages, looked up in templates as `{{ page.tr.t("nav.overview") }}`. The common strings
//! are [`STRINGS`] here; each page module keeps its own table (`STRINGS` in that module) and
//! lists it in [`TABLES`]. A key missing from every table shows as the key itself, and the
//! test `every_template_key_is_in_the_table` fails, so a forgotten string is caught before it
//! ships.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use minsheng_model::{DOMAINS, DOMAINS_EN};
use std::collections::HashMap;
use std::sync::LazyLock;

/// One string: (key, Chinese, English). Keys are `area.name`.
pub type Entry = (&'static str, &'static str, &'static str);

/// Every table of strings: the common one and each page module's.
pub const TABLES: &[&[Entry]] = &[
    STRINGS,
    crate::pages::STRINGS,
    crate::pages::plans::STRINGS,
    crate::pages::indicators::STRINGS,
    crate::pages::evaluations::STRINGS,
    crate::pages::audit::STRINGS,
    crate::pages::ingest::STRINGS,
    crate::pages::reporting::STRINGS,
    crate::pages::review::STRINGS,
    crate::pages::public::STRINGS,
];

/// All tables, indexed by key (built once).
static INDEX: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> = LazyLock::new(|| {
    TABLES
        .iter()
        .flat_map(|t| t.iter())
        .map(|(k, zh, en)| (*k, (*zh, *en)))
        .collect()
});

/// The Chinese and English of `key`, if some table has it.
pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    INDEX.get(key).copied()
}

/// The cookie that keeps the chosen language.
pub const LANG_COOKIE: &str = "lang";

/// A page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language called `zh`/`en` (also `zh-CN`, `en-US`).
    pub fn parse(text: &str) -> Option<Lang> {
        match text.get(..2)?.to_ascii_lowercase().as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The value of `<html lang>`.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// The request's language, as an extractor (never fails).
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Lang, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("lang="))
                .and_then(Lang::parse)
        });
        if let Some(lang) = from_query {
            return Ok(lang);
        }
        let jar = CookieJar::from_headers(&parts.headers);
        Ok(jar
            .get(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .unwrap_or_default())
    }
}

/// The translator a template holds: `tr.t("key")`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The string of `key` in this language; the key itself if the table lacks it.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        match lookup(key) {
            Some((zh, en)) => match self.lang {
                Lang::Zh => zh,
                Lang::En => en,
            },
            None => key,
        }
    }

    /// A domain's name (幼有所育 …) in this language.
    pub fn domain<'a>(&self, zh: &'a str) -> &'a str {
        match (self.lang, DOMAINS.iter().position(|d| *d == zh)) {
            (Lang::En, Some(i)) => DOMAINS_EN[i],
            _ => zh,
        }
    }

    /// The other language, for the switch.
    pub fn other(&self) -> Lang {
        match self.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// The strings every page shares: the frame, navigation, roles, statuses, sign-in.
pub const STRINGS: &[Entry] = &[
    (
        "app.name",
        "民生 · 基本公共服务监测评估",
        "Minsheng · Basic Public Services Monitoring",
    ),
    ("app.short", "民生", "Minsheng"),
    ("lang.switch", "English", "中文"),
    ("nav.overview", "总览", "Overview"),
    ("nav.public", "公开信息", "Public"),
    ("nav.plans", "规划", "Plans"),
    ("nav.indicators", "指标", "Indicators"),
    ("nav.regions", "地区", "Regions"),
    ("nav.tasks", "任务", "Tasks"),
    ("nav.reporting", "填报", "Reporting"),
    ("nav.review", "审核", "Review"),
    ("nav.evaluations", "评估", "Evaluation"),
    ("nav.ingest", "规划导入", "Plan import"),
    ("nav.audit", "审计", "Audit"),
    ("nav.menu", "菜单", "Menu"),
    (
        "login.demo",
        "演示账号（模拟数据）",
        "Demo accounts (模拟数据)",
    ),
    (
        "login.demo_password",
        "演示密码均为",
        "Every demo password is",
    ),
    (
        "public.runs",
        "已公示的评估结果",
        "Published evaluation results",
    ),
    ("public.kind", "类型", "Kind"),
    ("public.as_of", "评估期", "Period"),
    ("public.published_at", "公示时间", "Published"),
    ("public.view", "查看", "View"),
    ("public.targets", "量化目标", "Targets"),
    ("public.region", "地区", "Region"),
    ("public.simulated", "模拟数据", "模拟数据 (simulated)"),
    ("nav.login", "登录", "Sign in"),
    ("nav.logout", "退出", "Sign out"),
    (
        "banner.simulated",
        "模拟数据：本页显示的数值为演示用模拟数据，不是真实统计数据。",
        "模拟数据 (simulated data): the values on this page are generated for demonstration, not real statistics.",
    ),
    ("role.plan_owner", "规划主管", "Plan owner"),
    ("role.department", "部门", "Department"),
    ("role.reporter", "填报员", "Reporter"),
    ("role.reviewer", "审核员", "Reviewer"),
    ("role.viewer", "查看者", "Viewer"),
    ("login.title", "登录", "Sign in"),
    ("login.username", "用户名", "User name"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    (
        "login.failed",
        "用户名或密码错误",
        "Wrong user name or password",
    ),
    (
        "login.hint",
        "请使用管理员分配的账号登录。",
        "Use the account your administrator gave you.",
    ),
    ("overview.title", "总览", "Overview"),
    ("overview.as_of", "监测期", "As of"),
    ("overview.targets", "目标数", "Targets"),
    (
        "overview.achieved_share",
        "达标或进度正常",
        "Achieved or on track",
    ),
    (
        "overview.domains",
        "九大领域目标进展",
        "Progress of the nine domains",
    ),
    ("overview.domain", "领域", "Domain"),
    ("overview.total", "合计", "Total"),
    (
        "overview.chart",
        "各领域目标状态",
        "Target status by domain",
    ),
    (
        "overview.lagging",
        "滞后目标（省级）",
        "Lagging targets (province)",
    ),
    ("overview.indicator", "指标", "Indicator"),
    ("overview.latest", "最新值", "Latest"),
    ("overview.target", "目标值", "Target"),
    ("overview.status", "状态", "Status"),
    ("overview.lead", "牵头单位", "Lead unit"),
    (
        "overview.ranking",
        "州（市）排名：达标或进度正常的目标占比",
        "Prefectures ranked by share of targets achieved or on track",
    ),
    ("overview.rank", "名次", "Rank"),
    ("overview.region", "地区", "Region"),
    ("overview.share", "占比", "Share"),
    (
        "overview.empty",
        "还没有可评估的目标：请先载入规划和数据。",
        "Nothing to assess yet: load plans and values first.",
    ),
    (
        "overview.none_lagging",
        "没有滞后目标。",
        "No lagging targets.",
    ),
    ("status.achieved", "已达标", "Achieved"),
    ("status.on_track", "进度正常", "On track"),
    (
        "status.needs_acceleration",
        "需加快进度",
        "Needs acceleration",
    ),
    ("status.limited_progress", "进展有限", "Limited progress"),
    ("status.regressing", "倒退", "Regressing"),
    ("status.no_data", "无数据", "No data"),
    ("public.title", "公开信息", "Public information"),
    ("public.plans", "已发布的规划", "Published plans"),
    ("public.plan", "规划", "Plan"),
    ("public.years", "规划期", "Years"),
    ("public.version", "版本", "Version"),
    ("public.results", "公开的监测结果", "Published results"),
    (
        "public.no_results",
        "暂无公开的监测结果。数据经审核并发布后在此公示。",
        "No results published yet. Values appear here once reviewed and published.",
    ),
    (
        "public.no_plans",
        "暂无已发布的规划。",
        "No plans published yet.",
    ),
    (
        "footer.offline",
        "所有资源均内置，无需联网。",
        "All assets are built in; no internet needed.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_follow_the_language() {
        assert_eq!(Tr::new(Lang::Zh).t("nav.overview"), "总览");
        assert_eq!(Tr::new(Lang::En).t("nav.overview"), "Overview");
        assert_eq!(Tr::new(Lang::En).t("no.such.key"), "no.such.key");
        assert_eq!(Tr::new(Lang::En).domain("病有所医"), "Health care");
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = TABLES.iter().flat_map(|t| t.iter()).map(|s| s.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key appears twice in the string tables");
    }

    /// Every `t("…")` in the templates and the Rust sources has a row in a table.
    #[test]
    fn every_template_key_is_in_the_table() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("templates"), &mut files);
        walk(&root.join("src"), &mut files);
        let mut missing = Vec::new();
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for piece in text.split("t(\"").skip(1) {
                let Some(key) = piece.split('"').next() else {
                    continue;
                };
                let looks_like_key = key.contains('.')
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
                if looks_like_key && lookup(key).is_none() && key != "no.such.key" {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the string tables: {missing:?}"
        );
    }
}
