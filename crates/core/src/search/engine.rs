//! Running a parsed query over the loaded files, in named phases.
//!
//! A query is one or more *conjunctions* (the text as typed, and the
//! pinyin or synonym expansions that [`super::expand`] adds), each run in
//! the same phases:
//!
//! 1. [`load_lists`]: the document lists of its tokens (and of the title
//!    boost, the ranking bonuses and the exact-title key);
//! 2. [`candidates`]: the documents in every list, within the filters;
//! 3. [`load_positions`]: for exact queries over four characters, the
//!    positions of the candidates' cover 4-grams;
//! 4. [`Scorer`]: the phrase check and the score of each candidate;
//! 5. [`Top`]: the page (`limit` best, or first by date) or every match.
//!
//! A file that is not loaded yet is noted in [`Ctx::need`]; once every
//! phase has asked for what it can, the caller returns the list.

use super::format::{
    for_each_bit, ColumnIndex, Fetch, Field, PosIter, Positions, Postings, SearchFile, SearchMeta,
    Shards, TermKey,
};
use super::index_params::{IMPACT_MAX_DF_SHARE, PHRASE_BONUS, PROXIMITY_BONUS, TITLE_BOOST};
use super::query::{Group, Hit, Results, SearchError, SortOrder, Tier, Tok};
use std::ops::Range;

/// The loaded files of one step, and what is still missing.
pub(super) struct Ctx<'a> {
    pub meta: &'a SearchMeta,
    pub files: &'a Shards,
    /// Files to fetch before the step can finish.
    pub need: Vec<SearchFile>,
}

impl<'a> Ctx<'a> {
    pub fn new(meta: &'a SearchMeta, files: &'a Shards) -> Self {
        Ctx {
            meta,
            files,
            need: Vec::new(),
        }
    }

    fn note(&mut self, v: Vec<u32>) {
        self.need.extend(v.into_iter().map(SearchFile::Shard));
    }

    /// The postings of `key`: `None` while a file is missing (noted),
    /// `Some(None)` if the index has no such term.
    pub fn postings(&mut self, key: &TermKey) -> Result<Option<Option<Postings>>, SearchError> {
        // Lists in stable numbers are read only with the map to ranks.
        // The term's files are asked for in the same round.
        if self.meta.order && !self.want(SearchFile::Order) {
            if let Fetch::Need(v) = self.files.postings_of(self.meta, &key.key())? {
                self.note(v);
            }
            return Ok(None);
        }
        match self.files.postings_of(self.meta, &key.key())? {
            Fetch::Ready(p) => Ok(Some(p.map(|p| self.ranked(p)))),
            Fetch::Need(v) => {
                self.note(v);
                Ok(None)
            }
        }
    }

    /// `p` as the ranking reads it: the builder stores impacts for terms a
    /// little past one document in [`IMPACT_MAX_DF_SHARE`]
    /// ([`super::index_params::IMPACT_MARGIN`]), so that a delta segment's base still has them
    /// when edits bring a term back under the share; past the share, every
    /// document counts as one average occurrence, as in a fresh build.
    fn ranked(&self, mut p: Postings) -> Postings {
        if p.df() * IMPACT_MAX_DF_SHARE > self.meta.docs as usize {
            p.impacts = Vec::new();
        }
        p
    }

    /// The postings of `key` if loaded and present.
    pub fn optional(&mut self, key: &TermKey) -> Result<Option<Postings>, SearchError> {
        Ok(self.postings(key)?.flatten())
    }

    /// Whether the index has `key` (`None` while its shard is missing).
    fn has_term(&mut self, key: &TermKey) -> Option<bool> {
        // The delta segment has no frequent phrases' lists: the base's
        // would miss its documents. Without them an exact query checks
        // positions, with the same results (only slower).
        if self.meta.delta.is_some() {
            return Some(false);
        }
        match self.files.has_term(self.meta.shards, &key.key()) {
            Fetch::Ready(has) => Some(has),
            Fetch::Need(v) => {
                self.note(v);
                None
            }
        }
    }

    /// The values of dictionary entry `key` (empty if absent; `None`
    /// while its shard is missing).
    pub fn values(&mut self, key: &TermKey) -> Result<Option<Vec<String>>, SearchError> {
        match self.files.values_of(self.meta, &key.key())? {
            Fetch::Ready(v) => Ok(Some(v)),
            Fetch::Need(v) => {
                self.note(v);
                Ok(None)
            }
        }
    }

    /// Whether `file` is loaded; notes it if not.
    pub fn want(&mut self, file: SearchFile) -> bool {
        let has = self.files.has(file);
        if !has {
            self.need.push(file);
        }
        has
    }

    /// The missing files, sorted, without repeats.
    pub fn take_need(&mut self) -> Vec<SearchFile> {
        let mut v = std::mem::take(&mut self.need);
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Groups of tokens that must all occur (AND), with the junctions of the
/// fuzzy ranking bonus: the query as typed, or one of its expansions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Conj {
    pub groups: Vec<Group>,
    /// Fuzzy mode: n-grams that suggest consecutive terms are side by side.
    pub junctions: Vec<Tok>,
}

/// Which documents may match: a range of document numbers (a date filter)
/// and a column.
#[derive(Clone)]
pub(super) struct Filter<'a> {
    pub range: Range<u32>,
    pub column: Option<(u16, &'a ColumnIndex)>,
}

impl Filter<'_> {
    #[inline]
    pub fn admits(&self, doc: u32) -> bool {
        self.range.contains(&doc)
            && self
                .column
                .is_none_or(|(c, index)| index.of(doc) == Some(c))
    }
}

/// Phase 1's lists of one conjunction.
pub(super) struct Lists {
    /// Per group: whether the index has the literal's own list (a
    /// frequent phrase), which then stands for its filter tokens and positions.
    listed: Vec<bool>,
    /// Per group, the lists every match must be in.
    lists: Vec<Vec<Postings>>,
    /// Title postings of the scored tokens, for the title boost (full-text scope).
    title: Vec<Option<Postings>>,
    /// Per group, the n-grams of the "written as typed" bonus (fuzzy).
    phrases: Vec<Vec<Option<Postings>>>,
    /// The n-grams of the "side by side" bonus (fuzzy).
    junctions: Vec<Option<Postings>>,
}

/// Phase 1: the document lists of `conj` in `field`. `Ok(None)` when some
/// token is not in the index (no document can match) or a file is missing
/// (noted in `ctx`).
pub(super) fn load_lists(
    conj: &Conj,
    field: Field,
    ctx: &mut Ctx<'_>,
) -> Result<Option<Lists>, SearchError> {
    let before = ctx.need.len();
    let listed: Vec<bool> = conj
        .groups
        .iter()
        .map(|g| match &g.whole {
            Some(t) => ctx.has_term(&t.key(field)).unwrap_or(false),
            None => false,
        })
        .collect();
    // Every token of every group in the searched field; one that the index
    // does not have means no document matches.
    let mut lists: Vec<Vec<Postings>> = Vec::new();
    for (g, &has_whole) in conj.groups.iter().zip(&listed) {
        let toks = if has_whole {
            &g.toks[..g.scored]
        } else {
            &g.toks[..]
        };
        let mut gl = Vec::new();
        let whole = g.whole.iter().filter(|_| has_whole);
        for t in toks.iter().map(|(t, _)| t).chain(whole) {
            match ctx.postings(&t.key(field))? {
                Some(Some(p)) => gl.push(p),
                Some(None) => return Ok(None),
                None => {}
            }
        }
        lists.push(gl);
    }
    let mut title = Vec::new();
    if field == Field::Full {
        for g in &conj.groups {
            for (t, _) in &g.toks[..g.scored] {
                title.push(ctx.optional(&t.key(Field::Title))?);
            }
        }
    }
    let mut phrases = Vec::new();
    for g in &conj.groups {
        let mut gp = Vec::new();
        for t in &g.phrase {
            gp.push(ctx.optional(&t.key(field))?);
        }
        phrases.push(gp);
    }
    let mut junctions = Vec::new();
    for t in &conj.junctions {
        junctions.push(ctx.optional(&t.key(field))?);
    }
    if ctx.need.len() > before {
        return Ok(None);
    }
    Ok(Some(Lists {
        listed,
        lists,
        title,
        phrases,
        junctions,
    }))
}

/// Phase 2's candidates: the documents in every list, within the filter,
/// with for each the index of its impact in each list that has impacts.
pub(super) struct Cands {
    docs: Vec<u32>,
    /// Per candidate, `k` indexes: `idx[c * k + slot[j]]` for list `j`.
    idx: Vec<u32>,
    /// Per list (all groups' lists in order), its place in a candidate's
    /// row, or `usize::MAX` for a list without impacts (every document
    /// scores alike: no row of 4 × lists bytes for every document).
    slot: Vec<usize>,
    k: usize,
}

/// Phase 2: intersects the lists. The documents to try: the shortest list
/// kept as numbers, or, when every list is a bitmap (terms in more than one
/// document in eight), the AND of the bitmaps, 64 documents a step. Each is
/// then checked against every list (a galloping cursor for numbers, one bit
/// for a bitmap).
pub(super) fn candidates(lists: &Lists, filter: &Filter<'_>) -> Cands {
    let all: Vec<&Postings> = lists.lists.iter().flatten().collect();
    let shortest = (0..all.len())
        .filter(|&i| all[i].list().is_some())
        .min_by_key(|&i| all[i].df());
    let mut tries: Vec<u32> = Vec::new();
    match shortest {
        Some(i) => tries.extend_from_slice(all[i].list().unwrap_or_default()),
        None if !all.is_empty() => and_bits(&all, |d| tries.push(d)),
        None => {}
    }
    let mut cursors = vec![0usize; all.len()];
    let mut slot = vec![usize::MAX; all.len()];
    let mut k = 0;
    for (j, p) in all.iter().enumerate() {
        if !p.impacts.is_empty() {
            slot[j] = k;
            k += 1;
        }
    }
    let mut docs: Vec<u32> = Vec::with_capacity(tries.len());
    let mut idx: Vec<u32> = Vec::with_capacity(tries.len() * k);
    let mut row = vec![0u32; k];
    'docs: for &doc in &tries {
        if !filter.admits(doc) {
            continue;
        }
        for (j, p) in all.iter().enumerate() {
            match p.find(&mut cursors[j], doc) {
                Some(i) => {
                    if let Some(x) = row.get_mut(slot[j]) {
                        *x = i as u32;
                    }
                }
                None => continue 'docs,
            }
        }
        docs.push(doc);
        idx.extend_from_slice(&row);
    }
    Cands { docs, idx, slot, k }
}

/// Calls `f` with each document of the AND of bitmap lists, ascending.
fn and_bits(lists: &[&Postings], f: impl FnMut(u32)) {
    let mut and: Vec<u64> = lists[0].bits().unwrap_or_default().to_vec();
    for p in &lists[1..] {
        let w = p.bits().unwrap_or_default();
        and.truncate(w.len());
        and.iter_mut().zip(w).for_each(|(a, b)| *a &= b);
    }
    for_each_bit(&and, f);
}

/// Phase 3: the positions of the candidates only, for the groups that must
/// be phrases (exact, over four characters, without a phrase list).
/// `None` while blocks are missing (noted).
pub(super) fn load_positions<'a>(
    conj: &Conj,
    lists: &Lists,
    cands: &Cands,
    field: Field,
    ctx: &mut Ctx<'a>,
) -> Result<Option<Vec<Vec<Positions<'a>>>>, SearchError> {
    let files: &'a Shards = ctx.files;
    let mut missing = false;
    let mut positions = Vec::new();
    for ((g, gl), &listed) in conj.groups.iter().zip(&lists.lists).zip(&lists.listed) {
        let mut gp = Vec::new();
        if g.require_phrase && !listed && !cands.docs.is_empty() {
            for &v in &g.verify {
                match files.positions(&g.toks[v].0.key(field).key(), &gl[v], &cands.docs)? {
                    Fetch::Ready(x) => gp.push(x),
                    Fetch::Need(v) => {
                        missing = true;
                        ctx.note(v);
                    }
                }
            }
        }
        positions.push(gp);
    }
    Ok((!missing).then_some(positions))
}

/// What phase 5 keeps.
#[derive(Debug, Clone, Copy)]
pub(super) enum Keep {
    /// The first `n` in the query's order.
    Top(usize),
    /// Every match, in document order.
    All,
}

/// Phase 4: the phrase check and the score of each candidate of one
/// conjunction. Candidates come in ascending order: each optional list
/// keeps a cursor and gallops forward instead of a binary search per
/// document.
pub(super) struct Scorer<'l, 'p> {
    conj: &'l Conj,
    lists: &'l Lists,
    cands: &'l Cands,
    positions: Vec<Vec<Positions<'p>>>,
    pos_at: Vec<Vec<usize>>,
    buf: Vec<(PosIter<'p>, u32, Option<u32>)>,
    /// Per group, per list: its idf. Per list, not per document: `ln` is
    /// the costliest step of scoring.
    idfs: Vec<Vec<f32>>,
    phrase_at: Vec<Vec<usize>>,
    junction_at: Vec<usize>,
    /// The documents whose title holds every token, with their title
    /// score, and a cursor into them.
    title_docs: Vec<(u32, f32)>,
    title_next: usize,
    /// The documents whose whole title is the query, and a cursor.
    title_is: Option<&'l Postings>,
    title_is_at: usize,
    tier: Tier,
}

impl<'l, 'p> Scorer<'l, 'p> {
    pub fn new(
        conj: &'l Conj,
        lists: &'l Lists,
        cands: &'l Cands,
        positions: Vec<Vec<Positions<'p>>>,
        title_is: Option<&'l Postings>,
        meta: &SearchMeta,
        tier: Tier,
    ) -> Self {
        let n = meta.docs as f32;
        let idf = |p: &Postings| {
            let df = p.df() as f32;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        };
        let idfs = lists
            .lists
            .iter()
            .map(|gl| gl.iter().map(idf).collect())
            .collect();
        let title_idfs: Vec<f32> = lists
            .title
            .iter()
            .map(|p| p.as_ref().map_or(0.0, idf))
            .collect();
        Scorer {
            conj,
            lists,
            cands,
            pos_at: positions.iter().map(|p| vec![0; p.len()]).collect(),
            positions,
            buf: Vec::new(),
            idfs,
            phrase_at: lists.phrases.iter().map(|g| vec![0; g.len()]).collect(),
            junction_at: vec![0; lists.junctions.len()],
            title_docs: title_docs(&lists.title, &title_idfs),
            title_next: 0,
            title_is,
            title_is_at: 0,
            tier,
        }
    }

    /// Whether candidate `ci` matches (its phrases are where they must be).
    #[inline]
    pub fn matches(&mut self, ci: usize) -> bool {
        let doc = self.cands.docs[ci];
        for (gi, g) in self.conj.groups.iter().enumerate() {
            if g.require_phrase
                && !self.lists.listed[gi]
                && !is_phrase(
                    g,
                    &self.positions[gi],
                    &mut self.pos_at[gi],
                    doc,
                    &mut self.buf,
                )
            {
                return false;
            }
        }
        true
    }

    /// The hit of matching candidate `ci`: BM25 over the scored tokens,
    /// the bonuses, the title boost; a document whose whole title is the
    /// query ranks in [`Tier::Title`], with one score for all (ties go by date).
    #[inline]
    pub fn hit(&mut self, ci: usize) -> Hit {
        let doc = self.cands.docs[ci];
        let has = |p: &Option<Postings>, at: &mut usize| {
            p.as_ref().is_some_and(|p| p.find(at, doc).is_some())
        };
        if let Some(p) = self.title_is {
            if p.find(&mut self.title_is_at, doc).is_some() {
                return Hit {
                    doc,
                    score: 1.0,
                    tier: Tier::Title,
                };
            }
        }
        let k = self.cands.k;
        let idx = &self.cands.idx[ci * k..ci * k + k];
        let mut score = 0.0f32;
        let mut j = 0;
        for (gi, g) in self.conj.groups.iter().enumerate() {
            for (i, (p, w)) in self.lists.lists[gi].iter().zip(&self.idfs[gi]).enumerate() {
                if i < g.scored {
                    // Without impacts every document reads tf part 1:
                    // `w × 1.0` is `w` exactly.
                    score += match idx.get(self.cands.slot[j]) {
                        Some(&at) => w * p.tf_part(at as usize),
                        None => *w,
                    };
                }
                j += 1;
            }
            let written = if g.phrase.is_empty() {
                g.toks.len() > 1
            } else {
                // Every cursor moves to `doc`, not just up to the first miss.
                self.lists.phrases[gi]
                    .iter()
                    .zip(&mut self.phrase_at[gi])
                    .fold(true, |all, (p, at)| has(p, at) && all)
            };
            if written {
                score += PHRASE_BONUS;
            }
        }
        for (p, at) in self.lists.junctions.iter().zip(&mut self.junction_at) {
            if has(p, at) {
                score += PROXIMITY_BONUS;
            }
        }
        // Title boost: the title holds every token of the query.
        while self
            .title_docs
            .get(self.title_next)
            .is_some_and(|&(d, _)| d < doc)
        {
            self.title_next += 1;
        }
        if let Some(&(d, t_score)) = self.title_docs.get(self.title_next) {
            if d == doc {
                score += TITLE_BOOST * t_score;
            }
        }
        Hit {
            doc,
            score: score.max(f32::MIN_POSITIVE),
            tier: self.tier,
        }
    }

    /// Phases 4 and 5 together: every candidate checked, counted, and
    /// scored as far as `keep` needs.
    pub fn run(mut self, keep: Keep, sort: SortOrder) -> Results {
        let mut top = Top::new(keep, sort, self.cands.docs.len());
        for ci in 0..self.cands.docs.len() {
            if !self.matches(ci) {
                continue;
            }
            if top.counts_only() {
                top.count();
                continue;
            }
            let hit = self.hit(ci);
            top.push(hit);
        }
        top.finish()
    }
}

/// The documents whose title holds every token, with their title score
/// (summed in the order of `title`): the intersection of the title lists,
/// which are short, walked once rather than sought in for every candidate.
fn title_docs(title: &[Option<Postings>], idfs: &[f32]) -> Vec<(u32, f32)> {
    let mut out = Vec::new();
    let Some(lists) = title
        .iter()
        .map(Option::as_ref)
        .collect::<Option<Vec<&Postings>>>()
    else {
        return out;
    };
    let mut at = vec![0usize; lists.len()];
    let drive = lists
        .iter()
        .filter_map(|p| p.list())
        .min_by_key(|l| l.len());
    let mut walk = |doc: u32| {
        let mut t_score = 0.0;
        for ((p, w), at) in lists.iter().zip(idfs).zip(&mut at) {
            match p.find(at, doc) {
                Some(i) => t_score += w * p.tf_part(i),
                None => return,
            }
        }
        out.push((doc, t_score));
    };
    match drive {
        Some(docs) => docs.iter().for_each(|&d| walk(d)),
        None if !lists.is_empty() => and_bits(&lists, walk),
        None => {}
    }
    out
}

/// Phase 5: keeps what the caller asked for. Every match in document
/// order; or, by date, the first `limit` (newest first is document order:
/// past the page, matches are only counted); or, by relevance, the best
/// `limit`: hits collect in a buffer cut back to the best `limit` whenever
/// it fills, and the worst of those (`floor`) then turns away any hit that
/// cannot beat it, so a query matching every document neither stores nor
/// orders them all.
pub(super) struct Top {
    every: bool,
    by_date: bool,
    limit: usize,
    cap: usize,
    floor: Option<Hit>,
    total: usize,
    hits: Vec<Hit>,
}

impl Top {
    pub fn new(keep: Keep, sort: SortOrder, hint: usize) -> Self {
        let (every, limit) = match keep {
            Keep::All => (true, usize::MAX),
            Keep::Top(limit) => (false, limit),
        };
        Top {
            every,
            by_date: !every && sort == SortOrder::Date,
            limit,
            cap: limit.saturating_mul(2).max(64),
            floor: None,
            total: 0,
            hits: Vec::with_capacity(if every { hint } else { 0 }),
        }
    }

    /// Whether the next match only needs counting (date order, page full).
    #[inline]
    pub fn counts_only(&self) -> bool {
        self.by_date && self.hits.len() >= self.limit
    }

    #[inline]
    pub fn count(&mut self) {
        self.total += 1;
    }

    #[inline]
    pub fn push(&mut self, hit: Hit) {
        self.total += 1;
        if self.by_date || self.every {
            self.hits.push(hit);
            return;
        }
        let limit = self.limit;
        if limit == 0 || self.floor.is_some_and(|f| by_relevance(&hit, &f).is_ge()) {
            return;
        }
        self.hits.push(hit);
        if self.hits.len() >= self.cap {
            self.hits.select_nth_unstable_by(limit - 1, by_relevance);
            self.hits.truncate(limit);
            self.floor = Some(self.hits[limit - 1]);
        }
    }

    pub fn finish(mut self) -> Results {
        if !self.by_date && !self.every {
            best_first(&mut self.hits, self.limit);
        }
        Results {
            total: self.total,
            hits: self.hits,
        }
    }
}

/// Relevance order: higher tier first, then higher score, then newer
/// (lower number) first.
pub(super) fn by_relevance(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    b.tier
        .cmp(&a.tier)
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| a.doc.cmp(&b.doc))
}

/// Keeps the best `limit` of `hits`, in relevance order: a selection, then
/// a sort of those only.
fn best_first(hits: &mut Vec<Hit>, limit: usize) {
    if limit < hits.len() {
        if limit == 0 {
            hits.clear();
        } else {
            hits.select_nth_unstable_by(limit - 1, by_relevance);
            hits.truncate(limit);
        }
    }
    hits.sort_unstable_by(by_relevance);
}

/// The best `limit` of `all`, in relevance order, without copying them
/// all (the same buffer and floor as [`Top`]).
pub(super) fn best_of(all: &[Hit], limit: usize) -> Vec<Hit> {
    let mut top = Top::new(Keep::Top(limit), SortOrder::Relevance, 0);
    for &h in all {
        top.push(h);
    }
    top.finish().hits
}

/// Every hit of several doc-ordered lists, in document order, each
/// document once with its best (tier, score).
pub(super) fn merge(lists: Vec<Vec<Hit>>) -> Vec<Hit> {
    let mut lists = lists.into_iter().filter(|l| !l.is_empty());
    let Some(mut out) = lists.next() else {
        return Vec::new();
    };
    for l in lists {
        out.extend(l);
        out.sort_by(|a, b| a.doc.cmp(&b.doc).then_with(|| by_relevance(a, b)));
        out.dedup_by_key(|h| h.doc);
    }
    out
}

/// Moves `at` forward to the first document of `docs` (ascending) not
/// below `doc`, galloping (1, 2, 4 … ahead, then a binary search), and
/// returns its index if it is `doc`. Walking a list in order this way costs
/// about one step per document for dense lists and few for sparse ones.
pub(crate) fn seek(docs: &[u32], at: &mut usize, doc: u32) -> Option<usize> {
    let mut lo = *at;
    let mut step = 1;
    let mut hi = lo;
    while hi < docs.len() && docs[hi] < doc {
        lo = hi + 1;
        hi += step;
        step *= 2;
    }
    let hi = hi.min(docs.len());
    *at = lo + docs[lo..hi].partition_point(|&d| d < doc);
    (docs.get(*at) == Some(&doc)).then_some(*at)
}

/// Whether every token of the group's cover (`pos`, in `g.verify` order)
/// sits at its offset from one start in `doc`: a leapfrog join of the
/// tokens' start positions, decoded only as far as the first common start
/// (usually the document's first occurrence). `buf` is scratch space,
/// reused across documents: this runs once per candidate, thousands of
/// times for a frequent phrase, and an allocation each time would cost more
/// than the check.
#[inline(never)]
fn is_phrase<'a>(
    g: &Group,
    pos: &[Positions<'a>],
    at: &mut [usize],
    doc: u32,
    buf: &mut Vec<(PosIter<'a>, u32, Option<u32>)>,
) -> bool {
    buf.clear();
    buf.extend(
        pos.iter()
            .zip(at.iter_mut())
            .zip(&g.verify)
            .map(|((p, at), &v)| (p.of_from(doc, at), g.toks[v].1, None)),
    );
    if buf.is_empty() {
        return false;
    }
    let mut target = 0u32;
    loop {
        let mut agreed = true;
        for (it, off, cur) in buf.iter_mut() {
            // The token's first start at or after `target` (its current
            // one if that is not behind).
            let start = match *cur {
                Some(s) if s >= target => s,
                _ => loop {
                    match it.next() {
                        None => return false,
                        Some(p) if p >= *off && p - *off >= target => break p - *off,
                        Some(_) => {}
                    }
                },
            };
            *cur = Some(start);
            if start > target {
                target = start;
                agreed = false;
            }
        }
        if agreed {
            return true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seek_gallops_to_each_document() {
        let docs: Vec<u32> = (0..200).map(|i| i * 3).collect();
        let mut at = 0;
        for doc in 0..620u32 {
            let want = docs.binary_search(&doc).ok();
            assert_eq!(seek(&docs, &mut at, doc), want, "doc {doc}");
            assert_eq!(at, docs.partition_point(|&d| d < doc), "cursor after {doc}");
        }
        // Sparse probes jump far ahead.
        let mut at = 0;
        assert_eq!(seek(&docs, &mut at, 300), Some(100));
        assert_eq!(seek(&docs, &mut at, 301), None);
        assert_eq!(seek(&docs, &mut at, 597), Some(199));
        assert_eq!(seek(&docs, &mut at, 9999), None);
        assert_eq!(at, docs.len());
        assert_eq!(seek(&[], &mut 0, 1), None);
    }

    #[test]
    fn merge_keeps_each_document_once_with_its_best_tier() {
        let h = |doc, score, tier| Hit { doc, score, tier };
        let a = vec![h(1, 2.0, Tier::Text), h(5, 1.0, Tier::Text)];
        let b = vec![h(1, 9.0, Tier::Expanded), h(3, 1.0, Tier::Expanded)];
        let c = vec![h(5, 1.0, Tier::Id)];
        assert_eq!(
            merge(vec![a, b, c]),
            [
                h(1, 2.0, Tier::Text),
                h(3, 1.0, Tier::Expanded),
                h(5, 1.0, Tier::Id)
            ]
        );
        let mut all = [
            h(1, 2.0, Tier::Text),
            h(2, 9.0, Tier::Expanded),
            h(3, 0.5, Tier::Title),
        ];
        all.sort_by(by_relevance);
        assert_eq!(all.iter().map(|h| h.doc).collect::<Vec<_>>(), [3, 1, 2]);
    }
}
