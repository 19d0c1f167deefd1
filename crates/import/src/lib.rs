#![forbid(unsafe_code)]
//! `gongkai import`: a county's existing notices into a gongkai feed, so a
//! department can switch without retyping (docs/import.md).
//!
//! Three sources, each read into [`record::Record`]s:
//! - a 政府信息公开目录 spreadsheet or CSV ([`catalog`]), with bodies joined
//!   from a directory ([`bodies`]);
//! - Word 公文 in the GB/T 9704 layout ([`docx`], [`gongwen`]);
//! - pages saved from the current site ([`page`]): 博达 VSB, 拓尔思 TRS,
//!   大汉 Hanweb, the seed page's layout, or the main text of anything else.
//!
//! [`assemble::assemble`] turns records into a feed that passes
//! `gongkai_core::validate::check`, merging duplicates and, with `--merge`,
//! an existing feed; every row or page not imported is listed with its file,
//! row or line, and reason. For saved pages, [`files::move_files`] first
//! copies the old site's files to the new one and relinks them, and
//! [`redirects`] maps the old URLs to the new. Native only: the app never
//! depends on this crate.

pub mod assemble;
pub mod bodies;
pub mod catalog;
pub mod dates;
pub mod docx;
pub mod fields;
pub mod files;
pub mod gongwen;
pub mod html;
pub mod mapping;
pub mod ods;
pub mod page;
pub mod pdf;
pub mod record;
pub mod redirects;
pub mod text;

use bodies::{extension, BodyIndex, Loader};
use gongkai_core::feed::Feed;
use page::Layout;
use rayon::prelude::*;
use record::{Origin, Problem, Record};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Progress of a long import (the CLI draws a bar with it).
pub trait Progress: Sync {
    /// Work of `len` units (`what`: rows, pages, files) begins.
    fn start(&self, len: u64, what: &str);
    /// One unit is done.
    fn tick(&self);
    /// All done.
    fn finish(&self);
}

/// No progress display.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64, _: &str) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// Any single input file larger than this is refused (pages, documents).
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// Reads the mapping file.
pub fn read_mapping(path: &Path) -> Result<mapping::Mapping, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    mapping::Mapping::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads the feed to merge into; it must pass `gongkai check`.
pub fn read_feed(path: &Path) -> Result<Feed, String> {
    let json = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let report = gongkai_core::validate::check(&json);
    match report.feed {
        Some(f) if report.is_ok() => Ok(f),
        _ => {
            let first: Vec<String> = report
                .errors
                .iter()
                .take(3)
                .map(ToString::to_string)
                .collect();
            Err(format!(
                "{} does not pass `gongkai check` ({} errors; first: {}): fix it before merging into it",
                path.display(),
                report.errors.len(),
                first.join("; ")
            ))
        }
    }
}

/// Writes a feed as pretty JSON, through a temporary file and a rename so
/// that a failed write never leaves half a feed.
pub fn write_feed(path: &Path, feed: &Feed) -> Result<(), String> {
    let mut json = serde_json::to_string_pretty(feed)
        .map_err(|e| format!("cannot serialise the feed: {e}"))?;
    json.push('\n');
    write_atomic(path, json.as_bytes())
}

/// Writes a file through a temporary file beside it and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// What reading a source gave: records, and lines for the report.
#[derive(Debug, Default)]
pub struct Read {
    /// Records to assemble.
    pub records: Vec<Record>,
    /// Rows, pages or files that could not be read at all.
    pub problems: Vec<Problem>,
    /// Remarks about the source as a whole.
    pub notes: Vec<Problem>,
    /// Pages by layout (html import).
    pub layouts: BTreeMap<Layout, usize>,
    /// Units looked at (rows, files, pages).
    pub seen: usize,
}

/// `gongkai import catalog`: the rows of a catalogue, bodies joined from
/// `bodies` when given.
pub fn read_catalog(
    file: &Path,
    sheet: Option<&str>,
    bodies: Option<&Path>,
    map: &mapping::Mapping,
    loader: &Loader<'_>,
    progress: &dyn Progress,
) -> Result<Read, String> {
    let table = catalog::read(
        file,
        &catalog::ReadOptions {
            sheet: sheet.map(str::to_owned),
        },
        map,
    )?;
    let index = match bodies {
        Some(dir) => Some(BodyIndex::scan(dir)?),
        None => None,
    };
    let (records, empty) =
        catalog::records(&table, file, index.as_ref().map(|i| (i, loader)), progress);
    let mut notes = catalog::table_notes(&table, file, empty);
    if let Some(i) = &index {
        let used = records.iter().filter(|r| r.body.is_some()).count();
        notes.push(Problem {
            origin: Origin::file(&i.dir),
            reason: format!(
                "{} body file(s) found; {used} of {} rows have a body from one",
                i.count,
                records.len()
            ),
        });
    }
    Ok(Read {
        seen: records.len(),
        records,
        notes,
        ..Default::default()
    })
}

/// `gongkai import docx`: one notice a document.
pub fn read_documents(files: &[PathBuf], loader: &Loader<'_>, progress: &dyn Progress) -> Read {
    let (records, problems) = read_each(files, "files", progress, |f| read_document(f, loader));
    Read {
        seen: files.len(),
        records,
        problems,
        ..Default::default()
    }
}

/// Reads each file on every core, with progress; a failure is a problem
/// naming the file.
fn read_each<T: Send>(
    files: &[PathBuf],
    what: &str,
    progress: &dyn Progress,
    read: impl Fn(&Path) -> Result<T, String> + Sync,
) -> (Vec<T>, Vec<Problem>) {
    progress.start(files.len() as u64, what);
    let results: Vec<Result<T, Problem>> = files
        .par_iter()
        .map(|f| {
            let r = read(f).map_err(|reason| Problem {
                origin: Origin::file(f),
                reason,
            });
            progress.tick();
            r
        })
        .collect();
    progress.finish();
    let mut ok = Vec::new();
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(t) => ok.push(t),
            Err(p) => problems.push(p),
        }
    }
    (ok, problems)
}

fn read_document(file: &Path, loader: &Loader<'_>) -> Result<Record, String> {
    catalog::check_size(file, MAX_FILE_BYTES)?;
    let ext = extension(file).unwrap_or_default();
    if !matches!(ext.as_str(), "docx" | "doc" | "wps") {
        return Err(format!(
            "not a Word document (.{ext}): give .docx, .doc or .wps files"
        ));
    }
    let loaded = loader.load(file)?;
    let g = loaded.gongwen.clone().unwrap_or_default();
    let mut r = Record {
        origin: Some(Origin::file(file)),
        index_no: g.index_no.clone(),
        doc_no: g.doc_no.clone(),
        publisher: g.issuer.clone().or(g.signature.clone()),
        written: g.written.clone(),
        published: g.written.clone(),
        body: Some(loaded.html.clone()),
        attachments: loaded.images.clone(),
        notes: loaded.notes.clone(),
        ..Default::default()
    };
    r.title = match g.title {
        Some(t) => Some(t),
        None => {
            let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
            if stem.is_some() {
                r.notes
                    .push("no 标题 found in the document: the file name stands in".to_owned());
            }
            stem
        }
    };
    if r.written.is_none() {
        r.errors.push("no 成文日期 found (a line such as 2023年7月14日 after the 署名): the notice has no date".to_owned());
    }
    Ok(r)
}

/// Page file extensions a mirror holds.
pub const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "shtml", "xhtml"];

/// `gongkai import html`: the pages under `dir`, saved from `base`.
pub fn read_pages(dir: &Path, base: &url::Url, progress: &dyn Progress) -> Result<Read, String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in entries.flatten() {
            let p = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(_) if extension(&p).is_some_and(|e| PAGE_EXTENSIONS.contains(&e.as_str())) => {
                    files.push(p)
                }
                _ => {}
            }
        }
    }
    if files.is_empty() {
        return Err(format!(
            "{}: no saved pages (.html, .htm, .shtml) found",
            dir.display()
        ));
    }
    files.sort();
    let (pages, problems) = read_each(&files, "pages", progress, |f| read_one_page(f, dir, base));
    let mut read = Read {
        seen: files.len(),
        problems,
        ..Default::default()
    };
    for p in pages {
        *read.layouts.entry(p.layout).or_default() += 1;
        read.records.push(p.record);
    }
    Ok(read)
}

fn read_one_page(file: &Path, root: &Path, base: &url::Url) -> Result<page::PageRecord, String> {
    catalog::check_size(file, MAX_FILE_BYTES)?;
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read: {e}"))?;
    let (text, note) = page::decode_html(&bytes);
    let rel = file
        .strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .into_owned();
    let mut p = page::read_page(&text, &rel, root, base, file)?;
    if let Some(n) = note {
        p.record.notes.push(n);
    }
    Ok(p)
}
