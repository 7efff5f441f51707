//! Writes the four outputs of the sample (模拟数据) evaluation into a folder:
//! `cargo run -p minsheng-report --example sample -- /tmp/h-report/out`.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "report-sample".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let result = minsheng_report::sample::result();
    let input = minsheng_report::sample::input(&result);
    let started = std::time::Instant::now();
    let files = [
        ("report.docx", minsheng_report::docx(&input)?),
        ("report.xlsx", minsheng_report::xlsx(&input)?),
        ("report.html", minsheng_report::html(&input)?),
        ("public.html", minsheng_report::public_summary_html(&input)?),
    ];
    let elapsed = started.elapsed();
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes)?;
        println!("{} ({} bytes)", dir.join(name).display(), bytes.len());
    }
    println!("rendered all four in {elapsed:?}");
    Ok(())
}
