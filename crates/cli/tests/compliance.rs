//! The compliance features end to end, through the built `gongkai` binary:
//! the personal-data gate (refusal before anything is written, `--redact`
//! in every output, `--allow-pii`), `gongkai audit`, and what the static
//! pages carry (the footer, `SiteIDCode`, `/apply`).

mod common;

use common::{s, stderr, stdout, TempDir};
use gongkai_core::search::{Options, Query, SearchMeta, SearchStep, Shards, META_PATH};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The ID, mobile and card numbers the feed publishes, and their masks.
const ID: &str = "620524198511020047";
const ID_MASKED: &str = "620524********0047";
const MOBILE: &str = "13812345678";
const MOBILE_MASKED: &str = "138****5678";
const CARD: &str = "6228480402564890018";
const CARD_MASKED: &str = "***************0018";
/// The mobile as the title writes it: full-width digits.
const MOBILE_WIDE: &str = "１５９０９３８１２３４";
const MOBILE_WIDE_MASKED: &str = "１５９＊＊＊＊１２３４";

fn feed() -> String {
    let body = format!(
        "<p>经审核，下列农户符合种植补贴条件，现予公示。</p>\
         <table><caption>补贴发放名单</caption><thead><tr><th>姓名</th><th>身份证号</th><th>联系电话</th><th>银行卡号</th><th>金额（元）</th></tr></thead>\
         <tbody><tr><td>王某</td><td>{ID}</td><td>138 1234 5678</td><td>{CARD}</td><td>1200.00</td></tr></tbody></table>\
         <p>公示期5个工作日，咨询电话：0938-3422615。</p>"
    );
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "武山县科学技术局 政府信息公开",
        "home_page_url": "https://www.example.gov.cn/kjj/",
        "_gov": {
            "site_name": "甘肃政务服务网-武山",
            "department": "科技局",
            "columns": [
                {"id": "zn", "name": "政府信息公开指南", "kind": "guide"},
                {"id": "tzgg", "name": "通知公告", "kind": "proactive"}
            ],
            "login_url": "https://portal.example.gov.cn/login",
            "register_url": "https://portal.example.gov.cn/register",
            "apply": {
                "online_url": "https://portal.example.gov.cn/ysqgk",
                "form_url": "https://www.example.gov.cn/kjj/sqb.docx",
                "recipient": "武山县科学技术局办公室",
                "address": "武山县城关镇东顺路186号",
                "postcode": "741300",
                "email": "wsxkjj@163.com"
            },
            "footer": {
                "sponsor": "武山县人民政府",
                "organizer": "武山县科学技术局",
                "site_code": "6205240001",
                "icp": "陇ICP备12345678号-1",
                "psb": "甘公网安备62052402000123号",
                "gov_badge_url": "https://bszs.conac.cn/sitename?method=show&id=1"
            }
        },
        "items": [
            {
                "id": "kjj1-2025-00021",
                "title": format!("2025年种植补贴发放名单公示（咨询{MOBILE_WIDE}）"),
                "content_html": body,
                "date_published": "2025-06-10T09:30:00+08:00",
                "attachments": [{"url": "https://www.example.gov.cn/kjj/a.xls", "mime_type": "application/vnd.ms-excel", "title": format!("名单（联系人{MOBILE}）.xls")}],
                "_gov": {"index_no": "kjj1/2025-00021", "publisher": "科技局", "category": "tzgg"}
            },
            {
                "id": "kjj1-2025-00001",
                "title": "武山县科学技术局政府信息公开指南",
                "content_text": "联系电话：0938-3422615\n邮政编码：741300",
                "date_published": "2025-01-10T09:30:00+08:00",
                "_gov": {"index_no": "kjj1/2025-00001", "publisher": "科技局", "category": "zn"}
            }
        ]
    })
    .to_string()
}

/// A trunk-like shell: the parts `--site` fills in.
const SHELL: &str = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>政府信息公开</title><base href=/>\n</head><body class=gk-page><div data-gongkai data-standalone data-bundle=bundle/><noscript><p>需要 JavaScript</p></noscript></div></body></html>";

/// A site folder holding the shell, in `t`.
fn site(t: &TempDir) -> PathBuf {
    let site = t.0.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), SHELL).unwrap();
    site
}

/// `gongkai`, built at a time of its own (2025-06-15).
fn gongkai(args: &[&str]) -> Output {
    common::gongkai_at("1750000000", args)
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// How many documents the bundle's search index finds for `q`.
fn search_hits(bundle: &Path, q: &str) -> usize {
    let read = |p: &str| std::fs::read(bundle.join(p)).unwrap();
    let meta: SearchMeta = serde_json::from_slice(&read(META_PATH)).unwrap();
    let query = Query::parse(q, Options::default()).unwrap();
    let mut files = Shards::default();
    loop {
        match query.step(&meta, &files, 0).unwrap() {
            SearchStep::Fetch(missing) => {
                for f in missing {
                    files.load(f, read(&f.path())).unwrap();
                }
            }
            SearchStep::Done(r) => return r.total,
        }
    }
}

#[test]
fn build_refuses_personal_numbers_before_anything_is_written() {
    let t = TempDir::new("refuse");
    let feed = t.write("feed.json", &feed());
    let site = site(&t);
    let out_dir = t.0.join("bundle");
    let o = gongkai(&["build", s(&feed), "--out", s(&out_dir), "--site", s(&site)]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    for masked in [ID_MASKED, MOBILE_MASKED, CARD_MASKED, "159****1234"] {
        assert!(text.contains(masked), "the refusal names {masked}: {text}");
    }
    for full in [ID, MOBILE, CARD, "15909381234", MOBILE_WIDE] {
        assert!(
            !text.contains(full),
            "the refusal never prints {full}: {text}"
        );
    }
    assert!(
        text.contains(
            "items[0] (id \"kjj1-2025-00021\"): content_html: 居民身份证号码 at character"
        ),
        "{text}"
    );
    assert!(
        text.contains("items[0] (id \"kjj1-2025-00021\"): attachments[0].title: 手机号码"),
        "{text}"
    );
    assert!(text.contains("nothing written: 5 personal numbers would be published (1 居民身份证号码, 3 手机号码, 1 银行卡号)"), "{text}");
    assert!(
        text.contains("kjj1-2025-00021\tid-card\t"),
        "the line to acknowledge it: {text}"
    );
    assert!(!out_dir.exists(), "no bundle folder");
    assert_eq!(
        files(&site),
        [site.join("index.html")],
        "the site folder is untouched (no staging area)"
    );
}

#[test]
fn redact_masks_the_numbers_in_every_output() {
    let t = TempDir::new("redact");
    let feed = t.write("feed.json", &feed());
    let site = site(&t);
    let bundle = site.join("bundle");
    let o = gongkai(&[
        "build",
        s(&feed),
        "--out",
        s(&bundle),
        "--site",
        s(&site),
        "--redact",
    ]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("personal data: redacted 5 personal numbers (1 居民身份证号码, 3 手机号码, 1 银行卡号) in every output"),
        "{}",
        stdout(&o)
    );
    // No file of the bundle or the site holds a whole number: JSON, search
    // shards, static pages, Word and PDF (their text is compressed: below).
    for f in files(&site) {
        let bytes = std::fs::read(&f).unwrap();
        for full in [ID, CARD, MOBILE, "15909381234", MOBILE_WIDE] {
            assert!(!contains(&bytes, full), "{} holds {full}", f.display());
        }
    }
    let article =
        std::fs::read_to_string(bundle.join("zh-Hans/items/kjj1-2025-00021.json")).unwrap();
    for masked in [
        ID_MASKED,
        CARD_MASKED,
        MOBILE_WIDE_MASKED,
        "138 **** 5678",
        "联系人138****5678",
    ] {
        assert!(
            article.contains(masked),
            "the article has {masked}: {article}"
        );
    }
    let page =
        std::fs::read_to_string(site.join("static/article/kjj1-2025-00021/index.html")).unwrap();
    assert!(
        page.contains(ID_MASKED) && page.contains(CARD_MASKED),
        "{page}"
    );
    let list = std::fs::read_to_string(site.join("static/index.html")).unwrap();
    assert!(
        list.contains(MOBILE_WIDE_MASKED),
        "the list's title is masked"
    );
    // Search finds the notice, but not by the numbers it no longer has.
    assert_eq!(search_hits(&bundle, "种植补贴"), 1);
    for full in [ID, MOBILE, CARD, "15909381234"] {
        assert_eq!(search_hits(&bundle, full), 0, "search finds {full}");
    }
    assert_eq!(search_hits(&bundle, "0938-3422615"), 2, "landlines stay");
    // Word: the document's text.
    let docx = bundle.join("files/zh-Hans/kjj1-2025-00021.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains(ID_MASKED) && xml.contains(CARD_MASKED),
        "the Word file is masked"
    );
    for full in [ID, CARD, "15909381234", MOBILE_WIDE] {
        assert!(!xml.contains(full), "the Word file holds {full}");
    }
    // PDF, where the default font is installed (scripts/setup).
    let pdf = bundle.join("files/zh-Hans/kjj1-2025-00021.pdf");
    if pdf.is_file() {
        let text = Command::new("pdftotext")
            .args([s(&pdf), "-"])
            .output()
            .expect("pdftotext (poppler-utils, scripts/setup)");
        let text: String = String::from_utf8(text.stdout)
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            text.contains(ID_MASKED) && text.contains(CARD_MASKED),
            "the PDF is masked: {text}"
        );
        for full in [ID, CARD, "15909381234", MOBILE] {
            assert!(!text.contains(full), "the PDF holds {full}");
        }
    }
}

#[test]
fn allow_pii_publishes_exactly_the_acknowledged_numbers() {
    let t = TempDir::new("allow");
    let feed = t.write("feed.json", &feed());
    let o = gongkai(&["check", s(&feed)]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| l.starts_with("kjj1-2025-00021\t"))
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), 5, "{}", stdout(&o));
    let id_line = lines.iter().find(|l| l.contains("\tid-card\t")).unwrap();
    // The ID acknowledged: the build still refuses the other four.
    let allow = t.write("allow.tsv", &format!("# 公示 required by law\n{id_line}\n"));
    let out_dir = t.0.join("out");
    let o = gongkai(&[
        "build",
        s(&feed),
        "--out",
        s(&out_dir),
        "--no-docs",
        "--allow-pii",
        s(&allow),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("nothing written: 4 personal numbers"),
        "{}",
        stdout(&o)
    );
    // With --redact the other four are masked and the ID is published.
    let o = gongkai(&[
        "build",
        s(&feed),
        "--out",
        s(&out_dir),
        "--no-docs",
        "--allow-pii",
        s(&allow),
        "--redact",
    ]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("redacted 4 personal numbers"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("1 acknowledged by --allow-pii kept"),
        "{}",
        stdout(&o)
    );
    let article =
        std::fs::read_to_string(out_dir.join("zh-Hans/items/kjj1-2025-00021.json")).unwrap();
    assert!(
        article.contains(ID) && article.contains(CARD_MASKED),
        "{article}"
    );
    // Every line: check passes and says so.
    let all = t.write("all.tsv", &lines.join("\n"));
    let o = gongkai(&["check", s(&feed), "--allow-pii", s(&all)]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("no personal numbers found; 5 acknowledged by --allow-pii"),
        "{}",
        stdout(&o)
    );
    // A line that does not read is named.
    let bad = t.write(
        "bad.tsv",
        &format!("{id_line}\nkjj1-2025-00021 id-card 1234\n"),
    );
    let o = gongkai(&["check", s(&feed), "--allow-pii", s(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad.tsv: line 2: \"1234\" is not a SHA-256 in hex (64 characters): copy the line gongkai printed"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_sample_feed_publishes_no_personal_numbers() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/feed.json");
    let o = gongkai(&["check", s(&sample)]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("no personal numbers found"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn audit_reports_and_fails_on_a_veto() {
    let t = TempDir::new("audit");
    let feed = t.write("feed.json", &feed());
    // 2026-03-01: 通知公告 (proactive, 180 days) is stale, no 制度 and no
    // 年报 column, and no 2025 年报.
    let o = gongkai(&["audit", s(&feed), "--today", "2026-03-01"]);
    assert_eq!(o.status.code(), Some(1), "a stale column is a 单项否决");
    let text = stdout(&o);
    assert!(text.contains("veto: 栏目不更新 (stale-column): column tzgg (通知公告): no new notice for 264 days (newest 2025-06-10; the column's limit is 180 days)"), "{text}");
    assert!(
        text.contains(
            "fault: 法定栏目缺失 (statutory-column): the section: no 政府信息公开制度 column"
        ),
        "{text}"
    );
    assert!(
        text.contains("1 veto (单项否决), 3 faults, 0 advice (2 columns, 2 items)"),
        "{text}"
    );
    let o = gongkai(&[
        "audit",
        s(&feed),
        "--today",
        "2025-07-01",
        "--format",
        "json",
    ]);
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(o.status.code(), Some(0), "{j}");
    assert_eq!(j["summary"]["veto"], 0);
    assert_eq!(j["today"], "2025-07-01");
    // --files: the attachment's file is missing.
    let files_dir = t.0.join("files");
    std::fs::create_dir_all(&files_dir).unwrap();
    let o = gongkai(&[
        "audit",
        s(&feed),
        "--today",
        "2025-07-01",
        "--files",
        s(&files_dir),
    ]);
    assert!(stdout(&o).contains("fault: 附件无法下载 (missing-attachment): items[0] (id \"kjj1-2025-00021\"): attachments[0]"), "{}", stdout(&o));
    std::fs::write(files_dir.join("a.xls"), b"x").unwrap();
    let o = gongkai(&[
        "audit",
        s(&feed),
        "--today",
        "2025-07-01",
        "--files",
        s(&files_dir),
    ]);
    assert!(!stdout(&o).contains("missing-attachment"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("1 attachment checked"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn every_static_page_has_the_footer_and_the_site_code() {
    let t = TempDir::new("pages");
    let feed = t.write("feed.json", &feed());
    let site = site(&t);
    let o = gongkai(&[
        "build",
        s(&feed),
        "--out",
        s(&site.join("bundle")),
        "--site",
        s(&site),
        "--no-docs",
        "--redact",
    ]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let pages: Vec<PathBuf> = files(&site.join("static"));
    assert!(pages.contains(&site.join("static/apply/index.html")));
    assert!(pages.contains(&site.join("static/apply/index.zh-Hant.html")));
    for p in &pages {
        let html = std::fs::read_to_string(p).unwrap();
        let hant = p.to_str().unwrap().ends_with(".zh-Hant.html");
        let code = if hant {
            "網站標識碼：6205240001"
        } else {
            "网站标识码：6205240001"
        };
        for part in [
            "<meta name=\"SiteIDCode\" content=\"6205240001\">",
            code,
            "href=\"https://beian.miit.gov.cn/\" class=\"gk-footer__link\">陇ICP备12345678号-1</a>",
            "href=\"https://beian.mps.gov.cn/#/query/webSearch?code=62052402000123\" class=\"gk-footer__link\">甘公网安备62052402000123号</a>",
            "href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=6205240001\"",
            "src=\"/bundle/gov-badge.svg?v=",
            "href=\"/apply",
        ] {
            assert!(html.contains(part), "{} lacks {part}", p.display());
        }
    }
    let apply = std::fs::read_to_string(site.join("static/apply/index.html")).unwrap();
    for part in [
        "<h1 class=\"gk-apply__title\">依申请公开</h1>",
        "href=\"https://portal.example.gov.cn/ysqgk\"",
        "武山县城关镇东顺路186号",
        "href=\"mailto:wsxkjj@163.com\"",
        "href=\"https://www.example.gov.cn/kjj/sqb.docx\"",
        "自收到申请之日起20个工作日内予以答复",
        "延长的期限最长不超过20个工作日",
        "主办单位：武山县人民政府",
    ] {
        assert!(apply.contains(part), "/apply lacks {part}");
    }
    let hant = std::fs::read_to_string(site.join("static/apply/index.zh-Hant.html")).unwrap();
    assert!(
        hant.contains("依申請公開") && hant.contains("主辦單位：武山縣人民政府"),
        "{hant}"
    );
    // The 指南 column leads to /apply.
    let guide = std::fs::read_to_string(site.join("static/column/zn/index.html")).unwrap();
    assert!(
        guide.contains("href=\"/apply\" class=\"gk-listing__apply-link\""),
        "{guide}"
    );
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://www.example.gov.cn/kjj/apply</loc>"),
        "{sitemap}"
    );
    assert!(site.join("bundle/gov-badge.svg").is_file());
}
