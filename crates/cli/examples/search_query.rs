//! Runs one query against a built bundle's search index on disk, the way
//! the app does (fetch rounds, then `Query::step`), and reports the hits
//! and the in-memory search time over many repetitions: for profiling
//! (`perf record`) and for checking a single query's cost.
//!
//! ```text
//! cargo run --release -p gongkai-cli --example search_query -- BUNDLE_DIR 高质量发展 exact [REPEAT]
//! ```

use gongkai_core::search::{
    MatchMode, MatchStep, Options, Query, SearchMeta, SearchStep, Shards, SortOrder, META_PATH,
};
use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, q, mode, rest @ ..] = args.as_slice() else {
        eprintln!("usage: search_query BUNDLE_DIR QUERY exact|fuzzy [REPEAT]");
        std::process::exit(2);
    };
    let repeat: usize = rest.first().and_then(|r| r.parse().ok()).unwrap_or(200);
    let dir = Path::new(dir);
    let read = |p: &str| {
        std::fs::read(dir.join(p)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(p).display()))
    };
    let meta: SearchMeta = serde_json::from_slice(&read(META_PATH)).expect("index.json");
    let mode: MatchMode = mode.parse().expect("exact or fuzzy");
    let query = Query::parse(
        q,
        Options {
            mode,
            ..Options::default()
        },
    )
    .expect("query");
    let mut shards = Shards::default();
    let mut rounds = 0;
    let results = loop {
        match query.step(&meta, &shards, 20).expect("search") {
            SearchStep::Done(r) => break r,
            SearchStep::Fetch(v) => {
                rounds += 1;
                for f in v {
                    shards.load(f, read(&f.path())).expect("search file");
                }
            }
        }
    };
    // The app's loop also loads the column file (counts per 栏目).
    while let MatchStep::Fetch(v) = query.step_matches(&meta, &shards).expect("search") {
        for f in v {
            shards.load(f, read(&f.path())).expect("search file");
        }
    }
    let time = |f: &dyn Fn() -> usize| {
        let mut times: Vec<f64> = (0..repeat)
            .map(|_| {
                let t = Instant::now();
                assert_eq!(f(), results.total);
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        times.sort_by(f64::total_cmp);
        (times[times.len() / 2], times[0])
    };
    // What the app does: keep every match, then cut the first page.
    let kept = || match query.step_matches(&meta, &shards).unwrap() {
        MatchStep::Done(m) => m.top(SortOrder::Relevance, 20).total,
        MatchStep::Fetch(_) => unreachable!("every file is loaded"),
    };
    let top = time(&|| query.search_top(&meta, &shards, 20).unwrap().total);
    let matches = time(&kept);
    println!(
        "{q} {}: {} hits, {rounds} rounds; over {repeat} runs, p50 (min): search_top {:.0} ({:.0}) µs, step_matches + top {:.0} ({:.0}) µs",
        mode.as_str(),
        results.total,
        top.0,
        top.1,
        matches.0,
        matches.1
    );
}
