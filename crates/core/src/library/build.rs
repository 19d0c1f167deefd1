//! Writing the library's files (feature `build`): see [`super::index`] for
//! what they hold and `docs/library.md` for the layout.

use super::index::{
    Facet, FacetValues, LibraryFacets, FACETS_PATH, INDEX_MAGIC, INDEX_PATH, LIBRARY_FORMAT,
};
use crate::convert::s2t;
use crate::date::{days_from_civil, parse_plain_date, parse_rfc3339};
use crate::docno::DocNo;
use crate::feed::{Item, Validity};
use crate::search::format::put_varint;
use std::collections::HashMap;

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// One document's facts, in the bundle's order.
struct Doc<'a> {
    validity: u64,
    doc_type: Option<&'a str>,
    issuers: Vec<&'a str>,
    topics: Vec<&'a str>,
    pub_day: i64,
    written_day: Option<i64>,
    year: i32,
    doc_no: Option<Result<DocNo, &'a str>>,
}

fn day(d: crate::date::PlainDate) -> i64 {
    days_from_civil(d.year, d.month, d.day)
}

fn doc(item: &Item) -> Doc<'_> {
    let pub_date = parse_rfc3339(&item.date_published)
        .ok()
        .map(|t| t.beijing());
    let written = item
        .gov
        .written_date
        .as_deref()
        .and_then(|w| parse_plain_date(w).ok());
    let pub_day = pub_date.map(day).unwrap_or(0);
    let year = written.or(pub_date).map_or(1970, |d| d.year);
    let mut issuers = item.gov.issuers();
    dedup_keep_order(&mut issuers);
    let mut topics: Vec<&str> = item.gov.topics.iter().map(String::as_str).collect();
    dedup_keep_order(&mut topics);
    Doc {
        validity: item
            .gov
            .validity
            .and_then(|v| Validity::ALL.iter().position(|x| *x == v))
            .map_or(0, |p| p as u64 + 1),
        doc_type: item.gov.doc_type.as_deref(),
        issuers,
        topics,
        pub_day,
        written_day: written.map(day),
        year,
        doc_no: item
            .gov
            .doc_no
            .as_deref()
            .map(|s| DocNo::parse(s).map_err(|_| s)),
    }
}

fn dedup_keep_order(v: &mut Vec<&str>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(*s));
}

/// Values of a facet, most documents first, then by value; and their codes.
fn ranked(counts: HashMap<&str, u32>) -> (Vec<(&str, u32)>, HashMap<&str, u32>) {
    let mut values: Vec<(&str, u32)> = counts.into_iter().collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let codes = values
        .iter()
        .enumerate()
        .map(|(i, (v, _))| (*v, i as u32))
        .collect();
    (values, codes)
}

fn facet_values(facet: Facet, values: &[(&str, u32)], hant: bool) -> FacetValues {
    FacetValues {
        facet,
        values: values.iter().map(|(v, _)| (*v).to_owned()).collect(),
        counts: values.iter().map(|(_, c)| *c).collect(),
        hant: if hant {
            values.iter().map(|(v, _)| s2t(v)).collect()
        } else {
            Vec::new()
        },
    }
}

/// Writes each document's set of a multi-valued facet: the table of
/// distinct sets (first seen first), then each document's set number.
fn put_sets(out: &mut Vec<u8>, docs: &[Vec<u32>]) {
    let mut ids: HashMap<&[u32], u64> = HashMap::new();
    let mut table: Vec<&[u32]> = Vec::new();
    let of_doc: Vec<u64> = docs
        .iter()
        .map(|set| {
            *ids.entry(set.as_slice()).or_insert_with(|| {
                table.push(set);
                table.len() as u64 - 1
            })
        })
        .collect();
    put_varint(out, table.len() as u64);
    for set in table {
        put_varint(out, set.len() as u64);
        for &v in set {
            put_varint(out, u64::from(v));
        }
    }
    for s in of_doc {
        put_varint(out, s);
    }
}

fn put_string(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// The library's files for the items in bundle order (`order[d]` is the
/// position in `items` of document `d`): [`FACETS_PATH`] and [`INDEX_PATH`],
/// with 繁體 names when `hant`.
pub fn library_files(items: &[Item], order: &[usize], hant: bool) -> Vec<(String, Vec<u8>)> {
    let docs: Vec<Doc> = order.iter().map(|&i| doc(&items[i])).collect();

    let mut validity = [0u32; 4];
    let mut types: HashMap<&str, u32> = HashMap::new();
    let mut issuers: HashMap<&str, u32> = HashMap::new();
    let mut topics: HashMap<&str, u32> = HashMap::new();
    let mut years: HashMap<i32, u32> = HashMap::new();
    for d in &docs {
        if d.validity > 0 {
            validity[d.validity as usize - 1] += 1;
        }
        if let Some(t) = d.doc_type {
            *types.entry(t).or_default() += 1;
        }
        for i in &d.issuers {
            *issuers.entry(i).or_default() += 1;
        }
        for t in &d.topics {
            *topics.entry(t).or_default() += 1;
        }
        *years.entry(d.year).or_default() += 1;
    }
    let (types, type_codes) = ranked(types);
    let (issuers, issuer_codes) = ranked(issuers);
    let (topics, topic_codes) = ranked(topics);
    let mut years: Vec<(i32, u32)> = years.into_iter().collect();
    years.sort_by_key(|y| std::cmp::Reverse(y.0));

    let facets = LibraryFacets {
        format: LIBRARY_FORMAT,
        docs: docs.len() as u32,
        facets: vec![
            FacetValues::validity(validity),
            facet_values(Facet::Topic, &topics, hant),
            facet_values(Facet::DocType, &types, hant),
            facet_values(Facet::Issuer, &issuers, hant),
            FacetValues {
                facet: Facet::Year,
                values: years.iter().map(|(y, _)| y.to_string()).collect(),
                counts: years.iter().map(|(_, c)| *c).collect(),
                hant: Vec::new(),
            },
        ],
    };

    let mut out = INDEX_MAGIC.to_vec();
    put_varint(&mut out, docs.len() as u64);
    for d in &docs {
        put_varint(&mut out, d.validity);
    }
    for d in &docs {
        put_varint(
            &mut out,
            d.doc_type.map_or(0, |t| u64::from(type_codes[t]) + 1),
        );
    }
    let issuer_sets: Vec<Vec<u32>> = docs
        .iter()
        .map(|d| d.issuers.iter().map(|v| issuer_codes[v]).collect())
        .collect();
    put_sets(&mut out, &issuer_sets);
    let topic_sets: Vec<Vec<u32>> = docs
        .iter()
        .map(|d| d.topics.iter().map(|v| topic_codes[v]).collect())
        .collect();
    put_sets(&mut out, &topic_sets);
    let mut prev = 0;
    for (i, d) in docs.iter().enumerate() {
        put_varint(
            &mut out,
            zigzag(if i == 0 { d.pub_day } else { prev - d.pub_day }),
        );
        prev = d.pub_day;
    }
    for d in &docs {
        put_varint(
            &mut out,
            d.written_day.map_or(0, |w| zigzag(d.pub_day - w) + 1),
        );
    }
    put_docnos(&mut out, &docs, hant);
    vec![
        (
            FACETS_PATH.to_owned(),
            serde_json::to_vec(&facets).expect("plain data serialises"),
        ),
        (INDEX_PATH.to_owned(), out),
    ]
}

/// The 文号 section: the 代字 table (简体, then 繁體 or an empty list),
/// each document's 文号 code (0 none, 1 verbatim, 2 + the 代字's position),
/// the years and numbers of the read ones, the verbatim texts, then their
/// 繁體.
fn put_docnos(out: &mut Vec<u8>, docs: &[Doc], hant: bool) {
    let mut agencies: Vec<&str> = Vec::new();
    let mut codes: HashMap<&str, u64> = HashMap::new();
    for d in docs {
        if let Some(Ok(n)) = &d.doc_no {
            codes.entry(n.agency.as_str()).or_insert_with(|| {
                agencies.push(n.agency.as_str());
                agencies.len() as u64 - 1
            });
        }
    }
    put_varint(out, agencies.len() as u64);
    for a in &agencies {
        put_string(out, a);
    }
    let hant_agencies: Vec<String> = if hant {
        agencies.iter().map(|a| s2t(a)).collect()
    } else {
        Vec::new()
    };
    put_varint(out, hant_agencies.len() as u64);
    for a in &hant_agencies {
        put_string(out, a);
    }
    // Column by column: the codes, then the years (as years after the
    // publication year: almost always 0), the numbers, the verbatim texts.
    let mut verbatim = Vec::new();
    let mut parsed = Vec::new();
    for d in docs {
        match &d.doc_no {
            None => put_varint(out, 0),
            Some(Err(s)) => {
                put_varint(out, 1);
                verbatim.push(*s);
            }
            Some(Ok(n)) => {
                put_varint(out, codes[n.agency.as_str()] + 2);
                parsed.push((d, n));
            }
        }
    }
    for (d, n) in &parsed {
        let pub_year = crate::date::civil_from_days(d.pub_day).year;
        put_varint(out, zigzag(i64::from(n.year) - i64::from(pub_year)));
    }
    for (_, n) in &parsed {
        put_varint(out, u64::from(n.number));
    }
    for s in &verbatim {
        put_string(out, s);
    }
    let verbatim_hant: Vec<String> = if hant {
        verbatim.iter().map(|s| s2t(s)).collect()
    } else {
        Vec::new()
    };
    put_varint(out, verbatim_hant.len() as u64);
    for s in &verbatim_hant {
        put_string(out, s);
    }
}
