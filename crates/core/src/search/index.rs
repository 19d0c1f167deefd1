//! Building the search files (feature `build`).

use super::dict;
use super::expand::{is_han, Word};
use super::format::{
    chunk_path, day_number, encode_docs, encode_entry, encode_values, put_varint, shard_of,
    shard_path, ColumnIndex, DateIndex, DocChunk, DocEntry, DocsAt, Field, PosAt, SearchMeta,
    TermKey, COLUMNS_PATH, DATES_PATH, FLAG_VALUES, MAX_GRAM, META_PATH, SEARCH_FORMAT,
    SHARD_MAGIC,
};
use super::ids::{doc_no_keys, index_no_key};
use super::index_params::{B, K1};
use super::phrases::frequent_phrases;
use super::synonyms::Synonyms;
use super::text::{is_word_char, normalize};
use crate::bundle::{BundleFile, Variant};
use crate::date::parse_plain_date;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// Multiply-rotate hasher for the builder's integer and short string keys:
/// SipHash made the term maps the slowest part of indexing.
#[derive(Default)]
pub(super) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_u128(&mut self, v: u128) {
        self.write_u64(v as u64);
        self.write_u64((v >> 64) as u64);
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

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Documents per document-table chunk: a results page of 20 scattered hits
/// fetches at most 20 chunks of about 1 KB; a date-ordered page 3.
pub const DOC_CHUNK: u32 = 8;

/// Aimed-for term-shard size in bytes before compression.
pub const TARGET_SHARD_BYTES: usize = 1024;

/// Separates the parts of the full-text field; never in a query, so no
/// match spans two parts.
pub(super) const SEP: char = '\n';

/// One document to index, in display order (newest first): its position is
/// its document number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchDoc<'a> {
    /// Item id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Title in traditional characters, when the bundle has a `zh-Hant`
    /// variant: the 繁體 document table (`search/docs-hant/`) shows it.
    pub title_hant: Option<&'a str>,
    /// Summary, if any.
    pub summary: Option<&'a str>,
    /// Body as plain text ([`super::html_to_text`] of the sanitised HTML).
    pub text: &'a str,
    /// Publication date in Beijing time, `YYYY-MM-DD`.
    pub date: &'a str,
    /// Column id.
    pub column: &'a str,
    /// 文号, if any: a query that is this 文号 in any common form finds it first.
    pub doc_no: Option<&'a str>,
    /// 索引号 (may be empty): likewise.
    pub index_no: &'a str,
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

/// Packs an n-gram (1 to [`MAX_GRAM`] characters) and its field as an integer
/// that sorts by field, length, characters.
/// The low 32 bits are left for a position (see [`tokenize`]).
fn gram(field: Field, chars: &[char]) -> u128 {
    let mut k = (u128::from(field == Field::Full) << 127) | ((chars.len() as u128) << 124);
    for (i, &c) in chars.iter().enumerate() {
        k |= u128::from(c as u32) << (32 + 21 * (3 - i));
    }
    k
}

/// The term of a token (without its position).
const TERM_MASK: u128 = !0xFFFF_FFFF;

fn unpack(g: u128) -> (Field, usize, String) {
    let field = if g >> 127 == 1 {
        Field::Full
    } else {
        Field::Title
    };
    let n = ((g >> 124) & 7) as usize;
    let s = (0..n)
        .map(|i| {
            char::from_u32(((g >> (32 + 21 * (3 - i))) & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}')
        })
        .collect();
    (field, n, s)
}

/// One document's tokens: n-gram with its position in the low 32 bits,
/// sorted (one integer sorts much faster than a pair); words separately.
struct DocTokens {
    grams: Vec<u128>,
    words: Vec<(Field, String, u32)>,
    lens: [u32; 2],
}

fn tokenize(doc: &SearchDoc<'_>) -> DocTokens {
    let (title, full) = fields(doc);
    let mut grams = Vec::with_capacity((full.len() + title.len()) * MAX_GRAM);
    let mut words = Vec::new();
    for (field, chars) in [(Field::Title, &title), (Field::Full, &full)] {
        let mut word_start = None;
        let mut part_end = 0;
        for (i, &c) in chars.iter().enumerate() {
            let p = i as u32;
            if i >= part_end {
                part_end = chars[i..]
                    .iter()
                    .position(|&x| x == SEP)
                    .map_or(chars.len(), |k| i + k);
            }
            if c != SEP {
                let p = u128::from(p);
                if is_word_char(c) {
                    grams.push(gram(field, &chars[i..=i]) | p);
                }
                for n in 2..=MAX_GRAM.min(part_end - i) {
                    grams.push(gram(field, &chars[i..i + n]) | p);
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

/// A term's postings while building: (document << 8 | tf capped at 255),
/// 4 bytes a posting (the largest buffers of a build: 100,000 notices make
/// about 300 million postings), and encoded positions (per document: byte
/// length, then deltas). One small struct so that adding a document touches
/// few cache lines: merging is memory-bound. A tf of 255 already gives a
/// BM25 tf part within 1 % of its limit, so the cap changes no impact.
#[derive(Default)]
struct TermBuf {
    docs: Vec<u32>,
    pos: Vec<u8>,
}

impl TermBuf {
    fn add(&mut self, doc: u32, positions: impl ExactSizeIterator<Item = u32> + Clone, keep: bool) {
        let tf = positions.len().min(usize::from(u8::MAX)) as u32;
        self.docs.push(doc << 8 | tf);
        if keep {
            // The run's byte length first, so that a reader skips a document
            // it does not need in one step instead of decoding its positions.
            let deltas = positions.scan(0u32, |prev, p| {
                let d = p - *prev;
                *prev = p;
                Some(u64::from(d))
            });
            let len: usize = deltas.clone().map(varint_len).sum();
            put_varint(&mut self.pos, len as u64);
            for d in deltas {
                put_varint(&mut self.pos, d);
            }
        }
    }
}

/// Bytes of `v` as a LEB128 varint.
fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// Where each document's positions end in a positions stream of `n` documents.
fn position_ends(pos: &[u8], n: usize) -> Vec<u32> {
    let mut r = super::format::Reader::new(pos);
    let mut ends = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.varint().unwrap_or(0) as usize;
        r.pos = r.pos.saturating_add(len).min(pos.len());
        ends.push(r.pos as u32);
    }
    ends
}

/// Largest document list + impacts kept in a term shard; longer ones get a
/// file of their own, so a query never downloads another term's long list.
pub const DOCS_INLINE_MAX: usize = 400;

/// Largest positions kept in a term shard; longer ones go to block files.
pub const POS_INLINE_MAX: usize = 200;

/// Aimed-for size of a positions block: a query that verifies a few
/// candidate documents fetches a few blocks.
pub const POS_BLOCK_BYTES: usize = 4 * 1024;

/// A phrase of 5 to [`super::format::MAX_PHRASE`] characters gets its own
/// document list if it is in at least this many documents…
pub const PHRASE_MIN_DOCS: usize = 256;

/// … and in at least one document in this many: then checking its
/// positions would read the positions of a good part of the site.
pub const PHRASE_SHARE: usize = 8;

/// Documents sampled, evenly spread, to find the frequent phrases.
pub const PHRASE_SAMPLE: usize = 512;

/// Size limits of the index layout. [`build_search_index`] uses the
/// defaults (the constants above); tests shrink them to exercise every path
/// on small corpora.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// [`DOCS_INLINE_MAX`].
    pub docs_inline_max: usize,
    /// [`POS_INLINE_MAX`].
    pub pos_inline_max: usize,
    /// [`POS_BLOCK_BYTES`].
    pub pos_block_bytes: usize,
    /// [`TARGET_SHARD_BYTES`].
    pub target_shard_bytes: usize,
    /// [`PHRASE_MIN_DOCS`].
    pub phrase_min_docs: usize,
    /// [`PHRASE_SHARE`]; 0 stores no phrase lists.
    pub phrase_share: usize,
    /// [`PHRASE_SAMPLE`].
    pub phrase_sample: usize,
    /// Whether to write the dictionary entries (pinyin, suggestions); off
    /// only to measure what they cost.
    pub dictionary: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            docs_inline_max: DOCS_INLINE_MAX,
            pos_inline_max: POS_INLINE_MAX,
            pos_block_bytes: POS_BLOCK_BYTES,
            target_shard_bytes: TARGET_SHARD_BYTES,
            phrase_min_docs: PHRASE_MIN_DOCS,
            phrase_share: PHRASE_SHARE,
            phrase_sample: PHRASE_SAMPLE,
            dictionary: true,
        }
    }
}

/// Terms in more than one document in this many store no impacts (every
/// document counts as one average occurrence).
pub const IMPACT_MAX_DF_SHARE: usize = 8;

/// One term, encoded, before files are numbered.
struct Encoded {
    key: String,
    df: u32,
    flags: u8,
    list: Vec<u8>,
    impacts: Option<Vec<u8>>,
    docs_ext: bool,
    /// Positions block by block: (document index range, byte range).
    blocks: Vec<(Range<usize>, Range<usize>)>,
    docs: Vec<u32>,
    pos: Vec<u8>,
}

impl Encoded {
    fn new(
        key: String,
        docs: Vec<u32>,
        impacts: Option<Vec<u8>>,
        pos: Vec<u8>,
        layout: &Layout,
    ) -> Self {
        let (flags, list) = encode_docs(&docs);
        let docs_ext = list.len() + impacts.as_ref().map_or(0, Vec::len) > layout.docs_inline_max;
        let mut blocks = Vec::new();
        if pos.len() > layout.pos_inline_max {
            let ends = position_ends(&pos, docs.len());
            let (mut d0, mut b0) = (0usize, 0usize);
            for (i, &end) in ends.iter().enumerate() {
                let end = end as usize;
                if end - b0 >= layout.pos_block_bytes || i + 1 == ends.len() {
                    blocks.push((d0..i + 1, b0..end));
                    (d0, b0) = (i + 1, end);
                }
            }
        }
        // Only positions blocks need the document numbers again.
        let df = docs.len() as u32;
        let docs = if blocks.is_empty() { Vec::new() } else { docs };
        Encoded {
            key,
            df,
            flags,
            list,
            impacts,
            docs_ext,
            blocks,
            docs,
            pos,
        }
    }

    /// A dictionary entry: its values where a document list would be,
    /// always in the term shard.
    fn values(key: String, values: &[String]) -> Self {
        let mut list = Vec::new();
        for v in values {
            put_varint(&mut list, v.len() as u64);
            list.extend_from_slice(v.as_bytes());
        }
        Encoded {
            key,
            df: values.len() as u32,
            flags: FLAG_VALUES,
            list,
            impacts: None,
            docs_ext: false,
            blocks: Vec::new(),
            docs: Vec::new(),
            pos: Vec::new(),
        }
    }

    fn extra_files(&self) -> u32 {
        u32::from(self.docs_ext) + self.blocks.len() as u32
    }
}

fn impacts_of(t: &TermBuf, lens: &[[u32; 2]], avg: f32, fi: usize) -> Vec<u8> {
    let mut out = vec![0u8; t.docs.len().div_ceil(2)];
    for (i, &dt) in t.docs.iter().enumerate() {
        let dl = lens[(dt >> 8) as usize][fi] as f32;
        let tf = (dt & 0xFF) as f32;
        let part = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * dl / avg.max(1.0)));
        let q = ((part / (K1 + 1.0) * 15.0).round() as u8).clamp(1, 15);
        out[i / 2] |= q << (4 * (i % 2));
    }
    out
}

fn shard_file(entries: &[u8], n: usize) -> Vec<u8> {
    let mut out = SHARD_MAGIC.to_vec();
    put_varint(&mut out, n as u64);
    out.extend_from_slice(entries);
    out
}

/// Builds the search files: `search/index.json`, `search/dates.bin`, the
/// shards and the document-table chunks. `docs` are in display order.
///
/// # Panics
///
/// With more than [`MAX_DOCS`] documents (`build_bundle` refuses such a
/// feed with [`crate::build::BuildError::TooManyItems`] first).
pub fn build_search_index(docs: &[SearchDoc<'_>], synonyms: &Synonyms) -> Vec<BundleFile> {
    build_search_index_with(docs, synonyms, &Layout::default())
}

/// Most documents an index can hold: a posting keeps its document number
/// in 24 bits while building.
pub const MAX_DOCS: usize = 1 << 24;

/// [`build_search_index`] with other size limits (for tests).
#[doc(hidden)]
pub fn build_search_index_with(
    docs: &[SearchDoc<'_>],
    synonyms: &Synonyms,
    layout: &Layout,
) -> Vec<BundleFile> {
    assert!(
        docs.len() <= MAX_DOCS,
        "the search index holds at most {MAX_DOCS} documents, not {}",
        docs.len()
    );
    // Frequent phrases first: their pass holds its lists only until they are
    // encoded, before the n-gram maps grow.
    let mut encoded: Vec<Encoded> = frequent_phrases(docs, layout)
        .into_par_iter()
        .map(|(field, text, list)| {
            let key = TermKey::Gram(field, text).key();
            Encoded::new(key, list.to_vec(), None, Vec::new(), layout)
        })
        .collect();
    // The n-gram maps are partitioned by key so that the cores merge in parallel.
    let parts = rayon::current_num_threads().max(1);
    let part_of = |k: u128| ((k >> 32) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) as usize % parts;
    let mut maps: Vec<FastMap<u128, TermBuf>> = (0..parts).map(|_| FastMap::default()).collect();
    let mut words: FastMap<(Field, String), TermBuf> = FastMap::default();
    let mut lens: Vec<[u32; 2]> = Vec::with_capacity(docs.len());
    // Tokenise in parallel a batch at a time (bounded memory), merge in order.
    for (b, batch) in docs.chunks(1024).enumerate() {
        let toks: Vec<DocTokens> = batch.par_iter().map(tokenize).collect();
        let first = (b * 1024) as u32;
        maps.par_iter_mut().enumerate().for_each(|(pi, map)| {
            for (k, t) in toks.iter().enumerate() {
                for run in t.grams.chunk_by(|a, b| (a ^ b) & TERM_MASK == 0) {
                    let key = run[0] & TERM_MASK;
                    if part_of(key) != pi {
                        continue;
                    }
                    let keep = (key >> 124) & 7 == MAX_GRAM as u128;
                    map.entry(key).or_default().add(
                        first + k as u32,
                        run.iter().map(|&x| x as u32),
                        keep,
                    );
                }
            }
        });
        for (k, t) in toks.into_iter().enumerate() {
            lens.push(t.lens);
            for run in t.words.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
                words.entry((run[0].0, run[0].1.clone())).or_default().add(
                    first + k as u32,
                    run.iter().map(|x| x.2),
                    false,
                );
            }
        }
    }
    let n = docs.len().max(1) as f32;
    let avg = [
        lens.iter().map(|l| l[0] as f32).sum::<f32>() / n,
        lens.iter().map(|l| l[1] as f32).sum::<f32>() / n,
    ];

    // Every Chinese character of the site (its single-character grams),
    // for the dictionary's readings.
    let chars: BTreeSet<char> = maps
        .iter()
        .flat_map(|m| m.keys())
        .filter(|&&g| g >> 127 == 1 && (g >> 124) & 7 == 1)
        .filter_map(|&g| char::from_u32(((g >> 95) & 0x1F_FFFF) as u32))
        .filter(|&c| is_han(c))
        .collect();

    // Encode every term.
    let mut terms: Vec<(TermKey, TermBuf)> = maps
        .into_iter()
        .flatten()
        .map(|(g, t)| {
            let (f, _, s) = unpack(g);
            (TermKey::Gram(f, s), t)
        })
        .collect();
    terms.extend(
        words
            .into_iter()
            .map(|((f, w), t)| (TermKey::Word(f, w), t)),
    );
    let mut terms: Vec<Encoded> = terms
        .into_par_iter()
        .map(|(key, t)| {
            let field = match &key {
                TermKey::Gram(f, _) | TermKey::Word(f, _) => *f,
                _ => Field::Full,
            };
            let fi = usize::from(field == Field::Full);
            // A term in more than 1 document in IMPACT_MAX_DF_SHARE has an idf
            // under ln 9 ≈ 2.2: its tf barely moves a score, while its impacts
            // would be four times the size of its bitmap.
            let impacts = (t.docs.len() * IMPACT_MAX_DF_SHARE <= docs.len())
                .then(|| impacts_of(&t, &lens, avg[fi], fi));
            let docs = t.docs.iter().map(|&dt| dt >> 8).collect();
            Encoded::new(key.key(), docs, impacts, t.pos, layout)
        })
        .collect();
    encoded.append(&mut terms);
    drop(terms);
    let hant = docs.iter().any(|d| d.title_hant.is_some());
    encoded.extend(
        id_terms(docs)
            .into_iter()
            .map(|(k, list)| Encoded::new(k.key(), list, None, Vec::new(), layout)),
    );
    if layout.dictionary {
        encoded.extend(dictionary(docs, &chars, hant));
    }
    encoded.par_sort_unstable_by(|a, b| a.key.cmp(&b.key));

    // Term shards hold the small lists and the pointers to the others' files,
    // numbered after the shards in key order.
    let inline: usize = encoded
        .iter()
        .map(|e| {
            e.key.len()
                + 8
                + if e.docs_ext {
                    0
                } else {
                    e.list.len() + e.impacts.as_ref().map_or(0, Vec::len)
                }
                + if e.blocks.is_empty() {
                    e.pos.len()
                } else {
                    4 * e.blocks.len()
                }
        })
        .sum();
    let shards = (inline / layout.target_shard_bytes.max(1))
        .max(1)
        .next_power_of_two() as u32;
    let mut first_file = Vec::with_capacity(encoded.len());
    let mut next = shards;
    for e in &encoded {
        first_file.push(next);
        next += e.extra_files();
    }
    let synonym_file = (!synonyms.groups().is_empty()).then_some(next);

    // Each term's own files, and its entry for its term shard.
    let per_term: Vec<(u32, Vec<u8>, Vec<BundleFile>)> = encoded
        .par_iter()
        .zip(&first_file)
        .map(|(e, &f0)| {
            let mut files = Vec::new();
            let mut f = f0;
            let docs_at = if e.docs_ext {
                let mut body = Vec::new();
                encode_entry(
                    &mut body,
                    &e.key,
                    e.df,
                    DocsAt::Inline(e.flags, &e.list, e.impacts.as_deref()),
                    PosAt::None,
                );
                files.push((shard_path(f), shard_file(&body, 1)));
                f += 1;
                DocsAt::File(f0)
            } else {
                DocsAt::Inline(e.flags, &e.list, e.impacts.as_deref())
            };
            let mut refs = Vec::new();
            for (dr, br) in &e.blocks {
                let docs = &e.docs[dr.clone()];
                let (flags, list) = encode_docs(docs);
                let mut body = Vec::new();
                encode_entry(
                    &mut body,
                    &e.key,
                    docs.len() as u32,
                    DocsAt::Inline(flags, &list, None),
                    PosAt::Inline(&e.pos[br.clone()]),
                );
                files.push((shard_path(f), shard_file(&body, 1)));
                refs.push((docs[0], f));
                f += 1;
            }
            let pos_at = if !refs.is_empty() {
                PosAt::Blocks(&refs)
            } else if !e.pos.is_empty() {
                PosAt::Inline(&e.pos)
            } else {
                PosAt::None
            };
            let mut entry = Vec::new();
            encode_entry(&mut entry, &e.key, e.df, docs_at, pos_at);
            (shard_of(&e.key, shards), entry, files)
        })
        .collect();
    drop(encoded);
    let mut by_shard: Vec<(Vec<u8>, usize)> = (0..shards).map(|_| (Vec::new(), 0)).collect();
    let mut files: Vec<BundleFile> = Vec::new();
    // Entries arrive in key order, so each shard's entries stay sorted.
    for (s, entry, own) in per_term {
        let sh = &mut by_shard[s as usize];
        sh.0.extend_from_slice(&entry);
        sh.1 += 1;
        files.extend(own);
    }
    files.extend(
        by_shard
            .into_iter()
            .enumerate()
            .map(|(i, (body, n))| (shard_path(i as u32), shard_file(&body, n))),
    );

    // The 繁體 table only if the bundle has that variant.
    let hant = docs.iter().any(|d| d.title_hant.is_some());
    for (c, chunk) in docs.chunks(DOC_CHUNK as usize).enumerate() {
        let first = c as u32 * DOC_CHUNK;
        for variant in [Variant::Hans, Variant::Hant] {
            if variant == Variant::Hant && !hant {
                continue;
            }
            let dc = DocChunk {
                first,
                docs: chunk
                    .iter()
                    .map(|d| DocEntry {
                        id: d.id.to_owned(),
                        title: match variant {
                            Variant::Hans => d.title,
                            Variant::Hant => d.title_hant.unwrap_or(d.title),
                        }
                        .to_owned(),
                        date: d.date.to_owned(),
                        column: d.column.to_owned(),
                    })
                    .collect(),
            };
            files.push((chunk_path(c as u32, variant), json(&dc)));
        }
    }
    let dates = DateIndex::from_days(
        docs.iter()
            .map(|d| parse_plain_date(d.date).map_or(0, day_number)),
    );
    files.push((DATES_PATH.to_owned(), dates.encode()));
    let columns = column_ids(docs);
    files.push((COLUMNS_PATH.to_owned(), column_file(docs, &columns)));
    if let Some(n) = synonym_file {
        files.push((shard_path(n), synonym_shard(synonyms, hant)));
    }
    let meta = SearchMeta {
        format: SEARCH_FORMAT,
        docs: docs.len() as u32,
        shards,
        doc_chunk: DOC_CHUNK,
        avg_title_len: avg[0],
        avg_full_len: avg[1],
        columns,
        synonyms: synonym_file,
    };
    files.push((META_PATH.to_owned(), json(&meta)));
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The documents listed under keys of their own: the whole title
/// ([`TermKey::TitleIs`]), the 文号 in full and without its 代字, the
/// 索引号. Lists in document order.
fn id_terms(docs: &[SearchDoc<'_>]) -> Vec<(TermKey, Vec<u32>)> {
    let mut map: FastMap<String, (TermKey, Vec<u32>)> = FastMap::default();
    for (i, d) in docs.iter().enumerate() {
        let title = normalize(d.title);
        let mut keys = Vec::new();
        if !title.is_empty() {
            keys.push(TermKey::TitleIs(title));
        }
        keys.extend(d.doc_no.and_then(doc_no_keys).into_iter().flatten());
        keys.extend(index_no_key(d.index_no));
        for k in keys {
            let list = &mut map.entry(k.key()).or_insert_with(|| (k, Vec::new())).1;
            // A 文号 and its key without the 代字 may coincide in nothing,
            // but a document is listed once per key.
            if list.last() != Some(&(i as u32)) {
                list.push(i as u32);
            }
        }
    }
    map.into_values().collect()
}

/// The dictionary entries of the site ([`dict`]): its vocabulary from the
/// titles, with 繁體 forms when the bundle has that variant.
fn dictionary(docs: &[SearchDoc<'_>], chars: &BTreeSet<char>, hant: bool) -> Vec<Encoded> {
    let titles: Vec<Vec<char>> = docs.par_iter().map(|d| normalize(d.title)).collect();
    let vocab = dict::vocabulary(titles.iter().map(Vec::as_slice));
    let to_hant = |s: &str| crate::convert::s2t(s);
    let entries = dict::entries(
        &vocab,
        chars,
        hant.then_some(&to_hant as &dyn Fn(&str) -> String),
    );
    entries
        .into_iter()
        .map(|(k, values)| Encoded::values(k.key(), &values))
        .collect()
}

/// Column ids, sorted: `search/columns.bin` numbers them in this order.
fn column_ids(docs: &[SearchDoc<'_>]) -> Vec<String> {
    let set: BTreeSet<&str> = docs.iter().map(|d| d.column).collect();
    set.into_iter().map(str::to_owned).collect()
}

/// `search/columns.bin`: each document's column number.
fn column_file(docs: &[SearchDoc<'_>], columns: &[String]) -> Vec<u8> {
    let of = docs
        .iter()
        .map(|d| {
            columns
                .binary_search_by(|c| c.as_str().cmp(d.column))
                .unwrap_or(0) as u16
        })
        .collect();
    ColumnIndex::new(of).encode()
}

/// The synonym table as one search file: an entry per group (keyed by its
/// number), its terms as values, with their 繁體 forms when the bundle has
/// that variant.
fn synonym_shard(synonyms: &Synonyms, hant: bool) -> Vec<u8> {
    let mut body = Vec::new();
    let groups = synonyms.groups();
    let mut keyed: Vec<(String, &Vec<String>)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (format!("s{i}"), g))
        .collect();
    keyed.sort();
    for (key, terms) in &keyed {
        let values: Vec<String> = terms
            .iter()
            .map(|t| {
                let hans: String = normalize(t).into_iter().collect();
                let shown = if hant {
                    crate::convert::s2t(t)
                } else {
                    hans.clone()
                };
                Word::encode(&hans, &shown)
            })
            .collect();
        encode_values(&mut body, key, &values);
    }
    shard_file(&body, keyed.len())
}

fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    // Serialising these plain structs cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}
