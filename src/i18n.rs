//! Every piece of interface text, in 简体 and 繁體, from one table.
//!
//! The table is a macro invocation: a row with a missing script does not
//! match the macro's pattern, so a string missing in one script is a compile
//! error, not a blank on screen. The 繁體 column is OpenCC `s2t` of the 简体
//! column (a native test checks this against Debian's `opencc`, when present).
//! Templates use `{}` for arguments, filled in order by [`Msg::fill`].

use gongkai_core::bundle::Variant;
use gongkai_core::feed::Validity;

macro_rules! messages {
    ($($key:ident => $hans:literal, $hant:literal;)*) => {
        /// A piece of interface text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $(
                #[doc = $hans]
                $key,
            )*
        }

        impl Msg {
            /// Every message, in table order.
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            /// The text in `script`.
            pub fn get(self, script: Variant) -> &'static str {
                match (self, script) {
                    $(
                        (Msg::$key, Variant::Hans) => $hans,
                        (Msg::$key, Variant::Hant) => $hant,
                    )*
                }
            }
        }
    };
}

messages! {
    Close => "知道了", "知道了";
    Section => "政府信息公开", "政府信息公開";
    SkipLink => "跳到主要内容", "跳到主要內容";
    Accessibility => "无障碍阅读", "無障礙閱讀";
    ElderMode => "长者模式", "長者模式";
    AddFavourite => "加入收藏", "加入收藏";
    Login => "登录", "登錄";
    Register => "注册", "註冊";
    ScriptGroup => "字形", "字形";
    AllColumns => "全部", "全部";
    ColumnNav => "栏目", "欄目";
    Breadcrumb => "当前位置", "當前位置";
    Home => "首页", "首頁";
    Pager => "分页", "分頁";
    PrevPage => "上一页", "上一頁";
    NextPage => "下一页", "下一頁";
    PageN => "第 {} 页", "第 {} 頁";
    PageStatus => "第 {} 页,共 {} 页", "第 {} 頁,共 {} 頁";
    TitleWithPage => "{}(第 {} 页)", "{}(第 {} 頁)";
    Count => "共 {} 条", "共 {} 條";
    EmptyList => "本栏目暂无信息。", "本欄目暫無信息。";
    Loading => "正在加载…", "正在加載…";
    NotFoundTitle => "页面不存在", "頁面不存在";
    NotFoundText => "未找到{}。它可能已被移动或删除,或者链接有误。", "未找到{}。它可能已被移動或刪除,或者鏈接有誤。";
    BackHome => "返回首页", "返回首頁";
    ErrorTitle => "加载失败", "加載失敗";
    ErrorText => "页面内容未能加载。请检查网络后重试;如果问题持续,请联系网站管理员并告知以下信息:", "頁面內容未能加載。請檢查網絡後重試;如果問題持續,請聯繫網站管理員並告知以下信息:";
    Retry => "重试", "重試";
    Attachments => "附件", "附件";
    PrevArticle => "上一篇", "上一篇";
    NextArticle => "下一篇", "下一篇";
    NoMore => "没有了", "沒有了";
    Neighbours => "相邻文章", "相鄰文章";
    VoidPrefix => "本文件{}", "本文件{}";
    VoidSuffix => ",内容仅供查阅,不再作为办事依据。", ",內容僅供查閱,不再作爲辦事依據。";
    Publisher => "发布机构", "發佈機構";
    IndexNo => "索引号", "索引號";
    Source => "来源", "來源";
    Time => "时间", "時間";
    Author => "作者", "作者";
    DocNo => "文号", "文號";
    WrittenDate => "成文日期", "成文日期";
    Category => "主题分类", "主題分類";
    Keywords => "主题词", "主題詞";
    Validity => "有效性", "有效性";
    Footer => "{} {} 主办", "{} {} 主辦";
    WhatItem => "编号为“{}”的信息", "編號爲“{}”的信息";
    WhatColumn => "栏目“{}”", "欄目“{}”";
    WhatPage => "第 {} 页(共 {} 页)", "第 {} 頁(共 {} 頁)";
    WhatPageNumber => "该页码", "該頁碼";
    WhatPath => "地址“{}”对应的页面", "地址“{}”對應的頁面";
    Image => "图片", "圖片";
    File => "文件", "文件";
    ErrNetwork => "无法连接服务器,请求 {} 失败:{}", "無法連接服務器,請求 {} 失敗:{}";
    ErrHttp => "服务器返回 HTTP {}:{}", "服務器返回 HTTP {}:{}";
    ErrParse => "数据解析失败:{} 第 {} 行第 {} 列:{}", "數據解析失敗:{} 第 {} 行第 {} 列:{}";
    ErrFormat => "数据版本不兼容:{} 的格式为 {},本程序需要 {}", "數據版本不兼容:{} 的格式爲 {},本程序需要 {}";
    ErrNoWindow => "没有浏览器窗口", "沒有瀏覽器窗口";
    Valid => "有效", "有效";
    Amended => "已修订", "已修訂";
    Repealed => "已废止", "已廢止";
    Expired => "已失效", "已失效";
}

impl Msg {
    /// The template in `script` with each `{}` replaced by the next argument.
    /// Extra arguments are ignored and missing ones leave `{}` visible, which
    /// a test for every template rules out.
    pub fn fill(self, script: Variant, args: &[&dyn std::fmt::Display]) -> String {
        let mut out = String::new();
        let mut args = args.iter();
        let mut rest = self.get(script);
        while let Some(at) = rest.find("{}") {
            out.push_str(&rest[..at]);
            match args.next() {
                Some(a) => out.push_str(&a.to_string()),
                None => out.push_str("{}"),
            }
            rest = &rest[at + 2..];
        }
        out.push_str(rest);
        out
    }

    /// Number of `{}` placeholders in the template (the same in both scripts).
    pub fn arity(self) -> usize {
        self.get(Variant::Hans).matches("{}").count()
    }

    /// The label of a 有效性 value.
    pub fn validity(v: Validity) -> Msg {
        match v {
            Validity::Valid => Msg::Valid,
            Validity::Amended => Msg::Amended,
            Validity::Repealed => Msg::Repealed,
            Validity::Expired => Msg::Expired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_scripts_have_the_same_placeholders() {
        for m in Msg::ALL {
            assert_eq!(
                m.get(Variant::Hans).matches("{}").count(),
                m.get(Variant::Hant).matches("{}").count(),
                "{m:?}"
            );
            assert!(!m.get(Variant::Hant).is_empty(), "{m:?}");
        }
    }

    #[test]
    fn fill_replaces_in_order() {
        assert_eq!(
            Msg::PageStatus.fill(Variant::Hans, &[&2, &3]),
            "第 2 页,共 3 页"
        );
        assert_eq!(
            Msg::PageStatus.fill(Variant::Hant, &[&2, &3]),
            "第 2 頁,共 3 頁"
        );
        assert_eq!(Msg::Count.fill(Variant::Hans, &[&50]), "共 50 条");
        assert_eq!(Msg::Count.fill(Variant::Hans, &[]), "共 {} 条");
    }

    #[test]
    fn validity_labels_match_the_feed_values() {
        for v in Validity::ALL {
            assert_eq!(Msg::validity(v).get(Variant::Hans), v.as_str());
        }
    }

    /// The 繁體 column must be what OpenCC makes of the 简体 column, with
    /// Debian's `opencc` as the oracle (scripts/setup installs it).
    #[test]
    fn hant_column_is_opencc_s2t_of_hans() {
        let input: String = Msg::ALL
            .iter()
            .map(|m| format!("{}\n", m.get(Variant::Hans)))
            .collect();
        let output = std::process::Command::new("opencc")
            .args(["-c", "s2t.json"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(input.as_bytes())?;
                child.wait_with_output()
            });
        let output = output.expect("running `opencc -c s2t.json` (apt-get install opencc)");
        let converted = String::from_utf8(output.stdout).unwrap();
        for (m, expected) in Msg::ALL.iter().zip(converted.lines()) {
            assert_eq!(m.get(Variant::Hant), expected, "{m:?}");
        }
    }
}
