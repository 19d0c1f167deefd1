//! The 简体 → 繁體 converter against OpenCC: its own test cases and golden
//! text (`shared/opencc/`, beside the repository), and Debian's `opencc`
//! command on the sample feed's text.
//!
//! The reference data is found by walking up from this crate looking for
//! `shared/opencc/`; set `GONGKAI_SKIP_OPENCC_DATA=1` to skip these tests
//! where it is not available. The thresholds are the figures reached when the
//! converter was written: a drop below them is a regression.
#![cfg(feature = "build")]

use gongkai_core::convert::s2t;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `s2t` cases of `testcases.json` that must pass (all of them at 5249273a).
const MIN_CASES_PASSED: f64 = 1.0;
/// Share of characters of the golden text that must match.
const MIN_GOLDEN_SHARE: f64 = 1.0;
/// Share of the sample feed's characters that must match Debian's opencc
/// 1.1.6 (older dictionaries than the vendored ones; see the printed diffs).
const MIN_ORACLE_SHARE: f64 = 0.999;

/// The OpenCC conformance data: the copy vendored in `data/opencc/conformance`
/// (same commit as the dictionaries), else `shared/opencc/` beside the
/// repository; `None` when skipping is allowed.
fn opencc_dir() -> Option<PathBuf> {
    let start = Path::new(env!("CARGO_MANIFEST_DIR"));
    let vendored = start.join("data/opencc/conformance");
    if vendored.join("testcases.json").is_file() {
        return Some(vendored);
    }
    if let Some(dir) = start
        .ancestors()
        .map(|a| a.join("shared/opencc"))
        .find(|d| d.join("testcases.json").is_file())
    {
        return Some(dir);
    }
    if std::env::var("GONGKAI_SKIP_OPENCC_DATA").as_deref() == Ok("1") {
        eprintln!("shared/opencc not found; skipped (GONGKAI_SKIP_OPENCC_DATA=1)");
        return None;
    }
    panic!(
        "OpenCC reference data not found: no shared/opencc/testcases.json in any parent of {}. \
         Put the shared data beside the repository, or set GONGKAI_SKIP_OPENCC_DATA=1 to skip.",
        start.display()
    );
}

/// Removes the trailing commas OpenCC's test file has (`,` before `}`/`]`),
/// outside strings.
fn strip_trailing_commas(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    let chars: Vec<char> = json.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Characters equal at the same position, and the total compared (the
/// longer of the two lengths), line by line.
fn matching_chars(expected: &str, actual: &str) -> (usize, usize) {
    let (mut same, mut total) = (0, 0);
    let mut actual_lines = actual.lines();
    for e in expected.lines() {
        let a = actual_lines.next().unwrap_or("");
        same += e.chars().zip(a.chars()).filter(|(x, y)| x == y).count();
        total += e.chars().count().max(a.chars().count());
    }
    for a in actual_lines {
        total += a.chars().count();
    }
    (same, total)
}

#[test]
fn opencc_s2t_test_cases() {
    let Some(dir) = opencc_dir() else { return };
    let raw = std::fs::read_to_string(dir.join("testcases.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&strip_trailing_commas(&raw))
        .expect("testcases.json parses once trailing commas are removed");
    let mut total = 0;
    let mut failures = Vec::new();
    for case in json["cases"].as_array().expect("a cases array") {
        let Some(expected) = case["expected"]["s2t"].as_str() else {
            continue;
        };
        total += 1;
        let input = case["input"].as_str().unwrap();
        let actual = s2t(input);
        if actual != expected {
            failures.push(format!(
                "{}: input {input:?}\n  expected {expected:?}\n  actual   {actual:?}",
                case["id"].as_str().unwrap_or("?")
            ));
        }
    }
    let passed = total - failures.len();
    let rate = passed as f64 / total as f64;
    println!(
        "OpenCC s2t cases: {passed}/{total} passed ({:.1} %)",
        rate * 100.0
    );
    for f in &failures {
        println!("{f}");
    }
    assert!(total > 0, "no s2t cases in testcases.json");
    assert!(
        rate >= MIN_CASES_PASSED,
        "s2t pass rate {passed}/{total} is below {:.1} %; failures:\n{}",
        MIN_CASES_PASSED * 100.0,
        failures.join("\n")
    );
}

#[test]
fn opencc_s2t_golden_text() {
    let Some(dir) = opencc_dir() else { return };
    let input = std::fs::read_to_string(dir.join("us_constitution_zhs.txt")).unwrap();
    let expected = std::fs::read_to_string(dir.join("us_constitution_zhs.s2t.txt")).unwrap();
    let actual = s2t(&input);
    let (same, total) = matching_chars(&expected, &actual);
    let share = same as f64 / total as f64;
    println!(
        "golden text: {same}/{total} characters match ({:.3} %)",
        share * 100.0
    );
    for (n, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            println!("line {}:\n  expected {e}\n  actual   {a}", n + 1);
        }
    }
    assert!(
        share >= MIN_GOLDEN_SHARE,
        "golden text: {:.3} % of characters match, below {:.3} %",
        share * 100.0,
        MIN_GOLDEN_SHARE * 100.0
    );
}

/// Text of the sample feed, one string a line: titles, summaries, bodies
/// with tags stripped, metadata values, names.
fn feed_text(feed: &serde_json::Value) -> Vec<String> {
    let mut lines = Vec::new();
    let mut push = |v: &serde_json::Value| {
        if let Some(s) = v.as_str() {
            lines.extend(s.lines().map(str::to_owned));
        }
    };
    push(&feed["title"]);
    push(&feed["description"]);
    for k in ["site_name", "department", "section"] {
        push(&feed["_gov"][k]);
    }
    for c in feed["_gov"]["columns"].as_array().into_iter().flatten() {
        push(&c["name"]);
    }
    for item in feed["items"].as_array().into_iter().flatten() {
        push(&item["title"]);
        push(&item["summary"]);
        push(&item["content_text"]);
        if let Some(html) = item["content_html"].as_str() {
            push(&serde_json::Value::String(strip_tags(html)));
        }
        for k in ["publisher", "source", "doc_no"] {
            push(&item["_gov"][k]);
        }
        for kw in item["_gov"]["keywords"].as_array().into_iter().flatten() {
            push(kw);
        }
        for t in item["tags"].as_array().into_iter().flatten() {
            push(t);
        }
        for a in item["authors"].as_array().into_iter().flatten() {
            push(&a["name"]);
        }
        for a in item["attachments"].as_array().into_iter().flatten() {
            push(&a["title"]);
        }
    }
    lines.retain(|l| !l.trim().is_empty());
    lines
}

/// HTML to text: tags become line breaks, common references are decoded.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push('\n');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn sample_feed_against_debian_opencc() {
    if opencc_dir().is_none() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let feed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("content/feed.json"))
            .expect("the sample feed content/feed.json"),
    )
    .unwrap();
    let lines = feed_text(&feed);
    let input = lines.join("\n") + "\n";

    let child = Command::new("opencc")
        .args(["-c", "s2t.json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => panic!(
            "cannot run Debian's opencc ({e}): install it with `apt-get install -y opencc` \
             (scripts/setup does)"
        ),
    };
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(input.as_bytes()).unwrap();
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(output.status.success(), "opencc -c s2t.json failed");
    let oracle = String::from_utf8(output.stdout).unwrap();
    let oracle: Vec<&str> = oracle.lines().collect();
    assert_eq!(
        oracle.len(),
        lines.len(),
        "opencc returned another number of lines"
    );

    let (mut same, mut total, mut diffs) = (0, 0, 0);
    for (line, want) in lines.iter().zip(&oracle) {
        let got = s2t(line);
        let (s, t) = matching_chars(want, &got);
        same += s;
        total += t;
        if got == *want {
            continue;
        }
        let (g, w): (Vec<char>, Vec<char>) = (got.chars().collect(), want.chars().collect());
        for k in 0..g.len().max(w.len()) {
            if g.get(k) != w.get(k) {
                diffs += 1;
                let ctx = |v: &[char]| -> String {
                    v[k.saturating_sub(6).min(v.len())..(k + 7).min(v.len())]
                        .iter()
                        .collect()
                };
                let src: Vec<char> = line.chars().collect();
                println!(
                    "differs: input …{}… opencc …{}… ours …{}…",
                    ctx(&src),
                    ctx(&w),
                    ctx(&g)
                );
            }
        }
    }
    let share = same as f64 / total as f64;
    println!(
        "sample feed vs opencc 1.1.6: {same}/{total} characters match ({:.3} %), {diffs} differ",
        share * 100.0
    );
    assert!(
        share >= MIN_ORACLE_SHARE,
        "{:.3} % of characters match Debian's opencc, below {:.1} %",
        share * 100.0,
        MIN_ORACLE_SHARE * 100.0
    );
}
