//! Building the search files (feature `build`).

use super::format::{
    chunk_path, day_number, encode_entry, put_varint, shard_of, DateIndex, DocChunk, DocEntry,
    Field, SearchMeta, TermKey, DATES_PATH, META_PATH, SEARCH_FORMAT, SHARD_MAGIC,
};
use super::index_params::{B, K1};
use super::text::{is_word_char, normalize};
use crate::build::BundleFile;
use crate::date::parse_plain_date;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Multiply-rotate hasher for the builder's integer and short string keys:
/// SipHash made the term maps the slowest part of indexing.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Documents per document-table chunk: a results page of 20 scattered hits
/// fetches at most 20 chunks of about 3 KB.
pub const DOC_CHUNK: u32 = 32;

/// Aimed-for shard size in bytes before compression.
pub const TARGET_SHARD_BYTES: usize = 24 * 1024;

/// Separates the parts of the full-text field; never in a query, so no
/// match spans two parts.
const SEP: char = '\n';

/// One document to index, in display order (newest first): its position is
/// its document number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchDoc<'a> {
    /// Item id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Summary, if any.
    pub summary: Option<&'a str>,
    /// Body as plain text ([`super::html_to_text`] of the sanitised HTML).
    pub text: &'a str,
    /// Publication date in Beijing time, `YYYY-MM-DD`.
    pub date: &'a str,
    /// Column id.
    pub column: &'a str,
}

/// The normalised fields of a document, as the index and the exact-match
/// definition see them: the title, and title + SEP + summary + SEP + body.
pub fn fields(doc: &SearchDoc<'_>) -> (Vec<char>, Vec<char>) {
    let title = normalize(doc.title);
    let mut full = title.clone();
    full.push(SEP);
    full.extend(normalize(doc.summary.unwrap_or("")));
    full.push(SEP);
    full.extend(normalize(doc.text));
    (title, full)
}

/// Packs a character token as an integer: field, kind and up to two chars.
fn gram(field: Field, kind: u64, a: char, b: char) -> u64 {
    let f = u64::from(field == Field::Full);
    (f << 63) | (kind << 62) | (u64::from(a as u32) << 21) | u64::from(b as u32)
}

fn unpack(g: u64) -> TermKey {
    let field = if g >> 63 == 1 {
        Field::Full
    } else {
        Field::Title
    };
    let a = char::from_u32(((g >> 21) & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    let b = char::from_u32((g & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
    if (g >> 62) & 1 == 1 {
        TermKey::Bigram(field, a, b)
    } else {
        TermKey::Char(field, a)
    }
}

/// One document's tokens: (token, position), sorted; words separately.
struct DocTokens {
    grams: Vec<(u64, u32)>,
    words: Vec<(Field, String, u32)>,
    lens: [u32; 2],
}

fn tokenize(doc: &SearchDoc<'_>) -> DocTokens {
    let (title, full) = fields(doc);
    let mut grams = Vec::with_capacity(full.len() * 2 + title.len() * 2);
    let mut words = Vec::new();
    for (field, chars) in [(Field::Title, &title), (Field::Full, &full)] {
        let mut word_start = None;
        for (i, &c) in chars.iter().enumerate() {
            let p = i as u32;
            if is_word_char(c) {
                grams.push((gram(field, 0, c, '\0'), p));
            }
            if let Some(&d) = chars.get(i + 1) {
                if c != SEP && d != SEP {
                    grams.push((gram(field, 1, c, d), p));
                }
            }
            let alnum = c.is_ascii_alphanumeric();
            match (alnum, word_start) {
                (true, None) => word_start = Some(i),
                (false, Some(s)) => {
                    words.push((field, chars[s..i].iter().collect(), s as u32));
                    word_start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = word_start {
            words.push((field, chars[s..].iter().collect(), s as u32));
        }
    }
    grams.sort_unstable();
    words.sort_unstable();
    DocTokens {
        grams,
        words,
        lens: [title.len() as u32, full.len() as u32],
    }
}

/// A term's postings while building: documents, tf, encoded positions.
#[derive(Default)]
struct TermBuf {
    docs: Vec<u32>,
    tfs: Vec<u32>,
    pos: Vec<u8>,
}

impl TermBuf {
    fn add(&mut self, doc: u32, positions: impl ExactSizeIterator<Item = u32>, keep: bool) {
        self.docs.push(doc);
        self.tfs.push(positions.len() as u32);
        if keep {
            put_varint(&mut self.pos, positions.len() as u64);
            let mut prev = 0;
            for (j, p) in positions.enumerate() {
                put_varint(&mut self.pos, u64::from(if j == 0 { p } else { p - prev }));
                prev = p;
            }
        }
    }
}

/// Builds the search files: `search/index.json`, `search/dates.bin`, the
/// shards and the document-table chunks. `docs` are in display order.
pub fn build_search_index(docs: &[SearchDoc<'_>]) -> Vec<BundleFile> {
    let mut grams: FastMap<u64, TermBuf> = FastMap::default();
    let mut words: FastMap<(Field, String), TermBuf> = FastMap::default();
    let mut lens: Vec<[u32; 2]> = Vec::with_capacity(docs.len());
    // Tokenise in parallel a batch at a time (bounded memory), merge in order.
    for (b, batch) in docs.chunks(2048).enumerate() {
        let toks: Vec<DocTokens> = batch.par_iter().map(tokenize).collect();
        for (k, t) in toks.into_iter().enumerate() {
            let doc = (b * 2048 + k) as u32;
            lens.push(t.lens);
            for run in t.grams.chunk_by(|a, b| a.0 == b.0) {
                let keep = (run[0].0 >> 62) & 1 == 1;
                grams
                    .entry(run[0].0)
                    .or_default()
                    .add(doc, run.iter().map(|x| x.1), keep);
            }
            for run in t.words.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
                words.entry((run[0].0, run[0].1.clone())).or_default().add(
                    doc,
                    run.iter().map(|x| x.2),
                    true,
                );
            }
        }
    }
    let n = docs.len().max(1) as f32;
    let avg = [
        lens.iter().map(|l| l[0] as f32).sum::<f32>() / n,
        lens.iter().map(|l| l[1] as f32).sum::<f32>() / n,
    ];

    let mut columns: Vec<String> = Vec::new();
    let mut col_docs: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if !col_docs.contains_key(d.column) {
            columns.push(d.column.to_owned());
        }
        col_docs.entry(d.column).or_default().push(i as u32);
    }
    columns.sort();

    // Encode every term, then group by shard.
    let mut terms: Vec<(TermKey, TermBuf)> =
        grams.into_iter().map(|(g, t)| (unpack(g), t)).collect();
    terms.extend(
        words
            .into_iter()
            .map(|((f, w), t)| (TermKey::Word(f, w), t)),
    );
    let mut encoded: Vec<(String, Vec<u8>)> = terms
        .into_par_iter()
        .map(|(key, t)| {
            let field = match &key {
                TermKey::Char(f, _) | TermKey::Bigram(f, ..) | TermKey::Word(f, _) => *f,
                TermKey::Column(_) => Field::Full,
            };
            let fi = usize::from(field == Field::Full);
            let impacts: Vec<u8> = t
                .docs
                .iter()
                .zip(&t.tfs)
                .map(|(&d, &tf)| {
                    let dl = lens[d as usize][fi] as f32;
                    let tf = tf as f32;
                    let part = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * dl / avg[fi].max(1.0)));
                    ((part / (K1 + 1.0) * 255.0).round() as u8).max(1)
                })
                .collect();
            let k = key.key();
            let mut out = Vec::new();
            let pos = (!t.pos.is_empty()).then_some(t.pos.as_slice());
            encode_entry(&mut out, &k, &t.docs, Some(&impacts), pos);
            (k, out)
        })
        .collect();
    for c in &columns {
        let k = TermKey::Column(c.clone()).key();
        let mut out = Vec::new();
        encode_entry(&mut out, &k, &col_docs[c.as_str()], None, None);
        encoded.push((k, out));
    }
    let total: usize = encoded.iter().map(|e| e.1.len()).sum();
    let shards = (total / TARGET_SHARD_BYTES).max(1).next_power_of_two() as u32;
    let mut by_shard: Vec<Vec<(String, Vec<u8>)>> = (0..shards).map(|_| Vec::new()).collect();
    for e in encoded {
        by_shard[shard_of(&e.0, shards) as usize].push(e);
    }

    let mut files: Vec<BundleFile> = by_shard
        .into_par_iter()
        .enumerate()
        .map(|(i, mut entries)| {
            entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut out = SHARD_MAGIC.to_vec();
            put_varint(&mut out, entries.len() as u64);
            for (_, e) in entries {
                out.extend_from_slice(&e);
            }
            (super::format::shard_path(i as u32), out)
        })
        .collect();

    for (c, chunk) in docs.chunks(DOC_CHUNK as usize).enumerate() {
        let first = c as u32 * DOC_CHUNK;
        let dc = DocChunk {
            first,
            docs: chunk
                .iter()
                .map(|d| DocEntry {
                    id: d.id.to_owned(),
                    title: d.title.to_owned(),
                    date: d.date.to_owned(),
                    column: d.column.to_owned(),
                })
                .collect(),
        };
        files.push((chunk_path(c as u32), json(&dc)));
    }
    let dates = DateIndex::from_days(
        docs.iter()
            .map(|d| parse_plain_date(d.date).map_or(0, day_number)),
    );
    files.push((DATES_PATH.to_owned(), dates.encode()));
    let meta = SearchMeta {
        format: SEARCH_FORMAT,
        docs: docs.len() as u32,
        shards,
        doc_chunk: DOC_CHUNK,
        avg_title_len: avg[0],
        avg_full_len: avg[1],
        columns,
    };
    files.push((META_PATH.to_owned(), json(&meta)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    // Serialising these plain structs cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}
