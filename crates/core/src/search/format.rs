//! The search files of a bundle (format [`SEARCH_FORMAT`], see
//! `docs/search-format.md`): the meta file, term-keyed shards of postings,
//! the document table in chunks and the date runs.
//!
//! Everything here decodes in the app (wasm) and encodes in the builder.

use crate::date::PlainDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// Version of the search-index format; bumped on any incompatible change.
pub const SEARCH_FORMAT: u32 = 1;

/// Path of the meta file, relative to the bundle root.
pub const META_PATH: &str = "search/index.json";

/// Path of the date runs, relative to the bundle root.
pub const DATES_PATH: &str = "search/dates.bin";

/// First bytes of a shard file.
pub const SHARD_MAGIC: &[u8; 4] = b"GKS1";

/// Path of shard `i`, relative to the bundle root.
pub fn shard_path(i: u32) -> String {
    format!("search/shard/{i}.bin")
}

/// Path of document-table chunk `i`, relative to the bundle root.
pub fn chunk_path(i: u32) -> String {
    format!("search/docs/{i}.json")
}

/// `search/index.json`: what a query needs before anything else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchMeta {
    /// [`SEARCH_FORMAT`].
    pub format: u32,
    /// Number of documents; document numbers are `0..docs`, newest first.
    pub docs: u32,
    /// Number of shards; a term's shard is [`shard_of`]`(key, shards)`.
    pub shards: u32,
    /// Documents per document-table chunk: document `d` is in chunk `d / doc_chunk`.
    pub doc_chunk: u32,
    /// Average normalised length (characters) of the title field.
    pub avg_title_len: f32,
    /// Average normalised length (characters) of the full-text field.
    pub avg_full_len: f32,
    /// Column ids that have a column posting list.
    pub columns: Vec<String>,
}

impl SearchMeta {
    /// The document-table chunk that holds document `doc`.
    pub fn chunk_of(&self, doc: u32) -> u32 {
        doc / self.doc_chunk.max(1)
    }

    /// Number of document-table chunks.
    pub fn chunk_count(&self) -> u32 {
        self.docs.div_ceil(self.doc_chunk.max(1))
    }
}

/// One row of the document table: what a result row shows before its article loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocEntry {
    /// Item id: the article is at [`crate::bundle::item_path`]`(variant, id)`.
    pub id: String,
    /// Title (简体, as in the feed).
    pub title: String,
    /// Publication date in Beijing time, `YYYY-MM-DD`.
    pub date: String,
    /// Column id.
    pub column: String,
}

/// `search/docs/<i>.json`: documents `first .. first + docs.len()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocChunk {
    /// Number of the first document in the chunk.
    pub first: u32,
    /// The documents, in number order.
    pub docs: Vec<DocEntry>,
}

/// The loaded document-table chunks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocTable {
    chunks: BTreeMap<u32, DocChunk>,
}

impl DocTable {
    /// Adds a chunk (decoded from `search/docs/<i>.json`).
    pub fn insert(&mut self, chunk: DocChunk) {
        self.chunks.insert(chunk.first, chunk);
    }

    /// The row of document `doc`, if its chunk is loaded.
    pub fn get(&self, doc: u32) -> Option<&DocEntry> {
        let (_, c) = self.chunks.range(..=doc).next_back()?;
        c.docs.get((doc - c.first) as usize)
    }
}

/// Days since 1970-01-01 of a calendar date.
pub fn day_number(d: PlainDate) -> i64 {
    // Howard Hinnant's days_from_civil.
    let (y, m) = if d.month <= 2 {
        (i64::from(d.year) - 1, i64::from(d.month) + 9)
    } else {
        (i64::from(d.year), i64::from(d.month) - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `search/dates.bin`: the publication day of every document as runs of
/// equal days, newest first. Loaded only for a date filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateIndex {
    /// (day number, number of documents), newest first.
    runs: Vec<(i64, u32)>,
}

impl DateIndex {
    /// Builds runs from the documents' days, newest first (non-increasing).
    pub fn from_days(days: impl IntoIterator<Item = i64>) -> Self {
        let mut runs: Vec<(i64, u32)> = Vec::new();
        for d in days {
            match runs.last_mut() {
                Some((day, n)) if *day == d => *n += 1,
                _ => runs.push((d, 1)),
            }
        }
        DateIndex { runs }
    }

    /// Encodes as varints: run count, first day (zigzag), then for each run
    /// the days back from the previous run and the document count.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, self.runs.len() as u64);
        let mut prev = 0i64;
        for (i, &(day, n)) in self.runs.iter().enumerate() {
            if i == 0 {
                put_varint(&mut out, zigzag(day));
            } else {
                put_varint(&mut out, (prev - day).max(0) as u64);
            }
            put_varint(&mut out, u64::from(n));
            prev = day;
        }
        out
    }

    /// Decodes [`DateIndex::encode`]'s output.
    pub fn decode(bytes: &[u8]) -> Result<Self, FormatError> {
        let mut r = Reader::new(bytes);
        let n = r.varint()? as usize;
        let mut runs = Vec::with_capacity(n.min(1 << 16));
        let mut prev = 0i64;
        for i in 0..n {
            let v = r.varint()?;
            let day = if i == 0 { unzigzag(v) } else { prev - v as i64 };
            runs.push((day, r.varint()? as u32));
            prev = day;
        }
        Ok(DateIndex { runs })
    }

    /// Document numbers published between `from` and `to` (inclusive, either open).
    pub fn doc_range(&self, from: Option<PlainDate>, to: Option<PlainDate>) -> Range<u32> {
        let (from, to) = (from.map(day_number), to.map(day_number));
        let (mut lo, mut hi, mut at) = (None, 0u32, 0u32);
        for &(day, n) in &self.runs {
            let in_range = to.is_none_or(|t| day <= t) && from.is_none_or(|f| day >= f);
            if in_range {
                lo.get_or_insert(at);
                hi = at + n;
            }
            at += n;
        }
        lo.map_or(0..0, |lo| lo..hi)
    }
}

/// A search file that cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The shard does not start with [`SHARD_MAGIC`].
    #[error("not a search shard (bad magic); rebuild the bundle")]
    Magic,
    /// The data ends early or a number is malformed.
    #[error("truncated or corrupt search file at byte {0}")]
    Truncated(usize),
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// A cursor over bytes with varint reads.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub(crate) fn varint(&mut self) -> Result<u64, FormatError> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = *self
                .bytes
                .get(self.pos)
                .ok_or(FormatError::Truncated(self.pos))?;
            self.pos += 1;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err(FormatError::Truncated(self.pos));
            }
        }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<Range<usize>, FormatError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(FormatError::Truncated(self.pos))?;
        let r = self.pos..end;
        self.pos = end;
        Ok(r)
    }
}

/// Which field a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The title.
    Title,
    /// Title, summary and body.
    Full,
}

impl Field {
    /// The key prefix: `t` or `f`.
    pub fn prefix(self) -> char {
        match self {
            Field::Title => 't',
            Field::Full => 'f',
        }
    }
}

/// A term of the index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TermKey {
    /// One word character (key `<field>c<char>`): documents only.
    Char(Field, char),
    /// Two adjacent normalised characters (`<field>b<c1><c2>`): with positions.
    Bigram(Field, char, char),
    /// A run of ASCII letters and digits (`<field>w<word>`): with positions.
    Word(Field, String),
    /// The documents of a column (`k<column id>`).
    Column(String),
}

impl TermKey {
    /// The key as stored in a shard.
    pub fn key(&self) -> String {
        match self {
            TermKey::Char(f, c) => format!("{}c{c}", f.prefix()),
            TermKey::Bigram(f, a, b) => format!("{}b{a}{b}", f.prefix()),
            TermKey::Word(f, w) => format!("{}w{w}", f.prefix()),
            TermKey::Column(c) => format!("k{c}"),
        }
    }
}

/// The shard of a stored key: FNV-1a of the key without its field prefix
/// (so a term's title and full-text lists share a shard), mixed, modulo `shards`.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    let body = if key.starts_with(['t', 'f']) {
        &key[1..]
    } else {
        key
    };
    let mut h: u32 = 0x811c_9dc5;
    for &b in body.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x7feb_352d);
    h ^= h >> 15;
    h % shards.max(1)
}

/// Flag: the document list is a bitmap rather than varint deltas.
pub(crate) const FLAG_BITMAP: u8 = 1;
/// Flag: one impact byte per document follows the document list.
pub(crate) const FLAG_IMPACTS: u8 = 2;
/// Flag: a positions block follows.
pub(crate) const FLAG_POSITIONS: u8 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: String,
    df: u32,
    flags: u8,
    docs: Range<usize>,
    impacts: Range<usize>,
    positions: Range<usize>,
}

/// A decoded shard: its directory of terms over the raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

/// A term's postings, decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Postings {
    /// Document numbers, ascending.
    pub docs: Vec<u32>,
    /// BM25 term-frequency part per document, quantised to 0–255 (empty if not stored).
    pub impacts: Vec<u8>,
    /// Start of each document's positions in `positions` (`docs.len() + 1` entries), if stored.
    pub offsets: Vec<u32>,
    /// Character positions, ascending within each document.
    pub positions: Vec<u32>,
}

impl Postings {
    /// Positions of the `i`-th document.
    pub fn positions_of(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.positions[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Impact of the `i`-th document as a BM25 tf part (0 ..= k1 + 1).
    pub fn tf_part(&self, i: usize) -> f32 {
        self.impacts.get(i).map_or(1.0, |&q| {
            f32::from(q) / 255.0 * (super::index_params::K1 + 1.0)
        })
    }
}

impl Shard {
    /// Parses a shard file's directory.
    pub fn decode(bytes: Vec<u8>) -> Result<Self, FormatError> {
        if bytes.get(..4) != Some(SHARD_MAGIC) {
            return Err(FormatError::Magic);
        }
        let mut r = Reader::new(&bytes);
        r.pos = 4;
        let n = r.varint()? as usize;
        let mut entries = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let klen = r.varint()? as usize;
            let k = r.take(klen)?;
            let key =
                String::from_utf8(bytes[k].to_vec()).map_err(|_| FormatError::Truncated(r.pos))?;
            let df = r.varint()? as u32;
            let flags = *bytes.get(r.pos).ok_or(FormatError::Truncated(r.pos))?;
            r.pos += 1;
            let dlen = r.varint()? as usize;
            let docs = r.take(dlen)?;
            let impacts = if flags & FLAG_IMPACTS != 0 {
                r.take(df as usize)?
            } else {
                r.pos..r.pos
            };
            let positions = if flags & FLAG_POSITIONS != 0 {
                let plen = r.varint()? as usize;
                r.take(plen)?
            } else {
                r.pos..r.pos
            };
            entries.push(Entry {
                key,
                df,
                flags,
                docs,
                impacts,
                positions,
            });
        }
        if !r.at_end() {
            return Err(FormatError::Truncated(r.pos));
        }
        Ok(Shard { bytes, entries })
    }

    /// Number of terms in the shard.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the shard has no terms.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Document frequency of `key`, 0 if absent.
    pub fn df(&self, key: &str) -> u32 {
        self.find(key).map_or(0, |e| e.df)
    }

    fn find(&self, key: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// Decodes the postings of `key`; `None` if the shard does not have it.
    pub fn postings(
        &self,
        key: &str,
        with_positions: bool,
    ) -> Result<Option<Postings>, FormatError> {
        let Some(e) = self.find(key) else {
            return Ok(None);
        };
        let mut p = Postings::default();
        let data = &self.bytes[e.docs.clone()];
        if e.flags & FLAG_BITMAP != 0 {
            p.docs.reserve(e.df as usize);
            for (i, &b) in data.iter().enumerate() {
                let mut b = b;
                while b != 0 {
                    let bit = b.trailing_zeros();
                    p.docs.push(i as u32 * 8 + bit);
                    b &= b - 1;
                }
            }
        } else {
            let mut r = Reader::new(data);
            let mut doc = 0u32;
            p.docs.reserve(e.df as usize);
            for i in 0..e.df {
                let d = r.varint()? as u32;
                doc = if i == 0 { d } else { doc + d };
                p.docs.push(doc);
            }
        }
        if p.docs.len() != e.df as usize {
            return Err(FormatError::Truncated(e.docs.start));
        }
        p.impacts = self.bytes[e.impacts.clone()].to_vec();
        if with_positions && e.flags & FLAG_POSITIONS != 0 {
            let mut r = Reader::new(&self.bytes[e.positions.clone()]);
            p.offsets.reserve(p.docs.len() + 1);
            p.offsets.push(0);
            for _ in 0..p.docs.len() {
                let n = r.varint()? as usize;
                let mut pos = 0u32;
                for j in 0..n {
                    let d = r.varint()? as u32;
                    pos = if j == 0 { d } else { pos + d };
                    p.positions.push(pos);
                }
                p.offsets.push(p.positions.len() as u32);
            }
        }
        Ok(Some(p))
    }
}

/// Encodes one term's entry: key, df, flags, documents, impacts, positions.
#[cfg(any(feature = "build", test))]
pub(crate) fn encode_entry(
    out: &mut Vec<u8>,
    key: &str,
    docs: &[u32],
    impacts: Option<&[u8]>,
    positions: Option<&[u8]>,
) {
    put_varint(out, key.len() as u64);
    out.extend_from_slice(key.as_bytes());
    put_varint(out, docs.len() as u64);
    let mut deltas = Vec::with_capacity(docs.len() * 2);
    let mut prev = 0;
    for (i, &d) in docs.iter().enumerate() {
        put_varint(&mut deltas, u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
    let bitmap_len = docs.last().map_or(0, |&d| d as usize / 8 + 1);
    let mut flags = 0;
    if bitmap_len < deltas.len() {
        flags |= FLAG_BITMAP;
    }
    if impacts.is_some() {
        flags |= FLAG_IMPACTS;
    }
    if positions.is_some() {
        flags |= FLAG_POSITIONS;
    }
    out.push(flags);
    if flags & FLAG_BITMAP != 0 {
        let mut bits = vec![0u8; bitmap_len];
        for &d in docs {
            bits[d as usize / 8] |= 1 << (d % 8);
        }
        put_varint(out, bits.len() as u64);
        out.extend_from_slice(&bits);
    } else {
        put_varint(out, deltas.len() as u64);
        out.extend_from_slice(&deltas);
    }
    if let Some(imp) = impacts {
        out.extend_from_slice(imp);
    }
    if let Some(pos) = positions {
        put_varint(out, pos.len() as u64);
        out.extend_from_slice(pos);
    }
}

/// The loaded shards, by shard number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shards {
    map: BTreeMap<u32, Shard>,
}

impl Shards {
    /// Adds shard `i` (decoded from [`shard_path`]`(i)`).
    pub fn insert(&mut self, i: u32, shard: Shard) {
        self.map.insert(i, shard);
    }

    /// Whether shard `i` is loaded.
    pub fn contains(&self, i: u32) -> bool {
        self.map.contains_key(&i)
    }

    /// Shard `i`, if loaded.
    pub fn get(&self, i: u32) -> Option<&Shard> {
        self.map.get(&i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_round_trip_varint_and_bitmap() {
        let mut body = Vec::new();
        let mut pos = Vec::new();
        put_varint(&mut pos, 2);
        put_varint(&mut pos, 3);
        put_varint(&mut pos, 4);
        put_varint(&mut pos, 1);
        put_varint(&mut pos, 300);
        encode_entry(&mut body, "fb科技", &[5, 900], Some(&[10, 255]), Some(&pos));
        let dense: Vec<u32> = (0..100).collect();
        encode_entry(&mut body, "kzn", &dense, None, None);
        let mut bytes = SHARD_MAGIC.to_vec();
        put_varint(&mut bytes, 2);
        bytes.extend_from_slice(&body);
        let s = Shard::decode(bytes).unwrap();
        let p = s.postings("fb科技", true).unwrap().unwrap();
        assert_eq!(p.docs, [5, 900]);
        assert_eq!(p.positions_of(0), [3, 7]);
        assert_eq!(p.positions_of(1), [300]);
        assert_eq!(s.postings("kzn", false).unwrap().unwrap().docs, dense);
        assert_eq!(s.postings("x", false).unwrap(), None);
        assert_eq!(Shard::decode(b"nope".to_vec()), Err(FormatError::Magic));
    }

    #[test]
    fn date_runs() {
        let d = |y, m, day| PlainDate {
            year: y,
            month: m,
            day,
        };
        let days = [d(2024, 3, 2), d(2024, 3, 2), d(2024, 3, 1), d(2023, 1, 1)];
        let idx = DateIndex::from_days(days.iter().map(|&x| day_number(x)));
        let idx = DateIndex::decode(&idx.encode()).unwrap();
        assert_eq!(idx.doc_range(None, None), 0..4);
        assert_eq!(idx.doc_range(Some(d(2024, 3, 1)), None), 0..3);
        assert_eq!(idx.doc_range(None, Some(d(2024, 3, 1))), 2..4);
        assert_eq!(idx.doc_range(Some(d(2025, 1, 1)), None), 0..0);
        assert_eq!(day_number(d(1970, 1, 1)), 0);
        assert_eq!(day_number(d(2000, 3, 1)), 11_017);
    }
}
