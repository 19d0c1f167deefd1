//! The 政策文件库's index against the feed itself: for generated feeds and
//! hundreds of generated selections, the documents [`LibraryIndex::apply`]
//! lists and every count it gives are what the test computes by reading
//! the items directly (issue #19: "facet counts against counts the test
//! computes from the feed itself").
#![cfg(feature = "build")]

use gongkai_core::build::{BuildOptions, HantVariant};
use gongkai_core::bundle::{list_path, ListPage, Variant, ALL_LIST};
use gongkai_core::date::{parse_plain_date, parse_rfc3339, PlainDate};
use gongkai_core::docno::{DocNo, DocNoMatch, DocNoQuery};
use gongkai_core::feed::{Feed, Item};
use gongkai_core::library::{
    Facet, LibraryError, LibraryFacets, LibraryIndex, LibrarySort, Selection, FACETS_PATH,
    INDEX_PATH,
};
use gongkai_core::stage::build_bundle;
use gongkai_core::validate::check;
use serde_json::{json, Value};

/// A value of `v` picked by `rng`.
fn pick<'a, T>(rng: &mut fastrand::Rng, v: &'a [T]) -> &'a T {
    &v[rng.usize(..v.len())]
}

const TYPES: [&str; 6] = ["通知", "办法", "公告", "意见", "解读", "公示"];
const ISSUERS: [&str; 4] = [
    "武山县科学技术局",
    "武山县财政局",
    "武山县教育局",
    "武山县人民政府",
];
const TOPICS: [&str; 5] = ["科技、教育", "科技", "财政", "农业、林业、水利", "其他"];
const VALIDITY: [&str; 4] = ["有效", "已修订", "已废止", "已失效"];

fn feed(n: usize, seed: u64) -> Feed {
    let mut rng = fastrand::Rng::with_seed(seed);
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let year = 2015 + rng.usize(..10);
            let (m, d) = (1 + rng.usize(..12), 1 + rng.usize(..28));
            let mut gov = json!({
                "index_no": format!("kjj1/{year}-{i:05}"),
                "publisher": "武山县科学技术局",
                "category": "c",
            });
            if rng.usize(..5) > 0 {
                gov["validity"] = json!(pick(&mut rng, &VALIDITY));
            }
            if rng.usize(..4) > 0 {
                gov["doc_type"] = json!(pick(&mut rng, &TYPES));
            }
            match rng.usize(..4) {
                0 => {}
                1 => gov["issuer"] = json!(pick(&mut rng, &ISSUERS)),
                _ => gov["issuer"] = json!([pick(&mut rng, &ISSUERS), pick(&mut rng, &ISSUERS)]),
            }
            let topics: Vec<&str> = (0..rng.usize(..3)).map(|_| *pick(&mut rng, &TOPICS)).collect();
            gov["topics"] = json!(topics);
            if rng.usize(..3) == 0 {
                // 成文日期 up to a month before, sometimes in another year.
                let wy = if rng.usize(..6) == 0 { year - 1 } else { year };
                gov["written_date"] = json!(format!("{wy}-{:02}-{:02}", 1 + rng.usize(..12), d));
            }
            match rng.usize(..6) {
                0 => gov["doc_no"] = json!(format!("武科发〔{year}〕{}号", 1 + rng.usize(..20))),
                1 => gov["doc_no"] = json!(format!("武政办发[{year}]{}号", 1 + rng.usize(..20))),
                2 => gov["doc_no"] = json!("无"),
                _ => {}
            }
            json!({
                "id": format!("doc-{i:04}"),
                "title": format!("文件{i}"),
                "content_text": "正文",
                "date_published": format!("{year}-{m:02}-{d:02}T{:02}:00:00+08:00", rng.usize(..24)),
                "_gov": gov,
            })
        })
        .collect();
    let v = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "_gov": {"site_name": "s", "department": "d", "columns": [{"id": "c", "name": "C"}],
                 "login_url": "https://x.cn/l", "register_url": "https://x.cn/r"},
        "items": items,
    });
    let report = check(&v.to_string());
    assert!(report.is_ok(), "{:#?}", report.errors);
    report.feed.unwrap()
}

struct Built {
    facets: LibraryFacets,
    index: LibraryIndex,
    /// Items in document order (the bundle's `all` list).
    items: Vec<Item>,
}

fn build(feed: &Feed) -> Built {
    let out = build_bundle(
        feed,
        &BuildOptions {
            built_at: 0,
            hant: HantVariant::Convert,
        },
    )
    .unwrap();
    let facets: LibraryFacets = serde_json::from_slice(out.file(FACETS_PATH).unwrap()).unwrap();
    let index = LibraryIndex::decode(out.file(INDEX_PATH).unwrap(), &facets).unwrap();
    // Document order is the order of the `all` list.
    let mut items = Vec::new();
    for page in 1..=out.manifest.pages {
        let lp: ListPage =
            serde_json::from_slice(out.file(&list_path(Variant::Hans, ALL_LIST, page)).unwrap())
                .unwrap();
        for row in lp.items {
            items.push(feed.items.iter().find(|i| i.id == row.id).unwrap().clone());
        }
    }
    Built {
        facets,
        index,
        items,
    }
}

/// The values an item has in a facet, read from the item itself.
fn values(item: &Item, facet: Facet) -> Vec<String> {
    let g = &item.gov;
    let mut v: Vec<String> = match facet {
        Facet::Validity => g.validity.iter().map(|v| v.as_str().to_owned()).collect(),
        Facet::DocType => g.doc_type.iter().cloned().collect(),
        Facet::Issuer => g.issuers().into_iter().map(str::to_owned).collect(),
        Facet::Topic => g.topics.clone(),
        Facet::Year => vec![year(item).to_string()],
    };
    v.sort();
    v.dedup();
    v
}

fn written(item: &Item) -> Option<PlainDate> {
    item.gov
        .written_date
        .as_deref()
        .map(|w| parse_plain_date(w).unwrap())
}

fn published(item: &Item) -> PlainDate {
    parse_rfc3339(&item.date_published).unwrap().beijing()
}

fn year(item: &Item) -> i32 {
    written(item).unwrap_or_else(|| published(item)).year
}

fn docno_rank(item: &Item, q: &DocNoQuery) -> Option<DocNoMatch> {
    let d = DocNo::parse(item.gov.doc_no.as_deref()?).ok()?;
    q.rank_doc(&d)
}

/// Whether `item` passes every part of `sel` except facet `skip`.
fn passes(item: &Item, sel: &Selection, skip: Option<Facet>) -> bool {
    let y = year(item);
    if sel.from.is_some_and(|f| y < i32::from(f)) || sel.to.is_some_and(|t| y > i32::from(t)) {
        return false;
    }
    if let Some(q) = &sel.docno {
        if docno_rank(item, q).is_none() {
            return false;
        }
    }
    Facet::ALL
        .into_iter()
        .filter(|f| Some(*f) != skip)
        .all(|f| {
            let chosen = sel.values(f);
            chosen.is_empty() || values(item, f).iter().any(|v| chosen.contains(v))
        })
}

/// The outcome computed from the items alone: documents in order, and each
/// facet value's count.
fn expected(b: &Built, sel: &Selection) -> (Vec<u32>, Vec<Vec<u32>>) {
    let mut docs: Vec<u32> = (0..b.items.len() as u32)
        .filter(|&d| passes(&b.items[d as usize], sel, None))
        .collect();
    let day = |d: u32| {
        let item = &b.items[d as usize];
        written(item).unwrap_or_else(|| published(item))
    };
    docs.sort_by_key(|&d| {
        let rank = sel
            .docno
            .as_ref()
            .and_then(|q| docno_rank(&b.items[d as usize], q));
        let written = match sel.sort {
            LibrarySort::Published => None,
            LibrarySort::Written => Some(std::cmp::Reverse(day(d))),
        };
        (rank, written, d)
    });
    let counts = Facet::ALL
        .into_iter()
        .map(|f| {
            b.facets
                .get(f)
                .values
                .iter()
                .map(|value| {
                    b.items
                        .iter()
                        .filter(|i| passes(i, sel, Some(f)) && values(i, f).contains(value))
                        .count() as u32
                })
                .collect()
        })
        .collect();
    (docs, counts)
}

fn random_selection(rng: &mut fastrand::Rng, facets: &LibraryFacets) -> Selection {
    let mut sel = Selection::default();
    for f in Facet::ALL {
        let values = &facets.get(f).values;
        if values.is_empty() || rng.usize(..3) > 0 {
            continue;
        }
        for _ in 0..1 + rng.usize(..2) {
            let v = pick(rng, values).clone();
            if !sel.chosen[f.index()].contains(&v) {
                sel.chosen[f.index()].push(v);
            }
        }
    }
    if rng.usize(..5) == 0 {
        sel.from = Some(2015 + rng.usize(..6) as u16);
        sel.to = Some(2018 + rng.usize(..8) as u16);
    }
    match rng.usize(..8) {
        0 => {
            sel.docno = DocNoQuery::parse(&format!(
                "武科发〔{}〕{}号",
                2015 + rng.usize(..10),
                1 + rng.usize(..20)
            ))
        }
        1 => {
            sel.docno = DocNoQuery::parse(&format!(
                "{}年{}号",
                2015 + rng.usize(..10),
                1 + rng.usize(..20)
            ))
        }
        _ => {}
    }
    if rng.usize(..2) == 0 {
        sel.sort = LibrarySort::Written;
    }
    sel
}

#[test]
fn counts_and_lists_match_the_feed() {
    // 64 and 65: the last word of the bitsets full, and one bit into the next.
    for (n, seed) in [(1, 1), (40, 2), (64, 7), (65, 8), (300, 3), (1200, 4)] {
        let b = build(&feed(n, seed));
        // The facets file counts what the feed says.
        let (_, unfiltered) = expected(&b, &Selection::default());
        for f in Facet::ALL {
            assert_eq!(
                b.facets.get(f).counts,
                unfiltered[f.index()],
                "{n} notices: facets.json counts of {f}"
            );
        }
        let mut rng = fastrand::Rng::with_seed(seed * 77);
        for round in 0..if n > 500 { 60 } else { 300 } {
            let sel = random_selection(&mut rng, &b.facets);
            let got = b.index.apply(&b.facets, &sel);
            let (docs, counts) = expected(&b, &sel);
            assert_eq!(
                got.docs, docs,
                "{n} notices, round {round}: documents of {sel:?}"
            );
            assert_eq!(
                got.counts, counts,
                "{n} notices, round {round}: counts of {sel:?}"
            );
            if sel.docno.is_some() {
                assert_eq!(got.docno.len(), got.docs.len());
            }
        }
    }
}

#[test]
fn documents_read_back_as_the_feed_wrote_them() {
    let b = build(&feed(300, 9));
    for (d, item) in b.items.iter().enumerate() {
        let d = d as u32;
        assert_eq!(b.index.validity(d), item.gov.validity, "{}", item.id);
        assert_eq!(b.index.written(d), written(item), "{}", item.id);
        assert_eq!(b.index.published(d), Some(published(item)), "{}", item.id);
        let shown = item.gov.doc_no.as_deref().map(|s| match DocNo::parse(s) {
            Ok(n) => n.to_string(),
            Err(_) => s.to_owned(),
        });
        assert_eq!(b.index.doc_no(d, Variant::Hans), shown, "{}", item.id);
    }
    let hant: Vec<String> = (0..b.items.len() as u32)
        .filter_map(|d| b.index.doc_no(d, Variant::Hant))
        .collect();
    assert!(
        hant.iter()
            .any(|s| s.starts_with("武科發〔") && s.ends_with('號')),
        "{hant:?}"
    );
    assert!(hant.iter().any(|s| s == "無"), "{hant:?}");
    let issuers = b.facets.get(Facet::Issuer);
    let at = issuers.code("武山县人民政府").unwrap();
    assert_eq!(issuers.label(at, Variant::Hant), "武山縣人民政府");
}

#[test]
fn a_docno_query_finds_its_document_first() {
    let b = build(&feed(1200, 5));
    let target = b
        .items
        .iter()
        .position(|i| {
            i.gov
                .doc_no
                .as_deref()
                .is_some_and(|s| s.starts_with("武政办发["))
        })
        .unwrap();
    let parsed = DocNo::parse(b.items[target].gov.doc_no.as_deref().unwrap()).unwrap();
    for typed in [
        parsed.to_string(),
        format!("{} {} {}", parsed.agency, parsed.year, parsed.number),
        format!("{}[{}]{}号", parsed.agency, parsed.year, parsed.number),
    ] {
        let sel = Selection {
            docno: DocNoQuery::parse(&typed),
            ..Selection::default()
        };
        let got = b.index.apply(&b.facets, &sel);
        assert_eq!(got.docno[0], DocNoMatch::Full, "{typed}");
        let first = &b.items[got.docs[0] as usize];
        assert_eq!(
            DocNo::parse(first.gov.doc_no.as_deref().unwrap()).unwrap(),
            parsed,
            "{typed}: the first result has the 文号"
        );
    }
}

#[test]
fn unknown_values_match_nothing_and_broken_files_are_named() {
    let b = build(&feed(40, 6));
    let mut sel = Selection::default();
    sel.chosen[Facet::DocType.index()] = vec!["不存在的文种".to_owned()];
    let got = b.index.apply(&b.facets, &sel);
    assert!(got.docs.is_empty());
    assert!(got.counts[Facet::DocType.index()].iter().sum::<u32>() > 0);

    let out = build_bundle(&feed(40, 6), &BuildOptions::default()).unwrap();
    let bytes = out.file(INDEX_PATH).unwrap();
    assert_eq!(
        LibraryIndex::decode(b"GKS2", &b.facets),
        Err(LibraryError::Magic)
    );
    assert!(matches!(
        LibraryIndex::decode(&bytes[..bytes.len() / 2], &b.facets),
        Err(LibraryError::Truncated(_))
    ));
    let mut fewer = b.facets.clone();
    fewer.docs = 39;
    assert_eq!(
        LibraryIndex::decode(bytes, &fewer),
        Err(LibraryError::Docs {
            index: 40,
            facets: 39
        })
    );
    // Every prefix fails cleanly, never a panic.
    for cut in 0..bytes.len() {
        assert!(LibraryIndex::decode(&bytes[..cut], &b.facets).is_err());
    }
    let mut no_types = b.facets.clone();
    no_types.facets.retain(|f| f.facet != Facet::DocType);
    assert!(matches!(
        LibraryIndex::decode(bytes, &no_types),
        Err(LibraryError::Code {
            facet: Facet::DocType,
            ..
        })
    ));
}
