//! From records to a feed that `gongkai check` accepts: required fields,
//! columns, 索引号 and ids, duplicates merged, and `--merge` into an existing
//! feed with every change reported.
//!
//! Ids come from the 索引号 (`kjj1/2023-00026` → `kjj1-2023-00026`), so an
//! item keeps its id however often it is imported. A 索引号 is never
//! renumbered; a record without one gets the next free number under
//! `--index-prefix` (after the highest already used for that year), or is
//! listed with how to fix it.

use crate::fields;
use crate::mapping::{resolve_column, standard_columns, Mapping, SiteSpec};
use crate::record::{Origin, Problem, Record};
use crate::text::{excerpt, squeeze, trim};
use gongkai_core::feed::{Author, Column, Feed, Item, ItemGov, SiteGov, JSON_FEED_VERSION};
use gongkai_core::sanitize::sanitize;
use gongkai_core::validate::{check_value, is_index_no};
use serde_json::Map;
use std::collections::HashMap;

/// Choices that apply to every record.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The mapping file (for its `[columns]`).
    pub mapping: Mapping,
    /// Organisation code for numbering records that have no 索引号.
    pub index_prefix: Option<String>,
    /// The column for records without a 栏目 (or with an unknown one).
    pub default_column: Option<String>,
}

/// One changed field of an updated item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field's name in the feed (`title`, `_gov.doc_no`).
    pub field: &'static str,
    /// Before, shortened.
    pub before: String,
    /// After, shortened.
    pub after: String,
}

/// An item `--merge` updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The item's id.
    pub id: String,
    /// Where the new values came from.
    pub origin: Origin,
    /// What changed.
    pub fields: Vec<FieldChange>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Records read (rows, pages, documents).
    pub read: usize,
    /// Not imported, with the reason.
    pub problems: Vec<Problem>,
    /// Imported, with a remark.
    pub notes: Vec<Problem>,
    /// Duplicates merged into an earlier record.
    pub duplicates: Vec<Problem>,
    /// Ids of items added to the feed.
    pub added: Vec<String>,
    /// Items of the merged feed that the import changed.
    pub updated: Vec<Change>,
    /// Items of the merged feed the import found unchanged.
    pub unchanged: usize,
    /// Columns added to the site.
    pub columns_added: Vec<Column>,
    /// 索引号 given under `--index-prefix`: (索引号, where).
    pub numbered: Vec<(String, Origin)>,
    /// Old URL → item id, for the redirect map.
    pub redirects: Vec<(String, String)>,
}

/// The feed an import starts from: an existing one (`--merge`) or a new
/// one with the mapping file's site.
pub fn base_feed(merge: Option<Feed>, site: Option<&SiteSpec>) -> Result<Feed, String> {
    if let Some(f) = merge {
        return Ok(f);
    }
    let Some(s) = site else {
        return Err("no site for a new feed: give --merge FEED.json (an existing feed, or one with only its site and \"items\": []), or a [site] table in --map MAP.toml with site_name, department, login_url and register_url (docs/import.md)".to_owned());
    };
    let columns: Vec<Column> = if s.columns.is_empty() {
        standard_columns()
    } else {
        s.columns.iter().cloned().map(Column::from).collect()
    };
    Ok(Feed {
        version: JSON_FEED_VERSION.to_owned(),
        title: s
            .title
            .clone()
            .unwrap_or_else(|| format!("{} {} 政府信息公开", s.site_name, s.department)),
        home_page_url: s.home_page_url.clone(),
        feed_url: None,
        description: None,
        language: Some("zh-CN".to_owned()),
        gov: SiteGov {
            site_name: s.site_name.clone(),
            department: s.department.clone(),
            section: "政府信息公开".to_owned(),
            columns,
            login_url: s.login_url.clone(),
            register_url: s.register_url.clone(),
            apply: None,
            footer: None,
            extra: Map::new(),
        },
        items: Vec::new(),
        extra: Map::new(),
    })
}

/// An item ready to be merged, with where it came from.
struct Pending {
    item: Item,
    origin: Origin,
    old_url: Option<String>,
}

/// The id of an item with this 索引号.
pub fn id_of(index_no: &str) -> String {
    index_no.replace('/', "-")
}

fn title_key(item: &Item) -> (String, String) {
    (
        squeeze(&item.title),
        item.date_published.get(..10).unwrap_or("").to_owned(),
    )
}

/// Builds the feed: `base` with the records merged in.
pub fn assemble(
    mut feed: Feed,
    records: Vec<Record>,
    opts: &Options,
) -> Result<(Feed, Report), String> {
    let mut report = Report {
        read: records.len(),
        ..Default::default()
    };
    // 1. Records to items.
    let mut pending: Vec<Pending> = Vec::new();
    for r in records {
        let origin = r.origin.clone().unwrap_or_else(|| Origin::file("?"));
        match to_item(r, &mut feed.gov, opts, &mut report, &origin) {
            Ok((item, old_url)) => pending.push(Pending {
                item,
                origin,
                old_url,
            }),
            Err(reason) => report.problems.push(Problem { origin, reason }),
        }
    }
    // 2. Duplicates inside the import.
    let pending = dedupe(pending, &mut report);
    // 3. Into the feed.
    let mut by_index: HashMap<String, usize> = HashMap::new();
    let mut by_title: HashMap<(String, String), usize> = HashMap::new();
    for (i, it) in feed.items.iter().enumerate() {
        by_index.insert(it.gov.index_no.clone(), i);
        by_index.insert(format!("id:{}", it.id), i);
        by_title.insert(title_key(it), i);
    }
    let existing = feed.items.len();
    let mut unnumbered: Vec<Pending> = Vec::new();
    for p in pending {
        let found = if p.item.gov.index_no.is_empty() {
            by_title.get(&title_key(&p.item)).copied()
        } else {
            by_index
                .get(&p.item.gov.index_no)
                .copied()
                .or_else(|| by_index.get(&format!("id:{}", p.item.id)).copied())
        };
        match found {
            Some(i) => {
                let target = &mut feed.items[i];
                let fields = update(target, &p.item);
                if let Some(u) = p.old_url {
                    report.redirects.push((u, target.id.clone()));
                }
                if i >= existing {
                    continue;
                }
                if fields.is_empty() {
                    report.unchanged += 1;
                } else {
                    report.updated.push(Change {
                        id: target.id.clone(),
                        origin: p.origin,
                        fields,
                    });
                }
            }
            None if p.item.gov.index_no.is_empty() => unnumbered.push(p),
            None => {
                let i = feed.items.len();
                by_index.insert(p.item.gov.index_no.clone(), i);
                by_title.insert(title_key(&p.item), i);
                report.added.push(p.item.id.clone());
                if let Some(u) = p.old_url {
                    report.redirects.push((u, p.item.id.clone()));
                }
                feed.items.push(p.item);
            }
        }
    }
    // 4. Numbers for records without a 索引号.
    number(&mut feed, unnumbered, opts, &mut report);
    report.problems.sort();
    // 5. The result must pass `gongkai check`.
    let value =
        serde_json::to_value(&feed).map_err(|e| format!("cannot serialise the feed: {e}"))?;
    let checked = check_value(value);
    if !checked.errors.is_empty() {
        let list: Vec<String> = checked
            .errors
            .iter()
            .take(5)
            .map(ToString::to_string)
            .collect();
        return Err(format!(
            "the imported feed does not pass the checker (a bug in gongkai import):\n{}",
            list.join("\n")
        ));
    }
    Ok((feed, report))
}

fn to_item(
    r: Record,
    site: &mut SiteGov,
    opts: &Options,
    report: &mut Report,
    origin: &Origin,
) -> Result<(Item, Option<String>), String> {
    if !r.errors.is_empty() {
        return Err(r.errors.join("; "));
    }
    // Notes are kept only if the record is imported.
    let mut notes: Vec<String> = r.notes.clone();
    let note = |notes: &mut Vec<String>, reason: String| notes.push(reason);
    let title = r
        .title
        .as_deref()
        .map(trim)
        .filter(|t| !t.is_empty())
        .ok_or("no 标题 (title)")?
        .to_owned();
    let date = r
        .published
        .as_ref()
        .or(r.written.as_ref())
        .ok_or("no date: neither 发布日期 nor 成文日期 is given or readable")?
        .rfc3339();
    let (content_html, content_text) = match (&r.body, &r.summary) {
        (Some(b), _) if !b.is_empty() => (Some(b.clone()), None),
        (_, Some(s)) if !trim(s).is_empty() => {
            note(&mut notes, "no body file: the 内容概述 stands in as the body".to_owned());
            (None, Some(trim(s).to_owned()))
        }
        _ => return Err("no body: no body file found and no 内容概述 (give --bodies DIR with a file named after the 索引号, or a file-name column)".to_owned()),
    };
    if let Some(html) = &content_html {
        let s = sanitize(html);
        if !s.is_clean() {
            note(
                &mut notes,
                format!(
                    "the sanitiser would remove {} (please report this)",
                    s.removed.join(", ")
                ),
            );
        }
    }
    let index_no = match r.index_no.as_deref().map(trim).filter(|s| !s.is_empty()) {
        Some(i) if is_index_no(i) => i.to_owned(),
        Some(i) => {
            return Err(format!(
                "索引号 {i:?} is not in the feed's form <organisation code>/<yyyy>-<5 digits> (e.g. kjj1/2023-00026); a 索引号 is never renumbered, so correct it in the source"
            ))
        }
        None => String::new(),
    };
    let (category, column_note) = category(&r, site, opts, report)?;
    notes.extend(column_note);
    let validity = match r.validity.as_deref().map(trim).filter(|v| !v.is_empty()) {
        Some(v) => match fields::validity(v) {
            Some(v) => Some(v),
            None => {
                note(
                    &mut notes,
                    format!("有效性 {v:?} is not one of 有效, 已修订, 已废止, 已失效: left out"),
                );
                None
            }
        },
        None => None,
    };
    let publisher = r
        .publisher
        .clone()
        .filter(|p| !trim(p).is_empty())
        .unwrap_or_else(|| site.department.clone());
    // A 主题分类 that did not name the column is kept as a tag.
    let mut tags = Vec::new();
    if let Some(c) = r.category.as_deref().map(trim).filter(|c| !c.is_empty()) {
        let used = r.column.as_deref().is_none_or(|col| trim(col).is_empty())
            && resolve_column(c, &opts.mapping, &site.columns).is_some();
        if !used {
            tags.push(c.to_owned());
        }
    }
    let item = Item {
        id: if index_no.is_empty() {
            String::new()
        } else {
            id_of(&index_no)
        },
        url: None,
        title,
        content_html,
        content_text,
        summary: r
            .summary
            .as_deref()
            .map(trim)
            .filter(|s| !s.is_empty() && r.body.is_some())
            .map(str::to_owned),
        date_published: date,
        date_modified: None,
        authors: r
            .author
            .as_deref()
            .map(trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                vec![Author {
                    name: a.to_owned(),
                    url: None,
                }]
            })
            .unwrap_or_default(),
        tags,
        attachments: r.attachments.clone(),
        gov: ItemGov {
            index_no,
            publisher,
            source: r
                .source
                .as_deref()
                .map(trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            doc_no: r
                .doc_no
                .as_deref()
                .map(trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            written_date: r.written.as_ref().map(|w| w.plain()),
            category,
            keywords: r.keywords.clone(),
            validity,
            report_year: None,
            extra: Map::new(),
        },
        extra: Map::new(),
    };
    report.notes.extend(notes.into_iter().map(|reason| Problem {
        origin: origin.clone(),
        reason,
    }));
    Ok((item, r.old_url))
}

/// The item's column, and a note when it was not the one the record named.
fn category(
    r: &Record,
    site: &mut SiteGov,
    opts: &Options,
    report: &mut Report,
) -> Result<(String, Option<String>), String> {
    let mut unknown = None;
    for value in [&r.column, &r.category].into_iter().flatten() {
        if trim(value).is_empty() {
            continue;
        }
        match resolve_column(value, &opts.mapping, &site.columns) {
            Some((id, add)) => {
                if let Some(c) = add {
                    if !site.columns.iter().any(|x| x.id == c.id) {
                        site.columns.push(c.clone());
                        report.columns_added.push(c);
                    }
                }
                return Ok((id, None));
            }
            None => {
                if unknown.is_none() {
                    unknown = Some(trim(value).to_owned());
                }
            }
        }
    }
    let fallback = opts.default_column.clone().or_else(|| {
        site.columns
            .iter()
            .find(|c| c.id == "fdzdgknr")
            .map(|c| c.id.clone())
    });
    let ids = || {
        site.columns
            .iter()
            .map(|c| format!("{} {}", c.id, c.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (unknown, fallback) {
        (_, Some(f)) if !site.columns.iter().any(|c| c.id == f) => Err(format!("--column {f}: not a column of the site ({})", ids())),
        (Some(u), Some(f)) if r.column.is_some() => Ok((
            f.clone(),
            Some(format!("栏目 {u:?} is not a column of the site: filed under {f} (map it in MAP.toml [columns] to choose)")),
        )),
        (_, Some(f)) => Ok((f, None)),
        (Some(u), None) => Err(format!(
            "栏目 {u:?} is not a column of the site ({}): map it in MAP.toml [columns], or give --column ID",
            ids()
        )),
        (None, None) => Err(format!("no 栏目: give --column ID (one of {})", ids())),
    }
}

/// Merges duplicates (same 索引号, or same title and date) into the first.
fn dedupe(pending: Vec<Pending>, report: &mut Report) -> Vec<Pending> {
    let mut out: Vec<Pending> = Vec::new();
    let mut by_index: HashMap<String, usize> = HashMap::new();
    let mut by_title: HashMap<(String, String), usize> = HashMap::new();
    for p in pending {
        let key = title_key(&p.item);
        let same_index = (!p.item.gov.index_no.is_empty())
            .then(|| by_index.get(&p.item.gov.index_no).copied())
            .flatten();
        let same_title = by_title.get(&key).copied().filter(|&i| {
            // Two numbered records with different 索引号 are two notices.
            out[i].item.gov.index_no.is_empty()
                || p.item.gov.index_no.is_empty()
                || out[i].item.gov.index_no == p.item.gov.index_no
        });
        match same_index.or(same_title) {
            Some(i) => {
                let why = if same_index.is_some() {
                    format!("same 索引号 {} as {}", p.item.gov.index_no, out[i].origin)
                } else {
                    format!("same title and date as {}", out[i].origin)
                };
                let first = &mut out[i];
                let differing = fill_missing(&mut first.item, &p.item);
                if first.old_url.is_none() {
                    first.old_url = p.old_url.clone();
                }
                let detail = if differing.is_empty() {
                    String::new()
                } else {
                    format!("; kept the first one's {}", differing.join(", "))
                };
                report.duplicates.push(Problem {
                    origin: p.origin,
                    reason: format!("duplicate, merged: {why}{detail}"),
                });
                // Its old URL still redirects to the merged item.
                if let Some(u) = p.old_url {
                    if first.old_url.as_deref() != Some(u.as_str()) {
                        report.redirects.push((u, first.item.id.clone()));
                    }
                }
            }
            None => {
                let i = out.len();
                if !p.item.gov.index_no.is_empty() {
                    by_index.insert(p.item.gov.index_no.clone(), i);
                }
                by_title.insert(key, i);
                out.push(p);
            }
        }
    }
    out
}

/// Fills `first`'s empty fields from `dup`; returns the fields where both
/// had different values.
fn fill_missing(first: &mut Item, dup: &Item) -> Vec<&'static str> {
    let mut differ = Vec::new();
    macro_rules! opt {
        ($($f:ident).+, $name:expr) => {
            match (&first.$($f).+, &dup.$($f).+) {
                (None, Some(v)) => first.$($f).+ = Some(v.clone()),
                (Some(a), Some(b)) if a != b => differ.push($name),
                _ => {}
            }
        };
    }
    opt!(content_html, "body");
    opt!(summary, "内容概述");
    opt!(gov.source, "来源");
    opt!(gov.doc_no, "文号");
    opt!(gov.written_date, "成文日期");
    opt!(gov.validity, "有效性");
    if first.content_html.is_some() {
        first.content_text = None;
    }
    if first.gov.index_no.is_empty() && !dup.gov.index_no.is_empty() {
        first.gov.index_no = dup.gov.index_no.clone();
        first.id = dup.id.clone();
    }
    if first.authors.is_empty() {
        first.authors = dup.authors.clone();
    }
    if first.gov.keywords.is_empty() {
        first.gov.keywords = dup.gov.keywords.clone();
    }
    for a in &dup.attachments {
        if !first.attachments.iter().any(|x| x.url == a.url) {
            first.attachments.push(a.clone());
        }
    }
    if first.title != dup.title {
        differ.push("标题");
    }
    if first.gov.publisher != dup.gov.publisher {
        differ.push("发布机构");
    }
    differ
}

fn show(v: &str) -> String {
    excerpt(&v.replace('\n', " "), 40)
}

/// Applies the imported values to an existing item; returns what changed.
/// Fields the import does not give (url, tags, unknown keys) are kept.
fn update(target: &mut Item, new: &Item) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut set = |field: &'static str, before: String, after: String| {
        if before != after {
            changes.push(FieldChange {
                field,
                before: show(&before),
                after: show(&after),
            });
            true
        } else {
            false
        }
    };
    if set("title", target.title.clone(), new.title.clone()) {
        target.title = new.title.clone();
    }
    if set(
        "date_published",
        target.date_published.clone(),
        new.date_published.clone(),
    ) {
        target.date_published = new.date_published.clone();
    }
    let body_of = |i: &Item| {
        i.content_html
            .clone()
            .or_else(|| i.content_text.clone())
            .unwrap_or_default()
    };
    if (new.content_html.is_some() || target.content_html.is_none())
        && set("content", body_of(target), body_of(new))
    {
        target.content_html = new.content_html.clone();
        target.content_text = new.content_text.clone();
    }
    macro_rules! opt {
        ($($f:ident).+, $name:expr) => {
            if let Some(v) = &new.$($f).+ {
                let before = target.$($f).+.as_ref().map(|x| x.to_string()).unwrap_or_default();
                if set($name, before, v.to_string()) {
                    target.$($f).+ = Some(v.clone());
                }
            }
        };
    }
    opt!(summary, "summary");
    opt!(gov.source, "_gov.source");
    opt!(gov.doc_no, "_gov.doc_no");
    opt!(gov.written_date, "_gov.written_date");
    opt!(gov.validity, "_gov.validity");
    if set(
        "_gov.publisher",
        target.gov.publisher.clone(),
        new.gov.publisher.clone(),
    ) {
        target.gov.publisher = new.gov.publisher.clone();
    }
    if set(
        "_gov.category",
        target.gov.category.clone(),
        new.gov.category.clone(),
    ) {
        target.gov.category = new.gov.category.clone();
    }
    if !new.gov.keywords.is_empty()
        && set(
            "_gov.keywords",
            target.gov.keywords.join("、"),
            new.gov.keywords.join("、"),
        )
    {
        target.gov.keywords = new.gov.keywords.clone();
    }
    let names = |i: &Item| i.author_names();
    if !new.authors.is_empty() && set("authors", names(target), names(new)) {
        target.authors = new.authors.clone();
    }
    let urls = |i: &Item| {
        i.attachments
            .iter()
            .map(|a| a.url.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !new.attachments.is_empty() && set("attachments", urls(target), urls(new)) {
        target.attachments = new.attachments.clone();
    }
    changes
}

/// Gives records without a 索引号 the next numbers under `--index-prefix`.
fn number(feed: &mut Feed, unnumbered: Vec<Pending>, opts: &Options, report: &mut Report) {
    if unnumbered.is_empty() {
        return;
    }
    let Some(prefix) = opts.index_prefix.as_deref() else {
        for p in unnumbered {
            report.problems.push(Problem {
                origin: p.origin,
                reason: "no 索引号: the feed requires one (<organisation code>/<yyyy>-<5 digits>); add it to the source, or give --index-prefix CODE (your organisation's code, e.g. kjj1) to number the notices that lack one after the highest number already used".to_owned(),
            });
        }
        return;
    };
    let mut next: HashMap<String, u32> = HashMap::new();
    for it in &feed.items {
        if let Some((org, rest)) = it.gov.index_no.split_once('/') {
            if org == prefix {
                if let Some((year, n)) = rest.split_once('-') {
                    let n: u32 = n.parse().unwrap_or(0);
                    let e = next.entry(year.to_owned()).or_insert(0);
                    *e = (*e).max(n);
                }
            }
        }
    }
    for mut p in unnumbered {
        let year = p.item.date_published.get(..4).unwrap_or("0000").to_owned();
        let n = next.entry(year.clone()).or_insert(0);
        *n += 1;
        if *n > 99_999 {
            report.problems.push(Problem {
                origin: p.origin,
                reason: format!("no 索引号, and {prefix}/{year} has no free number left"),
            });
            continue;
        }
        let index_no = format!("{prefix}/{year}-{:05}", n);
        p.item.id = id_of(&index_no);
        p.item.gov.index_no = index_no.clone();
        report.numbered.push((index_no, p.origin.clone()));
        report.added.push(p.item.id.clone());
        if let Some(u) = p.old_url {
            report.redirects.push((u, p.item.id.clone()));
        }
        feed.items.push(p.item);
    }
}

/// Checks an `--index-prefix`: an organisation code as the 索引号 uses it.
pub fn check_prefix(prefix: &str) -> Result<(), String> {
    if !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(format!("--index-prefix {prefix:?}: use the organisation code of your 索引号, letters and digits only (e.g. kjj1)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_when;
    use crate::record::Place;

    fn site() -> Feed {
        base_feed(
            None,
            Some(&SiteSpec {
                title: None,
                site_name: "甘肃政务服务网-武山".into(),
                department: "科技局".into(),
                login_url: "https://zwfw.gansu.gov.cn/user/login".into(),
                register_url: "https://zwfw.gansu.gov.cn/user/register".into(),
                home_page_url: None,
                columns: Vec::new(),
            }),
        )
        .unwrap()
    }

    fn rec(row: usize, index_no: Option<&str>, title: &str, date: &str) -> Record {
        Record {
            origin: Some(Origin::at("目录.xlsx", Place::Row(row))),
            index_no: index_no.map(str::to_owned),
            title: Some(title.into()),
            published: Some(parse_when(date).unwrap()),
            body: Some(format!("<p>{title}正文。</p>")),
            ..Default::default()
        }
    }

    #[test]
    fn records_become_a_checked_feed() {
        let mut r = rec(
            2,
            Some("kjj1/2023-00026"),
            "关于开展2023年科技活动周的通知",
            "2023-07-14 09:30",
        );
        r.column = Some("通知公告".into());
        r.validity = Some("现行有效".into());
        r.doc_no = Some("武科发〔2023〕12号".into());
        r.written = Some(parse_when("2023年7月10日").unwrap());
        let (feed, report) = assemble(site(), vec![r], &Options::default()).unwrap();
        let item = &feed.items[0];
        assert_eq!(item.id, "kjj1-2023-00026");
        assert_eq!(item.date_published, "2023-07-14T09:30:00+08:00");
        assert_eq!(item.gov.category, "tzgg");
        assert_eq!(item.gov.written_date.as_deref(), Some("2023-07-10"));
        assert_eq!(
            item.gov.publisher, "科技局",
            "the site's department when none is given"
        );
        assert_eq!(report.columns_added, [Column::new("tzgg", "通知公告")]);
        assert_eq!(report.added, ["kjj1-2023-00026"]);
        let json = serde_json::to_string(&feed).unwrap();
        assert!(gongkai_core::validate::check(&json).is_ok());
    }

    #[test]
    fn problems_name_the_row_and_the_fix() {
        let mut no_title = rec(3, Some("kjj1/2023-00001"), "x", "2023-01-01");
        no_title.title = None;
        let bad_index = rec(4, Some("kjj1-2023-1"), "索引号错", "2023-01-01");
        let no_index = rec(5, None, "没有索引号", "2023-01-01");
        let mut no_body = rec(6, Some("kjj1/2023-00002"), "无正文", "2023-01-01");
        no_body.body = None;
        let (feed, report) = assemble(
            site(),
            vec![no_title, bad_index, no_index, no_body],
            &Options::default(),
        )
        .unwrap();
        assert!(feed.items.is_empty());
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(lines[0], "目录.xlsx row 3: no 标题 (title)");
        assert!(
            lines[1]
                .starts_with("目录.xlsx row 4: 索引号 \"kjj1-2023-1\" is not in the feed's form"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("目录.xlsx row 5: no 索引号")
                && lines[2].contains("--index-prefix"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("目录.xlsx row 6: no body"),
            "{}",
            lines[3]
        );
    }

    #[test]
    fn index_prefix_numbers_after_the_highest() {
        let mut base = site();
        let (f, _) = assemble(
            base.clone(),
            vec![rec(2, Some("kjj1/2023-00026"), "已有", "2023-03-01")],
            &Options::default(),
        )
        .unwrap();
        base = f;
        let opts = Options {
            index_prefix: Some("kjj1".into()),
            ..Default::default()
        };
        let (feed, report) = assemble(
            base,
            vec![
                rec(3, None, "新甲", "2023-07-01"),
                rec(4, None, "新乙", "2024-01-02"),
            ],
            &opts,
        )
        .unwrap();
        let idx: Vec<&str> = feed.items.iter().map(|i| i.gov.index_no.as_str()).collect();
        assert_eq!(
            idx,
            ["kjj1/2023-00026", "kjj1/2023-00027", "kjj1/2024-00001"]
        );
        assert_eq!(report.numbered.len(), 2);
        // Importing the same again finds them by title and date: no new numbers.
        let (again, report) = assemble(
            feed.clone(),
            vec![rec(3, None, "新甲", "2023-07-01")],
            &opts,
        )
        .unwrap();
        assert_eq!(again.items.len(), 3);
        assert_eq!(report.unchanged, 1);
        assert!(report.numbered.is_empty());
    }

    #[test]
    fn duplicates_are_merged_and_reported() {
        let mut a = rec(2, Some("kjj1/2023-00026"), "通知", "2023-07-14");
        a.doc_no = None;
        let mut b = rec(3, Some("kjj1/2023-00026"), "通知", "2023-07-14");
        b.doc_no = Some("武科发〔2023〕12号".into());
        let c = rec(4, None, "通知", "2023-07-14");
        let (feed, report) = assemble(site(), vec![a, b, c], &Options::default()).unwrap();
        assert_eq!(feed.items.len(), 1);
        assert_eq!(
            feed.items[0].gov.doc_no.as_deref(),
            Some("武科发〔2023〕12号"),
            "filled from the duplicate"
        );
        let lines: Vec<String> = report.duplicates.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "目录.xlsx row 3: duplicate, merged: same 索引号 kjj1/2023-00026 as 目录.xlsx row 2",
                "目录.xlsx row 4: duplicate, merged: same title and date as 目录.xlsx row 2",
            ]
        );
    }

    #[test]
    fn merge_keeps_updates_and_reports() {
        let (base, _) = assemble(
            site(),
            vec![
                rec(2, Some("kjj1/2023-00026"), "旧标题", "2023-07-14"),
                rec(3, Some("kjj1/2023-00027"), "不变", "2023-07-15"),
            ],
            &Options::default(),
        )
        .unwrap();
        let mut base = base;
        base.items[0].url = Some("https://zwfw.gansu.gov.cn/kjj/1.html".into());
        let mut changed = rec(5, Some("kjj1/2023-00026"), "新标题", "2023-07-14");
        changed.body = Some("<p>旧标题正文。</p>".into());
        let (feed, report) = assemble(
            base,
            vec![
                changed,
                rec(6, Some("kjj1/2023-00027"), "不变", "2023-07-15"),
                rec(7, Some("kjj1/2023-00028"), "新增", "2023-07-16"),
            ],
            &Options::default(),
        )
        .unwrap();
        assert_eq!(feed.items.len(), 3);
        assert_eq!(feed.items[0].title, "新标题");
        assert_eq!(
            feed.items[0].url.as_deref(),
            Some("https://zwfw.gansu.gov.cn/kjj/1.html"),
            "kept"
        );
        assert_eq!(report.updated.len(), 1);
        assert_eq!(
            report.updated[0].fields,
            [FieldChange {
                field: "title",
                before: "旧标题".into(),
                after: "新标题".into()
            }]
        );
        assert_eq!(report.unchanged, 1);
        assert_eq!(report.added, ["kjj1-2023-00028"]);
    }

    #[test]
    fn unknown_columns() {
        let mut r = rec(2, Some("kjj1/2023-00026"), "t", "2023-07-14");
        r.column = Some("科普园地".into());
        let (_, report) = assemble(site(), vec![r.clone()], &Options::default()).unwrap();
        assert!(
            report.notes[0]
                .reason
                .starts_with("栏目 \"科普园地\" is not a column of the site: filed under fdzdgknr"),
            "{:?}",
            report.notes
        );
        let mut s = site();
        s.gov.columns.retain(|c| c.id != "fdzdgknr");
        let (_, report) = assemble(s, vec![r], &Options::default()).unwrap();
        assert!(
            report.problems[0]
                .reason
                .contains("map it in MAP.toml [columns], or give --column ID"),
            "{:?}",
            report.problems
        );
    }
}
