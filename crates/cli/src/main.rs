#![forbid(unsafe_code)]
//! `gongkai`: check a feed, build a static bundle from it, audit it against
//! the inspection indicators and gate personal data (`compliance.rs`),
//! import a site's existing notices into a feed (`import.rs`).
//!
//! Arguments are parsed by hand: two commands and one option do not need a
//! parser crate. Exit codes: 0 success (warnings allowed), 1 the feed has
//! errors or a file could not be read or written, 2 bad usage.

// mimalloc hands freed pages back to the system: glibc's malloc kept about
// half of a large build's peak RSS in its per-thread arenas after the rayon
// workers freed it (bench/README.md, "Where the memory of a fresh build goes").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod compliance;
mod docs;
mod import;
mod progress;
mod site;

use compliance::{AuditArgs, AuditFormat, PiiArgs};
use docs::DocsArgs;
use gongkai_core::build::{
    replace_gov_badge, BuildOptions, BuildSink, Bundle, FileBodies, HantVariant,
};
use gongkai_core::feed::{Feed, Item};
use gongkai_core::publish::{Publication, PublishOptions, PublishReport};
use gongkai_core::rebuild::{remove_table, write_table, Previous, TableError};
use gongkai_core::source::{Format, Span};
use gongkai_core::stage::{
    legacy_bundle_file, remove_state, stage_bundle, write_state, StagedBundle, Stager, BUNDLE_LAST,
};
use gongkai_core::subscribe::{SiteUrls, FEEDS_DIR};
use gongkai_core::validate::{check_path, Checked, Keep, Report};
use progress::Progress;
use site::SiteArgs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const USAGE: &str = "\
gongkai: check a 政府信息公开 feed and build the static bundle the app reads

Usage:
  gongkai check FEED.json              report every error and warning in the feed, and
                                       every personal number it would publish
      [--allow-pii FILE]               numbers meant to be published: lines of item id,
                                       kind and SHA-256, as the refusal prints them
  gongkai build FEED.json --out DIR    check, then write the bundle into DIR; refuses while
                                       the feed publishes a personal number (居民身份证号码,
                                       mobile, bank card) that --allow-pii does not name
      [--redact]                       mask those numbers in every output instead
      [--allow-pii FILE]               as for check
      [--gov-badge FILE]               the official 党政机关网站标识 (.svg .png .gif .jpg) in
                                       place of the stand-in (docs/compliance.md)
      [--no-hant]                      without the 繁體 variant (zh-Hant/)
      [--font FILE]                    CJK font for the PDFs (default
                                       /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,
                                       Debian fonts-noto-cjk); if missing: a warning, no PDFs
      [--no-docs]                      without the Word/PDF files (files/)
      [--site DIR]                     also write the static HTML page of every list
                                       and article into DIR/static/ (DIR holds the
                                       trunk-built index.html), DIR/sitemap.xml and
                                       DIR/robots.txt (docs/static-pages.md)
      [--site-url URL]                 the site's public root URL for canonical links,
                                       the sitemap and the subscription feeds (default:
                                       the feed's home_page_url; without either, no feeds)
      [--precompress]                  also write .gz and .br beside each text file
                                       (for nginx gzip_static / brotli_static)
      [--sync]                         flush the new files to disk before switching to
                                       them, so that even a power cut cannot leave an
                                       empty file served (slower on slow disks)
  gongkai audit FEED.json              the inspection indicators the feed shows (statutory
                                       columns, stale and blank columns, the 年报, dates,
                                       索引号, attachments); exit 1 on a 单项否决 item
      [--today YYYY-MM-DD]             the day of the audit (default: today, Beijing time)
      [--files DIR]                    the site's attachment files, to find missing ones
      [--files-url URL]                where DIR is served (default the feed's home_page_url)
      [--format text|json]             one line a finding (default), or a JSON report
  gongkai import catalog FILE --out FEED.json   a 政府信息公开目录 (.xlsx .xls .ods .csv), one row a notice
      [--sheet NAME]                   the sheet to read (default: the first with a header row)
      [--bodies DIR]                   bodies by 索引号 or file-name column: .docx .doc .wps .html .htm .txt .pdf
  gongkai import docx FILE... --out FEED.json   Word 公文 (GB/T 9704) .docx (.doc/.wps with LibreOffice)
  gongkai import html DIR --base-url URL --out FEED.json   pages saved from the current site
      [--site-url URL]                 the new site's root for the redirect map (default /)
      [--redirects FILE.map]           nginx map include (default redirects.map beside --out), and FILE.csv
    options of every import:
      [--merge FEED.json]              keep its site and items; update changed items, report each change
      [--map MAP.toml]                 header names, 栏目 → column ids, [site] of a new feed (docs/import.md)
      [--index-prefix CODE]            number notices without 索引号 as CODE/YYYY-NNNNN
      [--column ID]                    column for notices without a 栏目
      [--files DIR --files-url URL]    the new site's files folder: a .docx's images kept as attachments
                                       (else dropped with a note); for html the old site's files are
                                       copied there and relinked (default files/ beside --out, served
                                       at files/ under an absolute --site-url or home_page_url)
  gongkai help | --help | -h           show this help
  gongkai --version | -V               show the version

FEED is one JSON Feed document, or JSON Lines when its name ends in .jsonl or
.ndjson: the top-level fields on the first line, then one item a line
(diagnostics then name each item's line).

Diagnostics go to standard output, one per line, then a summary line.
`build` writes nothing when the feed has errors. It writes every new or
changed file under DIR/.gongkai/staging first and moves them into place only
when all were written (the manifest last), so a failed build leaves the
previous one serving; it removes only files the previous build recorded as
its own (DIR/.gongkai/files). The manifest's built_at is SOURCE_DATE_EPOCH
when set, else the current time.

Exit status: 0 success (warnings allowed), 1 the feed has errors, publishes a
personal number, fails a 单项否决 indicator (audit) or a file could not be read
or written, 2 bad usage.

The feed format is described in docs/feed-format.md; the compliance features
in docs/compliance.md; importing a site's existing notices in docs/import.md.";

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Version,
    Check { feed: PathBuf, pii: PiiArgs },
    Build(BuildArgs),
    Audit(AuditArgs),
    Import(import::ImportArgs),
}

/// `gongkai build`'s arguments.
#[derive(Debug, PartialEq, Eq)]
struct BuildArgs {
    feed: PathBuf,
    out: PathBuf,
    hant: HantVariant,
    docs: DocsArgs,
    site: SiteArgs,
    publish: PublishArgs,
    pii: PiiArgs,
    /// `--gov-badge FILE`.
    gov_badge: Option<PathBuf>,
}

/// `--precompress` and `--sync`: how the build's files are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct PublishArgs {
    precompress: bool,
    sync: bool,
}

/// Parses the arguments after the program name; `Err` is a usage message.
fn parse_args(args: &[String]) -> Result<Command, String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err("no command given".to_owned());
    };
    match cmd.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "--version" | "-V" | "version" => Ok(Command::Version),
        "check" => {
            let mut pii = PiiArgs::default();
            let mut feeds = Vec::new();
            let mut it = rest.iter();
            while let Some(a) = it.next() {
                if pii.parse("check", a, &mut it, false)? {
                } else if a.starts_with('-') {
                    return Err(format!("check: unknown option {a}"));
                } else {
                    feeds.push(a.clone());
                }
            }
            match &feeds[..] {
                [feed] => Ok(Command::Check {
                    feed: feed.into(),
                    pii,
                }),
                [] => Err("check: missing FEED.json".to_owned()),
                _ => Err(format!(
                    "check: expected one FEED.json, got {}",
                    feeds.join(" ")
                )),
            }
        }
        "audit" => compliance::parse_audit(rest).map(Command::Audit),
        "build" => {
            let mut feed = None;
            let mut out = None;
            let mut hant = HantVariant::Convert;
            let mut docs = DocsArgs::default();
            let mut site = SiteArgs::default();
            let mut publish = PublishArgs::default();
            let mut pii = PiiArgs::default();
            let mut gov_badge = None;
            let mut it = rest.iter();
            while let Some(a) = it.next() {
                if a == "--out" || a == "-o" {
                    match it.next() {
                        Some(d) => out = Some(PathBuf::from(d)),
                        None => return Err(format!("build: {a} needs a directory")),
                    }
                } else if let Some(d) = a.strip_prefix("--out=") {
                    out = Some(PathBuf::from(d));
                } else if a == "--gov-badge" {
                    match it.next() {
                        Some(f) => gov_badge = Some(PathBuf::from(f)),
                        None => return Err("build: --gov-badge needs a file".to_owned()),
                    }
                } else if a == "--no-hant" {
                    hant = HantVariant::Skip;
                } else if a == "--precompress" {
                    publish.precompress = true;
                } else if a == "--sync" {
                    publish.sync = true;
                } else if docs.parse(a, &mut it)?
                    || site.parse(a, &mut it)?
                    || pii.parse("build", a, &mut it, true)?
                {
                } else if a.starts_with('-') {
                    return Err(format!("build: unknown option {a}"));
                } else if feed.is_none() {
                    feed = Some(PathBuf::from(a));
                } else {
                    return Err(format!("build: unexpected argument {a}"));
                }
            }
            match (feed, out) {
                (None, _) => Err("build: missing FEED.json".to_owned()),
                (Some(_), None) => Err("build: missing --out DIR".to_owned()),
                (Some(feed), Some(out)) => Ok(Command::Build(BuildArgs {
                    feed,
                    out,
                    hant,
                    docs,
                    site,
                    publish,
                    pii,
                    gov_badge,
                })),
            }
        }
        "import" => import::parse(rest).map(Command::Import),
        other => Err(format!("unknown command {other:?}")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("gongkai {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Command::Check { feed, pii }) => run_check(&feed, &pii),
        Ok(Command::Build(args)) => run_build(&args),
        Ok(Command::Audit(args)) => run_audit(&args),
        Ok(Command::Import(args)) => import::run(&args),
        Err(msg) => {
            eprintln!("gongkai: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The feed file checked item by item, one JSON document or JSON Lines
/// (`.jsonl`, `.ndjson`; see `check_path`), its items kept without their
/// bodies; `each` sees every item whole as it is read.
fn read_checked(path: &Path, each: &mut dyn FnMut(usize, &mut Item)) -> Result<Report, ExitCode> {
    check_path(path, Format::of_path(path), Keep::NoBodies, each)
        .map(|checked| checked.report)
        .map_err(|e| {
            eprintln!("gongkai: cannot read {}: {e}", path.display());
            ExitCode::from(1)
        })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints every diagnostic and the summary line.
fn print_report(report: &Report, path: &Path) {
    for d in report.errors.iter().chain(&report.warnings) {
        println!("{d}");
    }
    println!(
        "{}, {} in {} ({})",
        plural(report.errors.len(), "error", "errors"),
        plural(report.warnings.len(), "warning", "warnings"),
        path.display(),
        plural(report.item_count, "item", "items"),
    );
}

fn run_check(path: &Path, pii: &PiiArgs) -> ExitCode {
    // Item by item: each scanned for personal numbers as it is read, none
    // kept with its body.
    let mut gate = compliance::Gate::new(pii);
    let report = match read_checked(path, &mut |i, item| gate.item(i, item)) {
        Ok(report) => report,
        Err(code) => return code,
    };
    if report.feed.is_none() {
        print_report(&report, path);
        return ExitCode::from(1);
    }
    let scan = match gate.into_scan() {
        Ok(s) => s,
        Err(Failure(msg, code)) => {
            eprintln!("gongkai: {msg}");
            return ExitCode::from(code);
        }
    };
    compliance::print_findings(&scan);
    print_report(&report, path);
    println!("{}", compliance::check_summary(&scan));
    if scan.open.is_empty() {
        ExitCode::SUCCESS
    } else {
        print!("{}", compliance::acknowledge_help(&scan));
        ExitCode::from(1)
    }
}

/// `gongkai audit`: the findings, then the summary; exit 1 on a 单项否决.
fn run_audit(args: &AuditArgs) -> ExitCode {
    // The audit reads no body: the items are kept without theirs.
    let report = match read_checked(&args.feed, &mut |_, _| {}) {
        Ok(report) => report,
        Err(code) => return code,
    };
    let Some(feed) = report.feed.as_ref().filter(|_| report.is_ok()) else {
        print_report(&report, &args.feed);
        println!("no audit: fix the errors above first");
        return ExitCode::from(1);
    };
    let today = args.today.unwrap_or_else(|| {
        compliance::beijing_day(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        )
    });
    let prefix = args
        .files_url
        .clone()
        .or_else(|| feed.home_page_url.clone());
    let files = match (&args.files, &prefix) {
        (None, _) => None,
        (Some(dir), _) if !dir.is_dir() => {
            eprintln!("gongkai: audit: --files {}: no such folder", dir.display());
            return ExitCode::from(1);
        }
        (Some(_), None) => {
            eprintln!("gongkai: audit: --files needs the URL its files are served at: give --files-url URL (the feed has no home_page_url)");
            return ExitCode::from(2);
        }
        (Some(dir), Some(prefix)) => Some((dir.as_path(), prefix.as_str())),
    };
    let audit = compliance::run_audit(feed, today, files);
    match args.format {
        AuditFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&audit.to_json()).expect("JSON values serialise")
        ),
        AuditFormat::Text => {
            for f in &audit.findings {
                println!("{f}");
            }
            let checked = if files.is_some() {
                format!(
                    ", {} checked",
                    plural(audit.attachments_checked, "attachment", "attachments")
                )
            } else {
                String::new()
            };
            println!(
                "audit of {} as of {}: {} ({}, {}{checked})",
                args.feed.display(),
                audit.today,
                audit.summary(),
                plural(feed.gov.columns.len(), "column", "columns"),
                plural(feed.items.len(), "item", "items"),
            );
        }
    }
    if audit.vetoed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `SOURCE_DATE_EPOCH` if set (reproducible builds), else now.
fn built_at() -> Result<i64, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH must be unix seconds, got {s:?}")),
        Err(_) => Ok(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)),
    }
}

/// A failed step of `build`: what to print, and the exit status.
struct Failure(String, u8);

impl From<String> for Failure {
    fn from(msg: String) -> Failure {
        Failure(msg, 1)
    }
}

fn run_build(args: &BuildArgs) -> ExitCode {
    match build(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(msg, code)) => {
            if !msg.is_empty() {
                eprintln!("gongkai: {msg}");
            }
            ExitCode::from(code)
        }
    }
}

/// `gongkai build`, in order: check the feed and every other input, lock
/// and open the output folders, build in memory, stage every file, then
/// commit (bundle, manifest last, then the site). Nothing served changes
/// before the commits.
fn build(args: &BuildArgs) -> Result<(), Failure> {
    let BuildArgs {
        feed: path,
        out: out_dir,
        hant,
        docs,
        pii,
        gov_badge,
        ..
    } = args;
    let start = Instant::now();
    remove_stale_index_folders(&std::env::temp_dir());
    // Each step ends its line before the report lines that follow it.
    let progress = Progress::for_terminal();
    progress.step("reading and checking the feed");
    let built_at = built_at().map_err(|msg| Failure(msg, 2))?;
    let (feed, feed_warnings, spans, gate) = read_feed(path, docs.skip, pii, &progress)?;
    let checked = start.elapsed();
    // Audited on the items' metadata (it reads no body); printed at the end.
    let audit = compliance::run_audit(&feed, compliance::beijing_day(built_at), None);
    let gov_badge = gov_badge
        .as_deref()
        .map(compliance::read_gov_badge)
        .transpose()?;
    // The stages, each a value made from the one before (docs/pipeline.md):
    // the typed bundle, which the documents step adds to; the staged bundle
    // (every file serialised, hashed and staged once), which the static
    // pages are rendered from; then the commits.
    let Outputs {
        site_step,
        docs_step,
        publication,
        feed_urls,
        previous,
    } = open_outputs(args, &feed)?;
    progress.step("building the bundle");
    let options = BuildOptions {
        built_at,
        hant: *hant,
    };
    // Without the Word/PDF step, which adds to every article before it is
    // staged, the articles are staged batch by batch as they are made
    // (bounded memory, docs/pipeline.md), their bodies read from the feed
    // file a batch at a time, and their static pages rendered from each
    // batch before it is staged and dropped.
    let mut stager = docs_step.is_none().then(|| Stager::new(&publication));
    let redact = |i: usize, item: &mut Item| gate.redact(i, item);
    let badge_ext = gov_badge.as_ref().map(|(ext, _)| ext.as_str());
    let (mut bundle, article_pages) = make_bundle(
        &feed,
        path,
        &spans,
        &redact,
        stager.as_mut(),
        site_step.as_ref().map(|step| (step, badge_ext)),
        &options,
        feed_urls.as_ref(),
        previous.as_ref(),
        &progress,
    )?;
    drop(spans);
    drop(previous);
    if let Some((ext, bytes)) = gov_badge {
        if !replace_gov_badge(&mut bundle, &ext, bytes) {
            println!("warning: --gov-badge: the footer shows no 党政机关网站标识 (the feed has no _gov.footer.gov_badge_url)");
        }
    }
    let built = start.elapsed();
    progress.done();
    print_built(&bundle, feed_urls.as_ref());
    if let Some(step) = &docs_step {
        step.run(&publication, &mut bundle, &progress)?;
    }
    progress.step("writing the bundle");
    let staged = match stager {
        Some(stager) => stager.finish(bundle),
        None => stage_bundle(&publication, bundle),
    }
    .map_err(|e| format!("cannot write the bundle: {e}"))?;
    progress.done();
    if let Some(step) = &site_step {
        step.stage(&staged, article_pages, &progress)?;
    }
    let staged_at = start.elapsed();
    switch(publication, out_dir, &staged, site_step, &progress)?;
    let times = Times {
        checked,
        built,
        staged_at,
        total: start.elapsed(),
    };
    print_summary(&staged, out_dir, &times, feed_warnings);
    println!(
        "audit: {} as of {} (gongkai audit {} lists them)",
        audit.summary(),
        audit.today,
        path.display()
    );
    Ok(())
}

/// The outputs of a build, opened and locked before anything is built.
struct Outputs {
    /// The static-page step (`--site`), its folder locked.
    site_step: Option<site::SiteStep>,
    /// The Word/PDF step, unless `--no-docs`.
    docs_step: Option<docs::DocsStep>,
    /// The bundle folder, locked, with its staging area.
    publication: Publication,
    /// The site's public URLs, for the subscription feeds' links.
    feed_urls: Option<SiteUrls>,
    /// The previous build's articles, whose unchanged bodies are kept.
    previous: Option<Previous>,
}

/// Step "opening the outputs": every input besides the feed is checked,
/// and both folders locked, before the build, so that a wrong `--site`
/// does not cost a rewritten bundle.
fn open_outputs(args: &BuildArgs, feed: &Feed) -> Result<Outputs, Failure> {
    let BuildArgs {
        out: out_dir,
        docs,
        site,
        publish,
        ..
    } = args;
    let options = PublishOptions {
        precompress: publish.precompress,
        legacy: None,
        sync: publish.sync,
    };
    if let Some(dir) = &site.dir {
        if same_folder(dir, out_dir) {
            return Err(Failure(
                format!(
                    "--site {} and --out {} are the same folder: the bundle goes in a folder of its own (e.g. --out {}/bundle)",
                    dir.display(),
                    out_dir.display(),
                    dir.display()
                ),
                2,
            ));
        }
    }
    let site_step = site::prepare(site, options)?;
    let docs_step = docs::prepare(docs);
    let publication = Publication::begin(
        out_dir,
        PublishOptions {
            legacy: Some(legacy_bundle_file),
            ..options
        },
    )
    .map_err(|e| format!("cannot write the bundle: {e}"))?;
    // 订阅: the feeds need the site's public URL for their links.
    let feed_urls = site
        .url
        .as_deref()
        .or(feed.home_page_url.as_deref())
        .map(|url| {
            let bundle = site_step.as_ref().map_or("bundle/", |s| s.bundle_attr());
            SiteUrls::new(url, bundle)
        });
    // Unchanged items' bodies come from the previous build (rebuild.rs).
    let previous = match Previous::load(out_dir) {
        Ok(p) => Some(p),
        Err(TableError::FirstBuild) => None,
        Err(e) => {
            eprintln!("gongkai: {e}: every article is made anew");
            None
        }
    };
    Ok(Outputs {
        site_step,
        docs_step,
        publication,
        feed_urls,
        previous,
    })
}

/// The lines printed once the bundle is built: its warnings, and where the
/// subscription feeds are (or why there are none).
fn print_built(bundle: &Bundle, feed_urls: Option<&SiteUrls>) {
    for w in &bundle.warnings {
        println!("{w}");
    }
    match feed_urls {
        Some(urls) => println!(
            "subscription feeds (Atom and JSON Feed of the section and each column): {}{FEEDS_DIR}/",
            urls.bundle
        ),
        None => println!(
            "no subscription feeds: they need the site's address (--site-url, or home_page_url in the feed)"
        ),
    }
}

/// Step "reading and checking the feed" at `path`: the feed (without its
/// bodies when `no_docs`: the build reads them again by their spans), its
/// warnings printed and counted, the spans, and the personal-data gate,
/// which has refused or will mask the bodies read again.
fn read_feed(
    path: &Path,
    no_docs: bool,
    pii: &PiiArgs,
    progress: &Progress,
) -> Result<(Feed, usize, Vec<Span>, compliance::Gate), Failure> {
    // The feed is read item by item: each checked and scanned for personal
    // numbers as it is read, then kept without its body unless the
    // Word/PDF step needs the articles whole (docs/pipeline.md, "Memory");
    // the build reads the bodies again by span, a batch at a time.
    let keep = if no_docs { Keep::NoBodies } else { Keep::Whole };
    let mut gate = compliance::Gate::new(pii);
    let Checked { mut report, spans } =
        check_path(path, Format::of_path(path), keep, &mut |i, item| {
            gate.item(i, item)
        })
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display()), 1))?;
    progress.done();
    let Some(feed) = report.feed.take().filter(|_| report.is_ok()) else {
        print_report(&report, path);
        println!("nothing written: fix the errors above first");
        return Err(Failure(String::new(), 1));
    };
    for w in &report.warnings {
        println!("{w}");
    }
    // The personal-data gate, before anything is staged: it refuses, or
    // (--redact) masks the numbers in each item as it was read and in each
    // body read again, which every output (bundle, search index, static
    // pages, Word/PDF) is then made from.
    gate.finish()?;
    Ok((feed, report.warnings.len(), spans, gate))
}

/// Step "building the bundle": the typed [`Bundle`] of `feed`. With a
/// `stager` (no Word/PDF step) it streams: each batch of articles is made
/// from bodies read again from the feed file at `path` by their `spans`
/// (masked by `redact`), its static pages rendered when there is a site
/// step (with `--gov-badge`'s format: [`site::ArticleSink`], whose pages are
/// returned), then staged and dropped. Without, the bundle is made whole
/// in memory: the Word/PDF step adds to every article.
#[allow(clippy::too_many_arguments)]
fn make_bundle(
    feed: &Feed,
    path: &Path,
    spans: &[Span],
    redact: &(dyn Fn(usize, &mut Item) + Sync),
    stager: Option<&mut Stager>,
    site: Option<(&site::SiteStep, Option<&str>)>,
    options: &BuildOptions,
    urls: Option<&SiteUrls>,
    previous: Option<&Previous>,
    progress: &Progress,
) -> Result<(Bundle, Option<site::ArticlePages>), Failure> {
    let cannot_build = |e| format!("cannot build {}: {e}", path.display());
    let Some(stager) = stager else {
        let bundle = Bundle::rebuild(feed, options, urls, previous).map_err(cannot_build)?;
        return Ok((bundle, None));
    };
    let mut bodies = FileBodies::open(path, spans, redact)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display()), 1))?;
    let mut pages = None;
    let sink: &mut dyn BuildSink = match site {
        Some((step, badge)) => pages.insert(step.article_sink(stager, badge, progress)),
        None => stager,
    };
    let bundle = Bundle::stream_from(feed, &mut bodies, options, urls, previous, sink)
        .map_err(cannot_build)?;
    Ok((bundle, pages.map(site::ArticleSink::finish)))
}

/// Step "switching the bundle to the new files": commits the bundle (the
/// manifest last), rewrites the table of its articles, then commits the
/// site, and prints what each folder got.
fn switch(
    publication: Publication,
    out_dir: &Path,
    staged: &StagedBundle,
    site_step: Option<site::SiteStep>,
    progress: &Progress,
) -> Result<(), Failure> {
    progress.step("switching the bundle to the new files");
    // The table describes the served articles: gone while they change.
    remove_table(out_dir).map_err(|e| format!("cannot write the bundle: {e}"))?;
    remove_state(out_dir).map_err(|e| format!("cannot write the bundle: {e}"))?;
    let bundle_report = publication
        .commit(&BUNDLE_LAST)
        .map_err(|e| format!("cannot write the bundle: {e}"))?;
    write_table(out_dir, &staged.item_digests)
        .map_err(|e| format!("cannot write the bundle: {e}"))?;
    write_state(out_dir, staged).map_err(|e| format!("cannot write the bundle: {e}"))?;
    progress.done();
    print_published("bundle", out_dir, &bundle_report);
    println!(
        "articles: {} made, {} kept from the previous build (unchanged items)",
        staged.manifest.item_count - staged.reused,
        staged.reused
    );
    if let Some(step) = site_step {
        let dir = step.publication.root().to_owned();
        let site_report = step.commit()?;
        print_published("site", &dir, &site_report);
    }
    Ok(())
}

/// How long the build's phases took, from its start.
struct Times {
    checked: Duration,
    built: Duration,
    staged_at: Duration,
    total: Duration,
}

/// The build's summary lines: what was built into `out_dir`, in how long,
/// and the warnings (`feed_warnings` from the feed).
fn print_summary(staged: &StagedBundle, out_dir: &Path, times: &Times, feed_warnings: usize) {
    println!(
        "built {} into {}: {}, {}, {} bytes ({:.1} MiB), {} ms (read and check {} ms, build {} ms, write {} ms, switch {} ms)",
        plural(staged.manifest.item_count, "item", "items"),
        out_dir.display(),
        plural(staged.list_pages, "list page", "list pages"),
        plural(staged.files, "file", "files"),
        staged.bytes,
        staged.bytes as f64 / (1024.0 * 1024.0),
        times.total.as_millis(),
        times.checked.as_millis(),
        (times.built - times.checked).as_millis(),
        (times.staged_at - times.built).as_millis(),
        (times.total - times.staged_at).as_millis(),
    );
    println!(
        "{} from the feed, {} from sanitising",
        plural(feed_warnings, "warning", "warnings"),
        plural(staged.warnings.len(), "warning", "warnings"),
    );
}

/// Removes the search index's temporary folders (`gongkai-index-PID-N`,
/// search/spill.rs) in `dir` left by builds that were killed: those whose
/// process is gone. Only where a process can be looked up (`/proc`).
fn remove_stale_index_folders(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("gongkai-index-"))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !Path::new("/proc").join(pid.to_string()).exists() {
            // Another user's, or gone meanwhile: nothing to do about it.
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether two paths name one folder (either may not exist yet).
fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// One line per published folder: what changed.
fn print_published(what: &str, dir: &Path, r: &PublishReport) {
    println!(
        "{what}: {} written ({} bytes with their compressed copies), {} unchanged, {} removed from the previous build{} ({})",
        plural(r.written.len(), "file", "files"),
        r.bytes,
        r.unchanged,
        r.removed.len(),
        if r.recovered {
            "; first finished the switch an interrupted build had begun"
        } else if !r.had_record && !r.removed.is_empty() {
            "; the folder has no record of an earlier build's files, so only files named as gongkai names its own were taken as that build's"
        } else {
            ""
        },
        dir.display(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_builds_index_folders_are_removed() {
        let dir = std::env::temp_dir().join(format!("gongkai-stale-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // No process has the largest pid; this one is running.
        let dead = dir.join(format!("gongkai-index-{}-0", u32::MAX));
        let alive = dir.join(format!("gongkai-index-{}-3", std::process::id()));
        let other = dir.join("gongkai-index-notes");
        for d in [&dead, &alive, &other] {
            std::fs::create_dir_all(d.join("sub")).unwrap();
            std::fs::write(d.join("sub/1.tmp"), b"x").unwrap();
        }
        super::remove_stale_index_folders(&dir);
        assert!(!dead.exists());
        assert!(alive.exists() && other.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_commands() {
        assert_eq!(
            parse_args(&args("check f.json")),
            Ok(Command::Check {
                feed: "f.json".into(),
                pii: PiiArgs::default(),
            })
        );
        let build = Ok(Command::Build(BuildArgs {
            feed: "f.json".into(),
            out: "dist".into(),
            hant: HantVariant::Convert,
            docs: DocsArgs::default(),
            site: SiteArgs::default(),
            publish: PublishArgs::default(),
            pii: PiiArgs::default(),
            gov_badge: None,
        }));
        assert_eq!(parse_args(&args("build f.json --out dist")), build);
        assert_eq!(parse_args(&args("build --out dist f.json")), build);
        assert_eq!(parse_args(&args("build f.json --out=dist")), build);
        assert_eq!(parse_args(&args("build f.json -o dist")), build);
        assert_eq!(
            parse_args(&args("build f.json --no-hant --out dist")),
            Ok(Command::Build(BuildArgs {
                feed: "f.json".into(),
                out: "dist".into(),
                hant: HantVariant::Skip,
                docs: DocsArgs::default(),
                site: SiteArgs::default(),
                publish: PublishArgs::default(),
                pii: PiiArgs::default(),
                gov_badge: None,
            }))
        );
        for h in ["help", "--help", "-h"] {
            assert_eq!(parse_args(&args(h)), Ok(Command::Help));
        }
        assert_eq!(parse_args(&args("--version")), Ok(Command::Version));
        assert!(matches!(
            parse_args(&args("build f.json --out d --precompress --sync")),
            Ok(Command::Build(BuildArgs {
                publish: PublishArgs {
                    precompress: true,
                    sync: true
                },
                ..
            }))
        ));
        assert_eq!(
            parse_args(&args("build f.json --out d --font x.otf --no-docs")),
            Ok(Command::Build(BuildArgs {
                feed: "f.json".into(),
                out: "d".into(),
                hant: HantVariant::Convert,
                docs: DocsArgs {
                    font: Some("x.otf".into()),
                    skip: true,
                },
                site: SiteArgs::default(),
                publish: PublishArgs::default(),
                pii: PiiArgs::default(),
                gov_badge: None,
            }))
        );
    }

    #[test]
    fn usage_errors() {
        for (a, msg) in [
            ("", "no command given"),
            ("frobnicate", "unknown command \"frobnicate\""),
            ("check", "check: missing FEED.json"),
            ("check a b", "check: expected one FEED.json, got a b"),
            ("build f.json", "build: missing --out DIR"),
            ("build --out", "build: --out needs a directory"),
            (
                "build f.json --out d --fast",
                "build: unknown option --fast",
            ),
            ("build --out d", "build: missing FEED.json"),
            (
                "build f.json --out d --site-url ftp://x.cn/",
                "build: --site-url must be an absolute http(s) URL, got \"ftp://x.cn/\"",
            ),
            // Issue #15, fault 10: it went into canonical links, the sitemap
            // and robots.txt as written.
            (
                "build f.json --out d --site-url https://x.cn/\"><script>",
                "build: --site-url \"https://x.cn/\\\"><script>\": '\"' (U+0022) at character 14 must be percent-encoded as %22",
            ),
        ] {
            assert_eq!(parse_args(&args(a)), Err(msg.to_owned()), "{a:?}");
        }
    }
}
