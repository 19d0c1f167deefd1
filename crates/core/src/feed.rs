//! The feed model: JSON Feed 1.1 with a `_gov` extension for the metadata of
//! a government information-disclosure notice (see `docs/feed-format.md`).
//!
//! Unknown top-level and item keys are kept (`extra`) so that a feed
//! round-trips through the builder without losing data; unknown keys *inside*
//! `_gov` are kept too, and `validate` warns about them.

use serde::{Deserialize, Serialize};
#[cfg(feature = "build")]
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

/// The only JSON Feed version this crate accepts.
pub const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";

/// A whole feed as published by a bureau.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    /// Must equal [`JSON_FEED_VERSION`].
    pub version: String,
    /// Feed title, e.g. `甘肃政务服务网-武山 科技局 政府信息公开`.
    pub title: String,
    /// The public home page of the section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_page_url: Option<String>,
    /// Where this feed is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
    /// A short description of the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// BCP 47 language tag; `zh-CN` for the sample content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Site-level government metadata.
    #[serde(rename = "_gov")]
    pub gov: SiteGov,
    /// The notices, in any order (the builder sorts them newest first).
    pub items: Vec<Item>,
    /// Other JSON Feed or extension keys, kept as they are.
    // Only the builder keeps unknown keys: `flatten` makes serde buffer
    // every field, which costs the app's wasm dearly and the app never
    // needs them.
    #[cfg(feature = "build")]
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Site-level `_gov` extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteGov {
    /// Portal and site name shown in the header, e.g. `甘肃政务服务网-武山`.
    pub site_name: String,
    /// Department that publishes the section, e.g. `科技局`.
    pub department: String,
    /// Section title; defaults to `政府信息公开`.
    #[serde(default = "default_section")]
    pub section: String,
    /// The section's columns, in navigation order.
    pub columns: Vec<Column>,
    /// The portal's unified identity service: 登录.
    pub login_url: String,
    /// The portal's unified identity service: 注册.
    pub register_url: String,
    /// 依申请公开: how to apply for disclosure (the `/apply` page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<crate::gov::Apply>,
    /// What the footer of every page carries (主办单位, 网站标识码, 备案号…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<crate::gov::Footer>,
    /// The site's synonym groups for 模糊 search (`[["低保", "最低生活保障"], …]`):
    /// they extend the default table and replace its groups that share a
    /// term with them (see `docs/search-format.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Vec<String>>,
    /// Unknown keys, kept; `validate` warns about them.
    // Only the builder keeps unknown keys: `flatten` makes serde buffer
    // every field, which costs the app's wasm dearly and the app never
    // needs them.
    #[cfg(feature = "build")]
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn default_section() -> String {
    "政府信息公开".to_owned()
}

/// One column (栏目) of the 政府信息公开 section.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Column {
    /// URL-safe identifier used in routes and file names, e.g. `fdzdgknr`.
    pub id: String,
    /// Display name, e.g. `法定主动公开内容`.
    pub name: String,
    /// Which statutory column this is, if any (`gongkai audit` checks them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::gov::ColumnKind>,
    /// How many days the column may go without a new notice before
    /// `gongkai audit` calls it stale; default
    /// [`crate::gov::ColumnKind::default_max_age_days`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_days: Option<u32>,
}

impl Column {
    /// A column with no statutory kind and no staleness limit.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Column {
        Column {
            id: id.into(),
            name: name.into(),
            ..Column::default()
        }
    }
}

/// One notice: a JSON Feed item with the `_gov` extension.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Unique (ignoring case), stable, URL-safe id (`[A-Za-z0-9._-]`, at
    /// most 80 characters; see [`crate::validate::is_item_id`]).
    pub id: String,
    /// Canonical URL of the notice on the portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Title (标题).
    pub title: String,
    /// Body as HTML; sanitised by the builder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_html: Option<String>,
    /// Body as plain text, used when there is no `content_html`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_text: Option<String>,
    /// Short plain-text summary for lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// 时间: RFC 3339 with offset, `+08:00` for Beijing time.
    pub date_published: String,
    /// Last modification, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_modified: Option<String>,
    /// 作者.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    /// Free tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// 下载 links: files attached to the notice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Item-level government metadata.
    #[serde(rename = "_gov")]
    pub gov: ItemGov,
    /// Other JSON Feed or extension keys, kept as they are.
    // Only the builder keeps unknown keys: `flatten` makes serde buffer
    // every field, which costs the app's wasm dearly and the app never
    // needs them.
    #[cfg(feature = "build")]
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A JSON Feed author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// The author's name (作者).
    pub name: String,
    /// Optional link for the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A JSON Feed attachment (a 下载 link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// HTTP(S) URL of the file.
    pub url: String,
    /// MIME type, e.g. `application/pdf`.
    pub mime_type: String,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_in_bytes: Option<u64>,
}

/// Item-level `_gov` extension.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemGov {
    /// 索引号: `<organisation code>/<yyyy>-<5 digits>`, e.g. `kjj1/2023-00026`.
    pub index_no: String,
    /// 发布机构.
    pub publisher: String,
    /// 来源.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 文号, e.g. `武科发〔2023〕12号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_no: Option<String>,
    /// 成文日期: a plain date `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_date: Option<String>,
    /// 主题分类: the id of one of the site's columns.
    pub category: String,
    /// 主题词.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// 有效性.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<Validity>,
    /// 文种, e.g. `通知`, `办法`, `解读` (the 政策文件库's facet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// 发文机关: one, or several for a joint document. Written as a string
    /// or an array of strings; empty means `publisher` ([`ItemGov::issuers`]).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many::deserialize",
        serialize_with = "one_or_many::serialize"
    )]
    pub issuer: Vec<String>,
    /// 主题分类, e.g. `["科技、教育", "科技"]` (the 栏目 is `category`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    /// What this notice is to others of the feed (解读, 修订, 废止, 相关),
    /// stated once; the bundle shows each both ways (crate::library).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    /// On a 政府信息公开年报: the year the report covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_year: Option<u16>,
    /// Unknown keys, kept; `validate` warns about them.
    // Only the builder keeps unknown keys: `flatten` makes serde buffer
    // every field, which costs the app's wasm dearly and the app never
    // needs them.
    #[cfg(feature = "build")]
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// 有效性: whether a notice is still in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Validity {
    /// 有效: in force.
    Valid,
    /// 已修订: amended.
    Amended,
    /// 已废止: repealed.
    Repealed,
    /// 已失效: expired.
    Expired,
}

impl Validity {
    /// All values, in display order.
    pub const ALL: [Validity; 4] = [
        Validity::Valid,
        Validity::Amended,
        Validity::Repealed,
        Validity::Expired,
    ];

    /// The value as written in feeds and shown to readers.
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::Valid => "有效",
            Validity::Amended => "已修订",
            Validity::Repealed => "已废止",
            Validity::Expired => "已失效",
        }
    }

    /// An ASCII slug for CSS modifier classes (`gk-validity--repealed`).
    pub fn slug(self) -> &'static str {
        match self {
            Validity::Valid => "valid",
            Validity::Amended => "amended",
            Validity::Repealed => "repealed",
            Validity::Expired => "expired",
        }
    }

    /// Whether readers must be warned that the notice no longer applies.
    pub fn is_void(self) -> bool {
        matches!(self, Validity::Repealed | Validity::Expired)
    }
}

/// Error for an unknown 有效性 value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown validity {0:?}: expected one of 有效, 已修订, 已废止, 已失效")]
pub struct UnknownValidity(pub String);

impl FromStr for Validity {
    type Err = UnknownValidity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Validity::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownValidity(s.to_owned()))
    }
}

impl fmt::Display for Validity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Validity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Validity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl ItemGov {
    /// The 发文机关: `issuer`, or the 发布机构 when the feed names none.
    pub fn issuers(&self) -> Vec<&str> {
        if self.issuer.is_empty() {
            vec![self.publisher.as_str()]
        } else {
            self.issuer.iter().map(String::as_str).collect()
        }
    }
}

/// `_gov.issuer`: a string or an array of strings, read as a list and
/// written back as a string when it holds one name.
mod one_or_many {
    use serde::de::{self, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(vec![v.to_owned()])
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }

    pub fn serialize<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
        match v {
            [one] => s.serialize_str(one),
            many => s.collect_seq(many),
        }
    }
}

/// One relation of a notice to another notice of the feed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relation {
    /// What this notice is to the other.
    #[serde(rename = "type")]
    pub kind: RelationType,
    /// The other notice's id.
    pub id: String,
}

/// `_gov.relations[].type`: what the notice is to the one it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelationType {
    /// `interprets`: this notice is a 解读 of the other.
    Interprets,
    /// `amends`: this notice 修订 the other.
    Amends,
    /// `repeals`: this notice 废止 the other.
    Repeals,
    /// `related`: 相关文件, both ways.
    Related,
}

impl RelationType {
    /// Every type, in the order the article shows them.
    pub const ALL: [RelationType; 4] = [
        RelationType::Interprets,
        RelationType::Amends,
        RelationType::Repeals,
        RelationType::Related,
    ];

    /// The value as written in feeds.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::Interprets => "interprets",
            RelationType::Amends => "amends",
            RelationType::Repeals => "repeals",
            RelationType::Related => "related",
        }
    }
}

/// Error for an unknown relation type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown relation type {0:?}: expected one of interprets, amends, repeals, related")]
pub struct UnknownRelationType(pub String);

impl FromStr for RelationType {
    type Err = UnknownRelationType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RelationType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownRelationType(s.to_owned()))
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RelationType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RelationType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Item {
    /// Names of all authors joined with `、`, as shown after 作者.
    pub fn author_names(&self) -> String {
        self.authors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
}
