//! Building the search files (feature `build`).

use super::builder::IndexBuilder;
use super::dict;
use super::expand::Word;
use super::format::{
    encode_docs, encode_entry, encode_values, put_varint, shard_path, DocsAt, Field, PosAt,
    FLAG_VALUES, MAX_GRAM, SHARD_MAGIC,
};
use super::index_params::{B, K1};
use super::spill::{put_bytes, SpillReader};
use super::synonyms::Synonyms;
use super::text::{is_word_char, normalize};
use crate::bundle::BundleFile;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::io;
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
pub(super) const TERM_MASK: u128 = !0xFFFF_FFFF;

pub(super) fn unpack(g: u128) -> (Field, usize, String) {
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
/// sorted (one integer sorts much faster than a pair); words separately;
/// the normalised fields ([`fields`]).
pub(super) struct DocTokens {
    pub(super) grams: Vec<u128>,
    pub(super) words: Vec<(Field, String, u32)>,
    pub(super) lens: [u32; 2],
    pub(super) title: Vec<char>,
    pub(super) full: Vec<char>,
}

pub(super) fn tokenize(doc: &SearchDoc<'_>) -> DocTokens {
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
        title,
        full,
    }
}

/// A term's postings while building: (document << 8 | tf capped at 255),
/// 4 bytes a posting (the largest buffers of a build: 100,000 notices make
/// about 300 million postings), and encoded positions (per document: byte
/// length, then deltas). One small struct so that adding a document touches
/// few cache lines: merging is memory-bound. A tf of 255 already gives a
/// BM25 tf part within 1 % of its limit, so the cap changes no impact.
#[derive(Default)]
pub(super) struct TermBuf {
    pub(super) docs: Vec<u32>,
    pub(super) pos: Vec<u8>,
}

impl TermBuf {
    /// Bytes of the buffers on the heap.
    pub(super) fn heap(&self) -> usize {
        self.docs.capacity() * 4 + self.pos.capacity()
    }

    pub(super) fn add(
        &mut self,
        doc: u32,
        positions: impl ExactSizeIterator<Item = u32> + Clone,
        keep: bool,
    ) {
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
pub(super) fn position_ends(pos: &[u8], n: usize) -> Vec<u32> {
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

/// [`Encoded::file_tags`]' tag of a term's document-list file (no
/// document has this number).
pub(super) const DOCS_FILE_TAG: u32 = u32::MAX;

/// A murmur-style finaliser of a document number: picks the documents
/// after which positions blocks may end.
fn mix32(d: u32) -> u32 {
    let mut h = d;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85EB_CA6B);
    h ^= h >> 13;
    h = h.wrapping_mul(0xC2B2_AE35);
    h ^ (h >> 16)
}

pub use super::index_params::IMPACT_MAX_DF_SHARE;

/// One term, encoded, before files are numbered.
pub(super) struct Encoded {
    pub(super) key: String,
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
    pub(super) fn new(
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
            let block = layout.pos_block_bytes;
            for (i, &end) in ends.iter().enumerate() {
                let end = end as usize;
                // Cut after a document picked by its number once the block
                // has 3/4 of its size (or at twice the size): an added or
                // deleted document then moves no other cut, so the term's
                // other blocks (and their files) stay the same.
                let size = end - b0;
                let cut = size >= 2 * block
                    || (size >= block - block / 4 && mix32(docs[i]).is_multiple_of(4));
                if cut || i + 1 == ends.len() {
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
    /// Whether two dictionary entries ([`Encoded::values`]) hold the same values.
    pub(super) fn same(&self, o: &Encoded) -> bool {
        (self.df, self.flags, &self.list) == (o.df, o.flags, &o.list)
    }

    pub(super) fn values(key: String, values: &[String]) -> Self {
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

    pub(super) fn extra_files(&self) -> u32 {
        u32::from(self.docs_ext) + self.blocks.len() as u32
    }

    /// What names each of the term's own files, in [`Encoded::own_files`]'s
    /// order: [`DOCS_FILE_TAG`] for the document list, then each positions
    /// block's first document. With the key, that picks the file's number
    /// (`builder::FileNumbers`), so a file keeps its number while its
    /// term's other files come and go.
    pub(super) fn file_tags(&self) -> Vec<u32> {
        let mut tags = Vec::with_capacity(self.extra_files() as usize);
        if self.docs_ext {
            tags.push(DOCS_FILE_TAG);
        }
        tags.extend(self.blocks.iter().map(|(dr, _)| self.docs[dr.start]));
        tags
    }

    /// About the bytes of the term's entry in its term shard.
    pub(super) fn inline_bytes(&self) -> usize {
        self.key.len()
            + 8
            + if self.docs_ext {
                0
            } else {
                self.list.len() + self.impacts.as_ref().map_or(0, Vec::len)
            }
            + if self.blocks.is_empty() {
                self.pos.len()
            } else {
                4 * self.blocks.len()
            }
    }

    /// The term's own files, numbered `numbers` (one per
    /// [`Encoded::file_tags`]): its document list (if too long for the
    /// shard), then its positions blocks.
    pub(super) fn own_files(&self, numbers: &[u32]) -> Vec<BundleFile> {
        let mut files = Vec::new();
        let mut numbers = numbers.iter().copied();
        let mut f = numbers.next().unwrap_or(0);
        if self.docs_ext {
            let mut body = Vec::new();
            encode_entry(
                &mut body,
                &self.key,
                self.df,
                DocsAt::Inline(self.flags, &self.list, self.impacts.as_deref()),
                PosAt::None,
            );
            files.push((shard_path(f), shard_file(&body, 1)));
            f = numbers.next().unwrap_or(0);
        }
        for (dr, br) in &self.blocks {
            let docs = &self.docs[dr.clone()];
            let (flags, list) = encode_docs(docs);
            let mut body = Vec::new();
            encode_entry(
                &mut body,
                &self.key,
                docs.len() as u32,
                DocsAt::Inline(flags, &list, None),
                PosAt::Inline(&self.pos[br.clone()]),
            );
            files.push((shard_path(f), shard_file(&body, 1)));
            f = numbers.next().unwrap_or(0);
        }
        files
    }

    /// Appends the term's entry for its term shard, its own files numbered
    /// `numbers` (as [`Encoded::own_files`]).
    pub(super) fn entry(&self, numbers: &[u32], out: &mut Vec<u8>) {
        let docs_at = if self.docs_ext {
            DocsAt::File(numbers[0])
        } else {
            DocsAt::Inline(self.flags, &self.list, self.impacts.as_deref())
        };
        let first_block = usize::from(self.docs_ext);
        let refs: Vec<(u32, u32)> = self
            .blocks
            .iter()
            .enumerate()
            .map(|(i, (dr, _))| (self.docs[dr.start], numbers[first_block + i]))
            .collect();
        let pos_at = if !refs.is_empty() {
            PosAt::Blocks(&refs)
        } else if !self.pos.is_empty() {
            PosAt::Inline(&self.pos)
        } else {
            PosAt::None
        };
        encode_entry(out, &self.key, self.df, docs_at, pos_at);
    }

    /// Appends the encoded term as the builder stores it between passes.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        put_bytes(out, self.key.as_bytes());
        put_varint(out, u64::from(self.df));
        out.push(self.flags);
        put_bytes(out, &self.list);
        match &self.impacts {
            None => out.push(0),
            Some(i) => {
                out.push(1);
                put_bytes(out, i);
            }
        }
        out.push(u8::from(self.docs_ext));
        put_varint(out, self.blocks.len() as u64);
        for (dr, br) in &self.blocks {
            for v in [dr.start, dr.end, br.start, br.end] {
                put_varint(out, v as u64);
            }
        }
        put_varint(out, self.docs.len() as u64);
        for &d in &self.docs {
            put_varint(out, u64::from(d));
        }
        put_bytes(out, &self.pos);
    }

    /// The next term written by [`Encoded::write`], or `None` at the end.
    pub(super) fn read(r: &mut SpillReader<'_>) -> io::Result<Option<Self>> {
        let Some(len) = r.next_varint()? else {
            return Ok(None);
        };
        let key = String::from_utf8(r.take(len as usize)?)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let df = r.varint()? as u32;
        let flags = r.take(1)?[0];
        let list = r.bytes()?;
        let impacts = match r.take(1)?[0] {
            0 => None,
            _ => Some(r.bytes()?),
        };
        let docs_ext = r.take(1)?[0] == 1;
        let nb = r.varint()? as usize;
        let mut blocks = Vec::with_capacity(nb);
        for _ in 0..nb {
            let mut v = [0usize; 4];
            for x in &mut v {
                *x = r.varint()? as usize;
            }
            blocks.push((v[0]..v[1], v[2]..v[3]));
        }
        let nd = r.varint()? as usize;
        let mut docs = Vec::with_capacity(nd);
        for _ in 0..nd {
            docs.push(r.varint()? as u32);
        }
        let pos = r.bytes()?;
        Ok(Some(Encoded {
            key,
            df,
            flags,
            list,
            impacts,
            docs_ext,
            blocks,
            docs,
            pos,
        }))
    }
}

pub(super) fn impacts_of(t: &TermBuf, lens: &[[u32; 2]], avg: f32, fi: usize) -> Vec<u8> {
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

pub(super) fn shard_file(entries: &[u8], n: usize) -> Vec<u8> {
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

/// [`build_search_index`] with other size limits (for tests): the
/// streaming [`IndexBuilder`] with no memory budget, so nothing is spilled.
///
/// # Panics
///
/// With more than [`MAX_DOCS`] documents.
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
    let mut files = Vec::new();
    let mut b = IndexBuilder::with_layout(synonyms.clone(), *layout, usize::MAX);
    let built = b.push_batch(docs).and_then(|()| {
        b.finish(|p, bytes| {
            files.push((p, bytes));
            Ok(())
        })
    });
    // With no budget every part stays in memory: no file, so no I/O error.
    if let Err(e) = built {
        unreachable!("in-memory search index build failed: {e}");
    }
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The dictionary entries of the site ([`dict`]): its vocabulary from the
/// titles, with 繁體 forms when the bundle has that variant.
pub(super) fn dictionary(titles: &[Vec<char>], chars: &BTreeSet<char>, hant: bool) -> Vec<Encoded> {
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

/// The synonym table as one search file: an entry per group (keyed by its
/// number), its terms as values, with their 繁體 forms when the bundle has
/// that variant.
pub(super) fn synonym_shard(synonyms: &Synonyms, hant: bool) -> Vec<u8> {
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

pub(super) fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    // Serialising these plain structs cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}
