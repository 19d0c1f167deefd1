//! The mapping file (`--map MAP.toml`): which spreadsheet column holds which
//! field when the headers are not the usual names, which site column a
//! 栏目 or 主题分类 value goes to, and the site of a new feed.
//!
//! ```toml
//! [headers]            # header as written in the file = field
//! "信息索引号" = "index_no"
//! "备注" = "ignore"
//!
//! [columns]            # 栏目 / 主题分类 value = column id of the site
//! "通知公告" = "tzgg"
//!
//! [site]               # only for a new feed (without --merge)
//! title = "甘肃政务服务网-武山 科技局 政府信息公开"
//! site_name = "甘肃政务服务网-武山"
//! department = "科技局"
//! login_url = "https://zwfw.gansu.gov.cn/user/login"
//! register_url = "https://zwfw.gansu.gov.cn/user/register"
//! home_page_url = "https://zwfw.gansu.gov.cn/wushan/kjj/xxgk/"
//! columns = [{ id = "fdzdgknr", name = "法定主动公开内容" }]
//! ```

use crate::fields::Field;
use crate::text::squeeze;
use gongkai_core::feed::Column;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A parsed mapping file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    /// Header (spaces removed) → field.
    pub headers: BTreeMap<String, Field>,
    /// 栏目 / 主题分类 value (spaces removed) → column id.
    pub columns: BTreeMap<String, String>,
    /// The site of a new feed.
    pub site: Option<SiteSpec>,
}

/// The site block of a new feed, as a mapping file gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSpec {
    /// The feed's title; default `<site_name> <department> 政府信息公开`.
    pub title: Option<String>,
    /// 站点名称.
    pub site_name: String,
    /// 部门.
    pub department: String,
    /// 登录.
    pub login_url: String,
    /// 注册.
    pub register_url: String,
    /// The section's home page.
    pub home_page_url: Option<String>,
    /// The section's columns; the usual four when absent.
    #[serde(default)]
    pub columns: Vec<ColumnSpec>,
}

/// A column in a mapping file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
}

impl From<ColumnSpec> for Column {
    fn from(c: ColumnSpec) -> Column {
        Column::new(c.id, c.name)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    site: Option<SiteSpec>,
}

impl Mapping {
    /// Parses a mapping file's text; the error says what and where.
    pub fn parse(text: &str) -> Result<Mapping, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
        let mut headers = BTreeMap::new();
        for (h, f) in raw.headers {
            let field: Field = f.parse().map_err(|e| format!("[headers] {h:?}: {e}"))?;
            headers.insert(squeeze(&h), field);
        }
        let columns = raw
            .columns
            .into_iter()
            .map(|(k, v)| (squeeze(&k), v))
            .collect();
        Ok(Mapping {
            headers,
            columns,
            site: raw.site,
        })
    }

    /// The field of a header: the mapping's word first, else the usual names.
    pub fn field_of(&self, header: &str) -> Option<Field> {
        let key = squeeze(header);
        let key = key.trim_end_matches([':', '：']);
        self.headers
            .get(key)
            .copied()
            .or_else(|| Field::recognise(header))
    }
}

/// Column names every 政府信息公开 section uses (国办公开办函〔2019〕61号
/// and the usual 法定主动公开内容 sub-columns), with the ids the sample
/// feed and most sites use.
pub const KNOWN_COLUMNS: &[(&str, &str)] = &[
    ("政府信息公开指南", "xxgkzn"),
    ("政府信息公开制度", "xxgkzd"),
    ("法定主动公开内容", "fdzdgknr"),
    ("政府信息公开年报", "xxgknb"),
    ("政府信息公开年度报告", "xxgknb"),
    ("依申请公开", "ysqgk"),
    ("通知公告", "tzgg"),
    ("工作动态", "gzdt"),
    ("政策文件", "zcwj"),
    ("规范性文件", "gfxwj"),
    ("政策解读", "zcjd"),
    ("机构职能", "jgzn"),
    ("规划计划", "ghjh"),
    ("人事信息", "rsxx"),
    ("财政预决算", "czyjs"),
    ("财政资金", "czzj"),
    ("统计信息", "tjxx"),
    ("行政许可", "xzxk"),
    ("行政处罚", "xzcf"),
    ("政府采购", "zfcg"),
    ("建议提案办理", "jytabl"),
    ("重大建设项目", "zdjsxm"),
    ("公示公告", "gsgg"),
];

/// The column id for a 栏目 or 主题分类 value, by the mapping, the site's
/// own columns (by name or id), or the usual names; `None` when unknown.
/// The second value is a column to add to the site (a usual name the site
/// does not have yet).
pub fn resolve_column(
    value: &str,
    mapping: &Mapping,
    site: &[Column],
) -> Option<(String, Option<Column>)> {
    let v = squeeze(value);
    if v.is_empty() {
        return None;
    }
    if let Some(id) = mapping.columns.get(&v) {
        let add = (!site.iter().any(|c| &c.id == id))
            .then(|| Column::new(id.clone(), value.trim().to_owned()));
        return Some((id.clone(), add));
    }
    if let Some(c) = site.iter().find(|c| squeeze(&c.name) == v || c.id == v) {
        return Some((c.id.clone(), None));
    }
    // A 主题分类 path such as `科技、教育\科技`: its last part may be a column.
    let last = v.rsplit(['\\', '/', '>', '-']).next().unwrap_or(&v);
    if last != v {
        if let Some(c) = site.iter().find(|c| squeeze(&c.name) == last) {
            return Some((c.id.clone(), None));
        }
    }
    KNOWN_COLUMNS
        .iter()
        .find(|(name, _)| *name == v)
        .map(|(name, id)| {
            let id = (*id).to_owned();
            match site.iter().find(|c| c.id == id) {
                Some(_) => (id, None),
                None => (id.clone(), Some(Column::new(id, *name))),
            }
        })
}

/// The usual four first-level columns (国办公开办函〔2019〕61号).
pub fn standard_columns() -> Vec<Column> {
    KNOWN_COLUMNS[..4]
        .iter()
        .map(|(name, id)| Column::new(*id, *name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_mapping_file() {
        let m = Mapping::parse(
            r#"
            [headers]
            "信息 索引号" = "index_no"
            "备注" = "ignore"
            "发布单位名称" = "发布机构"
            [columns]
            "通知 公告" = "tzgg"
            [site]
            site_name = "甘肃政务服务网-武山"
            department = "科技局"
            login_url = "https://zwfw.gansu.gov.cn/user/login"
            register_url = "https://zwfw.gansu.gov.cn/user/register"
            columns = [{ id = "tzgg", name = "通知公告" }]
            "#,
        )
        .unwrap();
        assert_eq!(m.field_of("信息索引号"), Some(Field::IndexNo));
        assert_eq!(m.field_of("备注"), Some(Field::Ignore));
        assert_eq!(m.field_of("发布单位名称"), Some(Field::Publisher));
        assert_eq!(
            m.field_of("标题"),
            Some(Field::Title),
            "usual names still work"
        );
        assert_eq!(m.columns.get("通知公告").map(String::as_str), Some("tzgg"));
        assert_eq!(m.site.unwrap().columns.len(), 1);
    }

    #[test]
    fn bad_mapping_files_say_where() {
        let e = Mapping::parse("[headers]\n\"序号\" = \"number\"\n").unwrap_err();
        assert!(
            e.contains("[headers] \"序号\": unknown field \"number\""),
            "{e}"
        );
        let e = Mapping::parse("[header]\n").unwrap_err();
        assert!(e.contains("unknown field `header`"), "{e}");
        let e = Mapping::parse("[site]\nsite_name = 1\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn resolves_columns() {
        let site = standard_columns();
        let m = Mapping::default();
        assert_eq!(
            resolve_column("法定主动公开内容", &m, &site),
            Some(("fdzdgknr".into(), None))
        );
        assert_eq!(
            resolve_column("fdzdgknr", &m, &site),
            Some(("fdzdgknr".into(), None))
        );
        assert_eq!(
            resolve_column("通知公告", &m, &site),
            Some(("tzgg".into(), Some(Column::new("tzgg", "通知公告"))))
        );
        assert_eq!(resolve_column("科技、教育\\科技", &m, &site), None);
        assert_eq!(resolve_column("", &m, &site), None);
    }
}
