//! Native search benchmark: builds a synthetic corpus of N notices of about
//! 2,000 characters, then reports index build time, index size and shard
//! sizes, and per query the latency (search alone, and decode + search) and
//! the bytes a browser would fetch cold and warm, raw and brotli-compressed
//! (the `brotli` command at nginx's quality 5).
//!
//! ```text
//! cargo run --release -p gongkai-cli --example search_bench -- 10000
//! cargo run --release -p gongkai-cli --example search_bench -- 10000 --feed > feed.json
//! ```
//!
//! `--feed` writes the corpus as a feed instead, for `gongkai build` and
//! browser benchmarks; `--peers DIR` writes it as plain text with the
//! brute-force truth of the queries, for `bench/search/peers.mjs`.
//! Deterministic for a given N.

use gongkai_core::build::BuildOptions;
use gongkai_core::bundle::{item_path, Variant};
use gongkai_core::feed::Feed;
use gongkai_core::search::format::{shard_path, Shard, COLUMNS_PATH, DATES_PATH};
use gongkai_core::search::text::normalize;
use gongkai_core::search::{
    build_search_index, build_search_index_with, chunk_path, html_to_text, Layout, MatchMode,
    Options, Query, Scope, SearchDoc, SearchFile, SearchMeta, SearchStep, Shards, SortOrder,
    Synonyms, META_PATH,
};
use gongkai_core::stage::build_bundle;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

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
    /// Zipf-like: small indices much more often.
    fn zipf(&mut self, n: usize) -> usize {
        let r = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(r) - 1.0) as usize % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.zipf(xs.len())]
    }
}

const PLACES: &[&str] = &[
    "县",
    "城关镇",
    "洛门镇",
    "鸳鸯镇",
    "滩歌镇",
    "四门镇",
    "马力镇",
    "山丹镇",
    "温泉镇",
    "桦林镇",
    "龙台镇",
    "榆盘镇",
    "高楼镇",
    "杨河镇",
    "咀头乡",
    "沿安乡",
    "天水市",
    "甘肃省",
    "开发区",
    "工业园区",
];
const ORGS: &[&str] = &[
    "科技局",
    "财政局",
    "发展和改革局",
    "教育局",
    "卫生健康局",
    "农业农村局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "商务局",
    "文化和旅游局",
    "应急管理局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "乡村振兴局",
    "人力资源和社会保障局",
    "民政局",
];
const SUBJECTS: &[&str] = &[
    "科技创新",
    "项目申报",
    "专项资金",
    "安全生产",
    "乡村振兴",
    "高质量发展",
    "营商环境",
    "招商引资",
    "人才引进",
    "成果转化",
    "知识产权",
    "疫情防控",
    "防汛抗旱",
    "森林防火",
    "食品安全",
    "农村饮水",
    "义务教育",
    "医疗保障",
    "养老服务",
    "就业创业",
    "产业扶贫",
    "数字政府",
    "政务公开",
    "信用体系",
    "标准化建设",
    "节能减排",
    "污染防治",
    "耕地保护",
    "道路建设",
    "危房改造",
    "电子商务",
    "特色产业",
    "中药材种植",
    "苹果产业",
    "蔬菜基地",
    "光伏发电",
    "科普宣传",
    "技术培训",
    "专利资助",
    "企业研发",
];
const VERBS: &[&str] = &[
    "推进", "落实", "开展", "加强", "组织", "完善", "实施", "做好", "申报", "审核", "公示", "评审",
    "督查", "验收", "部署", "统筹", "保障", "规范", "支持", "鼓励",
];
const CLAUSES: &[&str] = &[
    "现将有关事项通知如下",
    "请各单位高度重视，认真组织实施",
    "确保各项工作任务落到实处",
    "按照上级有关文件精神",
    "结合我县实际情况",
    "经研究决定",
    "具体安排如下",
    "请于规定时间内报送",
    "逾期不予受理",
    "联系人及电话见附件",
    "公示期为七个工作日",
    "对弄虚作假的单位依法依规追究责任",
    "依据《中华人民共和国政府信息公开条例》",
    "本通知自印发之日起施行",
];
const KINDS: &[&str] = &[
    "通知", "公告", "方案", "办法", "意见", "报告", "公示", "决定", "批复", "函",
];

fn sentence(rng: &mut Rng) -> String {
    let mut s = String::new();
    match rng.below(5) {
        0 => s.push_str(&format!(
            "{}{}{}{}工作，",
            rng.pick(PLACES),
            rng.pick(ORGS),
            rng.pick(VERBS),
            rng.pick(SUBJECTS)
        )),
        1 => s.push_str(&format!(
            "截至{}年{}月，全县共{}{}项目{}个，落实资金{}.{}万元，",
            2015 + rng.below(10),
            1 + rng.below(12),
            rng.pick(VERBS),
            rng.pick(SUBJECTS),
            1 + rng.below(300),
            10 + rng.below(9990),
            rng.below(100)
        )),
        2 => s.push_str(&format!(
            "联系电话：0938-{}，邮箱 wskj{}@example.gov.cn，",
            3_000_000 + rng.below(999_999),
            rng.below(100)
        )),
        _ => {}
    }
    for _ in 0..1 + rng.below(3) {
        s.push_str(&format!(
            "{}{}和{}",
            rng.pick(VERBS),
            rng.pick(SUBJECTS),
            rng.pick(SUBJECTS)
        ));
        s.push_str(["，", "、", "；"][rng.below(3)]);
    }
    s.push_str(rng.pick(CLAUSES));
    s.push('。');
    s
}

fn feed(n: usize) -> Value {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let columns = [
        ("zn", "政府信息公开指南"),
        ("zd", "政府信息公开制度"),
        ("fdzdgknr", "法定主动公开内容"),
        ("nb", "政府信息公开年报"),
    ];
    let items: Vec<Value> = (1..=n)
        .map(|i| {
            let year = 2015 + i % 10;
            let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
            let title = format!(
                "{}{}关于{}{}的{}",
                rng.pick(PLACES),
                rng.pick(ORGS),
                rng.pick(VERBS),
                rng.pick(SUBJECTS),
                rng.pick(KINDS)
            );
            let mut html = String::new();
            let mut chars = 0;
            let target = 1600 + rng.below(800);
            while chars < target {
                let mut p = String::new();
                for _ in 0..1 + rng.below(4) {
                    p.push_str(&sentence(&mut rng));
                }
                chars += p.chars().count();
                html.push_str(&format!("<p>{p}</p>"));
            }
            json!({
                "id": format!("n{i:06}"),
                "title": title,
                "content_html": html,
                "date_published": format!("{year}-{month:02}-{day:02}T09:00:00+08:00"),
                "_gov": {
                    "index_no": format!("kjj1/{year}-{:05}", i % 100_000),
                    "publisher": "武山县科技局",
                    "category": columns[if i % 10 < 7 { 2 } else { i % 4 }].0,
                }
            })
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "甘肃政务服务网-武山 科技局 政府信息公开",
        "_gov": {
            "site_name": "甘肃政务服务网-武山",
            "department": "科技局",
            "columns": columns.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
            "login_url": "https://portal.example.gov.cn/login",
            "register_url": "https://portal.example.gov.cn/register"
        },
        "items": items
    })
}

const QUERIES: &[&str] = &[
    "通知",
    "科技",
    "科技创新",
    "项目申报",
    "专项资金",
    "乡村振兴",
    "高质量发展",
    "营商环境",
    "中药材种植",
    "洛门镇",
    "发展和改革局",
    "科學技術",
    "鄉村振興",
    "2023",
    "0938",
    "example",
    "公示期为七个工作日",
    "政府信息公开条例",
    "招商引资 人才引进",
    "苹果产业 洛门镇",
    "疫情防控，",
    "不存在的词语",
    "项目申报和专利资助",
    "数字政府",
];

/// `--peers DIR`: the corpus as plain text (`corpus.json`: id, title, text
/// in display order) and, for the single-term queries of [`QUERIES`], the
/// brute-force truth (`truth.json`: ids whose folded title or body contains
/// the folded query), for `bench/search/peers.mjs`.
fn write_peer_corpus(feed: &Feed, dir: &str) {
    let mut items: Vec<&gongkai_core::feed::Item> = feed.items.iter().collect();
    // Display order, as the bundle numbers documents: newest first.
    items.sort_by(|a, b| {
        b.date_published
            .cmp(&a.date_published)
            .then(a.id.cmp(&b.id))
    });
    let texts: Vec<String> = items
        .iter()
        .map(|i| html_to_text(i.content_html.as_deref().unwrap_or("")))
        .collect();
    let folded: Vec<(Vec<char>, Vec<char>)> = items
        .iter()
        .zip(&texts)
        .map(|(i, t)| (normalize(&i.title), normalize(t)))
        .collect();
    let contains =
        |hay: &[char], n: &[char]| n.len() <= hay.len() && hay.windows(n.len()).any(|w| w == n);
    let corpus: Vec<Value> = items
        .iter()
        .zip(&texts)
        .map(|(i, t)| json!({"id": i.id, "title": i.title, "text": t}))
        .collect();
    let truth: Vec<Value> = QUERIES
        .iter()
        .filter(|q| !q.contains(' '))
        .map(|q| {
            let nq = normalize(q);
            let ids: Vec<&str> = items
                .iter()
                .zip(&folded)
                .filter(|(_, (t, b))| contains(t, &nq) || contains(b, &nq))
                .map(|(i, _)| i.id.as_str())
                .collect();
            json!({"q": q, "ids": ids})
        })
        .collect();
    std::fs::create_dir_all(dir).expect("create dir");
    std::fs::write(
        format!("{dir}/corpus.json"),
        Value::Array(corpus).to_string(),
    )
    .unwrap();
    std::fs::write(format!("{dir}/truth.json"), Value::Array(truth).to_string()).unwrap();
    eprintln!("wrote {dir}/corpus.json and {dir}/truth.json");
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let feed_json = feed(n);
    if args.iter().any(|a| a == "--feed") {
        println!("{feed_json}");
        return;
    }
    let feed: Feed = serde_json::from_value(feed_json).expect("generated feed");
    if let Some(i) = args.iter().position(|a| a == "--peers") {
        write_peer_corpus(&feed, args.get(i + 1).expect("--peers DIR"));
        return;
    }
    let body_chars: usize = feed
        .items
        .iter()
        .map(|i| {
            html_to_text(i.content_html.as_deref().unwrap_or(""))
                .chars()
                .count()
        })
        .sum();
    println!(
        "corpus: {n} notices, {:.0} characters of body text each on average",
        body_chars as f64 / n as f64
    );

    // The search index alone (bodies as given: the generator's HTML is clean).
    let texts: Vec<String> = feed
        .items
        .iter()
        .map(|i| html_to_text(i.content_html.as_deref().unwrap_or("")))
        .collect();
    let docs: Vec<SearchDoc<'_>> = feed
        .items
        .iter()
        .zip(&texts)
        .map(|(i, t)| SearchDoc {
            id: &i.id,
            title: &i.title,
            text: t,
            date: &i.date_published[..10],
            column: &i.gov.category,
            doc_no: i.gov.doc_no.as_deref(),
            index_no: &i.gov.index_no,
            ..SearchDoc::default()
        })
        .collect();
    let synonyms = Synonyms::default_table();
    let t = Instant::now();
    let with = build_search_index(&docs, &synonyms);
    let with_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let without = build_search_index_with(
        &docs,
        &synonyms,
        &Layout {
            dictionary: false,
            ..Layout::default()
        },
    );
    let without_s = t.elapsed().as_secs_f64();
    let size = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.1.len()).sum::<usize>();
    println!(
        "search index alone: {with_s:.2} s, {:.2} MB; without the pinyin dictionary: {without_s:.2} s, {:.2} MB",
        size(&with) as f64 / 1e6,
        size(&without) as f64 / 1e6
    );
    feature_bytes(&with);

    let t = Instant::now();
    let out = build_bundle(
        &feed,
        &BuildOptions {
            built_at: 0,
            ..Default::default()
        },
    )
    .expect("build");
    println!(
        "whole bundle in memory (both variants, search included): {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let file = |p: &str| out.file(p).unwrap_or_else(|| panic!("{p} missing"));
    let meta: SearchMeta = serde_json::from_slice(file(META_PATH)).unwrap();
    let search_files: Vec<&(String, Vec<u8>)> = out
        .files
        .iter()
        .filter(|f| f.0.starts_with("search/"))
        .collect();
    let total: usize = search_files.iter().map(|f| f.1.len()).sum();
    let mut shard_sizes: Vec<f64> = (0..meta.shards)
        .map(|i| file(&shard_path(i)).len() as f64)
        .collect();
    // Long lists and positions blocks: numbered after the synonym table
    // (number `shards`), by a hash of their term.
    let mut extra_sizes: Vec<f64> = search_files
        .iter()
        .filter_map(|(p, b)| match SearchFile::from_path(p) {
            Some(SearchFile::Shard(i)) if i > meta.shards => Some(b.len() as f64),
            _ => None,
        })
        .collect();
    let chunk_sizes: Vec<usize> = (0..meta.chunk_count())
        .map(|i| file(&chunk_path(i, Variant::Hans)).len())
        .collect();
    println!(
        "index: {:.1} MiB in {} files; {} term shards: p50 {:.1} / p95 {:.1} / max {:.1} KB; {} list and positions files: p50 {:.1} / p95 {:.1} / max {:.1} KB; {} doc chunks of {} docs, avg {:.2} KB; meta {} B; dates {} B",
        total as f64 / 1_048_576.0, search_files.len(), meta.shards,
        pct(&mut shard_sizes, 0.5) / 1e3, pct(&mut shard_sizes, 0.95) / 1e3, pct(&mut shard_sizes, 1.0) / 1e3,
        extra_sizes.len(),
        pct(&mut extra_sizes, 0.5) / 1e3, pct(&mut extra_sizes, 0.95) / 1e3, pct(&mut extra_sizes, 1.0) / 1e3,
        chunk_sizes.len(), meta.doc_chunk, chunk_sizes.iter().sum::<usize>() as f64 / chunk_sizes.len().max(1) as f64 / 1e3,
        file(META_PATH).len(), file(DATES_PATH).len(),
    );
    // Brotli sizes as nginx's dynamic compression (quality 5, files of at
    // least 256 B) would send them, if its types included the file.
    let mut br_cache: HashMap<String, usize> = HashMap::new();
    let mut br = |p: &str| -> usize {
        if let Some(&n) = br_cache.get(p) {
            return n;
        }
        let raw = file(p);
        let n = if raw.len() < 256 {
            raw.len()
        } else {
            let mut child = Command::new("brotli")
                .args(["-q", "5", "-c"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("brotli CLI");
            child.stdin.take().unwrap().write_all(raw).unwrap();
            let o = child.wait_with_output().unwrap();
            o.stdout.len().min(raw.len())
        };
        br_cache.insert(p.to_owned(), n);
        n
    };

    println!("\n| query | mode | hits | rounds | files | search KB | br KB | chunk KB (page 1) | articles KB (page 1) | search µs | decode+search µs |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let mut fetched: HashSet<String> = HashSet::new();
    let (mut lat_all, mut lat_dec) = (Vec::new(), Vec::new());
    let mut warm_files: Vec<usize> = Vec::new();
    let (mut cold, mut warm, mut cold_br, mut warm_br) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (qi, q) in QUERIES.iter().enumerate() {
        for mode in [MatchMode::Exact, MatchMode::Fuzzy] {
            let opts = Options {
                scope: Scope::Full,
                mode,
                sort: SortOrder::Relevance,
                ..Options::default()
            };
            let query = Query::parse(q, opts).unwrap();
            // The app's loop: fetch what the query asks for until it asks for nothing.
            let mut shards = Shards::default();
            let mut needed: Vec<SearchFile> = Vec::new();
            let mut rounds = 0;
            while let SearchStep::Fetch(missing) = query.step(&meta, &shards, 20).unwrap() {
                rounds += 1;
                for f in missing {
                    shards.load(f, file(&f.path()).to_vec()).unwrap();
                    needed.push(f);
                }
            }
            let shard_bytes: usize = needed.iter().map(|f| file(&f.path()).len()).sum();
            let (mut lat, mut dec) = (Vec::new(), Vec::new());
            let mut res = None;
            for _ in 0..21 {
                let t = Instant::now();
                let mut s2 = Shards::default();
                for &f in &needed {
                    s2.load(f, file(&f.path()).to_vec()).unwrap();
                }
                let t2 = Instant::now();
                // As the app does: the first page in order, every match counted.
                let r = query.search_top(&meta, &s2, 20).unwrap();
                lat.push(t2.elapsed().as_secs_f64() * 1e6);
                dec.push(t.elapsed().as_secs_f64() * 1e6);
                res = Some(r);
            }
            let r = res.unwrap();
            let page: Vec<u32> = r.hits.iter().take(20).map(|h| h.doc).collect();
            let chunks: HashSet<u32> = page.iter().map(|&d| meta.chunk_of(d)).collect();
            let chunk_bytes: usize = chunks
                .iter()
                .map(|&c| file(&chunk_path(c, Variant::Hans)).len())
                .sum();
            let mut table = gongkai_core::search::DocTable::default();
            for &c in &chunks {
                table.insert(serde_json::from_slice(file(&chunk_path(c, Variant::Hans))).unwrap());
            }
            let article_bytes: usize = page
                .iter()
                .map(|&d| file(&item_path(Variant::Hans, &table.get(d).unwrap().id)).len())
                .sum();
            let p50 = pct(&mut lat, 0.5);
            lat_all.push(p50);
            lat_dec.push(pct(&mut dec, 0.5));
            // Cold: meta + files + chunks; warm: what is new since the previous queries.
            let mut paths: Vec<String> = needed.iter().map(|f| f.path()).collect();
            paths.extend(chunks.iter().map(|&c| chunk_path(c, Variant::Hans)));
            let new: Vec<&String> = paths.iter().filter(|p| !fetched.contains(*p)).collect();
            let all_br: usize = paths.iter().map(|p| br(p)).sum();
            cold.push(file(META_PATH).len() + shard_bytes + chunk_bytes);
            cold_br.push(br(META_PATH) + all_br);
            if qi > 0 {
                warm.push(new.iter().map(|p| file(p).len()).sum::<usize>());
                warm_br.push(new.iter().map(|p| br(p)).sum::<usize>());
                warm_files.push(new.len());
            }
            let search_br: usize = needed.iter().map(|f| br(&f.path())).sum();
            fetched.extend(paths);
            println!(
                "| {q} | {} | {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} |",
                mode.as_str(),
                r.total,
                rounds,
                needed.len(),
                shard_bytes as f64 / 1e3,
                search_br as f64 / 1e3,
                chunk_bytes as f64 / 1e3,
                article_bytes as f64 / 1e3,
                p50,
                pct(&mut dec, 0.5),
            );
        }
    }
    let kb = |v: &[usize]| -> Vec<f64> { v.iter().map(|&b| b as f64 / 1e3).collect() };
    let (mut c, mut w, mut cb, mut wb) = (kb(&cold), kb(&warm), kb(&cold_br), kb(&warm_br));
    println!(
        "\nlatency over the query set, native: search alone p50 {:.0} µs, p95 {:.0} µs; decode + search p50 {:.0} µs, p95 {:.0} µs",
        pct(&mut lat_all, 0.5),
        pct(&mut lat_all, 0.95),
        pct(&mut lat_dec, 0.5),
        pct(&mut lat_dec, 0.95)
    );
    println!(
        "bytes, cold (meta + search files + page-1 chunks, no articles): p50 {:.1} KB, p95 {:.1} KB (brotli p50 {:.1} KB, p95 {:.1} KB); warm (new files after the earlier queries): p50 {:.1} KB, p95 {:.1} KB (brotli p50 {:.1} KB, p95 {:.1} KB)",
        pct(&mut c, 0.5), pct(&mut c, 0.95), pct(&mut cb, 0.5), pct(&mut cb, 0.95),
        pct(&mut w, 0.5), pct(&mut w, 0.95), pct(&mut wb, 0.5), pct(&mut wb, 0.95)
    );
    // The browser's figure (Resource Timing's transferSize) counts each
    // response's headers as a fixed 300 B, whatever they were (on the wire
    // deploy/nginx.conf sends about 380 B for a search file over HTTP/1.1).
    let mut wire: Vec<f64> = warm_br
        .iter()
        .zip(&warm_files)
        .map(|(&b, &n)| (b + 300 * n) as f64 / 1e3)
        .collect();
    let mut files: Vec<f64> = warm_files.iter().map(|&n| n as f64).collect();
    println!(
        "warm, new files p50 {:.0}, p95 {:.0}; brotli + 300 B of headers a file (as Resource Timing counts them): p50 {:.1} KB, p95 {:.1} KB",
        pct(&mut files, 0.5), pct(&mut files, 0.95), pct(&mut wire, 0.5), pct(&mut wire, 0.95)
    );
}

/// Bytes of the index that the search features of issue 20 add: the
/// dictionary entries (pinyin, initials, one-off, characters), the
/// exact-title, 文号 and 索引号 lists, the column file and the synonym
/// table, against the whole index.
fn feature_bytes(files: &[(String, Vec<u8>)]) {
    let all: usize = files.iter().map(|f| f.1.len()).sum();
    let mut by: HashMap<&str, usize> = HashMap::new();
    for (path, bytes) in files {
        if path == COLUMNS_PATH {
            *by.entry("columns.bin").or_default() += bytes.len();
            continue;
        }
        let Some(SearchFile::Shard(_)) = SearchFile::from_path(path) else {
            continue;
        };
        let shard = Shard::decode(bytes.clone()).unwrap();
        for (key, n) in shard.entry_sizes() {
            let what = match key.as_bytes() {
                [b'y', b'p', ..] => "dictionary: pinyin",
                [b'y', b'i', ..] => "dictionary: initials",
                [b'y', b'o', ..] => "dictionary: one character off",
                [b'y', b'c', ..] => "dictionary: characters",
                [b't', b'e', ..] => "exact title",
                [b'n', ..] => "文号",
                [b'i', ..] => "索引号",
                [b's', ..] => "synonym table",
                _ => continue,
            };
            *by.entry(what).or_default() += n;
        }
    }
    let mut rows: Vec<(&str, usize)> = by.into_iter().collect();
    rows.sort();
    let added: usize = rows.iter().map(|r| r.1).sum();
    println!(
        "index bytes of the issue-20 features: {:.1} KB of {:.1} MB ({:.2} %)",
        added as f64 / 1e3,
        all as f64 / 1e6,
        added as f64 * 100.0 / all as f64
    );
    for (what, n) in rows {
        println!("    {what}: {:.1} KB", n as f64 / 1e3);
    }
}
