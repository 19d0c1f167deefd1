//! The 政策文件库's fields of an item's `_gov` (docs/feed-format.md, "The
//! policy library"): 文种, 发文机关 and 主题分类 (each a facet value, hence a
//! path segment of the library's pages), the relations between notices,
//! and the form of the 文号.
//!
//! Relations are checked in two steps: each item's own list while the item
//! is read (types, self-references, repeats), then every target against
//! the ids of the whole feed ([`Checker::relation_targets`]), where a
//! repealed or amended notice's 有效性 is compared with what its relation
//! says.

use super::{is_windows_reserved, join, quote, Checker, Kind};
use crate::docno::DocNo;
use crate::feed::{RelationType, Validity};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The longest 文种, 发文机关 or 主题分类, in characters.
pub const MAX_FACET_CHARS: usize = 60;

/// What is wrong with `s` as a facet value (a 文种, 发文机关 or 主题分类),
/// or `None`. A value names pages of the 政策文件库 (`/library/topic/科技`)
/// and their files on every system, so it is refused when blank, longer
/// than [`MAX_FACET_CHARS`], padded with spaces, starting or ending with
/// `.`, a name Windows reserves, or holding a control character or one of
/// `/ \ : * ? " < > |`.
pub fn facet_value_problem(s: &str) -> Option<String> {
    if s.trim().is_empty() {
        return Some("must not be empty".to_owned());
    }
    if s.trim() != s {
        return Some("must not start or end with a space".to_owned());
    }
    if s.chars().count() > MAX_FACET_CHARS {
        return Some(format!("is longer than {MAX_FACET_CHARS} characters"));
    }
    if s.starts_with('.') || s.ends_with('.') {
        return Some("must not start or end with '.'".to_owned());
    }
    if is_windows_reserved(s) {
        return Some("is a name Windows reserves for devices (CON, NUL, COM1…)".to_owned());
    }
    s.chars()
        .find(|&c| {
            c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
        .map(|c| {
            format!(
                "holds {c:?}, which a page name cannot: avoid / \\ : * ? \" < > | and control characters (全角 ： and ／ are fine)"
            )
        })
}

/// What the relation check needs of an item: its id and its 有效性
/// (`None`: none given; `Some(None)`: one that is not known).
pub(super) struct Target {
    id: Option<String>,
    validity: Option<Option<Validity>>,
}

impl Target {
    /// The item `v`'s.
    pub(super) fn of(v: &Value) -> Target {
        let gov = v.get("_gov").and_then(Value::as_object);
        Target {
            id: v.get("id").and_then(Value::as_str).map(str::to_owned),
            validity: gov.and_then(|g| {
                g.get("validity")
                    .and_then(Value::as_str)
                    .map(|s| s.parse::<Validity>().ok())
            }),
        }
    }
}

/// A relation as written, kept until every id of the feed is known.
pub(super) struct Link {
    /// Position of the item that states it.
    item: usize,
    /// That item's id.
    id: Option<String>,
    /// Path of the relation, `items[3]._gov.relations[0]`.
    path: String,
    kind: RelationType,
    target: String,
}

impl Checker {
    /// A 文号 not in the GB/T 9704 form: kept as written, with a warning.
    pub(super) fn doc_no(&mut self, path: &str, s: &str) {
        if let Err(e) = DocNo::parse(s) {
            self.warn(
                Kind::BadDocNo,
                path,
                format!(
                    "文号 {} is not in the form 机关代字〔年份〕序号号 ({e}); it is shown as written, but the 政策文件库's 文号 box cannot find it",
                    quote(s)
                ),
            );
        }
    }

    /// `doc_type`, `issuer`, `topics` and the item's own `relations`.
    pub(super) fn library_gov(&mut self, gov: &Map<String, Value>, base: &str) {
        if let Some(s) = self.opt_str(gov, base, "doc_type") {
            self.facet_value(&join(base, "doc_type"), "文种", s);
        }
        let path = join(base, "issuer");
        match gov.get("issuer") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => self.facet_value(&path, "发文机关", s),
            Some(Value::Array(a)) if a.is_empty() => self.err(
                Kind::EmptyValue,
                &path,
                "\"issuer\" must name at least one 发文机关 (or leave it out: it defaults to publisher)"
                    .to_owned(),
            ),
            Some(Value::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    match v {
                        Value::String(s) => self.facet_value(&p, "发文机关", s),
                        other => self.wrong_type(&p, "a string", other),
                    }
                }
            }
            Some(v) => self.wrong_type(&path, "a string or an array of strings", v),
        }
        if let Some(topics) = self.opt_array(gov, base, "topics") {
            let path = join(base, "topics");
            for (i, v) in topics.iter().enumerate() {
                let p = format!("{path}[{i}]");
                match v {
                    Value::String(s) => self.facet_value(&p, "主题分类", s),
                    other => self.wrong_type(&p, "a string", other),
                }
            }
        }
        if let Some(relations) = self.opt_array(gov, base, "relations") {
            let path = join(base, "relations");
            let mut seen: Vec<(RelationType, &str, usize)> = Vec::new();
            for (i, v) in relations.iter().enumerate() {
                let p = format!("{path}[{i}]");
                let Some(r) = self.object(v, &p, "a relation") else {
                    continue;
                };
                let kind = self.req_str(r, &p, "type").and_then(|t| {
                    let parsed = t.parse::<RelationType>();
                    if parsed.is_err() {
                        self.err(
                            Kind::UnknownRelationType,
                            &join(&p, "type"),
                            format!("unknown relation type {}: expected interprets (this notice is a 解读 of the other), amends (修订), repeals (废止) or related (相关文件)", quote(t)),
                        );
                    }
                    parsed.ok()
                });
                let target = self.req_str(r, &p, "id");
                let (Some(kind), Some(target)) = (kind, target) else {
                    continue;
                };
                let own = self.item.as_ref().and_then(|(_, id)| id.clone());
                if own.as_deref() == Some(target) {
                    self.err(
                        Kind::SelfRelation,
                        &join(&p, "id"),
                        format!("the notice names itself ({kind} {target:?}): a relation links two different notices"),
                    );
                    continue;
                }
                if let Some(&(_, _, first)) =
                    seen.iter().find(|(k, t, _)| *k == kind && *t == target)
                {
                    self.err(
                        Kind::DuplicateRelation,
                        &p,
                        format!("{kind} {target:?} is stated twice: also {path}[{first}]"),
                    );
                    continue;
                }
                seen.push((kind, target, i));
                let (item, id) = self.item.clone().unwrap_or((0, None));
                self.links.push(Link {
                    item,
                    id,
                    path: p,
                    kind,
                    target: target.to_owned(),
                });
            }
        }
    }

    fn facet_value(&mut self, path: &str, what: &str, s: &str) {
        if let Some(problem) = facet_value_problem(s) {
            let kind = if s.trim().is_empty() {
                Kind::EmptyValue
            } else {
                Kind::BadFacetValue
            };
            self.err(kind, path, format!("{what} {} {problem}", quote(s)));
        }
    }

    /// Checks every relation's target against the ids of `items`, and the
    /// 有效性 of repealed and amended notices.
    pub(super) fn relation_targets(&mut self, items: &[Target]) {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, t) in items.iter().enumerate() {
            if let Some(id) = &t.id {
                ids.entry(id).or_insert(i);
            }
        }
        for link in std::mem::take(&mut self.links) {
            self.item = Some((link.item, link.id.clone()));
            let Some(&j) = ids.get(link.target.as_str()) else {
                let lower = link.target.to_ascii_lowercase();
                let hint = ids
                    .iter()
                    .find(|(id, _)| id.to_ascii_lowercase() == lower)
                    .map(|(id, k)| format!(" (items[{k}] has id {id:?}: ids are compared exactly)"))
                    .unwrap_or_default();
                self.err(
                    Kind::UnknownRelationTarget,
                    &join(&link.path, "id"),
                    format!("no item of the feed has id {}{hint}", quote(&link.target)),
                );
                continue;
            };
            let validity = items[j].validity;
            let by = format!(
                "items[{}]{} ({})",
                link.item,
                link.id
                    .as_deref()
                    .map(|id| format!(" (id {id:?})"))
                    .unwrap_or_default(),
                join(&link.path, "type")
            );
            let target_id = items[j].id.clone();
            let shown = match validity {
                Some(Some(v)) => format!("marked {v}"),
                Some(None) => "marked with an unknown 有效性".to_owned(),
                None => "has no validity".to_owned(),
            };
            let message = match (link.kind, validity) {
                (RelationType::Repeals, Some(Some(v))) if v.is_void() => None,
                (RelationType::Repeals, _) => Some(format!(
                    "repealed by {by}, but {shown}: mark it 已废止 (or 已失效)"
                )),
                (RelationType::Amends, Some(Some(Validity::Valid))) => Some(format!(
                    "amended by {by}, but still marked 有效: mark it 已修订"
                )),
                _ => None,
            };
            if let Some(message) = message {
                self.item = Some((j, target_id));
                self.warn(
                    Kind::RelationValidity,
                    &format!("items[{j}]._gov.validity"),
                    message,
                );
            }
        }
        self.item = None;
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, Diagnostic, Severity};
    use super::*;
    use serde_json::json;

    fn feed(items: Value) -> Value {
        json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "_gov": {"site_name": "s", "department": "d", "columns": [{"id": "a", "name": "A"}],
                     "login_url": "https://x.cn/l", "register_url": "https://x.cn/r"},
            "items": items
        })
    }

    fn item(id: &str, gov: Value) -> Value {
        let mut g =
            json!({"index_no": "a/2023-00001", "publisher": "武山县科学技术局", "category": "a"});
        for (k, v) in gov.as_object().unwrap() {
            g[k] = v.clone();
        }
        json!({"id": id, "title": id, "content_text": "x",
               "date_published": "2023-01-01T00:00:00+08:00", "_gov": g})
    }

    /// Every diagnostic as `severity kind path`, in order, then the messages.
    fn diagnostics(items: Value) -> (Vec<String>, Vec<Diagnostic>) {
        let r = check(&feed(items).to_string());
        let all: Vec<Diagnostic> = r.errors.into_iter().chain(r.warnings).collect();
        let short = all
            .iter()
            .map(|d| format!("{} {} {}", d.severity, d.kind.as_str(), d.path))
            .collect();
        (short, all)
    }

    #[test]
    fn library_fields_parse_into_the_model() {
        let r = check(
            &feed(json!([
                item("banfa", json!({"doc_type": "办法", "issuer": ["武山县科学技术局", "武山县财政局"],
                    "topics": ["科技、教育", "科技"], "doc_no": "武科发〔2023〕3号", "validity": "有效"})),
                item("jiedu", json!({"doc_type": "解读", "issuer": "武山县科学技术局",
                    "relations": [{"type": "interprets", "id": "banfa"}]})),
            ]))
            .to_string(),
        );
        assert!(r.errors.is_empty() && r.warnings.is_empty(), "{r:#?}");
        let feed = r.feed.unwrap();
        let (banfa, jiedu) = (&feed.items[0].gov, &feed.items[1].gov);
        assert_eq!(banfa.doc_type.as_deref(), Some("办法"));
        assert_eq!(banfa.issuers(), ["武山县科学技术局", "武山县财政局"]);
        assert_eq!(banfa.topics, ["科技、教育", "科技"]);
        assert_eq!(jiedu.issuer, ["武山县科学技术局"]);
        assert_eq!(jiedu.relations[0].kind, RelationType::Interprets);
        // A single issuer is written back as the string it was.
        let json = serde_json::to_value(jiedu).unwrap();
        assert_eq!(json["issuer"], "武山县科学技术局");
        assert_eq!(json["relations"][0]["type"], "interprets");
        // No issuer: the 发布机构.
        let mut no_issuer = banfa.clone();
        no_issuer.issuer.clear();
        assert_eq!(no_issuer.issuers(), ["武山县科学技术局"]);
    }

    #[test]
    fn each_relation_error_is_located() {
        let (short, all) = diagnostics(json!([
            item(
                "a",
                json!({"relations": [
                    {"type": "explains", "id": "b"},
                    {"type": "repeals", "id": "nowhere"},
                    {"type": "related", "id": "a"},
                    {"type": "related", "id": "b"},
                    {"type": "related", "id": "b"},
                    {"type": "amends", "id": "B"},
                    {"id": "b"},
                    "b"
                ]})
            ),
            item("b", json!({})),
        ]));
        assert_eq!(
            short,
            [
                "error unknown-relation-type items[0]._gov.relations[0].type",
                "error self-relation items[0]._gov.relations[2].id",
                "error duplicate-relation items[0]._gov.relations[4]",
                "error missing-field items[0]._gov.relations[6].type",
                "error not-an-object items[0]._gov.relations[7]",
                "error unknown-relation-target items[0]._gov.relations[1].id",
                "error unknown-relation-target items[0]._gov.relations[5].id",
            ]
        );
        let text: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert!(text[0].starts_with("error: items[0] (id \"a\"): _gov.relations[0].type: unknown relation type \"explains\": expected interprets"), "{}", text[0]);
        assert_eq!(text[1], "error: items[0] (id \"a\"): _gov.relations[2].id: the notice names itself (related \"a\"): a relation links two different notices");
        assert_eq!(text[2], "error: items[0] (id \"a\"): _gov.relations[4]: related \"b\" is stated twice: also items[0]._gov.relations[3]");
        assert_eq!(text[5], "error: items[0] (id \"a\"): _gov.relations[1].id: no item of the feed has id \"nowhere\"");
        assert_eq!(text[6], "error: items[0] (id \"a\"): _gov.relations[5].id: no item of the feed has id \"B\" (items[1] has id \"b\": ids are compared exactly)");
    }

    #[test]
    fn repealed_and_amended_notices_must_say_so() {
        let (short, all) = diagnostics(json!([
            item(
                "new",
                json!({"relations": [
                    {"type": "repeals", "id": "old"},
                    {"type": "repeals", "id": "gone"},
                    {"type": "repeals", "id": "bare"},
                    {"type": "amends", "id": "amended"},
                    {"type": "amends", "id": "marked"},
                ]})
            ),
            item("old", json!({"validity": "有效"})),
            item("gone", json!({"validity": "已失效"})),
            item("bare", json!({})),
            item("amended", json!({"validity": "有效"})),
            item("marked", json!({"validity": "已修订"})),
        ]));
        assert_eq!(
            short,
            [
                "warning relation-validity items[1]._gov.validity",
                "warning relation-validity items[3]._gov.validity",
                "warning relation-validity items[4]._gov.validity",
            ]
        );
        assert_eq!(all[0].to_string(), "warning: items[1] (id \"old\"): _gov.validity: repealed by items[0] (id \"new\") (items[0]._gov.relations[0].type), but marked 有效: mark it 已废止 (or 已失效)");
        assert!(all[1].message.contains("but has no validity"), "{}", all[1]);
        assert_eq!(all[2].to_string(), "warning: items[4] (id \"amended\"): _gov.validity: amended by items[0] (id \"new\") (items[0]._gov.relations[3].type), but still marked 有效: mark it 已修订");
        assert!(all.iter().all(|d| d.severity == Severity::Warning));
    }

    #[test]
    fn facet_values_must_name_a_page() {
        let (short, all) = diagnostics(json!([item(
            "a",
            json!({
                "doc_type": "",
                "issuer": ["武山县科学技术局", "a/b", 3],
                "topics": ["科技", " 教育", "con", "x?", "..", "一".repeat(61)],
            })
        )]));
        assert_eq!(
            short,
            [
                "error empty-value items[0]._gov.doc_type",
                "error bad-facet-value items[0]._gov.issuer[1]",
                "error wrong-type items[0]._gov.issuer[2]",
                "error bad-facet-value items[0]._gov.topics[1]",
                "error bad-facet-value items[0]._gov.topics[2]",
                "error bad-facet-value items[0]._gov.topics[3]",
                "error bad-facet-value items[0]._gov.topics[4]",
                "error bad-facet-value items[0]._gov.topics[5]",
            ]
        );
        assert_eq!(all[1].message, "发文机关 \"a/b\" holds '/', which a page name cannot: avoid / \\ : * ? \" < > | and control characters (全角 ： and ／ are fine)");
        let (short, _) = diagnostics(json!([item("a", json!({"issuer": [], "topics": "科技"}))]));
        assert_eq!(
            short,
            [
                "error empty-value items[0]._gov.issuer",
                "error wrong-type items[0]._gov.topics"
            ]
        );
        assert_eq!(facet_value_problem("科技、教育"), None);
        assert_eq!(facet_value_problem("武山县科学技术局／财政局"), None);
    }

    #[test]
    fn an_unreadable_doc_no_is_a_warning() {
        let (short, all) = diagnostics(json!([
            item("a", json!({"doc_no": "武科发[2023]12号"})),
            item("b", json!({"doc_no": "无"})),
        ]));
        assert_eq!(short, ["warning bad-doc-no items[1]._gov.doc_no"]);
        assert_eq!(all[0].to_string(), "warning: items[1] (id \"b\"): _gov.doc_no: 文号 \"无\" is not in the form 机关代字〔年份〕序号号 (no year in brackets after the 机关代字: expected e.g. 武科发〔2023〕12号); it is shown as written, but the 政策文件库's 文号 box cannot find it");
        let r = check(&feed(json!([item("b", json!({"doc_no": "无"}))])).to_string());
        assert_eq!(r.feed.unwrap().items[0].gov.doc_no.as_deref(), Some("无"));
    }
}
