//! `gongkai audit`: the inspection indicators a feed can show (feature
//! `build`). Each [`Finding`] names its [`Indicator`], the column or item,
//! what is wrong and what to do; [`Level::Veto`] marks the 单项否决 items of
//! the 政府网站与政务新媒体检查指标 (国办秘函〔2019〕19号), which fail a site
//! outright. `docs/compliance.md` gives the rule behind each indicator.
//!
//! The audit is a pure function of the feed, the day it is run
//! ([`AuditOptions::today`], so tests fix it) and, for attachments, a
//! lookup the caller provides (the CLI's `--files DIR`).
//!
//! ```
//! use gongkai_core::{audit::{audit, AuditOptions, Indicator}, date::parse_plain_date, validate::check};
//! let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t",
//!   "_gov": {"site_name": "s", "department": "d", "login_url": "https://x.cn/l", "register_url": "https://x.cn/r",
//!            "columns": [{"id": "zn", "name": "政府信息公开指南", "kind": "guide"}]},
//!   "items": []}"#;
//! let feed = check(json).feed.unwrap();
//! let report = audit(&feed, &AuditOptions::on(parse_plain_date("2026-03-01").unwrap()));
//! assert!(report.findings.iter().any(|f| f.indicator == Indicator::BlankColumn));
//! ```

use crate::date::{days_from_civil, parse_plain_date, parse_rfc3339, PlainDate};
use crate::feed::{Column, Feed, Item};
use crate::gov::ColumnKind;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt;

/// How much a finding weighs in an inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 单项否决: the site fails the inspection outright.
    Veto,
    /// A fault the inspection scores (扣分) or a rule of the 条例 broken.
    Fault,
    /// Worth fixing; no indicator fails on it alone.
    Advice,
}

impl Level {
    /// `veto`, `fault` or `advice`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Veto => "veto",
            Level::Fault => "fault",
            Level::Advice => "advice",
        }
    }

    /// 单项否决, 扣分项 or 提示.
    pub fn label(self) -> &'static str {
        match self {
            Level::Veto => "单项否决",
            Level::Fault => "扣分项",
            Level::Advice => "提示",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an audit checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Indicator {
    /// A statutory column (指南, 制度, 法定主动公开内容, 年报) is missing.
    StatutoryColumn,
    /// No way to apply for disclosure (依申请公开).
    ApplyChannel,
    /// A column has no notice (空白栏目).
    BlankColumn,
    /// A column has had no new notice for longer than its `max_age_days`
    /// (栏目不更新).
    StaleColumn,
    /// The previous year's 年报 is not published after 31 January.
    AnnualReport,
    /// A 成文日期 after the publication date.
    WrittenAfterPublished,
    /// Two notices share a 索引号.
    DuplicateIndexNo,
    /// An attachment's file is missing from the site's files.
    MissingAttachment,
}

impl Indicator {
    /// A stable kebab-case name, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::StatutoryColumn => "statutory-column",
            Indicator::ApplyChannel => "apply-channel",
            Indicator::BlankColumn => "blank-column",
            Indicator::StaleColumn => "stale-column",
            Indicator::AnnualReport => "annual-report",
            Indicator::WrittenAfterPublished => "written-after-published",
            Indicator::DuplicateIndexNo => "duplicate-index-no",
            Indicator::MissingAttachment => "missing-attachment",
        }
    }

    /// The indicator's name as inspectors say it.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::StatutoryColumn => "法定栏目缺失",
            Indicator::ApplyChannel => "依申请公开渠道缺失",
            Indicator::BlankColumn => "空白栏目",
            Indicator::StaleColumn => "栏目不更新",
            Indicator::AnnualReport => "年度报告未按时发布",
            Indicator::WrittenAfterPublished => "成文日期晚于发布日期",
            Indicator::DuplicateIndexNo => "索引号重复",
            Indicator::MissingAttachment => "附件无法下载",
        }
    }

    /// The rule it comes from.
    pub fn rule(self) -> &'static str {
        match self {
            Indicator::StatutoryColumn => "国办公开办函〔2019〕61号",
            Indicator::ApplyChannel => "政府信息公开条例第十二条、第二十九条",
            Indicator::BlankColumn | Indicator::StaleColumn => {
                "政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）单项否决指标3"
            }
            Indicator::AnnualReport => "政府信息公开条例第四十九条、第五十条",
            Indicator::WrittenAfterPublished => "政府信息公开条例第十二条（目录的生成日期）",
            Indicator::DuplicateIndexNo => "政府信息公开条例第十二条（政府信息公开目录）",
            Indicator::MissingAttachment => {
                "政府网站与政务新媒体检查指标（国办秘函〔2019〕19号）可用性：链接可用性"
            }
        }
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The section as a whole.
    Site,
    /// A column: its id and name.
    Column {
        /// Column id.
        id: String,
        /// Column name.
        name: String,
    },
    /// An item: its position in the feed and id.
    Item {
        /// 0-based position in `items`.
        index: usize,
        /// Item id.
        id: String,
    },
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Site => f.write_str("the section"),
            Subject::Column { id, name } => write!(f, "column {id} ({name})"),
            Subject::Item { index, id } => write!(f, "items[{index}] (id {id:?})"),
        }
    }
}

/// One indicator that fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which indicator.
    pub indicator: Indicator,
    /// How much it weighs.
    pub level: Level,
    /// The column or item.
    pub subject: Subject,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub action: String,
}

impl fmt::Display for Finding {
    /// `veto: 栏目不更新 (stale-column): column tzgg (通知公告): …; do: …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({}): {}: {}; to do: {}",
            self.level,
            self.indicator.label(),
            self.indicator,
            self.subject,
            self.message,
            self.action
        )
    }
}

/// Whether an attachment's file is on disk: `None` when its URL is not one
/// of the site's files (not checked), else whether the file exists.
pub type FileLookup<'a> = &'a dyn Fn(&str) -> Option<bool>;

/// Settings of an audit.
#[derive(Clone, Copy)]
pub struct AuditOptions<'a> {
    /// The day of the audit (Beijing date).
    pub today: PlainDate,
    /// The attachment lookup (`--files DIR`), if any.
    pub files: Option<FileLookup<'a>>,
}

impl AuditOptions<'_> {
    /// An audit on `today` with no attachment lookup.
    pub fn on(today: PlainDate) -> AuditOptions<'static> {
        AuditOptions { today, files: None }
    }
}

/// What [`audit`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// The day of the audit.
    pub today: PlainDate,
    /// Every finding, site first, then columns in order, then items.
    pub findings: Vec<Finding>,
    /// Attachments checked against the files (`--files`).
    pub attachments_checked: usize,
}

impl AuditReport {
    /// The number of findings at `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether a 单项否决 item fails.
    pub fn vetoed(&self) -> bool {
        self.count(Level::Veto) > 0
    }

    /// `0 veto (单项否决), 2 faults, 0 advice`.
    pub fn summary(&self) -> String {
        let n = |l: Level| self.count(l);
        format!(
            "{} veto (单项否决), {} {}, {} advice",
            n(Level::Veto),
            n(Level::Fault),
            if n(Level::Fault) == 1 {
                "fault"
            } else {
                "faults"
            },
            n(Level::Advice)
        )
    }

    /// The report as JSON (`gongkai audit --format json`).
    pub fn to_json(&self) -> Value {
        let findings: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                let mut v = json!({
                    "indicator": f.indicator.as_str(),
                    "name": f.indicator.label(),
                    "level": f.level.as_str(),
                    "rule": f.indicator.rule(),
                    "message": f.message,
                    "action": f.action,
                });
                match &f.subject {
                    Subject::Site => {}
                    Subject::Column { id, name } => {
                        v["column"] = json!({"id": id, "name": name});
                    }
                    Subject::Item { index, id } => {
                        v["item"] = json!({"index": index, "id": id});
                    }
                }
                v
            })
            .collect();
        json!({
            "today": self.today.to_string(),
            "summary": {
                "veto": self.count(Level::Veto),
                "fault": self.count(Level::Fault),
                "advice": self.count(Level::Advice),
            },
            "attachments_checked": self.attachments_checked,
            "findings": findings,
        })
    }
}

/// More blank columns than this fail the site (单项否决指标3: 空白栏目数量超过5个).
pub const BLANK_COLUMNS_VETO: usize = 5;

/// The kind of a column: its own `kind`, else one its name gives, when no
/// column carries that kind explicitly (`true`: inferred).
fn column_kinds(columns: &[Column]) -> Vec<Option<(ColumnKind, bool)>> {
    let explicit: Vec<ColumnKind> = columns.iter().filter_map(|c| c.kind).collect();
    columns
        .iter()
        .map(|c| match c.kind {
            Some(k) => Some((k, false)),
            None => kind_from_name(&c.name)
                .filter(|k| !explicit.contains(k))
                .map(|k| (k, true)),
        })
        .collect()
}

/// The statutory kind a column's name says, e.g. `政府信息公开指南` → guide.
fn kind_from_name(name: &str) -> Option<ColumnKind> {
    if name.contains("依申请") {
        Some(ColumnKind::Apply)
    } else if name.contains("指南") {
        Some(ColumnKind::Guide)
    } else if name.contains("年报") || name.contains("年度报告") {
        Some(ColumnKind::AnnualReport)
    } else if name.contains("主动公开") {
        Some(ColumnKind::Proactive)
    } else if name.contains("公开制度") {
        Some(ColumnKind::Rules)
    } else {
        None
    }
}

/// The year a 年报 covers: `report_year`, else the year before
/// `年政府信息公开…年度报告` / `年报` in its title.
pub fn report_year(item: &Item) -> Option<u16> {
    if let Some(y) = item.gov.report_year {
        return Some(y);
    }
    let title = &item.title;
    let at = title.find("年政府信息公开").or_else(|| {
        title
            .find("年度政府信息公开")
            .or_else(|| title.find("年年报"))
    })?;
    let digits: String = title[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// Audits `feed` against the indicators a feed can show.
pub fn audit(feed: &Feed, opts: &AuditOptions<'_>) -> AuditReport {
    let mut findings = Vec::new();
    let kinds = column_kinds(&feed.gov.columns);
    statutory_columns(feed, &kinds, &mut findings);
    let newest = newest_by_column(feed);
    columns(feed, &kinds, &newest, opts.today, &mut findings);
    annual_report(feed, &kinds, opts.today, &mut findings);
    let attachments_checked = items(feed, opts, &mut findings);
    AuditReport {
        today: opts.today,
        findings,
        attachments_checked,
    }
}

fn column_subject(c: &Column) -> Subject {
    Subject::Column {
        id: c.id.clone(),
        name: c.name.clone(),
    }
}

fn item_subject(index: usize, item: &Item) -> Subject {
    Subject::Item {
        index,
        id: item.id.clone(),
    }
}

/// The four statutory columns and a way to apply.
fn statutory_columns(feed: &Feed, kinds: &[Option<(ColumnKind, bool)>], out: &mut Vec<Finding>) {
    let has = |k: ColumnKind| kinds.iter().flatten().any(|(kind, _)| *kind == k);
    for k in [
        ColumnKind::Guide,
        ColumnKind::Rules,
        ColumnKind::Proactive,
        ColumnKind::AnnualReport,
    ] {
        if !has(k) {
            out.push(Finding {
                indicator: Indicator::StatutoryColumn,
                level: Level::Fault,
                subject: Subject::Site,
                message: format!("no {} column (kind {k})", k.label()),
                action: format!(
                    "add the column {} to _gov.columns with \"kind\": \"{k}\", or mark the column that holds it",
                    k.label()
                ),
            });
        }
    }
    if feed.gov.apply.is_none() && !has(ColumnKind::Apply) {
        out.push(Finding {
            indicator: Indicator::ApplyChannel,
            level: Level::Fault,
            subject: Subject::Site,
            message: "the section does not say how to apply for disclosure (依申请公开)".to_owned(),
            action: "give _gov.apply: the online application system, the address, or the e-mail of the 受理机构".to_owned(),
        });
    }
}

/// Each column's newest publication date (Beijing), by column id.
fn newest_by_column(feed: &Feed) -> HashMap<&str, PlainDate> {
    let mut newest: HashMap<&str, PlainDate> = HashMap::new();
    for item in &feed.items {
        let Ok(t) = parse_rfc3339(&item.date_published) else {
            continue;
        };
        let d = t.beijing();
        let e = newest.entry(item.gov.category.as_str()).or_insert(d);
        if d > *e {
            *e = d;
        }
    }
    newest
}

fn days_between(from: PlainDate, to: PlainDate) -> i64 {
    days_from_civil(to.year, to.month, to.day) - days_from_civil(from.year, from.month, from.day)
}

/// Blank and stale columns.
fn columns(
    feed: &Feed,
    kinds: &[Option<(ColumnKind, bool)>],
    newest: &HashMap<&str, PlainDate>,
    today: PlainDate,
    out: &mut Vec<Finding>,
) {
    let mut blank = Vec::new();
    for (c, kind) in feed.gov.columns.iter().zip(kinds) {
        let kind = kind.map(|(k, _)| k);
        // An 依申请公开 column may hold only a link to /apply.
        if kind == Some(ColumnKind::Apply) {
            continue;
        }
        let Some(&last) = newest.get(c.id.as_str()) else {
            blank.push(c);
            continue;
        };
        let limit = c
            .max_age_days
            .or_else(|| kind.and_then(ColumnKind::default_max_age_days));
        let Some(limit) = limit else { continue };
        let age = days_between(last, today);
        if age > i64::from(limit) {
            out.push(Finding {
                indicator: Indicator::StaleColumn,
                level: Level::Veto,
                subject: column_subject(c),
                message: format!(
                    "no new notice for {age} days (newest {last}; the column's limit is {limit} days)"
                ),
                action: "publish the column's current information, or set max_age_days if the column is meant to change less often".to_owned(),
            });
        }
    }
    let veto = blank.len() > BLANK_COLUMNS_VETO;
    for c in &blank {
        out.push(Finding {
            indicator: Indicator::BlankColumn,
            level: if veto { Level::Veto } else { Level::Fault },
            subject: column_subject(c),
            message: if veto {
                format!(
                    "the column has no notice; {} columns are blank, more than {BLANK_COLUMNS_VETO}",
                    blank.len()
                )
            } else {
                "the column has no notice".to_owned()
            },
            action: "publish the column's information, or remove the column from _gov.columns"
                .to_owned(),
        });
    }
}

/// The previous year's 年报, due by 31 January.
fn annual_report(
    feed: &Feed,
    kinds: &[Option<(ColumnKind, bool)>],
    today: PlainDate,
    out: &mut Vec<Finding>,
) {
    if today.month == 1 {
        return;
    }
    let due = today.year - 1;
    let report_columns: Vec<&str> = feed
        .gov
        .columns
        .iter()
        .zip(kinds)
        .filter(|(_, k)| matches!(k, Some((ColumnKind::AnnualReport, _))))
        .map(|(c, _)| c.id.as_str())
        .collect();
    let found = feed.items.iter().any(|item| {
        (report_columns.contains(&item.gov.category.as_str()) || item.gov.report_year.is_some())
            && report_year(item).is_some_and(|y| i32::from(y) == due)
    });
    if !found {
        out.push(Finding {
            indicator: Indicator::AnnualReport,
            level: Level::Fault,
            subject: Subject::Site,
            message: format!(
                "no 政府信息公开工作年度报告 for {due}: it was due by {}-01-31",
                today.year
            ),
            action: format!(
                "publish the {due} report in the 年报 column with \"report_year\": {due} (国办公开办函〔2021〕30号 format)"
            ),
        });
    }
}

/// Per-item rules; returns the number of attachments checked.
fn items(feed: &Feed, opts: &AuditOptions<'_>, out: &mut Vec<Finding>) -> usize {
    let mut index_nos: HashMap<&str, usize> = HashMap::new();
    let mut checked = 0;
    for (i, item) in feed.items.iter().enumerate() {
        if let (Some(written), Ok(published)) = (
            item.gov
                .written_date
                .as_deref()
                .and_then(|w| parse_plain_date(w).ok()),
            parse_rfc3339(&item.date_published),
        ) {
            let published = published.beijing();
            if written > published {
                out.push(Finding {
                    indicator: Indicator::WrittenAfterPublished,
                    level: Level::Fault,
                    subject: item_subject(i, item),
                    message: format!("成文日期 {written} is after the publication date {published}"),
                    action: "correct _gov.written_date or date_published: a document is written before it is published".to_owned(),
                });
            }
        }
        match index_nos.get(item.gov.index_no.as_str()) {
            Some(&first) => out.push(Finding {
                indicator: Indicator::DuplicateIndexNo,
                level: Level::Fault,
                subject: item_subject(i, item),
                message: format!(
                    "索引号 {} is also items[{first}] (id {:?})",
                    item.gov.index_no, feed.items[first].id
                ),
                action: "give each notice its own 索引号; keep the one already cited and number the other anew".to_owned(),
            }),
            None => {
                index_nos.insert(&item.gov.index_no, i);
            }
        }
        let Some(files) = opts.files else { continue };
        for (j, a) in item.attachments.iter().enumerate() {
            match files(&a.url) {
                None => {}
                Some(true) => checked += 1,
                Some(false) => {
                    checked += 1;
                    out.push(Finding {
                        indicator: Indicator::MissingAttachment,
                        level: Level::Fault,
                        subject: item_subject(i, item),
                        message: format!(
                            "attachments[{j}] ({}) has no file: {}",
                            a.title.as_deref().unwrap_or("untitled"),
                            a.url
                        ),
                        action: "upload the file to the site, or correct the attachment's url"
                            .to_owned(),
                    });
                }
            }
        }
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::check;
    use serde_json::{json, Value};

    fn day(s: &str) -> PlainDate {
        parse_plain_date(s).unwrap()
    }

    fn item(id: &str, column: &str, published: &str) -> Value {
        json!({
            "id": id, "title": format!("通知{id}"), "content_text": "正文",
            "date_published": format!("{published}T10:00:00+08:00"),
            "_gov": {"index_no": format!("kjj1/{}-{}", &published[..4], &id[id.len() - 5..]), "publisher": "科技局", "category": column}
        })
    }

    /// A section with every statutory column, an apply channel, the 2025
    /// 年报, and a notice in each column no older than 2026-01-20.
    fn complete() -> Value {
        json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "_gov": {
                "site_name": "s", "department": "d",
                "login_url": "https://x.cn/l", "register_url": "https://x.cn/r",
                "columns": [
                    {"id": "zn", "name": "政府信息公开指南", "kind": "guide"},
                    {"id": "zd", "name": "政府信息公开制度", "kind": "rules"},
                    {"id": "fd", "name": "法定主动公开内容", "kind": "proactive"},
                    {"id": "nb", "name": "政府信息公开年报", "kind": "annual_report"},
                    {"id": "gzdt", "name": "工作动态", "max_age_days": 14}
                ],
                "apply": {"email": "a@b.cn"}
            },
            "items": [
                item("i-00001", "zn", "2024-03-15"),
                item("i-00002", "zd", "2023-05-10"),
                item("i-00003", "fd", "2026-01-10"),
                {
                    "id": "i-00004", "title": "2025年政府信息公开工作年度报告", "content_text": "正文",
                    "date_published": "2026-01-20T10:00:00+08:00",
                    "_gov": {"index_no": "kjj1/2026-00004", "publisher": "科技局", "category": "nb", "report_year": 2025}
                },
                item("i-00005", "gzdt", "2026-01-20")
            ]
        })
    }

    fn run(v: &Value, today: &str) -> AuditReport {
        let r = check(&v.to_string());
        assert!(r.is_ok(), "{:#?}", r.errors);
        audit(&r.feed.unwrap(), &AuditOptions::on(day(today)))
    }

    /// (indicator, level, subject) of each finding.
    fn found(r: &AuditReport) -> Vec<(Indicator, Level, String)> {
        r.findings
            .iter()
            .map(|f| (f.indicator, f.level, f.subject.to_string()))
            .collect()
    }

    #[test]
    fn a_complete_section_passes() {
        let r = run(&complete(), "2026-02-01");
        assert_eq!(found(&r), []);
        assert!(!r.vetoed());
        assert_eq!(r.summary(), "0 veto (单项否决), 0 faults, 0 advice");
    }

    /// Each rule: a change to the complete section, the day, and the one
    /// finding it must give.
    #[test]
    fn each_rule_gives_its_finding() {
        type Change = fn(&mut Value);
        let cases: [(&str, Change, &str, Indicator, Level, &str); 10] = [
            (
                "no 制度 column",
                |v| {
                    v["_gov"]["columns"][1]["kind"] = json!(null);
                    v["_gov"]["columns"][1]["name"] = json!("规章");
                },
                "2026-02-01",
                Indicator::StatutoryColumn,
                Level::Fault,
                "the section",
            ),
            (
                "no apply channel",
                |v| {
                    v["_gov"].as_object_mut().unwrap().remove("apply");
                },
                "2026-02-01",
                Indicator::ApplyChannel,
                Level::Fault,
                "the section",
            ),
            (
                "an empty column",
                |v| {
                    v["_gov"]["columns"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({"id": "tzgg", "name": "通知公告"}));
                },
                "2026-02-01",
                Indicator::BlankColumn,
                Level::Fault,
                "column tzgg (通知公告)",
            ),
            (
                "法定主动公开 181 days old",
                |v| {
                    v["items"][2]["date_published"] = json!("2025-08-04T10:00:00+08:00");
                },
                "2026-02-01",
                Indicator::StaleColumn,
                Level::Veto,
                "column fd (法定主动公开内容)",
            ),
            (
                "动态 15 days old, limit 14",
                |v| {
                    v["items"][4]["date_published"] = json!("2026-01-17T10:00:00+08:00");
                },
                "2026-02-01",
                Indicator::StaleColumn,
                Level::Veto,
                "column gzdt (工作动态)",
            ),
            (
                "no 2025 年报 on 1 February",
                |v| {
                    v["items"][3]["_gov"]["report_year"] = json!(2024);
                    v["items"][3]["title"] = json!("年度报告");
                },
                "2026-02-01",
                Indicator::AnnualReport,
                Level::Fault,
                "the section",
            ),
            (
                "no 2026 年报 a year on",
                |_| {},
                "2027-02-01",
                Indicator::AnnualReport,
                Level::Fault,
                "the section",
            ),
            (
                "成文日期 after publication",
                |v| {
                    v["items"][0]["_gov"]["written_date"] = json!("2024-03-16");
                },
                "2026-02-01",
                Indicator::WrittenAfterPublished,
                Level::Fault,
                "items[0] (id \"i-00001\")",
            ),
            (
                "two notices, one 索引号",
                |v| {
                    v["items"][1]["_gov"]["index_no"] = json!("kjj1/2024-00001");
                },
                "2026-02-01",
                Indicator::DuplicateIndexNo,
                Level::Fault,
                "items[1] (id \"i-00002\")",
            ),
            (
                "a 年报 by its title",
                |v| {
                    v["items"][3]["_gov"]
                        .as_object_mut()
                        .unwrap()
                        .remove("report_year");
                    v["items"][3]["title"] =
                        json!("武山县科学技术局2024年政府信息公开工作年度报告");
                },
                "2026-02-01",
                Indicator::AnnualReport,
                Level::Fault,
                "the section",
            ),
        ];
        for (what, change, today, indicator, level, subject) in cases {
            let mut v = complete();
            change(&mut v);
            let mut r = run(&v, today);
            // A year on, every column is stale too: keep the rule under test.
            r.findings.retain(|f| f.indicator == indicator);
            assert_eq!(
                found(&r),
                [(indicator, level, subject.to_owned())],
                "{what}"
            );
            assert_eq!(r.vetoed(), level == Level::Veto, "{what}");
        }
    }

    #[test]
    fn the_limits_are_inclusive_and_january_is_free() {
        let mut v = complete();
        v["items"][2]["date_published"] = json!("2025-08-05T10:00:00+08:00");
        v["items"][4]["date_published"] = json!("2026-01-18T10:00:00+08:00");
        assert_eq!(
            found(&run(&v, "2026-02-01")),
            [],
            "180 and 14 days are within the limits"
        );
        // Before 1 February the previous year's report is not due yet.
        let mut v = complete();
        v["items"][3]["_gov"]["report_year"] = json!(2024);
        v["items"][3]["title"] = json!("年度报告");
        let r = run(&v, "2026-01-31");
        assert!(!r
            .findings
            .iter()
            .any(|f| f.indicator == Indicator::AnnualReport));
    }

    #[test]
    fn six_blank_columns_fail_the_site() {
        let mut v = complete();
        let cols = v["_gov"]["columns"].as_array_mut().unwrap();
        for n in 1..=5 {
            cols.push(json!({"id": format!("k{n}"), "name": format!("栏目{n}")}));
        }
        let r = run(&v, "2026-02-01");
        assert_eq!(r.count(Level::Fault), 5);
        assert!(!r.vetoed(), "five blank columns are not more than five");
        v["_gov"]["columns"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "k6", "name": "栏目6"}));
        let r = run(&v, "2026-02-01");
        assert_eq!(r.count(Level::Veto), 6);
        assert!(
            r.findings[0]
                .message
                .ends_with("6 columns are blank, more than 5"),
            "{}",
            r.findings[0]
        );
    }

    #[test]
    fn kinds_are_inferred_from_standard_names() {
        let mut v = complete();
        for c in v["_gov"]["columns"].as_array_mut().unwrap() {
            c.as_object_mut().unwrap().remove("kind");
        }
        let r = run(&v, "2026-02-01");
        assert_eq!(found(&r), [], "the standard names say the kinds");
        // 法定主动公开内容 by its name is stale after 180 days too.
        v["items"][2]["date_published"] = json!("2025-01-01T10:00:00+08:00");
        let r = run(&v, "2026-02-01");
        assert_eq!(found(&r)[0].0, Indicator::StaleColumn);
    }

    #[test]
    fn missing_attachments_are_named() {
        let mut v = complete();
        v["items"][0]["attachments"] = json!([
            {"url": "https://x.cn/xxgk/zn/a.docx", "mime_type": "application/msword", "title": "申请表"},
            {"url": "https://x.cn/xxgk/zn/b.pdf", "mime_type": "application/pdf"},
            {"url": "https://other.cn/c.pdf", "mime_type": "application/pdf"}
        ]);
        let feed = check(&v.to_string()).feed.unwrap();
        let lookup = |url: &str| {
            url.strip_prefix("https://x.cn/xxgk/")
                .map(|p| p == "zn/a.docx")
        };
        let r = audit(
            &feed,
            &AuditOptions {
                today: day("2026-02-01"),
                files: Some(&lookup),
            },
        );
        assert_eq!(r.attachments_checked, 2);
        assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
        assert_eq!(
            r.findings[0].to_string(),
            "fault: 附件无法下载 (missing-attachment): items[0] (id \"i-00001\"): attachments[1] (untitled) has no file: https://x.cn/xxgk/zn/b.pdf; to do: upload the file to the site, or correct the attachment's url"
        );
        let j = r.to_json();
        assert_eq!(j["findings"][0]["item"]["id"], "i-00001");
        assert_eq!(j["summary"]["fault"], 1);
    }

    #[test]
    fn report_years_from_titles() {
        let feed = check(&complete().to_string()).feed.unwrap();
        let mut it = feed.items[0].clone();
        for (title, year) in [
            ("武山县科学技术局2025年政府信息公开工作年度报告", Some(2025)),
            ("2019年度政府信息公开工作年度报告", Some(2019)),
            ("科技局2021年年报", Some(2021)),
            ("政府信息公开指南", None),
        ] {
            it.title = title.to_owned();
            assert_eq!(report_year(&it), year, "{title}");
        }
    }
}
