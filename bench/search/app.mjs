// The app's own search, measured in headless Chromium. For each query of a
// fixed set, in 精确 then 模糊 (全文, 相关度), from submitting the header's
// search form:
//   - lookup: the in-memory search in wasm (`performance.measure
//     ("gk-search-lookup")`, present only in a `--features bench` build);
//   - rendered: until the new results (count, titles, dates, columns) are in
//     the DOM;
//   - snippets: until every row's snippet is filled in (they need the
//     article files and arrive after the list);
//   - bytes downloaded (transfer size, headers included) for the search
//     files and document-table chunks, and for the article files.
// Pass 1 runs in a fresh browser context (the first query is cold, later
// ones download only what earlier ones did not); pass 2 repeats the set in
// the same page (the index parts the app keeps in memory are reused; the
// matches it keeps for its last four queries are not, as 48 runs cycle
// through them); pass 3 switches 排序 and pages on each query's results.
// Usage:
//   node bench/search/app.mjs BASE_URL [QUERIES_FILE]
// BASE_URL serves a release build with a bundle (bench/search/app.sh builds
// and serves a generated corpus). QUERIES_FILE: one query a line; the
// default is the set of `search_bench` (crates/cli/examples/search_bench.rs).
import { readFileSync, existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { buildPeers, runPeers, printPeers } from './peers.mjs';

const base = process.argv[2];
if (!base) {
  console.error('usage: node bench/search/app.mjs BASE_URL [QUERIES_FILE]');
  process.exit(2);
}
const queries = process.argv[3]
  ? readFileSync(process.argv[3], 'utf8').split('\n').map((q) => q.trim()).filter(Boolean)
  : ['通知', '科技', '科技创新', '项目申报', '专项资金', '乡村振兴', '高质量发展', '营商环境',
    '中药材种植', '洛门镇', '发展和改革局', '科學技術', '鄉村振興', '2023', '0938', 'example',
    '公示期为七个工作日', '政府信息公开条例', '招商引资 人才引进', '苹果产业 洛门镇', '疫情防控，',
    '不存在的词语', '项目申报和专利资助', '数字政府'];

// GK_PEERS_DIR (from `search_bench N --peers DIR`; app.sh sets it): the
// peers' indexes are built now, before anything is timed, and their
// queries run after the app's, in the same Chromium process.
const peersDir = process.env.GK_PEERS_DIR;
const peerBuilds = peersDir ? await buildPeers(peersDir) : null;
// GK_BYTES_LOG: nginx's log of `$request_uri $status $bytes_sent` (app.sh
// writes it): the bytes each response took on the wire, headers included.
// Resource Timing cannot say: its transferSize is the body plus a fixed
// 300 bytes for the headers, whatever they were.
const bytesLog = process.env.GK_BYTES_LOG;
const logSize = () => (bytesLog && existsSync(bytesLog) ? statSync(bytesLog).size : 0);
const wireSince = (offset) => {
  if (!bytesLog) return null;
  const text = readFileSync(bytesLog).subarray(offset).toString('utf8');
  let sum = 0;
  for (const line of text.split('\n')) {
    const [uri, , bytes] = line.split(' ');
    if (uri?.startsWith('/bundle/search/')) sum += Number(bytes);
  }
  return sum;
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
    // app.sh HTTP2=1 serves the site over HTTPS with a throwaway certificate.
    ...(base.startsWith('https:') ? ['--ignore-certificate-errors'] : []),
    // For experiments with the engine, e.g. GK_JS_FLAGS=--no-wasm-lazy-compilation.
    ...(process.env.GK_JS_FLAGS ? [`--js-flags=${process.env.GK_JS_FLAGS}`] : [])],
});
const page = await (await browser.newContext()).newPage();
// An empty query shows its message without touching the index: the app,
// its manifest and nothing of the search are loaded before the first query.
await page.goto(new URL('search?q=', base).href);
await page.waitForSelector('.gk-results__count');
// The default buffer (250 entries) fills within a few queries.
await page.evaluate(() => performance.setResourceTimingBufferSize(1_000_000));
// GK_THINK_MS: the reader focuses the box and takes this long to type the
// first query (the app warms its search code up meanwhile); by default the
// first query is submitted at once, as a shared search link runs it.
const think = Number(process.env.GK_THINK_MS ?? 0);
if (think > 0) {
  await page.focus('.gk-search__input');
  await page.waitForTimeout(think);
}

/**
 * Submits `q` with 匹配度 `match` and 排序 `sort` (or, with `next`, follows
 * the pager's 下一页 link of the results shown) and measures until rendered
 * and complete.
 */
async function measure(q, match, sort = 'relevance', next = false) {
  const offset = logSize();
  const r = await measureInPage(q, match, sort, next);
  // nginx logs a request once its last byte is sent, before the page can
  // have seen it: every line of this run is in the log by now.
  return { ...r, searchWire: wireSince(offset) };
}

function measureInPage(q, match, sort, next) {
  return page.evaluate(([q, match, sort, next]) => new Promise((resolve, reject) => {
    const before = performance.getEntriesByType('resource').length;
    const lookups = performance.getEntriesByName('gk-search-lookup').length;
    const input = document.querySelector('.gk-search__input');
    const select = (value) => [...input.form.querySelectorAll('select')]
      .find((s) => [...s.options].some((o) => o.value === value));
    const shownPage = Number(document.querySelector('.gk-results')?.dataset.page ?? 1);
    const wantPage = next ? shownPage + 1 : 1;
    let rendered = null;
    const start = performance.now();
    const timer = setTimeout(() => reject(new Error(`no results for ${q} after 60 s`)), 60_000);
    const check = () => {
      const section = document.querySelector('.gk-results');
      // Consecutive runs differ in query or mode, and the section names both.
      if (!section || section.dataset.query !== q || section.dataset.match !== match ||
        section.dataset.sort !== sort || Number(section.dataset.page) !== wantPage) return;
      if (!section.querySelector('.gk-results__count')) return;
      rendered ??= performance.now() - start;
      // A snippet box starts empty, then holds the pending placeholder,
      // then the text: complete when every box has text.
      // The list adds its rows a few a task, busy until all are there.
      if (section.querySelector('.gk-results__list[aria-busy="true"]')) return;
      const snippets = [...section.querySelectorAll('.gk-results__snippet')];
      if (snippets.some((s) => s.textContent.trim() === '')) return;
      observer.disconnect();
      clearTimeout(timer);
      const done = performance.now() - start;
      const entries = performance.getEntriesByType('resource').slice(before)
        .filter((e) => e.name.includes('/bundle/'));
      const size = (es) => es.reduce((s, e) => s + (e.transferSize || e.encodedBodySize), 0);
      const search = entries.filter((e) => e.name.includes('/bundle/search/'));
      const articles = entries.filter((e) => !e.name.includes('/bundle/search/'));
      const lookup = performance.getEntriesByName('gk-search-lookup').slice(lookups).at(-1);
      resolve({
        lookup: lookup ? lookup.duration : null,
        rendered,
        done,
        searchBytes: size(search),
        searchBody: search.reduce((s, e) => s + e.encodedBodySize, 0),
        searchFiles: search.length,
        articleBytes: size(articles),
        articleFiles: articles.length,
        count: section.querySelector('.gk-results__count').textContent.trim(),
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    if (next) {
      document.querySelector('.gk-results .gk-pager__link[rel="next"]').click();
    } else {
      select(match).value = match;
      select(sort).value = sort;
      input.value = q;
      input.form.requestSubmit();
    }
  }), [q, match, sort, next]);
}

const pct = (xs, p) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');

const passRows = {};
for (const pass of [1, 2]) {
  const rows = [];
  passRows[pass] = rows;
  console.log(`\npass ${pass}: ${pass === 1 ? 'fresh context, each query for the first time' : 'the same queries again, same page'}`);
  console.log('query                mode    lookup ms  rendered ms  snippets ms  search KB  articles KB  count');
  for (const q of queries) {
    for (const match of ['exact', 'fuzzy']) {
      const r = await measure(q, match);
      rows.push({ q, match, ...r });
      console.log(`${q.padEnd(20 - [...q].filter((c) => c > '\u2e80').length)} ${match.padEnd(6)} ${f2(r.lookup).padStart(10)} ${f1(r.rendered).padStart(12)} ${f1(r.done).padStart(12)} ${f1(r.searchBytes / 1024).padStart(10)} ${f1(r.articleBytes / 1024).padStart(12)}  ${r.count}`);
    }
  }
  const col = (k) => rows.map((r) => r[k]);
  const warm = rows.slice(1).map((r) => r.searchBytes / 1024);
  const warmBody = rows.slice(1).map((r) => r.searchBody / 1024);
  const warmWire = rows.slice(1).map((r) => r.searchWire / 1024);
  console.log(`pass ${pass} summary over ${rows.length} runs: ` +
    `lookup p50 ${f2(pct(col('lookup'), 50))} ms, p95 ${f2(pct(col('lookup'), 95))} ms; ` +
    `rendered p50 ${f1(pct(col('rendered'), 50))} ms, p95 ${f1(pct(col('rendered'), 95))} ms; ` +
    `snippets complete p50 ${f1(pct(col('done'), 50))} ms, p95 ${f1(pct(col('done'), 95))} ms; ` +
    `search bytes: first query ${f1(rows[0].searchBytes / 1024)} KB, later p50 ${f1(pct(warm, 50))} KB, p95 ${f1(pct(warm, 95))} KB, max ${f1(Math.max(...warm))} KB; ` +
    `article bytes per query p50 ${f1(pct(col('articleBytes'), 50) / 1024)} KB; ` +
    `search bodies alone (brotli): first ${f1(rows[0].searchBody / 1024)} KB, later p50 ${f1(pct(warmBody, 50))} KB, p95 ${f1(pct(warmBody, 95))} KB` +
    (bytesLog ? `; on the wire (nginx $bytes_sent, headers included): first ${f1(rows[0].searchWire / 1024)} KB, later p50 ${f1(pct(warmWire, 50))} KB, p95 ${f1(pct(warmWire, 95))} KB` : ''));
}
// Pass 3: what a reader does with results: switch 排序 to 时间, go to page
// 2, switch back to 相关度. The app keeps the matches of its last queries,
// so none of these runs the query again (the lookup is cutting a page from
// the kept matches); the first submit of each query is not measured here.
{
  const rows = [];
  console.log('\npass 3: 模糊 results of each query, then 时间, 下一页, 相关度 (kept matches)');
  console.log('query                step       lookup ms  rendered ms  search KB');
  for (const q of queries) {
    const first = await measure(q, 'fuzzy');
    if (!/共找到 ([2-9]\d|\d{3,})/.test(first.count)) continue; // needs a page 2
    for (const [step, sort, next] of [['时间', 'date', false], ['下一页', 'date', true], ['相关度', 'relevance', false]]) {
      const r = await measure(q, 'fuzzy', sort, next);
      rows.push(r);
      console.log(`${q.padEnd(20 - [...q].filter((c) => c > '\u2e80').length)} ${step.padEnd(8 - [...step].length)} ${f2(r.lookup).padStart(10)} ${f1(r.rendered).padStart(12)} ${f1(r.searchBytes / 1024).padStart(10)}`);
    }
  }
  const col = (k) => rows.map((r) => r[k]);
  console.log(`pass 3 summary over ${rows.length} runs: lookup p50 ${f2(pct(col('lookup'), 50))} ms, p95 ${f2(pct(col('lookup'), 95))} ms; ` +
    `rendered p50 ${f1(pct(col('rendered'), 50))} ms, p95 ${f1(pct(col('rendered'), 95))} ms`);
}

// The peers, in the same browser, and gongkai's row of their table from the
// runs above: precision and recall of 精确 (the count against the truth,
// which is every document whose folded text holds the query: exact mode
// returns exactly those, checked id by id in crates/core/tests/search_exact.rs),
// lookup over the same queries with the index parts in memory (pass 2, as the
// peers' timed calls after the first), bytes as brotli bodies (as the peers'
// server counts them: no headers).
if (peersDir) {
  const peers = await runPeers(browser, peersDir, peerBuilds);
  const truth = JSON.parse(readFileSync(`${peersDir}/truth.json`, 'utf8'));
  const exact = (pass, q) => passRows[pass].find((r) => r.q === q && r.match === 'exact');
  const countOf = (r) => Number((r.count.match(/\d[\d,]*/)?.[0] ?? '0').replace(/,/g, ''));
  let right = 0;
  for (const { q, ids } of truth) {
    const got = countOf(exact(1, q));
    if (got === ids.length) right += 1;
    else console.log(`gongkai ${q}: ${got} results, truth ${ids.length}`);
  }
  const lookups = truth.map(({ q }) => exact(2, q).lookup);
  const first = passRows[1][0];
  const later = passRows[1].slice(1).map((r) => r.searchBody / 1e3);
  const searchDir = `${process.env.GK_BUNDLE_DIR ?? ''}/search`;
  const indexMb = process.env.GK_BUNDLE_DIR
    ? Number(execSync(`du -sb ${searchDir}`).toString().split('\t')[0]) / 1e6 : NaN;
  const ours = {
    precision: right / truth.length, recall: right / truth.length, exact_queries: right, rows: truth,
    lookup_p50: pct(lookups, 50), lookup_p95: pct(lookups, 95), first_query_ms: first.rendered,
    index_mb: indexMb, build_s: Number(process.env.GK_BUILD_SECONDS ?? NaN),
    cold_kb: first.searchBody / 1e3, cold_br_kb: first.searchBody / 1e3,
    later_p50_kb: pct(later, 50), later_p95_kb: pct(later, 95), later_br_p50_kb: pct(later, 50),
  };
  console.log(`\npeers (same browser run; gongkai: counts of 精确 against the truth, lookup of pass 2, brotli bodies; first query ms: submit → rendered, cold):`);
  printPeers({ gongkai: ours, ...peers });
  // A peer that loads its whole index with the first query downloads
  // nothing later: no ratio to give.
  const ratio = (a, b) => (a === 0 ? '0 (all loaded first)'
    : Number.isFinite(a / b) ? `${(a / b).toFixed(a / b < 10 ? 1 : 0)}×` : '–');
  console.log('\n| peer ÷ gongkai | lookup p50 | lookup p95 | first query bytes | later query bytes p50 | index size | build |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, r] of Object.entries(peers)) {
    console.log(`| ${name} | ${ratio(r.lookup_p50, ours.lookup_p50)} | ${ratio(r.lookup_p95, ours.lookup_p95)} | ${ratio(r.cold_br_kb, ours.cold_br_kb)} | ${ratio(r.later_br_p50_kb, ours.later_br_p50_kb)} | ${ratio(r.index_mb, ours.index_mb)} | ${ratio(r.build_s, ours.build_s)} |`);
  }
}
await browser.close();
