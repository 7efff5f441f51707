//! Accounts (用户), sessions (会话) and login attempts (登录尝试) of the web application.
//!
//! The store keeps what the web layer decides: it never sees a password (only the argon2 PHC
//! string the caller made) nor a session token (only its SHA-256), and it holds no access
//! rules beyond the closed list of [`Role`]s. Times are RFC 3339 UTC text to the second, so
//! that comparisons are text comparisons on both backends.
//!
//! Sessions and login attempts live here rather than in one process's memory so that several
//! `minsheng serve` processes over one PostgreSQL store share sign-ins and rate limits.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store, StoreError, finish, sha256_hex};

/// 角色: what an account may do. The rules live in the web crate's `auth::access`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 规划主管: the plan owner (the provincial development and reform commission).
    PlanOwner,
    /// 部门: a department leading or cooperating on tasks.
    Department,
    /// 填报员: reports a county's (or prefecture's) values.
    Reporter,
    /// 审核员: reviews the values of the regions under its scope.
    Reviewer,
    /// 查看者: reads only.
    Viewer,
}

impl Role {
    /// Every role, in the order they are listed to people.
    pub const ALL: [Role; 5] = [
        Role::PlanOwner,
        Role::Department,
        Role::Reporter,
        Role::Reviewer,
        Role::Viewer,
    ];

    /// `plan_owner`, `department`, `reporter`, `reviewer`, `viewer`: how it is stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlanOwner => "plan_owner",
            Role::Department => "department",
            Role::Reporter => "reporter",
            Role::Reviewer => "reviewer",
            Role::Viewer => "viewer",
        }
    }

    /// The role named by [`Role::as_str`]'s text.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// An account as stored, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    /// The sign-in name, unique.
    pub username: String,
    /// The name shown on pages (张三, 楚雄市填报员).
    pub display_name: String,
    pub role: Role,
    /// The scope: the GB/T 2260 code of the region the account works for; `None` for all.
    pub region_code: Option<String>,
    /// 单位: the account's department or unit as plans name it (省卫生健康委).
    pub unit: Option<String>,
    /// 演示账号: made by the first start with demo data.
    pub demo: bool,
    /// A disabled account cannot sign in and its sessions stop working.
    pub disabled: bool,
    /// When it was made, RFC 3339 UTC.
    pub created_at: String,
}

/// An account to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    /// The argon2 PHC string of the password (`$argon2id$v=19$…`), never the password.
    pub password_hash: String,
    pub role: Role,
    /// A region code or `None`; must be in the store.
    pub region_code: Option<String>,
    pub unit: Option<String>,
    pub demo: bool,
}

/// A live session and its account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user: User,
    /// The session's form token (hidden input `csrf` on every form).
    pub csrf: String,
    /// RFC 3339 UTC.
    pub expires_at: String,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.region_code, u.unit, \
    u.demo, u.disabled, u.created_at";

fn user_from_row(row: &AnyRow) -> Result<User> {
    let corrupt = |e: sqlx::Error| StoreError::Corrupt {
        what: format!("a user row: {e}"),
    };
    let role: String = row.try_get(3).map_err(corrupt)?;
    Ok(User {
        id: row.try_get(0).map_err(corrupt)?,
        username: row.try_get(1).map_err(corrupt)?,
        display_name: row.try_get(2).map_err(corrupt)?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt {
            what: format!("a user has the role {role:?}"),
        })?,
        region_code: row.try_get(4).map_err(corrupt)?,
        unit: row.try_get(5).map_err(corrupt)?,
        demo: row.try_get::<i64, _>(6).map_err(corrupt)? != 0,
        disabled: row.try_get::<i64, _>(7).map_err(corrupt)? != 0,
        created_at: row.try_get(8).map_err(corrupt)?,
    })
}

/// `secs` seconds from now (negative: ago), RFC 3339 UTC to the second.
fn utc_in(secs: i64) -> String {
    let at = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(secs))
        .unwrap_or_else(|_| jiff::Timestamp::now());
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    /// Makes an account. Refused, changing nothing: an empty or taken user name, an empty
    /// password hash, a region not in the store.
    pub async fn create_user(&self, new: &NewUser) -> Result<User> {
        let invalid = |message: String| StoreError::InvalidUser { message };
        let username = new.username.trim();
        if username.is_empty() {
            return Err(invalid("the user name is empty".into()));
        }
        if new.password_hash.is_empty() {
            return Err(invalid(format!("{username} has no password hash")));
        }
        if let Some(code) = &new.region_code
            && self.region(code).await?.is_none()
        {
            return Err(StoreError::UnknownRegion {
                region: code.clone(),
            });
        }
        if self.user(username).await?.is_some() {
            return Err(invalid(format!(
                "the user name {username} is taken: choose another"
            )));
        }
        let display = match new.display_name.trim() {
            "" => username,
            d => d,
        };
        let action = || format!("adding the user {username}");
        let fail = |e| StoreError::write(action(), e);
        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, display_name, password_hash, role, region_code, \
                 unit, demo, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8) \
                 RETURNING id",
            )
            .bind(username)
            .bind(display)
            .bind(new.password_hash.as_str())
            .bind(new.role.as_str())
            .bind(new.region_code.clone())
            .bind(new.unit.clone())
            .bind(i64::from(new.demo))
            .bind(utc_in(0))
            .fetch_one(&mut *tx)
            .await
            .map_err(fail)?;
            Ok::<_, StoreError>(id)
        }
        .await;
        let id = finish(tx, result, action).await?;
        self.user_by_id(id)
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                what: format!("the user {username} just added cannot be read back"),
            })
    }

    /// The account called `username`, if any.
    pub async fn user(&self, username: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
        sqlx::query(crate::dynamic_sql(sql))
            .bind(username.trim())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read(format!("reading the user {username}"), e))?
            .map(|r| user_from_row(&r))
            .transpose()
    }

    async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        sqlx::query(crate::dynamic_sql(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading a user", e))?
            .map(|r| user_from_row(&r))
            .transpose()
    }

    /// The account and its password hash, to check a password against.
    pub async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let sql =
            format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = $1");
        let Some(row) = sqlx::query(crate::dynamic_sql(sql))
            .bind(username.trim())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read(format!("reading the user {username}"), e))?
        else {
            return Ok(None);
        };
        let hash: String = row.try_get(9).map_err(|e| StoreError::Corrupt {
            what: format!("a user's password hash: {e}"),
        })?;
        Ok(Some((user_from_row(&row)?, hash)))
    }

    /// Every account, by user name.
    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.username");
        sqlx::query(crate::dynamic_sql(sql))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| StoreError::read("listing the users", e))?
            .iter()
            .map(user_from_row)
            .collect()
    }

    /// How many accounts there are.
    pub async fn user_count(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| StoreError::read("counting the users", e))
    }

    /// Disables or enables an account; disabling also ends its sessions. Returns whether the
    /// account exists.
    pub async fn set_user_disabled(&self, username: &str, disabled: bool) -> Result<bool> {
        let action = || format!("disabling the user {username}");
        let fail = |e| StoreError::write(action(), e);
        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let n = sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
                .bind(i64::from(disabled))
                .bind(username.trim())
                .execute(&mut *tx)
                .await
                .map_err(fail)?
                .rows_affected();
            if disabled {
                sqlx::query(
                    "DELETE FROM sessions WHERE user_id IN \
                     (SELECT id FROM users WHERE username = $1)",
                )
                .bind(username.trim())
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            }
            Ok::<_, StoreError>(n > 0)
        }
        .await;
        finish(tx, result, action).await
    }

    /// Opens a session for `user_id`, valid for `ttl_secs`. `token` is the cookie's secret
    /// (only its SHA-256 is stored); `csrf` the session's form token.
    pub async fn create_session(
        &self,
        user_id: i64,
        token: &str,
        csrf: &str,
        ttl_secs: i64,
    ) -> Result<()> {
        let action = || "opening a session".to_string();
        let fail = |e| StoreError::write(action(), e);
        let mut tx = self.begin_write().await.map_err(fail)?;
        let result = async {
            let now = utc_in(0);
            // Sweep the expired sessions now and then: on every sign-in is often enough.
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(now.as_str())
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, \
                 last_seen_at) VALUES ($1, $2, $3, $4, $5, $4)",
            )
            .bind(sha256_hex(token.as_bytes()))
            .bind(user_id)
            .bind(csrf)
            .bind(now.as_str())
            .bind(utc_in(ttl_secs))
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
            Ok::<_, StoreError>(())
        }
        .await;
        finish(tx, result, action).await
    }

    /// The live session of `token` and its account: `None` when there is no such session,
    /// it has expired, or the account is disabled. Records when it was last seen, at most
    /// once a minute (so reading pages does not write on every request).
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let hash = sha256_hex(token.as_bytes());
        let now = utc_in(0);
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf, s.expires_at, s.last_seen_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        );
        let Some(row) = sqlx::query(crate::dynamic_sql(sql))
            .bind(hash.as_str())
            .bind(now.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| StoreError::read("reading a session", e))?
        else {
            return Ok(None);
        };
        let corrupt = |e: sqlx::Error| StoreError::Corrupt {
            what: format!("a session row: {e}"),
        };
        let session = Session {
            user: user_from_row(&row)?,
            csrf: row.try_get(9).map_err(corrupt)?,
            expires_at: row.try_get(10).map_err(corrupt)?,
        };
        let last_seen: String = row.try_get(11).map_err(corrupt)?;
        if last_seen < utc_in(-60) {
            // Best effort: a busy writer must not make a page fail.
            let _ = sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now.as_str())
                .bind(hash.as_str())
                .execute(&self.pool)
                .await;
        }
        Ok(Some(session))
    }

    /// Ends the session of `token` (signing out). Returns whether there was one.
    pub async fn delete_session(&self, token: &str) -> Result<bool> {
        let n = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(token.as_bytes()))
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::write("ending a session", e))?
            .rows_affected();
        Ok(n > 0)
    }

    /// Records a sign-in attempt of `username` from `client_ip`.
    pub async fn record_login_attempt(
        &self,
        username: &str,
        client_ip: &str,
        succeeded: bool,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO login_attempts (username, client_ip, at, succeeded) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(username.trim())
        .bind(client_ip)
        .bind(utc_in(0))
        .bind(i64::from(succeeded))
        .execute(&self.pool)
        .await
        .map_err(|e| StoreError::write("recording a sign-in attempt", e))?;
        Ok(())
    }

    /// How many sign-ins of `username` from `client_ip` failed in the last `window_secs`
    /// seconds since its last successful one.
    pub async fn failed_logins(
        &self,
        username: &str,
        client_ip: &str,
        window_secs: i64,
    ) -> Result<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND client_ip = $2 \
             AND succeeded = 0 AND at >= $3 AND at >= COALESCE((SELECT MAX(at) FROM \
             login_attempts WHERE username = $1 AND client_ip = $2 AND succeeded = 1), '')",
        )
        .bind(username.trim())
        .bind(client_ip)
        .bind(utc_in(-window_secs))
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::read("counting sign-in attempts", e))
    }

    /// A marker that changes whenever something a page shows may have changed: a plan
    /// stored, values imported or changed, a review step, task progress, an evaluation run
    /// made or published (each of these writes the audit log or a new entry, plan, run or
    /// transition). Several server processes over one store see each other's changes through
    /// it; it costs a few index lookups, so pages may check it on every request and keep
    /// what they computed until it moves.
    pub async fn change_marker(&self) -> Result<String> {
        let row = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM audit_log), \
             (SELECT COALESCE(MAX(id), 0) FROM entries), \
             (SELECT COALESCE(MAX(id), 0) FROM plans), \
             (SELECT COALESCE(MAX(id), 0) FROM evaluation_runs), \
             (SELECT COALESCE(MAX(id), 0) FROM transitions)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::read("reading the change marker", e))?;
        let mut parts = Vec::with_capacity(5);
        for i in 0..5 {
            let n: i64 = row.try_get(i).map_err(|e| StoreError::Corrupt {
                what: format!("the change marker: {e}"),
            })?;
            parts.push(n.to_string());
        }
        Ok(parts.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_change_marker_moves_when_a_plan_is_stored() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let rows = crate::regions_csv(crate::REGIONS_CSV).unwrap();
        store.load_regions(&rows).await.unwrap();
        let before = store.change_marker().await.unwrap();
        assert_eq!(
            before,
            store.change_marker().await.unwrap(),
            "reading moves nothing"
        );
        let plan = minsheng_model::Plan {
            region: Some("云南省".into()),
            title: "云南省基本公共服务提升三年行动计划".into(),
            ..Default::default()
        };
        store.save_plan(&plan, "530000", &[]).await.unwrap();
        assert_ne!(before, store.change_marker().await.unwrap());
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn times_compare_as_text() {
        assert!(utc_in(-60) < utc_in(0));
        assert_eq!(utc_in(0).len(), "2025-11-22T11:39:00Z".len());
    }
}
