//! Document lists of frequent phrases (feature `build`).
//!
//! An exact query longer than [`MAX_GRAM`] characters is otherwise checked
//! with the positions of its cover's 4-grams in every candidate document.
//! For a phrase found in nearly every document (a stock clause, a bureau's
//! name) that means the positions of the whole site: 100–300 KB at 10,000
//! notices. The index therefore also stores the document list of every
//! phrase of [`MAX_GRAM`]` + 1` to [`MAX_PHRASE`] characters found in at
//! least [`Layout::phrase_min_docs`] documents and one in
//! [`Layout::phrase_share`]: such a query reads one list instead of positions.
//!
//! Finding them exactly in one pass would count every substring of the
//! site. Instead, the phrases frequent in an evenly spread sample of
//! documents are found level by level (a phrase is only frequent if its
//! prefix is), and one pass over every document then collects the exact
//! document lists of those candidates. A phrase that the sample misses is
//! only slower to search, never wrong: the query falls back to positions.

use super::format::{put_varint, Field, Reader, MAX_GRAM, MAX_PHRASE};
use super::index::{FastMap, Layout, SEP};
use super::spill::{put_bytes, SpillReader, Stored};
use rayon::prelude::*;
use std::io;

/// A document's normalised fields (title; title, summary and body), as the
/// index builder keeps them for this module's two passes.
pub(super) type Fields = (Vec<char>, Vec<char>);

/// Appends a document's fields to the builder's text spill.
pub(super) fn put_fields(out: &mut Vec<u8>, (title, full): (&[char], &[char])) {
    put_bytes(out, title.iter().collect::<String>().as_bytes());
    put_bytes(out, full.iter().collect::<String>().as_bytes());
}

/// The next document's fields from the text spill.
fn read_fields(r: &mut SpillReader<'_>) -> io::Result<Fields> {
    Ok((r.string()?.chars().collect(), r.string()?.chars().collect()))
}

/// Hash of a field's empty phrase; [`mix`] extends it one character at a
/// time. Collisions are harmless: a walk checks each step against the
/// candidate's text (the first step) or its prefix candidate and last
/// character (see [`Step`]).
fn seed(field: Field) -> u64 {
    match field {
        Field::Title => 0x243f_6a88_85a3_08d3,
        Field::Full => 0x1319_8a2e_0370_7344,
    }
}

/// The hash of a phrase `h` followed by `c`.
fn mix(h: u64, c: char) -> u64 {
    (h.rotate_left(23) ^ u64::from(c as u32)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Where each character's part of the field ends (parts are separated by
/// [`SEP`]; no phrase spans two).
fn part_ends(chars: &[char]) -> Vec<u32> {
    let mut ends = vec![0u32; chars.len()];
    let mut end = chars.len();
    for i in (0..chars.len()).rev() {
        if chars[i] == SEP {
            end = i;
        }
        ends[i] = end as u32;
    }
    ends
}

/// No candidate.
const NONE: u32 = u32::MAX;

/// A candidate whose prefix was lost to a hash collision: never reached.
const INVALID: u32 = u32::MAX - 1;

/// What a walk needs to take one step to a candidate, by hash.
#[derive(Clone, Copy)]
struct Step {
    /// The candidate.
    k: u32,
    /// Its prefix candidate; [`NONE`] at the shortest length (then the
    /// text is compared), [`INVALID`] if that prefix is unreachable.
    parent: u32,
    /// Its last character.
    last: char,
    /// Whether it is a phrase of the full-text field (else of the title).
    full: bool,
}

/// One candidate phrase: its field and text.
struct Candidate {
    field: Field,
    text: Vec<char>,
}

/// The fewest documents a phrase must be in for its list to be stored.
fn min_docs(n_docs: usize, layout: &Layout) -> usize {
    layout
        .phrase_min_docs
        .max(n_docs / layout.phrase_share.max(1))
        .max(1)
}

/// Phrases (with their field) of [`MAX_GRAM`]` + 1` to [`MAX_PHRASE`]
/// characters frequent in a sample of the `n` documents of `texts`:
/// prefix-closed (the prefix of a candidate longer than [`MAX_GRAM`]` + 1`
/// is a candidate).
fn sample_candidates(texts: &Stored, n: usize, layout: &Layout) -> io::Result<Vec<Candidate>> {
    let size = layout.phrase_sample.clamp(1, n.max(1));
    let stride = n.div_ceil(size).max(1);
    let mut r = texts.read()?;
    let mut sample: Vec<Fields> = Vec::with_capacity(size);
    for i in 0..n {
        let f = read_fields(&mut r)?;
        if i % stride == 0 {
            sample.push(f);
        }
    }
    let size = sample.len().max(1);
    // A phrase at the stored share of the site is expected in `size / share`
    // sampled documents; half of that leaves room for sampling noise.
    let want = (min_docs(n, layout) * size / n.max(1) / 2).max(2);

    let mut out = Vec::new();
    for field in [Field::Title, Field::Full] {
        // Per sampled document: the start and hash of each phrase still
        // growing (frequent so far), for the field.
        let texts: Vec<&[char]> = sample
            .iter()
            .map(|(t, f)| match field {
                Field::Title => t.as_slice(),
                Field::Full => f.as_slice(),
            })
            .collect();
        let ends: Vec<Vec<u32>> = texts.par_iter().map(|t| part_ends(t)).collect();
        let mut growing: Vec<Vec<(u32, u64)>> = texts
            .par_iter()
            .zip(&ends)
            .map(|(t, e)| {
                (0..t.len())
                    .filter(|&i| t[i] != SEP && i + MAX_GRAM <= e[i] as usize)
                    .map(|i| {
                        let h = t[i..i + MAX_GRAM]
                            .iter()
                            .fold(seed(field), |h, &c| mix(h, c));
                        (i as u32, h)
                    })
                    .collect()
            })
            .collect();
        for len in MAX_GRAM + 1..=MAX_PHRASE {
            // Extend each growing phrase by one character.
            growing = growing
                .into_par_iter()
                .zip(&texts)
                .zip(&ends)
                .map(|((g, t), e)| {
                    g.into_iter()
                        .filter(|&(i, _)| i as usize + len <= e[i as usize] as usize)
                        .map(|(i, h)| (i, mix(h, t[i as usize + len - 1])))
                        .collect()
                })
                .collect();
            // Documents per phrase hash in the sample.
            let mut df: FastMap<u64, (u32, u32, u32)> = FastMap::default();
            for (d, g) in growing.iter().enumerate() {
                let mut hs: Vec<(u64, u32)> = g.iter().map(|&(i, h)| (h, i)).collect();
                hs.sort_unstable();
                hs.dedup_by_key(|x| x.0);
                for (h, i) in hs {
                    df.entry(h).or_insert((0, d as u32, i)).0 += 1;
                }
            }
            df.retain(|_, v| v.0 as usize >= want);
            if df.is_empty() {
                break;
            }
            for &(_, d, i) in df.values() {
                let i = i as usize;
                out.push(Candidate {
                    field,
                    text: texts[d as usize][i..i + len].to_vec(),
                });
            }
            for g in &mut growing {
                g.retain(|(_, h)| df.contains_key(h));
            }
        }
    }
    Ok(out)
}

/// The frequent phrases of the `n` documents of `texts` (their fields, in
/// document order, written by [`put_fields`]) with their exact document
/// lists, ascending: every phrase of [`MAX_GRAM`]` + 1` to [`MAX_PHRASE`]
/// characters of a field that is in at least
/// `max(layout.phrase_min_docs, n / layout.phrase_share)` documents and
/// frequent in the sample (see the module's documentation). Two passes over
/// `texts`, a batch of documents in memory at a time.
pub(super) fn frequent_phrases(
    texts: &Stored,
    n: usize,
    layout: &Layout,
) -> io::Result<Vec<(Field, String, DeltaList)>> {
    if layout.phrase_share == 0 || n < min_docs(n, layout) {
        return Ok(Vec::new());
    }
    let cands = sample_candidates(texts, n, layout)?;
    if cands.is_empty() {
        return Ok(Vec::new());
    }
    // Hash → candidate number. Two candidates with one hash: the first
    // wins and the other is simply not stored.
    let mut by_hash: FastMap<u64, u32> = FastMap::default();
    for (k, c) in cands.iter().enumerate() {
        let h = c.text.iter().fold(seed(c.field), |h, &ch| mix(h, ch));
        by_hash.entry(h).or_insert(k as u32);
    }
    let longest = cands.iter().map(|c| c.text.len()).max().unwrap_or(0);

    // Per document: the candidates it contains. A walk from each position
    // stops at the first length that is not a candidate: candidates are
    // prefix-closed, so no longer one can start there. A walk reaches a
    // phrase only through all its prefixes, so a candidate whose prefix lost
    // its hash to another candidate is never reached, and its empty list is
    // not stored: lists are complete or absent.
    // Per hash, what a walk needs to check one step in O(1) without
    // touching the candidates' texts: the candidate, its prefix candidate
    // (`NONE` at the shortest length, checked against the text instead),
    // its last character and field.
    let steps: FastMap<u64, Step> = by_hash
        .par_iter()
        .map(|(&h, &k)| {
            let c = &cands[k as usize];
            let parent = if c.text.len() == MAX_GRAM + 1 {
                NONE
            } else {
                let prefix = &c.text[..c.text.len() - 1];
                let ph = prefix.iter().fold(seed(c.field), |h, &ch| mix(h, ch));
                match by_hash.get(&ph) {
                    Some(&p)
                        if cands[p as usize].field == c.field
                            && cands[p as usize].text == prefix =>
                    {
                        p
                    }
                    _ => INVALID,
                }
            };
            let last = c.text[c.text.len() - 1];
            (
                h,
                Step {
                    k,
                    parent,
                    last,
                    full: c.field == Field::Full,
                },
            )
        })
        .collect();
    let found_in = |seen: &mut Vec<u64>, (title, full): &Fields| -> Vec<u32> {
        let mut found = Vec::new();
        for (field, chars) in [(Field::Title, title), (Field::Full, full)] {
            let ends = part_ends(chars);
            for i in 0..chars.len() {
                let end = (ends[i] as usize).min(i + longest);
                if i + MAX_GRAM >= end {
                    continue;
                }
                let mut h = chars[i..i + MAX_GRAM]
                    .iter()
                    .fold(seed(field), |h, &c| mix(h, c));
                let mut prev = NONE;
                for j in i + MAX_GRAM..end {
                    h = mix(h, chars[j]);
                    let Some(st) = steps.get(&h) else { break };
                    let same = st.last == chars[j]
                        && st.full == (field == Field::Full)
                        && if prev == NONE {
                            st.parent == NONE && cands[st.k as usize].text == chars[i..=j]
                        } else {
                            st.parent == prev
                        };
                    if !same {
                        break;
                    }
                    let k = st.k;
                    prev = k;
                    let (w, bit) = (k as usize / 64, 1u64 << (k % 64));
                    if seen[w] & bit == 0 {
                        seen[w] |= bit;
                        found.push(k);
                    }
                }
            }
        }
        for &k in &found {
            seen[k as usize / 64] = 0;
        }
        found
    };
    let mut lists: Vec<DeltaList> = (0..cands.len()).map(|_| DeltaList::default()).collect();
    let mut r = texts.read()?;
    for b in 0..n.div_ceil(1024) {
        let batch = (b * 1024..n.min(b * 1024 + 1024))
            .map(|_| read_fields(&mut r))
            .collect::<io::Result<Vec<Fields>>>()?;
        let found: Vec<Vec<u32>> = batch
            .par_iter()
            .map_init(|| vec![0u64; cands.len().div_ceil(64)], found_in)
            .collect();
        // Each core appends to its share of the lists.
        let parts = rayon::current_num_threads().max(1);
        let share = cands.len().div_ceil(parts).max(1);
        lists
            .par_chunks_mut(share)
            .enumerate()
            .for_each(|(pi, part)| {
                let lo = pi * share;
                for (k, f) in found.iter().enumerate() {
                    let doc = (b * 1024 + k) as u32;
                    for &c in f {
                        if let Some(l) = (c as usize).checked_sub(lo).and_then(|i| part.get_mut(i))
                        {
                            l.push(doc);
                        }
                    }
                }
            });
    }
    let least = min_docs(n, layout);
    Ok(cands
        .into_iter()
        .zip(lists)
        .filter(|(_, l)| l.len as usize >= least)
        .map(|(c, l)| (c.field, c.text.into_iter().collect(), l))
        .collect())
}

/// A growing document list as varint deltas: a frequent phrase's documents
/// are close together, so about a byte each instead of four (the lists of
/// 100,000 notices would otherwise take gigabytes while building).
#[derive(Default)]
pub(super) struct DeltaList {
    next: u32,
    len: u32,
    bytes: Vec<u8>,
}

impl DeltaList {
    /// Appends `doc`, larger than every document already in the list.
    fn push(&mut self, doc: u32) {
        put_varint(&mut self.bytes, u64::from(doc - self.next));
        self.next = doc + 1;
        self.len += 1;
    }

    /// The documents, ascending.
    pub(super) fn to_vec(&self) -> Vec<u32> {
        let mut r = Reader::new(&self.bytes);
        let mut out = Vec::with_capacity(self.len as usize);
        let mut next = 0u32;
        for _ in 0..self.len {
            let d = next + r.varint().unwrap_or(0) as u32;
            out.push(d);
            next = d + 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::{fields, SearchDoc};
    use crate::search::spill::{Spill, TempDir};

    /// The documents' fields as the builder spills them (here in memory).
    fn phrases(docs: &[SearchDoc<'_>], layout: &Layout) -> Vec<(Field, String, DeltaList)> {
        let mut tmp = TempDir::new(&std::env::temp_dir());
        let mut s = Spill::new(usize::MAX);
        for d in docs {
            let (t, f) = fields(d);
            let mut rec = Vec::new();
            put_fields(&mut rec, (&t, &f));
            s.write(&mut tmp, &rec).unwrap();
        }
        frequent_phrases(&s.finish().unwrap(), docs.len(), layout).unwrap()
    }

    fn doc<'a>(title: &'a str, text: &'a str) -> SearchDoc<'a> {
        SearchDoc {
            id: "x",
            title,
            title_hant: None,
            summary: None,
            text,
            date: "2024-01-01",
            column: "c",
            ..SearchDoc::default()
        }
    }

    fn layout(min: usize) -> Layout {
        Layout {
            phrase_min_docs: min,
            phrase_share: 1_000_000,
            phrase_sample: 4,
            ..Layout::default()
        }
    }

    #[test]
    fn finds_exact_lists_of_frequent_phrases() {
        let docs = [
            doc("关于高质量发展的通知", "推动高质量发展。"),
            doc("通知", "高质量发展大会"),
            doc("通知", "高质量 发展"),
            doc("通知", "质量发展"),
            doc("高质量发展", ""),
        ];
        let found = phrases(&docs, &layout(2));
        let get = |f: Field, s: &str| {
            found
                .iter()
                .find(|x| x.0 == f && x.1 == s)
                .map(|x| x.2.to_vec())
        };
        // Whitespace is removed by normalising: doc 2 has the phrase too.
        assert_eq!(get(Field::Full, "高质量发展"), Some(vec![0, 1, 2, 4]));
        assert_eq!(get(Field::Title, "高质量发展"), Some(vec![0, 4]));
        // In one document only: not stored.
        assert_eq!(get(Field::Full, "推动高质量"), None);
        // Never across the separator between title and body.
        assert!(found.iter().all(|x| !x.1.contains(SEP)));
        // Every list is exact.
        for (f, s, l) in &found {
            let want: Vec<u32> = docs
                .iter()
                .enumerate()
                .filter(|(_, d)| {
                    let (t, full) = fields(d);
                    let hay: String = match f {
                        Field::Title => t.into_iter().collect(),
                        Field::Full => full.into_iter().collect(),
                    };
                    hay.contains(s.as_str())
                })
                .map(|(i, _)| i as u32)
                .collect();
            assert_eq!(l.to_vec(), want, "{f:?} {s}");
            assert!((MAX_GRAM + 1..=MAX_PHRASE).contains(&s.chars().count()));
        }
    }

    #[test]
    fn small_sites_store_none() {
        let docs = [doc("高质量发展", "高质量发展"), doc("高质量发展", "")];
        assert!(phrases(&docs, &Layout::default()).is_empty());
    }
}
