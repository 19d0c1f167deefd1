//! The library's files and what the app does with them (format
//! [`LIBRARY_FORMAT`], `docs/library.md`):
//!
//! - [`FACETS_PATH`], [`LibraryFacets`]: every facet's values with the
//!   counts over the whole section, and their 繁體 names. With page 1 of
//!   the `all` list it is all the first view of `/library` loads.
//! - [`INDEX_PATH`], [`LibraryIndex`]: per document (numbered as the search
//!   index numbers them: newest first), small integer codes for 有效性,
//!   文种, 发文机关, 主题分类, the publication and 成文 days and the parts of
//!   the 文号, stored column by column so that brotli finds the runs.
//!   Loaded once; [`LibraryIndex::apply`] filters and counts in memory.
//!
//! Within a facet the chosen values are alternatives (有效 or 已修订);
//! facets narrow each other (有效 and 办法). A value's count is the number
//! of documents the list would show if it were chosen too: the documents
//! that pass every other facet (and the year range and 文号) and have the
//! value, so counts stay exact while a reader ticks more boxes.

use crate::bundle::Variant;
use crate::date::{civil_from_days, PlainDate};
use crate::docno::{DocNo, DocNoMatch, DocNoQuery};
use crate::feed::Validity;
use crate::search::format::Reader;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Version of the library files; bumped on any incompatible change.
pub const LIBRARY_FORMAT: u32 = 1;

/// Path of the facets file, relative to the bundle root.
pub const FACETS_PATH: &str = "library/facets.json";

/// Path of the index, relative to the bundle root.
pub const INDEX_PATH: &str = "library/index.bin";

/// First bytes of the index.
pub const INDEX_MAGIC: &[u8; 4] = b"GKL1";

/// A facet of the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// 有效性.
    Validity,
    /// 主题分类 (`_gov.topics`), several a document.
    Topic,
    /// 文种 (`_gov.doc_type`).
    DocType,
    /// 发文机关 (`_gov.issuer`, else the 发布机构), several for joint documents.
    Issuer,
    /// The year of the 成文日期 (of the publication date where there is none).
    Year,
}

impl Facet {
    /// Every facet, in the order the library shows them.
    pub const ALL: [Facet; 5] = [
        Facet::Validity,
        Facet::Topic,
        Facet::DocType,
        Facet::Issuer,
        Facet::Year,
    ];

    /// The name in URLs (`?type=办法`, `/library/type/办法`).
    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Validity => "validity",
            Facet::Topic => "topic",
            Facet::DocType => "type",
            Facet::Issuer => "issuer",
            Facet::Year => "year",
        }
    }

    /// Position in [`Facet::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Error for an unknown facet name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown facet {0:?}: expected validity, topic, type, issuer or year")]
pub struct UnknownFacet(pub String);

impl FromStr for Facet {
    type Err = UnknownFacet;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Facet::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFacet(s.to_owned()))
    }
}

impl fmt::Display for Facet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Facet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Facet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The library's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LibrarySort {
    /// Newest publication first, as every list of the site.
    #[default]
    Published,
    /// Newest 成文日期 first (the publication date where there is none).
    Written,
}

impl LibrarySort {
    /// Both orders.
    pub const ALL: [LibrarySort; 2] = [LibrarySort::Published, LibrarySort::Written];

    /// The name in URLs (`?sort=written`).
    pub fn as_str(self) -> &'static str {
        match self {
            LibrarySort::Published => "published",
            LibrarySort::Written => "written",
        }
    }
}

/// Error for an unknown order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown library order {0:?}: expected published or written")]
pub struct UnknownSort(pub String);

impl FromStr for LibrarySort {
    type Err = UnknownSort;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LibrarySort::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| UnknownSort(s.to_owned()))
    }
}

/// One facet's values, in the order the library lists them, with their
/// counts over the whole section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValues {
    /// Which facet.
    pub facet: Facet,
    /// The values as written in the feed (简体) and in URLs. 有效性: the
    /// four of [`Validity::ALL`]; years: newest first; the others: most
    /// documents first, then by value.
    pub values: Vec<String>,
    /// Documents with each value.
    pub counts: Vec<u32>,
    /// The values in 繁體, when the bundle has that variant (文种,
    /// 发文机关, 主题分类; 有效性 and years are labelled by the app).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hant: Vec<String>,
}

impl FacetValues {
    /// The 有效性 facet: its four values of [`Validity::ALL`], in that
    /// order, with their counts.
    pub fn validity(counts: [u32; 4]) -> Self {
        FacetValues {
            facet: Facet::Validity,
            values: Validity::ALL
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect(),
            counts: counts.to_vec(),
            hant: Vec::new(),
        }
    }

    /// The code of `value`, if the facet has it.
    pub fn code(&self, value: &str) -> Option<u32> {
        self.values
            .iter()
            .position(|v| v == value)
            .map(|i| i as u32)
    }

    /// The value of `code` as a reader of `variant` reads it.
    pub fn label(&self, code: u32, variant: Variant) -> &str {
        let i = code as usize;
        match variant {
            Variant::Hant if i < self.hant.len() => &self.hant[i],
            _ => self.values.get(i).map_or("", String::as_str),
        }
    }
}

/// `library/facets.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryFacets {
    /// [`LIBRARY_FORMAT`].
    pub format: u32,
    /// Number of documents (all the section's notices).
    pub docs: u32,
    /// Every facet, in [`Facet::ALL`] order.
    pub facets: Vec<FacetValues>,
}

impl LibraryFacets {
    /// The values of `facet` (none if the file lacks it).
    pub fn get(&self, facet: Facet) -> &FacetValues {
        self.facets
            .iter()
            .find(|f| f.facet == facet)
            .unwrap_or(&NO_VALUES[facet.index()])
    }
}

const fn no_values(facet: Facet) -> FacetValues {
    FacetValues {
        facet,
        values: Vec::new(),
        counts: Vec::new(),
        hant: Vec::new(),
    }
}

static NO_VALUES: [FacetValues; 5] = [
    no_values(Facet::Validity),
    no_values(Facet::Topic),
    no_values(Facet::DocType),
    no_values(Facet::Issuer),
    no_values(Facet::Year),
];

/// A library file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LibraryError {
    /// The index does not start with [`INDEX_MAGIC`].
    #[error("not a library index (bad magic); rebuild the bundle")]
    Magic,
    /// The index ends early or a number is malformed.
    #[error("truncated or corrupt library index at byte {0}")]
    Truncated(usize),
    /// A code names a value the facets file does not have.
    #[error("library index: {facet} code {code} of document {doc} is not in library/facets.json ({values} values); the two files are of different builds")]
    Code {
        /// The facet.
        facet: Facet,
        /// The code.
        code: u64,
        /// The document.
        doc: u32,
        /// Values the facets file has.
        values: usize,
    },
    /// A 文号 code names no 机关代字 of the index.
    #[error("library index: 文号 code {code} of document {doc} names no 机关代字 ({agencies} in the index)")]
    DocNo {
        /// The code.
        code: u64,
        /// The document.
        doc: u32,
        /// 代字 the index lists.
        agencies: usize,
    },
    /// The index and the facets file count different documents.
    #[error("library index has {index} documents, library/facets.json {facets}: the two files are of different builds")]
    Docs {
        /// Documents in the index.
        index: u32,
        /// Documents in the facets file.
        facets: u32,
    },
}

/// A document's 文号 in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocNoCode {
    None,
    /// Kept verbatim: position in the verbatim lists.
    Verbatim(u32),
    /// Read: the 代字's position in the agency lists, year, number.
    Parsed {
        agency: u32,
        year: u16,
        number: u32,
    },
}

/// What a reader chose: values of each facet (as in the URL), a range of
/// years, a 文号 and the order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// The chosen values of each facet, by [`Facet::index`].
    pub chosen: [Vec<String>; 5],
    /// From this year (of the year facet), inclusive.
    pub from: Option<u16>,
    /// To this year, inclusive.
    pub to: Option<u16>,
    /// Only documents whose 文号 answers this, best first.
    pub docno: Option<DocNoQuery>,
    /// The order.
    pub sort: LibrarySort,
}

impl Selection {
    /// The chosen values of `facet`.
    pub fn values(&self, facet: Facet) -> &[String] {
        &self.chosen[facet.index()]
    }

    /// Whether nothing narrows the list (any order).
    pub fn is_everything(&self) -> bool {
        self.chosen.iter().all(Vec::is_empty)
            && self.from.is_none()
            && self.to.is_none()
            && self.docno.is_none()
    }
}

/// What [`LibraryIndex::apply`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The matching documents, in the chosen order (best 文号 match first).
    pub docs: Vec<u32>,
    /// Per facet (by [`Facet::index`]) and value code: the documents the
    /// list would show with that value chosen too.
    pub counts: Vec<Vec<u32>>,
    /// With a 文号 query: how each listed document answers it (parallel to
    /// `docs`).
    pub docno: Vec<DocNoMatch>,
}

/// `library/index.bin`, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryIndex {
    docs: u32,
    /// 0: none, else [`Validity::ALL`] position + 1.
    validity: Vec<u8>,
    /// 0: none, else code + 1.
    doc_type: Vec<u32>,
    issuer_sets: Vec<Vec<u32>>,
    issuer: Vec<u32>,
    topic_sets: Vec<Vec<u32>>,
    topic: Vec<u32>,
    /// Year-facet code + 1 (0: the year is not a value, never for a sound file).
    year: Vec<u32>,
    /// Publication day in Beijing time, days since 1970-01-01.
    pub_day: Vec<i32>,
    /// 成文 day, or `i32::MIN`.
    written_day: Vec<i32>,
    docno: Vec<DocNoCode>,
    agencies: Vec<String>,
    agencies_hant: Vec<String>,
    verbatim: Vec<String>,
    verbatim_hant: Vec<String>,
    /// Per facet (by [`Facet::index`]) and value code: the documents with
    /// that value, built once at decode time (see [`LibraryIndex::apply`]).
    postings: Vec<Vec<DocSet>>,
}

/// A set of documents, one bit each (document `d` is bit `d % 64` of word
/// `d / 64`): 157 words for 10,000 documents.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DocSet(Vec<u64>);

impl DocSet {
    /// No document of `docs`.
    fn none(docs: usize) -> Self {
        DocSet(vec![0; docs.div_ceil(64)])
    }

    /// Every document of `docs` (the bits past the last one stay clear, so
    /// counts never see them).
    fn all(docs: usize) -> Self {
        let mut words = vec![u64::MAX; docs.div_ceil(64)];
        if let Some(last) = words.last_mut() {
            let used = docs % 64;
            if used > 0 {
                *last = (1u64 << used) - 1;
            }
        }
        DocSet(words)
    }

    fn insert(&mut self, doc: usize) {
        self.0[doc / 64] |= 1 << (doc % 64);
    }

    fn and_with(&mut self, other: &DocSet) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
    }

    fn or_with(&mut self, other: &DocSet) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
    }

    /// Documents in both sets.
    fn count_and(&self, other: &DocSet) -> u32 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a & b).count_ones())
            .sum()
    }

    /// Documents in the set, ascending.
    fn docs(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    (w as u32) * 64 + bit
                })
            })
        })
    }
}

const NO_DAY: i32 = i32::MIN;

/// Reads the index's varints, naming the byte where it breaks.
struct Input<'a>(Reader<'a>);

impl Input<'_> {
    fn varint(&mut self) -> Result<u64, LibraryError> {
        let at = self.0.pos;
        self.0.varint().map_err(|_| LibraryError::Truncated(at))
    }

    fn count(&mut self, limit: usize) -> Result<usize, LibraryError> {
        let at = self.0.pos;
        let n = self.varint()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= limit)
            .ok_or(LibraryError::Truncated(at))
    }

    fn string(&mut self, bytes: &[u8]) -> Result<String, LibraryError> {
        let at = self.0.pos;
        let len = self.count(bytes.len())?;
        let r = self.0.take(len).map_err(|_| LibraryError::Truncated(at))?;
        String::from_utf8(bytes[r].to_vec()).map_err(|_| LibraryError::Truncated(at))
    }

    fn strings(&mut self, bytes: &[u8]) -> Result<Vec<String>, LibraryError> {
        let n = self.count(bytes.len())?;
        (0..n).map(|_| self.string(bytes)).collect()
    }
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

impl LibraryIndex {
    /// Decodes `library/index.bin` against its `library/facets.json`: a code
    /// outside the facets' values is an error naming it, never a panic.
    pub fn decode(bytes: &[u8], facets: &LibraryFacets) -> Result<LibraryIndex, LibraryError> {
        if bytes.get(..4) != Some(INDEX_MAGIC.as_slice()) {
            return Err(LibraryError::Magic);
        }
        let mut r = Reader::new(bytes);
        r.pos = 4;
        let mut input = Input(r);
        let docs = input.count(bytes.len())? as u32;
        if docs != facets.docs {
            return Err(LibraryError::Docs {
                index: docs,
                facets: facets.docs,
            });
        }
        let n = docs as usize;
        let code = |input: &mut Input, facet: Facet, doc: u32, limit: usize| {
            let v = input.varint()?;
            if v as usize > limit {
                return Err(LibraryError::Code {
                    facet,
                    code: v,
                    doc,
                    values: limit,
                });
            }
            Ok(v as u32)
        };
        let mut validity = Vec::with_capacity(n);
        for d in 0..docs {
            validity.push(code(&mut input, Facet::Validity, d, Validity::ALL.len())? as u8);
        }
        let types = facets.get(Facet::DocType).values.len();
        let mut doc_type = Vec::with_capacity(n);
        for d in 0..docs {
            doc_type.push(code(&mut input, Facet::DocType, d, types)?);
        }
        let (issuer_sets, issuer) = Self::sets(&mut input, facets, Facet::Issuer, docs, bytes)?;
        let (topic_sets, topic) = Self::sets(&mut input, facets, Facet::Topic, docs, bytes)?;
        let mut pub_day = Vec::with_capacity(n);
        let mut day = 0i64;
        for d in 0..n {
            let v = input.varint()?;
            day = if d == 0 {
                unzigzag(v)
            } else {
                day - unzigzag(v)
            };
            pub_day.push(day as i32);
        }
        let mut written_day = Vec::with_capacity(n);
        for &p in &pub_day {
            let v = input.varint()?;
            written_day.push(if v == 0 {
                NO_DAY
            } else {
                (i64::from(p) - unzigzag(v - 1)) as i32
            });
        }
        let agencies = input.strings(bytes)?;
        let agencies_hant = input.strings(bytes)?;
        let mut docno = Vec::with_capacity(n);
        let mut verbatim_count = 0u32;
        for d in 0..docs {
            let c = input.varint()?;
            docno.push(match c {
                0 => DocNoCode::None,
                1 => {
                    verbatim_count += 1;
                    DocNoCode::Verbatim(verbatim_count - 1)
                }
                c if (c - 2) < agencies.len() as u64 => DocNoCode::Parsed {
                    agency: (c - 2) as u32,
                    year: 0,
                    number: 0,
                },
                c => {
                    return Err(LibraryError::DocNo {
                        code: c,
                        doc: d,
                        agencies: agencies.len(),
                    })
                }
            });
        }
        for (d, code) in docno.iter_mut().enumerate() {
            if let DocNoCode::Parsed { year, .. } = code {
                let pub_year = civil_from_days(i64::from(pub_day[d])).year;
                *year = u16::try_from(i64::from(pub_year) + unzigzag(input.varint()?)).unwrap_or(0);
            }
        }
        for code in docno.iter_mut() {
            if let DocNoCode::Parsed { number, .. } = code {
                *number = u32::try_from(input.varint()?).unwrap_or(0);
            }
        }
        let verbatim = (0..verbatim_count)
            .map(|_| input.string(bytes))
            .collect::<Result<Vec<_>, _>>()?;
        let verbatim_hant = input.strings(bytes)?;
        let years: Vec<Option<i32>> = facets
            .get(Facet::Year)
            .values
            .iter()
            .map(|y| y.parse().ok())
            .collect();
        let year = (0..n)
            .map(|d| {
                let day = if written_day[d] != NO_DAY {
                    written_day[d]
                } else {
                    pub_day[d]
                };
                let y = civil_from_days(i64::from(day)).year;
                years
                    .iter()
                    .position(|v| *v == Some(y))
                    .map_or(0, |p| p as u32 + 1)
            })
            .collect();
        let mut index = LibraryIndex {
            docs,
            validity,
            doc_type,
            issuer_sets,
            issuer,
            topic_sets,
            topic,
            year,
            pub_day,
            written_day,
            docno,
            agencies,
            agencies_hant,
            verbatim,
            verbatim_hant,
            postings: Vec::new(),
        };
        index.postings = Facet::ALL
            .into_iter()
            .map(|f| index.postings_of(f, facets.get(f).values.len()))
            .collect();
        Ok(index)
    }

    /// The documents of each value of `facet` (`values` of them).
    fn postings_of(&self, facet: Facet, values: usize) -> Vec<DocSet> {
        let mut sets = vec![DocSet::none(self.len()); values];
        for d in 0..self.len() {
            self.each_value(d, facet, |v| {
                if let Some(set) = sets.get_mut(v as usize) {
                    set.insert(d);
                }
            });
        }
        sets
    }

    /// A multi-valued facet: the table of distinct value sets, then each
    /// document's set.
    fn sets(
        input: &mut Input,
        facets: &LibraryFacets,
        facet: Facet,
        docs: u32,
        bytes: &[u8],
    ) -> Result<(Vec<Vec<u32>>, Vec<u32>), LibraryError> {
        let values = facets.get(facet).values.len();
        let n_sets = input.count(bytes.len())?;
        let mut sets = Vec::with_capacity(n_sets);
        for _ in 0..n_sets {
            let len = input.count(values)?;
            let mut set = Vec::with_capacity(len);
            for _ in 0..len {
                let v = input.varint()?;
                if v as usize >= values {
                    return Err(LibraryError::Code {
                        facet,
                        code: v,
                        doc: 0,
                        values,
                    });
                }
                set.push(v as u32);
            }
            sets.push(set);
        }
        let mut of_doc = Vec::with_capacity(docs as usize);
        for d in 0..docs {
            let s = input.varint()?;
            if s as usize >= sets.len() {
                return Err(LibraryError::Code {
                    facet,
                    code: s,
                    doc: d,
                    values: sets.len(),
                });
            }
            of_doc.push(s as u32);
        }
        Ok((sets, of_doc))
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs as usize
    }

    /// Whether the section has no documents.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// The 有效性 of `doc`.
    pub fn validity(&self, doc: u32) -> Option<Validity> {
        let v = *self.validity.get(doc as usize)?;
        (v > 0).then(|| Validity::ALL[usize::from(v) - 1])
    }

    /// The 成文日期 of `doc`, if the feed gives one.
    pub fn written(&self, doc: u32) -> Option<PlainDate> {
        let d = *self.written_day.get(doc as usize)?;
        (d != NO_DAY).then(|| civil_from_days(i64::from(d)))
    }

    /// The publication date of `doc` in Beijing time.
    pub fn published(&self, doc: u32) -> Option<PlainDate> {
        let d = *self.pub_day.get(doc as usize)?;
        Some(civil_from_days(i64::from(d)))
    }

    /// The 文号 of `doc` as the library shows it: the GB/T 9704 form when it
    /// could be read (`武科发〔2023〕12号` for `武科发[2023]12号`), else as written.
    pub fn doc_no(&self, doc: u32, variant: Variant) -> Option<String> {
        let pick = |hans: &[String], hant: &[String], i: u32| {
            let i = i as usize;
            match variant {
                Variant::Hant if i < hant.len() => hant[i].clone(),
                _ => hans.get(i).cloned().unwrap_or_default(),
            }
        };
        match *self.docno.get(doc as usize)? {
            DocNoCode::None => None,
            DocNoCode::Verbatim(i) => Some(pick(&self.verbatim, &self.verbatim_hant, i)),
            DocNoCode::Parsed {
                agency,
                year,
                number,
            } => Some(
                DocNo {
                    agency: pick(&self.agencies, &self.agencies_hant, agency),
                    year,
                    number,
                }
                .display(variant),
            ),
        }
    }

    /// How `doc`'s 文号 answers `q` (either script's 代字 counts).
    fn docno_rank(&self, doc: usize, q: &DocNoQuery) -> Option<DocNoMatch> {
        let DocNoCode::Parsed {
            agency,
            year,
            number,
        } = self.docno[doc]
        else {
            return None;
        };
        let a = agency as usize;
        let hans = q.rank(&self.agencies[a], year, number)?;
        let hant = self
            .agencies_hant
            .get(a)
            .and_then(|h| q.rank(h, year, number));
        Some(hant.map_or(hans, |h| h.min(hans)))
    }

    /// Calls `f` with each value code `doc` has in `facet`.
    fn each_value(&self, doc: usize, facet: Facet, mut f: impl FnMut(u32)) {
        match facet {
            Facet::Validity if self.validity[doc] > 0 => f(u32::from(self.validity[doc]) - 1),
            Facet::DocType if self.doc_type[doc] > 0 => f(self.doc_type[doc] - 1),
            Facet::Year if self.year[doc] > 0 => f(self.year[doc] - 1),
            Facet::Issuer => self.issuer_sets[self.issuer[doc] as usize]
                .iter()
                .for_each(|&v| f(v)),
            Facet::Topic => self.topic_sets[self.topic[doc] as usize]
                .iter()
                .for_each(|&v| f(v)),
            _ => {}
        }
    }

    /// The documents `sel` selects, in its order, and every value's count
    /// (see the module docs). A chosen value the facets file does not know
    /// (a link from an older build) matches nothing.
    ///
    /// With the documents of each value as a bitset ([`DocSet`]), a group's
    /// ticked values are the OR of theirs, the list is the AND of the
    /// groups (and of the year range and 文号), and a value's count is the
    /// popcount of its set ANDed with every *other* group: a few thousand
    /// word operations at 10,000 documents instead of a pass over every
    /// document's values.
    pub fn apply(&self, facets: &LibraryFacets, sel: &Selection) -> Outcome {
        let n = self.len();
        let (base, ranks_of) = self.base(facets, sel);
        // Per facet: the documents with one of its ticked values (None:
        // nothing ticked, every document passes).
        let groups: Vec<Option<DocSet>> = Facet::ALL
            .into_iter()
            .map(|f| {
                let chosen = sel.values(f);
                (!chosen.is_empty()).then(|| {
                    let values = facets.get(f);
                    let mut set = DocSet::none(n);
                    for code in chosen.iter().filter_map(|v| values.code(v)) {
                        if let Some(docs) = self.posting(f, code) {
                            set.or_with(docs);
                        }
                    }
                    set
                })
            })
            .collect();
        let passing_others = |skip: Option<Facet>| {
            let mut set = base.clone();
            for (f, group) in Facet::ALL.into_iter().zip(&groups) {
                if let Some(group) = group.as_ref().filter(|_| Some(f) != skip) {
                    set.and_with(group);
                }
            }
            set
        };
        let all_groups = passing_others(None);
        let counts = Facet::ALL
            .into_iter()
            .zip(&groups)
            .map(|(f, group)| {
                // A facet with nothing ticked is narrowed by the others only.
                let others = match group {
                    Some(_) => &passing_others(Some(f)),
                    None => &all_groups,
                };
                (0..facets.get(f).values.len())
                    .map(|code| {
                        self.posting(f, code as u32)
                            .map_or(0, |docs| docs.count_and(others))
                    })
                    .collect()
            })
            .collect();
        let mut docs: Vec<u32> = all_groups.docs().collect();
        let mut ranks: Vec<DocNoMatch> = match &ranks_of {
            Some(r) => docs.iter().filter_map(|&d| r[d as usize]).collect(),
            None => Vec::new(),
        };
        self.order(&mut docs, &mut ranks, sel.sort);
        Outcome {
            docs,
            counts,
            docno: ranks,
        }
    }

    /// The documents of `code` in `facet`.
    fn posting(&self, facet: Facet, code: u32) -> Option<&DocSet> {
        self.postings.get(facet.index())?.get(code as usize)
    }

    /// The documents in `sel`'s year range and answering its 文号 (with
    /// how each document answers it, by document), before any facet.
    fn base(
        &self,
        facets: &LibraryFacets,
        sel: &Selection,
    ) -> (DocSet, Option<Vec<Option<DocNoMatch>>>) {
        let n = self.len();
        let mut base = DocSet::all(n);
        if sel.from.is_some() || sel.to.is_some() {
            let mut in_range = DocSet::none(n);
            for (code, y) in facets.get(Facet::Year).values.iter().enumerate() {
                let Ok(y) = y.parse::<u16>() else { continue };
                if sel.from.is_none_or(|f| y >= f) && sel.to.is_none_or(|t| y <= t) {
                    if let Some(docs) = self.posting(Facet::Year, code as u32) {
                        in_range.or_with(docs);
                    }
                }
            }
            base.and_with(&in_range);
        }
        let ranks = sel.docno.as_ref().map(|q| {
            let ranks: Vec<Option<DocNoMatch>> = (0..n).map(|d| self.docno_rank(d, q)).collect();
            let mut answering = DocSet::none(n);
            for (d, _) in ranks.iter().enumerate().filter(|(_, r)| r.is_some()) {
                answering.insert(d);
            }
            base.and_with(&answering);
            ranks
        });
        (base, ranks)
    }

    /// Puts `docs` in `sort` order, best 文号 match first when `ranks` (the
    /// docs' matches, parallel) are given; ties keep the newest first.
    fn order(&self, docs: &mut [u32], ranks: &mut [DocNoMatch], sort: LibrarySort) {
        let key = |d: u32| -> i32 {
            match sort {
                LibrarySort::Published => 0,
                LibrarySort::Written => {
                    let w = self.written_day[d as usize];
                    // Newest first: the larger day sorts first.
                    -(if w == NO_DAY {
                        self.pub_day[d as usize]
                    } else {
                        w
                    })
                }
            }
        };
        if ranks.is_empty() {
            if sort != LibrarySort::Published {
                docs.sort_by_key(|&d| (key(d), d));
            }
            return;
        }
        let mut paired: Vec<(DocNoMatch, u32)> =
            ranks.iter().copied().zip(docs.iter().copied()).collect();
        paired.sort_by_key(|&(r, d)| (r, key(d), d));
        for (i, (r, d)) in paired.into_iter().enumerate() {
            ranks[i] = r;
            docs[i] = d;
        }
    }
}

#[cfg(test)]
mod tests {
    //! [`LibraryIndex::apply`] (bitsets) against the scan it replaced, for
    //! random indexes and selections (tests/library.rs checks both against
    //! the feed itself).
    use super::*;

    impl LibraryIndex {
        /// Whether `doc` has one of `codes` in `facet`.
        fn has_any(&self, doc: usize, facet: Facet, codes: &[u32]) -> bool {
            let mut found = false;
            self.each_value(doc, facet, |v| found |= codes.contains(&v));
            found
        }

        /// The one-pass scan `apply` replaced: every document's values tested
        /// against the ticked ones.
        fn apply_scan(&self, facets: &LibraryFacets, sel: &Selection) -> Outcome {
            let chosen: Vec<(Facet, Vec<u32>)> = Facet::ALL
                .into_iter()
                .filter(|f| !sel.values(*f).is_empty())
                .map(|f| {
                    let values = facets.get(f);
                    let codes = sel
                        .values(f)
                        .iter()
                        .map(|v| values.code(v).unwrap_or(u32::MAX))
                        .collect();
                    (f, codes)
                })
                .collect();
            let years = &facets.get(Facet::Year).values;
            let year_ok = |doc: usize| {
                if sel.from.is_none() && sel.to.is_none() {
                    return true;
                }
                let Some(y) = self.year[doc]
                    .checked_sub(1)
                    .and_then(|c| years.get(c as usize))
                    .and_then(|y| y.parse::<u16>().ok())
                else {
                    return false;
                };
                sel.from.is_none_or(|f| y >= f) && sel.to.is_none_or(|t| y <= t)
            };
            let mut counts: Vec<Vec<u32>> = Facet::ALL
                .iter()
                .map(|f| vec![0; facets.get(*f).values.len()])
                .collect();
            let mut docs = Vec::new();
            let mut ranks = Vec::new();
            for d in 0..self.len() {
                if !year_ok(d) {
                    continue;
                }
                let rank = match &sel.docno {
                    Some(q) => match self.docno_rank(d, q) {
                        Some(r) => Some(r),
                        None => continue,
                    },
                    None => None,
                };
                let mut failing = None;
                let mut fails = 0;
                for (f, codes) in &chosen {
                    if !self.has_any(d, *f, codes) {
                        fails += 1;
                        failing = Some(*f);
                        if fails > 1 {
                            break;
                        }
                    }
                }
                let mut count = |f: Facet| {
                    let c = &mut counts[f.index()];
                    self.each_value(d, f, |v| {
                        if let Some(n) = c.get_mut(v as usize) {
                            *n += 1;
                        }
                    });
                };
                match (fails, failing) {
                    (0, _) => {
                        Facet::ALL.into_iter().for_each(&mut count);
                        docs.push(d as u32);
                        ranks.extend(rank);
                    }
                    (1, Some(f)) => count(f),
                    _ => {}
                }
            }
            self.order(&mut docs, &mut ranks, sel.sort);
            Outcome {
                docs,
                counts,
                docno: ranks,
            }
        }
    }

    const YEARS: [&str; 6] = ["2024", "2023", "2022", "2021", "2020", "2019"];
    const AGENCIES: [&str; 2] = ["武科发", "武政办发"];

    fn values(facet: Facet, n: usize, prefix: &str) -> FacetValues {
        FacetValues {
            facet,
            values: (0..n).map(|i| format!("{prefix}{i}")).collect(),
            counts: vec![0; n],
            hant: Vec::new(),
        }
    }

    /// Value sets of a multi-valued facet: the empty set, single values,
    /// pairs.
    fn sets(rng: &mut fastrand::Rng, values: usize) -> Vec<Vec<u32>> {
        let mut sets = vec![Vec::new()];
        for _ in 0..6 {
            let a = rng.usize(..values) as u32;
            let b = rng.usize(..values) as u32;
            sets.push(if a == b { vec![a] } else { vec![a, b] });
        }
        sets
    }

    /// A random index of `docs` documents and its facets file.
    fn random_index(rng: &mut fastrand::Rng, docs: usize) -> (LibraryIndex, LibraryFacets) {
        let facets = LibraryFacets {
            format: LIBRARY_FORMAT,
            docs: docs as u32,
            facets: vec![
                FacetValues::validity([0; 4]),
                values(Facet::Topic, 7, "题"),
                values(Facet::DocType, 5, "种"),
                values(Facet::Issuer, 4, "机关"),
                FacetValues {
                    facet: Facet::Year,
                    values: YEARS.iter().map(|y| (*y).to_owned()).collect(),
                    counts: vec![0; YEARS.len()],
                    hant: Vec::new(),
                },
            ],
        };
        let issuer_sets = sets(rng, 4);
        let topic_sets = sets(rng, 7);
        let mut index = LibraryIndex {
            docs: docs as u32,
            validity: (0..docs).map(|_| rng.usize(..5) as u8).collect(),
            doc_type: (0..docs).map(|_| rng.usize(..6) as u32).collect(),
            issuer: (0..docs)
                .map(|_| rng.usize(..issuer_sets.len()) as u32)
                .collect(),
            issuer_sets,
            topic: (0..docs)
                .map(|_| rng.usize(..topic_sets.len()) as u32)
                .collect(),
            topic_sets,
            // Mostly a year of the facet, sometimes none.
            year: (0..docs)
                .map(|_| rng.usize(..YEARS.len() + 1) as u32)
                .collect(),
            pub_day: (0..docs).map(|d| 20_000 - d as i32).collect(),
            written_day: (0..docs)
                .map(|d| match rng.usize(..3) {
                    0 => NO_DAY,
                    _ => 20_000 - d as i32 - rng.usize(..400) as i32,
                })
                .collect(),
            docno: (0..docs)
                .map(|_| match rng.usize(..4) {
                    0 => DocNoCode::None,
                    _ => DocNoCode::Parsed {
                        agency: rng.usize(..AGENCIES.len()) as u32,
                        year: 2020 + rng.usize(..3) as u16,
                        number: 1 + rng.usize(..4) as u32,
                    },
                })
                .collect(),
            agencies: AGENCIES.iter().map(|a| (*a).to_owned()).collect(),
            agencies_hant: Vec::new(),
            verbatim: Vec::new(),
            verbatim_hant: Vec::new(),
            postings: Vec::new(),
        };
        index.postings = Facet::ALL
            .into_iter()
            .map(|f| index.postings_of(f, facets.get(f).values.len()))
            .collect();
        (index, facets)
    }

    fn random_selection(rng: &mut fastrand::Rng, facets: &LibraryFacets) -> Selection {
        let mut sel = Selection::default();
        for f in Facet::ALL {
            let values = &facets.get(f).values;
            for _ in 0..[0, 0, 1, 2, 3][rng.usize(..5)] {
                // Now and then a value of an older build, which matches nothing.
                let v = match rng.usize(..12) {
                    0 => "旧值".to_owned(),
                    _ => values[rng.usize(..values.len())].clone(),
                };
                if !sel.chosen[f.index()].contains(&v) {
                    sel.chosen[f.index()].push(v);
                }
            }
        }
        if rng.usize(..4) == 0 {
            sel.from = Some(2018 + rng.usize(..4) as u16);
        }
        if rng.usize(..4) == 0 {
            sel.to = Some(2020 + rng.usize(..5) as u16);
        }
        sel.docno = match rng.usize(..6) {
            0 => DocNoQuery::parse(&format!(
                "{}〔{}〕{}号",
                AGENCIES[rng.usize(..2)],
                2020 + rng.usize(..3),
                1 + rng.usize(..4)
            )),
            1 => DocNoQuery::parse(&format!(
                "{}年{}号",
                2020 + rng.usize(..3),
                1 + rng.usize(..4)
            )),
            _ => None,
        };
        if rng.usize(..2) == 0 {
            sel.sort = LibrarySort::Written;
        }
        sel
    }

    #[test]
    fn bitset_counts_and_lists_equal_the_scan() {
        let mut rng = fastrand::Rng::with_seed(19);
        // Sizes around the 64-document words, and a larger one.
        for docs in [0, 1, 63, 64, 65, 127, 128, 129, 1000, 4099] {
            let (index, facets) = random_index(&mut rng, docs);
            for round in 0..200 {
                let sel = random_selection(&mut rng, &facets);
                assert_eq!(
                    index.apply(&facets, &sel),
                    index.apply_scan(&facets, &sel),
                    "{docs} documents, round {round}: {sel:?}"
                );
            }
        }
    }

    #[test]
    fn doc_sets_keep_the_bits_past_the_last_document_clear() {
        for docs in [0, 1, 63, 64, 65, 200] {
            let all = DocSet::all(docs);
            assert_eq!(all.count_and(&all) as usize, docs, "{docs}");
            assert_eq!(
                all.docs().collect::<Vec<_>>(),
                (0..docs as u32).collect::<Vec<_>>()
            );
        }
    }
}
