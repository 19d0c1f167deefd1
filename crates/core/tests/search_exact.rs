//! Exact search returns exactly the documents whose folded text contains the
//! folded query (brute force), for hundreds of generated queries; fuzzy search
//! returns only documents with every term, ranked sensibly.
#![cfg(feature = "build")]

use gongkai_core::date::PlainDate;
use gongkai_core::search::format::Shard;
use gongkai_core::search::text::normalize;
use gongkai_core::search::{
    build_search_index_with, latin_letters, IndexBuilder, IndexSummary, Layout, MatchMode,
    MatchStep, Numbering, Options, Query, QueryError, Scope, SearchDoc, SearchError, SearchFile,
    SearchMeta, SearchStep, Shards, SortOrder, Synonyms, META_PATH,
};
use std::collections::HashMap;

/// A 64-bit LCG (Knuth's MMIX constants): deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const PHRASES: &[&str] = &[
    "关于开展科技活动周的通知",
    "为深入贯彻落实创新驱动发展战略",
    "进一步激发全社会创新创业活力",
    "各乡镇、县直各部门要高度重视",
    "申报单位应当具有独立法人资格",
    "县科技局将会同相关部门组织专家进行评审",
    "公示期为七个工作日",
    "對弄虛作假、騙取財政資金的單位",
    "科學技術獎勵辦法",
    "政府信息公開條例",
    "联系电话：0938-3321234",
    "办公地址：武山县城关镇行政中心三楼",
    "Wi-Fi 6 覆盖率达到 95%",
    "ＧＤＰ增长７．５％",
    "第１２３号文件",
    "PDF 格式下载",
    "2023年度工作报告",
    "《中华人民共和国政府信息公开条例》",
    "乡村振兴和县域经济高质量发展",
    "科技特派员名单公告",
    "学习贯彻党的二十大精神",
    "發展和改革委員會",
    "数字政府 e-Gov 平台 API 接口",
    "哈哈哈哈",
    "a.b.c",
];

const SEPARATORS: &[&str] = &["，", "。", "；", "、", "\n", " ", "！", "：", ""];

fn gen_text(rng: &mut Lcg, parts: usize) -> String {
    let mut s = String::new();
    for _ in 0..parts {
        s.push_str(rng.pick(PHRASES));
        s.push_str(rng.pick(SEPARATORS));
    }
    s
}

#[derive(Clone)]
struct Doc {
    id: String,
    title: String,
    summary: Option<String>,
    text: String,
    date: String,
    column: &'static str,
}

impl Doc {
    /// The document as the index builder takes it.
    fn search_doc(&self) -> SearchDoc<'_> {
        SearchDoc {
            id: &self.id,
            title: &self.title,
            summary: self.summary.as_deref(),
            text: &self.text,
            date: &self.date,
            column: self.column,
            ..SearchDoc::default()
        }
    }
}

fn corpus(n: usize) -> Vec<Doc> {
    let mut rng = Lcg(42);
    (0..n)
        .map(|i| {
            let parts = 1 + rng.below(2);
            let title = gen_text(&mut rng, parts);
            let summary = (rng.below(3) == 0).then(|| gen_text(&mut rng, 1));
            let parts = 2 + rng.below(12);
            let text = gen_text(&mut rng, parts);
            // Newest first: dates decrease with the document number.
            let day = 28 - (i * 28 / n);
            Doc {
                id: format!("d{i}"),
                title,
                summary,
                text,
                date: format!("2024-03-{day:02}"),
                column: ["zn", "fdzdgknr", "nb"][rng.below(3)],
            }
        })
        .collect()
}

#[derive(Clone)]
struct Index {
    meta: SearchMeta,
    files: HashMap<String, Vec<u8>>,
}

impl Index {
    /// The bytes of a file the query asked for.
    fn bytes(&self, f: SearchFile) -> Vec<u8> {
        self.files[&f.path()].clone()
    }
}

fn index(docs: &[Doc]) -> Index {
    index_with(docs, &Layout::default())
}

/// Limits so small that nearly every list has its own file and positions
/// come in many blocks: every path of the reader on a small corpus.
/// Phrase lists, from a sample, for every phrase in two documents or more.
const TINY: Layout = Layout {
    docs_inline_max: 8,
    pos_inline_max: 4,
    pos_block_bytes: 48,
    target_shard_bytes: 512,
    phrase_min_docs: 2,
    phrase_share: usize::MAX,
    phrase_sample: 64,
    dictionary: true,
};

/// The default sizes without phrase lists: every long exact query checks
/// positions.
fn no_phrases() -> Layout {
    Layout {
        phrase_share: 0,
        ..Layout::default()
    }
}

/// Phrase lists for phrases in a tenth of the documents, from every document.
fn dense_phrases(n: usize) -> Layout {
    Layout {
        phrase_min_docs: 2,
        phrase_share: 10,
        phrase_sample: n,
        ..Layout::default()
    }
}

/// Stored keys of frequent phrases (longer than 4 characters) in the index.
fn phrase_keys(idx: &Index) -> usize {
    (0..idx.meta.shards)
        .map(|i| Shard::decode(idx.bytes(SearchFile::Shard(i))).unwrap())
        .map(|s| {
            s.keys()
                .filter(|k| {
                    k.starts_with(['t', 'f']) && k[1..].starts_with('g') && k.chars().count() > 6
                })
                .count()
        })
        .sum()
}

fn index_with(docs: &[Doc], layout: &Layout) -> Index {
    let sd: Vec<SearchDoc<'_>> = docs.iter().map(Doc::search_doc).collect();
    let files: HashMap<String, Vec<u8>> =
        build_search_index_with(&sd, &Synonyms::default(), layout)
            .into_iter()
            .collect();
    let meta: SearchMeta = serde_json::from_slice(&files[META_PATH]).unwrap();
    for path in files.keys() {
        if let Some(f) = SearchFile::from_path(path) {
            assert_eq!(path, &f.path());
        }
    }
    Index { meta, files }
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Brute force: document numbers whose folded field contains the folded query.
fn truth(docs: &[Doc], q: &str, scope: Scope) -> Vec<u32> {
    let nq = normalize(q.trim());
    (0..docs.len() as u32)
        .filter(|&i| {
            let d = &docs[i as usize];
            let mut parts = vec![normalize(&d.title)];
            if scope == Scope::Full {
                parts.push(normalize(d.summary.as_deref().unwrap_or("")));
                parts.push(normalize(&d.text));
            }
            parts.iter().any(|p| contains(p, &nq))
        })
        .collect()
}

/// Runs `q` the way the app does: fetch what [`Query::step`] asks for
/// until it has every file (searching before then names a missing one),
/// then every match in the query's order; a page of them, the app's kept
/// matches and any page cut from them agree.
fn run(idx: &Index, q: &Query) -> Vec<u32> {
    let mut loaded = Shards::default();
    let mut rounds = 0;
    let r = loop {
        match q.step(&idx.meta, &loaded, usize::MAX).unwrap() {
            SearchStep::Fetch(files) => {
                assert!(!files.is_empty(), "step asks for something or is done");
                assert!(
                    matches!(
                        q.search_top(&idx.meta, &loaded, 20),
                        Err(SearchError::Missing(f)) if files.contains(&f)
                    ),
                    "search before every file is loaded names a missing one"
                );
                for f in files {
                    assert!(!loaded.has(f), "file {f:?} asked for twice");
                    loaded.load(f, idx.bytes(f)).unwrap();
                }
                rounds += 1;
                assert!(rounds <= 4, "at most shards, lists, positions");
            }
            SearchStep::Done(r) => break r,
        }
    };
    assert_eq!(r.total, r.hits.len());
    // A page's worth (what the app asks for) is the same prefix, same count.
    for limit in [0, 1, 20] {
        let top = q.search_top(&idx.meta, &loaded, limit).unwrap();
        assert_eq!(top.total, r.total, "search_top({limit}) counts every match");
        assert_eq!(
            top.hits,
            r.hits[..limit.min(r.hits.len())],
            "search_top({limit}) is the first {limit} of every match"
        );
    }
    // Every match kept (what the app caches): any page in either order is
    // what search_top returns for that order. The app's loop also loads
    // the column file (counts per 栏目) and, for few results, dictionary
    // entries (suggestions).
    let mut kept = Shards::default();
    let mut rounds = 0;
    let matches = loop {
        match q.step_matches(&idx.meta, &kept).unwrap() {
            MatchStep::Fetch(files) => {
                for f in files {
                    assert!(!kept.has(f), "file {f:?} asked for twice");
                    kept.load(f, idx.bytes(f)).unwrap();
                }
                rounds += 1;
                assert!(rounds <= 6, "step_matches ends");
            }
            MatchStep::Done(m) => break m,
        }
    };
    assert_eq!(matches.total(), r.total, "step_matches keeps every match");
    let counted: usize = matches.columns().iter().map(|c| c.1).sum();
    if q.options().column.is_none() {
        assert_eq!(counted, r.total, "the counts per column add up");
    }
    for sort in [SortOrder::Relevance, SortOrder::Date] {
        let mut other = q.options().clone();
        other.sort = sort;
        let q2 = Query::parse(q.text(), other).unwrap();
        for limit in [0, 1, 20, 40] {
            let want = q2.search_top(&idx.meta, &kept, limit).unwrap();
            assert_eq!(
                matches.top(sort, limit),
                want,
                "Matches::top({sort}, {limit})"
            );
        }
    }
    r.hits.iter().map(|h| h.doc).collect()
}

/// Simplified ↔ traditional swaps, so queries use the other script.
const SWAPS: &[(char, char)] = &[
    ('学', '學'),
    ('发', '發'),
    ('开', '開'),
    ('条', '條'),
    ('财', '財'),
    ('资', '資'),
    ('县', '縣'),
    ('单', '單'),
    ('术', '術'),
    ('报', '報'),
    ('A', 'Ａ'),
    ('2', '２'),
    ('f', 'F'),
];

fn queries(docs: &[Doc]) -> Vec<String> {
    let mut rng = Lcg(7);
    let mut out = Vec::new();
    // Substrings of the corpus, 1–12 characters, in every field.
    for _ in 0..500 {
        let d = &docs[rng.below(docs.len())];
        let src = match rng.below(4) {
            0 => &d.title,
            1 => d.summary.as_ref().unwrap_or(&d.text),
            _ => &d.text,
        };
        let chars: Vec<char> = src.chars().collect();
        let len = 1 + rng.below(12);
        if chars.len() < len {
            continue;
        }
        let start = rng.below(chars.len() - len + 1);
        let mut q: String = chars[start..start + len].iter().collect();
        if rng.below(3) == 0 {
            // The other script / width / case.
            q = q
                .chars()
                .map(|c| {
                    SWAPS
                        .iter()
                        .find_map(|&(a, b)| (a == c).then_some(b).or((b == c).then_some(a)))
                        .unwrap_or(c)
                })
                .collect();
        }
        out.push(q);
    }
    // Long substrings (5–40 characters: verified with positions), often
    // across phrase and sentence boundaries.
    for _ in 0..150 {
        let d = &docs[rng.below(docs.len())];
        let chars: Vec<char> = d.text.chars().collect();
        let len = 5 + rng.below(36);
        if chars.len() < len {
            continue;
        }
        let start = rng.below(chars.len() - len + 1);
        out.push(chars[start..start + len].iter().collect());
    }
    // Random strings over the corpus alphabet: mostly misses, some hits.
    let alphabet: Vec<char> = PHRASES.concat().chars().collect();
    for _ in 0..200 {
        let len = 1 + rng.below(4);
        out.push(
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect(),
        );
    }
    // Hand-picked: sentence boundaries, Latin, digits, traditional, repeats.
    for q in [
        "通知。",
        "。县科技局",
        "工作日，联系",
        "科学",
        "科學技術",
        "信息公开条例",
        "wi-fi 6",
        "WI-FI",
        "95%",
        "7.5",
        "０９３８",
        "e-gov",
        "api",
        "哈哈哈",
        "哈哈哈哈哈",
        "a.b",
        "b.c",
        "6 覆盖",
        "pdf格式",
        "2023年",
        "发展和改革",
        "條例》",
        "名单公告科技",
        // 1 and 2 characters, frequent and rare.
        "科",
        "哈",
        "6",
        "e-",
        "科学技术奖励",
        // A rare character next to frequent ones (rare + frequent lists).
        "县城关镇行政中心",
        "哈哈科学",
        "科技特派员名单公告关于开展",
        // Near misses: every 4-gram of the cover occurs, not in a row.
        "开展科技活动周的通知科技",
        "关于开展科技特派员",
    ] {
        out.push(q.to_owned());
    }
    out
}

#[test]
fn exact_mode_matches_brute_force() {
    let docs = corpus(400);
    exact_matches_brute_force(&docs, &index(&docs));
}

/// Positions only, and phrase lists of the densest phrases from all
/// documents: both answer every query exactly.
#[test]
fn exact_mode_matches_brute_force_with_and_without_phrase_lists() {
    let docs = corpus(400);
    let none = index_with(&docs, &no_phrases());
    assert_eq!(phrase_keys(&none), 0);
    exact_matches_brute_force(&docs, &none);
    let dense = index_with(&docs, &dense_phrases(docs.len()));
    assert!(
        phrase_keys(&dense) > 50,
        "{} phrase lists",
        phrase_keys(&dense)
    );
    exact_matches_brute_force(&docs, &dense);
}

/// The same with every list in its own file and positions in small blocks.
#[test]
fn exact_mode_matches_brute_force_external_lists_and_blocks() {
    let docs = corpus(400);
    let idx = index_with(&docs, &TINY);
    let own_files = (idx.files.keys())
        .filter_map(|p| match SearchFile::from_path(p) {
            Some(SearchFile::Shard(i)) => Some(i),
            _ => None,
        })
        .filter(|&i| i > idx.meta.shards)
        .count();
    assert!(own_files > 500, "{own_files} files of lists and blocks");
    assert!(
        phrase_keys(&idx) > 500,
        "{} phrase lists",
        phrase_keys(&idx)
    );
    exact_matches_brute_force(&docs, &idx);
}

fn exact_matches_brute_force(docs: &[Doc], idx: &Index) {
    let mut checked = 0;
    let mut nonempty = 0;
    for q in queries(docs) {
        for scope in [Scope::Full, Scope::Title] {
            let opts = Options {
                scope,
                mode: MatchMode::Exact,
                sort: SortOrder::Date,
                ..Options::default()
            };
            // Latin letters alone may also be pinyin: their expansions
            // (the site's title words) are beyond brute force.
            if latin_letters(&q).is_some() {
                continue;
            }
            match Query::parse(&q, opts) {
                Ok(query) => {
                    let want = truth(docs, &q, scope);
                    let got = run(idx, &query);
                    assert_eq!(got, want, "query {q:?}, scope {scope}");
                    checked += 1;
                    nonempty += usize::from(!want.is_empty());
                }
                Err(QueryError::NoWords | QueryError::Blank) => {
                    assert!(
                        !normalize(&q).iter().any(|c| c.is_alphanumeric()),
                        "{q:?} refused but has words"
                    );
                }
                Err(e) => panic!("{q:?}: {e}"),
            }
        }
    }
    assert!(checked > 1000, "only {checked} query runs");
    assert!(nonempty > 600, "only {nonempty} runs with matches");
}

#[test]
fn exact_with_filters_and_relevance() {
    let docs = corpus(300);
    let idx = index(&docs);
    let d = |day| PlainDate {
        year: 2024,
        month: 3,
        day,
    };
    for q in ["科技", "开展科技活动", "0938", "發展"] {
        let all = truth(&docs, q, Scope::Full);
        let opts = Options {
            column: Some("nb".to_owned()),
            from: Some(d(5)),
            to: Some(d(20)),
            ..Options::default()
        };
        let query = Query::parse(q, opts).unwrap();
        let mut got = run(&idx, &query);
        got.sort_unstable();
        let want: Vec<u32> = all
            .into_iter()
            .filter(|&i| {
                let doc = &docs[i as usize];
                doc.column == "nb"
                    && doc.date.as_str() >= "2024-03-05"
                    && doc.date.as_str() <= "2024-03-20"
            })
            .collect();
        assert_eq!(got, want, "{q}");
    }
    // Relevance order returns the same set as date order.
    let by = |sort| {
        let q = Query::parse(
            "科技",
            Options {
                sort,
                ..Options::default()
            },
        )
        .unwrap();
        run(&idx, &q)
    };
    let (date, mut rel) = (by(SortOrder::Date), by(SortOrder::Relevance));
    assert!(
        date.windows(2).all(|w| w[0] < w[1]),
        "date order is newest first"
    );
    rel.sort_unstable();
    assert_eq!(rel, date);
}

fn small(docs: &[(&str, &str)]) -> (Vec<Doc>, Index) {
    let docs: Vec<Doc> = docs
        .iter()
        .enumerate()
        .map(|(i, (t, b))| Doc {
            id: format!("d{i}"),
            title: (*t).to_owned(),
            summary: None,
            text: (*b).to_owned(),
            date: "2024-01-01".to_owned(),
            column: "zn",
        })
        .collect();
    let idx = index(&docs);
    (docs, idx)
}

fn fuzzy(idx: &Index, q: &str) -> Vec<u32> {
    let opts = Options {
        mode: MatchMode::Fuzzy,
        ..Options::default()
    };
    run(idx, &Query::parse(q, opts).unwrap())
}

#[test]
fn fuzzy_returns_docs_with_every_term() {
    let docs = corpus(300);
    let idx = index(&docs);
    for q in [
        "科技 通知",
        "评审 專家",
        "政府 条例 公开",
        "wi fi",
        "2023 报告",
        "乡村 高质量",
    ] {
        let terms: Vec<Vec<char>> = q.split(' ').map(normalize).collect();
        let got = fuzzy(&idx, q);
        let want: Vec<u32> = (0..docs.len() as u32)
            .filter(|&i| {
                let d = &docs[i as usize];
                let full = normalize(&format!(
                    "{}\n{}\n{}",
                    d.title,
                    d.summary.as_deref().unwrap_or(""),
                    d.text
                ));
                terms.iter().all(|t| {
                    // A CJK term: all its bigrams; a Latin word: as a word.
                    if t[0].is_ascii() {
                        full.split(|c| !c.is_ascii_alphanumeric())
                            .any(|w| w == t.as_slice())
                    } else {
                        t.windows(2).all(|w| contains(&full, w))
                    }
                })
            })
            .collect();
        let mut sorted = got.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, want, "{q}");
        assert!(!got.is_empty(), "{q} should match something");
    }
}

#[test]
fn title_hit_outranks_body_only_hit() {
    let filler = "各单位要加强宣传引导，充分利用各类媒体。";
    let (_, idx) = small(&[
        ("工作安排", &format!("{filler}关于评审的说明。{filler}")),
        ("评审结果公示", &format!("{filler}{filler}")),
    ]);
    for q in ["评审", "评审 公示"] {
        let got = fuzzy(&idx, q);
        assert_eq!(got.first(), Some(&1), "{q}: title hit first, got {got:?}");
    }
    let exact = run(&idx, &Query::parse("评审", Options::default()).unwrap());
    assert_eq!(exact, [1, 0]);
}

/// When a term is in nearly every title, its title list is a bitmap
/// without impacts, and so is its full-text list: the title boost must still
/// lift exactly the documents whose title has it (the engine keeps such
/// lists as bitmaps and finds the title hits by AND).
#[test]
fn title_boost_with_dense_bitmap_lists() {
    let filler = "各单位要加强宣传引导，充分利用各类媒体。";
    let mut docs: Vec<(String, String)> = vec![(
        "工作安排".to_owned(),
        format!("{filler}通知通知通知{filler}"),
    )];
    for i in 1..40 {
        docs.push((format!("第{i}号通知"), format!("{filler}{filler}")));
    }
    let refs: Vec<(&str, &str)> = docs.iter().map(|(t, b)| (t.as_str(), b.as_str())).collect();
    let (_, idx) = small(&refs);
    for mode in [MatchMode::Fuzzy, MatchMode::Exact] {
        let q = Query::parse(
            "通知",
            Options {
                mode,
                ..Options::default()
            },
        )
        .unwrap();
        let got = run(&idx, &q);
        assert_eq!(got.len(), 40, "{mode:?}: every notice has 通知");
        // Document 0 is the newest, so without the boost it would lead
        // the ties; its title lacks the term, so it comes last.
        assert_eq!(
            got.last(),
            Some(&0),
            "{mode:?}: the body-only hit last, got {got:?}"
        );
        assert_eq!(got[..39], (1..40).collect::<Vec<u32>>()[..], "{mode:?}");
    }
}

#[test]
fn closer_terms_rank_higher() {
    let filler = "各单位要加强宣传引导，充分利用各类媒体，营造良好氛围。";
    // Format 2 keeps no bigram positions: "close" means side by side (the
    // 4-gram across the two terms), not a distance.
    let far = format!("科技{filler}{filler}{filler}活动");
    let near = format!("科技活动{filler}{filler}{filler}");
    let (_, idx) = small(&[("通知一", &far), ("通知二", &near)]);
    assert_eq!(fuzzy(&idx, "科技 活动"), [1, 0]);
    // A term written as typed beats its characters scattered.
    let (_, idx) = small(&[
        ("通知一", &format!("技术{filler}科技{filler}")),
        ("通知二", &format!("科技术{filler}{filler}")),
    ]);
    assert_eq!(fuzzy(&idx, "科技术"), [1, 0]);
}

/// A frequent phrase whose 4-grams are also found apart, in other
/// documents: its list, not the 4-grams, decides; with or without lists.
#[test]
fn phrase_lists_answer_exactly_where_the_grams_occur_apart() {
    let docs: Vec<Doc> = (0..60)
        .map(|i| Doc {
            id: format!("d{i}"),
            title: format!("通知{i}"),
            summary: None,
            text: match i % 3 {
                0 => "推动高质量发展，建设美丽家园。".to_owned(),
                1 => "高质量发，质量发展；高质量，发展。".to_owned(),
                _ => "高质量发展".chars().rev().collect(),
            },
            date: "2024-01-01".to_owned(),
            column: "zn",
        })
        .collect();
    let opts = Options {
        mode: MatchMode::Exact,
        ..Options::default()
    };
    for layout in [no_phrases(), dense_phrases(docs.len()), TINY] {
        let idx = index_with(&docs, &layout);
        for q in [
            "高质量发展",
            "推动高质量发展",
            "质量发展，建设美丽",
            "高质量发，质量发展；高质量",
        ] {
            let want = truth(&docs, q, Scope::Full);
            assert_eq!(want.len(), 20, "{q}");
            assert_eq!(
                run(&idx, &Query::parse(q, opts.clone()).unwrap()),
                want,
                "{q} {layout:?}"
            );
        }
    }
}

/// Applies one edit of the incremental tests to `docs` (`k`: its step).
fn edit_docs(docs: &mut Vec<Doc>, edit: &str, k: usize) {
    let mut rng = Lcg(100 + k as u64);
    match edit {
        // Titles of other notices: a new word in a title would
        // add pinyin expansions, which brute force does not model.
        "add newest" => docs.insert(
            0,
            Doc {
                id: format!("new{k}"),
                title: docs[5 + k].title.clone(),
                summary: None,
                text: gen_text(&mut rng, 8),
                date: "2024-03-29".to_owned(),
                column: "zn",
            },
        ),
        "add mid-list" => {
            let date = docs[200].date.clone();
            docs.insert(
                200,
                Doc {
                    id: format!("new{k}"),
                    title: docs[17].title.clone(),
                    summary: Some(gen_text(&mut rng, 1)),
                    text: gen_text(&mut rng, 6),
                    date,
                    column: "nb",
                },
            );
        }
        "change" => docs[100 + k].text = gen_text(&mut rng, 5),
        "change title" => docs[60 + k].title = docs[7].title.clone(),
        "delete" => {
            docs.remove(300 - k);
        }
        _ => panic!("no such edit: {edit}"),
    }
}

/// Writes the files of `index` to a fresh temporary folder named after
/// `prefix`, as a build leaves them in its output folder.
fn in_folder(prefix: &str, index: &Index) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "{prefix}-{}-{:x}",
        std::process::id(),
        index.files.len() * 7919 + index.meta.docs as usize
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, bytes) in &index.files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

/// Builds `docs` in delta mode over the build `previous` (its files
/// written to a folder, as a rebuild reads its output folder).
fn delta_rebuild(docs: &[Doc], layout: &Layout, previous: &Index) -> (Index, IndexSummary) {
    let dir = in_folder("gongkai-search-delta", previous);
    let mut b = IndexBuilder::with_layout(Synonyms::default(), *layout, usize::MAX);
    b.delta(&dir).unwrap();
    let built = finish_into(b, docs);
    std::fs::remove_dir_all(&dir).unwrap();
    built
}

/// Pushes `docs` into `b` and finishes it into an in-memory [`Index`].
fn finish_into(mut b: IndexBuilder, docs: &[Doc]) -> (Index, IndexSummary) {
    for d in docs {
        b.push(&d.search_doc()).unwrap();
    }
    let mut files = HashMap::new();
    let summary = b
        .finish(|p, bytes| {
            files.insert(p, bytes);
            Ok(())
        })
        .unwrap();
    let meta: SearchMeta = serde_json::from_slice(&files[META_PATH]).unwrap();
    (Index { meta, files }, summary)
}

/// Issue 21, the delta segment: a rebuild keeps every term file of the
/// base as it is (same bytes) and writes the added and changed notices'
/// terms beside it, one edit after another over the same base; each
/// answers exact queries as brute force does and every query as a fresh
/// build. Past its share, the delta folds into a whole index.
#[test]
fn delta_rebuilds_match_brute_force_and_a_fresh_build() {
    for (layout, name) in [(Layout::default(), "default"), (TINY, "tiny")] {
        let mut docs = corpus(400);
        let base_docs = docs.clone();
        let (base, s) = rebuild_with(&docs, &layout, None);
        assert!(!s.delta);
        let mut prev = base.clone();
        let edits = [
            "add newest",
            "add mid-list",
            "change",
            "delete",
            "change title",
            "add newest",
        ];
        for (k, edit) in edits.into_iter().enumerate() {
            edit_docs(&mut docs, edit, k);
            let (inc, s) = delta_rebuild(&docs, &layout, &prev);
            assert!(s.delta, "{name}, {edit}: a delta segment");
            let d = inc.meta.delta.expect("meta names the delta");
            // Every base file is handed on with the same bytes.
            for (path, bytes) in &base.files {
                let number = path
                    .strip_prefix("search/shard/")
                    .and_then(|p| p.strip_suffix(".bin"))
                    .and_then(|p| p.parse::<u32>().ok());
                if number.is_some_and(|i| i < d.first) || path == gongkai_core::search::BASE_PATH {
                    assert_eq!(inc.files.get(path), Some(bytes), "{name}, {edit}: {path}");
                }
            }
            let (fresh, _) = rebuild_with(&docs, &layout, None);
            eprintln!(
                "{name}, {edit}: {} of {} search files written (delta: {} term shards)",
                written(&prev, &inc),
                inc.files.len(),
                d.shards
            );
            exact_matches_brute_force(&docs, &inc);
            same_results(&docs, &inc, &fresh, &format!("{name}, delta {k} {edit}"));
            prev = inc;
        }
        // Nothing changed since the base: the base's files as they were.
        let (same, s) = delta_rebuild(&base_docs, &layout, &prev);
        assert!(!s.delta && same.meta.delta.is_none(), "{name}: no delta");
        assert!(same.files == base.files, "{name}: the base build's files");
        // Several in a row, then past the share: a whole index again.
        for k in 6..12 {
            edit_docs(&mut docs, "change", k);
        }
        let (folded, s) = delta_rebuild(&docs, &layout, &prev);
        assert!(!s.delta && folded.meta.delta.is_none(), "{name}: folded");
        let (fresh, _) = rebuild_with(&docs, &layout, None);
        exact_matches_brute_force(&docs, &folded);
        same_results(&docs, &folded, &fresh, &format!("{name}, folded"));
        // The fold is a base again.
        edit_docs(&mut docs, "delete", 12);
        let (inc, s) = delta_rebuild(&docs, &layout, &folded);
        assert!(s.delta, "{name}: a delta over the folded base");
        let (fresh, _) = rebuild_with(&docs, &layout, None);
        exact_matches_brute_force(&docs, &inc);
        same_results(&docs, &inc, &fresh, &format!("{name}, after the fold"));
    }
}

/// Builds `docs` with `layout`, numbering them as the build in `previous`
/// did (its files written to a folder and read back, as a rebuild reads
/// its output folder).
fn rebuild_with(docs: &[Doc], layout: &Layout, previous: Option<&Index>) -> (Index, IndexSummary) {
    let mut b = IndexBuilder::with_layout(Synonyms::default(), *layout, usize::MAX);
    if let Some(prev) = previous {
        let dir = in_folder("gongkai-search-exact", prev);
        let numbering = Numbering::read(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(numbering.len(), prev.meta.docs as usize);
        b = b.numbering(numbering);
    }
    finish_into(b, docs)
}

/// The files of `new` that `old` did not have with the same bytes.
fn written(old: &Index, new: &Index) -> usize {
    new.files
        .iter()
        .filter(|(p, b)| old.files.get(*p) != Some(*b))
        .count()
}

/// Every query in every mode, scope and order: the same documents in the
/// same order (hence the same scores) from both indexes.
fn same_results(docs: &[Doc], a: &Index, b: &Index, what: &str) {
    let mut rng = Lcg(11);
    let qs = queries(docs);
    for q in qs.iter().filter(|_| rng.below(4) == 0) {
        for mode in [MatchMode::Exact, MatchMode::Fuzzy] {
            for scope in [Scope::Full, Scope::Title] {
                for sort in [SortOrder::Relevance, SortOrder::Date] {
                    let opts = Options {
                        scope,
                        mode,
                        sort,
                        ..Options::default()
                    };
                    let Ok(query) = Query::parse(q, opts) else {
                        continue;
                    };
                    assert_eq!(
                        run(a, &query),
                        run(b, &query),
                        "{what}: {q:?} {mode} {scope} {sort}"
                    );
                }
            }
        }
    }
}

/// Issue 21: a rebuild keeps every notice's number, so adding (newest or
/// mid-list), changing or deleting one notice rewrites few search files;
/// each incremental index, built from the previous one's output, answers
/// exact queries as brute force does and every query as a fresh build.
#[test]
fn incremental_rebuilds_match_brute_force_and_a_fresh_build() {
    for (layout, name) in [(Layout::default(), "default"), (TINY, "tiny")] {
        let mut docs = corpus(400);
        let (mut prev, s) = rebuild_with(&docs, &layout, None);
        assert!(
            !s.stable && !prev.meta.order,
            "a fresh build numbers by rank"
        );
        let edits = [
            "add newest",
            "add mid-list",
            "change",
            "delete",
            "add newest",
        ];
        for (k, edit) in edits.into_iter().enumerate() {
            edit_docs(&mut docs, edit, k);
            let (inc, s) = rebuild_with(&docs, &layout, Some(&prev));
            assert!(s.stable && inc.meta.order, "{name}, {edit}: stable numbers");
            let (fresh, _) = rebuild_with(&docs, &layout, None);
            let w = written(&prev, &inc);
            let renumbered = written(&prev, &fresh);
            eprintln!(
                "{name}, {edit}: {w} of {} search files written; numbered by rank: {renumbered}",
                inc.files.len()
            );
            // Only the notice's terms' shards and files, the document
            // table from its rank on, dates, columns, order and meta
            // change; numbers by rank rewrite most files after an added or
            // deleted notice.
            if edit != "change" {
                assert!(
                    w * 2 < renumbered,
                    "{name}, {edit}: {w} files written, {renumbered} by rank"
                );
            }
            exact_matches_brute_force(&docs, &inc);
            same_results(&docs, &inc, &fresh, &format!("{name}, {edit}"));
            prev = inc;
        }
    }
}

/// Deleting more than one number in eight folds the numbers: the rebuild
/// numbers by rank again, like a fresh build, and still answers exactly.
#[test]
fn many_deletions_fold_the_numbers_back_into_ranks() {
    let mut docs = corpus(200);
    let (prev, _) = rebuild_with(&docs, &TINY, None);
    docs.remove(150);
    let (one, s) = rebuild_with(&docs, &TINY, Some(&prev));
    assert!(s.stable && one.meta.order);
    let mut i = 0;
    docs.retain(|_| {
        i += 1;
        i % 6 != 0
    });
    let (folded, s) = rebuild_with(&docs, &TINY, Some(&one));
    assert!(!s.stable && !folded.meta.order, "folded into ranks");
    assert!(!folded.files.contains_key(gongkai_core::search::ORDER_PATH));
    let (fresh, _) = rebuild_with(&docs, &TINY, None);
    assert_eq!(folded.files.len(), fresh.files.len());
    exact_matches_brute_force(&docs, &folded);
    same_results(&docs, &folded, &fresh, "folded");
}
