//! 演示账号: the accounts a first start with demo data makes, one per role, so that each
//! person trying the system sees their own daily work. All share one password, shown on the
//! sign-in page and printed by `minsheng serve`; they are flagged `demo` in the store, and
//! a real deployment disables them (`minsheng user disable NAME`).

use crate::auth::password;
use crate::error::AppError;
use minsheng_store::{NewUser, Role, Store};

/// The demo accounts' password.
pub const DEMO_PASSWORD: &str = "minsheng-demo";

/// A demo account: (user name, display name, role, region code, unit).
pub type DemoAccount = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    Option<&'static str>,
);

/// The demo accounts, one or two per role.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    (
        "fgw",
        "省发展改革委（规划主管）",
        Role::PlanOwner,
        Some("530000"),
        Some("省发展改革委"),
    ),
    (
        "wsjk",
        "省卫生健康委（部门）",
        Role::Department,
        Some("530000"),
        Some("省卫生健康委"),
    ),
    (
        "jyt",
        "省教育厅（部门）",
        Role::Department,
        Some("530000"),
        Some("省教育厅"),
    ),
    (
        "chuxiong-review",
        "楚雄州审核员",
        Role::Reviewer,
        Some("532300"),
        Some("州发展改革委"),
    ),
    (
        "chuxiong-city",
        "楚雄市填报员",
        Role::Reporter,
        Some("532301"),
        Some("楚雄市统计局"),
    ),
    (
        "lufeng",
        "禄丰市填报员",
        Role::Reporter,
        Some("532302"),
        Some("禄丰市统计局"),
    ),
    ("guest", "查看者", Role::Viewer, None, None),
];

/// Makes the demo accounts when the store has no account at all; returns the ones made.
pub async fn make_demo_accounts(store: &Store) -> Result<Vec<&'static str>, AppError> {
    if store.user_count().await? > 0 {
        return Ok(Vec::new());
    }
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    let mut made = Vec::new();
    for (name, display, role, region, unit) in DEMO_ACCOUNTS {
        store
            .create_user(&NewUser {
                username: (*name).to_string(),
                display_name: (*display).to_string(),
                password_hash: hash.clone(),
                role: *role,
                region_code: region.map(str::to_string),
                unit: unit.map(str::to_string),
                demo: true,
            })
            .await?;
        made.push(*name);
    }
    Ok(made)
}
