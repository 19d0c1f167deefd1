//! Publishing over a served folder (issue 15, faults 3–5): `gongkai build`
//! run again over its own output, as docs/deployment.md tells a web team to
//! update a live site, must never serve a mixed or stale build, must never
//! delete files it did not write, and must leave the previous build serving
//! when it fails, whatever the reason (a wrong option, a full disk, a kill).

mod common;

use common::{gongkai, s, text, TempDir, BIN};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A feed of `n` notices; `edition` changes every title and body, so two
/// editions differ in every article, list page and search file.
fn feed(n: usize, edition: &str) -> String {
    let items: Vec<serde_json::Value> = (1..=n)
        .map(|i| {
            let body: String = (0..8)
                .map(|p| format!("<p>{edition}第{i}号通知的第{p}段：为深入贯彻落实创新驱动发展战略，进一步激发全社会创新创业活力，结合我县实际，现将有关事项通知如下。</p>"))
                .collect();
            serde_json::json!({
                "id": format!("n-{i}"),
                "title": format!("{edition}关于第{i}项科技工作的通知"),
                "content_html": body,
                "date_published": format!("2023-{:02}-{:02}T09:30:00+08:00", 1 + i % 12, 1 + i % 28),
                "_gov": {"index_no": format!("kjj1/2023-{i:05}"), "publisher": "武山县科技局",
                         "category": if i % 3 == 0 { "zn" } else { "fdzdgknr" }}
            })
        })
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "科技局 政府信息公开",
        "home_page_url": "https://example.gov.cn/xxgk/",
        "_gov": {
            "site_name": "甘肃政务服务网-武山",
            "department": "科技局",
            "columns": [{"id": "zn", "name": "政府信息公开指南"}, {"id": "fdzdgknr", "name": "法定主动公开内容"}],
            "login_url": "https://portal.example.gov.cn/login",
            "register_url": "https://portal.example.gov.cn/register"
        },
        "items": items
    })
    .to_string()
}

/// A trunk-like shell: the parts `--site` fills in.
const SHELL: &str = "<!doctype html><html lang=zh-CN><meta charset=utf-8><title>政府信息公开</title><base href=/><script src=gk-boot.js></script>\n</head><body class=gk-page><div data-gongkai data-standalone data-bundle=bundle/><noscript><p>需要 JavaScript</p></noscript></div></body></html>";

/// A site folder: `site/index.html` (the shell) and the feeds beside it.
struct Site {
    tmp: TempDir,
}

impl Site {
    fn new(name: &str) -> Site {
        let tmp = TempDir::new(name);
        std::fs::create_dir_all(tmp.0.join("site")).unwrap();
        std::fs::write(tmp.0.join("site/index.html"), SHELL).unwrap();
        Site { tmp }
    }

    fn dir(&self) -> PathBuf {
        self.tmp.0.join("site")
    }

    fn feed(&self, name: &str, json: &str) -> PathBuf {
        let p = self.tmp.0.join(name);
        std::fs::write(&p, json).unwrap();
        p
    }

    /// `gongkai build FEED --out site/bundle --site site EXTRA...`
    fn build(&self, feed: &Path, extra: &[&str]) -> Output {
        let site = self.dir();
        let bundle = site.join("bundle");
        let mut args = vec!["build", s(feed), "--out", s(&bundle), "--site", s(&site)];
        args.extend_from_slice(extra);
        gongkai(&args)
    }

    fn put(&self, rel: &str, content: &[u8]) {
        let p = self.dir().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
}

/// Every file under `dir` but the builds' own state, path → content.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().is_some_and(|n| n == ".gongkai") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_str().unwrap().to_owned();
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let keys_a: Vec<&String> = a.keys().collect();
    let keys_b: Vec<&String> = b.keys().collect();
    assert_eq!(
        keys_a.len(),
        keys_b.len(),
        "{what}: a different set of files"
    );
    assert_eq!(keys_a, keys_b, "{what}: a different set of files");
    for (k, v) in a {
        assert!(b[k] == *v, "{what}: {k} differs");
    }
}

// Fault 5: `--site` pointing at a missing folder was checked only after the
// bundle had been rewritten (40 notices removed, exit 1).
#[test]
fn a_wrong_site_folder_changes_nothing() {
    let site = Site::new("wrong-site");
    let a = site.feed("a.json", &feed(40, "甲"));
    let o = site.build(&a, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    let before = snapshot(&site.dir());

    let b = site.feed("b.json", &feed(1, "乙"));
    let bundle = site.dir().join("bundle");
    let missing = site.tmp.0.join("no-such-site");
    let o = gongkai(&[
        "build",
        s(&b),
        "--out",
        s(&bundle),
        "--site",
        s(&missing),
        "--no-docs",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("no such folder"), "{}", text(&o));
    // A folder without the shell, too.
    let empty = site.tmp.0.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = gongkai(&[
        "build",
        s(&b),
        "--out",
        s(&bundle),
        "--site",
        s(&empty),
        "--no-docs",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("build it with trunk first"),
        "{}",
        text(&o)
    );
    assert_same(&before, &snapshot(&site.dir()), "after the failed builds");
    assert!(!site.dir().join("bundle/.gongkai/staging").exists());
}

/// Runs `script` as root of a user and mount namespace of its own, where it
/// can mount a small tmpfs: a real full disk without touching the machine's.
fn in_namespace(script: &str) -> Output {
    let o = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-euc", script])
        .output()
        .expect("unshare (util-linux) runs the full-disk test");
    o
}

// Fault 5: on a full disk the manifest stayed old while search/index.json
// described the new documents and a shard was 0 bytes, all served as
// immutable under the old `?v=`.
#[test]
fn a_full_disk_leaves_the_previous_build_serving() {
    let site = Site::new("full-disk");
    let a = site.feed("a.json", &feed(30, "甲"));
    let b = site.feed("b.json", &feed(60, "乙"));
    let out = site.tmp.0.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mnt = site.tmp.0.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    // In the namespace: a 16 MiB tmpfs holds the site; build A; fill the
    // disk but for 150 KiB; build B (fails); copy the served files out;
    // free the disk; build B again.
    let script = format!(
        r#"
        mount -t tmpfs -o size=16m tmpfs {mnt}
        mkdir -p {mnt}/site && cp {shell} {mnt}/site/index.html
        b() {{ SOURCE_DATE_EPOCH=1700000000 {bin} build "$1" --out {mnt}/site/bundle --site {mnt}/site --no-docs; }}
        b {a} > {out}/a.log 2>&1
        cp -a {mnt}/site {out}/served-a
        dd if=/dev/zero of={mnt}/filler bs=64k 2>/dev/null || true
        truncate -s -150K {mnt}/filler
        if b {b} > {out}/full.log 2>&1; then echo "built on a full disk" >&2; exit 3; fi
        cp -a {mnt}/site {out}/served-full
        rm {mnt}/filler
        b {b} > {out}/b.log 2>&1
        cp -a {mnt}/site {out}/served-b
        "#,
        mnt = s(&mnt),
        shell = s(&site.dir().join("index.html")),
        bin = BIN,
        a = s(&a),
        b = s(&b),
        out = s(&out),
    );
    let o = in_namespace(&script);
    let log = |name: &str| std::fs::read_to_string(out.join(name)).unwrap_or_default();
    assert!(
        o.status.success(),
        "{}\na: {}\nfull: {}\nb: {}",
        text(&o),
        log("a.log"),
        log("full.log"),
        log("b.log")
    );
    let full = log("full.log");
    assert!(full.contains("No space left on device"), "{full}");
    assert!(
        full.contains("staging"),
        "the failure was in the staging area: {full}"
    );
    assert_same(
        &snapshot(&out.join("served-a")),
        &snapshot(&out.join("served-full")),
        "the failed build left build A serving",
    );
    // And the next build, with room, is B whole: the same as B built over A
    // where no build ever failed (not B built afresh: a rebuild keeps the
    // search index's document numbers, docs/search-format.md).
    let fresh = Site::new("full-disk-fresh");
    for feed in [&a, &b] {
        let o = fresh.build(feed, &["--no-docs"]);
        assert!(o.status.success(), "{}", text(&o));
    }
    let mut served_b = snapshot(&out.join("served-b"));
    served_b.remove("index.html");
    let mut fresh_b = snapshot(&fresh.dir());
    fresh_b.remove("index.html");
    assert_same(&fresh_b, &served_b, "after the disk was freed");
}

// Fault 5: a build killed at any moment leaves build A or build B serving,
// or, killed while switching, a journal the next build finishes first.
#[test]
fn a_killed_build_leaves_a_whole_build_or_one_the_next_run_finishes() {
    let site = Site::new("kill");
    let a = site.feed("a.json", &feed(80, "甲"));
    let b = site.feed("b.json", &feed(60, "乙"));
    let o = site.build(&b, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    let served_b = snapshot(&site.dir());
    let o = site.build(&a, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    let served_a = snapshot(&site.dir());

    // How long a build from A to B takes here, to spread the kills over it.
    let run = |feed: &Path| {
        let bundle = site.dir().join("bundle");
        Command::new(BIN)
            .args([
                "build",
                s(feed),
                "--out",
                s(&bundle),
                "--site",
                s(&site.dir()),
                "--no-docs",
            ])
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let t = Instant::now();
    assert!(run(&b).wait().unwrap().success());
    let full = t.elapsed();
    assert_same(&served_b, &snapshot(&site.dir()), "B over A");

    let mut mid_commit = 0;
    let kills = 8;
    for k in 0..kills {
        // Back to A, then a build of B killed after k/kills of its time.
        assert!(run(&a).wait().unwrap().success());
        let mut child = run(&b);
        std::thread::sleep(full.mul_f64(k as f64 / kills as f64));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&site.dir());
        let journal = site.dir().join("bundle/.gongkai/commit").exists()
            || site.dir().join(".gongkai/commit").exists();
        if journal {
            mid_commit += 1;
        } else {
            let whole_a =
                now.len() == served_a.len() && now.iter().all(|(k, v)| served_a.get(k) == Some(v));
            let whole_b =
                now.len() == served_b.len() && now.iter().all(|(k, v)| served_b.get(k) == Some(v));
            assert!(
                whole_a || whole_b,
                "kill {k}: neither build A nor build B is serving"
            );
        }
        // The next build finishes or discards what the killed one left.
        assert!(
            run(&b).wait().unwrap().success(),
            "kill {k}: the next build"
        );
        assert_same(
            &served_b,
            &snapshot(&site.dir()),
            &format!("kill {k}: then B"),
        );
        assert!(!site.dir().join("bundle/.gongkai/staging").exists());
    }
    eprintln!("{kills} kills over a {full:?} build, {mid_commit} during a switch");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
    out
}

/// Every `x.gz` / `x.br` under the site holds what `x` holds.
fn assert_copies_fresh(files: &BTreeMap<String, Vec<u8>>, what: &str) -> usize {
    let mut copies = 0;
    for (rel, bytes) in files {
        let (file, plain) = if let Some(f) = rel.strip_suffix(".gz") {
            (f, gunzip(bytes))
        } else if let Some(f) = rel.strip_suffix(".br") {
            (f, unbrotli(bytes))
        } else {
            continue;
        };
        let Some(original) = files.get(file) else {
            panic!("{what}: {rel} without {file}");
        };
        assert!(plain == *original, "{what}: {rel} is stale");
        copies += 1;
    }
    copies
}

/// `deploy/purge-list DIR STAMP`: the paths changed since STAMP.
fn purge_list(dir: &Path, stamp: &Path) -> String {
    let o = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../deploy/purge-list"
        ))
        .args([s(dir), s(stamp)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8(o.stdout).unwrap()
}

// Fault 3: after `gongkai build` over a deployed folder, the old .gz/.br
// stayed beside the manifest, the static pages and sitemap.xml, and nginx
// served them.
#[test]
fn compressed_copies_are_refreshed_or_removed() {
    let site = Site::new("copies");
    let a = site.feed("a.json", &feed(25, "甲"));
    let o = site.build(&a, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    // What scripts/build-site did after the build: gzip and brotli copies
    // of every text file.
    for (rel, bytes) in snapshot(&site.dir()) {
        if bytes.len() < 256 {
            continue;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &bytes).unwrap();
        site.put(&format!("{rel}.gz"), &gz.finish().unwrap());
        let mut br = Vec::new();
        brotli::BrotliCompress(&mut &bytes[..], &mut br, &Default::default()).unwrap();
        site.put(&format!("{rel}.br"), &br);
    }
    let stamp = site.tmp.0.join("stamp");
    std::fs::write(&stamp, "").unwrap();
    // Make sure the rebuilt files are newer than the stamp on coarse clocks.
    std::thread::sleep(Duration::from_millis(20));
    let b = site.feed("b.json", &feed(25, "乙"));
    let o = site.build(&b, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    let files = snapshot(&site.dir());
    for rel in [
        "bundle/manifest.json",
        "static/index.html",
        "static/article/n-1/index.html",
    ] {
        assert!(files.contains_key(rel), "{rel}");
        assert!(
            !files.contains_key(&format!("{rel}.gz")),
            "{rel}.gz went with the change"
        );
    }
    assert_copies_fresh(&files, "without --precompress");
    // The copies of unchanged files (the shell) stay.
    assert!(files.contains_key("index.html.gz"));

    // deploy/purge-list names the changed files and their copies.
    let list = purge_list(&site.dir(), &stamp);
    assert!(list.lines().any(|l| l == "/bundle/manifest.json"), "{list}");

    let c = site.feed("c.json", &feed(25, "丙"));
    let o = site.build(&c, &["--no-docs", "--precompress"]);
    assert!(o.status.success(), "{}", text(&o));
    let files = snapshot(&site.dir());
    let copies = assert_copies_fresh(&files, "with --precompress");
    for rel in [
        "bundle/manifest.json",
        "static/index.html",
        "sitemap.xml",
        "bundle/zh-Hans/list/all/1.json",
    ] {
        assert!(files.contains_key(&format!("{rel}.gz")), "{rel}.gz");
        assert!(files.contains_key(&format!("{rel}.br")), "{rel}.br");
    }
    assert!(copies > 100, "{copies} copies");
    let list = purge_list(&site.dir(), &stamp);
    for rel in [
        "/bundle/manifest.json.gz",
        "/bundle/manifest.json.br",
        "/static/index.html.br",
    ] {
        assert!(
            list.lines().any(|l| l == rel),
            "purge-list lists {rel}: {list}"
        );
    }
}

// Fault 4: stale-file cleanup removed every file it did not expect under
// the output folders, a portal's own among them.
#[test]
fn files_the_build_did_not_write_are_never_removed() {
    let site = Site::new("foreign");
    let a = site.feed("a.json", &feed(30, "甲"));
    let portal: [(&str, &[u8]); 5] = [
        ("static/css/portal.css", b"body{color:#333}"),
        ("static/img/logo.png", b"\x89PNG\r\n"),
        ("sitemap-news.xml", b"<urlset/>"),
        ("bundle/search/index.html", b"<p>portal</p>"),
        ("bundle/files/zh-Hans/report-2023.pdf", b"%PDF-1.4"),
    ];
    for (rel, bytes) in portal {
        site.put(rel, bytes);
    }
    // Word files without a font, so that files/ is the build's too.
    let nofont = s(&site.tmp.0.join("no-font.ttc")).to_owned();
    let o = site.build(&a, &["--font", &nofont]);
    assert!(o.status.success(), "{}", text(&o));
    let gone = [
        "bundle/zh-Hans/items/n-30.json",
        "static/article/n-30/index.html",
        "bundle/files/zh-Hans/n-30.docx",
    ];
    for rel in gone {
        assert!(
            site.dir().join(rel).is_file(),
            "{rel} after the first build"
        );
    }
    let check = |what: &str| {
        for (rel, bytes) in portal {
            assert_eq!(
                std::fs::read(site.dir().join(rel)).ok().as_deref(),
                Some(bytes),
                "{what}: {rel}"
            );
        }
    };
    check("after the first build");

    // Notice 30 leaves the feed.
    let b = site.feed("b.json", &feed(29, "甲"));
    let o = site.build(&b, &["--font", &nofont]);
    assert!(o.status.success(), "{}", text(&o));
    check("after a rebuild");
    for rel in gone {
        assert!(
            !site.dir().join(rel).exists(),
            "{rel}: the build's own, removed"
        );
    }

    // A folder from a gongkai that kept no record: only the names a build
    // writes are taken as its own.
    std::fs::remove_dir_all(site.dir().join(".gongkai")).unwrap();
    std::fs::remove_dir_all(site.dir().join("bundle/.gongkai")).unwrap();
    let c = site.feed("c.json", &feed(28, "甲"));
    let o = site.build(&c, &["--font", &nofont]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("has no record of an earlier build's files"),
        "{}",
        text(&o)
    );
    check("after a build over a folder without a record");
    for rel in [
        "bundle/zh-Hans/items/n-29.json",
        "static/article/n-29/index.html",
        "bundle/files/zh-Hans/n-29.docx",
    ] {
        assert!(
            !site.dir().join(rel).exists(),
            "{rel}: the earlier build's, removed"
        );
    }
}

#[test]
fn two_builds_into_one_folder_wait_for_each_other() {
    let site = Site::new("busy");
    let a = site.feed("a.json", &feed(5, "甲"));
    let bundle = site.dir().join("bundle");
    std::fs::create_dir_all(bundle.join(".gongkai")).unwrap();
    // Hold the bundle folder's lock as a running build does.
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(bundle.join(".gongkai/lock"))
        .unwrap();
    lock.lock().unwrap();
    let o = site.build(&a, &["--no-docs"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("another gongkai build is writing"),
        "{}",
        text(&o)
    );
    assert!(!bundle.join("manifest.json").exists());
    drop(lock);
    let o = site.build(&a, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    // The same folder for both is refused before anything happens.
    let o = gongkai(&[
        "build",
        s(&a),
        "--out",
        s(&site.dir()),
        "--site",
        s(&site.dir()),
        "--no-docs",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("are the same folder"), "{}", text(&o));
}

/// The line `static pages: N rendered, M kept ...` of a build: (N, M).
fn rendered_and_kept(o: &Output) -> (usize, usize) {
    let out = text(o);
    let line = out
        .lines()
        .find(|l| l.starts_with("static pages: "))
        .unwrap_or_else(|| panic!("no static pages line: {out}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let number = |w: &str| w.trim_end_matches(',').parse::<usize>().ok();
    let at = |word: &str| {
        words
            .iter()
            .position(|w| w.trim_end_matches(',') == word)
            .and_then(|i| number(words[i - 1]))
            .unwrap_or_else(|| panic!("no count before {word:?}: {line}"))
    };
    (at("rendered"), at("kept"))
}

/// The static pages and the sitemap's files of a site folder.
fn pages(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(dir)
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("static/") || rel.starts_with("sitemap"))
        .collect()
}

// Issue 21: a rebuild after one changed notice rendered all the static pages
// again (28,392 at 10,000 notices). It now keeps a page whose inputs are
// unchanged, and what it serves is what a fresh build writes, byte for byte.
#[test]
fn a_rebuild_keeps_unchanged_static_pages_as_a_fresh_build_writes_them() {
    let site = Site::new("keep-pages");
    let before = site.feed("a.json", &feed(30, "甲"));
    let o = site.build(&before, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    let (all, kept) = rendered_and_kept(&o);
    assert_eq!(kept, 0, "a first build keeps nothing");
    let mut changed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&before).unwrap()).unwrap();
    changed["items"][4]["title"] = "甲关于第5项科技工作的通知（修订）".into();
    let after = site.feed("b.json", &changed.to_string());
    let o = site.build(&after, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    let (rendered, kept) = rendered_and_kept(&o);
    assert_eq!(rendered + kept, all, "{}", text(&o));
    assert!(kept > all / 2 && rendered > 0, "{}", text(&o));

    let fresh = Site::new("keep-pages-fresh");
    let o = fresh.build(&after, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_same(
        &pages(&site.dir()),
        &pages(&fresh.dir()),
        "rebuilt vs fresh",
    );

    // A page edited on the server is not the recorded one: rendered again.
    site.put("static/article/n-9/index.html", b"edited by hand");
    let o = site.build(&after, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(rendered_and_kept(&o), (1, all - 1), "{}", text(&o));
    assert_same(&pages(&site.dir()), &pages(&fresh.dir()), "edited page");

    // A corrupt table: every page again, said on stderr.
    std::fs::write(site.dir().join(".gongkai/static-pages"), "garbage").unwrap();
    let o = site.build(&after, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(rendered_and_kept(&o), (all, 0));
    let err = common::stderr(&o);
    assert!(err.contains("rendering every page"), "{err}");

    // Another shell: every page again (it is around each one).
    let shell = SHELL.replace("<title>", "<meta name=x content=y><title>");
    std::fs::write(site.dir().join("index.html"), shell).unwrap();
    let o = site.build(&after, &["--no-docs"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(rendered_and_kept(&o), (all, 0), "{}", text(&o));
}
