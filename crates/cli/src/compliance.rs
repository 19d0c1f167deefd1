//! The compliance steps of the command line (docs/compliance.md): the
//! personal-data gate of `check` and `build` (`--allow-pii`, `--redact`) and
//! `gongkai audit`.

use crate::Failure;
use gongkai_core::audit::{audit, AuditOptions, AuditReport};
use gongkai_core::build::GOV_BADGE_FORMATS;
use gongkai_core::date::{civil_from_days, parse_plain_date, PlainDate};
use gongkai_core::feed::{Feed, Item};
use gongkai_core::pii::{redact_item, scan_item, AllowList, Finding, PiiKind, Redacted};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// `--allow-pii FILE` and `--redact`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PiiArgs {
    /// `--allow-pii FILE`: the numbers meant to be published.
    pub allow: Option<PathBuf>,
    /// `--redact`: mask every other number in every output (build only).
    pub redact: bool,
}

impl PiiArgs {
    /// Takes `a` (and its value from `it`) if it is a personal-data option;
    /// `redact` says whether `--redact` is one (it is not for `check`).
    /// `Ok(false)`: not ours.
    pub fn parse<'a>(
        &mut self,
        cmd: &str,
        a: &str,
        it: &mut impl Iterator<Item = &'a String>,
        redact: bool,
    ) -> Result<bool, String> {
        if a == "--allow-pii" {
            match it.next() {
                Some(f) => self.allow = Some(PathBuf::from(f)),
                None => return Err(format!("{cmd}: --allow-pii needs a file")),
            }
        } else if let Some(f) = a.strip_prefix("--allow-pii=") {
            self.allow = Some(PathBuf::from(f));
        } else if a == "--redact" && redact {
            self.redact = true;
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    /// Reads the allow file, if one is given.
    fn allow_list(&self) -> Result<AllowList, Failure> {
        let Some(path) = &self.allow else {
            return Ok(AllowList::default());
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure(
                format!("cannot read --allow-pii {}: {e}", path.display()),
                1,
            )
        })?;
        AllowList::parse(&text)
            .map_err(|e| Failure(format!("--allow-pii {}: {e}", path.display()), 1))
    }
}

/// `2 居民身份证号码, 1 手机号码`.
fn by_kind(counts: &[(PiiKind, usize)]) -> String {
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count_kinds(findings: &[&Finding]) -> Vec<(PiiKind, usize)> {
    PiiKind::ALL
        .iter()
        .map(|&k| (k, findings.iter().filter(|f| f.kind == k).count()))
        .collect()
}

fn redacted_kinds(r: &Redacted) -> Vec<(PiiKind, usize)> {
    vec![
        (PiiKind::IdCard, r.id_cards),
        (PiiKind::Mobile, r.mobiles),
        (PiiKind::BankCard, r.bank_cards),
    ]
}

fn numbers(n: usize) -> String {
    format!("{n} personal number{}", if n == 1 { "" } else { "s" })
}

/// What the gate found: the unacknowledged findings and how many were
/// acknowledged.
pub struct Scan {
    /// Findings the allow file does not name.
    pub open: Vec<Finding>,
    /// Findings it names.
    pub allowed: usize,
    allow: AllowList,
}

/// Prints each open finding as an error line (the masked number only).
pub fn print_findings(scan: &Scan) {
    for f in &scan.open {
        println!("error: {f}");
    }
}

/// How to acknowledge the open findings, with the lines to copy.
pub fn acknowledge_help(scan: &Scan) -> String {
    let mut text = String::from(
        "if a number is meant to be published, acknowledge it: add its line to the file given to --allow-pii (item id, kind, SHA-256 of its digits):\n",
    );
    for f in &scan.open {
        text.push_str(&f.allow_line());
        text.push('\n');
    }
    text
}

/// The line after `check`'s summary.
pub fn check_summary(scan: &Scan) -> String {
    let open: Vec<&Finding> = scan.open.iter().collect();
    let mut line = if open.is_empty() {
        "no personal numbers found".to_owned()
    } else {
        format!(
            "{} found ({}): `build` refuses to publish them",
            numbers(open.len()),
            by_kind(&count_kinds(&open))
        )
    };
    if scan.allowed > 0 {
        line.push_str(&format!("; {} acknowledged by --allow-pii", scan.allowed));
    }
    line
}

/// `build`'s personal-data gate, item by item as the feed is read
/// ([`Gate::item`]), decided before anything is staged ([`Gate::finish`]):
/// with open findings, it either masks them (`--redact`: in each item as it
/// is read, and again in each body read later, [`Gate::redact`]) or refuses
/// with each finding and the line that would acknowledge it.
pub struct Gate {
    allow: Result<AllowList, Failure>,
    redact: bool,
    open: Vec<Finding>,
    allowed: usize,
    redacted: Redacted,
    /// The items with open findings, in feed order.
    masked: Vec<usize>,
}

impl Gate {
    /// The gate of `args` (the allow file's error, if any, is `finish`'s).
    pub fn new(args: &PiiArgs) -> Gate {
        Gate {
            allow: args.allow_list(),
            redact: args.redact,
            open: Vec::new(),
            allowed: 0,
            redacted: Redacted::default(),
            masked: Vec::new(),
        }
    }

    /// Scans item `index` of the feed, and masks its open findings with
    /// `--redact`.
    pub fn item(&mut self, index: usize, item: &mut Item) {
        let Ok(allow) = &self.allow else { return };
        let (allowed, open): (Vec<Finding>, Vec<Finding>) = scan_item(index, item)
            .into_iter()
            .partition(|f| allow.allows(f));
        self.allowed += allowed.len();
        if open.is_empty() {
            return;
        }
        if self.redact {
            self.redacted = self.redacted.plus(redact_item(index, item, allow));
        }
        self.masked.push(index);
        self.open.extend(open);
    }

    /// Masks item `index` read again from the feed as [`Gate::item`] did.
    pub fn redact(&self, index: usize, item: &mut Item) {
        if let (true, Ok(allow)) = (self.redact, &self.allow) {
            if self.masked.binary_search(&index).is_ok() {
                redact_item(index, item, allow);
            }
        }
    }

    /// The findings of every item read, for `check`.
    pub fn into_scan(self) -> Result<Scan, Failure> {
        Ok(Scan {
            allow: self.allow?,
            open: self.open,
            allowed: self.allowed,
        })
    }

    /// Refuses open findings without `--redact`; says what was done.
    pub fn finish(&mut self) -> Result<(), Failure> {
        let allow = std::mem::replace(&mut self.allow, Ok(AllowList::default()))?;
        let scan = Scan {
            open: std::mem::take(&mut self.open),
            allowed: self.allowed,
            allow,
        };
        if scan.open.is_empty() {
            if scan.allowed > 0 {
                println!(
                    "personal data: {} acknowledged by --allow-pii, published as they are",
                    numbers(scan.allowed)
                );
            }
            return Ok(());
        }
        if !self.redact {
            print_findings(&scan);
            let open: Vec<&Finding> = scan.open.iter().collect();
            println!(
                "nothing written: {} would be published ({}); mask them with --redact or remove them from the feed",
                numbers(open.len()),
                by_kind(&count_kinds(&open))
            );
            print!("{}", acknowledge_help(&scan));
            return Err(Failure(String::new(), 1));
        }
        println!(
            "personal data: redacted {} ({}) in every output{}",
            numbers(self.redacted.total()),
            by_kind(&redacted_kinds(&self.redacted)),
            if scan.allowed > 0 {
                format!("; {} acknowledged by --allow-pii kept", scan.allowed)
            } else {
                String::new()
            }
        );
        // The bodies read again are masked with the same list.
        self.allow = Ok(scan.allow);
        Ok(())
    }
}

/// The most bytes a 党政机关网站标识 image may have: the official one is a
/// few kilobytes.
const GOV_BADGE_MAX: usize = 512 * 1024;

/// Reads `--gov-badge FILE`, the official 党政机关网站标识: its format (the
/// extension, `jpeg` as `jpg`) and bytes, checked to be that image.
pub fn read_gov_badge(path: &Path) -> Result<(String, Vec<u8>), Failure> {
    let fail = |why: String| Failure(format!("--gov-badge {}: {why}", path.display()), 1);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .map(|e| if e == "jpeg" { "jpg".to_owned() } else { e })
        .filter(|e| GOV_BADGE_FORMATS.contains(&e.as_str()))
        .ok_or_else(|| {
            fail(format!(
                "expected an image file ending in .{}",
                GOV_BADGE_FORMATS.join(", .")
            ))
        })?;
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    if bytes.len() > GOV_BADGE_MAX {
        return Err(fail(format!(
            "{} bytes; the badge is a small image (at most {GOV_BADGE_MAX})",
            bytes.len()
        )));
    }
    let is = match ext.as_str() {
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "gif" => bytes.starts_with(b"GIF8"),
        "jpg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        _ => std::str::from_utf8(&bytes).is_ok_and(|t| t.contains("<svg")),
    };
    if !is {
        return Err(fail(format!("the file is not a .{ext} image")));
    }
    Ok((ext, bytes))
}

/// `gongkai audit`'s output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuditFormat {
    /// One line a finding, then a summary.
    #[default]
    Text,
    /// The report as one JSON document.
    Json,
}

impl AuditFormat {
    /// `text` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditFormat::Text => "text",
            AuditFormat::Json => "json",
        }
    }
}

impl FromStr for AuditFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(AuditFormat::Text),
            "json" => Ok(AuditFormat::Json),
            other => Err(format!(
                "audit: unknown --format {other:?}: expected text or json"
            )),
        }
    }
}

impl fmt::Display for AuditFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `gongkai audit`'s arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditArgs {
    /// The feed.
    pub feed: PathBuf,
    /// `--today`: the day of the audit (default: today in Beijing).
    pub today: Option<PlainDate>,
    /// `--files DIR`: the site's attachment files.
    pub files: Option<PathBuf>,
    /// `--files-url URL`: where DIR is served (default the feed's
    /// `home_page_url`).
    pub files_url: Option<String>,
    /// `--format`.
    pub format: AuditFormat,
}

/// Parses `gongkai audit`'s arguments.
pub fn parse_audit(rest: &[String]) -> Result<AuditArgs, String> {
    let mut feed = None;
    let mut args = AuditArgs {
        feed: PathBuf::new(),
        today: None,
        files: None,
        files_url: None,
        format: AuditFormat::Text,
    };
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("audit: {name} needs a value"))
        };
        match name {
            "--today" => {
                let v = value()?;
                args.today = Some(
                    parse_plain_date(&v)
                        .map_err(|e| format!("audit: --today {v:?}: {e} (expected YYYY-MM-DD)"))?,
                );
            }
            "--files" => args.files = Some(PathBuf::from(value()?)),
            "--files-url" => args.files_url = Some(value()?),
            "--format" => args.format = value()?.parse()?,
            other if other.starts_with('-') => {
                return Err(format!("audit: unknown option {other}"))
            }
            _ if feed.is_none() => feed = Some(PathBuf::from(a)),
            _ => return Err(format!("audit: unexpected argument {a}")),
        }
    }
    args.feed = feed.ok_or("audit: missing FEED.json")?;
    Ok(args)
}

/// Today's date in Beijing (UTC+08:00) for `unix` seconds.
pub fn beijing_day(unix: i64) -> PlainDate {
    civil_from_days((unix + 8 * 3600).div_euclid(86_400))
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The file under `dir` that `url` names when `dir` is served at `prefix`:
/// `None` when `url` is not under `prefix` (or climbs out of it).
pub fn local_file(dir: &Path, prefix: &str, url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix(prefix)?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let rest = percent_decode(rest)?;
    let mut path = dir.to_path_buf();
    for seg in rest.split('/').filter(|s| !s.is_empty()) {
        if seg == ".." || seg == "." {
            return None;
        }
        path.push(seg);
    }
    Some(path)
}

/// Runs the audit of `feed` for `gongkai audit` and `gongkai build`.
pub fn run_audit(feed: &Feed, today: PlainDate, files: Option<(&Path, &str)>) -> AuditReport {
    let lookup = files
        .map(|(dir, prefix)| move |url: &str| local_file(dir, prefix, url).map(|p| p.is_file()));
    audit(
        feed,
        &AuditOptions {
            today,
            files: lookup.as_ref().map(|l| l as &dyn Fn(&str) -> Option<bool>),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_map_under_their_url() {
        let dir = Path::new("/srv/files");
        let prefix = "https://x.cn/xxgk/";
        assert_eq!(
            local_file(
                dir,
                prefix,
                "https://x.cn/xxgk/zn/202403/%E7%94%B3%E8%AF%B7%E8%A1%A8.docx?v=1"
            ),
            Some(PathBuf::from("/srv/files/zn/202403/申请表.docx"))
        );
        assert_eq!(local_file(dir, prefix, "https://y.cn/a.pdf"), None);
        assert_eq!(
            local_file(dir, prefix, "https://x.cn/xxgk/../etc/passwd"),
            None
        );
    }

    #[test]
    fn audit_arguments() {
        let a: Vec<String> = "f.json --today 2026-02-01 --files d --format=json"
            .split(' ')
            .map(str::to_owned)
            .collect();
        let args = parse_audit(&a).unwrap();
        assert_eq!(args.today, parse_plain_date("2026-02-01").ok());
        assert_eq!(args.files, Some(PathBuf::from("d")));
        assert_eq!(args.format, AuditFormat::Json);
        for (bad, msg) in [
            ("", "audit: missing FEED.json"),
            ("f.json --today 2026-2-1", "audit: --today \"2026-2-1\""),
            ("f.json --format xml", "audit: unknown --format \"xml\""),
            ("f.json --fast", "audit: unknown option --fast"),
            ("f.json --files", "audit: --files needs a value"),
        ] {
            let a: Vec<String> = bad.split_whitespace().map(str::to_owned).collect();
            let e = parse_audit(&a).unwrap_err();
            assert!(e.starts_with(msg), "{bad}: {e}");
        }
        assert_eq!(beijing_day(1_700_000_000).to_string(), "2023-11-15");
    }
}
