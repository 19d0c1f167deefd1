//! `gongkai import`: arguments (parsed with `lexopt`: the subcommands have a
//! dozen options between them), the progress bar, the report, and the files
//! written. The work is `gongkai_import`'s (crates/import); docs/import.md
//! is the guide.

use gongkai_import::assemble::{assemble, base_feed, check_prefix, Options, Report};
use gongkai_import::bodies::{find_soffice, pdf_in_process, Loader, MediaDir};
use gongkai_import::files::{move_files, Moved};
use gongkai_import::record::Problem;
use gongkai_import::{mapping::Mapping, redirects, Progress, Read};
use indicatif::{ProgressBar, ProgressStyle};
use lexopt::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Instant;

/// What is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A 政府信息公开目录 spreadsheet or CSV.
    Catalog,
    /// Word 公文.
    Docx,
    /// Saved pages of the current site.
    Html,
}

impl Source {
    /// The subcommand's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Catalog => "catalog",
            Source::Docx => "docx",
            Source::Html => "html",
        }
    }
}

impl FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Source::Catalog, Source::Docx, Source::Html]
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("import: unknown source {s:?}: expected catalog, docx or html"))
    }
}

/// `gongkai import …` as parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportArgs {
    /// What to import; `None` for the internal `pdf-text`.
    pub source: Option<Source>,
    /// The input files (one catalogue, documents, or one directory).
    pub inputs: Vec<PathBuf>,
    /// `--out FEED.json`.
    pub out: PathBuf,
    /// `--merge FEED.json`.
    pub merge: Option<PathBuf>,
    /// `--map MAP.toml`.
    pub map: Option<PathBuf>,
    /// `--sheet NAME`.
    pub sheet: Option<String>,
    /// `--bodies DIR`.
    pub bodies: Option<PathBuf>,
    /// `--base-url URL`.
    pub base_url: Option<String>,
    /// `--site-url URL`: the new site's root, for the redirect targets.
    pub site_url: String,
    /// `--redirects FILE.map`.
    pub redirects: Option<PathBuf>,
    /// `--index-prefix CODE`.
    pub index_prefix: Option<String>,
    /// `--column ID`.
    pub column: Option<String>,
    /// `--files DIR` (also `--media DIR`): the new site's files folder.
    pub files: Option<PathBuf>,
    /// `--files-url URL` (also `--media-url URL`): where DIR is served.
    pub files_url: Option<String>,
}

/// Parses the arguments after `import`; `Err` is a usage message.
pub fn parse(args: &[String]) -> Result<ImportArgs, String> {
    let mut p = lexopt::Parser::from_args(args.iter().cloned());
    let mut a = ImportArgs {
        site_url: "/".to_owned(),
        ..Default::default()
    };
    let mut out = None;
    let mut source_seen = false;
    let mut internal_pdf = false;
    let e = |e: lexopt::Error| format!("import: {e}");
    while let Some(arg) = p.next().map_err(e)? {
        let path = |p: &mut lexopt::Parser| -> Result<PathBuf, String> {
            p.value().map(PathBuf::from).map_err(e)
        };
        let text = |p: &mut lexopt::Parser| -> Result<String, String> {
            p.value()
                .map_err(e)?
                .into_string()
                .map_err(|v| format!("import: not UTF-8: {v:?}"))
        };
        match arg {
            Long("out") | Short('o') => out = Some(path(&mut p)?),
            Long("merge") => a.merge = Some(path(&mut p)?),
            Long("map") => a.map = Some(path(&mut p)?),
            Long("sheet") => a.sheet = Some(text(&mut p)?),
            Long("bodies") => a.bodies = Some(path(&mut p)?),
            Long("base-url") => a.base_url = Some(text(&mut p)?),
            Long("site-url") => a.site_url = text(&mut p)?,
            Long("redirects") => a.redirects = Some(path(&mut p)?),
            Long("index-prefix") => a.index_prefix = Some(text(&mut p)?),
            Long("column") => a.column = Some(text(&mut p)?),
            Long("files") | Long("media") => a.files = Some(path(&mut p)?),
            Long("files-url") | Long("media-url") => a.files_url = Some(text(&mut p)?),
            Value(v) if !source_seen => {
                source_seen = true;
                let v = v
                    .into_string()
                    .map_err(|v| format!("import: not UTF-8: {v:?}"))?;
                if v == "pdf-text" {
                    internal_pdf = true;
                } else {
                    a.source = Some(v.parse()?);
                }
            }
            Value(v) => a.inputs.push(PathBuf::from(v)),
            _ => return Err(e(arg.unexpected())),
        }
    }
    if internal_pdf {
        return match a.inputs.as_slice() {
            [_] => Ok(a),
            _ => Err("import pdf-text: expected one FILE.pdf".to_owned()),
        };
    }
    let Some(source) = a.source else {
        return Err("import: missing the source: catalog, docx or html".to_owned());
    };
    let s = source.as_str();
    match (source, a.inputs.len()) {
        (_, 0) => {
            return Err(format!(
                "import {s}: missing {}",
                if source == Source::Html {
                    "DIR"
                } else {
                    "FILE"
                }
            ))
        }
        (Source::Catalog | Source::Html, n) if n > 1 => {
            return Err(format!(
                "import {s}: expected one {}, got {n}",
                if source == Source::Html {
                    "DIR"
                } else {
                    "FILE"
                }
            ))
        }
        _ => {}
    }
    a.out = out.ok_or_else(|| format!("import {s}: missing --out FEED.json"))?;
    if source == Source::Html && a.base_url.is_none() {
        return Err("import html: missing --base-url URL (the old site's address of DIR, e.g. http://www.wushan.gov.cn/)".to_owned());
    }
    if source != Source::Catalog && (a.sheet.is_some() || a.bodies.is_some()) {
        return Err(format!(
            "import {s}: --sheet and --bodies are for import catalog"
        ));
    }
    if source != Source::Html && (a.base_url.is_some() || a.redirects.is_some()) {
        return Err(format!(
            "import {s}: --base-url and --redirects are for import html"
        ));
    }
    // import html copies the old site's files by default (files_dest).
    if source != Source::Html && a.files.is_some() != a.files_url.is_some() {
        return Err(format!(
            "import {s}: --files DIR and --files-url URL go together"
        ));
    }
    if let Some(prefix) = &a.index_prefix {
        check_prefix(prefix)?;
    }
    Ok(a)
}

/// A progress bar on standard error (hidden when it is not a terminal).
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, len: u64, what: &str) {
        self.0.set_length(len);
        self.0.set_position(0);
        self.0.set_style(
            ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {what} ({{per_sec}}, {{eta}} left)"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }
    fn tick(&self) {
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// PDF text in a child process (`gongkai import pdf-text FILE`), so that a
/// damaged PDF that crashes the reader (the release build aborts on a
/// panic) costs one body, not the import.
fn pdf_in_child(path: &Path, _: &[u8]) -> Result<String, String> {
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the gongkai executable: {e}"))?;
    let out = std::process::Command::new(exe)
        .args(["import", "pdf-text"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot start the PDF reader: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let why = err
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.starts_with("note:"))
        .unwrap_or("the PDF reader stopped")
        .trim_start_matches("gongkai: ");
    Err(why.to_owned())
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("gongkai: {msg}");
    ExitCode::from(1)
}

/// Runs an import.
pub fn run(a: &ImportArgs) -> ExitCode {
    let Some(source) = a.source else {
        // The internal PDF reader.
        let file = &a.inputs[0];
        return match std::fs::read(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))
            .and_then(|b| gongkai_import::pdf::text(&b))
        {
            Ok(t) => {
                print!("{t}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    };
    let start = Instant::now();
    let mapping = match &a.map {
        Some(p) => match gongkai_import::read_mapping(p) {
            Ok(m) => m,
            Err(e) => return fail(e),
        },
        None => Mapping::default(),
    };
    let merge = match &a.merge {
        Some(p) => match gongkai_import::read_feed(p) {
            Ok(f) => Some(f),
            Err(e) => return fail(e),
        },
        None => None,
    };
    let base = match base_feed(merge, mapping.site.as_ref()) {
        Ok(f) => f,
        Err(e) => return fail(format!("import {}: {e}", source.as_str())),
    };
    let files = match files_dest(a, source, base.home_page_url.as_deref()) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let media = if source == Source::Html {
        None
    } else {
        files.clone()
    };
    let soffice = find_soffice();
    // Tests set GONGKAI_PDF_IN_PROCESS to read PDFs without a child process.
    let pdf: &gongkai_import::bodies::PdfText =
        if std::env::var_os("GONGKAI_PDF_IN_PROCESS").is_some() {
            &pdf_in_process
        } else {
            &pdf_in_child
        };
    let loader = Loader {
        pdf,
        media: media.as_ref(),
        soffice,
    };
    let bar = Bar(ProgressBar::new(0));
    let read = match source {
        Source::Catalog => gongkai_import::read_catalog(
            &a.inputs[0],
            a.sheet.as_deref(),
            a.bodies.as_deref(),
            &mapping,
            &loader,
            &bar,
        ),
        Source::Docx => Ok(gongkai_import::read_documents(&a.inputs, &loader, &bar)),
        Source::Html => match url::Url::parse(a.base_url.as_deref().unwrap_or_default()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {
                gongkai_import::read_pages(&a.inputs[0], &u, &bar)
            }
            _ => Err(format!(
                "--base-url {:?}: not an absolute http(s) URL",
                a.base_url.as_deref().unwrap_or_default()
            )),
        },
    };
    let mut read = match read {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    // The old site's files, copied to the new one with the links to them.
    let moved = match (
        source,
        &files,
        url::Url::parse(a.base_url.as_deref().unwrap_or_default()),
    ) {
        (Source::Html, Some(dest), Ok(base)) => {
            match move_files(&mut read.records, &a.inputs[0], &base, dest) {
                Ok(m) => Some((m, dest.dir.clone())),
                Err(e) => return fail(e),
            }
        }
        _ => None,
    };
    let Read {
        records,
        problems,
        notes,
        layouts,
        seen,
    } = read;
    let opts = Options {
        mapping,
        index_prefix: a.index_prefix.clone(),
        default_column: a.column.clone(),
    };
    let (feed, mut report) = match assemble(base, records, &opts) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    report.problems.splice(0..0, problems);
    report.notes.splice(0..0, notes);
    if let Err(e) = gongkai_import::write_feed(&a.out, &feed) {
        return fail(e);
    }
    let file_moves = moved
        .as_ref()
        .map(|(m, _)| m.copied.as_slice())
        .unwrap_or_default();
    let written_redirects = if source == Source::Html {
        match write_redirects(a, &report, file_moves) {
            Ok(r) => Some(r),
            Err(e) => return fail(e),
        }
    } else {
        None
    };
    let pages = PagesOutcome {
        layouts,
        moved,
        redirects: written_redirects,
    };
    print_report(a, source, &report, seen, &pages, start);
    // What `gongkai check` would say of the file written.
    match std::fs::read_to_string(&a.out) {
        Ok(json) => {
            let c = gongkai_core::validate::check(&json);
            println!(
                "check: {} errors, {} warnings in {} ({} items)",
                c.errors.len(),
                c.warnings.len(),
                a.out.display(),
                c.item_count
            );
            if !c.is_ok() {
                return ExitCode::from(1);
            }
        }
        Err(e) => return fail(format!("cannot read back {}: {e}", a.out.display())),
    }
    ExitCode::SUCCESS
}

/// The new site's files folder and its URL: `--files DIR --files-url URL`;
/// for `import html`, by default `files/` beside `--out`, served at
/// `files/` under `--site-url` when that is absolute, else under the feed's
/// `home_page_url` (attachment URLs in a feed are absolute).
fn files_dest(
    a: &ImportArgs,
    source: Source,
    home_page_url: Option<&str>,
) -> Result<Option<MediaDir>, String> {
    let s = source.as_str();
    let dir = match (&a.files, source) {
        (Some(d), _) => d.clone(),
        (None, Source::Html) => a
            .out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("files"),
        (None, _) => return Ok(None),
    };
    let slash = |u: &str| {
        if u.ends_with('/') {
            u.to_owned()
        } else {
            format!("{u}/")
        }
    };
    let url = match &a.files_url {
        Some(u) => slash(u),
        None => {
            let root = [Some(a.site_url.as_str()), home_page_url]
                .into_iter()
                .flatten()
                .find(|u| gongkai_core::validate::is_http_url(u))
                .ok_or_else(|| format!("import {s}: where will the new site serve the copied files? give --files-url URL (e.g. https://www.example.gov.cn/kjj/files/), an absolute --site-url, or a home_page_url in the feed"))?;
            format!("{}files/", slash(root))
        }
    };
    if !gongkai_core::validate::is_http_url(&url) {
        return Err(format!(
            "import {s}: --files-url {url:?}: not an absolute http(s) URL (a feed's attachment URLs are absolute)"
        ));
    }
    Ok(Some(MediaDir { dir, url }))
}

/// Writes redirects.map and redirects.csv; returns (count, map path, conflicts).
fn write_redirects(
    a: &ImportArgs,
    report: &Report,
    files: &[(String, String)],
) -> Result<(usize, PathBuf, Vec<String>), String> {
    let map_path = a.redirects.clone().unwrap_or_else(|| {
        a.out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("redirects.map")
    });
    let (list, conflicts) = redirects::build(&report.redirects, files, &a.site_url);
    gongkai_import::write_atomic(&map_path, redirects::nginx_map(&list).as_bytes())?;
    gongkai_import::write_atomic(
        &map_path.with_extension("csv"),
        redirects::csv(&list).as_bytes(),
    )?;
    Ok((list.len(), map_path, conflicts))
}

fn section(title: &str, lines: &[Problem]) {
    if lines.is_empty() {
        return;
    }
    println!("{title} ({}):", lines.len());
    for l in lines {
        println!("  {l}");
    }
}

/// What an `import html` did besides the feed, for the report.
struct PagesOutcome {
    /// Pages by layout.
    layouts: std::collections::BTreeMap<gongkai_import::page::Layout, usize>,
    /// The files copied to the new site, and its files folder.
    moved: Option<(Moved, PathBuf)>,
    /// The redirects written: count, map path, paths seen twice.
    redirects: Option<(usize, PathBuf, Vec<String>)>,
}

fn print_report(
    a: &ImportArgs,
    source: Source,
    r: &Report,
    seen: usize,
    pages: &PagesOutcome,
    start: Instant,
) {
    let unit = match source {
        Source::Catalog => "rows",
        Source::Docx => "documents",
        Source::Html => "pages",
    };
    section("not imported", &r.problems);
    section("duplicates merged", &r.duplicates);
    section("notes", &r.notes);
    if !r.updated.is_empty() {
        println!("updated ({}):", r.updated.len());
        for c in &r.updated {
            let fields: Vec<String> = c
                .fields
                .iter()
                .map(|f| format!("{} {:?} → {:?}", f.field, f.before, f.after))
                .collect();
            println!("  {} (from {}): {}", c.id, c.origin, fields.join("; "));
        }
    }
    if !r.columns_added.is_empty() {
        let cols: Vec<String> = r
            .columns_added
            .iter()
            .map(|c| format!("{} {}", c.id, c.name))
            .collect();
        println!("columns added to the site: {}", cols.join(", "));
    }
    if !r.numbered.is_empty() {
        println!("索引号 given under --index-prefix ({}):", r.numbered.len());
        for (idx, o) in &r.numbered {
            println!("  {idx}: {o}");
        }
    }
    if !pages.layouts.is_empty() {
        let l: Vec<String> = pages
            .layouts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        println!("layouts: {}", l.join(", "));
    }
    if let Some((m, dir)) = &pages.moved {
        section("files not in the mirror, kept at their old URL", &m.missing);
        println!(
            "files: {} copied to {} ({:.1} MB), {} not in the mirror",
            m.copied.len(),
            dir.display(),
            m.bytes as f64 / 1e6,
            m.missing.len()
        );
    }
    if let Some((n, path, conflicts)) = &pages.redirects {
        println!(
            "redirects: {n} written to {} and {}",
            path.display(),
            path.with_extension("csv").display()
        );
        for c in conflicts {
            println!("  same old path twice: {c}");
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let merged = a
        .merge
        .as_ref()
        .map(|m| format!(" merged into {}", m.display()))
        .unwrap_or_default();
    println!(
        "summary: {seen} {unit} read, {} imported{merged} ({} added, {} updated, {} unchanged), {} duplicates merged, {} not imported, {} notes; {:.1} s ({:.0} {unit}/s); wrote {}",
        r.added.len() + r.updated.len() + r.unchanged,
        r.added.len(),
        r.updated.len(),
        r.unchanged,
        r.duplicates.len(),
        r.problems.len(),
        r.notes.len(),
        secs,
        seen as f64 / secs.max(1e-6),
        a.out.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_import_commands() {
        let a = parse(&args("catalog 目录.xlsx --bodies b --out f.json --sheet 目录 --merge old.json --map m.toml --index-prefix kjj1 --column tzgg")).unwrap();
        assert_eq!(a.source, Some(Source::Catalog));
        assert_eq!(a.inputs, [PathBuf::from("目录.xlsx")]);
        assert_eq!(
            (a.sheet.as_deref(), a.bodies.as_deref()),
            (Some("目录"), Some(Path::new("b")))
        );
        assert_eq!(
            (a.merge.as_deref(), a.map.as_deref()),
            (Some(Path::new("old.json")), Some(Path::new("m.toml")))
        );
        assert_eq!(
            (a.index_prefix.as_deref(), a.column.as_deref()),
            (Some("kjj1"), Some("tzgg"))
        );
        let a = parse(&args("docx a.docx b.docx --out=f.json")).unwrap();
        assert_eq!(a.inputs.len(), 2);
        let a = parse(&args(
            "html site --base-url http://www.wushan.gov.cn/ -o f.json --site-url /kjj/",
        ))
        .unwrap();
        assert_eq!(
            (a.source, a.site_url.as_str()),
            (Some(Source::Html), "/kjj/")
        );
        assert_eq!(parse(&args("pdf-text a.pdf")).unwrap().source, None);
    }

    #[test]
    fn usage_errors() {
        for (a, msg) in [
            ("", "import: missing the source: catalog, docx or html"),
            ("xlsx f", "import: unknown source \"xlsx\": expected catalog, docx or html"),
            ("catalog --out f.json", "import catalog: missing FILE"),
            ("catalog a.xlsx b.xlsx --out f.json", "import catalog: expected one FILE, got 2"),
            ("catalog a.xlsx", "import catalog: missing --out FEED.json"),
            ("html d --out f.json", "import html: missing --base-url URL (the old site's address of DIR, e.g. http://www.wushan.gov.cn/)"),
            ("docx a.docx --out f --bodies b", "import docx: --sheet and --bodies are for import catalog"),
            ("docx a.docx --out f --media m", "import docx: --files DIR and --files-url URL go together"),
            ("docx a.docx --out f --files-url https://a.gov.cn/f/", "import docx: --files DIR and --files-url URL go together"),
            ("docx a.docx --out f --index-prefix kjj-1", "--index-prefix \"kjj-1\": use the organisation code of your 索引号, letters and digits only (e.g. kjj1)"),
            ("catalog a.xlsx --out f --fast", "import: invalid option '--fast'"),
        ] {
            assert_eq!(parse(&args(a)), Err(msg.to_owned()), "{a:?}");
        }
    }
}
