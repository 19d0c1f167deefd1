//! Runs the built `gongkai` binary on temporary files.

mod common;

use common::{gongkai, s, stderr, stdout, TempDir};
use std::path::{Path, PathBuf};
use std::process::Command;

const VALID: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "甘肃政务服务网-武山 科技局 政府信息公开",
  "_gov": {
    "site_name": "甘肃政务服务网-武山",
    "department": "科技局",
    "columns": [
      {"id": "zn", "name": "政府信息公开指南"},
      {"id": "fdzdgknr", "name": "法定主动公开内容"}
    ],
    "login_url": "https://portal.example.gov.cn/login",
    "register_url": "https://portal.example.gov.cn/register"
  },
  "items": [
    {
      "id": "kjj1-2023-00026",
      "title": "关于开展2023年科技活动周的通知",
      "content_html": "<p onclick=\"x()\">各乡镇：</p><script>alert(1)</script>",
      "date_published": "2023-07-10T09:30:00+08:00",
      "_gov": {"index_no": "kjj1/2023-00026", "publisher": "武山县科技局", "category": "fdzdgknr", "color": "red"}
    },
    {
      "id": "kjj1-2023-00027",
      "title": "政府信息公开指南",
      "content_text": "第一段\n第二段",
      "date_published": "2023-07-11T09:30:00+08:00",
      "_gov": {"index_no": "kjj1/2023-00027", "publisher": "武山县科技局", "category": "zn"}
    }
  ]
}"#;

#[test]
fn check_valid_feed_with_a_warning_exits_0() {
    let t = TempDir::new("check-ok");
    let feed = t.write("feed.json", VALID);
    let o = gongkai(&["check", s(&feed)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("warning: items[0] (id \"kjj1-2023-00026\"): _gov.color: unknown key"),
        "{out}"
    );
    assert_eq!(
        lines[1],
        format!("0 errors, 1 warning in {} (2 items)", s(&feed))
    );
}

#[test]
fn check_lists_every_error_and_exits_1() {
    let t = TempDir::new("check-bad");
    let broken = VALID
        .replace("kjj1/2023-00026", "kjj1-2023-7")
        .replace("2023-07-11T09:30:00+08:00", "2023-02-30T09:30:00+08:00")
        .replace("\"category\": \"zn\"", "\"category\": \"gkzn\"")
        .replace("https://portal.example.gov.cn/login", "javascript:login()");
    let feed = t.write("feed.json", &broken);
    let o = gongkai(&["check", s(&feed)]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let expected = [
        "error: _gov.login_url: not an absolute HTTP(S) URL: \"javascript:login()\"",
        "error: items[0] (id \"kjj1-2023-00026\"): _gov.index_no: malformed 索引号 \"kjj1-2023-7\": expected <organisation code>/<yyyy>-<5 digits>, e.g. kjj1/2023-00026",
        "error: items[1] (id \"kjj1-2023-00027\"): date_published: invalid RFC 3339 date \"2023-02-30T09:30:00+08:00\": day 30 is out of range for 2023-02 (01-28)",
        "error: items[1] (id \"kjj1-2023-00027\"): _gov.category: unknown column \"gkzn\": expected one of zn, fdzdgknr",
    ];
    for line in expected {
        assert!(
            out.lines().any(|l| l == line),
            "missing line {line}\nin:\n{out}"
        );
    }
    assert_eq!(
        out.lines().last().unwrap(),
        format!("4 errors, 1 warning in {} (2 items)", s(&feed))
    );
}

#[test]
fn not_json_gives_line_and_column() {
    let t = TempDir::new("not-json");
    let feed = t.write("feed.json", "{\n  \"version\": 1,\n  \"items\": [,]\n}");
    let o = gongkai(&["check", s(&feed)]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("error: not valid JSON at line 3, column 13: "),
        "{out}"
    );
}

#[test]
fn build_writes_the_bundle() {
    let t = TempDir::new("build");
    let feed = t.write("feed.json", VALID);
    let dist = t.0.join("dist");
    // The Word/PDF files (files/) are checked in build_writes_documents.
    let o = gongkai(&["build", s(&feed), "--out", s(&dist), "--no-docs"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("warning: items[0] (id \"kjj1-2023-00026\"): content_html: sanitised, removed onclick attribute on <p>, <script> element"),
        "{out}"
    );
    assert!(out.contains("built 2 items into"), "{out}");

    let mut files: Vec<String> = Vec::new();
    fn walk(root: &Path, dir: &Path, files: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, files);
            } else {
                files.push(
                    p.strip_prefix(root)
                        .unwrap()
                        .to_str()
                        .unwrap()
                        .replace('\\', "/"),
                );
            }
        }
    }
    walk(&dist, &dist, &mut files);
    files.sort();
    // The build's own state: the lock, the record of what it wrote, the
    // items' digests (rebuild.rs) and the search index's base (delta.rs).
    let (state, files): (Vec<String>, Vec<String>) =
        files.into_iter().partition(|f| f.starts_with(".gongkai/"));
    assert_eq!(
        state,
        [
            ".gongkai/files",
            ".gongkai/items",
            ".gongkai/lock",
            ".gongkai/search-base.bin"
        ]
    );
    let record = std::fs::read_to_string(dist.join(".gongkai/files")).unwrap();
    // `digest size mtime path`, one file a line.
    let recorded: Vec<&str> = record
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.splitn(4, ' ').nth(3).unwrap())
        .collect();
    assert_eq!(recorded, files, "the record lists every file written");
    // Search files: the term shards `0..shards` and the synonym table
    // `shards` without gaps, then the files of long lists and positions
    // blocks at numbers picked by a hash of their term (search-format.md).
    let (shards, files): (Vec<String>, Vec<String>) = files
        .into_iter()
        .partition(|f| f.starts_with("search/shard/"));
    let mut numbers: Vec<usize> = shards
        .iter()
        .map(|f| f["search/shard/".len()..f.len() - 4].parse().unwrap())
        .collect();
    numbers.sort_unstable();
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dist.join("search/index.json")).unwrap()).unwrap();
    let n = meta["shards"].as_u64().unwrap() as usize;
    assert_eq!(numbers[..=n], (0..=n).collect::<Vec<_>>());
    assert_eq!(
        files,
        [
            "library/facets.json",
            "library/index.bin",
            "manifest.json",
            "search/columns.bin",
            "search/dates.bin",
            "search/docs-hant/0.json",
            "search/docs/0.json",
            "search/index.json",
            "zh-Hans/items/kjj1-2023-00026.json",
            "zh-Hans/items/kjj1-2023-00027.json",
            "zh-Hans/list/all/1.json",
            "zh-Hans/list/fdzdgknr/1.json",
            "zh-Hans/list/zn/1.json",
            "zh-Hant/items/kjj1-2023-00026.json",
            "zh-Hant/items/kjj1-2023-00027.json",
            "zh-Hant/list/all/1.json",
            "zh-Hant/list/fdzdgknr/1.json",
            "zh-Hant/list/zn/1.json",
        ]
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dist.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["item_count"], 2);
    assert_eq!(
        manifest["built_at"], "2023-11-14T22:13:20Z",
        "SOURCE_DATE_EPOCH is used"
    );
    let article = std::fs::read_to_string(dist.join("zh-Hans/items/kjj1-2023-00026.json")).unwrap();
    assert!(
        !article.contains("script") && !article.contains("onclick"),
        "{article}"
    );
    let hant = std::fs::read_to_string(dist.join("zh-Hant/items/kjj1-2023-00026.json")).unwrap();
    assert!(hant.contains(r#""publisher":"武山縣科技局""#), "{hant}");
    assert_eq!(
        manifest["variants"],
        serde_json::json!(["zh-Hans", "zh-Hant"])
    );
    assert_eq!(
        manifest["localized"]["zh-Hant"]["site_name"],
        "甘肅政務服務網-武山"
    );
}

/// Issue 21: a rebuild made every article anew. Now the bodies of items
/// unchanged since the last build are kept; a missing or corrupt table of
/// the items' digests means a full build, said on stderr.
#[test]
fn a_rebuild_keeps_unchanged_articles_and_a_bad_table_means_a_full_build() {
    let t = TempDir::new("rebuild");
    let feed = t.write("feed.json", VALID);
    let dist = t.0.join("dist");
    let build = || {
        let o = gongkai(&["build", s(&feed), "--out", s(&dist), "--no-docs"]);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        (stdout(&o), stderr(&o))
    };
    let (out, err) = build();
    assert_eq!(err, "", "a first build has nothing to keep");
    assert!(out.contains("articles: 2 made, 0 kept"), "{out}");
    let article = dist.join("zh-Hans/items/kjj1-2023-00027.json");
    let before = std::fs::read(&article).unwrap();

    // Item 0's body drew a warning: kept, and warned about again.
    let (out, err) = build();
    assert!(!err.contains("no record"), "{err}");
    assert!(out.contains("articles: 0 made, 2 kept"), "{out}");
    assert!(out.contains("content_html: sanitised, removed"), "{out}");
    assert_eq!(std::fs::read(&article).unwrap(), before);

    let table = dist.join(".gongkai/items");
    std::fs::remove_file(&table).unwrap();
    let (out, err) = build();
    assert!(
        err.contains("no record of the previous build's items"),
        "{err}"
    );
    assert!(out.contains("articles: 2 made, 0 kept"), "{out}");

    std::fs::write(&table, "not a table\n").unwrap();
    let (out, err) = build();
    assert!(
        err.contains("items: line 1: expected") && err.contains("every article is made anew"),
        "{err}"
    );
    assert!(out.contains("articles: 2 made, 0 kept"), "{out}");
    assert_eq!(std::fs::read(&article).unwrap(), before);
}

#[test]
fn build_without_hant() {
    let t = TempDir::new("build-no-hant");
    let feed = t.write("feed.json", VALID);
    let dist = t.0.join("dist");
    // From another directory: the dictionaries are in the binary.
    let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", s(&feed), "--no-hant", "--out", s(&dist)])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(dist.join("zh-Hans/list/all/1.json").is_file());
    assert!(!dist.join("zh-Hant").exists(), "no zh-Hant/ with --no-hant");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dist.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["variants"], serde_json::json!(["zh-Hans"]));
}

#[test]
fn build_with_errors_writes_nothing() {
    let t = TempDir::new("build-bad");
    let feed = t.write(
        "feed.json",
        &VALID.replace("\"title\": \"政府信息公开指南\",", ""),
    );
    let dist = t.0.join("dist");
    let o = gongkai(&["build", s(&feed), "--out", s(&dist)]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(
            "error: items[1] (id \"kjj1-2023-00027\"): title: required field \"title\" is missing"
        ),
        "{out}"
    );
    assert!(out.contains("nothing written"), "{out}");
    assert!(!dist.exists(), "no output directory on errors");
}

#[test]
fn missing_file_names_the_path() {
    let o = gongkai(&["check", "/nonexistent/feed.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("gongkai: cannot read /nonexistent/feed.json: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [&[][..], &["frob"], &["check"], &["build", "feed.json"]] {
        let o = gongkai(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("Usage:"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn help_and_version() {
    for h in ["--help", "-h", "help"] {
        let o = gongkai(&[h]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("gongkai build FEED.json --out DIR"));
    }
    let o = gongkai(&["--version"]);
    assert_eq!(
        stdout(&o).trim(),
        format!("gongkai {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn build_writes_documents_and_survives_a_missing_font() {
    let t = TempDir::new("docs");
    let feed = t.write("feed.json", VALID);
    let dist = t.0.join("dist");
    let missing = t.0.join("no-such-font.ttc");
    let o = gongkai(&["build", s(&feed), "--out", s(&dist), "--font", s(&missing)]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("warning: cannot read the PDF font") && out.contains("PDF files are skipped"),
        "{out}"
    );
    assert!(dist.join("files/zh-Hans/kjj1-2023-00026.docx").is_file());
    assert!(dist.join("files/zh-Hant/kjj1-2023-00026.docx").is_file());
    assert!(!dist.join("files/zh-Hans/kjj1-2023-00026.pdf").exists());
    let article: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dist.join("zh-Hans/items/kjj1-2023-00026.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(article["downloads"][0]["kind"], "docx");
    assert_eq!(
        article["downloads"][0]["path"],
        "files/zh-Hans/kjj1-2023-00026.docx"
    );
    assert_eq!(article["downloads"].as_array().unwrap().len(), 1);

    // With the default font (scripts/setup installs fonts-noto-cjk) the PDFs
    // follow, and the Word files already made are kept.
    if std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").is_file() {
        let o = gongkai(&["build", s(&feed), "--out", s(&dist)]);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        assert!(dist.join("files/zh-Hans/kjj1-2023-00026.pdf").is_file());
        assert!(stdout(&o).contains("unchanged"), "{}", stdout(&o));
    }
}

/// A trunk-like shell: the parts `--site` fills in.
const SHELL: &str = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>政府信息公开</title><base href=/><script src=gk-boot.js></script>\n</head><body class=gk-page><div data-gongkai data-standalone data-bundle=bundle/><noscript><p>需要 JavaScript</p></noscript></div></body></html>";

#[test]
fn build_with_site_writes_a_static_page_for_every_list_and_article() {
    let dir = TempDir::new("site");
    let (site, out) = build_site(&dir, SHELL);
    // Two items, the home list, two columns and the 政策文件库 (everything,
    // the one 发文机关 defaulted from the publisher, the one year), in both
    // scripts.
    assert!(
        stdout(&out).contains("static pages: 16 rendered"),
        "{}",
        stdout(&out)
    );
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    let article = read("static/article/kjj1-2023-00026/index.html");
    // The app's own article markup, in the shell's mount element.
    assert!(article.contains("<h1 class=\"gk-article__title\">关于开展2023年科技活动周的通知</h1>"));
    assert!(article.contains("<dd class=\"gk-meta__value\">kjj1/2023-00026</dd>"));
    assert!(article
        .contains("<title>关于开展2023年科技活动周的通知 - 科技局 - 甘肃政务服务网-武山</title>"));
    assert!(article.contains(
        "<link rel=\"canonical\" href=\"https://example.gov.cn/xxgk/article/kjj1-2023-00026\">"
    ));
    assert!(
        article.contains("<meta name=\"ArticleTitle\" content=\"关于开展2023年科技活动周的通知\">")
    );
    assert!(article.contains("<meta name=\"PubDate\" content=\"2023-07-10 09:30\">"));
    assert!(
        !article.contains("noscript"),
        "the static page replaces the fallback"
    );
    // The sanitised body, never the script the feed carried.
    assert!(!article.contains("alert(1)"));
    let hant = read("static/article/kjj1-2023-00026/index.zh-Hant.html");
    assert!(hant.contains("<html lang=\"zh-Hant\">"));
    assert!(hant.contains("索引號"));
    let column = read("static/column/zn/index.html");
    assert!(column.contains("<h1 class=\"gk-listing__title\">政府信息公开指南</h1>"));
    let sitemap = read("sitemap.xml");
    assert_eq!(sitemap.matches("<url>").count(), 16, "{sitemap}");
    let library = read("static/library/issuer/武山县科技局/index.html");
    assert!(
        library.contains("关于开展2023年科技活动周的通知"),
        "{library}"
    );
    assert!(sitemap.contains("<loc>https://example.gov.cn/xxgk/library/year/2023</loc>"));
    assert!(sitemap
        .contains("<loc>https://example.gov.cn/xxgk/article/kjj1-2023-00027?lang=zh-Hant</loc>"));
    assert!(read("robots.txt").contains("Sitemap: https://example.gov.cn/xxgk/sitemap.xml"));

    // A notice that leaves the feed takes its pages with it.
    let one = VALID.replacen(
        "\"id\": \"kjj1-2023-00027\"",
        "\"id\": \"kjj1-2023-00028\"",
        1,
    );
    let feed = dir.write("feed.json", &one);
    let out = gongkai(&[
        "build",
        s(&feed),
        "--out",
        s(&site.join("bundle")),
        "--no-docs",
        "--site",
        s(&site),
        "--site-url",
        "https://example.gov.cn/xxgk/",
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("2 removed"), "{}", stdout(&out));
    assert!(!site
        .join("static/article/kjj1-2023-00027/index.html")
        .exists());
    assert!(site
        .join("static/article/kjj1-2023-00028/index.html")
        .exists());
}

/// Issue 16: list and article pages are complete without the app, so their
/// static root asks the boot module to start it only on demand; the
/// 政策文件库 and 依申请公开 pages need it and start it at once
/// (docs/performance.md, "On demand").
#[test]
fn static_list_and_article_pages_start_the_app_on_demand() {
    let dir = TempDir::new("site-start");
    let (site, _) = build_site(&dir, SHELL);
    let start = |p: &str| {
        let html = std::fs::read_to_string(site.join(p)).unwrap();
        let at = html.find("class=\"gk-app\"").expect("the static root");
        let tag_start = html[..at].rfind('<').unwrap();
        let tag = &html[tag_start..tag_start + html[tag_start..].find('>').unwrap()];
        tag.split("data-start=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .map(str::to_owned)
    };
    for page in [
        "static/index.html",
        "static/column/zn/index.html",
        "static/article/kjj1-2023-00026/index.html",
        "static/article/kjj1-2023-00026/index.zh-Hant.html",
    ] {
        assert_eq!(start(page).as_deref(), Some("on-demand"), "{page}");
    }
    for page in [
        "static/library/index.html",
        "static/library/year/2023/index.html",
    ] {
        assert_eq!(start(page).as_deref(), Some("now"), "{page}");
    }
}

#[test]
fn build_with_site_but_no_shell_says_what_is_missing() {
    let dir = TempDir::new("site-noshell");
    let feed = dir.write("feed.json", VALID);
    let out = gongkai(&[
        "build",
        s(&feed),
        "--out",
        s(&dir.0.join("bundle")),
        "--no-docs",
        "--site",
        s(&dir.0),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("index.html (build it with trunk first)"),
        "{}",
        stderr(&out)
    );
    let out = gongkai(&[
        "build",
        s(&feed),
        "--out",
        "x",
        "--site-url",
        "example.gov.cn",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--site-url must be an absolute http(s) URL"));
}

/// VALID's site with one notice per `(id, content_html)`.
fn feed_with_bodies(bodies: &[(&str, &str)]) -> String {
    let mut feed: serde_json::Value = serde_json::from_str(VALID).unwrap();
    feed["items"] = bodies
        .iter()
        .enumerate()
        .map(|(i, (id, html))| {
            serde_json::json!({
                "id": id, "title": format!("通知{i}"), "content_html": html,
                "date_published": format!("2024-01-{:02}T09:00:00+08:00", i + 1),
                "_gov": {"index_no": format!("kjj1/2024-{:05}", i + 1), "publisher": "武山县科技局", "category": "zn"}
            })
        })
        .collect();
    feed.to_string()
}

/// How many documents of the built bundle at `dist` match `query`.
fn search_total(dist: &Path, query: &str) -> usize {
    use gongkai_core::search::{Options, Query, SearchMeta, SearchStep, Shards, META_PATH};
    let meta: SearchMeta =
        serde_json::from_slice(&std::fs::read(dist.join(META_PATH)).unwrap()).unwrap();
    let q = Query::parse(query, Options::default()).unwrap();
    let mut files = Shards::default();
    loop {
        match q.step(&meta, &files, 0).unwrap() {
            SearchStep::Fetch(missing) => {
                for f in missing {
                    let bytes = std::fs::read(dist.join(f.path())).unwrap();
                    files.load(f, bytes).unwrap();
                }
            }
            SearchStep::Done(r) => return r.total,
        }
    }
}

/// Issue #15, fault 1: `gongkai build` aborted (exit 134, "end byte index
/// 12 is not a char boundary") on `&`, `<` or `>` before Chinese text,
/// while `check` passed. The whole build: search, 繁體, Word and PDF.
#[test]
fn build_with_references_before_chinese_text() {
    let t = TempDir::new("entities");
    let feed = t.write(
        "feed.json",
        &feed_with_bodies(&[
            ("tiaoli", "<p>依据<<中华人民共和国政府信息公开条例>>规定</p>"),
            ("chuangxin", "<p>科技&创新驱动发展</p>"),
            (
                "mixed",
                "<p>甲&lt;乙&gt;丙&amp;丁&#x4E2D;心</p><table><tr><td>A&B公司</td><td>研发&gt;50%</td></tr></table>",
            ),
        ]),
    );
    let o = gongkai(&["check", s(&feed)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let dist = t.0.join("dist");
    let o = gongkai(&["build", s(&feed), "--out", s(&dist)]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("built 3 items"), "{}", stdout(&o));
    let pdfs = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").is_file();
    for id in ["tiaoli", "chuangxin", "mixed"] {
        for v in ["zh-Hans", "zh-Hant"] {
            assert!(
                dist.join(format!("{v}/items/{id}.json")).is_file(),
                "{v} {id}"
            );
            assert!(
                dist.join(format!("files/{v}/{id}.docx")).is_file(),
                "{v} {id}"
            );
            assert_eq!(
                dist.join(format!("files/{v}/{id}.pdf")).is_file(),
                pdfs,
                "{v} {id}"
            );
        }
    }
    for (query, total) in [
        ("中华人民共和国政府信息公开条例", 1),
        ("创新驱动发展", 1),
        ("丁中心", 1),
        ("AB公司", 0),
        ("A&B公司", 1),
    ] {
        assert_eq!(search_total(&dist, query), total, "{query}");
    }
    // The app's snippet of the built article.
    let article: gongkai_core::bundle::ArticleFile =
        serde_json::from_slice(&std::fs::read(dist.join("zh-Hans/items/tiaoli.json")).unwrap())
            .unwrap();
    let query =
        gongkai_core::search::Query::parse("条例", gongkai_core::search::Options::default())
            .unwrap();
    let (snippet, _) = gongkai::search::article_snippet(&article, &query);
    assert_eq!(snippet, "依据<<中华人民共和国政府信息公开条例>>规定");
}

/// Issue #15, fault 8: an entry of `files/.cache.json` with a short
/// `"hash"` aborted every later build; any damaged entry is now a cache
/// miss, and its document is made again.
#[test]
fn damaged_document_cache_is_a_cache_miss() {
    let t = TempDir::new("cache");
    let feed = t.write("feed.json", VALID);
    let dist = t.0.join("dist");
    let cache = dist.join("files/.cache.json");
    let build = || {
        // Word files only (no font): the cache works the same for PDFs.
        let o = gongkai(&[
            "build",
            s(&feed),
            "--out",
            s(&dist),
            "--font",
            s(&t.0.join("no-font.ttc")),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dist.join("manifest.json")).unwrap()).unwrap();
        (stdout(&o), manifest["content_hash"].clone())
    };
    let (_, hash) = build();
    type Damage = fn(&mut serde_json::Value);
    // (what, damage to the first entry, documents made again)
    let rows: [(&str, Damage, &str); 6] = [
        (
            "hash shorter than 16",
            |e| e["hash"] = "0123abc".into(),
            "1 made",
        ),
        (
            "hash not hex",
            |e| e["hash"] = "zzzzzzzzzzzzzzzz".into(),
            "1 made",
        ),
        (
            "hash too long",
            |e| e["hash"] = "0123456789abcdef0".into(),
            "1 made",
        ),
        ("hash a number", |e| e["hash"] = 42.into(), "1 made"),
        (
            "no key",
            |e| {
                e.as_object_mut().unwrap().remove("key");
            },
            "1 made",
        ),
        ("not an object", |e| *e = "x".into(), "1 made"),
    ];
    for (what, damage, written) in rows {
        let mut json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
        let first = json.as_object_mut().unwrap().values_mut().next().unwrap();
        damage(first);
        std::fs::write(&cache, json.to_string()).unwrap();
        let (out, again) = build();
        assert!(
            out.contains(&format!("documents: {written}, 3 unchanged")),
            "{what}: {out}"
        );
        assert_eq!(again, hash, "{what}: same documents, same hash");
        let repaired: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
        for entry in repaired.as_object().unwrap().values() {
            let h = entry["hash"].as_str().unwrap();
            assert!(
                h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()),
                "{what}: {h}"
            );
        }
    }
    std::fs::write(&cache, "{ not json").unwrap();
    let (out, again) = build();
    assert!(out.contains("documents: 4 made, 0 unchanged"), "{out}");
    assert_eq!(again, hash);
}

/// Issue #15, fault 10: a feed saved by Windows Notepad (UTF-8 with a byte
/// order mark) failed with "not valid JSON at line 1, column 1"; UTF-16 and
/// GBK files got a generic I/O error.
#[test]
fn feeds_saved_by_windows_tools() {
    let t = TempDir::new("encodings");
    let utf16le: Vec<u8> = [0xFEFFu16]
        .into_iter()
        .chain(VALID.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    // 科技局 in GBK: BF C6 BC BC BE D6.
    let gbk = VALID.replace("科技局", "\u{0}").into_bytes();
    let gbk: Vec<u8> = gbk
        .split(|&b| b == 0)
        .collect::<Vec<_>>()
        .join(&[0xBF, 0xC6, 0xBC, 0xBC, 0xBE, 0xD6][..]);
    let first = VALID.find("科技局").unwrap();
    let line = VALID[..first].lines().count();
    let column = VALID[..first].rsplit('\n').next().unwrap().chars().count() + 1;
    // (file, exit status, first line of the report)
    let rows: [(&str, Vec<u8>, i32, String); 3] = [
        (
            "bom.json",
            [b"\xEF\xBB\xBF".as_slice(), VALID.as_bytes()].concat(),
            0,
            "warning: items[0] (id \"kjj1-2023-00026\"): _gov.color: unknown key".to_owned(),
        ),
        (
            "utf16.json",
            utf16le,
            1,
            "error: not UTF-8 at line 1, column 1 (byte 0): the file is UTF-16 (little-endian, byte order mark FF FE), not UTF-8: save it as UTF-8 (Notepad: 另存为, 编码 UTF-8)".to_owned(),
        ),
        (
            "gbk.json",
            gbk,
            1,
            format!("error: not UTF-8 at line {line}, column {column} (byte {first}): bytes BF C6 BC BC after \"\\\"title\\\": \\\"甘肃政务服务网-武山 \" are not UTF-8; it looks like GBK/GB18030"),
        ),
    ];
    for (name, bytes, code, line) in rows {
        let path = t.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        let o = gongkai(&["check", s(&path)]);
        assert_eq!(o.status.code(), Some(code), "{name}: {}", stdout(&o));
        assert!(stdout(&o).starts_with(&line), "{name}: {}", stdout(&o));
        assert_eq!(stderr(&o), "", "{name}: not an I/O error");
        let o = gongkai(&["build", s(&path), "--out", s(&t.0.join("out")), "--no-docs"]);
        assert_eq!(o.status.code(), Some(code), "{name}: {}", stdout(&o));
    }
}

/// Issue #15, fault 6: 200,000 nested `<div>`s (2.2 MB) passed `check` and
/// took 392 s to build; now both refuse it, naming the item and where.
#[test]
fn deep_nesting_is_refused_with_its_position() {
    let t = TempDir::new("deep");
    let body = format!(
        "<p>前言</p>\n{}深{}",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    let feed = t.write("feed.json", &feed_with_bodies(&[("deep", &body)]));
    for cmd in ["check", "build"] {
        let o = gongkai(
            &[cmd, s(&feed), "--out", s(&t.0.join("out"))][..if cmd == "check" { 2 } else { 4 }],
        );
        assert_eq!(o.status.code(), Some(1), "{cmd}");
        let out = stdout(&o);
        for line in [
            "error: items[0] (id \"deep\"): content_html: the body is 2200017 bytes (2.1 MiB), more than the limit of 2097152 (2 MiB): split the notice, or give large tables as an attachment",
            "error: items[0] (id \"deep\"): content_html: elements nested more than 256 deep: <div> at line 2, column 1281 (byte 1294) would be level 257: remove the extra wrapping elements (a notice with tables nests about 20 deep)",
        ] {
            assert!(out.lines().any(|l| l == line), "{cmd}: missing {line}\n{out}");
        }
    }
    assert!(!t.0.join("out").exists());
}

/// Issue #15, fault 9: on a case-insensitive file system one notice
/// overwrote the other; Windows cannot hold a file named CON.
#[test]
fn ids_that_collide_on_windows_or_macos() {
    let t = TempDir::new("ids");
    let feed = t.write(
        "feed.json",
        &feed_with_bodies(&[
            ("Notice-1", "<p>一</p>"),
            ("notice-1", "<p>二</p>"),
            ("con", "<p>三</p>"),
        ]),
    );
    let o = gongkai(&["check", s(&feed)]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    for line in [
        "error: items[1] (id \"notice-1\"): id: id \"notice-1\" differs from items[0] (id \"Notice-1\") only in case: on Windows and macOS both are one file; rename one",
        "error: items[2] (id \"con\"): id: id \"con\" cannot be a file name: Windows reserves CON, PRN, AUX, NUL, COM0-COM9 and LPT0-LPT9 in any case, also with an extension (con.json), so the site could not be copied to or built on Windows",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line}\n{out}");
    }
}

/// Every file under `dir` but the build's own state, by path.
fn bundle_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            if rel.starts_with(".gongkai") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The sample feed as JSON Lines: its top-level fields, then an item a line.
fn sample_as_lines() -> String {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/feed.json");
    let mut feed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sample).unwrap()).unwrap();
    let items = feed.as_object_mut().unwrap().remove("items").unwrap();
    let mut text = format!("{feed}\n");
    for item in items.as_array().unwrap() {
        text.push_str(&format!("{item}\n"));
    }
    text
}

#[test]
fn a_json_lines_feed_builds_the_same_bundle_as_its_json_document() {
    let t = TempDir::new("jsonl");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/feed.json");
    let lines = t.write("feed.jsonl", &sample_as_lines());
    let (from_json, from_lines) = (t.0.join("json"), t.0.join("lines"));
    for (feed, out) in [(sample, &from_json), (s(&lines), &from_lines)] {
        let o = gongkai(&["build", feed, "--out", s(out), "--no-docs"]);
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    }
    let (a, b) = (bundle_files(&from_json), bundle_files(&from_lines));
    assert!(a.len() > 50, "{} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs");
    }
    let o = gongkai(&["check", s(&lines)]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn check_of_json_lines_names_the_line_of_each_problem() {
    let t = TempDir::new("jsonl-errors");
    let mut lines: Vec<String> = sample_as_lines().lines().map(str::to_owned).collect();
    // Line 3: cut short; line 5: a malformed 索引号; line 7 repeats line 2's id.
    // (at a character boundary: the sample's items differ in their first bytes)
    let cut = (0..=40)
        .rev()
        .find(|&i| lines[2].is_char_boundary(i))
        .unwrap();
    lines[2].truncate(cut);
    let index_no = |l: &str| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        v["_gov"]["index_no"].as_str().unwrap().to_owned()
    };
    let old = index_no(&lines[4]);
    lines[4] = lines[4].replace(&old, "not-an-index");
    let id_of_2: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    let id_of_7: serde_json::Value = serde_json::from_str(&lines[6]).unwrap();
    lines[6] = lines[6].replacen(
        &format!("\"id\":{}", id_of_7["id"]),
        &format!("\"id\":{}", id_of_2["id"]),
        1,
    );
    let feed = t.write("feed.ndjson", &lines.join("\n"));
    let o = gongkai(&["check", s(&feed)]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("error: not valid JSON at line 3, column"),
        "{out}"
    );
    // Items count every item line, the broken one too.
    assert!(out.contains("error: line 5, items[3]"), "{out}");
    assert!(out.contains("_gov.index_no: malformed 索引号"), "{out}");
    assert!(out.contains("error: line 7, items[5]"), "{out}");
    assert!(out.contains("duplicate id"), "{out}");
    // The same file read as one JSON document is one syntax error.
    let as_json = t.write("feed.json", &lines.join("\n"));
    let out = stdout(&gongkai(&["check", s(&as_json)]));
    assert!(out.contains("error: not valid JSON at line 2"), "{out}");
}

/// The shell of an app served under a sub-path, as a provincial portal
/// serves it (docs/embedding.md, "Base path"): `<base href=/xxgk/>` and
/// `data-base="/xxgk/"`.
const SHELL_XXGK: &str = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>政府信息公开</title><base href=/xxgk/><script src=/xxgk/gk-boot.js></script>\n</head><body class=gk-page><div data-gongkai data-standalone data-bundle=bundle/ data-base=\"/xxgk/\"><noscript><p>需要 JavaScript</p></noscript></div></body></html>";

/// Every `href` and form `action` in `html`, `&amp;` decoded.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "action=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// `%E6%AD%A6` → `武`: the path as nginx's `$uri` has it.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// What the site folder answers for `path_and_query` (the base already
/// stripped), as deploy/nginx.conf maps it: a static page, a bundle file,
/// or the shell for the routes that have no static page. `Err` says why
/// the link is dead.
fn served_file(site: &Path, path_and_query: &str) -> Result<PathBuf, String> {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let path = percent_decode(path.split('#').next().unwrap());
    let query = query.split('#').next().unwrap();
    let arg = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .unwrap_or("")
            .to_owned()
    };
    if path.starts_with("/bundle/") {
        let file = site.join(&path[1..]);
        return file
            .is_file()
            .then_some(file)
            .ok_or("no such bundle file".to_owned());
    }
    let app_only = ["/search", "/favourites"].contains(&path.as_str())
        // A 政策文件库 query other than one facet value (deploy/nginx.conf's
        // $gk_static_query): the app answers it.
        || (path.starts_with("/library")
            && [
                "validity", "topic", "type", "issuer", "year", "from", "to", "sort", "docno",
            ]
            .iter()
            .any(|p| !arg(p).is_empty()));
    if app_only {
        return Ok(site.join("index.html"));
    }
    let page = match arg("page").as_str() {
        "" | "1" => String::new(),
        n => format!(".p{n}"),
    };
    let lang = match arg("lang").as_str() {
        "zh-Hant" => ".zh-Hant",
        _ => "",
    };
    let file = site.join(format!(
        "static{}/index{page}{lang}.html",
        path.trim_end_matches('/')
    ));
    file.is_file()
        .then_some(file.clone())
        .ok_or(format!("no static page {}", file.display()))
}

/// Issue 21: `render_page` passed an empty router base to `<App/>`, so a
/// shell with `data-base="/xxgk/"` got static pages whose links left the
/// base out. Every link of every static page must start with the base and
/// lead to a page or file the site serves, and no page may be the app's
/// 页面不存在.
#[test]
fn static_pages_under_a_base_path_link_within_it() {
    let dir = TempDir::new("site-xxgk");
    let (site, _) = build_site(&dir, SHELL_XXGK);
    let mut pages = vec![site.join("static")];
    let mut files = Vec::new();
    while let Some(p) = pages.pop() {
        if p.is_dir() {
            pages.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            files.push(p);
        }
    }
    assert_eq!(files.len(), 16, "{files:?}");
    let mut followed = 0;
    for file in &files {
        let html = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(&site).unwrap().display().to_string();
        assert!(
            !html.contains("页面不存在"),
            "{name} is the app's 页面不存在"
        );
        assert!(
            !html.contains("頁面不存在"),
            "{name} is the app's 頁面不存在"
        );
        // The body the build rendered (the shell's head is the portal's).
        let body = &html[html.find("<body").unwrap()..];
        for link in links(body) {
            if link.starts_with('#')
                || link.starts_with("https://")
                || link.starts_with("http://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
            {
                continue;
            }
            let Some(rest) = link.strip_prefix("/xxgk") else {
                panic!("{name}: the link {link:?} leaves the base path /xxgk/");
            };
            let rest = if rest.is_empty() || rest.starts_with('?') {
                format!("/{rest}")
            } else {
                rest.to_owned()
            };
            assert!(
                rest.starts_with('/'),
                "{name}: the link {link:?} leaves the base path /xxgk/"
            );
            if let Err(why) = served_file(&site, &rest) {
                panic!("{name}: the link {link:?} is dead: {why}");
            }
            followed += 1;
        }
    }
    assert!(followed > 100, "only {followed} links followed");
    // The canonical link and the sitemap keep the site URL's path once.
    let article =
        std::fs::read_to_string(site.join("static/article/kjj1-2023-00026/index.html")).unwrap();
    assert!(article.contains("<h1 class=\"gk-article__title\">关于开展2023年科技活动周的通知</h1>"));
    assert!(article.contains(
        "<link rel=\"canonical\" href=\"https://example.gov.cn/xxgk/article/kjj1-2023-00026\">"
    ));
}

/// A build of the valid feed into a fresh site folder under `dir` whose
/// shell is `shell`, plus `extra` arguments: the site folder and the
/// arguments after `gongkai`.
fn site_build(dir: &TempDir, shell: &str, extra: &[&str]) -> (PathBuf, Vec<String>) {
    let feed = dir.write("feed.json", VALID);
    let site = dir.0.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), shell).unwrap();
    let mut args: Vec<String> = [
        "build",
        s(&feed),
        "--out",
        s(&site.join("bundle")),
        "--no-docs",
        "--site",
        s(&site),
    ]
    .map(str::to_owned)
    .to_vec();
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    (site, args)
}

/// [`site_build`] with the plain shell and no extra argument, as the
/// progress tests run it.
fn site_build_args(dir: &TempDir) -> Vec<String> {
    site_build(dir, SHELL, &[]).1
}

/// Runs [`site_build`] with the site's address and asserts it succeeded:
/// the site folder and the build's output.
fn build_site(dir: &TempDir, shell: &str) -> (PathBuf, std::process::Output) {
    let (site, args) = site_build(dir, shell, &["--site-url", "https://example.gov.cn/xxgk/"]);
    let out = gongkai(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    (site, out)
}

/// Off a terminal (a CI log, a pipe) the build prints its report lines and
/// nothing else: no progress line, no control characters, nothing on
/// standard error.
#[test]
fn build_off_a_terminal_prints_no_progress() {
    let dir = TempDir::new("progress-pipe");
    let args = site_build_args(&dir);
    let out = gongkai(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stderr(&out), "", "nothing but errors on standard error");
    let text = stdout(&out);
    assert!(
        !text.contains(['\r', '\u{1b}']),
        "control characters in {text:?}"
    );
    assert!(!text.contains("rendering the static pages"), "{text}");
    assert!(text.contains("static pages: 16 rendered"), "{text}");
}

/// On a terminal the build shows its steps. `script` (util-linux, in every
/// Debian: bsdutils is essential) runs it on a pseudo-terminal.
#[test]
fn build_on_a_terminal_shows_its_steps() {
    let dir = TempDir::new("progress-tty");
    let mut command = shell_quote(env!("CARGO_BIN_EXE_gongkai"));
    for a in site_build_args(&dir) {
        command.push(' ');
        command.push_str(&shell_quote(&a));
    }
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("script(1) from util-linux runs the build on a terminal");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for step in [
        "reading and checking the feed",
        "rendering the static pages",
    ] {
        assert!(text.contains(step), "no {step:?} in {text:?}");
    }
    // The report lines are there too, each step's line cleared before them.
    assert!(text.contains("static pages: 16 rendered"), "{text}");
}

/// `s` as one word for `sh -c`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}
