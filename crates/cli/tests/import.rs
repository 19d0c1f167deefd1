//! `gongkai import` end to end, natively: the built binary imports the
//! fixtures (crates/import/tests/fixtures), `gongkai check` accepts the
//! result, `gongkai build` turns it into articles with the same text and
//! metadata.

mod common;

use common::{gongkai, stderr, stdout, TempDir};
use gongkai_core::bundle::{item_path, ArticleFile, Variant};
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures")
}

fn f(rel: &str) -> String {
    fixtures().join(rel).to_string_lossy().into_owned()
}

/// `gongkai import KIND SOURCE --merge MERGE --out OUT`, then `extra`.
fn import_into(kind: &str, source: &str, merge: &str, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import", kind, source, "--merge", merge, "--out", out];
    args.extend_from_slice(extra);
    gongkai(&args)
}

/// [`import_into`] a new feed made from the fixtures' site.json.
fn import(kind: &str, source: &str, out: &str, extra: &[&str]) -> Output {
    import_into(kind, source, &f("site.json"), out, extra)
}

/// `gongkai import html` of the fixtures' mirror of the old site, merged
/// into `merge`, then `extra`.
fn import_pages(merge: &str, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["--base-url", "http://www.wushan.gov.cn/"];
    args.extend_from_slice(extra);
    import_into("html", &f("pages"), merge, out, &args)
}

/// Plain text of an HTML fragment, tags removed, as a reader sees it.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

fn article(bundle: &Path, id: &str) -> ArticleFile {
    let json = std::fs::read_to_string(bundle.join(item_path(Variant::Hans, id))).unwrap();
    serde_json::from_str(&json).unwrap()
}

#[test]
fn catalogue_round_trip_import_check_build() {
    let tmp = TempDir::new("roundtrip");
    let feed = tmp.path("feed.json");
    let o = import(
        "catalog",
        &f("catalog/目录.xlsx"),
        &feed,
        &["--bodies", &f("bodies"), "--index-prefix", "kjj1"],
    );
    let out = stdout(&o);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    assert!(out.contains("not imported (1):"), "{out}");
    assert!(
        out.contains("目录.xlsx row 11: 索引号 \"kjj1-2023-7\" is not in the feed's form"),
        "{out}"
    );
    assert!(out.contains("duplicates merged (1):"), "{out}");
    assert!(
        out.contains("索引号 given under --index-prefix (1):\n  kjj1/2023-00033: "),
        "{out}"
    );
    assert!(
        out.contains("summary: 10 rows read, 8 imported merged into"),
        "{out}"
    );
    assert!(
        out.ends_with(&format!(
            "check: 0 errors, 0 warnings in {feed} (8 items)\n"
        )),
        "{out}"
    );
    // gongkai check agrees.
    let c = gongkai(&["check", &feed]);
    assert!(c.status.success(), "{}", stdout(&c));
    // gongkai build: the article shows the same text and metadata.
    let bundle = tmp.0.join("bundle");
    let b = gongkai(&[
        "build",
        &feed,
        "--out",
        bundle.to_str().unwrap(),
        "--no-docs",
        "--no-hant",
    ]);
    let built = stdout(&b);
    assert!(b.status.success(), "{built}\n{}", stderr(&b));
    assert!(
        built.contains("0 warnings from sanitising"),
        "every imported body passes the sanitiser untouched: {built}"
    );
    let source: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&feed).unwrap()).unwrap();
    for item in source["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        let a = article(&bundle, id);
        assert_eq!(a.item.title, item["title"].as_str().unwrap());
        assert_eq!(
            a.item.gov.index_no,
            item["_gov"]["index_no"].as_str().unwrap()
        );
        let want = item["content_html"]
            .as_str()
            .map(text_of)
            .unwrap_or_else(|| item["content_text"].as_str().unwrap().to_owned());
        let got = a
            .item
            .content_html
            .as_deref()
            .map(text_of)
            .unwrap_or_default();
        assert_eq!(got, want, "{id}: the built article's text");
    }
    let a = article(&bundle, "kjj1-2023-00016");
    assert_eq!(a.item.gov.doc_no.as_deref(), Some("武科发〔2023〕12号"));
    assert_eq!(a.column.name, "通知公告");
    assert!(text_of(a.item.content_html.as_deref().unwrap())
        .contains("一、活动主题本次活动以“热爱科学、崇尚科学”为主题"));
}

#[test]
fn html_import_writes_the_redirect_map_and_csv() {
    let tmp = TempDir::new("html");
    let feed = tmp.path("feed.json");
    let o = import_pages(
        &f("site.json"),
        &feed,
        &["--index-prefix", "kjj1", "--site-url", "/kjj/"],
    );
    let out = stdout(&o);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    assert!(
        out.contains("layouts: vsb 1, trs 1, hanweb 1, seed 1, generic 1"),
        "{out}"
    );
    assert!(
        out.contains("col/col1234/index.html: unknown layout: "),
        "{out}"
    );
    let map = std::fs::read_to_string(tmp.0.join("redirects.map")).unwrap();
    assert!(
        out.contains(&format!(
            "redirects: 7 written to {} and {}",
            tmp.path("redirects.map"),
            tmp.path("redirects.csv")
        )),
        "5 pages and 2 files: {out}"
    );
    // The old site's files go to files/ beside the feed, served under the
    // feed's home_page_url by default.
    assert!(
        out.contains(&format!(
            "files: 2 copied to {} (0.0 MB), 1 not in the mirror",
            tmp.path("files")
        )),
        "{out}"
    );
    assert!(
        map.contains("\"/zwgk/202308/P020240320551234567890.docx\" \"https://zwfw.gansu.gov.cn/wushan/kjj/xxgk/files/zwgk/202308/P020240320551234567890.docx\";"),
        "{map}"
    );
    assert!(
        map.contains("\"/info/1025/3456.htm\" \"/kjj/article/kjj1-2023-00041\";"),
        "{map}"
    );
    let csv = std::fs::read_to_string(tmp.0.join("redirects.csv")).unwrap();
    assert!(csv.contains("http://www.wushan.gov.cn/info/1025/3456.htm,/info/1025/3456.htm,/kjj/article/kjj1-2023-00041"), "{csv}");
}

#[test]
fn pdf_bodies_are_read_in_a_child_process() {
    // Without GONGKAI_PDF_IN_PROCESS the CLI runs `gongkai import pdf-text`.
    let o = gongkai(&["import", "pdf-text", &f("bodies/kjj1-2023-00030.pdf")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("科技型企业培育"), "{}", stdout(&o));
    let tmp = TempDir::new("pdf");
    let bad = tmp.path("坏.pdf");
    std::fs::write(&bad, b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n").unwrap();
    let o = gongkai(&["import", "pdf-text", &bad]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("gongkai: cannot read the PDF"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_input_gets_a_clear_message_and_exit_status() {
    let tmp = TempDir::new("bad");
    let empty = tmp.path("目录.xlsx");
    std::fs::write(&empty, b"").unwrap();
    let o = import("catalog", &empty, &tmp.path("f.json"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), format!("gongkai: {empty} is empty (0 bytes)\n"));
    let big = tmp.path("大.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    let o = import("catalog", &big, &tmp.path("f.json"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is 200.0 MB; files over 100 MB are refused"),
        "{}",
        stderr(&o)
    );
    assert!(!Path::new(&tmp.path("f.json")).exists(), "nothing written");
    // No site: say how to give one.
    let o = gongkai(&[
        "import",
        "docx",
        &f("docx/kjhdz.docx"),
        "--out",
        &tmp.path("f.json"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no site for a new feed: give --merge FEED.json"),
        "{}",
        stderr(&o)
    );
    // Usage errors: exit 2 with the usage.
    let o = gongkai(&["import", "catalog", &f("catalog/目录.csv")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("gongkai: import catalog: missing --out FEED.json\n\ngongkai: check a 政府信息公开 feed"), "{}", stderr(&o));
}

#[test]
fn merge_twice_reports_unchanged() {
    let tmp = TempDir::new("merge");
    let feed = tmp.path("feed.json");
    let docx = f("docx/kjhdz.docx");
    let numbered = ["--index-prefix", "kjj1", "--column", "fdzdgknr"];
    let first = import("docx", &docx, &feed, &numbered);
    assert!(first.status.success(), "{}", stdout(&first));
    assert!(
        stdout(&first).contains("(1 added, 0 updated, 0 unchanged)"),
        "{}",
        stdout(&first)
    );
    let again = import_into("docx", &docx, &feed, &feed, &numbered);
    assert!(
        stdout(&again).contains("(0 added, 0 updated, 1 unchanged)"),
        "the same 公文 again keeps its number: {}",
        stdout(&again)
    );
    assert!(
        !stdout(&again).contains("索引号 given under"),
        "{}",
        stdout(&again)
    );
}

/// Regression: imported attachments and body files kept the old site's
/// URLs, which all break when the old host goes.
#[test]
fn html_import_copies_the_old_sites_files_and_relinks_them() {
    let tmp = TempDir::new("files");
    let feed = tmp.path("feed.json");
    let site = tmp.0.join("site");
    let o = import_pages(
        &f("site.json"),
        &feed,
        &[
            "--index-prefix",
            "kjj1",
            "--files",
            &tmp.path("site/files"),
            "--files-url",
            "https://kjj.wushan.gov.cn/files",
        ],
    );
    let out = stdout(&o);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    // Each file the mirror holds is copied under its old path, unchanged.
    for rel in [
        "zwgk/202308/P020240320551234567890.docx",
        "__local/A/1B/2C/ABCD1234_5678.png",
    ] {
        assert_eq!(
            std::fs::read(site.join("files").join(rel)).unwrap(),
            std::fs::read(fixtures().join("pages").join(rel)).unwrap(),
            "{rel}"
        );
    }
    // The one it lacks is listed with its page, and keeps its old URL.
    let vsb_attachment = "http://www.wushan.gov.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1660000001&wbfileid=9876543";
    assert!(
        out.contains(&format!(
            "files not in the mirror, kept at their old URL (1):\n  {}: file \"2023年度县级科技计划项目立项名单.xlsx\" {vsb_attachment} is not in the mirror: kept at its old URL",
            f("pages/info/1025/3456.htm")
        )),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&feed).unwrap()).unwrap();
    let item = |id: &str| {
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    let trs = item("kjj1-2024-00005");
    let new_docx = "https://kjj.wushan.gov.cn/files/zwgk/202308/P020240320551234567890.docx";
    assert_eq!(trs["attachments"][0]["url"], new_docx);
    assert!(
        trs["content_html"].as_str().unwrap().contains(&format!(
            "<a href=\"{new_docx}\">武山县科技特派员管理办法.docx</a>"
        )),
        "the body's link too: {}",
        trs["content_html"]
    );
    let vsb = item("kjj1-2023-00041");
    assert_eq!(vsb["attachments"][0]["url"], vsb_attachment);
    assert!(
        vsb["content_html"].as_str().unwrap().contains(
            "<img src=\"https://kjj.wushan.gov.cn/files/__local/A/1B/2C/ABCD1234_5678.png\""
        ),
        "{}",
        vsb["content_html"]
    );
    // Old file URLs redirect to the copies; the one with a query has no entry.
    let map = std::fs::read_to_string(tmp.0.join("redirects.map")).unwrap();
    assert!(
        map.contains(&format!(
            "\"/zwgk/202308/P020240320551234567890.docx\" \"{new_docx}\";"
        )),
        "{map}"
    );
    assert!(
        map.contains("\"/__local/A/1B/2C/ABCD1234_5678.png\" \"https://kjj.wushan.gov.cn/files/__local/A/1B/2C/ABCD1234_5678.png\";"),
        "{map}"
    );
    assert!(!map.contains("download.jsp"), "{map}");
    let csv = std::fs::read_to_string(tmp.0.join("redirects.csv")).unwrap();
    assert!(
        csv.contains(&format!("http://www.wushan.gov.cn/zwgk/202308/P020240320551234567890.docx,/zwgk/202308/P020240320551234567890.docx,{new_docx}")),
        "{csv}"
    );
    let c = gongkai(&["check", &feed]);
    assert!(c.status.success(), "{}", stdout(&c));
    // Without an absolute address for the files, the import says how to give one.
    let mut bare: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f("site.json")).unwrap()).unwrap();
    bare.as_object_mut().unwrap().remove("home_page_url");
    let bare_path = tmp.path("bare.json");
    std::fs::write(&bare_path, bare.to_string()).unwrap();
    let o = import_pages(&bare_path, &tmp.path("bare-out.json"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "gongkai: import html: where will the new site serve the copied files? give --files-url URL (e.g. https://www.example.gov.cn/kjj/files/), an absolute --site-url, or a home_page_url in the feed\n");
}

#[test]
fn merge_prints_each_changed_field() {
    let tmp = TempDir::new("changes");
    let feed = tmp.path("feed.json");
    let first = import("catalog", &f("catalog/目录.csv"), &feed, &[]);
    assert!(first.status.success(), "{}", stdout(&first));
    // The department corrects a title in its catalogue and imports it again.
    let csv = std::fs::read_to_string(f("catalog/目录.csv"))
        .unwrap()
        .replace(
            "武山县2023年科技活动周活动总结",
            "武山县2023年科技活动周活动情况总结",
        );
    let edited = tmp.path("目录.csv");
    std::fs::write(&edited, csv).unwrap();
    let again = import_into("catalog", &edited, &feed, &feed, &[]);
    let out = stdout(&again);
    assert!(again.status.success(), "{out}");
    assert!(
        out.contains(&format!(
            "updated (1):\n  kjj1-2023-00032 (from {edited} line "
        )),
        "{out}"
    );
    assert!(
        out.contains(
            ": title \"武山县2023年科技活动周活动总结\" → \"武山县2023年科技活动周活动情况总结\"\n"
        ),
        "{out}"
    );
    assert!(out.contains("(0 added, 1 updated, 6 unchanged)"), "{out}");
}
