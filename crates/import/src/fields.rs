//! The metadata fields an import reads, and the names they go by: the
//! headers of a 政府信息公开目录 and the labels of a saved page's metadata
//! block are the same words (`索引号`, `发布机构`, `成文日期`…), written
//! with spaces inside (`索 引 号`), a colon, or a variant (`发文字号` for
//! `文号`).

use crate::text::squeeze;
use std::fmt;
use std::str::FromStr;

/// A notice's metadata field, as a catalogue column or a page label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// 索引号.
    IndexNo,
    /// 标题 / 名称 / 信息名称.
    Title,
    /// 发布机构 / 发文机关.
    Publisher,
    /// 文号 / 发文字号.
    DocNo,
    /// 成文日期 / 生成日期.
    WrittenDate,
    /// 发布日期 / 公开日期 / 时间.
    Published,
    /// 主题分类 / 分类.
    Category,
    /// 栏目.
    Column,
    /// 有效性.
    Validity,
    /// 内容概述 / 摘要.
    Summary,
    /// 关键词 / 主题词.
    Keywords,
    /// 来源.
    Source,
    /// 作者.
    Author,
    /// The body's file name in `--bodies DIR` (文件名, 正文文件, 附件).
    BodyFile,
    /// A column to leave out (a mapping file's `ignore`).
    Ignore,
}

impl Field {
    /// Every field, in the order a report lists them.
    pub const ALL: [Field; 15] = [
        Field::IndexNo,
        Field::Title,
        Field::Publisher,
        Field::DocNo,
        Field::WrittenDate,
        Field::Published,
        Field::Category,
        Field::Column,
        Field::Validity,
        Field::Summary,
        Field::Keywords,
        Field::Source,
        Field::Author,
        Field::BodyFile,
        Field::Ignore,
    ];

    /// The name a mapping file uses (`index_no`, `title`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::IndexNo => "index_no",
            Field::Title => "title",
            Field::Publisher => "publisher",
            Field::DocNo => "doc_no",
            Field::WrittenDate => "written_date",
            Field::Published => "date_published",
            Field::Category => "category",
            Field::Column => "column",
            Field::Validity => "validity",
            Field::Summary => "summary",
            Field::Keywords => "keywords",
            Field::Source => "source",
            Field::Author => "author",
            Field::BodyFile => "body_file",
            Field::Ignore => "ignore",
        }
    }

    /// The usual Chinese label, as the report prints it.
    pub fn label(self) -> &'static str {
        self.names()[0]
    }

    /// The names this field goes by, the usual one first; compared after
    /// removing spaces, so `索 引 号` and `标　　题` match.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Field::IndexNo => &["索引号", "索引", "信息索引号", "索引编号"],
            Field::Title => &[
                "标题",
                "名称",
                "信息名称",
                "文件名称",
                "信息标题",
                "文件标题",
                "题名",
            ],
            Field::Publisher => &[
                "发布机构",
                "发文机关",
                "发布单位",
                "发布部门",
                "发文单位",
                "公开主体",
                "信息发布机构",
            ],
            Field::DocNo => &["文号", "发文字号", "文件编号", "发文文号"],
            Field::WrittenDate => &["成文日期", "生成日期", "成文时间", "生成时间", "印发日期"],
            Field::Published => &[
                "发布日期",
                "公开日期",
                "发布时间",
                "公开时间",
                "时间",
                "日期",
                "发文日期",
            ],
            Field::Category => &["主题分类", "分类", "信息分类", "公开类别", "主题"],
            Field::Column => &["栏目", "所属栏目", "栏目名称", "公开目录"],
            Field::Validity => &["有效性", "效力", "时效性", "效力状态", "有效状态"],
            Field::Summary => &[
                "内容概述",
                "摘要",
                "内容摘要",
                "信息概述",
                "内容描述",
                "概述",
            ],
            Field::Keywords => &["关键词", "主题词", "关键字"],
            Field::Source => &["来源", "信息来源", "文章来源"],
            Field::Author => &["作者", "撰稿", "撰稿人", "责任人"],
            Field::BodyFile => &["文件名", "正文文件", "正文", "附件", "文件"],
            Field::Ignore => &[],
        }
    }

    /// The field a header or label names, if any: `索 引 号：` → `IndexNo`.
    pub fn recognise(header: &str) -> Option<Field> {
        let h = squeeze(header);
        let h = h.trim_end_matches([':', '：', '*']);
        let h = h.trim_start_matches('*');
        if h.is_empty() {
            return None;
        }
        Field::ALL.into_iter().find(|f| f.names().contains(&h))
    }
}

/// Error for a field name a mapping file does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown field {0:?}: expected one of index_no, title, publisher, doc_no, written_date, date_published, category, column, validity, summary, keywords, source, author, body_file, ignore")]
pub struct UnknownField(pub String);

impl FromStr for Field {
    type Err = UnknownField;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .or_else(|| Field::recognise(s))
            .ok_or_else(|| UnknownField(s.to_owned()))
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 有效性 as catalogues write it, into the feed's four values.
pub fn validity(s: &str) -> Option<gongkai_core::feed::Validity> {
    use gongkai_core::feed::Validity;
    let s = squeeze(s);
    Some(match s.as_str() {
        "有效" | "现行有效" | "是" | "生效" | "继续有效" => Validity::Valid,
        "已修订" | "修订" | "已修改" | "修改" | "部分修订" => Validity::Amended,
        "已废止" | "废止" | "已撤销" | "撤销" => Validity::Repealed,
        "已失效" | "失效" | "无效" | "否" | "已过期" | "过期" => Validity::Expired,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_issue_s_headers_and_variants() {
        for (h, f) in [
            ("索引号", Field::IndexNo),
            ("索 引 号：", Field::IndexNo),
            ("标　　题", Field::Title),
            ("名称", Field::Title),
            ("信息名称", Field::Title),
            ("发布机构", Field::Publisher),
            ("发文机关:", Field::Publisher),
            ("文号", Field::DocNo),
            ("发文字号", Field::DocNo),
            ("成文日期", Field::WrittenDate),
            ("生成日期", Field::WrittenDate),
            ("发布日期", Field::Published),
            ("公开日期", Field::Published),
            ("主题分类", Field::Category),
            ("分类", Field::Category),
            ("栏目", Field::Column),
            ("有效性", Field::Validity),
            ("内容概述", Field::Summary),
            ("摘要", Field::Summary),
            ("关键词", Field::Keywords),
            ("主题词", Field::Keywords),
            ("来源", Field::Source),
            ("作者", Field::Author),
            ("*标题", Field::Title),
        ] {
            assert_eq!(Field::recognise(h), Some(f), "{h}");
        }
        assert_eq!(Field::recognise("序号"), None);
        assert_eq!(Field::recognise(""), None);
    }

    #[test]
    fn names_round_trip() {
        for f in Field::ALL {
            assert_eq!(f.as_str().parse::<Field>(), Ok(f));
        }
        assert_eq!("发文字号".parse::<Field>(), Ok(Field::DocNo));
        assert!("indexno"
            .parse::<Field>()
            .unwrap_err()
            .to_string()
            .contains("index_no"));
    }

    #[test]
    fn no_name_belongs_to_two_fields() {
        let mut seen = std::collections::HashMap::new();
        for f in Field::ALL {
            for n in f.names() {
                assert_eq!(seen.insert(*n, f), None, "{n} is a name of two fields");
            }
        }
    }

    #[test]
    fn validity_values() {
        use gongkai_core::feed::Validity;
        assert_eq!(validity("现行有效"), Some(Validity::Valid));
        assert_eq!(validity("废止"), Some(Validity::Repealed));
        assert_eq!(validity(" 已失效 "), Some(Validity::Expired));
        assert_eq!(validity("待定"), None);
    }
}
