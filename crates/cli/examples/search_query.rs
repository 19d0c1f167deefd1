//! Runs one query against a built bundle's search index on disk, the way
//! the app does (fetch rounds, then `Query::step`), and reports the hits
//! and the in-memory search time over many repetitions: for profiling
//! (`perf record`) and for checking a single query's cost.
//!
//! ```text
//! cargo run --release -p gongkai-cli --example search_query -- BUNDLE_DIR 高质量发展 exact [REPEAT]
//! ```

use gongkai_core::search::{
    shard_path, DateIndex, MatchMode, Options, Query, SearchMeta, SearchStep, Shard, Shards,
    DATES_PATH, META_PATH,
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
    let dates = DateIndex::decode(&read(DATES_PATH)).expect("dates.bin");
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
        match query
            .step(&meta, &shards, Some(&dates), 20)
            .expect("search")
        {
            SearchStep::Done(r) => break r,
            SearchStep::Fetch(v) => {
                rounds += 1;
                for i in v {
                    shards.insert(i, Shard::decode(read(&shard_path(i))).expect("shard"));
                }
            }
        }
    };
    let mut times: Vec<f64> = (0..repeat)
        .map(|_| {
            let t = Instant::now();
            let r = query.search_top(&meta, &shards, Some(&dates), 20).unwrap();
            assert_eq!(r.total, results.total);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{q} {}: {} hits, {rounds} rounds; search p50 {:.0} µs, min {:.0} µs over {repeat} runs",
        mode.as_str(),
        results.total,
        times[times.len() / 2],
        times[0]
    );
}
