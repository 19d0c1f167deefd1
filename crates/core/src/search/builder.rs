//! The streaming search-index builder (feature `build`): documents are
//! pushed in display order, a batch at a time, and the files come out one by
//! one into a sink, in memory bounded by a budget whatever the site's size.
//!
//! While documents arrive, each batch is tokenised on every core and its
//! postings are added to in-memory term maps; when those pass the budget,
//! they are written to a temporary file as a *run*, sorted by term key, and
//! the maps start empty. Each document's normalised fields and its row of
//! the document table go to temporary files too (kept in memory while
//! small). [`IndexBuilder::finish`] then merges the runs by key (a k-way
//! merge: a term's postings from run after run, whose documents follow each
//! other), encodes each term, and writes the term shards a group of shards
//! at a time. The files are byte for byte those of the whole-site build
//! ([`super::build_search_index`] is this builder with no budget).

use super::delta::{
    dictionary_delta, file_span, fingerprint, BaseDoc, BaseRecord, DeltaBase, BASE_PATH,
};
use super::format::{
    chunk_path, day_number, put_varint, shard_of, shard_path, DateIndex, DocChunk, DocEntry, Field,
    OrderMap, SearchMeta, TermKey, COLUMNS_PATH, DATES_PATH, MAX_GRAM, META_PATH, ORDER_PATH,
    SEARCH_FORMAT,
};
use super::format::{for_each_bit, DeltaMeta};
use super::ids::{doc_no_keys, index_no_key};
use super::index::{
    dictionary, fields, json, position_ends, synonym_shard, tokenize, unpack, DocTokens, Encoded,
    FastMap, Layout, SearchDoc, TermBuf, DOC_CHUNK, IMPACT_MAX_DF_SHARE, MAX_DOCS, TERM_MASK,
};
use super::index_params::IMPACT_MARGIN;
use super::numbering::Numbering;
use super::phrases::{frequent_phrases, put_fields};
use super::spill::{put_bytes, Spill, SpillReader, Stored, TempDir};
use super::synonyms::Synonyms;
use super::text::normalize;
use crate::bundle::Variant;
use crate::date::parse_plain_date;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, BinaryHeap};
use std::io;
use std::path::Path;

/// Default memory budget of the term maps: past it, they are spilled as a run.
pub const DEFAULT_BUDGET: usize = 256 << 20;

/// Documents tokenised together on every core.
const BATCH: usize = 1024;

/// Bytes a term's map entry costs besides its postings' buffers (key,
/// buffers' headers, the hash table's slack).
const TERM_OVERHEAD: usize = 96;

/// Terms encoded together on every core while merging.
const ENCODE_CHUNK: usize = 4096;

/// What a finished build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexSummary {
    /// Documents indexed.
    pub docs: u32,
    /// Files handed to the sink.
    pub files: usize,
    /// Runs of postings spilled to temporary files (0: all fit the budget).
    pub runs: usize,
    /// Groups of term shards written one after the other.
    pub shard_groups: usize,
    /// Whether the term files number documents by stable numbers
    /// ([`IndexBuilder::numbering`]); `false` when they are ranks (a fresh
    /// build, or a fold of too many holes).
    pub stable: bool,
    /// Whether the build kept the previous build's term files and wrote a
    /// delta segment beside them ([`IndexBuilder::delta`]); `false` for a
    /// whole index (a fresh build, or a fold).
    pub delta: bool,
}

/// A document as the fold reads it back ([`read_owned`]).
fn owned_record(d: &SearchDoc<'_>) -> Vec<u8> {
    let mut rec = Vec::new();
    let opt = |o: Option<&str>| o.map_or(Vec::new(), |s| [b"+", s.as_bytes()].concat());
    for s in [d.id, d.title, d.text, d.date, d.column, d.index_no] {
        put_bytes(&mut rec, s.as_bytes());
    }
    for o in [d.title_hant, d.summary, d.doc_no] {
        put_bytes(&mut rec, &opt(o));
    }
    rec
}

/// Reads back a document of [`owned_record`].
fn read_owned(r: &mut SpillReader<'_>) -> io::Result<OwnedDoc> {
    let mut s = [(); 6].map(|_| String::new());
    for x in &mut s {
        *x = r.string()?;
    }
    let mut o: [Option<String>; 3] = [None, None, None];
    for x in &mut o {
        *x = r.string()?.strip_prefix('+').map(str::to_owned);
    }
    let [id, title, text, date, column, index_no] = s;
    let [title_hant, summary, doc_no] = o;
    Ok(OwnedDoc {
        id,
        title,
        title_hant,
        summary,
        text,
        date,
        column,
        doc_no,
        index_no,
    })
}

/// A document pushed one at a time ([`IndexBuilder::push`]), owned until its batch is indexed.
struct OwnedDoc {
    id: String,
    title: String,
    title_hant: Option<String>,
    summary: Option<String>,
    text: String,
    date: String,
    column: String,
    doc_no: Option<String>,
    index_no: String,
}

impl OwnedDoc {
    fn of(d: &SearchDoc<'_>) -> Self {
        OwnedDoc {
            id: d.id.to_owned(),
            title: d.title.to_owned(),
            title_hant: d.title_hant.map(str::to_owned),
            summary: d.summary.map(str::to_owned),
            text: d.text.to_owned(),
            date: d.date.to_owned(),
            column: d.column.to_owned(),
            doc_no: d.doc_no.map(str::to_owned),
            index_no: d.index_no.to_owned(),
        }
    }

    fn doc(&self) -> SearchDoc<'_> {
        SearchDoc {
            id: &self.id,
            title: &self.title,
            title_hant: self.title_hant.as_deref(),
            summary: self.summary.as_deref(),
            text: &self.text,
            date: &self.date,
            column: &self.column,
            doc_no: self.doc_no.as_deref(),
            index_no: &self.index_no,
        }
    }
}

/// Builds the search files of documents pushed in display order (the order
/// of pushing numbers them), in memory bounded by a budget.
///
/// ```
/// # use gongkai_core::search::{IndexBuilder, SearchDoc, Synonyms};
/// let mut b = IndexBuilder::new(Synonyms::default_table());
/// b.push(&SearchDoc { id: "a", title: "通知", text: "科技活动周", date: "2024-05-01",
///     column: "zn", ..SearchDoc::default() })?;
/// let mut files = Vec::new();
/// let summary = b.finish(|path, bytes| { files.push((path, bytes)); Ok(()) })?;
/// assert_eq!(summary.docs, 1);
/// assert!(files.iter().any(|(p, _)| p == "search/index.json"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct IndexBuilder {
    layout: Layout,
    synonyms: Synonyms,
    budget: usize,
    tmp: TempDir,
    pending: Vec<OwnedDoc>,
    /// The n-gram maps, partitioned by key so that the cores merge in parallel.
    maps: Vec<FastMap<u128, TermBuf>>,
    words: FastMap<(Field, String), TermBuf>,
    /// Estimated bytes of `maps` and `words`.
    mem: usize,
    runs: Vec<Stored>,
    /// Runs spilled (those merged are dropped).
    spilled: usize,
    /// Every Chinese character of the site (for the dictionary's readings),
    /// gathered from the maps before each spill.
    chars: BTreeSet<char>,
    /// Each document's fields, for the frequent phrases' two passes.
    texts: Spill,
    /// Each document's row of the document table.
    rows: Spill,
    lens: Vec<[u32; 2]>,
    days: Vec<i64>,
    /// Each document's column, numbered in order of first appearance.
    doc_columns: Vec<u32>,
    columns: FastMap<String, u32>,
    hant: bool,
    /// [`TermKey::TitleIs`], 文号 and 索引号 keys: their document lists.
    ids: FastMap<String, (TermKey, Vec<u32>)>,
    /// The previous build's numbers ([`IndexBuilder::numbering`]), taken
    /// out as documents claim them.
    previous: Option<Numbering>,
    /// Each document's stable number, in push order.
    numbers: Vec<u32>,
    /// The next number for a document the previous build did not have.
    next_number: u32,
    /// From [`IndexBuilder::finish`] on: document (push order) → the
    /// number the term files give it, when that is not its rank.
    renumber: Option<Vec<u32>>,
    /// Each document's fingerprint, in push order ([`BASE_PATH`]).
    fps: Vec<u64>,
    /// Delta mode ([`IndexBuilder::delta`]).
    delta: Option<Box<DeltaState>>,
}

/// A rebuild in delta mode: the base it keeps and what it found so far.
struct DeltaState {
    base: DeltaBase,
    /// Base documents pushed unchanged (they keep their base entries).
    kept: usize,
    /// The next number for an added or changed document.
    next: u32,
    /// The characters of the kept documents' text, a bit per code point.
    chars: Vec<u64>,
    /// Every document pushed, to index them all in a fold.
    docs: Spill,
}

/// The delta's share of the base: a rebuild folds the delta into a whole
/// index once `80 × (changed + deleted) + 10 × (added + changed)` reaches
/// the base's live documents. That keeps every impact the query reads
/// stored in the base (`index_params::IMPACT_MARGIN`: stored up to 1.1 ×
/// the share, read up to it).
const DELTA_WEIGHTS: [usize; 2] = [80, 10];

/// Holes (deleted numbers) allowed per document before the numbers are
/// folded: every document then gets its rank again (a full rewrite).
const MAX_HOLE_SHARE: u32 = 8;

impl IndexBuilder {
    /// A builder with the default layout, [`DEFAULT_BUDGET`] and the system's
    /// temporary folder.
    pub fn new(synonyms: Synonyms) -> Self {
        Self::with_layout(synonyms, Layout::default(), DEFAULT_BUDGET)
    }

    /// A builder with other size limits, spilling its term maps when they
    /// pass `budget` bytes (`usize::MAX`: never; no file is then written).
    #[doc(hidden)]
    pub fn with_layout(synonyms: Synonyms, layout: Layout, budget: usize) -> Self {
        let parts = rayon::current_num_threads().max(1);
        IndexBuilder {
            layout,
            synonyms,
            budget,
            tmp: TempDir::new(&std::env::temp_dir()),
            pending: Vec::new(),
            maps: (0..parts).map(|_| FastMap::default()).collect(),
            words: FastMap::default(),
            mem: 0,
            runs: Vec::new(),
            spilled: 0,
            chars: BTreeSet::new(),
            texts: Spill::new(budget / 32),
            rows: Spill::new(budget / 64),
            lens: Vec::new(),
            days: Vec::new(),
            doc_columns: Vec::new(),
            columns: FastMap::default(),
            hant: false,
            ids: FastMap::default(),
            previous: None,
            numbers: Vec::new(),
            next_number: 0,
            renumber: None,
            fps: Vec::new(),
            delta: None,
        }
    }

    /// Delta mode: keeps the term files of the previous build in `dir` (the
    /// *base*) for every document pushed unchanged, and indexes only the
    /// added and changed documents, in a delta segment beside them (changed
    /// and deleted documents become holes of the base). When the delta
    /// passes its share of the base, the averages or the synonym table
    /// change, [`IndexBuilder::finish`] folds: a whole index, numbered as
    /// the previous build did.
    ///
    /// Call before the first push.
    ///
    /// # Errors
    ///
    /// The previous build's index cannot be read as a base (missing files,
    /// another format): a message saying which file and why; the builder
    /// is then unchanged.
    pub fn delta(&mut self, dir: &Path) -> Result<(), String> {
        let base = DeltaBase::read(dir)?;
        self.delta = Some(Box::new(DeltaState {
            next: base.numbers,
            base,
            kept: 0,
            chars: vec![0; 0x11_0000 / 64],
            docs: Spill::new(self.budget / 32),
        }));
        Ok(())
    }

    /// Numbers documents as `previous` did (read back from the previous
    /// build's output, [`Numbering::read`]): a document keeps its number,
    /// a new one gets a number after all of them, and the numbers of
    /// deleted ones stay unused, until holes pass one number in
    /// [`MAX_HOLE_SHARE`] (the fold: numbers are ranks again). The term
    /// files of documents that kept their numbers then come out the same.
    pub fn numbering(mut self, previous: Numbering) -> Self {
        self.next_number = previous.space;
        self.previous = Some(previous);
        self
    }

    /// Puts the temporary files in a folder inside `dir` (e.g. on the disk
    /// of the output) instead of the system's temporary folder.
    pub fn temp_dir(mut self, dir: &Path) -> Self {
        self.tmp = TempDir::new(dir);
        self
    }

    /// Documents pushed so far.
    pub fn len(&self) -> usize {
        self.lens.len() + self.pending.len()
    }

    /// Whether no document was pushed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the next document (copied until its batch is indexed).
    ///
    /// # Errors
    ///
    /// A temporary file cannot be written, or the index would hold more
    /// than [`MAX_DOCS`] documents.
    pub fn push(&mut self, doc: &SearchDoc<'_>) -> io::Result<()> {
        self.pending.push(OwnedDoc::of(doc));
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds the next documents, in order, without copying them.
    ///
    /// # Errors
    ///
    /// As [`IndexBuilder::push`].
    pub fn push_batch(&mut self, docs: &[SearchDoc<'_>]) -> io::Result<()> {
        self.flush()?;
        for batch in docs.chunks(BATCH) {
            self.add_batch(batch)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let docs: Vec<SearchDoc<'_>> = pending.iter().map(OwnedDoc::doc).collect();
        self.add_batch(&docs)
    }

    /// Indexes a batch: tokenised on every core, merged in order.
    fn add_batch(&mut self, docs: &[SearchDoc<'_>]) -> io::Result<()> {
        let first = self.lens.len();
        if first + docs.len() > MAX_DOCS {
            return Err(io::Error::other(format!(
                "the search index holds at most {MAX_DOCS} documents"
            )));
        }
        let toks: Vec<(DocTokens, u64, Option<u32>)> =
            docs.par_iter().map(|d| self.tokens(d)).collect();
        for (k, (d, (t, fp, kept))) in docs.iter().zip(&toks).enumerate() {
            self.add_row(d, (first + k) as u32, t, *fp, *kept)?;
        }
        let toks: Vec<DocTokens> = toks.into_iter().map(|t| t.0).collect();
        let first = first as u32;
        let parts = self.maps.len();
        let added: usize = self
            .maps
            .par_iter_mut()
            .enumerate()
            .map(|(pi, map)| {
                let mut bytes = 0;
                for (k, t) in toks.iter().enumerate() {
                    for run in t.grams.chunk_by(|a, b| (a ^ b) & TERM_MASK == 0) {
                        let key = run[0] & TERM_MASK;
                        if part_of(key, parts) != pi {
                            continue;
                        }
                        let keep = (key >> 124) & 7 == MAX_GRAM as u128;
                        let buf = match map.entry(key) {
                            Entry::Occupied(o) => o.into_mut(),
                            Entry::Vacant(v) => {
                                bytes += TERM_OVERHEAD;
                                v.insert(TermBuf::default())
                            }
                        };
                        let before = buf.heap();
                        buf.add(first + k as u32, run.iter().map(|&x| x as u32), keep);
                        bytes += buf.heap() - before;
                    }
                }
                bytes
            })
            .sum();
        self.mem += added;
        for (k, t) in toks.into_iter().enumerate() {
            for run in t.words.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
                let buf = match self.words.entry((run[0].0, run[0].1.clone())) {
                    Entry::Occupied(o) => o.into_mut(),
                    Entry::Vacant(v) => {
                        self.mem += TERM_OVERHEAD;
                        v.insert(TermBuf::default())
                    }
                };
                let before = buf.heap();
                buf.add(first + k as u32, run.iter().map(|x| x.2), false);
                self.mem += buf.heap() - before;
            }
        }
        if self.mem > self.budget {
            self.spill_run()?;
        }
        Ok(())
    }

    /// A document's tokens and fingerprint; in delta mode, a document the
    /// base has unchanged is not tokenised (no terms, its base number).
    fn tokens(&self, d: &SearchDoc<'_>) -> (DocTokens, u64, Option<u32>) {
        let Some(st) = &self.delta else {
            let t = tokenize(d);
            let fp = fingerprint(&t.title, &t.full, d.doc_no, d.index_no);
            return (t, fp, None);
        };
        let (title, full) = fields(d);
        let fp = fingerprint(&title, &full, d.doc_no, d.index_no);
        match st.base.ids.get(d.id) {
            Some(&(no, f)) if f == fp => {
                let t = DocTokens {
                    grams: Vec::new(),
                    words: Vec::new(),
                    lens: [title.len() as u32, full.len() as u32],
                    title,
                    full,
                };
                (t, fp, Some(no))
            }
            _ => (tokenize(d), fp, None),
        }
    }

    /// Keeps what the files other than the postings need of document `no`
    /// (`kept`: in delta mode, the base number of an unchanged document).
    fn add_row(
        &mut self,
        d: &SearchDoc<'_>,
        no: u32,
        t: &DocTokens,
        fp: u64,
        kept: Option<u32>,
    ) -> io::Result<()> {
        let number = match self.delta.as_deref_mut() {
            Some(st) => {
                st.docs.write(&mut self.tmp, &owned_record(d))?;
                match kept {
                    Some(no) => {
                        st.kept += 1;
                        for &c in &t.full {
                            st.chars[c as usize / 64] |= 1 << (c as usize % 64);
                        }
                        no
                    }
                    None => {
                        st.next += 1;
                        st.next - 1
                    }
                }
            }
            None => {
                let kept = self.previous.as_mut().and_then(|p| p.ids.remove(d.id));
                kept.unwrap_or_else(|| {
                    self.next_number += 1;
                    self.next_number - 1
                })
            }
        };
        self.numbers.push(number);
        self.fps.push(fp);
        let mut rec = Vec::new();
        // The delta has no frequent phrases: their fields are not kept.
        if self.delta.is_none() {
            put_fields(&mut rec, (&t.title, &t.full));
            self.texts.write(&mut self.tmp, &rec)?;
            rec.clear();
        }
        for s in [d.id, d.title, d.title_hant.unwrap_or(""), d.date, d.column] {
            put_bytes(&mut rec, s.as_bytes());
        }
        rec.push(u8::from(d.title_hant.is_some()));
        self.rows.write(&mut self.tmp, &rec)?;
        self.hant |= d.title_hant.is_some();
        self.lens.push(t.lens);
        self.days
            .push(parse_plain_date(d.date).map_or(0, day_number));
        let next = self.columns.len() as u32;
        let c = *self.columns.entry(d.column.to_owned()).or_insert(next);
        self.doc_columns.push(c);
        if kept.is_some() {
            // Its title, 文号 and 索引号 lists are the base's.
            return Ok(());
        }
        // The whole title, the 文号 in full and without its 代字, the 索引号.
        let mut keys = Vec::new();
        if !t.title.is_empty() {
            keys.push(TermKey::TitleIs(t.title.clone()));
        }
        keys.extend(d.doc_no.and_then(doc_no_keys).into_iter().flatten());
        keys.extend(index_no_key(d.index_no));
        for k in keys {
            let list = &mut self.ids.entry(k.key()).or_insert_with(|| (k, Vec::new())).1;
            // A 文号 and its key without the 代字 may coincide: a document
            // is listed once per key.
            if list.last() != Some(&no) {
                list.push(no);
            }
        }
        Ok(())
    }

    /// The in-memory terms, sorted by key; the maps start empty.
    fn drain_terms(&mut self) -> Vec<(String, TermBuf)> {
        let parts = self.maps.len();
        let maps = std::mem::replace(
            &mut self.maps,
            (0..parts).map(|_| FastMap::default()).collect(),
        );
        self.chars.extend(
            maps.iter()
                .flat_map(|m| m.keys())
                .filter(|&&g| g >> 127 == 1 && (g >> 124) & 7 == 1)
                .filter_map(|&g| char::from_u32(((g >> 95) & 0x1F_FFFF) as u32))
                .filter(|&c| super::expand::is_han(c)),
        );
        let mut terms: Vec<(String, TermBuf)> = maps
            .into_par_iter()
            .flat_map_iter(|m| m.into_iter())
            .map(|(g, t)| {
                let (f, _, s) = unpack(g);
                (TermKey::Gram(f, s).key(), t)
            })
            .collect();
        terms.extend(
            std::mem::take(&mut self.words)
                .into_iter()
                .map(|((f, w), t)| (TermKey::Word(f, w).key(), t)),
        );
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.mem = 0;
        terms
    }

    /// Writes the in-memory terms as a run, sorted by key.
    fn spill_run(&mut self) -> io::Result<()> {
        let terms = self.drain_terms();
        let mut run = Spill::new(0);
        let mut rec = Vec::new();
        for (key, t) in terms {
            rec.clear();
            put_bytes(&mut rec, key.as_bytes());
            put_varint(&mut rec, t.docs.len() as u64);
            for &d in &t.docs {
                put_varint(&mut rec, u64::from(d));
            }
            put_bytes(&mut rec, &t.pos);
            run.write(&mut self.tmp, &rec)?;
        }
        self.runs.push(run.finish()?);
        self.spilled += 1;
        Ok(())
    }

    /// Writes every search file into `sink` (path relative to the bundle
    /// root, bytes), one at a time, in no particular order.
    ///
    /// # Errors
    ///
    /// A temporary file cannot be written or read back, or the sink's error.
    pub fn finish(
        mut self,
        mut sink: impl FnMut(String, Vec<u8>) -> io::Result<()>,
    ) -> io::Result<IndexSummary> {
        self.flush()?;
        if let Some(st) = self.delta.take() {
            return self.finish_delta(*st, sink);
        }
        let n = self.lens.len();
        let avg = self.averages();
        self.renumber = self.stable_numbers();
        let mem_terms = self.drain_terms();
        let texts = std::mem::replace(&mut self.texts, Spill::new(0)).finish()?;
        let rows = std::mem::replace(&mut self.rows, Spill::new(0)).finish()?;
        let extras = self.extra_terms(&texts, &rows)?;
        drop(texts);
        let mut files = 0usize;
        let mut out = |p: String, b: Vec<u8>| {
            files += 1;
            sink(p, b)
        };
        let encoded = self.encode_terms(mem_terms, extras, avg)?;
        // The synonym table comes right after the term shards; the terms'
        // own files are numbered further on (`FileNumbers`).
        let synonym_file = (!self.synonyms.groups().is_empty()).then_some(encoded.shards);
        let shard_groups = self.write_shards(&encoded, 0, &mut out)?;
        let shards = encoded.shards;
        drop(encoded);
        self.write_tables(&rows, avg, shards, synonym_file, None, &mut out)?;
        out(BASE_PATH.to_owned(), self.base_record(&rows)?.encode())?;
        Ok(IndexSummary {
            docs: n as u32,
            files,
            runs: self.spilled,
            shard_groups,
            stable: self.renumber.is_some(),
            delta: false,
        })
    }

    /// The averages of the two fields' lengths, rounded.
    fn averages(&self) -> [f32; 2] {
        let nf = self.lens.len().max(1) as f32;
        [
            quantise_len(self.lens.iter().map(|l| l[0] as f32).sum::<f32>() / nf),
            quantise_len(self.lens.iter().map(|l| l[1] as f32).sum::<f32>() / nf),
        ]
    }

    /// [`BASE_PATH`] of a whole index: each number's document.
    fn base_record(&self, rows: &Stored) -> io::Result<BaseRecord> {
        let n = self.lens.len();
        let space = match &self.renumber {
            Some(_) => self.next_number as usize,
            None => n,
        };
        let mut docs = vec![None; space];
        let mut r = rows.read()?;
        for i in 0..n {
            let row = read_row(&mut r)?;
            let no = self.renumber.as_ref().map_or(i, |m| m[i] as usize);
            docs[no] = Some(BaseDoc {
                id: row.id,
                fp: self.fps[i],
                title: normalize(&row.title),
            });
        }
        Ok(BaseRecord {
            docs,
            chars: self.chars.clone(),
            hant: self.hant,
        })
    }

    /// [`IndexBuilder::finish`] in delta mode: the delta segment and the
    /// tables, with the base's files handed on as they are; or the fold.
    fn finish_delta(
        mut self,
        st: DeltaState,
        mut sink: impl FnMut(String, Vec<u8>) -> io::Result<()>,
    ) -> io::Result<IndexSummary> {
        let n = self.lens.len();
        let avg = self.averages();
        let base = &st.base;
        let live = base.live();
        let (added, gone) = (n - st.kept, live - st.kept);
        let synonyms_now =
            (!self.synonyms.groups().is_empty()).then(|| synonym_shard(&self.synonyms, self.hant));
        let synonyms_base = match base.meta.synonyms {
            Some(f) => Some(std::fs::read(base.dir.join(shard_path(f)))?),
            None => None,
        };
        let fits = n > 0
            && avg == [base.meta.avg_title_len, base.meta.avg_full_len]
            && self.hant == base.record.hant
            && synonyms_now == synonyms_base
            && gone * DELTA_WEIGHTS[0] + added * DELTA_WEIGHTS[1] < live;
        if !fits {
            return self.fold(st, sink);
        }
        self.next_number = st.next;
        self.renumber = Some(self.numbers.clone());
        let rows = std::mem::replace(&mut self.rows, Spill::new(0)).finish()?;
        if added == 0 && gone == 0 {
            return self.finish_unchanged(&st.base, &rows, avg, sink);
        }
        let mem_terms = self.drain_terms();
        let mut extras = self.id_terms();
        if self.layout.dictionary {
            let mut titles = Vec::with_capacity(n);
            let mut r = rows.read()?;
            for _ in 0..n {
                titles.push(normalize(&read_row(&mut r)?.title));
            }
            let mut chars = self.chars.clone();
            for_each_bit(&st.chars, |c| {
                chars.extend(char::from_u32(c).filter(|&c| super::expand::is_han(c)));
            });
            let base_titles: Vec<Vec<char>> = base
                .record
                .docs
                .iter()
                .flatten()
                .map(|d| d.title.clone())
                .collect();
            extras.extend(dictionary_delta(
                (&base_titles, &base.record.chars),
                (&titles, &chars),
                self.hant,
            ));
        }
        extras.par_sort_unstable_by(|a, b| a.key.cmp(&b.key));
        let mut files = 0usize;
        let mut out = |p: String, b: Vec<u8>| {
            files += 1;
            sink(p, b)
        };
        let encoded = self.encode_terms(mem_terms, extras, avg)?;
        let shard_groups = self.write_shards(&encoded, base.first, &mut out)?;
        let delta = DeltaMeta {
            numbers: base.numbers,
            first: base.first,
            shards: encoded.shards,
        };
        drop(encoded);
        self.write_tables(
            &rows,
            avg,
            base.meta.shards,
            base.meta.synonyms,
            Some(delta),
            &mut out,
        )?;
        for (path, file) in base.files()? {
            out(path, std::fs::read(file)?)?;
        }
        Ok(IndexSummary {
            docs: n as u32,
            files,
            runs: self.spilled,
            shard_groups,
            stable: true,
            delta: true,
        })
    }

    /// No document added, changed or deleted since the base: the base
    /// alone, with the tables of the documents as they are now (the same
    /// files as the base's build when nothing else changed either).
    fn finish_unchanged(
        mut self,
        base: &DeltaBase,
        rows: &Stored,
        avg: [f32; 2],
        mut sink: impl FnMut(String, Vec<u8>) -> io::Result<()>,
    ) -> io::Result<IndexSummary> {
        let ranks = self.next_number as usize == self.numbers.len()
            && self.numbers.iter().enumerate().all(|(r, &d)| d == r as u32);
        if ranks {
            self.renumber = None;
        }
        let mut files = 0usize;
        let mut out = |p: String, b: Vec<u8>| {
            files += 1;
            sink(p, b)
        };
        let synonyms = base.meta.synonyms;
        self.write_tables(rows, avg, base.meta.shards, synonyms, None, &mut out)?;
        for (path, file) in base.files()? {
            // The synonym table was written with the tables.
            if synonyms.is_none_or(|f| path != shard_path(f)) {
                out(path, std::fs::read(file)?)?;
            }
        }
        Ok(IndexSummary {
            docs: self.lens.len() as u32,
            files,
            runs: self.spilled,
            shard_groups: 0,
            stable: !ranks,
            delta: false,
        })
    }

    /// A whole index of every document pushed, numbered as the previous
    /// build did: the delta passed its share, or the base no longer fits.
    fn fold(
        self,
        st: DeltaState,
        sink: impl FnMut(String, Vec<u8>) -> io::Result<()>,
    ) -> io::Result<IndexSummary> {
        let mut whole = IndexBuilder::with_layout(self.synonyms, self.layout, self.budget);
        match Numbering::read(&st.base.dir) {
            Ok(n) => whole = whole.numbering(n),
            Err(e) => {
                eprintln!("search index: numbered afresh (every search file may change): {e}")
            }
        }
        let docs = st.docs.finish()?;
        let mut r = docs.read()?;
        for _ in 0..self.lens.len() {
            let d = read_owned(&mut r)?;
            whole.push(&d.doc())?;
        }
        whole.finish(sink)
    }

    /// The title, 文号 and 索引号 lists, encoded.
    fn id_terms(&mut self) -> Vec<Encoded> {
        let ids = std::mem::take(&mut self.ids);
        let (map, layout) = (self.renumber.as_deref(), self.layout);
        ids.into_values()
            .map(|(k, list)| {
                Encoded::new(k.key(), number_list(map, list), None, Vec::new(), &layout)
            })
            .collect()
    }

    /// The documents' stable numbers, when the builder has a previous
    /// numbering, they are not simply the ranks, and the holes are few.
    fn stable_numbers(&self) -> Option<Vec<u32>> {
        self.previous.as_ref()?;
        let n = self.numbers.len() as u32;
        let holes = self.next_number - n;
        let ranks = holes == 0 && self.numbers.iter().enumerate().all(|(r, &d)| d == r as u32);
        (!ranks && holes * MAX_HOLE_SHARE <= n).then(|| self.numbers.clone())
    }

    /// The terms that are not n-grams or words, sorted by key: frequent
    /// phrases, title / 文号 / 索引号 keys, the dictionary.
    fn extra_terms(&mut self, texts: &Stored, rows: &Stored) -> io::Result<Vec<Encoded>> {
        let layout = self.layout;
        let ids = self.id_terms();
        let map = self.renumber.as_deref();
        let mut extras: Vec<Encoded> = frequent_phrases(texts, self.lens.len(), &layout)?
            .into_par_iter()
            .map(|(field, text, list)| {
                let key = TermKey::Gram(field, text).key();
                Encoded::new(
                    key,
                    number_list(map, list.to_vec()),
                    None,
                    Vec::new(),
                    &layout,
                )
            })
            .collect();
        extras.extend(ids);
        if layout.dictionary {
            let mut titles = Vec::with_capacity(self.lens.len());
            let mut r = rows.read()?;
            for _ in 0..self.lens.len() {
                titles.push(normalize(&read_row(&mut r)?.title));
            }
            extras.extend(dictionary(&titles, &self.chars, self.hant));
        }
        extras.par_sort_unstable_by(|a, b| a.key.cmp(&b.key));
        Ok(extras)
    }

    /// Merges the runs and the in-memory terms by key, encodes every term
    /// (with `extras` in key order) and stores them for [`Self::write_shards`].
    fn encode_terms(
        &mut self,
        mem_terms: Vec<(String, TermBuf)>,
        extras: Vec<Encoded>,
        avg: [f32; 2],
    ) -> io::Result<EncodedTerms> {
        let runs = std::mem::take(&mut self.runs);
        let mut sources = runs
            .iter()
            .map(|r| r.read().map(Source::File))
            .collect::<io::Result<Vec<_>>>()?;
        sources.push(Source::Mem(mem_terms.into_iter()));
        let mut merge = Merge::new(sources)?;
        let mut extras = extras.into_iter().peekable();
        let mut store = EncodedStore {
            spill: Spill::new(self.budget / 32),
            inline: 0,
        };
        let n = self.lens.len();
        // With stable numbers, a term's documents are renumbered before
        // encoding, and its impacts read each one's lengths by number.
        let numbered_lens = self.renumber.as_ref().map(|map| {
            let mut by_number = vec![[0u32; 2]; self.next_number as usize];
            for (&d, l) in map.iter().zip(&self.lens) {
                by_number[d as usize] = *l;
            }
            by_number
        });
        let lens = numbered_lens.as_deref().unwrap_or(&self.lens);
        let (map, layout) = (self.renumber.as_deref(), self.layout);
        loop {
            let mut chunk = Vec::with_capacity(ENCODE_CHUNK);
            while chunk.len() < ENCODE_CHUNK {
                match merge.next()? {
                    Some(t) => chunk.push(t),
                    None => break,
                }
            }
            let done = chunk.len() < ENCODE_CHUNK;
            let encoded: Vec<Encoded> = chunk
                .into_par_iter()
                .map(|(key, t)| {
                    let t = match map {
                        Some(map) => renumber_term(t, map),
                        None => t,
                    };
                    encode_term(key, t, n, lens, avg, &layout)
                })
                .collect();
            for e in encoded {
                while let Some(x) = extras.next_if(|x| x.key < e.key) {
                    store.add(&mut self.tmp, &x)?;
                }
                store.add(&mut self.tmp, &e)?;
            }
            if done {
                break;
            }
        }
        for x in extras {
            store.add(&mut self.tmp, &x)?;
        }
        let inline = store.inline;
        let fit = (inline / layout.target_shard_bytes.max(1))
            .max(1)
            .next_power_of_two() as u32;
        // The previous build's count while within a factor of two of the
        // fit: a new count moves every term to another shard.
        let shards = match self.previous.as_ref().map(|p| p.shards) {
            Some(p) if p > 0 && p / 2 <= fit && fit <= p.saturating_mul(2) => p,
            _ => fit,
        };
        Ok(EncodedTerms {
            stored: store.spill.finish()?,
            shards,
            inline,
        })
    }

    /// Writes the term shards (which hold the small lists and the pointers
    /// to the others' files, numbered by [`FileNumbers`]) and
    /// every term's own files. Shards are made a group at a time so that
    /// their bytes stay under half the budget: one pass over the encoded
    /// terms per group.
    fn write_shards(
        &self,
        enc: &EncodedTerms,
        first: u32,
        out: &mut impl FnMut(String, Vec<u8>) -> io::Result<()>,
    ) -> io::Result<usize> {
        let shards = enc.shards;
        let groups = enc
            .inline
            .div_ceil((self.budget / 2).max(1))
            .clamp(1, shards as usize);
        let per = (shards as usize).div_ceil(groups) as u32;
        for g in 0..groups as u32 {
            let lo = g * per;
            let hi = (lo + per).min(shards);
            let mut by_shard: Vec<(Vec<u8>, usize)> = (lo..hi).map(|_| (Vec::new(), 0)).collect();
            let mut r = enc.stored.read()?;
            let mut numbers = FileNumbers::new(first, shards);
            while let Some(e) = Encoded::read(&mut r)? {
                let f0 = numbers.of(&e);
                if g == 0 {
                    for (p, b) in e.own_files(&f0) {
                        out(p, b)?;
                    }
                }
                let s = shard_of(&e.key, shards);
                if (lo..hi).contains(&s) {
                    // Entries arrive in key order, so each shard's stay sorted.
                    let sh = &mut by_shard[(s - lo) as usize];
                    e.entry(&f0, &mut sh.0);
                    sh.1 += 1;
                }
            }
            for (i, (body, k)) in by_shard.into_iter().enumerate() {
                out(
                    shard_path(first + lo + i as u32),
                    super::index::shard_file(&body, k),
                )?;
            }
        }
        Ok(groups)
    }

    /// The document table, dates, columns, synonym table and meta file.
    fn write_tables(
        &self,
        rows: &Stored,
        avg: [f32; 2],
        shards: u32,
        synonym_file: Option<u32>,
        delta: Option<DeltaMeta>,
        out: &mut impl FnMut(String, Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        let n = self.lens.len();
        let mut r = rows.read()?;
        let mut chunk: Vec<Row> = Vec::with_capacity(DOC_CHUNK as usize);
        for i in 0..n {
            chunk.push(read_row(&mut r)?);
            if chunk.len() == DOC_CHUNK as usize || i + 1 == n {
                let c = (i as u32) / DOC_CHUNK;
                for variant in [Variant::Hans, Variant::Hant] {
                    // The 繁體 table only if the bundle has that variant.
                    if variant == Variant::Hant && !self.hant {
                        continue;
                    }
                    let dc = DocChunk {
                        first: c * DOC_CHUNK,
                        docs: chunk.iter().map(|row| row.entry(variant)).collect(),
                    };
                    out(chunk_path(c, variant), json(&dc))?;
                }
                chunk.clear();
            }
        }
        out(
            DATES_PATH.to_owned(),
            DateIndex::from_days(self.days.iter().copied()).encode(),
        )?;
        // Column ids sorted: `search/columns.bin` numbers them in this order.
        let mut columns: Vec<(&String, u32)> = self.columns.iter().map(|(c, &i)| (c, i)).collect();
        columns.sort();
        let mut rank = vec![0u16; columns.len()];
        for (r, &(_, i)) in columns.iter().enumerate() {
            rank[i as usize] = r as u16;
        }
        let of = self.doc_columns.iter().map(|&c| rank[c as usize]).collect();
        out(
            COLUMNS_PATH.to_owned(),
            super::format::ColumnIndex::new(of).encode(),
        )?;
        // A delta segment keeps the base's table (the same bytes).
        if let (Some(f), None) = (synonym_file, delta) {
            out(shard_path(f), synonym_shard(&self.synonyms, self.hant))?;
        }
        if let Some(map) = &self.renumber {
            let order = OrderMap::new(map.clone(), self.next_number);
            out(ORDER_PATH.to_owned(), order.encode())?;
        }
        let meta = SearchMeta {
            format: SEARCH_FORMAT,
            docs: n as u32,
            shards,
            doc_chunk: DOC_CHUNK,
            avg_title_len: avg[0],
            avg_full_len: avg[1],
            columns: columns.into_iter().map(|(c, _)| c.clone()).collect(),
            synonyms: synonym_file,
            order: self.renumber.is_some(),
            delta,
        };
        out(META_PATH.to_owned(), json(&meta))
    }
}

/// The partition of the n-gram maps that holds `key`.
fn part_of(key: u128, parts: usize) -> usize {
    ((key >> 32) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) as usize % parts
}

/// A term's merged postings, encoded: impacts only for terms in at most one
/// document in [`IMPACT_MAX_DF_SHARE`].
fn encode_term(
    key: String,
    t: TermBuf,
    n: usize,
    lens: &[[u32; 2]],
    avg: [f32; 2],
    layout: &Layout,
) -> Encoded {
    // Gram and word keys start with their field's prefix.
    let fi = usize::from(!key.starts_with(Field::Title.prefix()));
    // A term in more than 1 document in IMPACT_MAX_DF_SHARE has an idf
    // under ln 9 ≈ 2.2: its tf barely moves a score, while its impacts
    // would be four times the size of its bitmap.
    // Stored a little past the share, which the query applies
    // (`index_params::IMPACT_MARGIN`).
    let impacts = (t.docs.len() * IMPACT_MAX_DF_SHARE * 10 <= n * IMPACT_MARGIN)
        .then(|| super::index::impacts_of(&t, lens, avg[fi], fi));
    let docs = t.docs.iter().map(|&dt| dt >> 8).collect();
    Encoded::new(key, docs, impacts, t.pos, layout)
}

/// A list of documents (push order, ascending) in the term files'
/// numbers `map`, ascending.
fn number_list(map: Option<&[u32]>, docs: Vec<u32>) -> Vec<u32> {
    match map {
        None => docs,
        Some(map) => {
            let mut out: Vec<u32> = docs.iter().map(|&d| map[d as usize]).collect();
            out.sort_unstable();
            out
        }
    }
}

/// A term's postings (push order) in stable numbers `map`, ascending,
/// each document's positions moved along.
fn renumber_term(t: TermBuf, map: &[u32]) -> TermBuf {
    let n = t.docs.len();
    let mut idx: Vec<u32> = (0..n as u32).collect();
    idx.sort_unstable_by_key(|&i| map[(t.docs[i as usize] >> 8) as usize]);
    let docs = idx
        .iter()
        .map(|&i| {
            let dt = t.docs[i as usize];
            map[(dt >> 8) as usize] << 8 | (dt & 0xFF)
        })
        .collect();
    let pos = if t.pos.is_empty() {
        t.pos
    } else {
        let ends = position_ends(&t.pos, n);
        let mut pos = Vec::with_capacity(t.pos.len());
        for &i in &idx {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            pos.extend_from_slice(&t.pos[start..ends[i] as usize]);
        }
        pos
    };
    TermBuf { docs, pos }
}

/// An average field length rounded to 1/32 of a doubling (about 2 %), so
/// that one notice more or less rarely moves it: every impact depends on it.
fn quantise_len(avg: f32) -> f32 {
    if avg <= 1.0 {
        return avg;
    }
    ((avg.log2() * 32.0).round() / 32.0).exp2()
}

/// A document's row of the document table, as spilled.
struct Row {
    id: String,
    title: String,
    title_hant: Option<String>,
    date: String,
    column: String,
}

impl Row {
    fn entry(&self, variant: Variant) -> DocEntry {
        DocEntry {
            id: self.id.clone(),
            title: match variant {
                Variant::Hans => &self.title,
                Variant::Hant => self.title_hant.as_ref().unwrap_or(&self.title),
            }
            .clone(),
            date: self.date.clone(),
            column: self.column.clone(),
        }
    }
}

fn read_row(r: &mut SpillReader<'_>) -> io::Result<Row> {
    let (id, title, hant, date, column) = (
        r.string()?,
        r.string()?,
        r.string()?,
        r.string()?,
        r.string()?,
    );
    let has_hant = r.take(1)?[0] == 1;
    Ok(Row {
        id,
        title,
        title_hant: has_hant.then_some(hant),
        date,
        column,
    })
}

/// Where the merge reads terms: a spilled run, or the terms still in memory.
enum Source<'a> {
    File(SpillReader<'a>),
    Mem(std::vec::IntoIter<(String, TermBuf)>),
}

impl Source<'_> {
    fn next(&mut self) -> io::Result<Option<(String, TermBuf)>> {
        match self {
            Source::Mem(it) => Ok(it.next()),
            Source::File(r) => {
                let Some(len) = r.next_varint()? else {
                    return Ok(None);
                };
                let key = String::from_utf8(r.take(len as usize)?)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                let k = r.varint()? as usize;
                let mut t = TermBuf::default();
                t.docs.reserve_exact(k);
                for _ in 0..k {
                    t.docs.push(r.varint()? as u32);
                }
                t.pos = r.bytes()?;
                Ok(Some((key, t)))
            }
        }
    }
}

/// The k-way merge of sources sorted by key: a term in several sources gets
/// their postings in source order (runs hold consecutive documents).
struct Merge<'a> {
    sources: Vec<Source<'a>>,
    heads: Vec<Option<TermBuf>>,
    heap: BinaryHeap<Reverse<(String, usize)>>,
}

impl<'a> Merge<'a> {
    fn new(mut sources: Vec<Source<'a>>) -> io::Result<Self> {
        let mut heads = Vec::with_capacity(sources.len());
        let mut heap = BinaryHeap::new();
        for (i, s) in sources.iter_mut().enumerate() {
            let head = s.next()?.map(|(k, t)| {
                heap.push(Reverse((k, i)));
                t
            });
            heads.push(head);
        }
        Ok(Merge {
            sources,
            heads,
            heap,
        })
    }

    /// Takes source `i`'s head and reads its next term.
    fn pop(&mut self, i: usize) -> io::Result<TermBuf> {
        let t = self.heads[i].take().unwrap_or_default();
        if let Some((k, next)) = self.sources[i].next()? {
            self.heads[i] = Some(next);
            self.heap.push(Reverse((k, i)));
        }
        Ok(t)
    }

    fn next(&mut self) -> io::Result<Option<(String, TermBuf)>> {
        let Some(Reverse((key, i))) = self.heap.pop() else {
            return Ok(None);
        };
        let mut t = self.pop(i)?;
        while self.heap.peek().is_some_and(|Reverse((k, _))| *k == key) {
            let Some(Reverse((_, j))) = self.heap.pop() else {
                break;
            };
            let more = self.pop(j)?;
            t.docs.extend_from_slice(&more.docs);
            t.pos.extend_from_slice(&more.pos);
        }
        Ok(Some((key, t)))
    }
}

/// The encoded terms being stored in key order, with what numbering the
/// files needs.
struct EncodedStore {
    spill: Spill,
    /// Bytes the term shards will hold.
    inline: usize,
}

impl EncodedStore {
    fn add(&mut self, tmp: &mut TempDir, e: &Encoded) -> io::Result<()> {
        self.inline += e.inline_bytes();
        let mut rec = Vec::new();
        e.write(&mut rec);
        self.spill.write(tmp, &rec)
    }
}

/// The numbers of the terms' own files (long document lists, positions
/// blocks), picked by a hash of the term's key and the file's tag
/// ([`Encoded::file_tags`]) in a span of 64 numbers a term shard after the
/// term shards and the synonym table, the next free one on a collision.
/// Sequential numbers would renumber every later file whenever one term
/// gained or lost a file; these move only on a collision. Terms must be
/// numbered in the same (key) order on every pass.
struct FileNumbers {
    first: u32,
    span: u32,
    used: std::collections::HashSet<u32>,
}

impl FileNumbers {
    /// The numbers of a segment whose term shards start at `first`.
    fn new(first: u32, shards: u32) -> Self {
        FileNumbers {
            first: first + shards + 1,
            span: file_span(shards),
            used: std::collections::HashSet::new(),
        }
    }

    /// The numbers of `e`'s own files, in [`Encoded::own_files`]' order.
    fn of(&mut self, e: &Encoded) -> Vec<u32> {
        let tags = e.file_tags();
        if tags.is_empty() {
            return tags;
        }
        let h = e.key.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
        });
        tags.into_iter()
            .map(|t| {
                let mut x = (h ^ u64::from(t)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                x ^= x >> 29;
                let mut slot = (x % u64::from(self.span)) as u32;
                while !self.used.insert(slot) {
                    slot = (slot + 1) % self.span;
                }
                self.first + slot
            })
            .collect()
    }
}

/// Every encoded term, in key order, and the shard count they make.
struct EncodedTerms {
    stored: Stored,
    shards: u32,
    inline: usize,
}

#[cfg(test)]
mod tests {
    use super::super::delta::LEGACY_BASE_PATH;
    use super::*;

    /// The files `b` finishes into, in the order it hands them on, and
    /// its summary.
    fn finished(b: IndexBuilder) -> (Vec<(String, Vec<u8>)>, IndexSummary) {
        let mut files = Vec::new();
        let summary = b
            .finish(|p, bytes| {
                files.push((p, bytes));
                Ok(())
            })
            .unwrap();
        (files, summary)
    }

    fn doc(i: usize) -> (String, String) {
        let words = [
            "科技",
            "活动",
            "通知",
            "发展",
            "高质量",
            "教育",
            "医疗",
            "交通",
            "GDP",
            "2024",
        ];
        let title = format!("关于{}{}的通知", words[i % 10], words[(i / 10) % 10]);
        let body = (0..40)
            .map(|k| words[(i * 7 + k * 3) % 10])
            .collect::<Vec<_>>()
            .join("");
        (title, body)
    }

    /// Issue 21: the index of a site larger than the budget is spilled in
    /// runs and merged, and the files are those of the in-memory build.
    #[test]
    fn spilled_runs_build_the_same_files() {
        let texts: Vec<(String, String)> = (0..600).map(doc).collect();
        let docs: Vec<SearchDoc<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, (t, b))| SearchDoc {
                id: ["a", "b", "c"][i % 3],
                title: t,
                title_hant: (i % 2 == 0).then_some(t.as_str()),
                text: b,
                date: if i < 300 { "2024-05-02" } else { "2024-05-01" },
                column: ["zn", "tz", "gg"][i % 3],
                doc_no: Some("武科发〔2024〕3号"),
                ..SearchDoc::default()
            })
            .collect();
        let layout = Layout {
            phrase_min_docs: 20,
            phrase_share: 8,
            phrase_sample: 64,
            docs_inline_max: 40,
            pos_inline_max: 30,
            pos_block_bytes: 64,
            ..Layout::default()
        };
        let build = |budget: usize, batch: usize| {
            let mut b = IndexBuilder::with_layout(Synonyms::default_table(), layout, budget);
            if batch == 1 {
                for d in &docs {
                    b.push(d).unwrap();
                }
            } else {
                for chunk in docs.chunks(batch) {
                    b.push_batch(chunk).unwrap();
                }
            }
            let (mut files, summary) = finished(b);
            files.sort();
            assert_eq!(summary.files, files.len());
            (files, summary)
        };
        let (whole, s0) = build(usize::MAX, 600);
        assert_eq!((s0.runs, s0.shard_groups), (0, 1));
        let (pushed, _) = build(DEFAULT_BUDGET, 1);
        let (spilled, s1) = build(64 << 10, 50);
        assert!(s1.runs > 2, "{s1:?}");
        assert!(s1.shard_groups > 1, "{s1:?}");
        for other in [&pushed, &spilled] {
            assert_eq!(whole.len(), other.len());
            for (a, b) in whole.iter().zip(other) {
                assert_eq!(a.0, b.0);
                assert!(a.1 == b.1, "{} differs", a.0);
            }
        }
    }

    /// `search/base.bin` was served in the bundle although the app never
    /// fetches it: the base is now in the state folder, and a folder built
    /// by the previous version (its base at the old path) still rebuilds
    /// with a delta segment, its base handed on to the new path.
    #[test]
    fn the_base_is_state_and_its_old_place_still_reads() {
        let texts: Vec<(String, String)> = (0..60).map(doc).collect();
        let ids: Vec<String> = (0..61).map(|i| format!("d{i}")).collect();
        let extra = doc(60);
        let search_doc = |i: usize| {
            let (t, b) = if i < 60 { &texts[i] } else { &extra };
            SearchDoc {
                id: &ids[i],
                title: t,
                text: b,
                date: "2024-05-01",
                column: "zn",
                ..SearchDoc::default()
            }
        };
        let build = |n: usize, base: Option<&Path>| {
            let mut b = IndexBuilder::new(Synonyms::default_table());
            if let Some(dir) = base {
                b.delta(dir).unwrap();
            }
            for i in 0..n {
                b.push(&search_doc(i)).unwrap();
            }
            finished(b)
        };
        let (files, _) = build(60, None);
        assert!(BASE_PATH.starts_with(&format!("{}/", crate::publish::STATE_DIR)));
        assert!(files.iter().all(|(p, _)| p != LEGACY_BASE_PATH));
        let base = &files.iter().find(|(p, _)| p == BASE_PATH).unwrap().1;
        let dir = std::env::temp_dir().join(format!("gongkai-legacy-base-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (p, bytes) in &files {
            // The previous version's folder: the base among the search files.
            let p = if p == BASE_PATH { LEGACY_BASE_PATH } else { p };
            std::fs::create_dir_all(dir.join(p).parent().unwrap()).unwrap();
            std::fs::write(dir.join(p), bytes).unwrap();
        }
        let (again, summary) = build(61, Some(&dir));
        assert!(summary.delta, "{summary:?}");
        let handed = &again.iter().find(|(p, _)| p == BASE_PATH).unwrap().1;
        assert!(handed == base, "the base is handed on with the same bytes");
        assert!(again.iter().all(|(p, _)| p != LEGACY_BASE_PATH));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
