//! What each role may do, and where (the rules; the store only keeps roles and scopes).
//!
//! | role | reads | writes |
//! |---|---|---|
//! | 规划主管 plan owner | everything | publishes values and runs, loads plans, runs evaluations |
//! | 部门 department | everything internal | progress of the tasks its unit leads or cooperates on |
//! | 填报员 reporter | everything internal | values of its own region (a county's reporter: that county) |
//! | 审核员 reviewer | everything internal | approves or returns values of the regions under its scope |
//! | 查看者 viewer | everything internal | nothing |
//!
//! A scope is a region code; an account without one covers the whole hierarchy.

use crate::error::AppError;
use minsheng_assess::Hierarchy;
use minsheng_store::{Role, User};

/// Whether `region` lies in `user`'s scope (the scope itself or under it).
pub fn in_scope(h: &Hierarchy, user: &User, region: &str) -> bool {
    let Some(scope) = user.region_code.as_deref() else {
        return true;
    };
    match (h.index_of(scope), h.index_of(region)) {
        (Some(s), Some(r)) => h.is_within(r, s),
        _ => false,
    }
}

fn refuse(what: &str, user: &User) -> AppError {
    AppError::Forbidden(format!(
        "您的账号（{}）无权{what} (your account may not do this)",
        user.display_name
    ))
}

/// 填报: may `user` enter or submit values for `region`? A reporter for its own region only
/// (a county reporter cannot write its neighbour's data, nor its prefecture's).
pub fn may_report(h: &Hierarchy, user: &User, region: &str) -> Result<(), AppError> {
    let own = user.region_code.as_deref() == Some(region);
    match user.role {
        Role::Reporter if own => Ok(()),
        Role::PlanOwner if in_scope(h, user, region) => Ok(()),
        _ => Err(refuse(&format!("填报地区 {region} 的数据"), user)),
    }
}

/// 审核: may `user` approve or return values of `region`? A reviewer for regions strictly
/// under its scope (a prefecture reviews its counties, not itself); the plan owner anywhere
/// in scope.
pub fn may_review(h: &Hierarchy, user: &User, region: &str) -> Result<(), AppError> {
    let below = in_scope(h, user, region) && user.region_code.as_deref() != Some(region);
    match user.role {
        Role::Reviewer if below => Ok(()),
        Role::PlanOwner if in_scope(h, user, region) => Ok(()),
        _ => Err(refuse(&format!("审核地区 {region} 的数据"), user)),
    }
}

/// 发布 / 公示 and plan management: the plan owner only.
pub fn may_publish(user: &User) -> Result<(), AppError> {
    match user.role {
        Role::PlanOwner => Ok(()),
        _ => Err(refuse("发布或管理规划", user)),
    }
}

/// Whether the unit a plan names (`named`) is `mine`: one name contains the other (卫生健康委
/// matches 省卫生健康委); an empty name matches nothing.
pub fn unit_matches(named: &str, mine: &str) -> bool {
    let (named, mine) = (named.trim(), mine.trim());
    !named.is_empty() && !mine.is_empty() && (named.contains(mine) || mine.contains(named))
}

/// 任务进展: may `user` report progress on a task led by or shared with `units`, for
/// `region`? A department whose unit is among them (matched by name, 卫生健康 in
/// 省卫生健康委); the plan owner; a reporter for its own region.
pub fn may_update_task(
    h: &Hierarchy,
    user: &User,
    units: &[String],
    region: &str,
) -> Result<(), AppError> {
    let ok = match user.role {
        Role::PlanOwner => in_scope(h, user, region),
        Role::Department => user
            .unit
            .as_deref()
            .is_some_and(|mine| units.iter().any(|u| unit_matches(u, mine))),
        Role::Reporter => user.region_code.as_deref() == Some(region),
        Role::Reviewer | Role::Viewer => false,
    };
    if ok {
        Ok(())
    } else {
        Err(refuse("更新该任务的进展", user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minsheng_assess::RegionInput;
    use minsheng_model::RegionLevel;

    fn hierarchy() -> Hierarchy {
        let r = |code: &str, parent: Option<&str>, level| RegionInput {
            code: code.into(),
            parent: parent.map(Into::into),
            level,
            name: None,
            kind: None,
        };
        Hierarchy::new([
            r("530000", None, RegionLevel::Province),
            r("532300", Some("530000"), RegionLevel::Prefecture),
            r("532301", Some("532300"), RegionLevel::County),
            r("532322", Some("532300"), RegionLevel::County),
            r("530800", Some("530000"), RegionLevel::Prefecture),
            r("530802", Some("530800"), RegionLevel::County),
        ])
        .unwrap()
    }

    fn user(role: Role, region: Option<&str>, unit: Option<&str>) -> User {
        User {
            id: 1,
            username: "u".into(),
            display_name: "u".into(),
            role,
            region_code: region.map(Into::into),
            unit: unit.map(Into::into),
            demo: false,
            disabled: false,
            created_at: String::new(),
        }
    }

    #[test]
    fn a_county_reporter_writes_only_its_county() {
        let h = hierarchy();
        let u = user(Role::Reporter, Some("532301"), None);
        assert!(may_report(&h, &u, "532301").is_ok());
        assert!(may_report(&h, &u, "532322").is_err());
        assert!(may_report(&h, &u, "532300").is_err());
    }

    #[test]
    fn a_prefecture_reviewer_reviews_its_counties_only() {
        let h = hierarchy();
        let u = user(Role::Reviewer, Some("532300"), None);
        assert!(may_review(&h, &u, "532301").is_ok());
        assert!(may_review(&h, &u, "532300").is_err(), "not its own values");
        assert!(
            may_review(&h, &u, "530802").is_err(),
            "not another prefecture's"
        );
        assert!(may_report(&h, &u, "532301").is_err());
    }

    #[test]
    fn departments_update_the_tasks_of_their_unit() {
        let h = hierarchy();
        let u = user(Role::Department, None, Some("省卫生健康委"));
        let units = ["省卫生健康委".to_string(), "省民政厅".to_string()];
        assert!(may_update_task(&h, &u, &units, "530000").is_ok());
        assert!(may_update_task(&h, &u, &["省教育厅".to_string()], "530000").is_err());
        assert!(may_publish(&u).is_err());
        assert!(may_publish(&user(Role::PlanOwner, Some("530000"), None)).is_ok());
    }
}
