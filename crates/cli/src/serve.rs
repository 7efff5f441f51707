//! `minsheng serve`: the web application. On a fresh store it first loads the regions, the
//! bundled plans and the demo data (模拟数据), makes the demo accounts, and says so; then it
//! prints the address and serves until Ctrl-C.

use anyhow::Context;
use minsheng_web::{AppState, Config};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Mark the session cookie Secure: set this when users reach the server over HTTPS.
    #[arg(long)]
    secure_cookies: bool,
    /// Do not load the bundled plans, demo data and demo accounts into a fresh store.
    #[arg(long)]
    no_demo: bool,
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let store = crate::db::open(url).await?;
    if !args.no_demo {
        let first = minsheng_app::bootstrap::first_run(&store).await?;
        if first.plans > 0 {
            eprintln!(
                "首次启动：已载入 {} 份规划、{} 个模拟数据数值，并公示一次模拟评估 (first start: loaded {} plans, {} demo values labelled 模拟数据, one published demo evaluation)",
                first.plans, first.demo_values, first.plans, first.demo_values
            );
        }
        let made = minsheng_web::demo::make_demo_accounts(&store).await?;
        if !made.is_empty() {
            eprintln!(
                "演示账号 (demo accounts), 密码 password `{}`:",
                minsheng_web::demo::DEMO_PASSWORD
            );
            for (name, display, role, _, _) in minsheng_web::demo::DEMO_ACCOUNTS {
                eprintln!("  {name:<16} {display}  [{}]", role.as_str());
            }
        }
    }
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (is another server using it?)",
                args.addr
            )
        })?;
    let addr = listener.local_addr()?;
    eprintln!(
        "minsheng 已启动 (serving) at http://{addr}/  — 公开信息 public pages: http://{addr}/public"
    );
    let config = Config {
        secure_cookies: args.secure_cookies,
        ..Config::default()
    };
    minsheng_web::serve(AppState::new(store, config), listener).await?;
    Ok(ExitCode::SUCCESS)
}
