//! What a downloadable document shows: one notice, independent of the format.

use crate::html::{self, Block};
use gongkai_core::bundle::{ArticleFile, Variant};
use gongkai_core::convert::s2t;
use gongkai_core::date::parse_rfc3339;

/// A notice laid out as a document: title, metadata, body, footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The title.
    pub title: String,
    /// The metadata block: (label, value), in the order of the original page,
    /// only the fields the item has.
    pub meta: Vec<(String, String)>,
    /// The body.
    pub body: Vec<Block>,
    /// Footer line 1: the site name.
    pub site_name: String,
    /// Footer line 2: the page's URL, if known.
    pub url: Option<String>,
    /// `zh-CN` or `zh-TW`-style language tag for the document.
    pub lang: &'static str,
}

/// The metadata labels, in 简体.
const LABELS: [&str; 9] = [
    "发布机构",
    "索引号",
    "来源",
    "时间",
    "作者",
    "文号",
    "成文日期",
    "主题分类",
    "有效性",
];

impl Notice {
    /// The notice of an article file of `variant` (whose text is already in
    /// that variant's script); `site_name` is the variant's 站点名称 and
    /// `fallback_url` the URL shown when the item has none.
    pub fn from_article(
        article: &ArticleFile,
        variant: Variant,
        site_name: &str,
        fallback_url: Option<&str>,
    ) -> Notice {
        let item = &article.item;
        let g = &item.gov;
        let time = parse_rfc3339(&item.date_published)
            .map(|t| t.beijing_date())
            .unwrap_or_else(|_| item.date_published.clone());
        let authors = item
            .authors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("、");
        let values = [
            Some(g.publisher.clone()),
            Some(g.index_no.clone()),
            g.source.clone(),
            Some(time),
            Some(authors),
            g.doc_no.clone(),
            g.written_date.clone(),
            Some(article.column.name.clone()),
            g.validity.map(|v| {
                let s = v.as_str();
                match variant {
                    Variant::Hans => s.to_owned(),
                    Variant::Hant => s2t(s),
                }
            }),
        ];
        let meta = LABELS
            .iter()
            .zip(values)
            .filter_map(|(label, v)| {
                let v = v?.trim().to_owned();
                (!v.is_empty()).then(|| {
                    let label = match variant {
                        Variant::Hans => (*label).to_owned(),
                        Variant::Hant => s2t(label),
                    };
                    (label, v)
                })
            })
            .collect();
        let body = match (&item.content_html, &item.content_text) {
            (Some(h), _) => html::parse(h),
            (None, Some(t)) => t
                .split('\n')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| {
                    Block::Paragraph(vec![html::Run {
                        text: l.to_owned(),
                        bold: false,
                    }])
                })
                .collect(),
            (None, None) => Vec::new(),
        };
        Notice {
            title: item.title.clone(),
            meta,
            body,
            site_name: site_name.to_owned(),
            url: item.url.clone().or_else(|| fallback_url.map(str::to_owned)),
            lang: match variant {
                Variant::Hans => "zh-CN",
                Variant::Hant => "zh-TW",
            },
        }
    }

    /// Every piece of text the document shows, for glyph coverage checks.
    pub fn all_text(&self) -> String {
        let mut s = self.title.clone();
        for (l, v) in &self.meta {
            s.push_str(l);
            s.push_str(v);
        }
        for b in &self.body {
            s.push_str(&b.text());
        }
        s.push_str(&self.site_name);
        s.push_str(self.url.as_deref().unwrap_or(""));
        s
    }
}

/// The file name offered to readers: `<索引号 with / replaced by ->-<title>.<ext>`,
/// without characters that file systems reject, the title cut to keep the
/// name under about 150 bytes.
pub fn file_name(index_no: &str, title: &str, ext: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '/' | '\\' => '-',
                ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect::<String>()
            .trim()
            .trim_matches('.')
            .to_owned()
    };
    let mut name = clean(index_no);
    let title = clean(title);
    if !title.is_empty() {
        if !name.is_empty() {
            name.push('-');
        }
        for c in title.chars() {
            if name.len() + c.len_utf8() > 150 {
                break;
            }
            name.push(c);
        }
    }
    if name.is_empty() {
        name.push_str("notice");
    }
    format!("{name}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(
            file_name(
                "kjj1/2023-00026",
                "武山县科学技术局:扎实开展文明单位创建工作",
                "pdf"
            ),
            "kjj1-2023-00026-武山县科学技术局_扎实开展文明单位创建工作.pdf"
        );
        let long = "长".repeat(200);
        let n = file_name("a/b", &long, "docx");
        assert!(n.len() <= 160, "{}", n.len());
        assert_eq!(file_name("", "", "pdf"), "notice.pdf");
    }
}
