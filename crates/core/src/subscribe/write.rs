//! Writing the subscription feeds (feature `build`).

use super::{feed_path, FeedFormat, EXCERPT_CHARS, FEED_ITEMS};
use crate::bundle::{Variant, ALL_LIST};
use crate::date::{parse_rfc3339, DateTime};
use crate::feed::{Feed, Item, JSON_FEED_VERSION};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// Where the public site is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrls {
    /// The root of the app's routes, without a trailing slash:
    /// `https://www.example.gov.cn/xxgk` (pages are `<site>/article/<id>`).
    pub site: String,
    /// Where the bundle is served, with a trailing slash:
    /// `https://www.example.gov.cn/xxgk/bundle/`.
    pub bundle: String,
}

impl SiteUrls {
    /// The site at `site` (`--site-url` or `home_page_url`) with its bundle
    /// at `bundle`, the mount element's `data-bundle` (`bundle/` by
    /// default): relative to the site, root-relative on its host, or absolute.
    pub fn new(site: &str, bundle: &str) -> SiteUrls {
        let site = site.trim_end_matches('/').to_owned();
        let bundle = if bundle.contains("://") {
            bundle.to_owned()
        } else if let Some(path) = bundle.strip_prefix('/') {
            let origin_end = site
                .find("://")
                .and_then(|s| site[s + 3..].find('/').map(|p| s + 3 + p))
                .unwrap_or(site.len());
            format!("{}/{path}", &site[..origin_end])
        } else {
            format!("{site}/{bundle}")
        };
        let bundle = if bundle.ends_with('/') {
            bundle
        } else {
            format!("{bundle}/")
        };
        SiteUrls { site, bundle }
    }

    /// The URL of a page of the app (`/article/x`), in `variant`.
    pub fn page(&self, path: &str, variant: Variant) -> String {
        let lang = match variant {
            Variant::Hans => String::new(),
            Variant::Hant => format!("?lang={}", variant.as_str()),
        };
        to_uri(&format!("{}{path}{lang}", self.site))
    }

    /// The URL of a bundle file.
    pub fn file(&self, path: &str) -> String {
        to_uri(&format!("{}{path}", self.bundle))
    }
}

/// `s` with every character RFC 3986 does not allow in a URI
/// percent-encoded (non-ASCII, spaces, `|`, a `%` not starting an escape…),
/// so that strict readers and the JSON Feed schema's `uri` format take it.
pub fn to_uri(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_start = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?#".contains(&b) || escape_start {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `s` as XML text or attribute value: escaped, and without the characters
/// XML 1.0 cannot carry at all (C0 controls but tab and line breaks,
/// U+FFFE, U+FFFF), which a feed's text may hold.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An RFC 3339 time in the form both Atom (`xsd:dateTime`) and JSON Feed
/// take: `T` and `Z` in capitals, no leap second.
pub fn feed_time(t: &DateTime) -> String {
    let d = t.date;
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        d.year,
        d.month,
        d.day,
        t.hour,
        t.minute,
        t.second.min(59)
    );
    if t.nanosecond > 0 {
        let frac = format!("{:09}", t.nanosecond);
        let _ = write!(s, ".{}", frac.trim_end_matches('0'));
    }
    match t.offset_minutes {
        0 => s.push('Z'),
        m => {
            let sign = if m < 0 { '-' } else { '+' };
            let _ = write!(s, "{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60);
        }
    }
    s
}

/// One notice as the feeds show it.
struct Entry<'a> {
    item: &'a Item,
    url: String,
    title: String,
    text: String,
    published: String,
    updated: String,
    column: String,
}

/// One list's feed: its title, pages and entries.
struct List<'a> {
    list: &'a str,
    title: String,
    description: String,
    page: String,
    entries: Vec<Entry<'a>>,
}

/// The text of an entry: the summary, else the body's first
/// [`EXCERPT_CHARS`] characters (… when cut), else the title.
fn entry_text(item: &Item, body_text: &str) -> String {
    if let Some(s) = item.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        return s.trim().to_owned();
    }
    let words: Vec<&str> = body_text.split_whitespace().collect();
    let text = words.join(" ");
    if text.is_empty() {
        return item.title.clone();
    }
    if text.chars().count() > EXCERPT_CHARS {
        let cut: String = text.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// What a build needs to write the feeds: the feed, its items in bundle
/// order with their body text, and how to convert text to 繁體.
pub struct FeedInput<'a> {
    /// The feed.
    pub feed: &'a Feed,
    /// Positions in `feed.items`, newest first (the bundle's order).
    pub order: &'a [usize],
    /// Plain text of each sanitised body, by position in `order`.
    pub texts: &'a [String],
    /// The build time, RFC 3339: a feed with no entry is `updated` then.
    pub built_at: &'a str,
}

/// Every feed file of the section in `variant`; `convert` turns text into
/// the variant's script (identity for 简体).
pub fn feed_files(
    input: &FeedInput<'_>,
    urls: &SiteUrls,
    variant: Variant,
    convert: &dyn Fn(&str) -> String,
) -> Vec<(String, Vec<u8>)> {
    let feed = input.feed;
    let gov = &feed.gov;
    let suffix = format!(
        " - {} - {}",
        convert(&gov.department),
        convert(&gov.site_name)
    );
    let column_name = |id: &str| {
        gov.columns
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_owned(), |c| convert(&c.name))
    };
    let entry = |pos: usize| {
        let item = &feed.items[input.order[pos]];
        let time = |s: &str| parse_rfc3339(s).map(|t| feed_time(&t)).ok();
        let published = time(&item.date_published).unwrap_or_default();
        Entry {
            item,
            url: urls.page(&format!("/article/{}", item.id), variant),
            title: convert(&item.title),
            text: convert(&entry_text(item, &input.texts[pos])),
            updated: item
                .date_modified
                .as_deref()
                .and_then(time)
                .unwrap_or_else(|| published.clone()),
            published,
            column: column_name(&item.gov.category),
        }
    };
    let section = convert(&gov.section);
    let mut lists = vec![List {
        list: ALL_LIST,
        title: format!("{section}{suffix}"),
        description: format!("{}{section}的最新信息", convert(&gov.department)),
        page: urls.page("/", variant),
        entries: (0..input.order.len().min(FEED_ITEMS)).map(entry).collect(),
    }];
    for c in &gov.columns {
        let positions: Vec<usize> = (0..input.order.len())
            .filter(|&p| feed.items[input.order[p]].gov.category == c.id)
            .take(FEED_ITEMS)
            .collect();
        let name = convert(&c.name);
        lists.push(List {
            list: &c.id,
            description: format!(
                "{}{section}“{name}”栏目的最新信息",
                convert(&gov.department)
            ),
            title: format!("{name}{suffix}"),
            page: urls.page(&format!("/column/{}", c.id), variant),
            entries: positions.into_iter().map(entry).collect(),
        });
    }
    let author = format!("{} {}", convert(&gov.site_name), convert(&gov.department));
    let mut files = Vec::new();
    for list in &lists {
        let atom = urls.file(&feed_path(variant, list.list, FeedFormat::Atom));
        let json = urls.file(&feed_path(variant, list.list, FeedFormat::JsonFeed));
        let updated = list
            .entries
            .iter()
            .map(|e| e.updated.as_str())
            .max_by_key(|u| parse_rfc3339(u).map(|t| t.sort_key()).ok())
            .unwrap_or(input.built_at);
        files.push((
            feed_path(variant, list.list, FeedFormat::Atom),
            atom_feed(list, &atom, &json, updated, &author, variant).into_bytes(),
        ));
        files.push((
            feed_path(variant, list.list, FeedFormat::JsonFeed),
            json_feed(list, &json, &author, variant, convert),
        ));
    }
    files
}

fn lang(variant: Variant) -> &'static str {
    match variant {
        Variant::Hans => "zh-CN",
        Variant::Hant => "zh-Hant",
    }
}

fn atom_feed(
    list: &List<'_>,
    self_url: &str,
    json_url: &str,
    updated: &str,
    author: &str,
    variant: Variant,
) -> String {
    let mut x = String::new();
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        lang(variant)
    );
    let _ = writeln!(x, "<id>{}</id>", xml_text(&list.page));
    let _ = writeln!(x, "<title type=\"text\">{}</title>", xml_text(&list.title));
    let _ = writeln!(
        x,
        "<subtitle type=\"text\">{}</subtitle>",
        xml_text(&list.description)
    );
    let _ = writeln!(x, "<updated>{}</updated>", xml_text(updated));
    // The page first: simple readers take the first link as the feed's.
    let _ = writeln!(
        x,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_text(&list.page)
    );
    let _ = writeln!(
        x,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_text(self_url)
    );
    let _ = writeln!(
        x,
        "<link rel=\"alternate\" type=\"application/feed+json\" href=\"{}\"/>",
        xml_text(json_url)
    );
    let _ = writeln!(x, "<author><name>{}</name></author>", xml_text(author));
    x.push_str("<generator>gongkai</generator>\n");
    for e in &list.entries {
        x.push_str("<entry>\n");
        let _ = writeln!(x, "<id>{}</id>", xml_text(&e.url));
        let _ = writeln!(x, "<title type=\"text\">{}</title>", xml_text(&e.title));
        let _ = writeln!(
            x,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_text(&e.url)
        );
        let _ = writeln!(x, "<published>{}</published>", xml_text(&e.published));
        let _ = writeln!(x, "<updated>{}</updated>", xml_text(&e.updated));
        let _ = writeln!(
            x,
            "<category term=\"{}\" label=\"{}\"/>",
            xml_text(&e.item.gov.category),
            xml_text(&e.column)
        );
        let _ = writeln!(x, "<summary type=\"text\">{}</summary>", xml_text(&e.text));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

fn json_feed(
    list: &List<'_>,
    self_url: &str,
    author: &str,
    variant: Variant,
    convert: &dyn Fn(&str) -> String,
) -> Vec<u8> {
    let items: Vec<Value> = list
        .entries
        .iter()
        .map(|e| {
            let mut o = Map::new();
            o.insert("id".into(), json!(e.url));
            o.insert("url".into(), json!(e.url));
            if let Some(u) = &e.item.url {
                o.insert("external_url".into(), json!(to_uri(u)));
            }
            o.insert("title".into(), json!(e.title));
            o.insert("content_text".into(), json!(e.text));
            o.insert("date_published".into(), json!(e.published));
            if e.updated != e.published {
                o.insert("date_modified".into(), json!(e.updated));
            }
            let g = &e.item.gov;
            o.insert("authors".into(), json!([{ "name": convert(&g.publisher) }]));
            let tags: Vec<String> = std::iter::once(e.column.clone())
                .chain(g.doc_type.iter().map(|t| convert(t)))
                .chain(g.topics.iter().map(|t| convert(t)))
                .collect();
            o.insert("tags".into(), json!(tags));
            Value::Object(o)
        })
        .collect();
    let doc = json!({
        "version": JSON_FEED_VERSION,
        "title": list.title,
        "home_page_url": list.page,
        "feed_url": self_url,
        "description": list.description,
        "language": lang(variant),
        "authors": [{ "name": author }],
        "items": items,
    });
    serde_json::to_vec(&doc).expect("plain JSON values serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_urls_resolve_the_bundle() {
        let u = SiteUrls::new("https://x.gov.cn/xxgk/", "bundle/");
        assert_eq!(u.site, "https://x.gov.cn/xxgk");
        assert_eq!(u.bundle, "https://x.gov.cn/xxgk/bundle/");
        assert_eq!(
            SiteUrls::new("https://x.gov.cn/xxgk", "/data/b").bundle,
            "https://x.gov.cn/data/b/"
        );
        assert_eq!(
            SiteUrls::new("https://x.gov.cn", "https://cdn.x.cn/b/").bundle,
            "https://cdn.x.cn/b/"
        );
        assert_eq!(
            u.page("/article/a-1", Variant::Hant),
            "https://x.gov.cn/xxgk/article/a-1?lang=zh-Hant"
        );
        assert_eq!(
            u.file(&feed_path(Variant::Hans, "all", FeedFormat::Atom)),
            "https://x.gov.cn/xxgk/bundle/feeds/zh-Hans/all.atom"
        );
    }

    #[test]
    fn uris_are_strict_ascii() {
        assert_eq!(
            to_uri("https://中国.cn/公开 a|b%zz%2F"),
            "https://%E4%B8%AD%E5%9B%BD.cn/%E5%85%AC%E5%BC%80%20a%7Cb%25zz%2F"
        );
    }

    #[test]
    fn xml_text_drops_what_xml_cannot_carry() {
        assert_eq!(
            xml_text("a<b>&\"'\u{1}\u{8}\t\u{FFFE}c"),
            "a&lt;b&gt;&amp;&quot;&apos;\tc"
        );
    }

    #[test]
    fn times_take_the_xsd_form() {
        let t = |s: &str| feed_time(&parse_rfc3339(s).unwrap());
        assert_eq!(t("2023-07-10t09:30:00z"), "2023-07-10T09:30:00Z");
        assert_eq!(t("2023-07-10T09:30:00+08:00"), "2023-07-10T09:30:00+08:00");
        assert_eq!(
            t("2016-12-31T23:59:60.500-05:30"),
            "2016-12-31T23:59:59.5-05:30"
        );
    }
}
