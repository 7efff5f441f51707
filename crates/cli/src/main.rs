//! The `minsheng` binary: parses the command line and hands each subcommand to its module.

mod align;
mod catalog;
mod collect;
mod db;
mod evaluate;
mod ingest;
mod monitor;
mod output;
mod plan;
mod regions;
mod report;
mod review;
mod serve;
mod task;
mod user;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// minsheng (民生): plans, monitoring and evaluation of basic public services.
#[derive(Parser)]
#[command(name = "minsheng", version, about)]
struct Cli {
    /// The store: a SQLite file (the default, created when missing) or postgres://user@host/db.
    #[arg(long, env = "MINSHENG_DB", global = true, default_value = db::DEFAULT_DB)]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read plan documents and print their structure and targets (读取规划文件).
    Ingest(ingest::Args),
    /// The administrative divisions (行政区划): load and list.
    #[command(subcommand)]
    Regions(regions::Command),
    /// The indicator catalog (指标库): check it, propose links for plan wordings.
    #[command(subcommand)]
    Catalog(catalog::Command),
    /// Plans in the store: load documents, show what is stored.
    #[command(subcommand)]
    Plan(plan::Command),
    /// 对标: each plan's 2025 targets against its parent region's plan.
    Align(align::Args),
    /// 填报表: a reporting workbook for a region and period.
    Template(collect::TemplateArgs),
    /// 导入: validate and store reported values (xlsx, csv); any error imports nothing.
    Import(collect::ImportArgs),
    /// 审核: submit, approve, return or publish a region's values for a period.
    #[command(subcommand)]
    Review(review::Command),
    /// 审计日志: who changed what, when.
    Audit(review::AuditArgs),
    /// 任务进展: report and list task progress with evidence.
    #[command(subcommand)]
    Task(task::Command),
    /// 动态监测: the status of every target and region at a period.
    Assess(monitor::AssessArgs),
    /// 预警: off-track targets, missing reports and overdue tasks, by lead unit and region.
    Warnings(monitor::WarningsArgs),
    /// 模拟数据: generate labelled demo values for every Yunnan county and catalog indicator.
    DemoData(monitor::DemoArgs),
    /// 评估报告: a stored evaluation run as docx, xlsx or html, or a published run's 公示.
    Report(report::Args),
    /// 网页服务: the web application (first start: bundled plans, demo data, demo accounts).
    Serve(serve::Args),
    /// 用户: accounts of the web application.
    #[command(subcommand)]
    User(user::Command),
    /// 评估: evaluate a plan at a period (--plan P --as-of …) and keep the run; list, show,
    /// compare, verify and publish runs; import external scores.
    Evaluate(evaluate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(args) => ingest::run(args),
        Command::Regions(cmd) => db::block_on(regions::run(&cli.db, cmd)),
        Command::Catalog(cmd) => db::block_on(catalog::run(&cli.db, cmd)),
        Command::Plan(cmd) => db::block_on(plan::run(&cli.db, cmd)),
        Command::Align(args) => db::block_on(align::run(&cli.db, args)),
        Command::Template(args) => db::block_on(collect::template(&cli.db, args)),
        Command::Import(args) => db::block_on(collect::import(&cli.db, args)),
        Command::Review(cmd) => db::block_on(review::review(&cli.db, cmd)),
        Command::Audit(args) => db::block_on(review::audit(&cli.db, args)),
        Command::Task(cmd) => db::block_on(task::run(&cli.db, cmd)),
        Command::Assess(args) => db::block_on(monitor::assess(&cli.db, args)),
        Command::Warnings(args) => db::block_on(monitor::warnings(&cli.db, args)),
        Command::DemoData(args) => db::block_on(monitor::demo_data(&cli.db, args)),
        Command::Report(args) => db::block_on(report::run(&cli.db, args)),
        Command::Evaluate(args) => db::block_on(evaluate::run(&cli.db, args)),
        Command::Serve(args) => db::block_on(serve::run(&cli.db, args)),
        Command::User(cmd) => db::block_on(user::run(&cli.db, cmd)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
