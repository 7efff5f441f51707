//! Ingestion throughput: MB of plan text per second on one core.
//!
//! `cargo bench -p minsheng-ingest --bench ingest` prints, for the five bundled plans and for a
//! 100 MB corpus made by repeating them, the median over several runs of the whole pipeline
//! (clean, parse structure, extract targets), single-threaded.

use std::time::{Duration, Instant};

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/plans");
    let mut docs: Vec<String> = std::fs::read_dir(dir)
        .expect("data/plans exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| std::fs::read_to_string(e.path()).expect("plan is UTF-8"))
        .collect();
    docs.sort();
    let bytes: usize = docs.iter().map(String::len).sum();

    let five = median(15, || {
        for d in &docs {
            std::hint::black_box(minsheng_ingest::ingest_text(d));
        }
    });
    report("five bundled plans", bytes, five);

    // 100 MB: the five plans repeated, each copy ingested as its own document.
    let copies = (100 * 1024 * 1024) / bytes + 1;
    let corpus_bytes = bytes * copies;
    let corpus = median(3, || {
        for _ in 0..copies {
            for d in &docs {
                std::hint::black_box(minsheng_ingest::ingest_text(d));
            }
        }
    });
    report("100 MB corpus (repeated plans)", corpus_bytes, corpus);

    // One 10 MB document: the plans concatenated, to show the pipeline stays linear.
    let big: String = docs.concat().repeat((10 * 1024 * 1024) / bytes + 1);
    let one = median(3, || {
        std::hint::black_box(minsheng_ingest::ingest_text(&big));
    });
    report("one 10 MB document", big.len(), one);
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn report(what: &str, bytes: usize, time: Duration) {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "{what:<34} {mb:>8.2} MB  median {:>9.3} s  {:>7.1} MB/s",
        time.as_secs_f64(),
        mb / time.as_secs_f64()
    );
}
