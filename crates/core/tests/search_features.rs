//! The search features of issue 20, each against a truth computed here
//! independently of the engine: every title finds its own notice first;
//! 文号 and 索引号 in any common form; pinyin (全拼, 首字母) against a
//! brute-force reading of the vocabulary; synonyms in 模糊 only;
//! 您是不是要找; counts per 栏目.
#![cfg(feature = "build")]

use gongkai_core::build::{BuildOptions, HantVariant};
use gongkai_core::bundle::Variant;
use gongkai_core::convert::s2t;
use gongkai_core::feed::Feed;
use gongkai_core::search::text::normalize;
use gongkai_core::search::{
    build_search_index, chunk_path, DocChunk, ExpansionKind, MatchMode, MatchStep, Matches,
    Options, Query, Scope, SearchDoc, SearchFile, SearchMeta, SearchStep, Shards, SortOrder,
    Synonyms, Tier, META_PATH,
};
use gongkai_core::stage::build_bundle;
use pinyin::ToPinyinMulti;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A built index in memory, with the loaded files kept across queries as
/// the app keeps them.
struct Index {
    meta: SearchMeta,
    files: HashMap<String, Vec<u8>>,
    loaded: Shards,
}

impl Index {
    fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Index {
        let files: HashMap<String, Vec<u8>> = files
            .into_iter()
            .filter(|(p, _)| p.starts_with("search/"))
            .collect();
        let meta = serde_json::from_slice(&files[META_PATH]).unwrap();
        Index {
            meta,
            files,
            loaded: Shards::default(),
        }
    }

    fn of_docs(docs: &[SearchDoc<'_>], synonyms: &Synonyms) -> Index {
        Index::new(build_search_index(docs, synonyms))
    }

    fn load(&mut self, files: Vec<SearchFile>) {
        for f in files {
            let bytes = self.files[&f.path()].clone();
            self.loaded.load(f, bytes).unwrap();
        }
    }

    /// The app's loop: every match, with counts, expansions and suggestions.
    fn matches(&mut self, q: &Query) -> Matches {
        for _ in 0..8 {
            match q.step_matches(&self.meta, &self.loaded).unwrap() {
                MatchStep::Fetch(f) => self.load(f),
                MatchStep::Done(m) => return m,
            }
        }
        panic!("{:?} keeps asking for files", q.text());
    }

    /// The first `limit` hits in relevance order ([`Query::step`]).
    fn top(&mut self, q: &Query, limit: usize) -> Vec<u32> {
        for _ in 0..8 {
            match q.step(&self.meta, &self.loaded, limit).unwrap() {
                SearchStep::Fetch(f) => self.load(f),
                SearchStep::Done(r) => return r.hits.iter().map(|h| h.doc).collect(),
            }
        }
        panic!("{:?} keeps asking for files", q.text());
    }

    /// Item ids by document number, from the document table.
    fn ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for c in 0..self.meta.chunk_count() {
            let chunk: DocChunk =
                serde_json::from_slice(&self.files[&chunk_path(c, Variant::Hans)]).unwrap();
            ids.extend(chunk.docs.into_iter().map(|d| d.id));
        }
        ids
    }
}

fn query(text: &str, mode: MatchMode) -> Query {
    Query::parse(
        text,
        Options {
            mode,
            ..Options::default()
        },
    )
    .unwrap()
}

fn sample_feed() -> Feed {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/feed.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn built_sample() -> (Feed, Index) {
    let feed = sample_feed();
    let out = build_bundle(
        &feed,
        &BuildOptions {
            built_at: 0,
            hant: HantVariant::Convert,
        },
    )
    .unwrap();
    (feed, Index::new(out.files))
}

/// A 64-bit LCG: deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Checks that searching each title with the default options (全文, 精确,
/// 相关度) ranks its notice first, ties (the same title) by date: the
/// notice comes at its place among the documents with its title.
fn every_title_first(idx: &mut Index, titles: &[String], script: impl Fn(&str) -> String) {
    let mut same: HashMap<Vec<char>, Vec<u32>> = HashMap::new();
    for (d, t) in titles.iter().enumerate() {
        same.entry(normalize(t)).or_default().push(d as u32);
    }
    for (d, t) in titles.iter().enumerate() {
        let twins = &same[&normalize(t)];
        let place = twins.iter().position(|&x| x == d as u32).unwrap();
        let q = Query::parse(&script(t), Options::default()).unwrap();
        let top = idx.top(&q, place + 1);
        assert_eq!(
            top.get(place),
            Some(&(d as u32)),
            "title {t:?} (document {d}) should come at {place}, got {top:?}"
        );
        assert_eq!(&top[..place], &twins[..place], "{t:?}: its twins first");
    }
}

#[test]
fn every_title_finds_its_notice_first_in_the_sample_feed() {
    let (_, mut idx) = built_sample();
    let ids = idx.ids();
    let feed = sample_feed();
    let titles: Vec<String> = ids
        .iter()
        .map(|id| {
            feed.items
                .iter()
                .find(|i| &i.id == id)
                .unwrap()
                .title
                .clone()
        })
        .collect();
    every_title_first(&mut idx, &titles, str::to_owned);
    // 繁體 readers type their script; the index folds it.
    every_title_first(&mut idx, &titles, s2t);
}

/// Titles that overlap on purpose: one is another's prefix or suffix, the
/// same title twice, bodies that repeat other notices' titles many times
/// (more occurrences than the notice itself has).
fn overlapping_corpus(n: usize) -> Vec<(String, String)> {
    const PLACES: &[&str] = &["武山县", "洛门镇", "城关镇", "天水市", ""];
    const SUBJECTS: &[&str] = &[
        "科技活动周",
        "科技特派员",
        "专利资助",
        "高新技术企业认定",
        "科技创新项目",
        "农业技术推广",
        "安全生产检查",
        "政府信息公开",
        "营商环境",
        "乡村振兴",
    ];
    const KINDS: &[&str] = &[
        "的通知",
        "的公示",
        "的公告",
        "",
        "工作方案",
        "的通知（第二批）",
    ];
    let mut rng = Lcg(20);
    let mut titles: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let t = match rng.below(10) {
            // A title seen before, exactly.
            0 if !titles.is_empty() => titles[rng.below(titles.len())].clone(),
            // Another title with more before or after it.
            1 if !titles.is_empty() => {
                let t = &titles[rng.below(titles.len())];
                if rng.below(2) == 0 {
                    format!("关于转发{t}")
                } else {
                    format!("{t}的补充通知")
                }
            }
            _ => format!(
                "关于{}开展{}{}",
                rng.pick(PLACES),
                rng.pick(SUBJECTS),
                rng.pick(KINDS)
            ),
        };
        titles.push(t);
    }
    (0..n)
        .map(|i| {
            let other = &titles[rng.below(n)];
            let body = format!("{other}。{other}，{other}。各单位：现将有关事项通知如下。{other}");
            (titles[i].clone(), body)
        })
        .collect()
}

#[test]
fn every_title_finds_its_notice_first_in_10000_generated_notices() {
    let corpus = overlapping_corpus(10_000);
    let docs: Vec<SearchDoc<'_>> = corpus
        .iter()
        .enumerate()
        .map(|(i, (t, b))| SearchDoc {
            id: "x",
            title: t,
            text: b,
            date: ["2024-03-02", "2024-03-01"][usize::from(i >= 5000)],
            column: "zn",
            ..SearchDoc::default()
        })
        .collect();
    let mut idx = Index::of_docs(&docs, &Synonyms::default());
    let titles: Vec<String> = corpus.into_iter().map(|c| c.0).collect();
    every_title_first(&mut idx, &titles, str::to_owned);
}

/// Documents whose 文号 has this year and number (independently of the
/// engine's parser: the digits of the 文号 after its 代字).
fn numbered(feed: &Feed, ids: &[String], year: u32, number: u32) -> Vec<u32> {
    let digits = |s: &str| -> Vec<u32> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().unwrap())
            .collect()
    };
    (0..ids.len() as u32)
        .filter(|&d| {
            let item = feed.items.iter().find(|i| i.id == ids[d as usize]).unwrap();
            item.gov
                .doc_no
                .as_deref()
                .is_some_and(|n| digits(n) == [year, number])
        })
        .collect()
}

#[test]
fn doc_no_and_index_no_in_any_form_put_the_notice_first() {
    let (feed, mut idx) = built_sample();
    let ids = idx.ids();
    let with_no: Vec<_> = feed
        .items
        .iter()
        .filter(|i| i.gov.doc_no.is_some())
        .collect();
    assert!(with_no.len() >= 3, "the sample has 文号");
    for item in with_no {
        let no = item.gov.doc_no.clone().unwrap();
        let d = ids.iter().position(|id| *id == item.id).unwrap() as u32;
        // 武科发〔2025〕21号 → its parts, read here with plain string work.
        let (agency, rest) = no.split_once('〔').unwrap();
        let (year, rest) = rest.split_once('〕').unwrap();
        let number = rest.trim_end_matches('号');
        let twins = numbered(&feed, &ids, year.parse().unwrap(), number.parse().unwrap());
        for form in [
            no.clone(),
            format!("{agency}[{year}]{number}号"),
            format!("{agency} {year} {number}"),
            s2t(&no),
        ] {
            for mode in [MatchMode::Exact, MatchMode::Fuzzy] {
                let m = idx.matches(&query(&form, mode));
                let top = m.top(SortOrder::Relevance, 1).hits;
                assert_eq!(top[0].doc, d, "{form:?} {mode:?}");
                assert_eq!(top[0].tier, Tier::Id, "{form:?}");
            }
        }
        // Without the 代字: every notice so numbered, above text matches.
        let m = idx.matches(&query(&format!("〔{year}〕{number}号"), MatchMode::Exact));
        let top = m.top(SortOrder::Relevance, twins.len()).hits;
        let mut got: Vec<u32> = top.iter().map(|h| h.doc).collect();
        got.sort_unstable();
        assert_eq!(got, twins, "〔{year}〕{number}号");
        assert!(top.iter().all(|h| h.tier == Tier::Number));
    }
    // 索引号: as written, in full-width characters, without the slash.
    for item in &feed.items {
        let no = &item.gov.index_no;
        let d = ids.iter().position(|id| *id == item.id).unwrap() as u32;
        let wide: String = no
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        for form in [no.clone(), wide, no.replace('/', "")] {
            let m = idx.matches(&query(&form, MatchMode::Exact));
            let top = m.top(SortOrder::Relevance, 1).hits;
            assert_eq!((top[0].doc, top[0].tier), (d, Tier::Id), "{form:?}");
        }
    }
}

/// Every reading of a word (heteronyms combined), as syllables.
fn readings(word: &str) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    for c in word.chars() {
        let rs: Vec<String> = c
            .to_pinyin_multi()
            .map(|m| m.into_iter().map(|p| p.plain().replace('ü', "v")).collect())
            .unwrap_or_default();
        out = out
            .iter()
            .flat_map(|p: &Vec<String>| {
                rs.iter().map(move |r| {
                    let mut p = p.clone();
                    p.push(r.clone());
                    p
                })
            })
            .collect();
    }
    out
}

/// Titles and bodies from a small vocabulary with heteronyms (重庆, 银行,
/// 长安, 音乐) and homophones (科技/科级, 公示/公式).
fn pinyin_corpus(n: usize) -> Vec<(String, String)> {
    const WORDS: &[&str] = &[
        "科技局",
        "科级",
        "重庆",
        "银行",
        "长安",
        "音乐",
        "公示",
        "公式",
        "低保",
        "乡村",
        "振兴",
        "统计局",
        "城关镇",
        "行政",
        "重点",
        "长期",
        "Wi-Fi",
        "kejiju",
    ];
    let mut rng = Lcg(7);
    (0..n)
        .map(|_| {
            let title = format!("关于{}{}的通知", rng.pick(WORDS), rng.pick(WORDS));
            let body = format!(
                "{}，{}。{}",
                rng.pick(WORDS),
                rng.pick(WORDS),
                rng.pick(WORDS)
            );
            (title, body)
        })
        .collect()
}

#[test]
fn pinyin_queries_match_a_brute_force_reading_of_the_vocabulary() {
    let corpus = pinyin_corpus(400);
    let docs: Vec<SearchDoc<'_>> = corpus
        .iter()
        .map(|(t, b)| SearchDoc {
            id: "x",
            title: t,
            text: b,
            date: "2024-03-01",
            column: "zn",
            ..SearchDoc::default()
        })
        .collect();
    let mut idx = Index::of_docs(&docs, &Synonyms::default());
    // The vocabulary: runs of 2 to 4 Chinese characters of the titles, by
    // the titles they are in.
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut df: BTreeMap<String, usize> = BTreeMap::new();
    for (t, _) in &corpus {
        let t: Vec<char> = normalize(t);
        let mut seen = BTreeSet::new();
        for run in t.split(|&c| !han(c)) {
            for n in 2..=4.min(run.len()) {
                seen.extend(run.windows(n).map(|w| w.iter().collect::<String>()));
            }
        }
        for w in seen {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&String, &usize)> = df.iter().collect();
    vocab.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    // A key's words: the 8 most frequent whose reading spells it.
    let words_of = |letters: &str, initials: bool| -> Vec<String> {
        vocab
            .iter()
            .filter(|(w, _)| {
                readings(w).iter().any(|r| {
                    let spelled: String = if initials {
                        r.iter().map(|s| &s[..1]).collect()
                    } else {
                        r.concat()
                    };
                    spelled == letters
                })
            })
            .take(8)
            .map(|(w, _)| (*w).clone())
            .collect()
    };
    // Queries: the readings of vocabulary words, in full and as initials,
    // and the same with spaces between syllables.
    let mut queries: Vec<(String, String)> = Vec::new();
    for (w, _) in vocab
        .iter()
        .filter(|(w, _)| w.chars().count() <= 3)
        .take(60)
    {
        for r in readings(w).into_iter().take(2) {
            queries.push((r.concat(), r.concat()));
            queries.push((r.join(" "), r.concat()));
            let i: String = r.iter().map(|s| &s[..1]).collect();
            queries.push((i.clone(), i));
        }
    }
    queries.push(("kējìjú".into(), "kejiju".into()));
    queries.push(("KEJIJU".into(), "kejiju".into()));
    let full = |(t, b): &(String, String)| normalize(&format!("{t}\n\n{b}"));
    let (mut right, mut found, mut wanted) = (0usize, 0usize, 0usize);
    for (text, letters) in &queries {
        let mut words = words_of(letters, false);
        if letters.len() <= 4 {
            for w in words_of(letters, true) {
                if !words.contains(&w) {
                    words.push(w);
                }
            }
        }
        words.truncate(8);
        let word_chars: Vec<Vec<char>> = words.iter().map(|w| w.chars().collect()).collect();
        let literal = normalize(text);
        let truth: BTreeSet<u32> = (0..corpus.len() as u32)
            .filter(|&d| {
                let f = full(&corpus[d as usize]);
                let has = |w: &[char]| f.windows(w.len()).any(|x| x == w);
                has(&literal) || word_chars.iter().any(|w| has(w))
            })
            .collect();
        let m = idx.matches(&query(text, MatchMode::Exact));
        let hits = m.top(SortOrder::Relevance, usize::MAX).hits;
        let got: BTreeSet<u32> = hits.iter().map(|h| h.doc).collect();
        right += got.intersection(&truth).count();
        found += got.len();
        wanted += truth.len();
        assert_eq!(got, truth, "{text:?} reads as {words:?}");
        // Literal Latin matches before the pinyin ones.
        let first_expanded = hits.iter().position(|h| h.tier == Tier::Expanded);
        if let Some(i) = first_expanded {
            assert!(
                hits[i..].iter().all(|h| h.tier == Tier::Expanded),
                "{text:?}"
            );
        }
        if !words.is_empty() {
            let e = &m.expansions()[0];
            assert_eq!(e.kind, ExpansionKind::Pinyin);
            let shown: Vec<&str> = e.words.iter().map(|w| w.hans.as_str()).collect();
            assert_eq!(shown, words, "{text:?}");
        }
    }
    println!(
        "pinyin: {} queries, precision {:.3}, recall {:.3}",
        queries.len(),
        right as f64 / found.max(1) as f64,
        right as f64 / wanted.max(1) as f64
    );
    // Heteronyms: 重庆 is chongqing.
    let m = idx.matches(&query("chongqing", MatchMode::Exact));
    assert!(m.expansions()[0].words.iter().any(|w| w.hans == "重庆"));
    // "kejiju" is also written in Latin in some notices: those come first.
    let m = idx.matches(&query("kejiju", MatchMode::Exact));
    let hits = m.top(SortOrder::Relevance, usize::MAX).hits;
    assert_eq!(hits[0].tier, Tier::Text);
    assert!(hits.iter().any(|h| h.tier == Tier::Expanded));
}

fn site_docs() -> Vec<(String, String, &'static str)> {
    vec![
        (
            "关于发放最低生活保障金的通知".into(),
            "各乡镇：现将最低生活保障金发放事项通知如下。".into(),
            "tzgg",
        ),
        (
            "低保对象名单公示".into(),
            "经审核，以下家庭纳入低保。".into(),
            "gsgg",
        ),
        (
            "科技局2024年工作总结".into(),
            "县科技局全年完成各项任务。".into(),
            "gzdt",
        ),
        (
            "科技局关于科技特派员的通知".into(),
            "科技局组织科技特派员下乡。".into(),
            "tzgg",
        ),
        (
            "医疗保障政策解读".into(),
            "医疗保障待遇调整。".into(),
            "zcjd",
        ),
        ("科技活动周".into(), "活动安排。".into(), "gzdt"),
    ]
}

fn site_index(site: &[(String, String, &'static str)], synonyms: &Synonyms) -> Index {
    let docs: Vec<SearchDoc<'_>> = site
        .iter()
        .map(|(t, b, c)| SearchDoc {
            id: "x",
            title: t,
            title_hant: Some("x"),
            text: b,
            date: "2024-03-01",
            column: c,
            ..SearchDoc::default()
        })
        .collect();
    Index::of_docs(&docs, synonyms)
}

#[test]
fn synonyms_widen_fuzzy_queries_and_exact_stays_literal() {
    let site = site_docs();
    let mut idx = site_index(&site, &Synonyms::default_table());
    let with = |docs: &[(String, String, &str)], w: &str| -> BTreeSet<u32> {
        (0..docs.len() as u32)
            .filter(|&d| {
                let (t, b, _) = &docs[d as usize];
                format!("{t}{b}").contains(w)
            })
            .collect()
    };
    for q in ["低保", "低保", "最低生活保障"] {
        let m = idx.matches(&query(q, MatchMode::Fuzzy));
        let got: BTreeSet<u32> = m
            .top(SortOrder::Relevance, 99)
            .hits
            .iter()
            .map(|h| h.doc)
            .collect();
        let want: BTreeSet<u32> = &with(&site, "低保") | &with(&site, "最低生活保障");
        assert_eq!(got, want, "{q}");
        let e = &m.expansions()[0];
        assert_eq!(e.kind, ExpansionKind::Synonym);
        assert!(!e.words.is_empty());
        // 精确 stays literal.
        let m = idx.matches(&query(q, MatchMode::Exact));
        let got: BTreeSet<u32> = m
            .top(SortOrder::Relevance, 99)
            .hits
            .iter()
            .map(|h| h.doc)
            .collect();
        assert_eq!(
            got,
            with(&site, &normalize(q).into_iter().collect::<String>()),
            "{q} exact"
        );
        assert!(m.expansions().is_empty());
    }
    // 繁體: the shown words are in the reader's script.
    let m = idx.matches(&query("醫保", MatchMode::Fuzzy));
    let e = &m.expansions()[0];
    assert!(e.words.iter().any(|w| w.hant == "醫療保障"), "{e:?}");
    // A site table extends and overrides the default one.
    let site_table = Synonyms::new(vec![vec!["低保".into(), "保障金".into()]]).unwrap();
    let mut idx = site_index(&site, &Synonyms::default_table().with_site(&site_table));
    let m = idx.matches(&query("低保", MatchMode::Fuzzy));
    let shown: Vec<&str> = m.expansions()[0]
        .words
        .iter()
        .map(|w| w.hans.as_str())
        .collect();
    assert_eq!(shown, ["保障金"]);
}

#[test]
fn did_you_mean_offers_words_of_the_site() {
    let site = site_docs();
    let mut idx = site_index(&site, &Synonyms::default());
    let suggest = |idx: &mut Index, q: &str| -> Vec<String> {
        let m = idx.matches(&query(q, MatchMode::Exact));
        m.suggestions().iter().map(|w| w.hans.clone()).collect()
    };
    // Same pinyin; one character off; 繁體 typed.
    assert_eq!(suggest(&mut idx, "科计局")[0], "科技局");
    assert!(suggest(&mut idx, "科技司").contains(&"科技局".to_owned()));
    assert_eq!(suggest(&mut idx, "科計局")[0], "科技局");
    let m = idx.matches(&query("科計局", MatchMode::Exact));
    assert_eq!(m.suggestions()[0].text(Variant::Hant), "科技局");
    assert!(suggest(&mut idx, "科计局").len() <= 3);
    // None when the query has more than a few results.
    assert!(
        idx.matches(&query("科技", MatchMode::Exact)).total() > gongkai_core::search::FEW_RESULTS
    );
    assert!(suggest(&mut idx, "科技").is_empty());
    assert!(suggest(&mut idx, "通知").is_empty());
}

#[test]
fn counts_per_column_ignore_the_column_filter_and_add_up() {
    let site = site_docs();
    let mut idx = site_index(&site, &Synonyms::default());
    for (q, col) in [
        ("科技", None),
        ("科技", Some("tzgg")),
        ("通知", Some("gzdt")),
    ] {
        let opts = Options {
            column: col.map(str::to_owned),
            scope: Scope::Full,
            ..Options::default()
        };
        let m = idx.matches(&Query::parse(q, opts).unwrap());
        let mut want: BTreeMap<&str, usize> = BTreeMap::new();
        for (t, b, c) in &site {
            if format!("{t}\n{b}").contains(q) {
                *want.entry(c).or_default() += 1;
            }
        }
        let got: BTreeMap<&str, usize> =
            m.columns().iter().map(|(c, n)| (c.as_str(), *n)).collect();
        assert_eq!(got, want, "{q} {col:?}");
        let filtered = col.map_or(want.values().sum(), |c| want.get(c).copied().unwrap_or(0));
        assert_eq!(m.total(), filtered, "{q} {col:?}");
    }
}
