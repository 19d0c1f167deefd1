//! Writes a synthetic feed of N notices to standard output, for benchmarks.
//!
//! ```text
//! cargo run --release -p gongkai-cli --example gen_feed -- 10000 > /tmp/feed.json
//! cargo run --release -p gongkai-cli --example gen_feed -- 1000000 --jsonl > /tmp/feed.jsonl
//! cargo run --release -p gongkai-cli --example gen_feed -- 10000 --jsonl --edit change > f.jsonl
//! ```
//!
//! `--jsonl` writes JSON Lines (the top-level fields on the first line, then
//! one item a line, docs/feed-format.md), item by item: a million notices
//! never need to be in memory. `--edit add|add-old|change|delete` (repeatable)
//! writes the same feed with one notice added (N + 1 notices; `add` publishes
//! it after every other, `add-old` dates it in the middle of the list), notice N/3
//! changed (title and body) or notice 2N/3 deleted, for incremental-build
//! benchmarks (bench/build-scale.sh).
//!
//! Bodies are 2–4 KB of Chinese HTML (paragraphs, headings, sometimes a table);
//! one notice in 25 carries hostile markup (script, event handlers,
//! `javascript:` links, style attributes) so the sanitiser's reporting is
//! exercised too. The output is deterministic for a given N.

use serde_json::{json, Value};
use std::io::{self, BufWriter, Write};

const COLUMNS: [(&str, &str); 4] = [
    ("zn", "政府信息公开指南"),
    ("zd", "政府信息公开制度"),
    ("fdzdgknr", "法定主动公开内容"),
    ("nb", "政府信息公开年报"),
];

const SENTENCES: [&str; 12] = [
    "为深入贯彻落实创新驱动发展战略，进一步激发全社会创新创业活力，结合我县实际，现将有关事项通知如下。",
    "各乡镇、县直各部门要高度重视，加强组织领导，明确责任分工，确保各项工作任务落到实处。",
    "申报单位应当具有独立法人资格，近三年内无重大违法违规记录，财务管理制度健全。",
    "请于规定时间内将申报材料纸质版一式三份报送县科技局，电子版同时发送至指定邮箱。",
    "县科技局将会同相关部门组织专家进行评审，评审结果将在本网站进行公示，公示期为七个工作日。",
    "对弄虚作假、骗取财政资金的单位，一经查实，取消其三年内申报资格，并依法依规追究相关责任。",
    "本通知自印发之日起施行，由县科技局负责解释，此前有关规定与本通知不一致的，以本通知为准。",
    "各单位要加强宣传引导，充分利用各类媒体，广泛宣传科技政策，营造良好的科技创新氛围。",
    "联系人：王科长，联系电话：0938-3321234，办公地址：武山县城关镇行政中心三楼。",
    "坚持以人民为中心的发展思想，推动科技成果转化应用，助力乡村振兴和县域经济高质量发展。",
    "依据《中华人民共和国政府信息公开条例》规定，本机关主动公开相关政府信息。",
    "各项目承担单位要严格按照项目任务书要求组织实施，确保项目按期完成并通过验收。",
];

const TITLES: [&str; 6] = [
    "关于开展科技活动周的通知",
    "关于申报科技计划项目的通知",
    "科技局政府信息公开工作年度报告",
    "关于印发科技创新奖励办法的通知",
    "关于公布科技特派员名单的公告",
    "政府信息公开指南",
];

/// 文种 with their shares (in 1,000ths): a county bureau's mix, a fifth of
/// notices (动态, 新闻) having none.
const DOC_TYPES: [(&str, usize); 14] = [
    ("通知", 300),
    ("公告", 70),
    ("公示", 90),
    ("办法", 50),
    ("意见", 40),
    ("规定", 20),
    ("报告", 60),
    ("批复", 30),
    ("函", 40),
    ("解读", 40),
    ("决定", 20),
    ("通报", 20),
    ("细则", 10),
    ("", 210),
];

/// 主题分类 of the State Council's policy library (first level, then a
/// few second-level ones), most used first.
const TOPICS: [&str; 24] = [
    "科技、教育",
    "科技",
    "财政、金融、审计",
    "农业、林业、水利",
    "农业、畜牧业、渔业",
    "城乡建设、环境保护",
    "劳动、人事、监察",
    "市场监管、安全生产监管",
    "国民经济管理、国有资产监管",
    "工业、交通",
    "卫生、体育",
    "民政、扶贫、救灾",
    "文化、广电、新闻出版",
    "公安、安全、司法",
    "商贸、海关、旅游",
    "国土资源、能源",
    "人口与计划生育、妇女儿童工作",
    "教育",
    "知识产权",
    "统计",
    "民族、宗教",
    "对外事务",
    "国防",
    "其他",
];

/// Other 发文机关 of the county, for joint documents and documents the
/// bureau forwards.
const ISSUERS: [&str; 10] = [
    "武山县人民政府",
    "武山县人民政府办公室",
    "武山县财政局",
    "武山县教育局",
    "武山县农业农村局",
    "武山县市场监督管理局",
    "武山县人力资源和社会保障局",
    "武山县发展和改革局",
    "中共武山县委办公室",
    "武山县工业和信息化局",
];

const HOSTILE: [&str; 5] = [
    "<script>alert('x')</script>",
    "<p onclick=\"steal()\">点击查看详情</p>",
    "<p><a href=\"javascript:alert(1)\">附件下载</a></p>",
    "<p style=\"color:red;font-size:30px\">特别提示</p>",
    "<iframe src=\"https://evil.example/\"></iframe>",
];

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn body(rng: &mut Rng, n: usize) -> String {
    let target = 2048 + rng.below(2048);
    let mut html = String::from("<p>各乡镇人民政府，县直有关部门：</p>");
    let mut section = 1;
    while html.len() < target {
        if rng.below(4) == 0 {
            html.push_str(&format!(
                "<h3>{}、工作要求</h3>",
                ["一", "二", "三", "四", "五", "六", "七", "八"][section % 8]
            ));
            section += 1;
        }
        html.push_str("<p>");
        for _ in 0..1 + rng.below(3) {
            html.push_str(SENTENCES[rng.below(SENTENCES.len())]);
        }
        html.push_str("</p>");
        if rng.below(10) == 0 {
            html.push_str("<table><thead><tr><th>序号</th><th>项目名称</th><th>承担单位</th></tr></thead><tbody>");
            for r in 1..=3 {
                html.push_str(&format!(
                    "<tr><td>{r}</td><td>科技示范项目{r}</td><td>武山县某某公司</td></tr>"
                ));
            }
            html.push_str("</tbody></table>");
        }
    }
    if n.is_multiple_of(25) {
        html.push_str(HOSTILE[(n / 25) % HOSTILE.len()]);
    }
    html.push_str("<p style=\"text-align:right\">武山县科技局</p>");
    html
}

/// A value of `table` by its share, skewed like real use.
fn weighted<'a>(rng: &mut Rng, table: &[(&'a str, usize)]) -> &'a str {
    let total: usize = table.iter().map(|(_, w)| w).sum();
    let mut at = rng.below(total);
    for (v, w) in table {
        if at < *w {
            return v;
        }
        at -= w;
    }
    table[0].0
}

/// Index `0..n` with smaller ones likelier (about Zipf).
fn skewed(rng: &mut Rng, n: usize) -> usize {
    let a = rng.below(n);
    rng.below(a + 1)
}

/// The 政策文件库's fields: 文种, 发文机关 (mostly the bureau, a tenth
/// joint), 主题分类 (one or two) and, for one notice in twenty, a relation
/// to an older one (a 解读 of it, or repealing it).
fn library_fields(rng: &mut Rng, n: usize, gov: &mut Value) {
    let doc_type = weighted(rng, &DOC_TYPES);
    if !doc_type.is_empty() {
        gov["doc_type"] = json!(doc_type);
    }
    match rng.below(10) {
        0 => gov["issuer"] = json!(["武山县科技局", ISSUERS[skewed(rng, ISSUERS.len())]]),
        1 | 2 => gov["issuer"] = json!(ISSUERS[skewed(rng, ISSUERS.len())]),
        _ => {}
    }
    let topics: Vec<&str> = (0..1 + rng.below(2))
        .map(|_| TOPICS[skewed(rng, TOPICS.len())])
        .collect();
    gov["topics"] = json!(topics);
    if n > 20 && rng.below(20) == 0 {
        let kind = if doc_type == "解读" {
            "interprets"
        } else {
            "related"
        };
        gov["relations"] = json!([{"type": kind, "id": id(n - 1 - rng.below(20))}]);
    }
}

fn id(n: usize) -> String {
    format!("kjj1-{}-{n:05}", 2015 + n % 10)
}

fn item(rng: &mut Rng, n: usize) -> Value {
    let year = 2015 + n % 10;
    let (col, _) = COLUMNS[if n % 10 < 7 { 2 } else { n % 4 }];
    let day = 1 + rng.below(28);
    let month = 1 + rng.below(12);
    let validity = ["有效", "有效", "有效", "已修订", "已废止", "已失效"][n % 6];
    let mut gov = json!({
        "index_no": format!("kjj1/{year}-{:05}", n % 100_000),
        "publisher": "武山县科技局",
        "source": "武山县科技局",
        "doc_no": format!("武科发〔{year}〕{}号", n / 10 + 1),
        "written_date": format!("{year}-{month:02}-{day:02}"),
        "category": col,
        "keywords": ["科技", "通知"],
        "validity": validity
    });
    library_fields(rng, n, &mut gov);
    json!({
        "id": id(n),
        "url": format!("https://www.example.gov.cn/kjj/{year}/{n}.html"),
        "title": format!("{}（{year}-{n}）", TITLES[n % TITLES.len()]),
        "content_html": body(rng, n),
        "date_published": format!("{year}-{month:02}-{day:02}T{:02}:{:02}:00+08:00", 8 + rng.below(10), rng.below(60)),
        "authors": [{"name": "武山县科技局"}],
        "attachments": if n.is_multiple_of(5) {
            json!([{"url": format!("https://www.example.gov.cn/kjj/files/{n}.pdf"), "mime_type": "application/pdf", "title": "附件1", "size_in_bytes": 10_000 + n}])
        } else {
            json!([])
        },
        "_gov": gov
    })
}

/// Changes to the feed between two runs, for incremental builds; they
/// combine (`--edit add --edit change` is both).
#[derive(Clone, Copy, Default)]
struct Edits {
    /// One notice more (N + 1), published after every other: a notice
    /// published today, the common case.
    add: bool,
    /// One notice more (N + 1) with the generator's own date, which falls in
    /// the middle of the list: an old notice imported late.
    add_old: bool,
    /// Notice N/3's title and body changed.
    change: bool,
    /// Notice 2N/3 left out.
    delete: bool,
}

impl Edits {
    fn set(&mut self, s: &str) {
        match s {
            "add" => self.add = true,
            "add-old" => self.add_old = true,
            "change" => self.change = true,
            "delete" => self.delete = true,
            other => panic!("--edit {other:?}: expected add, add-old, change or delete"),
        }
    }
}

/// The feed's top-level fields (all but `items`).
fn top_fields() -> Value {
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "甘肃政务服务网-武山 科技局 政府信息公开",
        "home_page_url": "https://www.example.gov.cn/kjj/",
        "language": "zh-CN",
        "_gov": {
            "site_name": "甘肃政务服务网-武山",
            "department": "科技局",
            "section": "政府信息公开",
            "columns": COLUMNS.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
            "login_url": "https://portal.example.gov.cn/login",
            "register_url": "https://portal.example.gov.cn/register"
        }
    })
}

/// Calls `each` with the feed's items in order, one at a time, with the
/// edits applied. The other items are the same whatever the edits (the
/// generator's state runs through every notice).
fn items(n: usize, edits: Edits, mut each: impl FnMut(Value) -> io::Result<()>) -> io::Result<()> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (changed, deleted) = (n.div_ceil(3), (2 * n).div_ceil(3));
    let last = if edits.add || edits.add_old { n + 1 } else { n };
    for i in 1..=last {
        let mut it = item(&mut rng, i);
        if edits.add && i == n + 1 {
            // After every generated date (their years end at 2024).
            it["date_published"] = json!("2026-12-07T09:30:00+08:00");
        }
        if edits.delete && i == deleted {
            continue;
        }
        if edits.change && i == changed {
            it["title"] = json!(format!("{}（已更正）", it["title"].as_str().unwrap_or("")));
            let body = it["content_html"].as_str().unwrap_or("").to_owned();
            it["content_html"] = json!(format!("{body}<p>更正：联系电话改为0938-3329999。</p>"));
        }
        each(it)?;
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let mut n = 100;
    let mut lines = false;
    let mut edits = Edits::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--jsonl" => lines = true,
            "--edit" => edits.set(
                &args
                    .next()
                    .expect("--edit needs add, add-old, change or delete"),
            ),
            other => {
                n = other
                    .parse()
                    .expect("usage: gen_feed N [--jsonl] [--edit add|add-old|change|delete]")
            }
        }
    }
    let mut out = BufWriter::new(io::stdout().lock());
    if lines {
        writeln!(out, "{}", top_fields())?;
        items(n, edits, |it| writeln!(out, "{it}"))?;
    } else {
        let mut all = Vec::new();
        items(n, edits, |it| {
            all.push(it);
            Ok(())
        })?;
        let mut feed = top_fields();
        feed["items"] = Value::Array(all);
        writeln!(out, "{feed}")?;
    }
    out.flush()
}
