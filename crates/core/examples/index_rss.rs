//! Peak memory of the search index build alone (issue 21):
//! `cargo run --release -p gongkai-core --features build --example index_rss -- N BUDGET_MB`
//! builds the index of N synthetic notices (about 1,500 characters each,
//! generated batch by batch, never all in memory) with the streaming
//! builder, BUDGET_MB of term maps (0: no budget, everything in memory as
//! `build_search_index` does), and prints the files, their bytes and the
//! process's peak RSS (VmHWM). Figures: bench/README.md, "Build at scale".

#![forbid(unsafe_code)]

use gongkai_core::search::{IndexBuilder, SearchDoc, Synonyms};

/// A deterministic notice body: phrases drawn from a fixed vocabulary of
/// two- to four-character words, so that terms repeat as in real notices.
fn body(seed: u64, vocab: &[String]) -> String {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut s = String::new();
    for k in 0..600 {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        s.push_str(&vocab[(x >> 33) as usize % vocab.len()]);
        if k % 12 == 11 {
            s.push('。');
        }
    }
    s
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().map_or(Ok(10_000), |a| a.parse())?;
    let budget_mb: usize = args.get(1).map_or(Ok(256), |a| a.parse())?;
    let budget = if budget_mb == 0 {
        usize::MAX
    } else {
        budget_mb << 20
    };
    // 20,000 words of 2 to 4 characters from 2,500 common characters.
    let chars: Vec<char> = (0x4E00u32..0x4E00 + 2500)
        .filter_map(char::from_u32)
        .collect();
    let vocab: Vec<String> = (0..20_000u64)
        .map(|i| {
            let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (0..2 + (h % 3) as usize)
                .map(|j| chars[((h >> (8 * j + 8)) as usize) % chars.len()])
                .collect()
        })
        .collect();
    let mut b = IndexBuilder::with_layout(Synonyms::default_table(), Default::default(), budget);
    for first in (0..n).step_by(1000) {
        let texts: Vec<(String, String, String)> = (first..n.min(first + 1000))
            .map(|i| {
                (
                    format!("n{i}"),
                    format!("关于{}{}的通知", vocab[i % 20_000], vocab[(i * 7) % 20_000]),
                    body(i as u64, &vocab),
                )
            })
            .collect();
        let docs: Vec<SearchDoc<'_>> = texts
            .iter()
            .map(|(id, title, text)| SearchDoc {
                id,
                title,
                text,
                date: "2024-05-01",
                column: "zn",
                ..SearchDoc::default()
            })
            .collect();
        b.push_batch(&docs)?;
    }
    let mut bytes = 0usize;
    let summary = b.finish(|_, b| {
        bytes += b.len();
        Ok(())
    })?;
    let status = std::fs::read_to_string("/proc/self/status")?;
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    println!(
        "{n} docs, budget {budget_mb} MB: {} files, {} MB, {} runs, {} shard groups; {hwm}",
        summary.files,
        bytes >> 20,
        summary.runs,
        summary.shard_groups
    );
    Ok(())
}
