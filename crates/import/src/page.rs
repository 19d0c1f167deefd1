//! Pages saved from the current site (a `wget -r` mirror or "save page
//! as"): which CMS layout a page has, its metadata, its body without the
//! site's navigation and footers, and its attachments.
//!
//! Layouts, tried in this order ([`Layout`]):
//! - 博达 VSB: the body in `vsb_content` (or `v_news_content`);
//! - 拓尔思 TRS: the body in `TRS_Editor`;
//! - 大汉 Hanweb: URLs `/art/YYYY/M/D/art_<column>_<id>.html`, body in `zoom`;
//! - the seed page's: a line with 发布机构 / 索引号 / 来源 / 时间 / 作者
//!   above the body (甘肃政务服务网, the page gongkai is modelled on);
//! - generic: the element with the most running text.
//!
//! Metadata labels are read leniently: spaces inside labels (`索 引 号`),
//! `：` or `:`, any order, in a line or in a table.

use crate::bodies::{extension, mime_of};
use crate::dates::{parse_when, When};
use crate::fields::Field;
use crate::html::{clean, Cleaned};
use crate::record::{Origin, Record};
use crate::text::{cjk_count, collapse, half_width, is_cjk, is_space, squeeze, trim};
use encoding_rs::{Encoding, GB18030, UTF_8};
use gongkai_core::feed::Attachment;
use scraper::{ElementRef, Html, Selector};
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::LazyLock;
use url::Url;

/// The CMS layout a page was recognised by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    /// 博达 VSB.
    Vsb,
    /// 拓尔思 TRS WCM.
    Trs,
    /// 大汉 Hanweb JCMS.
    Hanweb,
    /// The seed page's metadata line above the body.
    Seed,
    /// No known layout: the main text found by its density.
    Generic,
}

impl Layout {
    /// Every layout, in detection order.
    pub const ALL: [Layout; 5] = [
        Layout::Vsb,
        Layout::Trs,
        Layout::Hanweb,
        Layout::Seed,
        Layout::Generic,
    ];

    /// Its name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Vsb => "vsb",
            Layout::Trs => "trs",
            Layout::Hanweb => "hanweb",
            Layout::Seed => "seed",
            Layout::Generic => "generic",
        }
    }
}

/// Error for an unknown layout name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown layout {0:?}: expected one of vsb, trs, hanweb, seed, generic")]
pub struct UnknownLayout(pub String);

impl FromStr for Layout {
    type Err = UnknownLayout;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Layout::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLayout(s.to_owned()))
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Extensions of links that are attachments.
pub const ATTACHMENT_EXTENSIONS: &[&str] = &[
    "doc", "docx", "pdf", "xls", "xlsx", "zip", "rar", "7z", "wps", "et", "ofd", "ppt", "pptx",
    "txt",
];

/// Decodes a page: a byte-order mark, else the charset its `<meta>` declares
/// (GBK, GB2312 and GB18030 read as GB18030), checked against the content:
/// a page that says UTF-8 but is not valid UTF-8 is read as GB18030. Returns
/// the text and a note when the declaration was wrong.
pub fn decode_html(bytes: &[u8]) -> (String, Option<String>) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return (
            enc.decode_without_bom_handling(&bytes[bom..])
                .0
                .into_owned(),
            None,
        );
    }
    let declared = meta_charset(&bytes[..bytes.len().min(4096)]);
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
    let enc = match declared {
        Some(e) if e == UTF_8 && !utf8_ok => {
            let text = GB18030.decode_without_bom_handling(bytes).0.into_owned();
            return (
                text,
                Some("declared UTF-8 but is not: read as GB18030".to_owned()),
            );
        }
        Some(e) if e == GB18030 || e.name() == "GBK" => GB18030,
        Some(e) => e,
        None if utf8_ok => UTF_8,
        None => GB18030,
    };
    (enc.decode_without_bom_handling(bytes).0.into_owned(), None)
}

/// The charset a page declares in `<meta charset>` or `http-equiv`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let mut j = from + i + b"charset".len();
        while j < lower.len() && matches!(lower[j], b' ' | b'=' | b'"' | b'\'') {
            j += 1;
        }
        let start = j;
        while j < lower.len()
            && (lower[j].is_ascii_alphanumeric() || matches!(lower[j], b'-' | b'_'))
        {
            j += 1;
        }
        if let Some(e) = Encoding::for_label(&lower[start..j]) {
            return Some(e);
        }
        from = j.max(from + i + 1);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A page read into a record.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRecord {
    /// The record.
    pub record: Record,
    /// The layout it was recognised by.
    pub layout: Layout,
}

macro_rules! selector {
    ($name:ident, $css:expr) => {
        static $name: LazyLock<Selector> =
            LazyLock::new(|| Selector::parse($css).expect("a valid selector"));
    };
}

selector!(VSB_BODY, "[id^='vsb_content'], .v_news_content");
selector!(TRS_BODY, ".TRS_Editor, .TRS_UEDITOR");
selector!(HANWEB_BODY, "#zoom, .zoom, #art_content, .bt_content");
selector!(META, "meta[name]");
selector!(TITLE, "title");
selector!(H1, "h1");
selector!(
    TITLE_CLASS,
    ".title, .article-title, .titlestyle, .news_title, .art_title, .bt, .tit, .sp_title, h2"
);
selector!(ALL, "body *");
selector!(LINKS, "a[href]");
selector!(ROWS, "tr");

/// Labels that end a metadata value but are not read: page furniture.
const STOP_LABELS: &[&str] = &[
    "字体",
    "字号",
    "浏览次数",
    "访问次数",
    "点击数",
    "点击率",
    "阅读次数",
    "阅读",
    "浏览",
    "打印",
    "关闭",
    "分享",
    "分享到",
    "视力保护色",
    "【",
];

/// The URL a saved page was at: "save page as" leaves a `saved from url`
/// comment; otherwise the base URL joined with the file's path in the mirror.
pub fn old_url(text: &str, rel_path: &str, base: &Url) -> Option<Url> {
    if let Some(i) = text.find("saved from url=(") {
        let rest = &text[i + "saved from url=(".len()..];
        if let Some(close) = rest.find(')') {
            let url: String = rest[close + 1..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '-')
                .collect();
            if let Ok(u) = Url::parse(&url) {
                if matches!(u.scheme(), "http" | "https") {
                    return Some(u);
                }
            }
        }
    }
    base.join(&rel_path.replace('\\', "/")).ok()
}

/// The body of an HTML file given as a catalogue's body: the known layouts'
/// body element, else the main text.
pub fn body_only(text: &str, base: Option<&Url>) -> BodyOnly {
    let doc = Html::parse_document(text);
    let container = [&*VSB_BODY, &*TRS_BODY, &*HANWEB_BODY]
        .iter()
        .find_map(|s| doc.select(s).next())
        .or_else(|| main_text(&doc));
    match container {
        Some(c) => {
            let cleaned = clean(c, base);
            let mut notes = Vec::new();
            note_dropped(&cleaned, &mut notes);
            BodyOnly {
                html: remove_furniture(&cleaned.html),
                notes,
            }
        }
        None => {
            let cleaned = clean(doc.root_element(), base);
            BodyOnly {
                html: remove_furniture(&cleaned.html),
                notes: Vec::new(),
            }
        }
    }
}

/// [`body_only`]'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyOnly {
    /// Clean HTML.
    pub html: String,
    /// Remarks.
    pub notes: Vec<String>,
}

// Script links (打印, 关闭) are furniture: dropping them is not worth a note.
fn note_dropped(c: &Cleaned, notes: &mut Vec<String>) {
    if c.dropped_images > 0 {
        notes.push(format!(
            "{} image(s) without a usable address (data: URLs) left out",
            c.dropped_images
        ));
    }
}

/// The first date written outside the body (a date line under the title
/// with no label), for pages whose metadata has none.
fn first_date_outside(doc: &Html, body: ElementRef<'_>) -> Option<When> {
    for node in doc.root_element().descendants() {
        let Some(t) = node.value().as_text() else {
            continue;
        };
        if node.ancestors().any(|a| {
            a == *body
                || a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "title"))
        }) {
            continue;
        }
        let chars: Vec<char> = half_width(t).chars().collect();
        for i in 0..chars.len() {
            if i > 0 && chars[i - 1].is_ascii_digit() {
                continue;
            }
            let cand: String = chars[i..].iter().take(11).collect();
            let end = cand
                .char_indices()
                .filter(|(_, c)| *c == '日' || c.is_ascii_digit())
                .map(|(k, c)| k + c.len_utf8())
                .next_back()
                .unwrap_or(0);
            let cand = &cand[..end];
            if cand.len() >= 8 && cand.chars().take(4).all(|c| c.is_ascii_digit()) {
                if let Ok(w) = parse_when(cand) {
                    return Some(w);
                }
            }
        }
    }
    None
}

/// Reads one saved page. `rel_path` is its path under the mirror directory
/// (for its old URL), `root` that directory (for attachment sizes).
pub fn read_page(
    text: &str,
    rel_path: &str,
    root: &Path,
    base: &Url,
    file: &Path,
) -> Result<PageRecord, String> {
    let doc = Html::parse_document(text);
    let url = old_url(text, rel_path, base);
    let (layout, container, meta_line) = detect(&doc, url.as_ref())?;
    let mut r = Record {
        origin: Some(Origin::file(file)),
        old_url: url.as_ref().map(Url::to_string),
        ..Default::default()
    };
    // Metadata: tables and lines with labels outside the body, then <meta>.
    let labels = match meta_line {
        Some(line) => scan_labels(&element_text(line)),
        None => metadata_outside(&doc, container),
    };
    apply_labels(&mut r, &labels);
    apply_meta_tags(&mut r, &doc);
    if r.title.is_none() {
        r.title = title_of(&doc, layout, container, meta_line);
    }
    if r.published.is_none() {
        r.published = url
            .as_ref()
            .and_then(date_from_url)
            .or_else(|| first_date_outside(&doc, container));
    }
    // The body: the container, or (seed layout) what follows the metadata line.
    let cleaned = match (layout, meta_line) {
        (Layout::Seed, Some(line)) => after_line(line, url.as_ref()),
        _ => clean(container, url.as_ref()),
    };
    note_dropped(&cleaned, &mut r.notes);
    let body = remove_furniture(&cleaned.html);
    if body.is_empty() {
        return Err(format!("{} layout, but the body is empty", layout.as_str()));
    }
    r.body = Some(body);
    r.attachments = attachments(&doc, container, meta_line, url.as_ref(), root, base);
    Ok(PageRecord { record: r, layout })
}

type Detected<'a> = (Layout, ElementRef<'a>, Option<ElementRef<'a>>);

fn detect<'a>(doc: &'a Html, url: Option<&Url>) -> Result<Detected<'a>, String> {
    if let Some(c) = doc.select(&VSB_BODY).next() {
        return Ok((Layout::Vsb, c, None));
    }
    if let Some(c) = doc.select(&TRS_BODY).next() {
        return Ok((Layout::Trs, c, None));
    }
    let hanweb_url = url.is_some_and(|u| is_hanweb_path(u.path()));
    if hanweb_url {
        if let Some(c) = doc.select(&HANWEB_BODY).next().or_else(|| main_text(doc)) {
            return Ok((Layout::Hanweb, c, None));
        }
    }
    if let Some(line) = metadata_line(doc) {
        if let Some(parent) = line.parent().and_then(ElementRef::wrap) {
            return Ok((Layout::Seed, parent, Some(line)));
        }
    }
    if let Some(c) = main_text(doc) {
        return Ok((Layout::Generic, c, None));
    }
    let chars = cjk_count(&element_text(doc.root_element()));
    Err(format!(
        "unknown layout: no vsb_content, TRS_Editor or zoom element, no 发布机构/索引号/时间 line, and no block of running text ({chars} Chinese characters on the page, in links and menus): a list or navigation page?"
    ))
}

/// `/art/2023/7/14/art_1234_5678.html`.
pub fn is_hanweb_path(path: &str) -> bool {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(pos) = segs.iter().position(|s| *s == "art") else {
        return false;
    };
    let rest = &segs[pos + 1..];
    rest.len() == 4
        && rest[..3]
            .iter()
            .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        && rest[3].starts_with("art_")
        && (rest[3].ends_with(".html") || rest[3].ends_with(".htm"))
}

/// Dates in URLs: 大汉 `/art/2023/7/14/`, TRS `t20230714_123.html`.
fn date_from_url(url: &Url) -> Option<When> {
    let path = url.path();
    let segs: Vec<&str> = path.split('/').collect();
    if let Some(pos) = segs.iter().position(|s| *s == "art") {
        if segs.len() > pos + 3 {
            if let Ok(w) = parse_when(&format!(
                "{}-{}-{}",
                segs[pos + 1],
                segs[pos + 2],
                segs[pos + 3]
            )) {
                return Some(w);
            }
        }
    }
    let file = segs.last()?;
    let digits = file.strip_prefix('t')?.get(..8)?;
    parse_when(digits).ok()
}

fn element_text(e: ElementRef<'_>) -> String {
    let mut s = String::new();
    for t in e.text() {
        s.push_str(t);
    }
    s
}

/// The smallest element whose text is a line with at least three of the
/// seed page's labels (发布机构, 索引号, 来源, 时间, 作者).
fn metadata_line(doc: &Html) -> Option<ElementRef<'_>> {
    const LABELS: [&str; 5] = ["发布机构", "索引号", "来源", "时间", "作者"];
    let mut best: Option<(usize, ElementRef<'_>)> = None;
    for e in doc.select(&ALL) {
        if matches!(
            e.value().name(),
            "script" | "style" | "table" | "tbody" | "tr"
        ) {
            continue;
        }
        let text = element_text(e);
        let len = text.chars().count();
        if len > 300 {
            continue;
        }
        let sq = squeeze(&text);
        let found = LABELS
            .iter()
            .filter(|l| sq.contains(&format!("{l}:")) || sq.contains(&format!("{l}：")))
            .count();
        if found >= 3 && best.as_ref().is_none_or(|(n, _)| len < *n) {
            best = Some((len, e));
        }
    }
    best.map(|(_, e)| e)
}

/// Labels and values found in metadata tables and lines outside the body.
fn metadata_outside(doc: &Html, body: ElementRef<'_>) -> Vec<(Field, String)> {
    let mut out = Vec::new();
    // Tables: a label cell followed by its value cell.
    for row in doc.select(&ROWS) {
        if row.ancestors().any(|a| a == *body) {
            continue;
        }
        let cells: Vec<String> = row
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .map(|c| collapse(&element_text(c)))
            .collect();
        let mut i = 0;
        while i < cells.len() {
            let cell = &cells[i];
            let labels = scan_labels(cell);
            if !labels.is_empty() {
                out.extend(labels.into_iter().filter(|(_, v)| !v.is_empty()));
                // `索引号：` alone: its value is the next cell.
                if let Some(f) = label_only(cell) {
                    if let Some(v) = cells.get(i + 1).filter(|v| label_only(v).is_none()) {
                        out.push((f, v.clone()));
                        i += 1;
                    }
                }
            } else if let Some(f) = label_only(cell) {
                if let Some(v) = cells.get(i + 1) {
                    out.push((f, v.clone()));
                    i += 1;
                }
            }
            i += 1;
        }
    }
    // Lines: the smallest elements with labels, outside the body and tables.
    for e in doc.select(&ALL) {
        if matches!(
            e.value().name(),
            "table" | "tbody" | "tr" | "td" | "th" | "script" | "style" | "body" | "html"
        ) || e.ancestors().any(|a| {
            a == *body
                || a.value()
                    .as_element()
                    .is_some_and(|el| el.name() == "table")
        }) || *e == *body
        {
            continue;
        }
        let has_label_child = e
            .child_elements()
            .any(|c| !scan_labels(&element_text(c)).is_empty());
        if has_label_child {
            continue;
        }
        let text = element_text(e);
        if text.chars().count() > 400 {
            continue;
        }
        out.extend(
            scan_labels(&text)
                .into_iter()
                .filter(|(_, v)| !v.is_empty()),
        );
    }
    out
}

/// The end (after the colon) of `name` written at `i`, spaces allowed
/// between its characters and before the colon.
fn match_label(chars: &[char], i: usize, name: &str) -> Option<usize> {
    let mut k = i;
    for (n, want) in name.chars().enumerate() {
        if n > 0 {
            while k < chars.len() && is_space(chars[k]) {
                k += 1;
            }
        }
        if chars.get(k) != Some(&want) {
            return None;
        }
        k += 1;
    }
    while k < chars.len() && is_space(chars[k]) {
        k += 1;
    }
    matches!(chars.get(k), Some(':' | '：')).then_some(k + 1)
}

/// A cell that is only a label (`索 引 号：`, `发布机构`).
fn label_only(cell: &str) -> Option<Field> {
    let sq = squeeze(cell);
    let sq = sq.trim_end_matches([':', '：']);
    if sq.chars().count() > 6 {
        return None;
    }
    Field::recognise(sq).filter(|f| *f != Field::BodyFile)
}

/// First characters of the known labels and furniture, to skip the rest fast.
static LABEL_STARTS: LazyLock<std::collections::HashSet<char>> = LazyLock::new(|| {
    Field::ALL
        .iter()
        .flat_map(|f| f.names().iter())
        .chain(STOP_LABELS.iter())
        .filter_map(|n| n.chars().next())
        .collect()
});

/// The labels of a metadata line or cell and their values:
/// `发布机构:科技局 索引号:kjj1/2023-00026 来源:科技局 时间:2023-07-14 作者:李凤林`.
/// Spaces may stand inside a label, `：` or `:` after it; a value runs to the
/// next label, a `【`, or furniture such as `字体：`.
pub fn scan_labels(text: &str) -> Vec<(Field, String)> {
    let chars: Vec<char> = text.chars().collect();
    // (start, end after the colon, field or None for a stop).
    let mut marks: Vec<(usize, usize, Option<Field>)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '【' {
            marks.push((i, i + 1, None));
            i += 1;
            continue;
        }
        if !(LABEL_STARTS.contains(&chars[i]) || i == 0 || is_space(chars[i - 1])) {
            i += 1;
            continue;
        }
        let boundary = i == 0
            || is_space(chars[i - 1])
            || !is_cjk(chars[i - 1])
            || matches!(chars[i - 1], '】' | '|' | '，' | '。' | '；' | '）');
        if !boundary || !is_cjk(chars[i]) {
            i += 1;
            continue;
        }
        // The longest known label (spaces inside allowed) followed by a colon;
        // else an unknown label of 2-6 characters (furniture such as 阅读量：).
        let mut best: Option<(usize, usize, Option<Field>)> = None;
        for f in Field::ALL {
            if f == Field::BodyFile {
                continue;
            }
            for name in f.names() {
                if let Some(end) = match_label(&chars, i, name) {
                    let n = name.chars().count();
                    if best.is_none_or(|b| n > b.0) {
                        best = Some((n, end, Some(f)));
                    }
                }
            }
        }
        for name in STOP_LABELS {
            if let Some(end) = match_label(&chars, i, name) {
                let n = name.chars().count();
                if best.is_none_or(|b| n > b.0) {
                    best = Some((n, end, None));
                }
            }
        }
        if best.is_none() && (i == 0 || is_space(chars[i - 1])) {
            let n = chars[i..]
                .iter()
                .take_while(|c| is_cjk(**c) && !matches!(c, '：' | '【' | '】'))
                .count();
            let mut k = i + n;
            while k < chars.len() && is_space(chars[k]) {
                k += 1;
            }
            if (2..=6).contains(&n) && matches!(chars.get(k), Some(':' | '：')) {
                best = Some((n, k + 1, None));
            }
        }
        let best = best.map(|(_, end, f)| (end, f));
        match best {
            Some((end, field)) => {
                marks.push((i, end, field));
                i = end;
            }
            None => i += 1,
        }
    }
    let mut out = Vec::new();
    for (k, &(_, end, field)) in marks.iter().enumerate() {
        let Some(field) = field else { continue };
        let stop = marks.get(k + 1).map_or(chars.len(), |m| m.0);
        let value: String = chars[end..stop].iter().collect();
        let value = collapse(&value);
        let value = value
            .trim_end_matches(['|', '】', '，', ','])
            .trim()
            .to_owned();
        out.push((field, value));
    }
    out
}

fn apply_labels(r: &mut Record, labels: &[(Field, String)]) {
    for (field, value) in labels {
        let v = trim(value);
        if v.is_empty() {
            continue;
        }
        let set = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = Some(v.to_owned());
            }
        };
        match field {
            Field::IndexNo => set(&mut r.index_no),
            Field::Title => set(&mut r.title),
            Field::Publisher => set(&mut r.publisher),
            Field::DocNo => set(&mut r.doc_no),
            Field::Source => set(&mut r.source),
            Field::Author => set(&mut r.author),
            Field::Summary => set(&mut r.summary),
            Field::Validity => set(&mut r.validity),
            Field::Category => set(&mut r.category),
            Field::Column => set(&mut r.column),
            Field::Keywords => {
                if r.keywords.is_empty() {
                    r.keywords = crate::text::split_words(v);
                }
            }
            Field::WrittenDate => {
                if r.written.is_none() {
                    match parse_when(v) {
                        Ok(w) => r.written = Some(w),
                        Err(e) => r.notes.push(format!("成文日期 left out: {e}")),
                    }
                }
            }
            Field::Published => match parse_when(v) {
                // The same day with a time of day says more.
                Ok(w)
                    if r.published.as_ref().is_none_or(|p| {
                        p.time.is_none() && w.time.is_some() && p.date == w.date
                    }) =>
                {
                    r.published = Some(w)
                }
                Ok(_) => {}
                Err(e) if r.published.is_none() => {
                    r.notes.push(format!("发布日期 {v:?} not read: {e}"))
                }
                Err(_) => {}
            },
            Field::BodyFile | Field::Ignore => {}
        }
    }
    if let Some(i) = r.index_no.take() {
        r.index_no = Some(squeeze(&half_width(&i)));
    }
}

/// The national monitoring's meta tags (ArticleTitle, PubDate,
/// ContentSource, Author, Keywords, Description), where labels were silent.
fn apply_meta_tags(r: &mut Record, doc: &Html) {
    for m in doc.select(&META) {
        let (Some(name), Some(content)) = (m.attr("name"), m.attr("content")) else {
            continue;
        };
        let content = collapse(content);
        if content.is_empty() {
            continue;
        }
        match name.to_ascii_lowercase().as_str() {
            "articletitle" if r.title.is_none() => r.title = Some(content),
            "pubdate" => {
                if let Ok(w) = parse_when(&content) {
                    if r.published
                        .as_ref()
                        .is_none_or(|p| p.time.is_none() && w.time.is_some() && p.date == w.date)
                    {
                        r.published = Some(w);
                    }
                }
            }
            "columnname" if r.column.is_none() && r.category.is_none() => r.column = Some(content),
            "contentsource" if r.source.is_none() => r.source = Some(content),
            "author" if r.author.is_none() && content.chars().count() <= 20 => {
                r.author = Some(content)
            }
            "keywords" if r.keywords.is_empty() => r.keywords = crate::text::split_words(&content),
            _ => {}
        }
    }
}

fn title_of(
    doc: &Html,
    layout: Layout,
    body: ElementRef<'_>,
    line: Option<ElementRef<'_>>,
) -> Option<String> {
    let ok = |s: String| {
        let s = collapse(&s);
        (!s.is_empty() && s.chars().count() <= 150).then_some(s)
    };
    // The seed layout: the heading just above the metadata line.
    if let Some(line) = line {
        let mut node = line;
        for _ in 0..3 {
            let before = node
                .prev_siblings()
                .filter_map(ElementRef::wrap)
                .find(|e| !trim(&element_text(*e)).is_empty());
            if let Some(t) = before.and_then(|e| ok(element_text(e))) {
                return Some(t);
            }
            node = node.parent().and_then(ElementRef::wrap)?;
        }
    }
    let outside = |e: &ElementRef<'_>| !e.ancestors().any(|a| a == *body);
    if let Some(t) = doc
        .select(&H1)
        .filter(outside)
        .find_map(|e| ok(element_text(e)))
    {
        return Some(t);
    }
    let _ = layout;
    if let Some(t) = doc
        .select(&TITLE_CLASS)
        .filter(outside)
        .find_map(|e| ok(element_text(e)))
    {
        return Some(t);
    }
    let title = doc.select(&TITLE).next().map(element_text)?;
    let first = title.split(['_', '|', '-']).next().unwrap_or(&title);
    ok(first.to_owned())
}

/// The clean HTML of what follows the metadata line in its parent (the seed
/// layout: title, line, body as siblings).
fn after_line(line: ElementRef<'_>, base: Option<&Url>) -> Cleaned {
    let mut out = Cleaned::default();
    for sib in line.next_siblings() {
        if let Some(e) = ElementRef::wrap(sib) {
            let c = clean(e, base);
            out.html.push_str(&c.html);
            out.dropped_images += c.dropped_images;
            out.dropped_links += c.dropped_links;
        } else if let Some(t) = sib.value().as_text() {
            if !trim(t).is_empty() {
                out.html.push_str(&format!(
                    "<p>{}</p>",
                    gongkai_core::sanitize::escape_html(trim(t))
                ));
            }
        }
    }
    out
}

/// Paragraphs that are the page's furniture, not the notice: 【打印】
/// 【关闭】, 字体：大 中 小, 分享到, 上一篇 / 下一篇.
fn remove_furniture(html: &str) -> String {
    const FURNITURE: &[&str] = &[
        "【打印",
        "【关闭",
        "字体：",
        "字体:",
        "【字体",
        "分享到",
        "上一篇",
        "下一篇",
        "打印本页",
        "关闭窗口",
        "【下载Word",
        "【下载PDF",
        "扫一扫在手机打开",
    ];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<p>") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("</p>") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let para = &rest[start..start + end + 4];
        let text = para.replace(['<', '>'], " ");
        let short = cjk_count(&text) < 40;
        if !(short && FURNITURE.iter().any(|f| text.contains(f))) {
            out.push_str(para);
        }
        rest = &rest[start + end + 4..];
    }
    out.push_str(rest);
    out
}

/// The element with the most running text: each paragraph's Chinese
/// characters count for its parent (and half for the grandparent); menus,
/// headers and footers, and link-heavy blocks are left out.
pub fn main_text(doc: &Html) -> Option<ElementRef<'_>> {
    use std::collections::HashMap;
    let mut scores: HashMap<ego_tree::NodeId, (usize, ElementRef<'_>)> = HashMap::new();
    for e in doc.select(&ALL) {
        let name = e.value().name();
        if !matches!(
            name,
            "p" | "div" | "td" | "span" | "font" | "li" | "section" | "article"
        ) || chrome(e)
        {
            continue;
        }
        // The element's own text (not in block children), without links.
        let own: usize = e
            .children()
            .map(|c| {
                if let Some(t) = c.value().as_text() {
                    cjk_count(t)
                } else if let Some(ce) = ElementRef::wrap(c) {
                    match ce.value().name() {
                        "a" | "div" | "p" | "table" | "ul" | "ol" | "li" | "td" => 0,
                        _ => cjk_count(&element_text(ce)),
                    }
                } else {
                    0
                }
            })
            .sum();
        if own < 10 {
            continue;
        }
        let mut up = e.parent().and_then(ElementRef::wrap);
        let target = if name == "p" || name == "span" || name == "font" {
            up
        } else {
            Some(e)
        };
        if let Some(t) = target {
            scores.entry(t.id()).or_insert((0, t)).0 += own;
            up = t.parent().and_then(ElementRef::wrap);
            if let Some(g) = up {
                scores.entry(g.id()).or_insert((0, g)).0 += own / 2;
            }
        }
    }
    let mut best: Vec<(usize, ElementRef<'_>)> = scores.into_values().collect();
    best.sort_by_key(|b| std::cmp::Reverse(b.0));
    best.into_iter()
        .filter(|(score, e)| *score >= 50 && !chrome(*e) && link_density(*e) < 0.5)
        .map(|(_, e)| e)
        .next()
}

fn link_density(e: ElementRef<'_>) -> f64 {
    let total = cjk_count(&element_text(e)).max(1);
    static A: LazyLock<Selector> = LazyLock::new(|| Selector::parse("a").expect("valid"));
    let linked: usize = e.select(&A).map(|a| cjk_count(&element_text(a))).sum();
    linked as f64 / total as f64
}

/// Navigation, headers, footers, sidebars: by element or by class and id.
fn chrome(e: ElementRef<'_>) -> bool {
    const WORDS: &[&str] = &[
        "nav",
        "menu",
        "footer",
        "foot",
        "header",
        "head",
        "sidebar",
        "side",
        "breadcrumb",
        "crumb",
        "copyright",
        "share",
        "bottom",
        "top",
        "banner",
        "position",
        "location",
        "dqwz",
    ];
    e.ancestors()
        .chain(std::iter::once(*e))
        .filter_map(|n| n.value().as_element())
        .any(|el| {
            if matches!(el.name(), "nav" | "header" | "footer" | "aside") {
                return true;
            }
            let mut names = String::new();
            if let Some(id) = el.id() {
                names.push_str(&id.to_ascii_lowercase());
                names.push(' ');
            }
            for c in el.classes() {
                names.push_str(&c.to_ascii_lowercase());
                names.push(' ');
            }
            names
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| WORDS.contains(&w))
        })
}

/// Links to files (.doc, .pdf, .zip…) in the article: in the body and
/// around it (an attachment list after the body), with their titles.
fn attachments(
    doc: &Html,
    body: ElementRef<'_>,
    line: Option<ElementRef<'_>>,
    page: Option<&Url>,
    root: &Path,
    base: &Url,
) -> Vec<Attachment> {
    // The article region: the body's parent (its siblings hold attachment lists).
    let region = body
        .parent()
        .and_then(ElementRef::wrap)
        .filter(|p| p.value().name() != "body")
        .unwrap_or(body);
    let _ = doc;
    let mut out: Vec<Attachment> = Vec::new();
    for a in region.select(&LINKS) {
        if line.is_some_and(|l| a.ancestors().any(|x| x == *l)) || chrome(a) {
            continue;
        }
        let href = a.attr("href").unwrap_or("");
        let text = collapse(&element_text(a));
        if text.contains("下载Word") || text.contains("下载PDF") {
            continue;
        }
        let Some(url) = page
            .and_then(|p| p.join(trim(href)).ok())
            .or_else(|| Url::parse(trim(href)).ok())
        else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let ext = extension(Path::new(url.path()))
            .filter(|e| ATTACHMENT_EXTENSIONS.contains(&e.as_str()))
            .or_else(|| {
                extension(Path::new(&text)).filter(|e| ATTACHMENT_EXTENSIONS.contains(&e.as_str()))
            });
        let Some(ext) = ext else { continue };
        if out.iter().any(|x| x.url == url.as_str()) {
            continue;
        }
        // `附件1：名称` → `名称`; a name that starts with digits keeps them.
        let title = match text.strip_prefix("附件") {
            Some(rest) => rest
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start_matches(['：', ':', '.', '、', '【']),
            None => text.as_str(),
        };
        let title = title
            .trim_start_matches('【')
            .trim_end_matches('】')
            .trim()
            .to_owned();
        let size = crate::files::in_mirror(&url, root, base)
            .and_then(|p| std::fs::metadata(p).ok())
            .map(|m| m.len());
        out.push(Attachment {
            url: url.to_string(),
            mime_type: mime_of(&ext).to_owned(),
            title: (!title.is_empty()).then_some(title),
            size_in_bytes: size,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_round_trip() {
        for l in Layout::ALL {
            assert_eq!(l.as_str().parse::<Layout>(), Ok(l));
        }
        assert!("dede".parse::<Layout>().is_err());
    }

    #[test]
    fn labels_are_read_leniently() {
        let labels = scan_labels("发布机构:科技局 索引号:kjj1/2023-00026 来源:科技局 时间:2023-07-14  作者:李凤林 【字体:  【下载Word】 【下载PDF】");
        assert_eq!(
            labels,
            [
                (Field::Publisher, "科技局".to_owned()),
                (Field::IndexNo, "kjj1/2023-00026".to_owned()),
                (Field::Source, "科技局".to_owned()),
                (Field::Published, "2023-07-14".to_owned()),
                (Field::Author, "李凤林".to_owned()),
            ]
        );
        let labels = scan_labels("索　引　号：013930123/2023-00012  发文字号 ： 武科发〔2023〕12号 浏览次数：35 成文日期:2023年7月10日");
        assert_eq!(
            labels,
            [
                (Field::IndexNo, "013930123/2023-00012".to_owned()),
                (Field::DocNo, "武科发〔2023〕12号".to_owned()),
                (Field::WrittenDate, "2023年7月10日".to_owned()),
            ]
        );
        // A colon inside a value is no label.
        assert_eq!(
            scan_labels("标题：武山县科学技术局:扎实开展文明单位创建工作"),
            [(
                Field::Title,
                "武山县科学技术局:扎实开展文明单位创建工作".to_owned()
            )]
        );
    }

    #[test]
    fn encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>科技局</body></html>");
        let (text, note) = decode_html(&gbk);
        assert!(text.contains("科技局") && note.is_none());
        let (gbk, _, _) = encoding_rs::GBK.encode("<meta charset=\"utf-8\"><p>索引号</p>");
        let (text, note) = decode_html(&gbk);
        assert!(text.contains("索引号"));
        assert_eq!(
            note.as_deref(),
            Some("declared UTF-8 but is not: read as GB18030")
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("<p>没有声明</p>");
        assert!(decode_html(&gbk).0.contains("没有声明"));
    }

    #[test]
    fn hanweb_paths_and_url_dates() {
        assert!(is_hanweb_path("/art/2023/7/14/art_1234_5678.html"));
        assert!(is_hanweb_path("/wsx/art/2023/12/1/art_1_2.html"));
        assert!(!is_hanweb_path("/col/col123/index.html"));
        let u = Url::parse("http://x.gov.cn/art/2023/7/14/art_1_2.html").unwrap();
        assert_eq!(date_from_url(&u).unwrap().plain(), "2023-07-14");
        let u = Url::parse("http://x.gov.cn/zwgk/202307/t20230714_123.html").unwrap();
        assert_eq!(date_from_url(&u).unwrap().plain(), "2023-07-14");
    }

    #[test]
    fn saved_from_url() {
        let base = Url::parse("http://www.example.gov.cn/").unwrap();
        let t = "<!DOCTYPE html>\n<!-- saved from url=(0058)http://www.wushan.gov.cn/art/2023/7/14/art_1_2.html -->\n<html>";
        assert_eq!(
            old_url(t, "a.html", &base).unwrap().as_str(),
            "http://www.wushan.gov.cn/art/2023/7/14/art_1_2.html"
        );
        assert_eq!(
            old_url("<html>", "kjj/a.html", &base).unwrap().as_str(),
            "http://www.example.gov.cn/kjj/a.html"
        );
    }

    #[test]
    fn furniture_goes() {
        assert_eq!(
            remove_furniture("<p>正文。</p><p>【打印】【关闭】</p><p>上一篇：无</p>"),
            "<p>正文。</p>"
        );
    }
}
