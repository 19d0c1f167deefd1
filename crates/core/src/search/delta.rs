//! The delta segment's build side: what a full build records of its
//! documents ([`BASE_PATH`], in the bundle folder's private state folder),
//! read back by a rebuild that keeps the
//! term files as they are and indexes only the added and changed
//! documents beside them ([`super::IndexBuilder::delta`];
//! `docs/search-format.md`, "The delta segment").

use super::format::{put_varint, FormatError, Reader, SearchMeta, META_PATH, SEARCH_FORMAT};
use super::index::{dictionary, Encoded, FastMap};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The build's record of its base documents, relative to the bundle
/// folder: in its state folder ([`crate::publish::STATE_DIR`]), which is
/// never served, since the app does not fetch it. The index hands it to
/// its sink under this path; the bundle's stager keeps it out of the
/// bundle and writes it after the commit.
pub const BASE_PATH: &str = ".gongkai/search-base.bin";

/// Where builds before 2026-12-08 wrote [`BASE_PATH`] (in the served
/// bundle): still read when the state folder has none, so that a folder
/// built by the previous version rebuilds with a delta segment.
pub const LEGACY_BASE_PATH: &str = "search/base.bin";

/// A base document: its id, the fingerprint of what the term files hold
/// of it, and its normalised title (the vocabulary of the dictionary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BaseDoc {
    pub id: String,
    pub fp: u64,
    pub title: Vec<char>,
}

/// [`BASE_PATH`]: the base's documents by number (`None`: a hole), the
/// Chinese characters of its text and whether it had a `zh-Hant` variant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct BaseRecord {
    pub docs: Vec<Option<BaseDoc>>,
    pub chars: BTreeSet<char>,
    pub hant: bool,
}

const MAGIC: &[u8] = b"GKB1";

impl BaseRecord {
    /// Varints and length-prefixed strings: the magic, the number space,
    /// `hant`, the characters, then per number the id (empty: a hole), the
    /// fingerprint (8 bytes, little-endian) and the title.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_varint(&mut out, self.docs.len() as u64);
        out.push(u8::from(self.hant));
        put_str(&mut out, &self.chars.iter().collect::<String>());
        for d in &self.docs {
            match d {
                Some(d) => {
                    put_str(&mut out, &d.id);
                    out.extend_from_slice(&d.fp.to_le_bytes());
                    put_str(&mut out, &d.title.iter().collect::<String>());
                }
                None => put_varint(&mut out, 0),
            }
        }
        out
    }

    /// Decodes [`BaseRecord::encode`]'s bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        let body = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| format!("{BASE_PATH}: not a base record"))?;
        Self::decode_body(body).map_err(|e| format!("{BASE_PATH}: {e}"))
    }

    fn decode_body(body: &[u8]) -> Result<Self, FormatError> {
        let mut r = Reader::new(body);
        let string = |r: &mut Reader<'_>| -> Result<String, FormatError> {
            let n = r.varint()? as usize;
            let at = r.pos;
            let range = r.take(n)?;
            String::from_utf8(body[range].to_vec()).map_err(|_| FormatError::Truncated(at))
        };
        let space = r.varint()? as usize;
        let hant = body[r.take(1)?.start] == 1;
        let chars = string(&mut r)?.chars().collect();
        let mut docs = Vec::with_capacity(space.min(body.len()));
        for _ in 0..space {
            let id = string(&mut r)?;
            if id.is_empty() {
                docs.push(None);
                continue;
            }
            let mut fp = [0u8; 8];
            fp.copy_from_slice(&body[r.take(8)?]);
            let title = string(&mut r)?.chars().collect();
            docs.push(Some(BaseDoc {
                id,
                fp: u64::from_le_bytes(fp),
                title,
            }));
        }
        Ok(BaseRecord { docs, chars, hant })
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// What the term files hold of a document: its normalised fields, 文号
/// and 索引号 (FNV-1a 64). An equal fingerprint keeps the base's entries.
pub(super) fn fingerprint(
    title: &[char],
    full: &[char],
    doc_no: Option<&str>,
    index_no: &str,
) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    let mut eat = |b: &[u8]| {
        for &x in b {
            h = (h ^ u64::from(x)).wrapping_mul(0x100_0000_01B3);
        }
        // A separator that no UTF-8 string holds.
        h = (h ^ 0xFF).wrapping_mul(0x100_0000_01B3);
    };
    let mut buf = [0u8; 4];
    for part in [title, full] {
        for c in part {
            eat(c.encode_utf8(&mut buf).as_bytes());
        }
        eat(&[]);
    }
    eat(doc_no.unwrap_or("\u{0}").as_bytes());
    eat(index_no.as_bytes());
    h
}

/// The first file of a delta segment over a base of `shards` term shards:
/// past every number the base's files can have (`builder::FileNumbers`).
pub(super) fn delta_first(shards: u32) -> u32 {
    shards + 1 + file_span(shards)
}

/// The span of numbers the long lists and positions blocks of an index of
/// `shards` term shards are picked in.
pub(super) fn file_span(shards: u32) -> u32 {
    shards.saturating_mul(64).clamp(1 << 16, 1 << 30)
}

/// The previous build, as a rebuild in delta mode reads it back.
#[derive(Debug)]
pub(super) struct DeltaBase {
    pub dir: PathBuf,
    /// The file the record was read from ([`BASE_PATH`] or, from an older
    /// build, [`LEGACY_BASE_PATH`]).
    pub record_file: PathBuf,
    /// The previous build's meta (its base's shards, averages, synonyms).
    pub meta: SearchMeta,
    pub record: BaseRecord,
    /// Live base documents: id → (number, fingerprint).
    pub ids: FastMap<String, (u32, u64)>,
    /// The base's number space: the delta's documents are numbered after it.
    pub numbers: u32,
    /// The delta's first file.
    pub first: u32,
}

impl DeltaBase {
    /// Reads `search/index.json` and [`BASE_PATH`] (else
    /// [`LEGACY_BASE_PATH`]) from the previous build's folder `dir`.
    pub fn read(dir: &Path) -> Result<Self, String> {
        let read = |p: &str| {
            std::fs::read(dir.join(p)).map_err(|e| format!("{}: {e}", dir.join(p).display()))
        };
        let meta: SearchMeta =
            serde_json::from_slice(&read(META_PATH)?).map_err(|e| format!("{META_PATH}: {e}"))?;
        if meta.format != SEARCH_FORMAT {
            return Err(format!(
                "{META_PATH}: format {}, not {SEARCH_FORMAT}",
                meta.format
            ));
        }
        let legacy = dir.join(LEGACY_BASE_PATH);
        let record_path = if dir.join(BASE_PATH).exists() || !legacy.exists() {
            BASE_PATH
        } else {
            LEGACY_BASE_PATH
        };
        let record = BaseRecord::decode(&read(record_path)?)?;
        let numbers = record.docs.len() as u32;
        if meta.delta.is_some_and(|d| d.numbers != numbers) {
            return Err(format!("{BASE_PATH}: not the base of {META_PATH}"));
        }
        let ids = record
            .docs
            .iter()
            .enumerate()
            .filter_map(|(no, d)| d.as_ref().map(|d| (d.id.clone(), (no as u32, d.fp))))
            .collect();
        Ok(DeltaBase {
            dir: dir.to_owned(),
            record_file: dir.join(record_path),
            first: delta_first(meta.shards),
            meta,
            record,
            ids,
            numbers,
        })
    }

    /// Live documents of the base.
    pub fn live(&self) -> usize {
        self.ids.len()
    }

    /// The base's files, to hand on unchanged: its term shards, lists,
    /// positions blocks and synonym table (numbers before the delta's),
    /// and its record (handed on as [`BASE_PATH`] wherever it was read).
    pub fn files(&self) -> std::io::Result<Vec<(String, PathBuf)>> {
        let mut out = vec![(BASE_PATH.to_owned(), self.record_file.clone())];
        let shard_dir = self.dir.join("search/shard");
        for e in std::fs::read_dir(&shard_dir)? {
            let e = e?;
            let name = e.file_name();
            let Some(i) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".bin"))
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if i < self.first {
                out.push((super::format::shard_path(i), e.path()));
            }
        }
        out.sort();
        Ok(out)
    }
}

/// The dictionary entries that differ between the base's dictionary and
/// the current site's: the current values, or none for an entry the site
/// no longer has (a delta entry replaces the base's).
pub(super) fn dictionary_delta(
    base: (&[Vec<char>], &BTreeSet<char>),
    now: (&[Vec<char>], &BTreeSet<char>),
    hant: bool,
) -> Vec<Encoded> {
    let entries = |titles: &[Vec<char>], chars: &BTreeSet<char>| -> BTreeMap<String, Encoded> {
        dictionary(titles, chars, hant)
            .into_iter()
            .map(|e| (e.key.clone(), e))
            .collect()
    };
    let mut old = entries(base.0, base.1);
    let mut out = Vec::new();
    for (key, e) in entries(now.0, now.1) {
        match old.remove(&key) {
            Some(o) if o.same(&e) => {}
            _ => out.push(e),
        }
    }
    out.extend(old.into_keys().map(|k| Encoded::values(k, &[])));
    out
}
