//! The pages: the frame every page shares ([`Page`]: language, title, navigation, the
//! signed-in user, the form token, the 模拟数据 banner), and each area's module with its
//! routes and strings.

pub mod audit;
pub mod evaluations;
pub mod indicators;
pub mod ingest;
pub mod overview;
pub mod plans;
pub mod public;
pub mod regions;
pub mod reporting;
pub mod review;
pub mod tasks;

use crate::i18n::{Entry, Lang, Tr};
use crate::state::AppState;
use axum::Router;
use minsheng_store::{Role, Session, User};

/// Every page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(overview::routes())
        .merge(public::routes())
        .merge(reporting::routes())
        .merge(review::routes())
        .merge(plans::routes())
        .merge(indicators::routes())
        .merge(evaluations::routes())
        .merge(audit::routes())
        .merge(ingest::routes())
        .merge(regions::routes())
        .merge(tasks::routes())
}

/// The page modules' strings (the frame's are in [`crate::i18n::STRINGS`]).
pub const STRINGS: &[Entry] = &[];

/// One entry of the navigation: where it goes, its string key, whether it needs a sign-in.
pub struct NavItem {
    pub id: &'static str,
    pub href: &'static str,
    pub key: &'static str,
}

/// The navigation of signed-in users, in the order of the work.
pub const NAV: &[NavItem] = &[
    NavItem {
        id: "overview",
        href: "/",
        key: "nav.overview",
    },
    NavItem {
        id: "plans",
        href: "/plans",
        key: "nav.plans",
    },
    NavItem {
        id: "indicators",
        href: "/indicators",
        key: "nav.indicators",
    },
    NavItem {
        id: "regions",
        href: "/regions",
        key: "nav.regions",
    },
    NavItem {
        id: "tasks",
        href: "/tasks",
        key: "nav.tasks",
    },
    NavItem {
        id: "reporting",
        href: "/reporting",
        key: "nav.reporting",
    },
    NavItem {
        id: "review",
        href: "/review",
        key: "nav.review",
    },
    NavItem {
        id: "evaluations",
        href: "/evaluations",
        key: "nav.evaluations",
    },
    NavItem {
        id: "ingest",
        href: "/ingest",
        key: "nav.ingest",
    },
    NavItem {
        id: "audit",
        href: "/audit",
        key: "nav.audit",
    },
    NavItem {
        id: "public",
        href: "/public",
        key: "nav.public",
    },
];

/// What the frame of every page needs.
pub struct Page {
    pub tr: Tr,
    pub lang: Lang,
    /// The string key of the page's title.
    pub title: &'static str,
    /// The [`NavItem::id`] of the current area.
    pub nav: &'static str,
    pub user: Option<User>,
    /// The session's form token, for every form's hidden `csrf` input.
    pub csrf: String,
    /// Show the 模拟数据 banner: the page shows generated demo values.
    pub simulated: bool,
}

impl Page {
    pub fn new(
        lang: Lang,
        nav: &'static str,
        title: &'static str,
        session: Option<&Session>,
    ) -> Page {
        Page {
            tr: Tr::new(lang),
            lang,
            title,
            nav,
            user: session.map(|s| s.user.clone()),
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
            simulated: false,
        }
    }

    /// The same page, flagged as showing demo values.
    pub fn simulated(mut self, simulated: bool) -> Page {
        self.simulated = simulated;
        self
    }

    /// The navigation this user sees: everything when signed in, the public pages otherwise.
    pub fn nav_items(&self) -> Vec<&'static NavItem> {
        NAV.iter()
            .filter(|n| self.user.is_some() || n.id == "public")
            .collect()
    }

    /// The user's role as a string key (`role.reporter`).
    pub fn role_key(&self) -> &'static str {
        match self.user.as_ref().map(|u| u.role) {
            Some(Role::PlanOwner) => "role.plan_owner",
            Some(Role::Department) => "role.department",
            Some(Role::Reporter) => "role.reporter",
            Some(Role::Reviewer) => "role.reviewer",
            Some(Role::Viewer) | None => "role.viewer",
        }
    }
}

/// A number as pages show it: up to two decimals, no trailing zeros.
pub fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// 2026-12-02T01:39:00Z as 2026-12-02 09:39 (Beijing time), or the text as given.
pub fn beijing_time(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_trailing_zeros() {
        assert_eq!(number(95.0), "95");
        assert_eq!(number(4.5), "4.5");
        assert_eq!(number(1.236), "1.24");
        assert_eq!(number(-0.001), "0");
    }
}
