//! The Word and PDF files of sample notices, checked with the tools readers'
//! software is built on: poppler (`pdftotext`, `pdffonts`, `pdfinfo`, Debian
//! poppler-utils) and, when installed, LibreOffice.

use gongkai_core::build::{BuildOptions, Bundle};
use gongkai_core::bundle::{ArticleFile, DownloadKind};
use gongkai_core::publish::{Publication, PublishOptions};
use gongkai_core::stage::{stage_bundle, BuildOutput, BUNDLE_LAST};
use gongkai_core::validate::check;
use gongkai_docs::{write_documents, DocOptions, DocsReport, Fonts, DEFAULT_FONT};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const FEED: &str = include_str!("../../../content/feed.json");

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        Fonts::load(Path::new(DEFAULT_FONT))
            .unwrap_or_else(|e| panic!("{e}: scripts/setup installs fonts-noto-cjk"))
    })
}

fn tmp(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("gongkai-docs-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn build(json: &str, dir: &Path, fonts: Option<&Fonts>) -> (BuildOutput, DocsReport) {
    let report = check(json);
    assert!(report.is_ok(), "{:?}", report.errors);
    let mut bundle = Bundle::from_feed(
        report.feed.as_ref().unwrap(),
        &BuildOptions::default(),
        None,
    )
    .unwrap();
    let publication = Publication::begin(dir, PublishOptions::default()).unwrap();
    let docs = write_documents(&publication, &mut bundle, &DocOptions { fonts }).unwrap();
    // The same files in memory, for the checks.
    let out = bundle.clone().serialise().unwrap();
    stage_bundle(&publication, bundle).unwrap();
    publication.commit(&BUNDLE_LAST).unwrap();
    (out, docs)
}

fn article(out: &BuildOutput, path: &str) -> ArticleFile {
    serde_json::from_slice(out.file(path).expect(path)).unwrap()
}

/// Runs a poppler tool; they are part of the test setup (scripts/setup).
fn tool(cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e} (apt-get install poppler-utils)"));
    assert!(
        o.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// pdftotext's text with line breaks and spaces removed, so that a sentence
/// wrapped over lines is still found.
fn pdf_text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn docx_part(docx: &Path, part: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The text of `word/document.xml`: tags removed, entities decoded.
fn docx_text(docx: &Path) -> String {
    let xml = docx_part(docx, "word/document.xml");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    gongkai_core::html::entity::decode(&text)
}

fn has_libreoffice() -> bool {
    Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn sample_notices_pdf_and_docx() {
    let dir = tmp("samples");
    let (out, report) = build(FEED, &dir, Some(fonts()));
    assert!(report.written > 0);
    let sentence = "武山县科学技术局把精神文明建设摆在突出位置";
    let cases = [
        (
            "kjj1-2023-00026",
            "武山县科学技术局:扎实开展文明单位创建工作",
            "kjj1/2023-00026",
            sentence,
        ),
        (
            "kjj1-2025-00003",
            "武山县科学技术局2024年政府信息公开工作年度报告",
            "kjj1/2025-00003",
            "总体情况",
        ),
    ];
    for (id, title, index_no, body) in cases {
        let a = article(&out, &format!("zh-Hans/items/{id}.json"));
        assert_eq!(a.downloads.len(), 2, "{id}: a docx and a pdf");
        for d in &a.downloads {
            let file = dir.join(&d.path);
            assert_eq!(
                std::fs::metadata(&file).unwrap().len(),
                d.size_in_bytes,
                "{}",
                d.path
            );
            assert!(
                d.file_name.starts_with(&index_no.replace('/', "-")),
                "{}",
                d.file_name
            );
            assert!(d.file_name.ends_with(d.kind.as_str()));
        }
        let pdf = dir.join(format!("files/zh-Hans/{id}.pdf"));
        let size = std::fs::metadata(&pdf).unwrap().len();
        assert!(size < 300_000, "{id}: PDF is {size} bytes, budget 300 KB");
        let text = pdf_text(&pdf);
        for want in [title, index_no, body, "甘肃政务服务网-武山", "第1页"] {
            assert!(text.contains(want), "{id}: pdftotext lacks {want:?}");
        }
        let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
        let row = fonts.lines().nth(2).expect("one font");
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cols[0].contains("+NotoSansCJK"),
            "subset-tagged name: {row}"
        );
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );

        let docx = dir.join(format!("files/zh-Hans/{id}.docx"));
        let mut z = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
        for part in gongkai_docs::docx::PARTS {
            assert!(z.by_name(part).is_ok(), "{id}: docx lacks {part}");
        }
        let styles = docx_part(&docx, "word/styles.xml");
        assert!(
            styles.contains(r#"w:eastAsia="Noto Sans CJK SC""#)
                && styles.contains(r#"w:eastAsia="zh-CN""#)
        );
        assert!(docx_part(&docx, "word/fontTable.xml").contains("宋体"));
        let text = docx_text(&docx);
        for want in [title, index_no, body, "发布机构"] {
            assert!(text.contains(want), "{id}: document.xml lacks {want:?}");
        }
        assert!(docx_part(&docx, "word/footer1.xml").contains("甘肃政务服务网-武山"));
    }
}

#[test]
fn hant_files_are_traditional() {
    let dir = tmp("hant");
    let (out, _) = build(FEED, &dir, Some(fonts()));
    let a = article(&out, "zh-Hant/items/kjj1-2023-00026.json");
    assert_eq!(a.downloads[1].path, "files/zh-Hant/kjj1-2023-00026.pdf");
    let text = pdf_text(&dir.join("files/zh-Hant/kjj1-2023-00026.pdf"));
    for want in ["武山縣科學技術局", "發佈機構", "甘肅政務服務網-武山"] {
        assert!(text.contains(want), "zh-Hant PDF lacks {want:?}");
    }
    let docx = dir.join("files/zh-Hant/kjj1-2023-00026.docx");
    assert!(docx_text(&docx).contains("武山縣科學技術局"));
    assert!(docx_part(&docx, "word/styles.xml").contains(r#"w:eastAsia="zh-TW""#));
}

#[test]
fn attachments_of_the_type_replace_generated_files() {
    let dir = tmp("attach");
    let (out, _) = build(FEED, &dir, Some(fonts()));
    // kjj1-2026-00002 has a PDF attachment, so only the Word file is made.
    let a = article(&out, "zh-Hans/items/kjj1-2026-00002.json");
    let kinds: Vec<DownloadKind> = a.downloads.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [DownloadKind::Docx]);
    assert!(!dir.join("files/zh-Hans/kjj1-2026-00002.pdf").exists());
}

#[test]
fn second_build_reuses_files_and_keeps_the_hash() {
    let dir = tmp("incremental");
    let (a, first) = build(FEED, &dir, Some(fonts()));
    let (b, second) = build(FEED, &dir, Some(fonts()));
    assert_eq!(second.written, 0, "nothing changed");
    assert_eq!(second.reused, first.written);
    assert_eq!(a.manifest.content_hash, b.manifest.content_hash);
    assert_eq!(a.files, b.files);
}

// Issue 15, fault 8: a cache entry whose hash was shorter than 16
// characters made every later build panic.
#[test]
fn a_damaged_cache_is_a_cache_miss() {
    let dir = tmp("damaged-cache");
    let (a, first) = build(FEED, &dir, None);
    let cache_path = dir.join("files/.cache.json");
    let mut cache: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cache_path).unwrap()).unwrap();
    let entries = cache.as_object_mut().unwrap();
    let mut damaged = 0;
    for (i, entry) in entries.values_mut().enumerate() {
        let bad = ["abc", "", "zzzzzzzzzzzzzzzz", "0123456789abcdef0"][i % 4];
        entry["hash"] = serde_json::Value::from(bad);
        damaged += 1;
    }
    entries.insert(
        "../../outside.pdf".into(),
        serde_json::json!({"key": "k", "size": 1, "hash": "0123456789abcdef"}),
    );
    std::fs::write(&cache_path, serde_json::to_vec(&cache).unwrap()).unwrap();
    let (b, second) = build(FEED, &dir, None);
    assert_eq!(second.written, damaged, "each damaged entry is made again");
    assert_eq!(second.written, first.written);
    assert_eq!(a.manifest.content_hash, b.manifest.content_hash);
    // A cache that is not JSON at all.
    std::fs::write(&cache_path, "{\"files/zh-Hans/x.docx\": 3").unwrap();
    let (c, third) = build(FEED, &dir, None);
    assert_eq!(third.written, first.written);
    assert_eq!(a.manifest.content_hash, c.manifest.content_hash);
}

#[test]
fn without_a_font_only_word_files_are_written() {
    let dir = tmp("nofont");
    let (out, report) = build(FEED, &dir, None);
    assert!(report.written > 0);
    let a = article(&out, "zh-Hans/items/kjj1-2023-00026.json");
    let kinds: Vec<DownloadKind> = a.downloads.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [DownloadKind::Docx]);
    assert!(!dir.join("files/zh-Hans/kjj1-2023-00026.pdf").exists());
    let err = Fonts::load(Path::new("/nonexistent/font.ttc")).unwrap_err();
    assert!(err.to_string().contains("fonts-noto-cjk"), "{err}");
}

fn bad_feed() -> String {
    let rows: String = (1..=300)
        .map(|i| format!("<tr><td>第{i}行</td><td>数据{i}</td><td>说明文字较长的单元格，需要换行显示，第{i}行结束</td></tr>"))
        .collect();
    let long_title = "关于".to_owned() + &"进一步加强和改进政府信息公开工作".repeat(12) + "的通知";
    let items = serde_json::json!([
        {"id": "empty", "title": "空白正文", "content_html": "", "date_published": "2024-01-01T00:00:00+08:00",
         "_gov": {"index_no": "x/2024-00001", "publisher": "科技局", "category": "c"}},
        {"id": "long", "title": long_title, "content_text": "正文。", "date_published": "2024-01-02T00:00:00+08:00",
         "_gov": {"index_no": "x/2024-00002", "publisher": "科技局", "category": "c"}},
        {"id": "table", "title": "三百行表格", "content_html": format!("<p>表格如下：</p><table><thead><tr><th>序号</th><th>数据</th><th>说明</th></tr></thead><tbody>{rows}</tbody></table><p>表后文字。</p>"),
         "date_published": "2024-01-03T00:00:00+08:00",
         "_gov": {"index_no": "x/2024-00003", "publisher": "科技局", "category": "c"}},
        {"id": "glyphs", "title": "缺字测试", "content_html": "<p>表情😀与私用区\u{E000}之后的文字仍然可见。</p>",
         "date_published": "2024-01-04T00:00:00+08:00",
         "_gov": {"index_no": "x/2024-00004", "publisher": "科技局", "category": "c"}}
    ]);
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1", "title": "t",
        "_gov": {"site_name": "测试站", "department": "d", "columns": [{"id": "c", "name": "通知公告"}],
                 "login_url": "https://x.cn/l", "register_url": "https://x.cn/r"},
        "items": items
    })
    .to_string()
}

#[test]
fn bad_input_gives_valid_files_and_warnings() {
    let dir = tmp("bad");
    let (_, report) = build(&bad_feed(), &dir, Some(fonts()));
    for id in ["empty", "long", "table", "glyphs"] {
        for v in ["zh-Hans", "zh-Hant"] {
            let pdf = dir.join(format!("files/{v}/{id}.pdf"));
            let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
            assert!(info.contains("Pages:"), "{id}: {info}");
            let docx = dir.join(format!("files/{v}/{id}.docx"));
            zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
        }
    }
    let table = dir.join("files/zh-Hans/table.pdf");
    let text = pdf_text(&table);
    for want in ["第1行", "第300行结束", "表后文字。"] {
        assert!(text.contains(want), "300-row table: lacks {want:?}");
    }
    let pages: usize = tool("pdfinfo", &[table.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages > 5, "300 rows over several pages, got {pages}");
    assert!(pdf_text(&dir.join("files/zh-Hans/long.pdf"))
        .contains("进一步加强和改进政府信息公开工作的通知"));
    let glyphs = pdf_text(&dir.join("files/zh-Hans/glyphs.pdf"));
    assert!(glyphs.contains("之后的文字仍然可见"), "{glyphs}");
    let w: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter()
            .any(|w| w.contains("\"glyphs\"") && w.contains("U+1F600") && w.contains("U+E000")),
        "missing glyphs reported: {w:?}"
    );
    assert_eq!(w.len(), 2, "only the glyph test, in both variants: {w:?}");
}

#[test]
fn libreoffice_converts_the_docx() {
    if !has_libreoffice() {
        // scripts/setup installs it, so under CI a missing LibreOffice is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "soffice not installed (apt-get install libreoffice-writer-nogui)"
        );
        eprintln!("skipped: soffice not installed (apt-get install libreoffice-writer-nogui)");
        return;
    }
    let dir = tmp("lo");
    build(FEED, &dir, Some(fonts()));
    let docx = dir.join("files/zh-Hans/kjj1-2023-00026.docx");
    let outdir = dir.join("lo");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let o = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&outdir)
        .arg(&docx)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdf_text(&outdir.join("kjj1-2023-00026.pdf"));
    for want in [
        "武山县科学技术局:扎实开展文明单位创建工作",
        "kjj1/2023-00026",
        "武山县科学技术局把精神文明建设摆在突出位置",
    ] {
        assert!(text.contains(want), "LibreOffice's PDF lacks {want:?}");
    }
}
