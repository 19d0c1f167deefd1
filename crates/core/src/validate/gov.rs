//! Checks of the compliance keys (`docs/compliance.md`): `_gov.apply`,
//! `_gov.footer`, a column's `kind` and `max_age_days`, an item's
//! `report_year`. Each problem is located like every other diagnostic.

use super::{join, quote, type_name, Checker, Kind};
use crate::gov::{is_email, is_icp, is_postcode, is_site_code, psb_number, ColumnKind};
use serde_json::{Map, Value};

/// Keys `_gov.apply` may have.
pub const APPLY_KEYS: [&str; 9] = [
    "online_url",
    "form_url",
    "recipient",
    "address",
    "postcode",
    "phone",
    "email",
    "hours",
    "notes",
];

/// Keys `_gov.footer` may have.
pub const FOOTER_KEYS: [&str; 8] = [
    "sponsor",
    "organizer",
    "site_code",
    "icp",
    "psb",
    "gov_badge_url",
    "error_report_url",
    "contact",
];

/// Keys `_gov.footer.contact` may have.
pub const CONTACT_KEYS: [&str; 3] = ["phone", "email", "address"];

/// The years a 年报 may cover.
const REPORT_YEARS: std::ops::RangeInclusive<u64> = 2000..=2100;

/// The longest `max_age_days` accepted: ten years.
const MAX_AGE_DAYS: std::ops::RangeInclusive<u64> = 1..=3650;

impl Checker {
    /// An optional object; `null` counts as absent.
    fn opt_object<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        key: &str,
    ) -> Option<&'v Map<String, Value>> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => self.object(v, &join(base, key), &format!("{key:?}")),
        }
    }

    /// An optional e-mail address.
    fn opt_email(&mut self, obj: &Map<String, Value>, base: &str) {
        if let Some(s) = self.opt_str(obj, base, "email") {
            if !is_email(s.trim()) {
                self.err(
                    Kind::BadContact,
                    &join(base, "email"),
                    format!("not an e-mail address: {}", quote(s)),
                );
            }
        }
    }

    /// An optional whole number in `range`.
    fn opt_number(
        &mut self,
        obj: &Map<String, Value>,
        base: &str,
        key: &str,
        range: std::ops::RangeInclusive<u64>,
        what: &str,
    ) {
        match obj.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| range.contains(&n)) => {}
            Some(v @ Value::Number(_)) => self.err(
                Kind::BadNumber,
                &join(base, key),
                format!(
                    "{what} must be a whole number from {} to {}, found {v}",
                    range.start(),
                    range.end()
                ),
            ),
            Some(v) => self.err(
                Kind::BadNumber,
                &join(base, key),
                format!(
                    "{what} must be a whole number from {} to {}, found {}",
                    range.start(),
                    range.end(),
                    type_name(v)
                ),
            ),
        }
    }

    /// `_gov.apply`: its URLs, contact details, and at least one channel.
    pub(super) fn apply(&mut self, gov: &Map<String, Value>) {
        let base = "_gov.apply";
        let Some(apply) = self.opt_object(gov, "_gov", "apply") else {
            return;
        };
        self.opt_url(apply, base, "online_url");
        self.opt_url(apply, base, "form_url");
        for key in ["recipient", "address", "phone", "hours", "notes"] {
            self.opt_str(apply, base, key);
        }
        self.opt_email(apply, base);
        if let Some(s) = self.opt_str(apply, base, "postcode") {
            if !is_postcode(s.trim()) {
                self.err(
                    Kind::BadContact,
                    &join(base, "postcode"),
                    format!("a postcode is six digits, found {}", quote(s)),
                );
            }
        }
        let given = |key: &str| {
            apply
                .get(key)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.trim().is_empty())
        };
        if !["online_url", "address", "email"].into_iter().any(given) {
            self.err(
                Kind::NoApplyChannel,
                base,
                "name at least one way to apply: online_url (the online application system), address (letters and visits) or email".to_owned(),
            );
        }
        self.unknown_gov_keys(apply, base, &APPLY_KEYS);
    }

    /// `_gov.footer`: the numbers inspectors check, its links and contact.
    pub(super) fn footer(&mut self, gov: &Map<String, Value>) {
        let base = "_gov.footer";
        let Some(footer) = self.opt_object(gov, "_gov", "footer") else {
            return;
        };
        self.opt_str(footer, base, "sponsor");
        self.opt_str(footer, base, "organizer");
        if let Some(s) = self.opt_str(footer, base, "site_code") {
            if !is_site_code(s) {
                self.err(
                    Kind::BadSiteCode,
                    &join(base, "site_code"),
                    format!(
                        "malformed 网站标识码 {}: expected 10 digits and capital letters, e.g. 6205240001",
                        quote(s)
                    ),
                );
            }
        }
        if let Some(s) = self.opt_str(footer, base, "icp") {
            if !is_icp(s) {
                self.err(
                    Kind::BadFilingNo,
                    &join(base, "icp"),
                    format!(
                        "malformed ICP备案号 {}: expected a province, ICP备, the number and 号, e.g. 陇ICP备12345678号 or 陇ICP备12345678号-1",
                        quote(s)
                    ),
                );
            }
        }
        if let Some(s) = self.opt_str(footer, base, "psb") {
            if psb_number(s).is_none() {
                self.err(
                    Kind::BadFilingNo,
                    &join(base, "psb"),
                    format!(
                        "malformed 公安机关备案号 {}: expected a province, 公网安备, 14 digits and 号, e.g. 甘公网安备62052402000123号",
                        quote(s)
                    ),
                );
            }
        }
        self.opt_url(footer, base, "gov_badge_url");
        self.opt_url(footer, base, "error_report_url");
        let cbase = join(base, "contact");
        if let Some(contact) = self.opt_object(footer, base, "contact") {
            self.opt_str(contact, &cbase, "phone");
            self.opt_str(contact, &cbase, "address");
            self.opt_email(contact, &cbase);
            self.unknown_gov_keys(contact, &cbase, &CONTACT_KEYS);
        }
        self.unknown_gov_keys(footer, base, &FOOTER_KEYS);
    }

    /// A column's `kind` and `max_age_days`. `kinds` collects the kinds seen
    /// so far: only 法定主动公开内容 may span several columns.
    pub(super) fn column_compliance(
        &mut self,
        col: &Map<String, Value>,
        cpath: &str,
        kinds: &mut Vec<(ColumnKind, String)>,
    ) {
        if let Some(s) = self.opt_str(col, cpath, "kind") {
            let path = join(cpath, "kind");
            match s.parse::<ColumnKind>() {
                Err(e) => self.err(Kind::BadColumnKind, &path, e.to_string()),
                Ok(kind) => {
                    let first = kinds.iter().find(|(k, _)| *k == kind);
                    match first {
                        Some((_, at)) if kind != ColumnKind::Proactive => {
                            let at = at.clone();
                            self.err(
                                Kind::BadColumnKind,
                                &path,
                                format!(
                                    "only one column can be the {} ({kind}): {at} is already",
                                    kind.label()
                                ),
                            );
                        }
                        _ => kinds.push((kind, cpath.to_owned())),
                    }
                }
            }
        }
        self.opt_number(col, cpath, "max_age_days", MAX_AGE_DAYS, "max_age_days");
    }

    /// An item's `report_year`.
    pub(super) fn report_year(&mut self, gov: &Map<String, Value>, base: &str) {
        self.opt_number(gov, base, "report_year", REPORT_YEARS, "report_year");
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, Kind, Severity};
    use serde_json::{json, Value};

    fn valid() -> Value {
        json!({
            "version": "https://jsonfeed.org/version/1.1",
            "title": "武山县科学技术局 政府信息公开",
            "_gov": {
                "site_name": "甘肃政务服务网-武山",
                "department": "科技局",
                "columns": [
                    {"id": "zn", "name": "政府信息公开指南", "kind": "guide"},
                    {"id": "zd", "name": "政府信息公开制度", "kind": "rules"},
                    {"id": "fdzdgknr", "name": "法定主动公开内容", "kind": "proactive", "max_age_days": 90},
                    {"id": "tzgg", "name": "通知公告", "kind": "proactive"},
                    {"id": "nb", "name": "政府信息公开年报", "kind": "annual_report"}
                ],
                "login_url": "https://portal.example.gov.cn/login",
                "register_url": "https://portal.example.gov.cn/register",
                "apply": {
                    "online_url": "https://portal.example.gov.cn/ysqgk",
                    "form_url": "https://www.example.gov.cn/kjj/sqb.docx",
                    "recipient": "武山县科学技术局办公室",
                    "address": "武山县城关镇东顺路186号",
                    "postcode": "741300",
                    "phone": "0938-3422615",
                    "email": "wsxkjj@163.com",
                    "hours": "周一至周五 8:30—12:00，14:30—18:00",
                    "notes": "<p>信函请注明“政府信息公开申请”。</p>"
                },
                "footer": {
                    "sponsor": "武山县人民政府",
                    "organizer": "武山县科学技术局",
                    "site_code": "6205240001",
                    "icp": "陇ICP备12345678号-1",
                    "psb": "甘公网安备62052402000123号",
                    "gov_badge_url": "https://bszs.conac.cn/sitename?method=show&id=1",
                    "error_report_url": "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=6205240001",
                    "contact": {"phone": "0938-3422615", "email": "wsxkjj@163.com", "address": "武山县城关镇"}
                }
            },
            "items": [{
                "id": "kjj1-2026-00002",
                "title": "武山县科学技术局2025年政府信息公开工作年度报告",
                "content_text": "正文",
                "date_published": "2026-01-20T16:14:00+08:00",
                "_gov": {"index_no": "kjj1/2026-00002", "publisher": "科技局", "category": "nb", "report_year": 2025}
            }]
        })
    }

    #[test]
    fn the_compliance_keys_pass_and_reach_the_model() {
        let r = check(&valid().to_string());
        assert!(r.errors.is_empty(), "{:#?}", r.errors);
        assert!(r.warnings.is_empty(), "{:#?}", r.warnings);
        let feed = r.feed.unwrap();
        let footer = feed.gov.footer.unwrap();
        assert_eq!(footer.site_code.as_deref(), Some("6205240001"));
        assert_eq!(
            footer.contact.unwrap().email.as_deref(),
            Some("wsxkjj@163.com")
        );
        assert!(feed.gov.apply.unwrap().has_channel());
        assert_eq!(feed.gov.columns[2].max_age_days, Some(90));
        assert_eq!(feed.items[0].gov.report_year, Some(2025));
    }

    /// Every compliance error: the value set at a JSON pointer, the kind and
    /// path reported, and the message.
    #[test]
    fn each_bad_value_is_one_located_error() {
        let cases: [(&str, Value, Kind, &str, &str); 21] = [
            ("/_gov/apply", json!("https://x.cn"), Kind::NotAnObject, "_gov.apply", "\"apply\" must be an object, found a string"),
            ("/_gov/apply/online_url", json!("ysqgk.html"), Kind::BadUrl, "_gov.apply.online_url", "not an absolute HTTP(S) URL: \"ysqgk.html\""),
            ("/_gov/apply/form_url", json!("ftp://x.cn/a.doc"), Kind::BadUrl, "_gov.apply.form_url", "not an absolute HTTP(S) URL: \"ftp://x.cn/a.doc\""),
            ("/_gov/apply/email", json!("wsxkjj163.com"), Kind::BadContact, "_gov.apply.email", "not an e-mail address: \"wsxkjj163.com\""),
            ("/_gov/apply/postcode", json!("74130"), Kind::BadContact, "_gov.apply.postcode", "a postcode is six digits, found \"74130\""),
            ("/_gov/apply/phone", json!(9383422615u64), Kind::WrongType, "_gov.apply.phone", "expected a string, found a number"),
            ("/_gov/apply/notes", json!(["a"]), Kind::WrongType, "_gov.apply.notes", "expected a string, found an array"),
            ("/_gov/footer", json!([]), Kind::NotAnObject, "_gov.footer", "\"footer\" must be an object, found an array"),
            ("/_gov/footer/site_code", json!("620524000"), Kind::BadSiteCode, "_gov.footer.site_code", "malformed 网站标识码 \"620524000\": expected 10 digits and capital letters, e.g. 6205240001"),
            ("/_gov/footer/site_code", json!("620524c001"), Kind::BadSiteCode, "_gov.footer.site_code", "malformed 网站标识码 \"620524c001\": expected 10 digits and capital letters, e.g. 6205240001"),
            ("/_gov/footer/icp", json!("ICP备12345678号"), Kind::BadFilingNo, "_gov.footer.icp", "malformed ICP备案号 \"ICP备12345678号\": expected a province, ICP备, the number and 号, e.g. 陇ICP备12345678号 or 陇ICP备12345678号-1"),
            ("/_gov/footer/psb", json!("甘公网安备6205240200012号"), Kind::BadFilingNo, "_gov.footer.psb", "malformed 公安机关备案号 \"甘公网安备6205240200012号\": expected a province, 公网安备, 14 digits and 号, e.g. 甘公网安备62052402000123号"),
            ("/_gov/footer/gov_badge_url", json!("bszs.conac.cn"), Kind::BadUrl, "_gov.footer.gov_badge_url", "not an absolute HTTP(S) URL: \"bszs.conac.cn\""),
            ("/_gov/footer/error_report_url", json!("javascript:alert(1)"), Kind::BadUrl, "_gov.footer.error_report_url", "not an absolute HTTP(S) URL: \"javascript:alert(1)\""),
            ("/_gov/footer/contact", json!("0938-3422615"), Kind::NotAnObject, "_gov.footer.contact", "\"contact\" must be an object, found a string"),
            ("/_gov/footer/contact/email", json!("a@b"), Kind::BadContact, "_gov.footer.contact.email", "not an e-mail address: \"a@b\""),
            ("/_gov/columns/0/kind", json!("指南"), Kind::BadColumnKind, "_gov.columns[0].kind", "unknown column kind \"指南\": expected one of guide, rules, proactive, annual_report, apply"),
            ("/_gov/columns/1/kind", json!("guide"), Kind::BadColumnKind, "_gov.columns[1].kind", "only one column can be the 政府信息公开指南 (guide): _gov.columns[0] is already"),
            ("/_gov/columns/2/max_age_days", json!(0), Kind::BadNumber, "_gov.columns[2].max_age_days", "max_age_days must be a whole number from 1 to 3650, found 0"),
            ("/_gov/columns/2/max_age_days", json!("180"), Kind::BadNumber, "_gov.columns[2].max_age_days", "max_age_days must be a whole number from 1 to 3650, found a string"),
            ("/items/0/_gov/report_year", json!(25), Kind::BadNumber, "items[0]._gov.report_year", "report_year must be a whole number from 2000 to 2100, found 25"),
        ];
        for (pointer, value, kind, path, message) in cases {
            let mut v = valid();
            *v.pointer_mut(pointer)
                .unwrap_or_else(|| panic!("{pointer}")) = value;
            let r = check(&v.to_string());
            assert_eq!(r.errors.len(), 1, "{pointer}: {:#?}", r.errors);
            let d = &r.errors[0];
            assert_eq!(
                (d.kind, d.path.as_str(), d.message.as_str()),
                (kind, path, message),
                "{pointer}"
            );
        }
    }

    #[test]
    fn apply_needs_one_channel() {
        let mut v = valid();
        v["_gov"]["apply"] = json!({"phone": "0938-3422615", "address": " "});
        let r = check(&v.to_string());
        assert_eq!(r.errors.len(), 1, "{:#?}", r.errors);
        assert_eq!(r.errors[0].kind, Kind::NoApplyChannel);
        assert_eq!(r.errors[0].to_string(), "error: _gov.apply: name at least one way to apply: online_url (the online application system), address (letters and visits) or email");
        for key in ["online_url", "address", "email"] {
            let mut v = valid();
            let apply = v["_gov"]["apply"].as_object_mut().unwrap();
            apply.retain(|k, _| k == key);
            assert!(check(&v.to_string()).is_ok(), "{key} alone is a channel");
        }
    }

    #[test]
    fn unknown_keys_inside_apply_and_footer_are_warnings() {
        let mut v = valid();
        v["_gov"]["apply"]["fax"] = json!("0938-3422615");
        v["_gov"]["footer"]["beian"] = json!("x");
        v["_gov"]["footer"]["contact"]["qq"] = json!("1");
        let r = check(&v.to_string());
        assert!(r.is_ok(), "{:#?}", r.errors);
        let paths: Vec<_> = r
            .warnings
            .iter()
            .map(|w| (w.severity, w.kind, w.path.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                (Severity::Warning, Kind::UnknownGovKey, "_gov.apply.fax"),
                (
                    Severity::Warning,
                    Kind::UnknownGovKey,
                    "_gov.footer.contact.qq"
                ),
                (Severity::Warning, Kind::UnknownGovKey, "_gov.footer.beian"),
            ]
        );
    }
}
