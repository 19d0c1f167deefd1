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
    ToolbarLabel => "无障碍阅读工具栏", "無障礙閱讀工具欄";
    GroupText => "文字大小", "文字大小";
    ZoomIn => "放大", "放大";
    ZoomOut => "缩小", "縮小";
    Reset => "重置", "重置";
    ZoomStatus => "文字 {}%", "文字 {}%";
    GroupScheme => "配色", "配色";
    SchemeDefault => "默认配色", "默認配色";
    SchemeYellowOnBlack => "黑底黄字", "黑底黃字";
    SchemeWhiteOnBlack => "黑底白字", "黑底白字";
    SchemeBlackOnWhite => "白底黑字", "白底黑字";
    SchemeWhiteOnBlue => "蓝底白字", "藍底白字";
    GroupAids => "辅助", "輔助";
    BigCursor => "大鼠标", "大鼠標";
    Guide => "十字线", "十字線";
    CaptionsLabel => "大字幕", "大字幕";
    GroupSpeech => "声音", "聲音";
    PointRead => "指读", "指讀";
    ContinuousRead => "连读", "連讀";
    StopSpeech => "停止", "停止";
    SpeechRateLabel => "语速", "語速";
    RateSlow => "慢", "慢";
    RateNormal => "正常", "正常";
    RateFast => "快", "快";
    GroupView => "视图", "視圖";
    TextOnly => "纯文本", "純文本";
    Help => "帮助", "幫助";
    CloseToolbar => "关闭工具栏", "關閉工具欄";
    HelpTitle => "键盘快捷键", "鍵盤快捷鍵";
    HelpIntro => "快捷键为 Alt+Shift+数字键(Mac 上为 Option+Shift+数字键),浏览器和常用读屏软件都不使用这组按键。", "快捷鍵爲 Alt+Shift+數字鍵(Mac 上爲 Option+Shift+數字鍵),瀏覽器和常用讀屏軟件都不使用這組按鍵。";
    EnableShortcuts => "启用快捷键", "啓用快捷鍵";
    KeyToolbar => "打开或关闭无障碍阅读工具栏", "打開或關閉無障礙閱讀工具欄";
    KeyZoomIn => "放大文字", "放大文字";
    KeyZoomOut => "缩小文字", "縮小文字";
    KeyScheme => "切换配色", "切換配色";
    KeyElder => "打开或关闭长者模式", "打開或關閉長者模式";
    KeyPointRead => "打开或关闭指读", "打開或關閉指讀";
    KeyContinuous => "从当前段落开始连读", "從當前段落開始連讀";
    KeyTextOnly => "打开或关闭纯文本", "打開或關閉純文本";
    KeyHelp => "打开或关闭帮助", "打開或關閉幫助";
    KeyReset => "重置所有显示设置", "重置所有顯示設置";
    NoSpeech => "此浏览器不支持语音朗读,请使用系统自带的读屏软件。", "此瀏覽器不支持語音朗讀,請使用系統自帶的讀屏軟件。";
    NothingToRead => "本页没有可朗读的文字。", "本頁沒有可朗讀的文字。";
    FontGroup => "字体", "字體";
    FontLarge => "大", "大";
    FontMedium => "中", "中";
    FontSmall => "小", "小";
    Search => "搜索", "搜索";
    SearchLabel => "搜索本站信息", "搜索本站信息";
    NoJsSearch => "本站的搜索和阅读设置需要启用 JavaScript 才能使用。请按栏目浏览:", "本站的搜索和閱讀設置需要啓用 JavaScript 才能使用。請按欄目瀏覽:";
    SearchScope => "搜索位置", "搜索位置";
    ScopeTitle => "标题", "標題";
    ScopeFull => "全文", "全文";
    SearchMatch => "匹配度", "匹配度";
    MatchExact => "精确", "精確";
    MatchFuzzy => "模糊", "模糊";
    SearchSort => "排序", "排序";
    SortRelevance => "相关度", "相關度";
    SortDate => "时间", "時間";
    SearchResults => "搜索结果", "搜索結果";
    ResultCount => "共找到 {} 条结果", "共找到 {} 條結果";
    NoResults => "没有找到与“{}”相关的信息。", "沒有找到與“{}”相關的信息。";
    TryFuzzy => "改用“模糊”匹配再搜一次", "改用“模糊”匹配再搜一次";
    TryFull => "改为在“全文”中搜索", "改爲在“全文”中搜索";
    FilterColumn => "栏目", "欄目";
    AllColumnsOption => "全部栏目", "全部欄目";
    DateFrom => "起始日期", "起始日期";
    DateTo => "结束日期", "結束日期";
    Filter => "筛选", "篩選";
    Searching => "正在搜索…", "正在搜索…";
    BadDate => "日期“{}”无效,请按 年-月-日 填写,例如 2023-07-14。", "日期“{}”無效,請按 年-月-日 填寫,例如 2023-07-14。";
    QueryEmpty => "请输入要搜索的内容。", "請輸入要搜索的內容。";
    QueryBlank => "搜索内容不能只有空格,请输入文字或数字。", "搜索內容不能只有空格,請輸入文字或數字。";
    QueryNoWords => "搜索内容不能只有标点符号,请输入文字或数字。", "搜索內容不能只有標點符號,請輸入文字或數字。";
    QueryTooLong => "搜索内容最多 {} 个字,现在有 {} 个字。", "搜索內容最多 {} 個字,現在有 {} 個字。";
    DownloadWord => "下载Word", "下載Word";
    DownloadPdf => "下载PDF", "下載PDF";
    Downloads => "下载", "下載";
    Valid => "有效", "有效";
    Amended => "已修订", "已修訂";
    Repealed => "已废止", "已廢止";
    Expired => "已失效", "已失效";
    // 收藏 (issue 6).
    FavCompact => "收藏", "收藏";
    MyFavourites => "我的收藏", "我的收藏";
    FavUnit => "条", "條";
    FavFilter => "栏目筛选", "欄目篩選";
    FavFilterAll => "全部栏目", "全部欄目";
    FavExport => "导出", "導出";
    FavImport => "导入", "導入";
    FavImportLabel => "选择要导入的收藏文件", "選擇要導入的收藏文件";
    FavClear => "清空", "清空";
    FavClearConfirm => "确定清空全部 {} 条收藏?", "確定清空全部 {} 條收藏?";
    Confirm => "确定", "確定";
    Cancel => "取消", "取消";
    FavCleared => "已清空收藏。", "已清空收藏。";
    FavRemove => "移除", "移除";
    FavRemoved => "已移除“{}”。", "已移除“{}”。";
    FavOffline => "已下线", "已下線";
    FavAddedAt => "收藏于 {}", "收藏於 {}";
    FavEmpty => "还没有收藏。在文章页或列表中按“加入收藏”,文章就会出现在这里。", "還沒有收藏。在文章頁或列表中按“加入收藏”,文章就會出現在這裏。";
    FavEmptyFiltered => "这个栏目没有收藏。", "這個欄目沒有收藏。";
    FavListLabel => "收藏列表", "收藏列表";
    FavToolsLabel => "收藏管理", "收藏管理";
    FavExported => "已导出 {} 条收藏。", "已導出 {} 條收藏。";
    FavExportFailed => "导出失败:{}", "導出失敗:{}";
    FavImported => "导入完成:新增 {} 条,已有 {} 条。", "導入完成:新增 {} 條,已有 {} 條。";
    FavImportRejected => "有 {} 条无法读取,已略过:{}", "有 {} 條無法讀取,已略過:{}";
    FavImportFailed => "导入失败:{}", "導入失敗:{}";
    FavImportLimited => "我的收藏最多保存 {} 条:文件中另有 {} 条新收藏因已达上限没有导入(已导入其中最新收藏的 {} 条)。", "我的收藏最多保存 {} 條:文件中另有 {} 條新收藏因已達上限沒有導入(已導入其中最新收藏的 {} 條)。";
    FavImportNotSaved => "但导入的收藏未能保存到浏览器(存储空间已满):关闭页面后会丢失,请先导出。", "但導入的收藏未能保存到瀏覽器(存儲空間已滿):關閉頁面後會丟失,請先導出。";
    FavErrTooLarge => "文件太大({} MB),收藏文件最大 {} MB", "文件太大({} MB),收藏文件最大 {} MB";
    FavFull => "收藏已满(最多 {} 条),没有加入。请先移除不再需要的收藏。", "收藏已滿(最多 {} 條),沒有加入。請先移除不再需要的收藏。";
    FavLimitHint => "收藏最多保存 {} 条。导入文件会与现有收藏合并。", "收藏最多保存 {} 條。導入文件會與現有收藏合併。";
    FavErrNotJson => "文件不是有效的 JSON(第 {} 行第 {} 列出错)", "文件不是有效的 JSON(第 {} 行第 {} 列出錯)";
    FavErrNotObject => "这不是收藏文件:内容不是 JSON 对象", "這不是收藏文件:內容不是 JSON 對象";
    FavErrNoVersion => "这不是收藏文件:缺少版本号 v", "這不是收藏文件:缺少版本號 v";
    FavErrVersion => "收藏文件的版本 {} 无法识别(本程序读取版本 {})", "收藏文件的版本 {} 無法識別(本程序讀取版本 {})";
    FavErrNoItems => "这不是收藏文件:缺少收藏列表 items", "這不是收藏文件:缺少收藏列表 items";
    FavErrNotEntry => "第 {} 条收藏不是有效的条目", "第 {} 條收藏不是有效的條目";
    FavErrEntry => "第 {} 条收藏的“{}”字段{}", "第 {} 條收藏的“{}”字段{}";
    FavProblemMissing => "缺失", "缺失";
    FavProblemType => "类型不对", "類型不對";
    FavProblemInvalid => "格式不对", "格式不對";
    FavCorrupt => "保存的收藏无法读取({}),现在显示空列表。原数据已另存为 {},可以下载保存。", "保存的收藏無法讀取({}),現在顯示空列表。原數據已另存爲 {},可以下載保存。";
    FavCorruptKept => "保存的收藏无法读取({}),现在显示空列表。原数据保留未动,可以下载保存;本次访问中的收藏不会保存。", "保存的收藏無法讀取({}),現在顯示空列表。原數據保留未動,可以下載保存;本次訪問中的收藏不會保存。";
    FavPartlyCorrupt => "保存的收藏中有 {} 条无法读取,已略过。原数据已另存为 {},可以下载保存。", "保存的收藏中有 {} 條無法讀取,已略過。原數據已另存爲 {},可以下載保存。";
    FavNotSaved => "收藏未能保存:浏览器存储空间已满。本次访问中收藏仍然有效,请导出收藏以免丢失。", "收藏未能保存:瀏覽器存儲空間已滿。本次訪問中收藏仍然有效,請導出收藏以免丟失。";
    FavUnavailable => "浏览器存储不可用(例如隐私模式或嵌入页面中),收藏只在本次访问中有效。可以导出收藏以免丢失。", "瀏覽器存儲不可用(例如隱私模式或嵌入頁面中),收藏只在本次訪問中有效。可以導出收藏以免丟失。";
    FavDownloadBackup => "下载原数据", "下載原數據";
    FavNoticeLabel => "收藏提示", "收藏提示";
    BookmarkTitle => "收藏本站", "收藏本站";
    BookmarkKeys => "按 Ctrl+D(Mac 上按 ⌘+D)可以把本页加入浏览器书签。", "按 Ctrl+D(Mac 上按 ⌘+D)可以把本頁加入瀏覽器書籤。";
    BookmarkArticles => "要收藏某篇文章,请在文章页按“加入收藏”,之后可以在这里查看:", "要收藏某篇文章,請在文章頁按“加入收藏”,之後可以在這裏查看:";
    CloseLabel => "关闭", "關閉";
    FooterLabel => "网站信息", "網站信息";
    FooterSponsor => "主办单位：{}", "主辦單位：{}";
    FooterOrganizer => "承办单位：{}", "承辦單位：{}";
    FooterSiteCode => "网站标识码：{}", "網站標識碼：{}";
    FooterContact => "联系我们", "聯繫我們";
    FooterPhone => "电话：{}", "電話：{}";
    FooterEmail => "邮箱：{}", "郵箱：{}";
    FooterAddress => "地址：{}", "地址：{}";
    FooterErrorReport => "我为政府网站找错", "我爲政府網站找錯";
    FooterBadge => "党政机关网站标识", "黨政機關網站標識";
    FooterIcpLabel => "ICP备案号：{}", "ICP備案號：{}";
    FooterPsbLabel => "公安机关备案号：{}", "公安機關備案號：{}";
    ApplyTitle => "依申请公开", "依申請公開";
    ApplyIntro => "除主动公开的政府信息外，公民、法人或者其他组织可以向本机关申请获取政府信息。", "除主動公開的政府信息外，公民、法人或者其他組織可以向本機關申請獲取政府信息。";
    ApplyHowTitle => "如何申请", "如何申請";
    ApplyStepForm => "填写申请表，写明申请人的姓名或者名称、身份证明、联系方式，申请公开的政府信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式、途径。", "填寫申請表，寫明申請人的姓名或者名稱、身份證明、聯繫方式，申請公開的政府信息的名稱、文號或者便於查詢的其他特徵性描述，以及獲取信息的方式、途徑。";
    ApplyStepSend => "通过下列任一渠道提交申请。", "通過下列任一渠道提交申請。";
    ApplyStepReply => "本机关在下列时限内答复，并按申请人要求的方式送达。", "本機關在下列時限內答覆，並按申請人要求的方式送達。";
    ApplyChannelsTitle => "申请渠道", "申請渠道";
    ApplyOnline => "在线申请", "在線申請";
    ApplyOnlineLink => "进入在线申请系统", "進入在線申請系統";
    ApplyPost => "信函或当面申请", "信函或當面申請";
    ApplyPostNote => "信函申请请在信封左下角注明“政府信息公开申请”字样。", "信函申請請在信封左下角註明“政府信息公開申請”字樣。";
    ApplyEmailChannel => "电子邮件申请", "電子郵件申請";
    ApplyFormTitle => "申请表", "申請表";
    ApplyFormLink => "下载政府信息公开申请表", "下載政府信息公開申請表";
    ApplyRecipient => "受理机构", "受理機構";
    ApplyAddress => "地址", "地址";
    ApplyPostcode => "邮政编码", "郵政編碼";
    ApplyPhone => "咨询电话", "諮詢電話";
    ApplyEmail => "电子邮箱", "電子郵箱";
    ApplyHours => "办公时间", "辦公時間";
    ApplyLimitsTitle => "办理时限", "辦理時限";
    ApplyLimitNow => "能够当场答复的，当场予以答复。", "能夠當場答覆的，當場予以答覆。";
    ApplyLimit20 => "不能当场答复的，自收到申请之日起20个工作日内予以答复。", "不能當場答覆的，自收到申請之日起20個工作日內予以答覆。";
    ApplyLimitExtend => "需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。", "需要延長答覆期限的，經政府信息公開工作機構負責人同意並告知申請人，延長的期限最長不超過20個工作日。";
    ApplyLimitCorrect => "申请内容不明确的，自收到申请之日起7个工作日内一次性告知申请人作出补正；答复期限自收到补正的申请之日起计算。", "申請內容不明確的，自收到申請之日起7個工作日內一次性告知申請人作出補正；答覆期限自收到補正的申請之日起計算。";
    ApplyLaw => "依据：《中华人民共和国政府信息公开条例》第二十七条至第三十三条。", "依據：《中華人民共和國政府信息公開條例》第二十七條至第三十三條。";
    ApplyNotesTitle => "其他说明", "其他說明";
    ApplyFromGuide => "如何申请政府信息公开：申请渠道、申请表和办理时限", "如何申請政府信息公開：申請渠道、申請表和辦理時限";
    ApplyNone => "本站尚未提供依申请公开的渠道信息，请查阅政府信息公开指南或联系发布机构。", "本站尚未提供依申請公開的渠道信息，請查閱政府信息公開指南或聯繫發佈機構。";
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
