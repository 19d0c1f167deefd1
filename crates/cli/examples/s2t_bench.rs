//! Times the 简体 → 繁體 converter on a feed's text, on one core.
//!
//! ```sh
//! cargo run --release -p gongkai-cli --example gen_feed -- 10000 > /tmp/feed.json
//! cargo run --release -p gongkai-cli --example s2t_bench -- /tmp/feed.json
//! ```
//!
//! Prints the time to build the dictionaries, then the throughput of `s2t`
//! on titles and summaries and of `s2t_html` on the bodies. With `--text
//! FILE` it converts a plain-text file instead, writing `FILE.s2t` (to compare
//! with `opencc -c s2t.json -i FILE`). See bench/README.md.

use gongkai_core::convert::{s2t, s2t_html, Converter};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, file] = args.as_slice() {
        if flag == "--text" {
            let text = std::fs::read_to_string(file).expect("readable text file");
            let _ = Converter::s2t();
            let t = Instant::now();
            let out = s2t(&text);
            report("s2t, plain text", text.len(), out.len(), t);
            std::fs::write(format!("{file}.s2t"), out).expect("writable output");
            return;
        }
    }
    let path = args
        .first()
        .expect("usage: s2t_bench FEED.json | s2t_bench --text FILE");
    let feed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable feed"))
            .expect("a JSON feed");
    let items = feed["items"].as_array().expect("items");
    let mut plain = Vec::new();
    let mut html = Vec::new();
    for item in items {
        for k in ["title", "summary", "content_text"] {
            if let Some(s) = item[k].as_str() {
                plain.push(s);
            }
        }
        if let Some(s) = item["content_html"].as_str() {
            html.push(s);
        }
    }

    let t = Instant::now();
    let _ = Converter::s2t();
    println!("dictionaries built in {:.1} ms", ms(t));

    let bytes: usize = plain.iter().map(|s| s.len()).sum();
    let t = Instant::now();
    let out: usize = plain.iter().map(|s| s2t(s).len()).sum();
    report("s2t, titles and summaries", bytes, out, t);

    let bytes: usize = html.iter().map(|s| s.len()).sum();
    let t = Instant::now();
    let out: usize = html.iter().map(|s| s2t_html(s).len()).sum();
    report("s2t_html, bodies", bytes, out, t);
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn report(what: &str, bytes: usize, out: usize, t: Instant) {
    let elapsed = ms(t);
    println!(
        "{what}: {:.1} MB in {elapsed:.0} ms, {:.1} MB/s ({out} bytes out)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e3 / elapsed,
    );
}
