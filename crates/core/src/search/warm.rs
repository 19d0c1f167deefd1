//! Warming the search code up before the reader's first query.
//!
//! A browser's WebAssembly engine first runs each function as quickly
//! compiled baseline code and recompiles it optimised only once it has run
//! for a while. So the first query of a visit took 3–5 ms in the lookup
//! instead of 0.5 ms (`bench/search/app.sh`; with the engine's tiering off,
//! 1.1 ms). [`warm_up`] runs the query code over a tiny built-in index
//! (`warm.bin`, about 5 KB) so that the app can do that work in idle time,
//! while the reader is still typing.
//!
//! `warm.bin` is built from the corpus of its tests by `warm_index_is_current`,
//! which fails when the format changes and the file was not rebuilt:
//! `GK_BLESS=1 cargo test -p gongkai-core --features build --lib warm`.

use super::format::{Reader, SearchFile, SearchMeta, Shards, META_PATH};
use super::query::{highlight_ranges, MatchMode, MatchStep, Options, Query, Scope, SortOrder};
use std::cell::OnceCell;

/// The built-in index: `GKW1`, the file count, then per file its path and
/// bytes (each length-prefixed).
const WARM: &[u8] = include_bytes!("warm.bin");

const MAGIC: &[u8; 4] = b"GKW1";

/// The queries run by [`warm_up`], one per call in turn: every path of the
/// query code (document lists, a frequent phrase's list, positions, fuzzy
/// terms with their bonuses, the title field).
const QUERIES: &[(&str, MatchMode, Scope)] = &[
    ("通知", MatchMode::Exact, Scope::Full),
    ("科技创新", MatchMode::Fuzzy, Scope::Full),
    ("公示期为七个工作日", MatchMode::Exact, Scope::Full),
    ("项目申报。", MatchMode::Exact, Scope::Full),
    ("科技 创新", MatchMode::Fuzzy, Scope::Full),
    ("的通知", MatchMode::Exact, Scope::Title),
    ("科技创新项目", MatchMode::Fuzzy, Scope::Full),
    ("资金的通知", MatchMode::Exact, Scope::Title),
];

/// The query of each of [`QUERIES`].
fn query(&(text, mode, scope): &(&str, MatchMode, Scope)) -> Option<Query> {
    let options = Options {
        mode,
        scope,
        ..Options::default()
    };
    Query::parse(text, options).ok()
}

thread_local! {
    static INDEX: OnceCell<Option<(SearchMeta, Shards)>> = const { OnceCell::new() };
}

fn decode(blob: &[u8]) -> Option<(SearchMeta, Shards)> {
    if blob.get(..4) != Some(MAGIC) {
        return None;
    }
    let mut r = Reader::new(blob);
    r.pos = 4;
    let n = r.varint().ok()?;
    let mut meta = None;
    let mut shards = Shards::default();
    for _ in 0..n {
        let len = r.varint().ok()? as usize;
        let path = std::str::from_utf8(&blob[r.take(len).ok()?]).ok()?;
        let len = r.varint().ok()? as usize;
        let bytes = &blob[r.take(len).ok()?];
        if path == META_PATH {
            meta = serde_json::from_slice(bytes).ok();
        } else {
            shards
                .load(SearchFile::from_path(path)?, bytes.to_vec())
                .ok()?;
        }
    }
    Some((meta?, shards))
}

/// Runs `runs` queries over the built-in index, as the app runs a reader's
/// query (every match, a page in both orders, the title marked), and
/// returns the number of matches seen (0 if the index would not decode,
/// which the test below rules out). Each run takes about 20 µs once the
/// code is optimised; a few hundred get it optimised.
pub fn warm_up(runs: usize) -> usize {
    INDEX.with(|cell| {
        let Some((meta, shards)) = cell.get_or_init(|| decode(WARM)) else {
            return 0;
        };
        let mut seen = 0;
        for i in 0..runs {
            let q = &QUERIES[i % QUERIES.len()];
            let Some(query) = query(q) else {
                continue;
            };
            let text = q.0;
            if let Ok(MatchStep::Done(matches)) = query.step_matches(meta, shards) {
                seen += matches.total();
                for sort in [SortOrder::Relevance, SortOrder::Date] {
                    seen += matches.top(sort, 20).hits.len();
                }
                seen += highlight_ranges(text, &query).len();
            }
        }
        seen
    })
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::super::format::put_varint;
    use super::*;
    use crate::search::{build_search_index_with, Layout, SearchDoc, Synonyms};

    /// Encodes search files as `warm.bin` does.
    fn encode(files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_varint(&mut out, files.len() as u64);
        for (path, bytes) in files {
            put_varint(&mut out, path.len() as u64);
            out.extend_from_slice(path.as_bytes());
            put_varint(&mut out, bytes.len() as u64);
            out.extend_from_slice(bytes);
        }
        out
    }

    /// The warm-up corpus: 512 short notices from six words, a stock
    /// clause in half of them (a frequent phrase with its own list). 512,
    /// not 64: a query's loops then run long enough for the engine to
    /// optimise them during the warm-up (with 64, the visit's first
    /// queries still had 1.1–2.5 ms stalls while it did; the file grew from
    /// 3.4 to 5.1 KB).
    fn corpus() -> Vec<(String, String, String)> {
        const WORDS: &[&str] = &["科技", "创新", "项目", "申报", "专项", "资金"];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        (0..512)
            .map(|i| {
                let title = format!("关于{}{}的通知", WORDS[next(6)], WORDS[next(6)]);
                let mut body = String::new();
                for _ in 0..2 {
                    for _ in 0..4 {
                        body.push_str(WORDS[next(6)]);
                    }
                    body.push('。');
                }
                if i % 2 == 0 {
                    body.push_str("公示期为七个工作日。");
                }
                let date = format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
                (title, body, date)
            })
            .collect()
    }

    fn build() -> Vec<u8> {
        let docs = corpus();
        let ids: Vec<String> = (0..docs.len()).map(|i| format!("w{i}")).collect();
        let search: Vec<SearchDoc<'_>> = docs
            .iter()
            .zip(&ids)
            .map(|((title, body, date), id)| SearchDoc {
                id,
                title,
                title_hant: None,
                summary: None,
                text: body,
                date,
                column: "zn",
                ..SearchDoc::default()
            })
            .collect();
        // Tiny shards, so that a term's shard holds little else, and only
        // the files the queries fetch.
        let layout = Layout {
            phrase_min_docs: 16,
            pos_inline_max: 64,
            target_shard_bytes: 64,
            ..Layout::default()
        };
        let all = build_search_index_with(&search, &Synonyms::default(), &layout);
        let file = |p: &str| all.iter().find(|f| f.0 == p).map(|f| f.1.clone()).unwrap();
        let meta: SearchMeta = serde_json::from_slice(&file(META_PATH)).unwrap();
        let mut shards = Shards::default();
        let mut used = std::collections::BTreeSet::new();
        for q in QUERIES {
            let query = query(q).unwrap();
            while let MatchStep::Fetch(need) = query.step_matches(&meta, &shards).unwrap() {
                for f in need {
                    shards.load(f, file(&f.path())).unwrap();
                    used.insert(f);
                }
            }
        }
        let mut files = vec![(META_PATH.to_owned(), file(META_PATH))];
        for f in used {
            files.push((f.path(), file(&f.path())));
        }
        encode(&files)
    }

    #[test]
    fn warm_index_is_current() {
        let built = build();
        if std::env::var_os("GK_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/search/warm.bin");
            std::fs::write(path, &built).unwrap();
        }
        assert!(
            built == WARM,
            "src/search/warm.bin is out of date: rebuild it with \
             GK_BLESS=1 cargo test -p gongkai-core --features build --lib warm"
        );
    }

    #[test]
    fn every_warm_up_query_runs_and_matches() {
        let (meta, shards) = decode(WARM).expect("warm.bin decodes");
        for q in QUERIES {
            match query(q).unwrap().step_matches(&meta, &shards).unwrap() {
                MatchStep::Done(m) => assert!(m.total() > 0, "{} finds nothing", q.0),
                MatchStep::Fetch(v) => panic!("{} needs files {v:?}", q.0),
            }
        }
        assert!(warm_up(QUERIES.len()) > 0);
    }

    #[test]
    fn the_warm_index_has_a_phrase_list_and_positions() {
        let (meta, shards) = decode(WARM).unwrap();
        let keys: Vec<String> = (0..meta.shards)
            .filter_map(|i| shards.get(i))
            .flat_map(|s| s.keys().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        assert!(
            keys.iter().any(|k| k == "fg公示期为七个工作日"),
            "the stock clause is a frequent phrase"
        );
        assert!(
            !keys.iter().any(|k| k == "fg项目申报。"),
            "a rarer phrase goes by positions"
        );
        assert!(WARM.len() < 16 * 1024, "warm.bin is {} bytes", WARM.len());
    }
}
