//! Putting a build's files into a served folder so that readers never see a
//! half-written build and nothing the build does not own is touched
//! (feature `build`).
//!
//! A [`Publication`] is one build's writes into one folder (the bundle's
//! `--out DIR`, or the `--site DIR` of the static pages):
//!
//! 1. [`Publication::begin`] takes an exclusive lock on the folder, finishes
//!    or discards what a crashed earlier build left, and reads the record of
//!    the files the previous build wrote.
//! 2. [`Publication::stage`] compares each new file with the one being
//!    served. An identical file is left alone (its modification time, which
//!    `deploy/purge-list` reads, does not change); a new or changed one is
//!    written into `.gongkai/staging/` (a flat folder of numbered files), never
//!    over the served file. Every
//!    failure of the build (a bad input, a full disk) happens here, and
//!    dropping the publication removes what was staged: the previous build
//!    keeps serving, whole.
//! 3. [`Publication::commit`] moves the staged files into place, one
//!    `rename` each (atomic: a reader gets the old or the new file, never a
//!    partial one), the files named `last` (the manifest) after every other,
//!    then removes the files of the previous build that this one no longer
//!    has and records what it wrote. A journal written before the first
//!    rename lets the next build finish a commit that a crash interrupted.
//!
//! Precompressed copies (`x.gz`, `x.br`, which nginx's `gzip_static` and
//! `brotli_static` serve instead of `x`) are kept in step with their file:
//! with [`PublishOptions::precompress`] they are written with it; without,
//! a copy older than its file is stale and removed. Only files listed in the
//! previous build's record (`.gongkai/files`) are ever removed, so a portal's
//! own files beside the build stay. The record keeps each file's [`digest`],
//! size and modification time: a served file whose size and time still match
//! is compared by digest, without being read. A folder with no record yet (built by an
//! earlier gongkai) adopts only files that match [`PublishOptions::legacy`]:
//! names the build itself would write.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The folder, inside the published folder, that holds the lock, the record
/// of owned files, the staging area and the commit journal.
pub const STATE_DIR: &str = ".gongkai";
/// The record of the files the last build wrote, one relative path a line.
pub const RECORD_FILE: &str = "files";
const RECORD_HEADER: &str =
    "# gongkai: the files the last build wrote into this folder, one a line";
const LOCK_FILE: &str = "lock";
const STAGING_DIR: &str = "staging";
const JOURNAL_FILE: &str = "commit";
const JOURNAL_HEADER: &str = "# gongkai: a commit in progress";

/// Files smaller than this are not precompressed: the headers would cost
/// more than the compression saves (nginx's `gzip_min_length` is the same).
pub const PRECOMPRESS_MIN_BYTES: usize = 256;

/// The two precompressed copies nginx serves: gzip and brotli.
pub const COMPRESSED_SUFFIXES: [&str; 2] = [".gz", ".br"];

/// How a publication treats its folder.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublishOptions {
    /// Write `.gz` and `.br` beside each text file of at least
    /// [`PRECOMPRESS_MIN_BYTES`], at the [`Effort`] their volume allows.
    pub precompress: bool,
    /// For a folder without a record (written by a gongkai older than the
    /// record): which existing files, by relative path, count as written by
    /// the earlier build, so that the ones this build no longer writes are
    /// removed. `None`: none are.
    pub legacy: Option<fn(&str) -> bool>,
    /// Flush the staged files to the disk before the switch (`fsync`), so
    /// that a power cut during or after it cannot leave empty files. Costs
    /// time on a slow disk; a failed or killed build is safe without it.
    pub sync: bool,
}

/// Why a publication failed. Nothing that was served changes on an error
/// before [`Publication::commit`].
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Another build holds the folder's lock.
    #[error("another gongkai build is writing {} (it holds {}); wait for it to finish", dir.display(), lock.display())]
    Busy {
        /// The published folder.
        dir: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// A path given to [`Publication::stage`] would leave the folder or
    /// write into the state folder.
    #[error("{0:?} is not a relative path inside the published folder")]
    BadPath(String),
    /// Something other than a file is where a file of the build goes.
    #[error("{} is in the way: the build writes a file there", .0.display())]
    NotAFile(PathBuf),
    /// The switch to the new build failed after it had begun: some files
    /// are new, some old. The journal is kept; the next build (or `begin`)
    /// finishes the switch before anything else.
    #[error("switching {} to the new build stopped part way ({source}); run the build again: it finishes the switch first", dir.display())]
    Interrupted {
        /// The published folder.
        dir: PathBuf,
        /// What failed.
        source: Box<PublishError>,
    },
    /// A file was staged twice.
    #[error("{0} was written twice by one build")]
    Twice(String),
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// File or folder concerned.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What happened to one staged file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The served file already holds these bytes: nothing will be written.
    Unchanged,
    /// A new file: nothing was served under this path.
    Added,
    /// The served file will be replaced.
    Changed,
}

/// What [`Publication::commit`] did, path by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishReport {
    /// Files written (new or changed), precompressed copies not counted.
    pub written: Vec<String>,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of the previous build removed (precompressed copies not counted).
    pub removed: Vec<String>,
    /// Bytes written, precompressed copies included.
    pub bytes: u64,
    /// A crashed earlier build's commit that this one finished first.
    pub recovered: bool,
    /// Whether the folder had a record of the previous build's files; if
    /// not, [`PublishOptions::legacy`] chose what was removed.
    pub had_record: bool,
}

#[derive(Debug)]
struct Entry {
    change: Change,
    /// The copies (`.gz`, `.br`) served with it after the commit: staged
    /// with it, or, when unchanged, already served and at least as new.
    siblings: Vec<&'static str>,
    /// The copies still to be made from it, at the commit.
    pending: Vec<&'static str>,
    /// Its number in the staging area (`{slot:x}`, `{slot:x}.gz`, ...).
    slot: usize,
    /// What the record will say of it.
    recorded: Recorded,
}

/// What the record says of one file: its content's digest (none for the
/// compressed copies and records of older builds), size and modification
/// time. A file whose size and time still match is known by its digest
/// without being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recorded {
    /// [`digest`] of the content, if recorded.
    pub digest: Option<u128>,
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch, if known.
    pub mtime: Option<i128>,
}

impl Recorded {
    fn of(digest: Option<u128>, meta: &fs::Metadata) -> Recorded {
        Recorded {
            digest,
            size: meta.len(),
            mtime: mtime_ns(meta),
        }
    }

    /// Whether `meta` is the file this entry describes, untouched since.
    fn matches(&self, meta: &fs::Metadata) -> bool {
        self.size == meta.len() && self.mtime.is_some() && self.mtime == mtime_ns(meta)
    }

    /// `digest size mtime`, `-` for what is unknown.
    fn to_line(self, rel: &str) -> String {
        let digest = self.digest.map_or("-".to_owned(), |d| format!("{d:032x}"));
        let mtime = self.mtime.map_or("-".to_owned(), |t| t.to_string());
        format!("{digest} {} {mtime} {rel}", self.size)
    }

    /// Reads [`Recorded::to_line`]'s form; a bare path (a record written by
    /// an earlier gongkai) is a file known by name only.
    fn parse(line: &str) -> Option<(String, Recorded)> {
        let mut parts = line.splitn(4, ' ');
        let (Some(d), Some(size), Some(t), Some(rel)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return check_rel(line)
                .is_ok()
                .then(|| (line.to_owned(), Recorded::default()));
        };
        let digest = match d {
            "-" => None,
            hex if hex.len() == 32 => Some(u128::from_str_radix(hex, 16).ok()?),
            _ => return None,
        };
        let mtime = match t {
            "-" => None,
            t => Some(t.parse().ok()?),
        };
        check_rel(rel).ok()?;
        Some((
            rel.to_owned(),
            Recorded {
                digest,
                size: size.parse().ok()?,
                mtime,
            },
        ))
    }
}

/// Modification time in nanoseconds since the epoch.
fn mtime_ns(meta: &fs::Metadata) -> Option<i128> {
    let t = meta.modified().ok()?;
    Some(match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    })
}

/// The content digest the record keeps and [`Publication::stage`] returns:
/// 128-bit XXH3, so that a changed file is never taken for an unchanged one
/// by chance.
pub fn digest(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What [`Publication::stage`] did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staged {
    /// New, changed or unchanged.
    pub change: Change,
    /// [`digest`] of the content.
    pub digest: u128,
}

/// One build's writes into one folder. See the [module docs](self).
#[derive(Debug)]
pub struct Publication {
    root: PathBuf,
    state: PathBuf,
    options: PublishOptions,
    previous: Option<BTreeMap<String, Recorded>>,
    adopted: Mutex<BTreeSet<String>>,
    entries: Mutex<BTreeMap<String, Entry>>,
    // What each folder of the served tree held when the build first looked,
    // by folder (relative path): read once, so that a new file costs no
    // `stat` of its own name and its copies' (each a lookup in a folder of
    // 10,000 files).
    listings: Mutex<HashMap<String, Arc<Listing>>>,
    next_slot: AtomicUsize,
    recovered: bool,
    // Set once the journal is written: from then on, what is staged is
    // needed to finish the commit, even after a failure.
    journaled: bool,
    committed: bool,
    // Held for the publication's life; the OS releases it if the process dies.
    _lock: File,
}

impl Publication {
    /// Opens `root` (created if missing) for one build: locks it, recovers
    /// from a crashed build, reads the previous record.
    pub fn begin(root: &Path, options: PublishOptions) -> Result<Publication, PublishError> {
        let state = root.join(STATE_DIR);
        fs::create_dir_all(&state).map_err(io_err(&state))?;
        let lock_path = state.join(LOCK_FILE);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(PublishError::Busy {
                    dir: root.to_owned(),
                    lock: lock_path,
                })
            }
            Err(TryLockError::Error(e)) => return Err(io_err(&lock_path)(e)),
        }
        let mut publication = Publication {
            root: root.to_owned(),
            state,
            options,
            previous: None,
            adopted: Mutex::new(BTreeSet::new()),
            entries: Mutex::new(BTreeMap::new()),
            listings: Mutex::new(HashMap::new()),
            next_slot: AtomicUsize::new(0),
            recovered: false,
            journaled: false,
            committed: false,
            _lock: lock,
        };
        publication.recovered = publication.recover()?;
        publication.previous = publication.read_record()?;
        Ok(publication)
    }

    /// The published folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    #[cfg(test)]
    fn owned_before_for_test(&self, rel: &str) -> bool {
        self.previous.as_ref().is_some_and(|r| r.contains_key(rel))
    }

    /// Whether the folder has a record of the previous build's files.
    pub fn has_record(&self) -> bool {
        self.previous.is_some()
    }

    /// For a folder without a record: counts `rel` as written by the earlier
    /// build (e.g. because that build's own cache lists it), so that it is
    /// removed if this build does not write it. No effect with a record.
    pub fn adopt_legacy(&self, rel: &str) {
        if self.previous.is_none() && check_rel(rel).is_ok() {
            let mut adopted = self.adopted.lock().unwrap_or_else(|e| e.into_inner());
            adopted.insert(rel.to_owned());
        }
    }

    /// Stages `bytes` as the file `rel` (a `/`-separated path relative to the
    /// folder). Safe to call from several threads.
    pub fn stage(&self, rel: &str, bytes: &[u8]) -> Result<Staged, PublishError> {
        check_rel(rel)?;
        let dest = self.root.join(rel);
        let digest = digest(bytes);
        let mut recorded = None;
        let listing = self.listing(rel)?;
        let served = match listing.kind(file_name(rel)) {
            None => Err(io::ErrorKind::NotFound.into()),
            Some(_) => fs::metadata(&dest),
        };
        let change = match served {
            Ok(meta) if meta.is_file() => {
                let before = self.previous.as_ref().and_then(|p| p.get(rel));
                // Known by its record (no read), or else compared byte by byte.
                let same = match before.filter(|r| r.digest.is_some() && r.matches(&meta)) {
                    Some(r) => r.digest == Some(digest),
                    None => {
                        meta.len() == bytes.len() as u64
                            && fs::read(&dest).map_err(io_err(&dest))? == bytes
                    }
                };
                if same {
                    recorded = Some(Recorded::of(Some(digest), &meta));
                    Change::Unchanged
                } else {
                    Change::Changed
                }
            }
            // A folder where the file should go: renaming over it would fail
            // half way through the commit, so fail now.
            Ok(_) => return Err(PublishError::NotAFile(dest)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Change::Added,
            Err(e) => return Err(io_err(&dest)(e)),
        };
        let wants_copies = self.options.precompress && compressible(rel, bytes.len());
        let mut siblings = Vec::new();
        let mut pending = Vec::new();
        let slot = self.next_slot.fetch_add(1, Ordering::Relaxed);
        let recorded = match recorded {
            Some(r) => r,
            None => {
                let meta = self.write_staged(&slot_name(slot, ""), bytes)?;
                // A rename keeps the time: the record's is the served file's.
                Recorded::of(Some(digest), &meta)
            }
        };
        for suffix in COMPRESSED_SUFFIXES {
            let fresh = change == Change::Unchanged && self.is_fresh_copy(&listing, rel, suffix);
            if fresh {
                // A served copy at least as new as its file was made from it.
                siblings.push(suffix);
            } else if wants_copies {
                // Made at the commit, on every core, after the file: a copy
                // is never older than its file (how a later build tells a
                // stale one).
                pending.push(suffix);
                siblings.push(suffix);
            }
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries
            .insert(
                rel.to_owned(),
                Entry {
                    change,
                    siblings,
                    pending,
                    slot,
                    recorded,
                },
            )
            .is_some()
        {
            return Err(PublishError::Twice(rel.to_owned()));
        }
        Ok(Staged { change, digest })
    }

    /// Keeps the served file `rel` as it is, as this build's own, without
    /// reading it: for files whose content a cache vouches for (the Word and
    /// PDF files). Returns false when no such file is served, in which case
    /// nothing was recorded and the caller must stage it.
    pub fn keep(&self, rel: &str) -> Result<bool, PublishError> {
        check_rel(rel)?;
        let dest = self.root.join(rel);
        let meta = match fs::metadata(&dest) {
            Ok(m) if m.is_file() => m,
            _ => return Ok(false),
        };
        let digest = self
            .previous
            .as_ref()
            .and_then(|p| p.get(rel))
            .filter(|r| r.matches(&meta))
            .and_then(|r| r.digest);
        let listing = self.listing(rel)?;
        let wants_copies =
            self.options.precompress && compressible(rel, meta.len().try_into().unwrap_or(0));
        let (mut siblings, mut pending) = (Vec::new(), Vec::new());
        for suffix in COMPRESSED_SUFFIXES {
            if self.is_fresh_copy(&listing, rel, suffix) {
                siblings.push(suffix);
            } else if wants_copies {
                // A build without --precompress wrote it: made at the commit.
                pending.push(suffix);
                siblings.push(suffix);
            }
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = Entry {
            change: Change::Unchanged,
            siblings,
            pending,
            slot: self.next_slot.fetch_add(1, Ordering::Relaxed),
            recorded: Recorded::of(digest, &meta),
        };
        if entries.insert(rel.to_owned(), entry).is_some() {
            return Err(PublishError::Twice(rel.to_owned()));
        }
        Ok(true)
    }

    /// Keeps the served file `rel` as it is, as this build's own, if the
    /// previous build's record knows it (digest, size and time) and it has
    /// not changed since: for files whose inputs the caller knows unchanged
    /// (the static pages). Returns false, recording nothing, otherwise: the
    /// caller then stages it.
    pub fn keep_recorded(&self, rel: &str) -> Result<bool, PublishError> {
        check_rel(rel)?;
        let Some(recorded) = self.previous.as_ref().and_then(|p| p.get(rel)) else {
            return Ok(false);
        };
        let listing = self.listing(rel)?;
        if recorded.digest.is_none() || listing.kind(file_name(rel)).is_none() {
            return Ok(false);
        }
        let dest = self.root.join(rel);
        match fs::metadata(&dest) {
            Ok(meta) if meta.is_file() && recorded.matches(&meta) => {}
            _ => return Ok(false),
        }
        self.keep(rel)
    }

    /// Writes a file of the staging area: a flat folder of numbered files
    /// (no folder per folder of the site: on a loaded ext4 disk each
    /// `mkdir` and `rmdir` costs as much as writing a small file).
    fn write_staged(&self, name: &str, bytes: &[u8]) -> Result<fs::Metadata, PublishError> {
        let path = self.state.join(STAGING_DIR).join(name);
        let mut file = match File::create(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let staging = self.state.join(STAGING_DIR);
                fs::create_dir_all(&staging).map_err(io_err(&staging))?;
                File::create(&path)
            }
            other => other,
        }
        .map_err(io_err(&path))?;
        file.write_all(bytes).map_err(io_err(&path))?;
        file.metadata().map_err(io_err(&path))
    }

    /// Makes the pending compressed copies, every file on its own core, at
    /// the [`Effort`] their files' volume allows. Returns their bytes.
    fn make_copies(&self, entries: &BTreeMap<String, Entry>) -> Result<u64, PublishError> {
        let staging = self.state.join(STAGING_DIR);
        let effort = Effort::for_volume(
            entries
                .values()
                .filter(|e| !e.pending.is_empty())
                .map(|e| e.recorded.size)
                .sum(),
        );
        entries
            .par_iter()
            .filter(|(_, e)| !e.pending.is_empty())
            .map(|(rel, entry)| {
                let source = match entry.change {
                    Change::Unchanged => self.root.join(rel),
                    Change::Added | Change::Changed => staging.join(slot_name(entry.slot, "")),
                };
                let bytes = fs::read(&source).map_err(io_err(&source))?;
                entry
                    .pending
                    .par_iter()
                    .map(|suffix| {
                        let copy = compress(effort, suffix, &bytes);
                        self.write_staged(&slot_name(entry.slot, suffix), &copy)?;
                        Ok(copy.len() as u64)
                    })
                    .sum::<Result<u64, PublishError>>()
            })
            .sum()
    }

    /// The listing of the folder that holds `rel`, read on first use.
    fn listing(&self, rel: &str) -> Result<Arc<Listing>, PublishError> {
        let folder = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        let mut listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(l) = listings.get(folder) {
            return Ok(Arc::clone(l));
        }
        let path = self.root.join(folder);
        let listing = Arc::new(Listing::read(&path)?);
        listings.insert(folder.to_owned(), Arc::clone(&listing));
        Ok(listing)
    }

    /// Whether the served copy `rel{suffix}` exists and is at least as new
    /// as `rel`: then it was made from `rel` as it is (copies are always
    /// written after their file).
    fn is_fresh_copy(&self, listing: &Listing, rel: &str, suffix: &str) -> bool {
        let copy = format!("{rel}{suffix}");
        listing.kind(file_name(&copy)).is_some()
            && is_fresh_copy(&self.root.join(rel), &self.root.join(copy))
    }

    /// Flushes every staged file to the disk, in parallel, before the
    /// journal that would move them into place: a write error the kernel
    /// deferred (a full disk on a network file system) surfaces here, while
    /// nothing served has changed, and a power cut after the switch cannot
    /// leave empty files behind.
    fn sync_staged(&self) -> Result<(), PublishError> {
        let staging = self.state.join(STAGING_DIR);
        let files: Vec<PathBuf> = match fs::read_dir(&staging) {
            Ok(entries) => entries
                .map(|e| e.map(|e| e.path()))
                .collect::<Result<_, _>>()
                .map_err(io_err(&staging))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(io_err(&staging)(e)),
        };
        files.par_iter().try_for_each(|path| {
            File::open(path)
                .and_then(|f| f.sync_data())
                .map_err(io_err(path))
        })?;
        // The folder's entries too, so the names survive a power cut.
        File::open(&staging)
            .and_then(|f| f.sync_all())
            .or_else(|e| match e.kind() {
                io::ErrorKind::NotFound => Ok(()),
                _ => Err(e),
            })
            .map_err(io_err(&staging))
    }

    /// Moves every staged file into place, `last` after all others, removes
    /// the previous build's files that this one did not write, and records
    /// what it wrote.
    pub fn commit(mut self, last: &[&str]) -> Result<PublishReport, PublishError> {
        let entries = std::mem::take(self.entries.get_mut().unwrap_or_else(|e| e.into_inner()));
        let mut report = PublishReport {
            recovered: self.recovered,
            had_record: self.previous.is_some(),
            ..PublishReport::default()
        };
        for (rel, entry) in &entries {
            match entry.change {
                Change::Unchanged => report.unchanged += 1,
                Change::Added | Change::Changed => report.written.push(rel.clone()),
            }
        }
        report.bytes = self.make_copies(&entries)?
            + entries
                .values()
                .filter(|e| e.change != Change::Unchanged)
                .map(|e| e.recorded.size)
                .sum::<u64>();
        if self.options.sync {
            self.sync_staged()?;
        }
        let journal = self.plan(&entries, last)?;
        self.write_journal(&journal)?;
        self.journaled = true;
        let interrupted = |e: PublishError| PublishError::Interrupted {
            dir: self.root.clone(),
            source: Box::new(e),
        };
        let parallel = journal.parallel_moves(last);
        self.apply(&journal, parallel).map_err(interrupted)?;
        report.removed = journal
            .stale
            .iter()
            .filter(|p| !is_compressed_copy(p))
            .cloned()
            .collect();
        self.finish(&journal).map_err(interrupted)?;
        self.committed = true;
        Ok(report)
    }

    /// The commit's steps. Renames go file by file, each file's compressed
    /// copies just before it (so a copy is never staler than the file nginx
    /// would otherwise serve), and the `last` files (with their copies) after
    /// all others. Stale copies of a file that changes are removed before it.
    fn plan(
        &self,
        entries: &BTreeMap<String, Entry>,
        last: &[&str],
    ) -> Result<Journal, PublishError> {
        let mut journal = Journal::default();
        let mut late = Vec::new();
        for (rel, entry) in entries {
            journal.record.insert(rel.clone(), entry.recorded);
            let moves = if last.contains(&rel.as_str()) {
                &mut late
            } else {
                &mut journal.moves
            };
            for s in COMPRESSED_SUFFIXES {
                let copy = format!("{rel}{s}");
                if entry.siblings.contains(&s) {
                    journal.record.insert(copy.clone(), Recorded::default());
                    if entry.pending.contains(&s) {
                        moves.push((slot_name(entry.slot, s), copy));
                    }
                } else if self.listing(rel)?.kind(file_name(&copy)) == Some(Kind::File) {
                    // Stale: the file changes, or the copy is older than it.
                    journal.drop_copies.push(copy);
                }
            }
            if entry.change != Change::Unchanged {
                moves.push((slot_name(entry.slot, ""), rel.clone()));
            }
        }
        journal.moves.extend(late);
        journal.stale = match &self.previous {
            Some(previous) => previous
                .keys()
                .filter(|rel| !journal.record.contains_key(*rel))
                .cloned()
                .collect(),
            None => self.legacy_files(&journal.record)?,
        };
        Ok(journal)
    }

    /// Carries out a journal: idempotent, so that a crashed commit can be
    /// run again from its start. The first `parallel` moves go on every
    /// core, each file's (its copies, then itself) in order; the rest one by
    /// one after all of them. Each rename is atomic whichever runs first:
    /// the order that readers rely on is only a file's copies before it and
    /// the `last` files after every other.
    fn apply(&self, journal: &Journal, parallel: usize) -> Result<(), PublishError> {
        let staging = self.state.join(STAGING_DIR);
        for rel in &journal.drop_copies {
            remove_if_present(&self.root.join(rel))?;
        }
        // Every folder first, once each, then the renames.
        let folders: BTreeSet<&Path> = journal
            .moves
            .iter()
            .filter_map(|(_, rel)| Path::new(rel).parent())
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        folders.par_iter().try_for_each(|folder| {
            let path = self.root.join(folder);
            fs::create_dir_all(&path).map_err(io_err(&path))
        })?;
        let move_one = |(name, rel): &(String, String)| {
            let from = staging.join(name);
            let to = self.root.join(rel);
            match fs::rename(&from, &to) {
                Ok(()) => Ok(()),
                // Already moved by the interrupted run (every folder exists).
                Err(e) if e.kind() == io::ErrorKind::NotFound && !from.exists() => Ok(()),
                Err(e) => Err(io_err(&to)(e)),
            }
        };
        let (early, late) = journal.moves.split_at(parallel.min(journal.moves.len()));
        early
            .chunk_by(|(_, a), (_, b)| copy_base(a) == copy_base(b))
            .collect::<Vec<_>>()
            .par_iter()
            .try_for_each(|file| file.iter().try_for_each(move_one))?;
        late.iter().try_for_each(move_one)?;
        for rel in &journal.stale {
            let path = self.root.join(rel);
            remove_if_present(&path)?;
            if !is_compressed_copy(rel) {
                for s in COMPRESSED_SUFFIXES {
                    remove_if_present(&self.root.join(format!("{rel}{s}")))?;
                }
            }
            self.remove_empty_parents(&path);
        }
        Ok(())
    }

    /// Writes the record, then drops the journal and the staging area.
    fn finish(&self, journal: &Journal) -> Result<(), PublishError> {
        let mut text = String::from(RECORD_HEADER);
        text.push('\n');
        for (rel, recorded) in &journal.record {
            text.push_str(&recorded.to_line(rel));
            text.push('\n');
        }
        write_atomically(
            &self.state.join(RECORD_FILE),
            text.as_bytes(),
            self.options.sync,
        )?;
        let path = self.state.join(JOURNAL_FILE);
        remove_if_present(&path)?;
        let staging = self.state.join(STAGING_DIR);
        match fs::remove_dir_all(&staging) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err(&staging)(e)),
        }
    }

    fn write_journal(&self, journal: &Journal) -> Result<(), PublishError> {
        let mut text = String::from(JOURNAL_HEADER);
        text.push('\n');
        for rel in &journal.drop_copies {
            text.push_str("d ");
            text.push_str(rel);
            text.push('\n');
        }
        for (name, rel) in &journal.moves {
            text.push_str("m ");
            text.push_str(name);
            text.push(' ');
            text.push_str(rel);
            text.push('\n');
        }
        for rel in &journal.stale {
            text.push_str("s ");
            text.push_str(rel);
            text.push('\n');
        }
        for (rel, recorded) in &journal.record {
            text.push_str("r ");
            text.push_str(&recorded.to_line(rel));
            text.push('\n');
        }
        write_atomically(
            &self.state.join(JOURNAL_FILE),
            text.as_bytes(),
            self.options.sync,
        )
    }

    /// Finishes a commit a crash interrupted, or discards what a failed
    /// build staged. Returns whether a commit was finished.
    fn recover(&self) -> Result<bool, PublishError> {
        let path = self.state.join(JOURNAL_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_err(&path)(e)),
        };
        let journal = text.as_deref().and_then(Journal::parse);
        match journal {
            Some(journal) => {
                // Which moves were the `last` files' is not written down:
                // one by one, in the journal's order.
                self.apply(&journal, 0)?;
                self.finish(&journal)?;
                Ok(true)
            }
            None => {
                // No journal (or a torn one, which means no rename had
                // started): nothing staged was ever served.
                remove_if_present(&path)?;
                let staging = self.state.join(STAGING_DIR);
                match fs::remove_dir_all(&staging) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(io_err(&staging)(e)),
                }
                Ok(false)
            }
        }
    }

    fn read_record(&self) -> Result<Option<BTreeMap<String, Recorded>>, PublishError> {
        let path = self.state.join(RECORD_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => Ok(Some(
                text.lines()
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .filter_map(Recorded::parse)
                    .collect(),
            )),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    /// Existing files that the legacy rule claims and this build did not write.
    fn legacy_files(
        &self,
        record: &BTreeMap<String, Recorded>,
    ) -> Result<Vec<String>, PublishError> {
        let adopted = self.adopted.lock().unwrap_or_else(|e| e.into_inner());
        let mut found: Vec<String> = adopted
            .iter()
            .filter(|rel| !record.contains_key(*rel) && self.root.join(rel).is_file())
            .cloned()
            .collect();
        let Some(claim) = self.options.legacy else {
            return Ok(found);
        };
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let entries = match fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_err(&dir)(e)),
            };
            for entry in entries {
                let entry = entry.map_err(io_err(&dir))?;
                let path = entry.path();
                let Ok(rel) = path.strip_prefix(&self.root) else {
                    continue;
                };
                let Some(rel) = rel.to_str().map(|r| r.replace('\\', "/")) else {
                    continue;
                };
                if rel == STATE_DIR {
                    continue;
                }
                let ty = entry.file_type().map_err(io_err(&path))?;
                if ty.is_dir() {
                    stack.push(path);
                } else if ty.is_file()
                    && !record.contains_key(&rel)
                    && !adopted.contains(&rel)
                    && claim(&rel)
                {
                    found.push(rel);
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// Removes the folders that removing `path` left empty, up to the root.
    fn remove_empty_parents(&self, path: &Path) {
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.root || !d.starts_with(&self.root) {
                break;
            }
            // Fails (and stops) at the first folder that is not empty.
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

impl Drop for Publication {
    /// A publication that failed before its commit began leaves nothing
    /// staged behind; one that failed during it leaves the journal and the
    /// staged files for the next build to finish.
    fn drop(&mut self) {
        if !self.committed && !self.journaled {
            let _ = fs::remove_dir_all(self.state.join(STAGING_DIR));
        }
    }
}

/// The renames and removals of one commit, written down before the first.
#[derive(Debug, Default, PartialEq, Eq)]
struct Journal {
    drop_copies: Vec<String>,
    /// (name in the staging area, path in the folder)
    moves: Vec<(String, String)>,
    stale: Vec<String>,
    record: BTreeMap<String, Recorded>,
}

impl Journal {
    /// How many moves, from the first, may go in any order: all but the
    /// `last` files' (with their copies), which close the journal.
    fn parallel_moves(&self, last: &[&str]) -> usize {
        let late = self
            .moves
            .iter()
            .rev()
            .take_while(|(_, rel)| last.contains(&copy_base(rel)))
            .count();
        self.moves.len() - late
    }

    fn parse(text: &str) -> Option<Journal> {
        let mut lines = text.lines();
        if lines.next()? != JOURNAL_HEADER {
            return None;
        }
        let mut journal = Journal::default();
        for line in lines {
            let (tag, rest) = line.split_once(' ')?;
            if tag == "r" {
                let (rel, recorded) = Recorded::parse(rest)?;
                journal.record.insert(rel, recorded);
                continue;
            }
            let (name, rel) = match tag {
                "m" => rest.split_once(' ')?,
                _ => ("", rest),
            };
            check_rel(rel).ok()?;
            let rel = rel.to_owned();
            match tag {
                "d" => journal.drop_copies.push(rel),
                "m" if is_slot_name(name) => journal.moves.push((name.to_owned(), rel)),
                "s" => journal.stale.push(rel),
                _ => return None,
            }
        }
        Some(journal)
    }
}

/// What a folder's entry is, as its listing says (no `stat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    /// A folder, a symbolic link or anything else: [`Publication::stage`]
    /// looks at it with `stat`.
    Other,
}

/// The names in one folder of the served tree when the build first looked.
/// Nothing but the build's commit writes there while it holds the lock, so
/// a name missing here is a file the build adds.
#[derive(Debug, Default)]
struct Listing(HashMap<String, Kind>);

impl Listing {
    /// Reads `dir`; a folder that does not exist is empty.
    fn read(dir: &Path) -> Result<Listing, PublishError> {
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Listing::default()),
            Err(e) => return Err(io_err(dir)(e)),
        };
        let mut names = HashMap::new();
        for entry in entries {
            let entry = entry.map_err(io_err(dir))?;
            let kind = match entry.file_type() {
                Ok(t) if t.is_file() => Kind::File,
                _ => Kind::Other,
            };
            // A name that is not UTF-8 is never one the build writes.
            if let Ok(name) = entry.file_name().into_string() {
                names.insert(name, kind);
            }
        }
        Ok(Listing(names))
    }

    fn kind(&self, name: &str) -> Option<Kind> {
        self.0.get(name).copied()
    }
}

/// The file that `rel` is a compressed copy of, or `rel` itself.
fn copy_base(rel: &str) -> &str {
    COMPRESSED_SUFFIXES
        .iter()
        .find_map(|s| rel.strip_suffix(s))
        .unwrap_or(rel)
}

/// The last segment of a relative path.
fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, name)| name)
}

/// The staging area's name for slot `n` (hex), and for its copies.
fn slot_name(slot: usize, suffix: &str) -> String {
    format!("{slot:x}{suffix}")
}

/// Whether a journal names a file of the staging area.
fn is_slot_name(name: &str) -> bool {
    let hex = COMPRESSED_SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Writes a small file through a temporary name and a rename; with `sync`,
/// flushed first (on ext4 that flush also commits every rename before it,
/// which takes a second after thousands of them: only when asked).
fn write_atomically(path: &Path, bytes: &[u8], sync: bool) -> Result<(), PublishError> {
    let tmp = path.with_extension("tmp");
    let mut file = File::create(&tmp).map_err(io_err(&tmp))?;
    file.write_all(bytes).map_err(io_err(&tmp))?;
    if sync {
        file.sync_data().map_err(io_err(&tmp))?;
    }
    fs::rename(&tmp, path).map_err(io_err(path))
}

fn remove_if_present(path: &Path) -> Result<(), PublishError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// A relative, `/`-separated path without `.`/`..` segments, outside the
/// state folder.
fn check_rel(rel: &str) -> Result<(), PublishError> {
    let bad = rel.is_empty()
        || rel.starts_with('/')
        || rel.contains('\\')
        || rel.contains(['\0', '\n', '\r'])
        || rel
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..")
        || rel.split('/').next() == Some(STATE_DIR);
    if bad {
        Err(PublishError::BadPath(rel.to_owned()))
    } else {
        Ok(())
    }
}

/// Whether `copy` is at least as new as `file` (both exist).
fn is_fresh_copy(file: &Path, copy: &Path) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(file), modified(copy)) {
        (Some(f), Some(c)) => c >= f,
        _ => false,
    }
}

/// `x.gz` or `x.br`.
pub fn is_compressed_copy(rel: &str) -> bool {
    COMPRESSED_SUFFIXES.iter().any(|s| rel.ends_with(s))
}

/// Whether a file is worth precompressing: text formats (and the search
/// index's binary files, which are mostly small integers) of at least
/// [`PRECOMPRESS_MIN_BYTES`], as `scripts/build-site` chose them.
pub fn compressible(rel: &str, len: usize) -> bool {
    const TEXT: [&str; 10] = [
        ".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".atom", ".bin", ".wasm",
    ];
    len >= PRECOMPRESS_MIN_BYTES && TEXT.iter().any(|ext| rel.ends_with(ext))
}

/// How hard a commit compresses its copies, chosen by their volume
/// ([`Effort::for_volume`]): brotli's best quality costs about a second of
/// CPU a megabyte, so a fresh build of a large site (10,000 notices: 141 MB
/// of bundle, 710 MB of static pages) takes a fast level, and a small site
/// or a rebuild that wrote a few files the best (figures: bench/README.md,
/// "Build at scale").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// brotli quality 11, gzip level 9.
    Best,
    /// brotli quality 5, gzip level 6: on these small JSON and HTML files
    /// within a few per cent of quality 9's size, many times faster.
    Fast,
}

/// Most bytes of files a commit compresses at [`Effort::Best`].
pub const BEST_EFFORT_MAX_BYTES: u64 = 4 << 20;

impl Effort {
    /// Every effort.
    pub const ALL: [Effort; 2] = [Effort::Best, Effort::Fast];

    /// The effort for copies of `bytes` bytes of files in all.
    pub fn for_volume(bytes: u64) -> Effort {
        if bytes <= BEST_EFFORT_MAX_BYTES {
            Effort::Best
        } else {
            Effort::Fast
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Effort::Best => "best",
            Effort::Fast => "fast",
        }
    }

    /// brotli's quality.
    pub fn brotli_quality(self) -> i32 {
        match self {
            Effort::Best => 11,
            Effort::Fast => 5,
        }
    }

    /// gzip's level.
    pub fn gzip_level(self) -> u32 {
        match self {
            Effort::Best => 9,
            Effort::Fast => 6,
        }
    }
}

impl std::str::FromStr for Effort {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Effort::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| format!("unknown compression effort {s:?} (best, fast)"))
    }
}

/// gzip or brotli by `suffix`, at `effort`.
fn compress(effort: Effort, suffix: &str, bytes: &[u8]) -> Vec<u8> {
    if suffix == ".gz" {
        let mut enc = flate2::write::GzEncoder::new(
            Vec::with_capacity(bytes.len() / 3),
            flate2::Compression::new(effort.gzip_level()),
        );
        enc.write_all(bytes)
            .expect("writing into a Vec cannot fail");
        enc.finish().expect("writing into a Vec cannot fail")
    } else {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        let params = brotli::enc::BrotliEncoderParams {
            quality: effort.brotli_quality(),
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
            .expect("compressing from a slice into a Vec cannot fail");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// A fresh folder under the system's temporary folder.
    fn tmp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gongkai-publish-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn put(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn read(root: &Path, rel: &str) -> Option<String> {
        fs::read_to_string(root.join(rel)).ok()
    }

    fn publish(root: &Path, opts: PublishOptions, files: &[(&str, &str)]) -> PublishReport {
        let p = Publication::begin(root, opts).unwrap();
        for (rel, text) in files {
            p.stage(rel, text.as_bytes()).unwrap();
        }
        p.commit(&["manifest.json"]).unwrap()
    }

    #[test]
    fn writes_new_and_changed_files_and_leaves_identical_ones() {
        let root = tmp("write");
        let r = publish(
            &root,
            PublishOptions::default(),
            &[("a.json", "1"), ("d/b.json", "2")],
        );
        assert_eq!(r.written, ["a.json", "d/b.json"]);
        let before = fs::metadata(root.join("a.json"))
            .unwrap()
            .modified()
            .unwrap();
        let r = publish(
            &root,
            PublishOptions::default(),
            &[("a.json", "1"), ("d/b.json", "3")],
        );
        assert_eq!(r.written, ["d/b.json"]);
        assert_eq!(r.unchanged, 1);
        assert_eq!(read(&root, "d/b.json").as_deref(), Some("3"));
        let after = fs::metadata(root.join("a.json"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after, "an identical file is not rewritten");
        assert!(!root.join(STATE_DIR).join(STAGING_DIR).exists());
    }

    // Issue 15, fault 5: a build that failed left a mixed bundle.
    #[test]
    fn a_build_that_fails_before_its_commit_changes_nothing_served() {
        let root = tmp("fail");
        publish(
            &root,
            PublishOptions::default(),
            &[("a.json", "old"), ("manifest.json", "m1")],
        );
        {
            let p = Publication::begin(&root, PublishOptions::default()).unwrap();
            p.stage("a.json", b"new").unwrap();
            p.stage("c.json", b"added").unwrap();
            // ... and then the build fails: the publication is dropped.
        }
        assert_eq!(read(&root, "a.json").as_deref(), Some("old"));
        assert_eq!(read(&root, "c.json"), None);
        assert_eq!(read(&root, "manifest.json").as_deref(), Some("m1"));
        assert!(!root.join(STATE_DIR).join(STAGING_DIR).exists());
    }

    // Issue 15, fault 4: cleanup deleted a portal's own files.
    #[test]
    fn removes_only_what_the_previous_build_wrote() {
        let root = tmp("own");
        publish(
            &root,
            PublishOptions::default(),
            &[("x/a.json", "1"), ("x/b.json", "2")],
        );
        put(&root, "x/portal.css", "body{}");
        put(&root, "y/logo.png", "png");
        let r = publish(&root, PublishOptions::default(), &[("x/a.json", "1")]);
        assert_eq!(r.removed, ["x/b.json"]);
        assert_eq!(read(&root, "x/b.json"), None);
        assert_eq!(read(&root, "x/portal.css").as_deref(), Some("body{}"));
        assert_eq!(read(&root, "y/logo.png").as_deref(), Some("png"));
        // A folder emptied by the removal goes; the root never does.
        let r = publish(&root, PublishOptions::default(), &[("z.json", "1")]);
        assert_eq!(r.removed, ["x/a.json"]);
        assert!(root.join("x").is_dir(), "x still holds portal.css");
        fs::remove_file(root.join("x/portal.css")).unwrap();
        publish(&root, PublishOptions::default(), &[("w/1.json", "1")]);
        publish(&root, PublishOptions::default(), &[]);
        assert!(!root.join("w").exists());
        assert!(root.is_dir());
    }

    #[test]
    fn a_folder_without_a_record_adopts_only_claimed_names() {
        let root = tmp("legacy");
        put(&root, "zh-Hans/items/old.json", "{}");
        put(&root, "zh-Hans/items/old.json.gz", "gz");
        put(&root, "zh-Hans/items/keep.json", "{}");
        put(&root, "search/index.html", "<p>portal</p>");
        put(&root, "files/zh-Hans/gone.pdf", "%PDF");
        put(&root, "files/zh-Hans/report-2023.pdf", "%PDF");
        fn claim(rel: &str) -> bool {
            rel.starts_with("zh-Hans/") && rel.ends_with(".json")
        }
        let opts = PublishOptions {
            legacy: Some(claim),
            ..Default::default()
        };
        let p = Publication::begin(&root, opts).unwrap();
        assert!(!p.has_record());
        p.adopt_legacy("files/zh-Hans/gone.pdf");
        p.stage("zh-Hans/items/keep.json", b"{}").unwrap();
        let r = p.commit(&[]).unwrap();
        assert_eq!(
            r.removed,
            ["files/zh-Hans/gone.pdf", "zh-Hans/items/old.json"]
        );
        assert_eq!(
            read(&root, "zh-Hans/items/old.json.gz"),
            None,
            "its copy went with it"
        );
        assert!(root.join("search/index.html").is_file());
        assert!(root.join("files/zh-Hans/report-2023.pdf").is_file());
        // From now on the record decides, and adoption does nothing.
        let p = Publication::begin(&root, opts).unwrap();
        assert!(p.has_record());
        p.adopt_legacy("search/index.html");
        assert!(p.commit(&[]).unwrap().removed == ["zh-Hans/items/keep.json"]);
        assert!(root.join("search/index.html").is_file());
    }

    fn gunzip(bytes: &[u8]) -> String {
        let mut s = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    fn unbrotli(bytes: &[u8]) -> String {
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    // Issue 15, fault 3: the old .gz/.br stayed beside a rewritten file and
    // nginx served them.
    #[test]
    fn compressed_copies_never_go_stale() {
        let root = tmp("copies");
        let v1 = "第一版".repeat(200);
        let v2 = "第二版".repeat(200);
        publish(
            &root,
            PublishOptions::default(),
            &[("manifest.json", &v1), ("static/a.html", &v1)],
        );
        // What scripts/build-site did: compress after the build.
        for rel in ["manifest.json", "static/a.html"] {
            put(&root, &format!("{rel}.gz"), "old gzip");
            put(&root, &format!("{rel}.br"), "old brotli");
        }
        // Without precompression the stale copies of changed files go...
        let r = publish(
            &root,
            PublishOptions::default(),
            &[("manifest.json", &v2), ("static/a.html", &v1)],
        );
        assert_eq!(r.written, ["manifest.json"]);
        assert!(!root.join("manifest.json.gz").exists());
        assert!(!root.join("manifest.json.br").exists());
        // ... and the fresh copies of unchanged files stay.
        assert_eq!(read(&root, "static/a.html.gz").as_deref(), Some("old gzip"));
        // With it, every copy is made from the new content.
        let opts = PublishOptions {
            precompress: true,
            ..Default::default()
        };
        let v3 = "第三版".repeat(200);
        publish(
            &root,
            opts,
            &[
                ("manifest.json", &v3),
                ("static/a.html", &v3),
                ("tiny.json", "{}"),
            ],
        );
        for rel in ["manifest.json", "static/a.html"] {
            assert_eq!(
                gunzip(&fs::read(root.join(format!("{rel}.gz"))).unwrap()),
                v3
            );
            assert_eq!(
                unbrotli(&fs::read(root.join(format!("{rel}.br"))).unwrap()),
                v3
            );
        }
        assert!(
            !root.join("tiny.json.gz").exists(),
            "too small to be worth it"
        );
        // A file whose copy is older than it (left by an older gongkai that
        // rewrote the file only) gets a new copy even though it is unchanged.
        put(&root, "static/b.html", &v1);
        put(&root, "static/b.html.gz", "stale");
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        File::options()
            .write(true)
            .open(root.join("static/b.html.gz"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        publish(
            &root,
            opts,
            &[
                ("manifest.json", &v3),
                ("static/a.html", &v3),
                ("static/b.html", &v1),
            ],
        );
        assert_eq!(
            gunzip(&fs::read(root.join("static/b.html.gz")).unwrap()),
            v1
        );
        // A removed file takes its copies with it.
        let r = publish(&root, opts, &[("manifest.json", &v3)]);
        assert_eq!(r.removed, ["static/a.html", "static/b.html"]);
        assert!(!root.join("static/a.html.br").exists());
        assert!(!root.join("static").exists());
    }

    #[test]
    fn the_last_files_move_after_every_other() {
        let root = tmp("order");
        let opts = PublishOptions {
            precompress: true,
            ..Default::default()
        };
        let p = Publication::begin(&root, opts).unwrap();
        let big = "x".repeat(PRECOMPRESS_MIN_BYTES);
        for rel in ["manifest.json", "a.json", "z/z.json"] {
            p.stage(rel, big.as_bytes()).unwrap();
        }
        let entries = p.entries.lock().unwrap();
        p.make_copies(&entries).unwrap();
        let journal = p.plan(&entries, &["manifest.json"]).unwrap();
        let moved: Vec<&str> = journal.moves.iter().map(|(_, rel)| rel.as_str()).collect();
        assert_eq!(
            moved,
            [
                "a.json.gz",
                "a.json.br",
                "a.json",
                "z/z.json.gz",
                "z/z.json.br",
                "z/z.json",
                "manifest.json.gz",
                "manifest.json.br",
                "manifest.json",
            ]
        );
        // The renames go on every core, but the manifest's after them.
        assert_eq!(journal.parallel_moves(&["manifest.json"]), 6);
        assert_eq!(journal.parallel_moves(&[]), 9);
    }

    // A crash during the renames: the next build finishes them first.
    #[test]
    fn a_commit_cut_short_is_finished_by_the_next_build() {
        let root = tmp("crash");
        publish(
            &root,
            PublishOptions::default(),
            &[
                ("a.json", "1"),
                ("b.json", "1"),
                ("manifest.json", "m1"),
                ("gone.json", "x"),
            ],
        );
        let mut p = Publication::begin(&root, PublishOptions::default()).unwrap();
        for (rel, text) in [("a.json", "2"), ("b.json", "2"), ("manifest.json", "m2")] {
            p.stage(rel, text.as_bytes()).unwrap();
        }
        // What commit does up to the journal, then one rename, then a crash.
        let slot = |rel: &str| slot_name(p.entries.lock().unwrap()[rel].slot, "");
        let journal = Journal {
            drop_copies: vec![],
            moves: ["a.json", "b.json", "manifest.json"]
                .map(|rel| (slot(rel), rel.to_owned()))
                .into(),
            stale: vec!["gone.json".into()],
            record: ["a.json", "b.json", "manifest.json"]
                .map(|r| (r.to_owned(), Recorded::default()))
                .into(),
        };
        p.write_journal(&journal).unwrap();
        p.journaled = true;
        fs::rename(
            root.join(STATE_DIR).join(STAGING_DIR).join(slot("a.json")),
            root.join("a.json"),
        )
        .unwrap();
        drop(p);
        assert_eq!(
            read(&root, "manifest.json").as_deref(),
            Some("m1"),
            "crashed before the manifest"
        );
        let p = Publication::begin(&root, PublishOptions::default()).unwrap();
        assert!(p.recovered);
        for rel in ["a.json", "b.json"] {
            assert_eq!(read(&root, rel).as_deref(), Some("2"));
        }
        assert_eq!(read(&root, "manifest.json").as_deref(), Some("m2"));
        assert_eq!(read(&root, "gone.json"), None);
        assert!(p.has_record());
        assert!(p.owned_before_for_test("manifest.json"));
    }

    #[test]
    fn the_record_knows_unchanged_files_without_reading_them() {
        let root = tmp("digests");
        publish(
            &root,
            PublishOptions::default(),
            &[("a.json", "same"), ("b.json", "one")],
        );
        let record = fs::read_to_string(root.join(STATE_DIR).join(RECORD_FILE)).unwrap();
        let line = record.lines().find(|l| l.ends_with(" a.json")).unwrap();
        assert_eq!(line, Recorded::parse(line).unwrap().1.to_line("a.json"));
        assert!(
            line.starts_with(&format!("{:032x} 4 ", digest(b"same"))),
            "{line}"
        );
        // Someone edits a.json by hand, same size, and puts its time back:
        // the record vouches for it, so the build trusts it. (A real edit
        // moves the time: then the file is read and compared.)
        let path = root.join("a.json");
        let time = fs::metadata(&path).unwrap().modified().unwrap();
        fs::write(&path, "SAME").unwrap();
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(time)
            .unwrap();
        let p = Publication::begin(&root, PublishOptions::default()).unwrap();
        assert_eq!(
            p.stage("a.json", b"same").unwrap().change,
            Change::Unchanged
        );
        drop(p);
        // With its time moved, it is read, compared and replaced.
        fs::write(&path, "SAME").unwrap();
        let p = Publication::begin(&root, PublishOptions::default()).unwrap();
        let staged = p.stage("a.json", b"same").unwrap();
        assert_eq!(
            staged,
            Staged {
                change: Change::Changed,
                digest: digest(b"same")
            }
        );
        p.stage("b.json", b"one").unwrap();
        p.commit(&[]).unwrap();
        assert_eq!(read(&root, "a.json").as_deref(), Some("same"));
    }

    // Issue 21: the static pages are kept unread when their inputs did not
    // change; a page edited since the record, or one the record does not
    // know, must be staged again instead.
    #[test]
    fn only_recorded_untouched_files_are_kept_unread() {
        let root = tmp("keep-recorded");
        let page = "<p>".repeat(200);
        publish(
            &root,
            PublishOptions::default(),
            &[("static/a.html", &page), ("static/b.html", &page)],
        );
        put(&root, "static/c.html", "a portal's own");
        fs::write(root.join("static/b.html"), "edited").unwrap();
        let opts = PublishOptions {
            precompress: true,
            ..PublishOptions::default()
        };
        let p = Publication::begin(&root, opts).unwrap();
        assert!(p.keep_recorded("static/a.html").unwrap());
        assert!(!p.keep_recorded("static/b.html").unwrap());
        assert!(!p.keep_recorded("static/c.html").unwrap());
        assert!(!p.keep_recorded("static/d.html").unwrap());
        p.stage("static/b.html", page.as_bytes()).unwrap();
        let report = p.commit(&[]).unwrap();
        assert_eq!(report.written, ["static/b.html"]);
        assert_eq!(report.unchanged, 1);
        // Kept by a build with --precompress: its copies are made.
        assert_eq!(
            unbrotli(&fs::read(root.join("static/a.html.br")).unwrap()),
            page
        );
        assert_eq!(read(&root, "static/b.html").as_deref(), Some(&page[..]));
    }

    #[test]
    fn large_volumes_are_compressed_fast() {
        assert_eq!(Effort::for_volume(0), Effort::Best);
        assert_eq!(Effort::for_volume(BEST_EFFORT_MAX_BYTES), Effort::Best);
        assert_eq!(Effort::for_volume(BEST_EFFORT_MAX_BYTES + 1), Effort::Fast);
        for e in Effort::ALL {
            assert_eq!(e.as_str().parse::<Effort>(), Ok(e));
            let text = "政府信息公开".repeat(100);
            assert_eq!(unbrotli(&compress(e, ".br", text.as_bytes())), text);
            assert_eq!(gunzip(&compress(e, ".gz", text.as_bytes())), text);
        }
        assert!("max".parse::<Effort>().is_err());
    }

    #[test]
    fn a_record_of_bare_paths_from_an_earlier_gongkai_still_counts() {
        let root = tmp("old-record");
        put(&root, "a.json", "1");
        put(&root, "gone.json", "2");
        put(
            &root,
            &format!("{STATE_DIR}/{RECORD_FILE}"),
            "# old\na.json\ngone.json\n",
        );
        let r = publish(&root, PublishOptions::default(), &[("a.json", "1")]);
        assert!(r.had_record);
        assert_eq!(r.removed, ["gone.json"]);
        assert_eq!(r.unchanged, 1);
    }

    #[test]
    fn synced_publications_flush_every_staged_file() {
        let root = tmp("sync");
        let opts = PublishOptions {
            sync: true,
            precompress: true,
            ..Default::default()
        };
        let big = "同步".repeat(200);
        let r = publish(&root, opts, &[("a.json", &big), ("d/b.json", "2")]);
        assert_eq!(r.written, ["a.json", "d/b.json"]);
        assert!(root.join("a.json.br").is_file());
    }

    #[test]
    fn one_build_at_a_time() {
        let root = tmp("lock");
        let first = Publication::begin(&root, PublishOptions::default()).unwrap();
        let err = Publication::begin(&root, PublishOptions::default()).unwrap_err();
        assert!(matches!(err, PublishError::Busy { .. }), "{err}");
        assert!(
            err.to_string().contains("another gongkai build is writing"),
            "{err}"
        );
        drop(first);
        Publication::begin(&root, PublishOptions::default()).unwrap();
    }

    #[test]
    fn refuses_paths_outside_the_folder_and_things_in_the_way() {
        let root = tmp("paths");
        let p = Publication::begin(&root, PublishOptions::default()).unwrap();
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            ".gongkai/files",
            "a\\b",
            "a\nb",
            "./a",
        ] {
            assert!(
                matches!(p.stage(bad, b"x"), Err(PublishError::BadPath(_))),
                "{bad:?}"
            );
        }
        fs::create_dir_all(root.join("dir.json")).unwrap();
        let err = p.stage("dir.json", b"x").unwrap_err();
        assert!(matches!(err, PublishError::NotAFile(_)), "{err}");
        p.stage("a.json", b"x").unwrap();
        assert!(matches!(
            p.stage("a.json", b"y"),
            Err(PublishError::Twice(_))
        ));
    }

    #[test]
    fn a_torn_journal_means_nothing_was_moved() {
        assert_eq!(Journal::parse("garbage"), None);
        assert_eq!(Journal::parse(&format!("{JOURNAL_HEADER}\nm ../x\n")), None);
        assert_eq!(
            Journal::parse(&format!("{JOURNAL_HEADER}\nm ../x a.json\n")),
            None
        );
        let j =
            Journal::parse(&format!("{JOURNAL_HEADER}\nm 1f.gz a b.json\nr a b.json\n")).unwrap();
        assert_eq!(j.moves, [("1f.gz".to_owned(), "a b.json".to_owned())]);
    }
}
