//! The search files of a bundle (format [`SEARCH_FORMAT`], see
//! `docs/search-format.md`): the meta file, term-keyed shards of postings,
//! the document table in chunks and the date runs.
//!
//! Everything here decodes in the app (wasm) and encodes in the builder.

use crate::bundle::Variant;
use crate::date::PlainDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// Version of the search-index format; bumped on any incompatible change.
pub const SEARCH_FORMAT: u32 = 8;

/// Path of the meta file, relative to the bundle root.
pub const META_PATH: &str = "search/index.json";

/// Path of the date runs, relative to the bundle root.
pub const DATES_PATH: &str = "search/dates.bin";

/// Path of the column of every document, relative to the bundle root.
pub const COLUMNS_PATH: &str = "search/columns.bin";

/// Path of the display rank of every document number, relative to the
/// bundle root: written only when numbers are not ranks ([`SearchMeta::order`]).
pub const ORDER_PATH: &str = "search/order.bin";

/// First bytes of a shard file.
pub const SHARD_MAGIC: &[u8; 4] = b"GKS2";

/// Path of shard `i`, relative to the bundle root.
pub fn shard_path(i: u32) -> String {
    format!("search/shard/{i}.bin")
}

/// Path of document-table chunk `i` of a variant, relative to the bundle
/// root: `search/docs/<i>.json` (简体 titles) or `search/docs-hant/<i>.json`
/// (繁體 titles, written when the bundle has that variant). Each reader
/// downloads only the titles of their script.
pub fn chunk_path(i: u32, variant: Variant) -> String {
    match variant {
        Variant::Hans => format!("search/docs/{i}.json"),
        Variant::Hant => format!("search/docs-hant/{i}.json"),
    }
}

/// A file of the search index that a query asks for
/// ([`crate::search::Query::step`]): fetch [`SearchFile::path`] and pass
/// the bytes to [`Shards::load`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SearchFile {
    /// A term shard, document-list file or positions block ([`shard_path`]).
    Shard(u32),
    /// The publication days ([`DATES_PATH`]): only for a date filter.
    Dates,
    /// The column of every document ([`COLUMNS_PATH`]): for a column filter
    /// and the counts per 栏目.
    Columns,
    /// The display rank of every document number ([`ORDER_PATH`]): fetched
    /// with the first term shards when [`SearchMeta::order`] says so.
    Order,
}

impl SearchFile {
    /// The file's path, relative to the bundle root.
    pub fn path(self) -> String {
        match self {
            SearchFile::Shard(i) => shard_path(i),
            SearchFile::Dates => DATES_PATH.to_owned(),
            SearchFile::Columns => COLUMNS_PATH.to_owned(),
            SearchFile::Order => ORDER_PATH.to_owned(),
        }
    }

    /// The file at `path` ([`SearchFile::path`]'s inverse).
    pub fn from_path(path: &str) -> Option<SearchFile> {
        match path {
            DATES_PATH => Some(SearchFile::Dates),
            COLUMNS_PATH => Some(SearchFile::Columns),
            ORDER_PATH => Some(SearchFile::Order),
            _ => path
                .strip_prefix("search/shard/")?
                .strip_suffix(".bin")?
                .parse()
                .ok()
                .map(SearchFile::Shard),
        }
    }
}

/// `search/index.json`: what a query needs before anything else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchMeta {
    /// [`SEARCH_FORMAT`].
    pub format: u32,
    /// Number of documents; their display ranks are `0..docs`, newest
    /// first. Without [`SearchMeta::order`], document numbers are the ranks.
    pub docs: u32,
    /// Number of shards; a term's shard is [`shard_of`]`(key, shards)`.
    pub shards: u32,
    /// Documents per document-table chunk: document `d` is in chunk `d / doc_chunk`.
    pub doc_chunk: u32,
    /// Average normalised length (characters) of the title field.
    pub avg_title_len: f32,
    /// Average normalised length (characters) of the full-text field.
    pub avg_full_len: f32,
    /// Column ids, sorted: `search/columns.bin` numbers them in this order.
    pub columns: Vec<String>,
    /// The file ([`shard_path`]) of the synonym table (the default table
    /// and the site's `_gov.synonyms`): fetched only by 模糊 queries.
    pub synonyms: Option<u32>,
    /// Whether the term files number documents by stable numbers (a
    /// notice keeps the number it was first given) rather than by rank:
    /// [`ORDER_PATH`] then maps numbers to ranks, and every list is
    /// renumbered by rank as it is read. Everything else (document table,
    /// dates, columns, results) is in ranks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub order: bool,
    /// The delta segment, when this build kept the previous build's term
    /// files (the *base*) and wrote only the added and changed documents'
    /// terms beside them (`docs/search-format.md`, "The delta segment").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<DeltaMeta>,
}

/// Where the delta segment is: its documents' numbers and its files.
/// The base's changed and deleted documents are holes of [`ORDER_PATH`]
/// (their numbers have no rank), so their base entries drop out as every
/// list is renumbered; the delta's documents are numbered from `numbers` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeltaMeta {
    /// The base's number space: documents numbered from here on are the delta's.
    pub numbers: u32,
    /// The delta's first file ([`shard_path`]): its term shards are
    /// `first .. first + shards`, then its long lists and positions blocks.
    pub first: u32,
    /// The delta's term shard count; a term's is `first + shard_of(key, shards)`.
    pub shards: u32,
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
    /// Title in the chunk's script (简体 as in the feed, or as in the
    /// `zh-Hant` variant).
    pub title: String,
    /// Publication date in Beijing time, `YYYY-MM-DD`.
    pub date: String,
    /// Column id.
    pub column: String,
}

/// `search/docs/<i>.json` (or `docs-hant`): documents `first .. first + docs.len()`.
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

/// `search/columns.bin`: the column of every document, as an index into
/// [`SearchMeta::columns`]: a varint count, then one varint per document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnIndex {
    of: Vec<u16>,
}

impl ColumnIndex {
    /// The index from each document's column number, in document order.
    #[cfg(any(feature = "build", test))]
    pub(crate) fn new(of: Vec<u16>) -> Self {
        ColumnIndex { of }
    }

    /// Encodes as varints: count, then each document's column number.
    #[cfg(any(feature = "build", test))]
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.of.len() + 4);
        put_varint(&mut out, self.of.len() as u64);
        for &c in &self.of {
            put_varint(&mut out, u64::from(c));
        }
        out
    }

    /// Decodes [`ColumnIndex::encode`]'s output.
    pub fn decode(bytes: &[u8]) -> Result<Self, FormatError> {
        let mut r = Reader::new(bytes);
        let n = r.varint()? as usize;
        let mut of = Vec::with_capacity(n.min(1 << 24));
        for _ in 0..n {
            let c = r.varint()?;
            of.push(u16::try_from(c).map_err(|_| FormatError::Truncated(r.pos))?);
        }
        Ok(ColumnIndex { of })
    }

    /// The column number of document `doc` (an index into
    /// [`SearchMeta::columns`]), if the file covers it.
    #[inline]
    pub fn of(&self, doc: u32) -> Option<u16> {
        self.of.get(doc as usize).copied()
    }
}

/// `search/order.bin`: the display rank of each stable document number
/// (deleted numbers have none), and its inverse.
///
/// Encoded as varints: the number of documents (ranks), the size of the
/// number space, the number of runs, then per run of consecutive numbers
/// with consecutive ranks: the numbers skipped since the previous run
/// (holes), its first rank, its length. A build that added one notice
/// to a site numbered by rank has two runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderMap {
    /// Number → rank ([`OrderMap::HOLE`] for a deleted number).
    rank_of: Vec<u32>,
    /// Rank → number.
    number_of: Vec<u32>,
}

impl OrderMap {
    /// The rank of a number no document has.
    pub const HOLE: u32 = u32::MAX;

    /// The map of documents whose rank `r` has number `numbers[r]` (all
    /// distinct) in a space of `space` numbers.
    pub fn new(numbers: Vec<u32>, space: u32) -> Self {
        let mut rank_of = vec![Self::HOLE; space as usize];
        for (r, &d) in numbers.iter().enumerate() {
            rank_of[d as usize] = r as u32;
        }
        OrderMap {
            rank_of,
            number_of: numbers,
        }
    }

    /// Number of documents.
    pub fn docs(&self) -> u32 {
        self.number_of.len() as u32
    }

    /// Size of the number space (documents and holes).
    pub fn space(&self) -> u32 {
        self.rank_of.len() as u32
    }

    /// The rank of number `d` ([`OrderMap::HOLE`] if deleted or out of range).
    #[inline]
    pub fn rank(&self, d: u32) -> u32 {
        self.rank_of.get(d as usize).copied().unwrap_or(Self::HOLE)
    }

    /// The number of rank `r`.
    #[inline]
    pub fn number(&self, r: u32) -> u32 {
        self.number_of[r as usize]
    }

    /// The runs of consecutive numbers with consecutive ranks: (first
    /// number, first rank, length).
    pub fn runs(&self) -> Vec<(u32, u32, u32)> {
        let mut runs: Vec<(u32, u32, u32)> = Vec::new();
        for (d, &r) in self.rank_of.iter().enumerate() {
            if r == Self::HOLE {
                continue;
            }
            match runs.last_mut() {
                Some((d0, r0, len)) if *d0 + *len == d as u32 && *r0 + *len == r => *len += 1,
                _ => runs.push((d as u32, r, 1)),
            }
        }
        runs
    }

    /// Encodes as described on [`OrderMap`].
    pub fn encode(&self) -> Vec<u8> {
        let runs = self.runs();
        let mut out = Vec::with_capacity(runs.len() * 6 + 12);
        put_varint(&mut out, u64::from(self.docs()));
        put_varint(&mut out, u64::from(self.space()));
        put_varint(&mut out, runs.len() as u64);
        let mut end = 0;
        for (d, r, len) in runs {
            put_varint(&mut out, u64::from(d - end));
            put_varint(&mut out, u64::from(r));
            put_varint(&mut out, u64::from(len));
            end = d + len;
        }
        out
    }

    /// Decodes [`OrderMap::encode`]'s output, checking that every rank
    /// has exactly one number.
    pub fn decode(bytes: &[u8]) -> Result<Self, FormatError> {
        let mut r = Reader::new(bytes);
        let docs = r.varint()?;
        let space = r.varint()?;
        if docs > space || space > MAX_SPACE {
            return Err(FormatError::Truncated(r.pos));
        }
        let (docs, space) = (docs as u32, space as u32);
        let mut rank_of = vec![Self::HOLE; space as usize];
        let mut number_of = vec![Self::HOLE; docs as usize];
        let runs = r.varint()?;
        let mut end = 0u64;
        for _ in 0..runs {
            let d0 = end + r.varint()?;
            let r0 = r.varint()?;
            let len = r.varint()?;
            if d0 + len > u64::from(space) || r0 + len > u64::from(docs) {
                return Err(FormatError::Truncated(r.pos));
            }
            for k in 0..len {
                let (d, rank) = ((d0 + k) as usize, (r0 + k) as usize);
                if number_of[rank] != Self::HOLE {
                    return Err(FormatError::Truncated(r.pos));
                }
                rank_of[d] = rank as u32;
                number_of[rank] = d as u32;
            }
            end = d0 + len;
        }
        if number_of.contains(&Self::HOLE) {
            return Err(FormatError::Truncated(r.pos));
        }
        Ok(OrderMap { rank_of, number_of })
    }

    /// A decoded list (numbers, ascending) in ranks, ascending, with its
    /// impacts moved along; numbers without a rank are dropped.
    fn renumber(&self, docs: DocSet, impacts: Vec<u8>) -> (DocSet, Vec<u8>) {
        let numbers = match docs {
            DocSet::List(d) => d,
            DocSet::Bits { words, .. } => {
                let mut ranks = vec![0u64; self.docs().div_ceil(64) as usize];
                let mut df = 0;
                for_each_bit(&words, |d| {
                    let r = self.rank(d);
                    if r != Self::HOLE {
                        ranks[r as usize / 64] |= 1 << (r % 64);
                        df += 1;
                    }
                });
                return (DocSet::Bits { words: ranks, df }, impacts);
            }
        };
        let mut pairs: Vec<(u32, u8)> = numbers
            .iter()
            .enumerate()
            .filter_map(|(i, &d)| {
                let r = self.rank(d);
                let imp = impacts
                    .get(i / 2)
                    .map_or(0, |b| (b >> (4 * (i % 2))) & 0x0F);
                (r != Self::HOLE).then_some((r, imp))
            })
            .collect();
        pairs.sort_unstable_by_key(|p| p.0);
        let impacts = if impacts.is_empty() {
            impacts
        } else {
            let mut out = vec![0u8; pairs.len().div_ceil(2)];
            for (i, p) in pairs.iter().enumerate() {
                out[i / 2] |= p.1 << (4 * (i % 2));
            }
            out
        };
        (
            DocSet::List(pairs.into_iter().map(|p| p.0).collect()),
            impacts,
        )
    }
}

/// Largest number space [`OrderMap::decode`] accepts.
const MAX_SPACE: u64 = 1 << 26;

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

/// Longest indexed character n-gram; exact queries up to this length are
/// answered from document lists alone.
pub const MAX_GRAM: usize = 4;

/// Longest phrase whose document list the index may store: phrases of
/// [`MAX_GRAM`]` + 1` to `MAX_PHRASE` characters found in many documents
/// (see `docs/search-format.md`) are answered from their list instead of
/// positions.
pub const MAX_PHRASE: usize = 16;

/// A term of the index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TermKey {
    /// 1 to [`MAX_GRAM`] adjacent normalised characters (`<field>g<chars>`;
    /// a single character only if it is a word character). Only
    /// [`MAX_GRAM`]-grams have positions. Longer ones, up to [`MAX_PHRASE`],
    /// are frequent phrases: a document list only, present only for phrases
    /// in many documents.
    Gram(Field, String),
    /// A run of ASCII letters and digits (`<field>w<word>`): documents only.
    Word(Field, String),
    /// The documents whose whole normalised title is this text
    /// (`te<first characters>#<12 hex digits>`: its first [`MAX_GRAM`]
    /// characters and 48 bits of [`title_hash`]): a query that is a title
    /// finds its notice first. The entry lives in the shard of the gram of
    /// those first characters, which an exact query loads anyway.
    TitleIs(Vec<char>),
    /// The documents with a 文号 (`n<key>`, see `search/ids.rs`).
    DocNo(String),
    /// The documents with a 索引号 (`i<key>`, see `search/ids.rs`).
    IndexNo(String),
    /// A dictionary entry of the site's vocabulary (`y<kind><key>`): its
    /// values are words, not documents.
    Dict(DictKind, String),
}

/// What a dictionary entry ([`TermKey::Dict`]) maps from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DictKind {
    /// 全拼 (letters without tones) → the vocabulary words read so.
    Pinyin,
    /// 首字母 → the vocabulary words with those initials.
    Initials,
    /// A character → its readings, and `=` + each character that is its
    /// 繁/简 variant in the vocabulary.
    Char,
    /// A word with one character replaced by `?` → the vocabulary words
    /// that fit.
    OneOff,
}

impl DictKind {
    fn tag(self) -> char {
        match self {
            DictKind::Pinyin => 'p',
            DictKind::Initials => 'i',
            DictKind::Char => 'c',
            DictKind::OneOff => 'o',
        }
    }
}

impl TermKey {
    /// The key as stored in a shard.
    pub fn key(&self) -> String {
        match self {
            TermKey::Gram(f, g) => format!("{}g{g}", f.prefix()),
            TermKey::Word(f, w) => format!("{}w{w}", f.prefix()),
            TermKey::TitleIs(t) => {
                let head: String = t.iter().take(MAX_GRAM).collect();
                format!("te{head}#{:012x}", title_hash(t) & TITLE_HASH_MASK)
            }
            TermKey::DocNo(k) => format!("n{k}"),
            TermKey::IndexNo(k) => format!("i{k}"),
            TermKey::Dict(kind, k) => format!("y{}{k}", kind.tag()),
        }
    }
}

/// The 48 bits of [`title_hash`] that a key keeps.
const TITLE_HASH_MASK: u64 = (1 << 48) - 1;

/// FNV-1a (64 bits) of a normalised title's UTF-8: the key of the
/// documents whose title is exactly that text ([`TermKey::TitleIs`]).
pub fn title_hash(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buf = [0u8; 4];
    for c in chars {
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The shard of a stored key: FNV-1a of the key without its field prefix
/// (so a term's title and full-text lists share a shard), mixed, modulo
/// `shards`. An exact-title key ([`TermKey::TitleIs`]) goes with the gram of
/// its first characters.
pub fn shard_of(key: &str, shards: u32) -> u32 {
    let title_head = key
        .strip_prefix("te")
        .and_then(|k| k.rsplit_once('#'))
        .map(|(head, _)| head);
    let body = match title_head {
        Some(head) => ["g", head],
        None if key.starts_with(['t', 'f']) => ["", &key[1..]],
        None => ["", key],
    };
    let mut h: u32 = 0x811c_9dc5;
    for &b in body.iter().flat_map(|p| p.as_bytes()) {
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
/// Flag: impacts (4 bits per document) follow the document list.
pub(crate) const FLAG_IMPACTS: u8 = 2;
/// Flag: the term has positions (inline, or in blocks with [`FLAG_POS_EXT`]).
pub(crate) const FLAG_POSITIONS: u8 = 4;
/// Flag: the document list and impacts are in another file (its number follows).
pub(crate) const FLAG_DOCS_EXT: u8 = 8;
/// Flag: the positions are in block files by document range.
pub(crate) const FLAG_POS_EXT: u8 = 16;
/// Flag: a dictionary entry: `df` strings (each length-prefixed UTF-8)
/// where a document list would be.
pub(crate) const FLAG_VALUES: u8 = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: String,
    df: u32,
    flags: u8,
    docs_file: u32,
    docs: Range<usize>,
    impacts: Range<usize>,
    positions: Range<usize>,
    /// (first document, file) of each positions block.
    pos_blocks: Vec<(u32, u32)>,
}

/// A decoded search file (term shard, document-list file or positions
/// block): its directory of terms over the raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    /// The groups of the synonym table, when this is its file: decoded
    /// when the file is loaded and kept with it, so queries do not decode
    /// them again (they did, in every 模糊 query).
    groups: std::sync::OnceLock<Vec<Vec<super::expand::Word>>>,
}

/// Where a term's positions are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum PosRef {
    /// Not stored.
    #[default]
    None,
    /// In the term's entry: (file, byte range) of the per-document runs.
    Inline(u32, Range<usize>),
    /// In block files: (first document, file), ascending.
    Blocks(Vec<(u32, u32)>),
    /// A base list merged with the delta's: the base's positions, the
    /// delta's, and the delta's first number.
    Split(Box<(PosRef, PosRef, u32)>),
}

/// The tf part of each 4-bit impact, `q / 15 × (k1 + 1)`: computed once,
/// not with a division for every document of every list.
const TF_PART: [f32; 16] = {
    let mut t = [0.0f32; 16];
    let mut q = 0;
    while q < 16 {
        t[q] = q as f32 / 15.0 * (super::index_params::K1 + 1.0);
        q += 1;
    }
    t
};

/// A term's documents, as the query engine reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DocSet {
    /// Document numbers, ascending.
    List(Vec<u32>),
    /// A bitmap, bit `d % 64` of word `d / 64`, and its number of set bits:
    /// a dense list kept as stored. Decoding it into numbers would cost one
    /// push per document (10,000 for a term in every notice of a 10,000
    /// notice site) in every query; a membership test is one bit, and an
    /// intersection one AND per 64 documents. Only for lists without
    /// impacts, which are read by document, never by index.
    Bits { words: Vec<u64>, df: u32 },
}

impl Default for DocSet {
    fn default() -> Self {
        DocSet::List(Vec::new())
    }
}

/// A term's document list, decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Postings {
    pub(crate) docs: DocSet,
    /// BM25 term-frequency parts, 4 bits per document (empty if not stored).
    pub impacts: Vec<u8>,
    pub(crate) pos: PosRef,
}

impl Postings {
    /// Number of documents.
    pub fn df(&self) -> usize {
        match &self.docs {
            DocSet::List(d) => d.len(),
            DocSet::Bits { df, .. } => *df as usize,
        }
    }

    /// Document numbers, ascending.
    pub fn doc_list(&self) -> Vec<u32> {
        match &self.docs {
            DocSet::List(d) => d.clone(),
            DocSet::Bits { words, .. } => {
                let mut out = Vec::with_capacity(self.df());
                for_each_bit(words, |d| out.push(d));
                out
            }
        }
    }

    /// The numbers of a list kept as numbers (`None` for a bitmap).
    pub(crate) fn list(&self) -> Option<&[u32]> {
        match &self.docs {
            DocSet::List(d) => Some(d),
            DocSet::Bits { .. } => None,
        }
    }

    /// The words of a list kept as a bitmap (`None` for numbers).
    pub(crate) fn bits(&self) -> Option<&[u64]> {
        match &self.docs {
            DocSet::List(_) => None,
            DocSet::Bits { words, .. } => Some(words),
        }
    }

    /// Whether `doc` is in the list, and the index to read its impact at
    /// ([`Postings::tf_part`]). For documents asked in ascending order:
    /// `at` is a cursor kept between calls (start at 0). A bitmap has no
    /// impacts, so any index reads the average occurrence.
    #[inline]
    pub(crate) fn find(&self, at: &mut usize, doc: u32) -> Option<usize> {
        match &self.docs {
            DocSet::List(d) => super::engine::seek(d, at, doc),
            DocSet::Bits { words, .. } => words
                .get(doc as usize / 64)
                .is_some_and(|w| w >> (doc % 64) & 1 == 1)
                .then_some(0),
        }
    }

    /// Impact of the `i`-th document as a BM25 tf part (0 ..= k1 + 1).
    #[inline]
    pub fn tf_part(&self, i: usize) -> f32 {
        self.impacts
            .get(i / 2)
            .map_or(1.0, |&b| TF_PART[usize::from((b >> (4 * (i % 2))) & 0x0F)])
    }
}

/// Positions of some documents of a term: each document's run of varints,
/// still encoded and borrowed from the loaded file. A phrase check usually
/// stops at a document's first occurrence, so decoding every position of
/// every candidate up front would be wasted work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions<'a> {
    docs: Vec<u32>,
    runs: Vec<&'a [u8]>,
}

impl<'a> Positions<'a> {
    /// [`Positions::of`] for documents asked in ascending order: `at` is
    /// a cursor kept between calls (start at 0), moved by galloping.
    pub(crate) fn of_from(&self, doc: u32, at: &mut usize) -> PosIter<'a> {
        match super::engine::seek(&self.docs, at, doc) {
            Some(i) => PosIter::new(self.runs[i]),
            None => PosIter::new(&[]),
        }
    }

    /// Character positions of the term in document `doc`, ascending (empty if not loaded).
    pub fn of(&self, doc: u32) -> PosIter<'a> {
        match self.docs.binary_search(&doc) {
            Ok(i) => PosIter::new(self.runs[i]),
            Err(_) => PosIter::new(&[]),
        }
    }

    /// Appends documents (ascending, after those present) from per-document
    /// runs: byte length, then delta positions (first absolute). Documents
    /// not in `keep` are stepped over by their length, without decoding.
    fn extend(&mut self, docs: &[u32], data: &'a [u8], keep: &[u32]) -> Result<(), FormatError> {
        let mut r = Reader::new(data);
        let mut k = 0;
        self.docs.reserve(keep.len().min(docs.len()));
        self.runs.reserve(keep.len().min(docs.len()));
        for &d in docs {
            let len = r.varint()? as usize;
            let run = r.take(len)?;
            while k < keep.len() && keep[k] < d {
                k += 1;
            }
            if keep.get(k) == Some(&d) {
                self.docs.push(d);
                self.runs.push(&data[run]);
            }
        }
        Ok(())
    }
}

/// The positions of one document, decoded as they are read. A malformed
/// run ends early rather than failing: a phrase check then finds no match
/// in that document, and a search over a damaged file still returns.
#[derive(Debug, Clone)]
pub struct PosIter<'a> {
    bytes: &'a [u8],
    at: usize,
    last: u32,
}

impl<'a> PosIter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        PosIter {
            bytes,
            at: 0,
            last: 0,
        }
    }
}

impl Iterator for PosIter<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        let mut v = 0u32;
        let mut shift = 0;
        loop {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u32::from(b & 0x7F).checked_shl(shift)?;
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        // The first value is absolute (`last` is 0), the others deltas.
        self.last = self.last.checked_add(v)?;
        Some(self.last)
    }
}

/// Either a value, or the files ([`shard_path`]) to load first.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fetch<T> {
    Ready(T),
    Need(Vec<u32>),
}

impl<A> Fetch<A> {
    /// Both values when both are ready, else every file either needs (the
    /// base and the delta segment are looked up in one round).
    pub(crate) fn both<B>(self, other: Fetch<B>) -> Fetch<(A, B)> {
        match (self, other) {
            (Fetch::Ready(a), Fetch::Ready(b)) => Fetch::Ready((a, b)),
            (a, b) => {
                let mut need = Vec::new();
                if let Fetch::Need(v) = a {
                    need.extend(v);
                }
                if let Fetch::Need(v) = b {
                    need.extend(v);
                }
                Fetch::Need(need)
            }
        }
    }
}

/// Calls `f` with each set bit's number, ascending.
#[inline]
pub(crate) fn for_each_bit(words: &[u64], mut f: impl FnMut(u32)) {
    for (i, &w) in words.iter().enumerate() {
        let mut w = w;
        while w != 0 {
            f(i as u32 * 64 + w.trailing_zeros());
            w &= w - 1;
        }
    }
}

/// A stored bitmap (bit `d % 8` of byte `d / 8`) as 64-bit words, checked
/// against its document count.
fn decode_bits(data: &[u8], df: u32) -> Result<DocSet, FormatError> {
    let words: Vec<u64> = data
        .chunks(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(b)
        })
        .collect();
    let count: u32 = words.iter().map(|w| w.count_ones()).sum();
    if count != df {
        return Err(FormatError::Truncated(0));
    }
    Ok(DocSet::Bits { words, df })
}

fn decode_docs(data: &[u8], df: u32, bitmap: bool) -> Result<Vec<u32>, FormatError> {
    let mut docs = Vec::with_capacity(df as usize);
    if bitmap {
        for (i, &b) in data.iter().enumerate() {
            let mut b = b;
            while b != 0 {
                docs.push(i as u32 * 8 + b.trailing_zeros());
                b &= b - 1;
            }
        }
    } else {
        let mut r = Reader::new(data);
        let mut doc = 0u32;
        for i in 0..df {
            let d = r.varint()? as u32;
            doc = if i == 0 { d } else { doc + d };
            docs.push(doc);
        }
    }
    if docs.len() != df as usize {
        return Err(FormatError::Truncated(0));
    }
    Ok(docs)
}

impl Shard {
    /// The keys of the file's entries, in order (for tests and tools).
    #[doc(hidden)]
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_str())
    }

    /// Each entry's key and about how many bytes it takes (key, lists,
    /// positions, and 4 bytes of lengths and flags), for the benchmarks.
    #[doc(hidden)]
    pub fn entry_sizes(&self) -> impl Iterator<Item = (&str, usize)> {
        self.entries.iter().map(|e| {
            let n = e.key.len() + e.docs.len() + e.impacts.len() + e.positions.len() + 4;
            (e.key.as_str(), n)
        })
    }

    /// Parses a search file's directory (any of the three kinds: they share
    /// one layout).
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
            let empty = r.pos..r.pos;
            let (mut docs_file, mut docs, mut impacts) = (0, empty.clone(), empty.clone());
            if flags & FLAG_DOCS_EXT != 0 {
                docs_file = r.varint()? as u32;
            } else {
                let dlen = r.varint()? as usize;
                docs = r.take(dlen)?;
                if flags & FLAG_IMPACTS != 0 {
                    impacts = r.take(df.div_ceil(2) as usize)?;
                }
            }
            let (mut positions, mut pos_blocks) = (r.pos..r.pos, Vec::new());
            if flags & FLAG_POSITIONS != 0 {
                if flags & FLAG_POS_EXT != 0 {
                    let nb = r.varint()? as usize;
                    let mut first = 0u32;
                    for _ in 0..nb {
                        first += r.varint()? as u32;
                        pos_blocks.push((first, r.varint()? as u32));
                    }
                } else {
                    let plen = r.varint()? as usize;
                    positions = r.take(plen)?;
                }
            }
            entries.push(Entry {
                key,
                df,
                flags,
                docs_file,
                docs,
                impacts,
                positions,
                pos_blocks,
            });
        }
        if !r.at_end() {
            return Err(FormatError::Truncated(r.pos));
        }
        Ok(Shard {
            bytes,
            entries,
            groups: std::sync::OnceLock::new(),
        })
    }

    /// Number of terms in the file.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the file has no terms.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Document frequency of `key`, 0 if absent.
    pub fn df(&self, key: &str) -> u32 {
        self.find(key).map_or(0, |e| e.df)
    }

    /// The strings of a dictionary entry ([`FLAG_VALUES`]), `None` if the
    /// file has no such key.
    fn values(&self, key: &str) -> Result<Option<Vec<String>>, FormatError> {
        let Some(e) = self.find(key) else {
            return Ok(None);
        };
        if e.flags & FLAG_VALUES == 0 {
            return Ok(Some(Vec::new()));
        }
        let data = &self.bytes[e.docs.clone()];
        let mut r = Reader::new(data);
        let mut out = Vec::with_capacity((e.df as usize).min(256));
        for _ in 0..e.df {
            let len = r.varint()? as usize;
            let at = r.pos;
            let range = r.take(len)?;
            let v = std::str::from_utf8(&data[range]).map_err(|_| FormatError::Truncated(at))?;
            out.push(v.to_owned());
        }
        Ok(Some(out))
    }

    /// Every dictionary entry of the file: (key, values), in key order.
    pub(crate) fn all_values(&self) -> Result<Vec<(&str, Vec<String>)>, FormatError> {
        let mut out = Vec::new();
        for e in &self.entries {
            if let Some(v) = self.values(&e.key)? {
                out.push((e.key.as_str(), v));
            }
        }
        Ok(out)
    }

    /// Every value list of the file as words (`简` or `简\t繁`): the
    /// groups of the synonym table. Decoded once per loaded file.
    pub(crate) fn word_groups(&self) -> Result<&[Vec<super::expand::Word>], FormatError> {
        if let Some(g) = self.groups.get() {
            return Ok(g);
        }
        let groups = self
            .all_values()?
            .into_iter()
            .map(|(_, v)| v.iter().map(|w| super::expand::Word::decode(w)).collect())
            .collect();
        Ok(self.groups.get_or_init(|| groups))
    }

    fn find(&self, key: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.entries[i])
    }

    fn inline_docs(&self, e: &Entry) -> Result<(Vec<u32>, Vec<u8>), FormatError> {
        let docs = decode_docs(
            &self.bytes[e.docs.clone()],
            e.df,
            e.flags & FLAG_BITMAP != 0,
        )?;
        Ok((docs, self.bytes[e.impacts.clone()].to_vec()))
    }

    /// The entry's documents as the query engine keeps them: a bitmap stays
    /// a bitmap unless the list has impacts (read by the document's index
    /// in the list).
    fn doc_set(&self, e: &Entry) -> Result<(DocSet, Vec<u8>), FormatError> {
        if e.flags & FLAG_BITMAP != 0 && e.impacts.is_empty() {
            return Ok((decode_bits(&self.bytes[e.docs.clone()], e.df)?, Vec::new()));
        }
        let (docs, impacts) = self.inline_docs(e)?;
        Ok((DocSet::List(docs), impacts))
    }
}

/// The loaded search files: by number, term shards `0..meta.shards`, then
/// document-list files, positions blocks and the synonym table; and the
/// date and column files once a query needed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shards {
    map: BTreeMap<u32, Shard>,
    dates: Option<DateIndex>,
    columns: Option<ColumnIndex>,
    order: Option<OrderMap>,
}

impl Shards {
    /// Decodes and adds a file that a query asked for.
    pub fn load(&mut self, file: SearchFile, bytes: Vec<u8>) -> Result<(), FormatError> {
        match file {
            SearchFile::Shard(i) => {
                let shard = Shard::decode(bytes)?;
                // The synonym table (keys `s<n>`) is read as a whole by
                // every 模糊 query: its words are decoded with the file.
                if shard
                    .entries
                    .first()
                    .is_some_and(|e| e.key.starts_with('s'))
                {
                    shard.word_groups()?;
                }
                self.insert(i, shard)
            }
            SearchFile::Dates => self.dates = Some(DateIndex::decode(&bytes)?),
            SearchFile::Columns => self.columns = Some(ColumnIndex::decode(&bytes)?),
            SearchFile::Order => self.order = Some(OrderMap::decode(&bytes)?),
        }
        Ok(())
    }

    /// Whether `file` is loaded.
    pub fn has(&self, file: SearchFile) -> bool {
        match file {
            SearchFile::Shard(i) => self.contains(i),
            SearchFile::Dates => self.dates.is_some(),
            SearchFile::Columns => self.columns.is_some(),
            SearchFile::Order => self.order.is_some(),
        }
    }

    /// The publication days, if loaded.
    pub(crate) fn dates(&self) -> Option<&DateIndex> {
        self.dates.as_ref()
    }

    /// The column of every document, if loaded.
    pub(crate) fn columns(&self) -> Option<&ColumnIndex> {
        self.columns.as_ref()
    }

    /// The strings of dictionary entry `key` (empty if the index has none),
    /// or the term shard to load first.
    pub(crate) fn values(&self, shards: u32, key: &str) -> Result<Fetch<Vec<String>>, FormatError> {
        let si = shard_of(key, shards);
        match self.get(si) {
            Some(shard) => Ok(Fetch::Ready(shard.values(key)?.unwrap_or_default())),
            None => Ok(Fetch::Need(vec![si])),
        }
    }

    /// Adds file `i` (decoded from [`shard_path`]`(i)`).
    pub fn insert(&mut self, i: u32, shard: Shard) {
        self.map.insert(i, shard);
    }

    /// Whether file `i` is loaded.
    pub fn contains(&self, i: u32) -> bool {
        self.map.contains_key(&i)
    }

    /// File `i`, if loaded.
    pub fn get(&self, i: u32) -> Option<&Shard> {
        self.map.get(&i)
    }

    /// Whether the index has `key`, or the term shard to load first.
    pub(crate) fn has_term(&self, shards: u32, key: &str) -> Fetch<bool> {
        let si = shard_of(key, shards);
        match self.get(si) {
            Some(shard) => Fetch::Ready(shard.find(key).is_some()),
            None => Fetch::Need(vec![si]),
        }
    }

    /// The document list of `key` (`Ready(None)` if the index does not have
    /// it), or the files to load first. Only the base's files (`meta.shards`).
    pub(crate) fn postings(
        &self,
        shards: u32,
        key: &str,
    ) -> Result<Fetch<Option<Postings>>, FormatError> {
        Ok(match self.postings_in(0, shards, key)? {
            Fetch::Ready(p) => Fetch::Ready(p.map(|(docs, impacts, pos)| {
                let (docs, impacts) = self.by_rank(docs, impacts);
                Postings { docs, impacts, pos }
            })),
            Fetch::Need(v) => Fetch::Need(v),
        })
    }

    /// The document list of `key` over the base and, when `meta` has one,
    /// the delta segment: the base's list without its holes (changed and
    /// deleted documents) followed by the delta's, by rank. The files of
    /// both are asked for in one round.
    pub(crate) fn postings_of(
        &self,
        meta: &SearchMeta,
        key: &str,
    ) -> Result<Fetch<Option<Postings>>, FormatError> {
        let Some(d) = meta.delta else {
            return self.postings(meta.shards, key);
        };
        let (base, delta) = match self
            .postings_in(0, meta.shards, key)?
            .both(self.postings_in(d.first, d.shards, key)?)
        {
            Fetch::Ready(both) => both,
            Fetch::Need(need) => return Ok(Fetch::Need(need)),
        };
        if base.is_none() && delta.is_none() {
            return Ok(Fetch::Ready(None));
        }
        let mut pos = (PosRef::None, PosRef::None);
        let part = |p: Option<(DocSet, Vec<u8>, PosRef)>, at: &mut PosRef| match p {
            Some((docs, impacts, p)) => {
                *at = p;
                self.by_rank(docs, impacts)
            }
            None => (DocSet::default(), Vec::new()),
        };
        let (bd, bi) = part(base, &mut pos.0);
        let (xd, xi) = part(delta, &mut pos.1);
        let (docs, impacts) = merge_sets(bd, bi, xd, xi);
        let pos = match pos {
            (PosRef::None, PosRef::None) => PosRef::None,
            (b, x) => PosRef::Split(Box::new((b, x, d.numbers))),
        };
        Ok(Fetch::Ready(Some(Postings { docs, impacts, pos })))
    }

    /// Renumbers a list by rank when the files use stable numbers.
    fn by_rank(&self, docs: DocSet, impacts: Vec<u8>) -> (DocSet, Vec<u8>) {
        match &self.order {
            Some(o) => o.renumber(docs, impacts),
            None => (docs, impacts),
        }
    }

    /// The entry of `key` in the segment whose term shards are
    /// `first .. first + shards`: its documents by number, impacts and
    /// positions, or the files to load first.
    #[allow(clippy::type_complexity)]
    fn postings_in(
        &self,
        first: u32,
        shards: u32,
        key: &str,
    ) -> Result<Fetch<Option<(DocSet, Vec<u8>, PosRef)>>, FormatError> {
        let si = first + shard_of(key, shards);
        let Some(shard) = self.get(si) else {
            return Ok(Fetch::Need(vec![si]));
        };
        let Some(e) = shard.find(key) else {
            return Ok(Fetch::Ready(None));
        };
        let pos = if e.flags & FLAG_POSITIONS == 0 {
            PosRef::None
        } else if e.flags & FLAG_POS_EXT != 0 {
            PosRef::Blocks(e.pos_blocks.clone())
        } else {
            PosRef::Inline(si, e.positions.clone())
        };
        let (docs, impacts) = if e.flags & FLAG_DOCS_EXT != 0 {
            let Some(f) = self.get(e.docs_file) else {
                return Ok(Fetch::Need(vec![e.docs_file]));
            };
            let x = f.find(key).ok_or(FormatError::Truncated(0))?;
            f.doc_set(x)?
        } else {
            shard.doc_set(e)?
        };
        Ok(Fetch::Ready(Some((docs, impacts, pos))))
    }

    /// The values of dictionary entry `key`: the delta's entry when it has
    /// one (it replaces the base's, an empty one included), else the
    /// base's; or the term shards to load first.
    pub(crate) fn values_of(
        &self,
        meta: &SearchMeta,
        key: &str,
    ) -> Result<Fetch<Vec<String>>, FormatError> {
        let Some(d) = meta.delta else {
            return self.values(meta.shards, key);
        };
        let si = d.first + shard_of(key, d.shards);
        let base = self.values(meta.shards, key)?;
        let Some(shard) = self.get(si) else {
            let mut need = vec![si];
            if let Fetch::Need(v) = base {
                need.extend(v);
            }
            return Ok(Fetch::Need(need));
        };
        match shard.values(key)? {
            Some(v) => Ok(Fetch::Ready(v)),
            None => Ok(base),
        }
    }

    /// The positions of `p` (the postings of `key`) in the documents `want`
    /// (ascending, all in `p.docs`), or the blocks to load first.
    pub(crate) fn positions<'a>(
        &'a self,
        key: &str,
        p: &Postings,
        want: &[u32],
    ) -> Result<Fetch<Positions<'a>>, FormatError> {
        // With stable numbers, the files are read by number and the
        // positions handed back by rank.
        let numbered_want;
        let want = match &self.order {
            Some(o) => {
                let mut w: Vec<u32> = want.iter().map(|&r| o.number(r)).collect();
                w.sort_unstable();
                numbered_want = w;
                &numbered_want
            }
            None => want,
        };
        let mut out = match &p.pos {
            PosRef::Split(split) => {
                // The delta's documents are numbered after the base's.
                let (base, delta, first) = &**split;
                let at = want.partition_point(|&d| d < *first);
                let b = self.positions_in(key, base, None, &want[..at])?;
                let x = self.positions_in(key, delta, None, &want[at..])?;
                match b.both(x) {
                    Fetch::Ready((mut b, x)) => {
                        b.docs.extend(x.docs);
                        b.runs.extend(x.runs);
                        b
                    }
                    Fetch::Need(need) => return Ok(Fetch::Need(need)),
                }
            }
            pos => match self.positions_in(key, pos, Some(p), want)? {
                Fetch::Ready(out) => out,
                Fetch::Need(v) => return Ok(Fetch::Need(v)),
            },
        };
        if let Some(o) = &self.order {
            let mut pairs: Vec<(u32, &'a [u8])> =
                out.docs.iter().map(|&d| o.rank(d)).zip(out.runs).collect();
            pairs.sort_unstable_by_key(|p| p.0);
            (out.docs, out.runs) = pairs.into_iter().unzip();
        }
        Ok(Fetch::Ready(out))
    }

    /// The positions at `pos` of the documents `want` (numbers, ascending),
    /// by number. Inline runs follow the entry's list: `p`'s (by rank),
    /// or, without `p`, the entry's own list read again (a base list with
    /// holes, or the delta's).
    fn positions_in<'a>(
        &'a self,
        key: &str,
        pos: &PosRef,
        p: Option<&Postings>,
        want: &[u32],
    ) -> Result<Fetch<Positions<'a>>, FormatError> {
        let mut out = Positions::default();
        if want.is_empty() {
            return Ok(Fetch::Ready(out));
        }
        match pos {
            PosRef::None | PosRef::Split(_) => {}
            PosRef::Inline(si, range) => {
                let s = self.get(*si).ok_or(FormatError::Truncated(0))?;
                // The runs are in the list's order: a bitmap is numbered here
                // (only an exact query's cover, for its candidates, gets here).
                let numbered;
                let docs = match (p.and_then(|p| p.list()), &self.order, p) {
                    (_, _, None) => {
                        numbered = self.entry_numbers(*si, key)?;
                        &numbered
                    }
                    (Some(d), None, _) => d,
                    (_, order, Some(p)) => {
                        let mut d = p.doc_list();
                        if let Some(o) = order {
                            d.iter_mut().for_each(|r| *r = o.number(*r));
                            d.sort_unstable();
                        }
                        numbered = d;
                        &numbered
                    }
                };
                out.extend(docs, &s.bytes[range.clone()], want)?;
            }
            PosRef::Blocks(blocks) => {
                let mut need = Vec::new();
                let mut used = Vec::new();
                for &d in want {
                    let b = blocks.partition_point(|&(first, _)| first <= d);
                    if b == 0 {
                        continue;
                    }
                    let file = blocks[b - 1].1;
                    if used.last() != Some(&file) {
                        used.push(file);
                        if !self.contains(file) {
                            need.push(file);
                        }
                    }
                }
                if !need.is_empty() {
                    return Ok(Fetch::Need(need));
                }
                for f in used {
                    let s = self.get(f).ok_or(FormatError::Truncated(0))?;
                    let e = s.find(key).ok_or(FormatError::Truncated(0))?;
                    let (docs, _) = s.inline_docs(e)?;
                    out.extend(&docs, &s.bytes[e.positions.clone()], want)?;
                }
            }
        }
        Ok(Fetch::Ready(out))
    }

    /// The document numbers of `key`'s entry in term shard `si` (its list
    /// may be in a file of its own, loaded with the postings).
    fn entry_numbers(&self, si: u32, key: &str) -> Result<Vec<u32>, FormatError> {
        let s = self.get(si).ok_or(FormatError::Truncated(0))?;
        let e = s.find(key).ok_or(FormatError::Truncated(0))?;
        if e.flags & FLAG_DOCS_EXT == 0 {
            return Ok(s.inline_docs(e)?.0);
        }
        let f = self.get(e.docs_file).ok_or(FormatError::Truncated(0))?;
        let x = f.find(key).ok_or(FormatError::Truncated(0))?;
        Ok(f.inline_docs(x)?.0)
    }
}

/// The union of two disjoint document sets by rank with their impacts:
/// bitmaps without impacts stay a bitmap; otherwise numbers, in order.
/// When only one side has impacts (a fold condition rules it out: see
/// `docs/search-format.md`), every document counts as one average occurrence.
fn merge_sets(a: DocSet, ai: Vec<u8>, b: DocSet, bi: Vec<u8>) -> (DocSet, Vec<u8>) {
    let empty = |d: &DocSet| match d {
        DocSet::List(v) => v.is_empty(),
        DocSet::Bits { df, .. } => *df == 0,
    };
    if empty(&b) {
        return (a, ai);
    }
    if empty(&a) {
        return (b, bi);
    }
    if let (DocSet::Bits { words: wa, df: da }, DocSet::Bits { words: wb, df: db }) = (&a, &b) {
        let (mut long, short) = if wa.len() >= wb.len() {
            (wa.clone(), wb)
        } else {
            (wb.clone(), wa)
        };
        long.iter_mut().zip(short).for_each(|(x, y)| *x |= y);
        return (
            DocSet::Bits {
                words: long,
                df: da + db,
            },
            Vec::new(),
        );
    }
    let list = |d: DocSet| match d {
        DocSet::List(v) => v,
        DocSet::Bits { words, df } => {
            let mut v = Vec::with_capacity(df as usize);
            for_each_bit(&words, |x| v.push(x));
            v
        }
    };
    let (a, b) = (list(a), list(b));
    let with_impacts = ai.len() == a.len().div_ceil(2) && bi.len() == b.len().div_ceil(2);
    let nibble = |imp: &[u8], i: usize| (imp[i / 2] >> (4 * (i % 2))) & 0x0F;
    let mut docs = Vec::with_capacity(a.len() + b.len());
    let mut impacts = Vec::new();
    if with_impacts {
        impacts.resize((a.len() + b.len()).div_ceil(2), 0u8);
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j == b.len() || (i < a.len() && a[i] < b[j]);
        let (d, q) = if take_a {
            i += 1;
            (a[i - 1], with_impacts.then(|| nibble(&ai, i - 1)))
        } else {
            j += 1;
            (b[j - 1], with_impacts.then(|| nibble(&bi, j - 1)))
        };
        if let Some(q) = q {
            let k = docs.len();
            impacts[k / 2] |= q << (4 * (k % 2));
        }
        docs.push(d);
    }
    (DocSet::List(docs), impacts)
}

/// Encodes a document list: flags (bitmap or not) and bytes.
#[cfg(any(feature = "build", test))]
pub(crate) fn encode_docs(docs: &[u32]) -> (u8, Vec<u8>) {
    let mut deltas = Vec::with_capacity(docs.len() * 2);
    let mut prev = 0;
    for (i, &d) in docs.iter().enumerate() {
        put_varint(&mut deltas, u64::from(if i == 0 { d } else { d - prev }));
        prev = d;
    }
    let bitmap_len = docs.last().map_or(0, |&d| d as usize / 8 + 1);
    if bitmap_len < deltas.len() {
        let mut bits = vec![0u8; bitmap_len];
        for &d in docs {
            bits[d as usize / 8] |= 1 << (d % 8);
        }
        (FLAG_BITMAP, bits)
    } else {
        (0, deltas)
    }
}

/// Where an encoded entry's documents and positions go.
#[cfg(any(feature = "build", test))]
#[derive(Debug, Clone, Copy)]
pub(crate) enum DocsAt<'a> {
    /// Inline: (flags from [`encode_docs`], document list, impacts).
    Inline(u8, &'a [u8], Option<&'a [u8]>),
    /// In file number `n`.
    File(u32),
}

/// Where an encoded entry's positions go.
#[cfg(any(feature = "build", test))]
#[derive(Debug, Clone, Copy)]
pub(crate) enum PosAt<'a> {
    None,
    Inline(&'a [u8]),
    Blocks(&'a [(u32, u32)]),
}

/// Encodes a dictionary entry: its strings where a document list would be.
#[cfg(any(feature = "build", test))]
pub(crate) fn encode_values(out: &mut Vec<u8>, key: &str, values: &[String]) {
    let mut payload = Vec::new();
    for v in values {
        put_varint(&mut payload, v.len() as u64);
        payload.extend_from_slice(v.as_bytes());
    }
    encode_entry(
        out,
        key,
        values.len() as u32,
        DocsAt::Inline(FLAG_VALUES, &payload, None),
        PosAt::None,
    );
}

/// Encodes one entry: key, df, flags, documents (or file), positions (or blocks).
#[cfg(any(feature = "build", test))]
pub(crate) fn encode_entry(
    out: &mut Vec<u8>,
    key: &str,
    df: u32,
    docs: DocsAt<'_>,
    pos: PosAt<'_>,
) {
    put_varint(out, key.len() as u64);
    out.extend_from_slice(key.as_bytes());
    put_varint(out, u64::from(df));
    let mut flags = match pos {
        PosAt::None => 0,
        PosAt::Inline(_) => FLAG_POSITIONS,
        PosAt::Blocks(_) => FLAG_POSITIONS | FLAG_POS_EXT,
    };
    match docs {
        DocsAt::Inline(f, list, imp) => {
            flags |= f;
            if imp.is_some() {
                flags |= FLAG_IMPACTS;
            }
            out.push(flags);
            put_varint(out, list.len() as u64);
            out.extend_from_slice(list);
            if let Some(imp) = imp {
                out.extend_from_slice(imp);
            }
        }
        DocsAt::File(n) => {
            out.push(flags | FLAG_DOCS_EXT);
            put_varint(out, u64::from(n));
        }
    }
    match pos {
        PosAt::None => {}
        PosAt::Inline(p) => {
            put_varint(out, p.len() as u64);
            out.extend_from_slice(p);
        }
        PosAt::Blocks(b) => {
            put_varint(out, b.len() as u64);
            let mut prev = 0;
            for &(first, file) in b {
                put_varint(out, u64::from(first - prev));
                put_varint(out, u64::from(file));
                prev = first;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_round_trip_inline_external_and_blocks() {
        let mut pos = Vec::new();
        // Document 5 at 3 and 7, document 900 at 300 (a two-byte varint).
        for v in [2, 3, 4, 2, 300] {
            put_varint(&mut pos, v);
        }
        let (f, list) = encode_docs(&[5, 900]);
        let imp = [0x1F];
        let mut body = Vec::new();
        encode_entry(
            &mut body,
            "fg科技",
            2,
            DocsAt::Inline(f, &list, Some(&imp)),
            PosAt::Inline(&pos),
        );
        let dense: Vec<u32> = (0..100).collect();
        let (fd, dl) = encode_docs(&dense);
        assert_eq!(fd, FLAG_BITMAP);
        encode_entry(
            &mut body,
            "kzn",
            100,
            DocsAt::File(7),
            PosAt::Blocks(&[(0, 8)]),
        );
        let mut bytes = SHARD_MAGIC.to_vec();
        put_varint(&mut bytes, 2);
        bytes.extend_from_slice(&body);
        let mut ext = SHARD_MAGIC.to_vec();
        put_varint(&mut ext, 1);
        encode_entry(
            &mut ext,
            "kzn",
            100,
            DocsAt::Inline(fd, &dl, None),
            PosAt::None,
        );
        let mut blk = SHARD_MAGIC.to_vec();
        put_varint(&mut blk, 1);
        let mut bpos = Vec::new();
        for d in 0..100u64 {
            put_varint(&mut bpos, if d * 2 < 128 { 1 } else { 2 });
            put_varint(&mut bpos, d * 2);
        }
        encode_entry(
            &mut blk,
            "kzn",
            100,
            DocsAt::Inline(fd, &dl, None),
            PosAt::Inline(&bpos),
        );

        let mut shards = Shards::default();
        let si = shard_of("fg科技", 1);
        assert_eq!(si, shard_of("kzn", 1));
        shards.insert(si, Shard::decode(bytes).unwrap());
        let Fetch::Ready(Some(p)) = shards.postings(1, "fg科技").unwrap() else {
            panic!("inline postings")
        };
        assert_eq!(p.doc_list(), [5, 900]);
        assert!((p.tf_part(1) - 2.2 / 15.0).abs() < 1e-6);
        let Fetch::Ready(x) = shards.positions("fg科技", &p, &[5, 900]).unwrap() else {
            panic!("inline positions")
        };
        let of = |d| x.of(d).collect::<Vec<u32>>();
        assert_eq!((of(5), of(900), of(6)), (vec![3, 7], vec![300], vec![]));
        assert_eq!(shards.postings(1, "kzn").unwrap(), Fetch::Need(vec![7]));
        shards.insert(7, Shard::decode(ext).unwrap());
        let Fetch::Ready(Some(p)) = shards.postings(1, "kzn").unwrap() else {
            panic!("external postings")
        };
        assert_eq!(p.doc_list(), dense);
        assert_eq!(
            shards.positions("kzn", &p, &[3]).unwrap(),
            Fetch::Need(vec![8])
        );
        shards.insert(8, Shard::decode(blk).unwrap());
        let Fetch::Ready(x) = shards.positions("kzn", &p, &[3, 50]).unwrap() else {
            panic!("block positions")
        };
        let of = |d| x.of(d).collect::<Vec<u32>>();
        assert_eq!((of(3), of(50), of(4)), (vec![6], vec![100], vec![]));
        assert_eq!(shards.postings(1, "x").unwrap(), Fetch::Ready(None));
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
