//! `minsheng user add|list|disable|enable`: accounts of the web application.

use crate::output::outln;
use anyhow::{Context, bail};
use clap::Subcommand;
use minsheng_store::{NewUser, Role};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Make an account. The password is read from the first line of standard input, or from
    /// MINSHENG_PASSWORD.
    Add {
        /// The sign-in name.
        username: String,
        /// plan_owner, department, reporter, reviewer or viewer.
        #[arg(long)]
        role: String,
        /// The region the account works for (楚雄市, 532301); none: the whole hierarchy.
        #[arg(long)]
        region: Option<String>,
        /// The department or unit as plans name it (省卫生健康委).
        #[arg(long)]
        unit: Option<String>,
        /// The name shown on pages (default: the user name).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// The accounts.
    List,
    /// Stop an account from signing in (its sessions end).
    Disable { username: String },
    /// Let a disabled account sign in again.
    Enable { username: String },
}

pub async fn run(url: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = crate::db::open(url).await?;
    match cmd {
        Command::Add {
            username,
            role,
            region,
            unit,
            display_name,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!("no role is called {role}: use plan_owner, department, reporter, reviewer or viewer")
            })?;
            let region_code = match region {
                Some(name) => Some(
                    store
                        .resolve_region(&name)
                        .await?
                        .with_context(|| format!("no region is called {name}"))?
                        .code,
                ),
                None => None,
            };
            let password = match std::env::var("MINSHENG_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("cannot read the password from standard input")?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            if password.is_empty() {
                bail!("give the password on standard input or in MINSHENG_PASSWORD");
            }
            let hash = minsheng_web::auth::password::hash(password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let user = store
                .create_user(&NewUser {
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    username,
                    password_hash: hash,
                    role,
                    region_code,
                    unit,
                    demo: false,
                })
                .await?;
            crate::output::print(&format!(
                "已创建账号 {}（{}，{}）(account made)\n",
                user.username,
                user.role.as_str(),
                user.region_code
                    .as_deref()
                    .unwrap_or("全部地区 all regions")
            ))?;
        }
        Command::List => {
            let mut out = String::new();
            for u in store.users().await? {
                outln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}{}{}",
                    u.username,
                    u.display_name,
                    u.role.as_str(),
                    u.region_code.as_deref().unwrap_or("-"),
                    u.unit.as_deref().unwrap_or("-"),
                    if u.demo { "\t演示 demo" } else { "" },
                    if u.disabled {
                        "\t已停用 disabled"
                    } else {
                        ""
                    }
                );
            }
            crate::output::print(&out)?;
        }
        Command::Disable { username } => set_disabled(&store, &username, true).await?,
        Command::Enable { username } => set_disabled(&store, &username, false).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn set_disabled(
    store: &minsheng_store::Store,
    username: &str,
    disabled: bool,
) -> anyhow::Result<()> {
    if !store.set_user_disabled(username, disabled).await? {
        bail!("no account is called {username} (see minsheng user list)");
    }
    crate::output::print(&format!(
        "{} {username}\n",
        if disabled {
            "已停用 disabled"
        } else {
            "已启用 enabled"
        }
    ))?;
    Ok(())
}
