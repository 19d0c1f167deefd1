//! The bundle's JSON files (manifest, list pages, articles), read with the
//! app's small JSON reader ([`crate::json`]) rather than serde.
//!
//! serde_json with derived deserializers costs every chunk that reads a
//! file its parser monomorphised per type: about 15 KB of brotli wasm in
//! the main module for the manifest, 8 KB in the list chunks and 13 KB in
//! the article chunks (bench/README.md, "Issue 16"). These readers make the
//! very values serde makes (native tests compare the two on every field
//! and shape): fields serde requires are required, `#[serde(default)]`
//! fields may be absent (an `Option` may also be `null`), unknown fields
//! are ignored. A field of the wrong shape is named by its path
//! (`items[3]._gov.page`); JSON syntax errors keep their line and column.

use crate::api::AppError;
use crate::json::{self, Json};
use gongkai_core::bundle::{
    ArticleFile, ColumnInfo, Download, ListGov, ListItem, ListItemGov, ListPage, Manifest,
    Neighbour, SiteText,
};
use gongkai_core::feed::{Attachment, Author, Column, Item, ItemGov, Relation};
use gongkai_core::gov::{Apply, Contact, Footer};
use gongkai_core::library::RelatedDoc;
use std::str::FromStr;

/// Parses `text`, fetched from `url`, with `read`.
fn parse<T>(url: &str, text: &str, read: fn(Fields) -> Result<T, String>) -> Result<T, AppError> {
    let value = json::parse(text).map_err(|e| AppError::Parse {
        url: url.to_owned(),
        line: e.line,
        column: e.column,
        message: e.message.to_owned(),
    })?;
    Fields::of(&value, String::new())
        .and_then(read)
        .map_err(|message| AppError::Parse {
            url: url.to_owned(),
            line: 0,
            column: 0,
            message,
        })
}

/// `manifest.json`.
pub fn parse_manifest(url: &str, text: &str) -> Result<Manifest, AppError> {
    parse(url, text, manifest)
}

/// A list page (`<variant>/list/<list>/<page>.json`).
pub fn parse_list_page(url: &str, text: &str) -> Result<ListPage, AppError> {
    parse(url, text, list_page)
}

/// An article (`<variant>/items/<id>.json`).
pub fn parse_article(url: &str, text: &str) -> Result<ArticleFile, AppError> {
    parse(url, text, article)
}

/// The members of one JSON object, and where it is in the file.
struct Fields<'a> {
    json: &'a Json,
    path: String,
}

impl<'a> Fields<'a> {
    fn of(json: &'a Json, path: String) -> Result<Fields<'a>, String> {
        if json.is_object() {
            Ok(Fields { json, path })
        } else {
            Err(format!("{}: expected an object", Self::name(&path)))
        }
    }

    fn name(path: &str) -> &str {
        if path.is_empty() {
            "(the file)"
        } else {
            path
        }
    }

    fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// A member that may be absent or `null`.
    fn optional(&self, key: &str) -> Option<&'a Json> {
        self.json.get(key).filter(|v| **v != Json::Null)
    }

    fn required(&self, key: &str) -> Result<&'a Json, String> {
        self.json
            .get(key)
            .ok_or_else(|| format!("{}: missing field `{key}`", Self::name(&self.path)))
    }

    fn string_of(&self, key: &str, value: &Json) -> Result<String, String> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("{}: expected a string", self.at(key)))
    }

    fn string(&self, key: &str) -> Result<String, String> {
        self.string_of(key, self.required(key)?)
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        self.optional(key)
            .map(|v| self.string_of(key, v))
            .transpose()
    }

    fn number_of<T: TryFrom<u64>>(&self, key: &str, value: &Json) -> Result<T, String> {
        value
            .as_u64()
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| format!("{}: expected a whole number", self.at(key)))
    }

    fn number<T: TryFrom<u64>>(&self, key: &str) -> Result<T, String> {
        self.number_of(key, self.required(key)?)
    }

    fn opt_number<T: TryFrom<u64>>(&self, key: &str) -> Result<Option<T>, String> {
        self.optional(key)
            .map(|v| self.number_of(key, v))
            .transpose()
    }

    /// A string read with `FromStr` (an enum's name).
    fn parsed_of<T: FromStr>(&self, key: &str, value: &Json) -> Result<T, String> {
        let text = self.string_of(key, value)?;
        text.parse()
            .map_err(|_| format!("{}: unknown value \"{text}\"", self.at(key)))
    }

    /// An optional member read with `FromStr` (absent or `null`: `None`).
    fn opt_parsed<T: FromStr>(&self, key: &str) -> Result<Option<T>, String> {
        self.optional(key)
            .map(|v| self.parsed_of(key, v))
            .transpose()
    }

    /// The items of an array member, each read with `read`; absent is an
    /// error unless `default` (serde's `#[serde(default)]` on a `Vec`).
    fn list<T>(
        &self,
        key: &str,
        default: bool,
        read: impl Fn(&Self, String, &'a Json) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        let value = match self.json.get(key) {
            None if default => return Ok(Vec::new()),
            _ => self.required(key)?,
        };
        let items = value
            .as_array()
            .ok_or_else(|| format!("{}: expected an array", self.at(key)))?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| read(self, format!("{}[{i}]", self.at(key)), v))
            .collect()
    }

    fn strings(&self, key: &str, default: bool) -> Result<Vec<String>, String> {
        self.list(key, default, |_, path, v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{path}: expected a string"))
        })
    }

    /// A `#[serde(default)]` flag: absent is `false` (`null` is refused,
    /// as serde refuses it).
    fn flag(&self, key: &str) -> Result<bool, String> {
        match self.json.get(key) {
            None => Ok(false),
            Some(Json::Bool(b)) => Ok(*b),
            Some(_) => Err(format!("{}: expected a boolean", self.at(key))),
        }
    }

    /// A string or an array of strings (`_gov.issuer`), absent as empty.
    fn one_or_many(&self, key: &str) -> Result<Vec<String>, String> {
        match self.json.get(key) {
            Some(Json::String(one)) => Ok(vec![one.clone()]),
            _ => self.strings(key, true),
        }
    }

    fn object(&self, key: &str) -> Result<Fields<'a>, String> {
        Fields::of(self.required(key)?, self.at(key))
    }

    fn opt_object(&self, key: &str) -> Result<Option<Fields<'a>>, String> {
        self.optional(key)
            .map(|v| Fields::of(v, self.at(key)))
            .transpose()
    }
}

fn manifest(m: Fields) -> Result<Manifest, String> {
    let columns = m.list("columns", false, |_, path, c| {
        let c = Fields::of(c, path)?;
        Ok(ColumnInfo {
            id: c.string("id")?,
            name: c.string("name")?,
            count: c.number("count")?,
            pages: c.number("pages")?,
            kind: c.opt_parsed("kind")?,
        })
    })?;
    let localized = match m.json.get("localized") {
        None => Default::default(),
        Some(Json::Object(variants)) => variants
            .iter()
            .map(|(variant, text)| {
                let t = Fields::of(text, format!("localized.{variant}"))?;
                Ok((
                    variant.clone(),
                    SiteText {
                        title: t.string("title")?,
                        site_name: t.string("site_name")?,
                        department: t.string("department")?,
                        section: t.string("section")?,
                        columns: t.strings("columns", false)?,
                        apply: t.opt_object("apply")?.map(apply).transpose()?,
                        footer: t.opt_object("footer")?.map(footer).transpose()?,
                    },
                ))
            })
            .collect::<Result<_, String>>()?,
        Some(_) => return Err("localized: expected an object".to_owned()),
    };
    Ok(Manifest {
        format: m.number("format")?,
        title: m.string("title")?,
        site_name: m.string("site_name")?,
        department: m.string("department")?,
        section: m.string("section")?,
        login_url: m.string("login_url")?,
        register_url: m.string("register_url")?,
        home_page_url: m.opt_string("home_page_url")?,
        columns,
        item_count: m.number("item_count")?,
        pages: m.number("pages")?,
        page_size: m.number("page_size")?,
        variants: m.strings("variants", false)?,
        built_at: m.string("built_at")?,
        content_hash: m.string("content_hash")?,
        localized,
        apply: m.opt_object("apply")?.map(apply).transpose()?,
        footer: m.opt_object("footer")?.map(footer).transpose()?,
        gov_badge: m.opt_string("gov_badge")?,
        feeds: m.flag("feeds")?,
    })
}

/// 依申请公开's channels (`_gov.apply`).
fn apply(a: Fields) -> Result<Apply, String> {
    Ok(Apply {
        online_url: a.opt_string("online_url")?,
        form_url: a.opt_string("form_url")?,
        recipient: a.opt_string("recipient")?,
        address: a.opt_string("address")?,
        postcode: a.opt_string("postcode")?,
        phone: a.opt_string("phone")?,
        email: a.opt_string("email")?,
        hours: a.opt_string("hours")?,
        notes: a.opt_string("notes")?,
    })
}

/// The footer's items (`_gov.footer`).
fn footer(f: Fields) -> Result<Footer, String> {
    let contact = f
        .opt_object("contact")?
        .map(|c| {
            Ok::<_, String>(Contact {
                phone: c.opt_string("phone")?,
                email: c.opt_string("email")?,
                address: c.opt_string("address")?,
            })
        })
        .transpose()?;
    Ok(Footer {
        sponsor: f.opt_string("sponsor")?,
        organizer: f.opt_string("organizer")?,
        site_code: f.opt_string("site_code")?,
        icp: f.opt_string("icp")?,
        psb: f.opt_string("psb")?,
        gov_badge_url: f.opt_string("gov_badge_url")?,
        error_report_url: f.opt_string("error_report_url")?,
        contact,
    })
}

fn list_page(p: Fields) -> Result<ListPage, String> {
    let items = p.list("items", false, |_, path, item| {
        let i = Fields::of(item, path)?;
        let g = i.object("_gov")?;
        Ok(ListItem {
            id: i.string("id")?,
            url: i.opt_string("url")?,
            title: i.string("title")?,
            summary: i.opt_string("summary")?,
            date_published: i.string("date_published")?,
            gov: ListItemGov {
                index_no: g.string("index_no")?,
                category: g.string("category")?,
                category_name: g.string("category_name")?,
                validity: g
                    .optional("validity")
                    .map(|v| g.parsed_of("validity", v))
                    .transpose()?,
                doc_no: g.opt_string("doc_no")?,
                written_date: g.opt_string("written_date")?,
            },
        })
    })?;
    let g = p.object("_gov")?;
    Ok(ListPage {
        title: p.string("title")?,
        home_page_url: p.opt_string("home_page_url")?,
        next_url: p.opt_string("next_url")?,
        items,
        gov: ListGov {
            list: g.string("list")?,
            page: g.number("page")?,
            pages: g.number("pages")?,
            total: g.number("total")?,
        },
    })
}

fn neighbour(a: &Fields, key: &str) -> Result<Option<Neighbour>, String> {
    a.opt_object(key)?
        .map(|n| {
            Ok(Neighbour {
                id: n.string("id")?,
                title: n.string("title")?,
            })
        })
        .transpose()
}

// Without gongkai-core's `build` feature every field is set above; with it
// (a workspace build, unified with the CLI's) `extra` is not.
#[allow(clippy::needless_update)]
fn item(i: Fields) -> Result<Item, String> {
    let authors = i.list("authors", true, |_, path, a| {
        let a = Fields::of(a, path)?;
        Ok(Author {
            name: a.string("name")?,
            url: a.opt_string("url")?,
        })
    })?;
    let attachments = i.list("attachments", true, |_, path, a| {
        let a = Fields::of(a, path)?;
        Ok(Attachment {
            url: a.string("url")?,
            mime_type: a.string("mime_type")?,
            title: a.opt_string("title")?,
            size_in_bytes: a.opt_number("size_in_bytes")?,
        })
    })?;
    let g = i.object("_gov")?;
    Ok(Item {
        id: i.string("id")?,
        url: i.opt_string("url")?,
        title: i.string("title")?,
        content_html: i.opt_string("content_html")?,
        content_text: i.opt_string("content_text")?,
        summary: i.opt_string("summary")?,
        date_published: i.string("date_published")?,
        date_modified: i.opt_string("date_modified")?,
        authors,
        tags: i.strings("tags", true)?,
        attachments,
        gov: ItemGov {
            index_no: g.string("index_no")?,
            publisher: g.string("publisher")?,
            source: g.opt_string("source")?,
            doc_no: g.opt_string("doc_no")?,
            written_date: g.opt_string("written_date")?,
            category: g.string("category")?,
            keywords: g.strings("keywords", true)?,
            validity: g
                .optional("validity")
                .map(|v| g.parsed_of("validity", v))
                .transpose()?,
            report_year: g.opt_number("report_year")?,
            doc_type: g.opt_string("doc_type")?,
            issuer: g.one_or_many("issuer")?,
            topics: g.strings("topics", true)?,
            relations: g.list("relations", true, |_, path, r| {
                let r = Fields::of(r, path)?;
                Ok(Relation {
                    kind: r.parsed_of("type", r.required("type")?)?,
                    id: r.string("id")?,
                })
            })?,
            // `extra` (unknown keys), which only the builder keeps.
            ..Default::default()
        },
        ..Default::default()
    })
}

fn article(a: Fields) -> Result<ArticleFile, String> {
    let column = a.object("column")?;
    let downloads = a.list("downloads", true, |_, path, d| {
        let d = Fields::of(d, path)?;
        Ok(Download {
            kind: d.parsed_of("kind", d.required("kind")?)?,
            path: d.string("path")?,
            mime_type: d.string("mime_type")?,
            size_in_bytes: d.number("size_in_bytes")?,
            file_name: d.string("file_name")?,
        })
    })?;
    let related = a.list("related", true, |_, path, r| {
        let r = Fields::of(r, path)?;
        Ok(RelatedDoc {
            role: r.parsed_of("role", r.required("role")?)?,
            id: r.string("id")?,
            title: r.string("title")?,
        })
    })?;
    Ok(ArticleFile {
        item: item(a.object("item")?)?,
        column: Column {
            id: column.string("id")?,
            name: column.string("name")?,
            kind: column.opt_parsed("kind")?,
            max_age_days: column.opt_number("max_age_days")?,
        },
        prev: neighbour(&a, "prev")?,
        next: neighbour(&a, "next")?,
        downloads,
        related,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde_json::{json, Value};

    fn manifest_sample() -> Value {
        json!({
            "format": 1, "title": "政府信息公开", "site_name": "甘肃政务服务网-武山",
            "department": "科技局", "section": "政府信息公开",
            "login_url": "https://x/login", "register_url": "https://x/reg",
            "home_page_url": "https://x/",
            "columns": [
                {"id": "gzdt", "name": "工作动态", "count": 21, "pages": 2, "kind": "guide"},
                {"id": "tzgg", "name": "通知公告", "count": 0, "pages": 1}
            ],
            "item_count": 21, "pages": 2, "page_size": 20, "variants": ["zh-Hans", "zh-Hant"],
            "built_at": "2026-12-01T00:00:00Z", "content_hash": "abc123",
            "localized": {"zh-Hant": {"title": "政府信息公開", "site_name": "甘肅政務服務網-武山",
                "department": "科技局", "section": "政府信息公開", "columns": ["工作動態", "通知公告"],
                "apply": {"recipient": "武山縣科學技術局辦公室", "email": "kjj@example.cn"},
                "footer": {"sponsor": "武山縣科學技術局", "contact": {"phone": "0938-1234567"}}}},
            "apply": {"online_url": "https://x/apply", "form_url": "https://x/form.docx",
                "recipient": "武山县科学技术局办公室", "address": "武山县城关镇", "postcode": "741300",
                "phone": "0938-1234567", "email": "kjj@example.cn", "hours": "工作日 9:00-17:00",
                "notes": "<p>说明</p>"},
            "footer": {"sponsor": "武山县科学技术局", "organizer": "武山县科学技术局办公室",
                "site_code": "6205240001", "icp": "陇ICP备12345678号", "psb": "甘公网安备62052402000123号",
                "gov_badge_url": "https://x/badge", "error_report_url": "https://x/err",
                "contact": {"phone": "0938-1234567", "email": "kjj@example.cn", "address": "武山县城关镇"}},
            "gov_badge": "gov-badge.png",
            "feeds": true,
            "a_field_of_a_later_version": [1, {"x": null}]
        })
    }

    fn fixture(name: &str) -> Value {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    /// An article with every field, on top of the fixture.
    fn article_sample() -> Value {
        let mut a = fixture("article.json");
        let item = a.pointer_mut("/item").unwrap().as_object_mut().unwrap();
        item.insert("summary".into(), json!("摘要"));
        item.insert("content_text".into(), json!("正文"));
        item.insert("date_modified".into(), json!("2023-07-15T09:30:00+08:00"));
        item.insert("tags".into(), json!(["甲", "乙"]));
        item.insert(
            "authors".into(),
            json!([{"name": "李凤林", "url": "https://x/a"}]),
        );
        let gov = a
            .pointer_mut("/item/_gov")
            .unwrap()
            .as_object_mut()
            .unwrap();
        gov.insert("written_date".into(), json!("2023-07-10"));
        gov.insert("keywords".into(), json!(["科技", "文明"]));
        gov.insert("report_year".into(), json!(2025));
        gov.insert("doc_type".into(), json!("办法"));
        gov.insert("issuer".into(), json!(["武山县科学技术局", "武山县财政局"]));
        gov.insert("topics".into(), json!(["科技、教育", "科技"]));
        gov.insert(
            "relations".into(),
            json!([{"type": "amends", "id": "kjj1-2022-00003"}, {"type": "related", "id": "x"}]),
        );
        let root = a.as_object_mut().unwrap();
        root.insert(
            "related".into(),
            json!([{"role": "amends", "id": "kjj1-2022-00003", "title": "旧办法"},
                   {"role": "interpretation", "id": "kjj1-2023-00030", "title": "解读"}]),
        );
        root.insert("next".into(), json!({"id": "older", "title": "较旧的一篇"}));
        root["column"]["kind"] = json!("proactive");
        root["column"]["max_age_days"] = json!(90);
        root.insert(
            "downloads".into(),
            json!([{"kind": "pdf", "path": "zh-Hans/files/a.pdf", "mime_type": "application/pdf",
                    "size_in_bytes": 112674, "file_name": "a.pdf"}]),
        );
        a
    }

    /// `ours` and serde read `value` to the same thing.
    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
        value: &Value,
        ours: fn(&str, &str) -> Result<T, AppError>,
    ) -> T {
        let theirs: T = serde_json::from_value(value.clone()).unwrap();
        let read = ours("u", &value.to_string()).unwrap();
        assert_eq!(read, theirs);
        read
    }

    #[test]
    fn reads_what_serde_reads() {
        let m = same(&manifest_sample(), parse_manifest);
        assert_eq!(m.localized["zh-Hant"].columns[0], "工作動態");
        assert!(m.columns[0].kind.is_some() && m.footer.is_some() && m.gov_badge.is_some());
        assert!(m.localized["zh-Hant"].apply.is_some());
        same(&fixture("list-page.json"), parse_list_page);
        let a = same(&article_sample(), parse_article);
        assert_eq!(a.downloads.len(), 1);
        assert_eq!(a.item.gov.keywords, ["科技", "文明"]);
        assert!(m.feeds && a.related.len() == 2 && a.item.gov.relations.len() == 2);
        assert_eq!(a.item.gov.report_year, Some(2025));
        assert_eq!(a.item.gov.issuer.len(), 2);
        // One 发文机关 may be a plain string.
        let mut one = article_sample();
        one["item"]["_gov"]["issuer"] = json!("武山县科学技术局");
        assert_eq!(
            same(&one, parse_article).item.gov.issuer,
            ["武山县科学技术局"]
        );
        let mut l = fixture("list-page.json");
        l["items"][0]["_gov"]["doc_no"] = json!("武科发〔2023〕12号");
        l["items"][0]["_gov"]["written_date"] = json!("2023-07-10");
        let l = same(&l, parse_list_page);
        assert!(l.items[0].gov.doc_no.is_some() && l.items[0].gov.written_date.is_some());
    }

    #[test]
    fn optional_fields_may_be_absent_or_null() {
        let mut m = manifest_sample();
        m.as_object_mut().unwrap().remove("localized");
        m["home_page_url"] = Value::Null;
        let m = same(&m, parse_manifest);
        assert!(m.home_page_url.is_none() && m.localized.is_empty());

        let mut l = fixture("list-page.json");
        l.as_object_mut().unwrap().remove("next_url");
        l["home_page_url"] = Value::Null;
        l["items"][0]["_gov"]
            .as_object_mut()
            .unwrap()
            .remove("validity");
        l["items"][1]["summary"] = json!("摘要");
        same(&l, parse_list_page);

        let mut a = article_sample();
        for key in ["prev", "next", "downloads"] {
            a.as_object_mut().unwrap().remove(key);
        }
        for key in ["url", "content_html", "authors", "attachments", "tags"] {
            a["item"].as_object_mut().unwrap().remove(key);
        }
        a["item"]["summary"] = Value::Null;
        a["item"]["_gov"]["validity"] = Value::Null;
        let a = same(&a, parse_article);
        assert!(a.prev.is_none() && a.downloads.is_empty() && a.item.authors.is_empty());
    }

    #[test]
    fn wrong_shapes_are_named_by_their_path() {
        type Check = fn(&str, &str) -> Result<(), AppError>;
        let m: Check = |u, t| parse_manifest(u, t).map(drop);
        let l: Check = |u, t| parse_list_page(u, t).map(drop);
        let a: Check = |u, t| parse_article(u, t).map(drop);
        let cases: Vec<(Value, Check, &str, Value, &str)> = vec![
            (
                manifest_sample(),
                m,
                "/columns/1/count",
                json!(-1),
                "columns[1].count: expected a whole number",
            ),
            (
                manifest_sample(),
                m,
                "/columns/0/name",
                json!(7),
                "columns[0].name: expected a string",
            ),
            (
                manifest_sample(),
                m,
                "/variants",
                json!("zh-Hans"),
                "variants: expected an array",
            ),
            (
                manifest_sample(),
                m,
                "/localized/zh-Hant/columns/1",
                json!(null),
                "localized.zh-Hant.columns[1]: expected a string",
            ),
            (
                manifest_sample(),
                m,
                "/format",
                json!(1.5),
                "format: expected a whole number",
            ),
            (
                fixture("list-page.json"),
                l,
                "/items/1/_gov/validity",
                json!("作废"),
                "items[1]._gov.validity: unknown value \"作废\"",
            ),
            (
                fixture("list-page.json"),
                l,
                "/_gov/page",
                json!("1"),
                "_gov.page: expected a whole number",
            ),
            (
                fixture("list-page.json"),
                l,
                "/items/0",
                json!([]),
                "items[0]: expected an object",
            ),
            (
                article_sample(),
                a,
                "/downloads/0/kind",
                json!("doc"),
                "downloads[0].kind: unknown value \"doc\"",
            ),
            (
                article_sample(),
                a,
                "/item/attachments/0/size_in_bytes",
                json!("1 KB"),
                "item.attachments[0].size_in_bytes: expected a whole number",
            ),
            (
                article_sample(),
                a,
                "/item/tags",
                json!(null),
                "item.tags: expected an array",
            ),
            (
                article_sample(),
                a,
                "/column",
                json!("fdzdgknr"),
                "column: expected an object",
            ),
        ];
        for (mut value, parse, pointer, bad, expected) in cases {
            *value.pointer_mut(pointer).unwrap() = bad;
            match parse("u", &value.to_string()).unwrap_err() {
                AppError::Parse { message, url, .. } => {
                    assert_eq!(message, expected, "{pointer}");
                    assert_eq!(url, "u");
                }
                other => panic!("{pointer}: expected a parse error, got {other:?}"),
            }
        }
        let mut value = manifest_sample();
        value.as_object_mut().unwrap().remove("content_hash");
        let err = parse_manifest("u", &value.to_string()).unwrap_err();
        assert!(
            err.to_string()
                .contains("(the file): missing field `content_hash`"),
            "{err}"
        );
        let mut value = article_sample();
        value["item"]["_gov"]
            .as_object_mut()
            .unwrap()
            .remove("publisher");
        let err = parse_article("u", &value.to_string()).unwrap_err();
        assert!(
            err.to_string()
                .contains("item._gov: missing field `publisher`"),
            "{err}"
        );
    }

    /// Every shape error above is one serde refuses too (the readers are
    /// no more lenient than serde).
    #[test]
    fn serde_refuses_the_same_shapes() {
        let mut value = fixture("list-page.json");
        value["items"][1]["_gov"]["validity"] = json!("作废");
        assert!(serde_json::from_value::<ListPage>(value).is_err());
        let mut value = article_sample();
        value["item"]["tags"] = Value::Null;
        assert!(serde_json::from_value::<ArticleFile>(value).is_err());
        let mut value = article_sample();
        value["downloads"][0]["kind"] = json!("doc");
        assert!(serde_json::from_value::<ArticleFile>(value).is_err());
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        match parse_manifest("u", "{\n  \"format\": 1,").unwrap_err() {
            AppError::Parse { line, column, .. } => assert_eq!((line, column), (2, 14)),
            other => panic!("expected a parse error, got {other:?}"),
        }
    }
}
