//! The statutory parts of a 政府信息公开 section that are site settings
//! rather than notices: the 依申请公开 channels ([`Apply`]), the footer
//! inspectors check ([`Footer`]) and the statutory column kinds
//! ([`ColumnKind`]). See `docs/compliance.md` for the rule behind each.
//!
//! The links a footer makes from its numbers (ICP, 公安备案, 我为政府网站找错)
//! are built here, once, for the app and the static pages alike.
//!
//! ```
//! use gongkai_core::gov::{icp_link, psb_link, is_site_code};
//! assert!(is_site_code("6205240001"));
//! assert_eq!(icp_link("陇ICP备12345678号-1"), Some("https://beian.miit.gov.cn/"));
//! assert_eq!(
//!     psb_link("甘公网安备62052402000123号").as_deref(),
//!     Some("https://beian.mps.gov.cn/#/query/webSearch?code=62052402000123")
//! );
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Site-level `_gov.apply`: how to apply for disclosure (依申请公开,
/// 政府信息公开条例 Art. 27–33). At least one of `online_url`, `address` and
/// `email` is required (`validate` checks it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Apply {
    /// The portal's online application system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    /// The 申请表 to download and fill in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_url: Option<String>,
    /// 受理机构, e.g. `武山县科学技术局办公室`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Postal address for letters and visits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// 邮政编码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// 联系电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 电子邮箱.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 办公时间.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// Anything else (HTML; sanitised by the builder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Apply {
    /// Whether at least one channel an applicant can use is given.
    pub fn has_channel(&self) -> bool {
        [&self.online_url, &self.address, &self.email]
            .iter()
            .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }
}

/// Site-level `_gov.footer`: what inspectors look for at the foot of every
/// page of a government site (政府网站与政务新媒体检查指标).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Footer {
    /// 主办单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sponsor: Option<String>,
    /// 承办单位.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizer: Option<String>,
    /// 网站标识码: 10 digits and capital letters ([`is_site_code`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_code: Option<String>,
    /// ICP备案号, e.g. `陇ICP备12345678号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icp: Option<String>,
    /// 公安机关备案号, e.g. `甘公网安备62052402000123号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psb: Option<String>,
    /// Where the 党政机关网站标识 links (the site's registration page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gov_badge_url: Option<String>,
    /// 我为政府网站找错; default [`error_report_default`] with the site code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_report_url: Option<String>,
    /// 联系我们.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

impl Footer {
    /// The 我为政府网站找错 link: the configured one, else the national page
    /// with the site code, else none.
    pub fn error_report(&self) -> Option<String> {
        self.error_report_url
            .clone()
            .or_else(|| self.site_code.as_deref().map(error_report_default))
    }
}

/// The footer's contact details.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// 联系电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 电子邮箱.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// 地址.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The statutory columns of a section (国办公开办函〔2019〕61号), marked on a
/// column with `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// 政府信息公开指南.
    Guide,
    /// 政府信息公开制度.
    Rules,
    /// 法定主动公开内容.
    Proactive,
    /// 政府信息公开年报.
    AnnualReport,
    /// 依申请公开.
    Apply,
}

impl ColumnKind {
    /// Every kind, in the standard column order.
    pub const ALL: [ColumnKind; 5] = [
        ColumnKind::Guide,
        ColumnKind::Rules,
        ColumnKind::Proactive,
        ColumnKind::AnnualReport,
        ColumnKind::Apply,
    ];

    /// The value written in feeds: `guide`, `rules`, `proactive`,
    /// `annual_report`, `apply`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Guide => "guide",
            ColumnKind::Rules => "rules",
            ColumnKind::Proactive => "proactive",
            ColumnKind::AnnualReport => "annual_report",
            ColumnKind::Apply => "apply",
        }
    }

    /// The column's standard name.
    pub fn label(self) -> &'static str {
        match self {
            ColumnKind::Guide => "政府信息公开指南",
            ColumnKind::Rules => "政府信息公开制度",
            ColumnKind::Proactive => "法定主动公开内容",
            ColumnKind::AnnualReport => "政府信息公开年报",
            ColumnKind::Apply => "依申请公开",
        }
    }

    /// How long a column of this kind may go without a new notice when the
    /// feed sets no `max_age_days`: 180 days for 法定主动公开内容 (the
    /// inspection indicators' six months for 政策文件 and 通知公告), none for
    /// the others.
    pub fn default_max_age_days(self) -> Option<u32> {
        match self {
            ColumnKind::Proactive => Some(180),
            _ => None,
        }
    }
}

/// Error for an unknown column kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown column kind {0:?}: expected one of guide, rules, proactive, annual_report, apply")]
pub struct UnknownColumnKind(pub String);

impl FromStr for ColumnKind {
    type Err = UnknownColumnKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ColumnKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownColumnKind(s.to_owned()))
    }
}

impl fmt::Display for ColumnKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ColumnKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ColumnKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The province abbreviations that begin ICP and 公安 filing numbers.
pub const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼陇";

/// Whether `s` is a 网站标识码: exactly 10 characters, digits and capital
/// letters (e.g. `6205240001`).
pub fn is_site_code(s: &str) -> bool {
    s.len() == 10
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// Whether `s` is an ICP filing number: a province, `ICP备` (or `ICP证`),
/// digits, `号`, and an optional `-n` site suffix: `陇ICP备12345678号-1`.
pub fn is_icp(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(p) = chars.next() else { return false };
    let rest = chars.as_str();
    let Some(rest) = rest
        .strip_prefix("ICP备")
        .or_else(|| rest.strip_prefix("ICP证"))
    else {
        return false;
    };
    let Some((digits, tail)) = rest.split_once('号') else {
        return false;
    };
    PROVINCES.contains(p)
        && (4..=12).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (tail.is_empty()
            || tail.strip_prefix('-').is_some_and(|n| {
                !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit())
            }))
}

/// The number inside a 公安机关备案号 (`甘公网安备62052402000123号` →
/// `62052402000123`), if `s` is one: a province, `公网安备`, 14 digits, `号`.
pub fn psb_number(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    let p = chars.next()?;
    let digits = chars
        .as_str()
        .strip_prefix("公网安备")?
        .strip_suffix('号')?;
    (PROVINCES.contains(p) && digits.len() == 14 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

/// Where an ICP number links: the national ICP filing system (工业和信息化部
/// 政务服务平台, beian.miit.gov.cn), if `s` is an ICP number.
pub fn icp_link(s: &str) -> Option<&'static str> {
    is_icp(s).then_some("https://beian.miit.gov.cn/")
}

/// Where a 公安机关备案号 links: the public-security filing system's search
/// for its number, if `s` is one.
pub fn psb_link(s: &str) -> Option<String> {
    psb_number(s).map(|n| format!("https://beian.mps.gov.cn/#/query/webSearch?code={n}"))
}

/// The national 我为政府网站找错 page for a site code.
pub fn error_report_default(site_code: &str) -> String {
    format!("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site_code}")
}

/// Whether `s` looks like an e-mail address: one `@`, text on both sides,
/// a dot in the domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
}

/// Whether `s` is a Chinese postcode: six ASCII digits.
pub fn is_postcode(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_kinds_round_trip() {
        for k in ColumnKind::ALL {
            assert_eq!(k.as_str().parse::<ColumnKind>(), Ok(k));
        }
        assert!("annual-report".parse::<ColumnKind>().is_err());
        assert_eq!(ColumnKind::Proactive.default_max_age_days(), Some(180));
        assert_eq!(ColumnKind::Guide.default_max_age_days(), None);
    }

    #[test]
    fn site_codes() {
        for ok in ["6205240001", "620524C001", "BM00000001"] {
            assert!(is_site_code(ok), "{ok}");
        }
        for bad in ["620524000", "62052400011", "620524c001", "62052４0001", ""] {
            assert!(!is_site_code(bad), "{bad}");
        }
    }

    #[test]
    fn filing_numbers() {
        for ok in [
            "陇ICP备12345678号",
            "京ICP备05070602号-1",
            "甘ICP证030173号",
        ] {
            assert!(is_icp(ok), "{ok}");
        }
        for bad in [
            "ICP备12345678号",
            "陇ICP备号",
            "陇ICP备1234567a号",
            "陇ICP12345678号",
            "陇ICP备12345678号-",
            "港ICP备12345678号",
        ] {
            assert!(!is_icp(bad), "{bad}");
        }
        assert_eq!(
            psb_number("甘公网安备62052402000123号"),
            Some("62052402000123")
        );
        for bad in [
            "甘公网安备6205240200012号",
            "公网安备62052402000123号",
            "甘公网安备62052402000123",
        ] {
            assert_eq!(psb_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn error_report_defaults_to_the_national_page() {
        let mut f = Footer {
            site_code: Some("6205240001".into()),
            ..Footer::default()
        };
        assert_eq!(
            f.error_report().as_deref(),
            Some("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=6205240001")
        );
        f.error_report_url = Some("https://x.cn/jiucuo".into());
        assert_eq!(f.error_report().as_deref(), Some("https://x.cn/jiucuo"));
        assert_eq!(Footer::default().error_report(), None);
    }

    #[test]
    fn apply_needs_a_channel() {
        assert!(!Apply::default().has_channel());
        assert!(!Apply {
            phone: Some("0938-3422615".into()),
            address: Some("  ".into()),
            ..Apply::default()
        }
        .has_channel());
        assert!(Apply {
            email: Some("a@b.cn".into()),
            ..Apply::default()
        }
        .has_channel());
    }

    #[test]
    fn emails_and_postcodes() {
        assert!(is_email("wsxkjj@163.com"));
        for bad in ["wsxkjj163.com", "a@b", "a b@c.cn", "@c.cn", "a@.cn"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_postcode("741300"));
        assert!(!is_postcode("74130"));
    }
}
