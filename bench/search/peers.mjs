// Peer comparison for issue 3: FlexSearch (Charset.CJK), MiniSearch (bigram
// tokenizer) and Pagefind over the corpus and queries of
// `search_bench --peers DIR`. Reports precision and recall against the
// brute-force truth (folded substring), lookup latency p50/p95, build time,
// index bytes and bytes for the first and later queries.
//
// bench/search/app.sh runs it in the same Chromium process as the app's own
// search (app.mjs imports `buildPeers` and `runPeers`); on its own:
//
//   cargo run --release -p gongkai-cli --example search_bench -- 10000 --peers /tmp/gkpeers
//   node bench/search/peers.mjs /tmp/gkpeers
//
// Served by a small static server on a free loopback port that counts the
// bytes of every response, raw and as brotli quality 5 would send them.
import { chromium } from 'playwright-core';
import { Index, Charset } from 'flexsearch';
import MiniSearch from 'minisearch';
import * as pagefind from 'pagefind';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync, copyFileSync } from 'node:fs';
import { join, extname, dirname } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (...a) => console.error(...a);
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.round((s.length - 1) * p)]; };

/**
 * Builds the three peers' indexes over DIR's corpus (in Node, timed) into
 * DIR/site, with the pages that load them. Returns the build times in
 * seconds by peer.
 */
export async function buildPeers(dir) {
  const corpus = JSON.parse(readFileSync(join(dir, 'corpus.json'), 'utf8'));
  const site = join(dir, 'site');
  rmSync(site, { recursive: true, force: true });
  mkdirSync(join(site, 'lib'), { recursive: true });

  // --- Build the peers' indexes (in Node; timed) ----------------------------
  const timed = async (f) => { const t = performance.now(); const r = await f(); return [r, (performance.now() - t) / 1000]; };

  // MiniSearch: words for Latin and digits, bigrams (and lone characters) for CJK.
  const miniTokenize = (text) => {
    const out = [];
    for (const run of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      for (const part of run.match(/[\p{Script=Han}]+|[^\p{Script=Han}]+/gu)) {
        if (!/\p{Script=Han}/u.test(part)) out.push(part);
        else if (part.length === 1) out.push(part);
        else for (let i = 0; i + 1 < part.length; i++) out.push(part.slice(i, i + 2));
      }
    }
    return out;
  };
  const miniOptions = { fields: ['title', 'text'], idField: 'id', tokenize: miniTokenize, processTerm: (t) => t };
  const [mini, miniBuild] = await timed(() => { const m = new MiniSearch(miniOptions); m.addAll(corpus); return m; });
  writeFileSync(join(site, 'mini.json'), JSON.stringify(mini));
  log(`minisearch built in ${miniBuild.toFixed(1)} s`);

  const [flex, flexBuild] = await timed(() => {
    const f = new Index({ encoder: Charset.CJK });
    corpus.forEach((d, i) => f.add(i, `${d.title}\n${d.text}`));
    return f;
  });
  const flexParts = {};
  await flex.export((key, data) => { flexParts[key] = data; });
  writeFileSync(join(site, 'flex.json'), JSON.stringify(flexParts));
  writeFileSync(join(site, 'ids.json'), JSON.stringify(corpus.map((d) => d.id)));
  log(`flexsearch built in ${flexBuild.toFixed(1)} s`);

  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const [, pfBuild] = await timed(async () => {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'zh-cn' });
    if (errors.length) throw new Error(errors.join('\n'));
    for (const d of corpus) {
      await index.addHTMLFile({
        url: `/p/${d.id}/`,
        content: `<html lang="zh-CN"><body><main data-pagefind-body><h1>${esc(d.title)}</h1><p>${esc(d.text)}</p></main></body></html>`,
      });
    }
    await index.writeFiles({ outputPath: join(site, 'pagefind') });
  });
  await pagefind.close();
  log(`pagefind built in ${pfBuild.toFixed(1)} s`);

  copyFileSync(join(root, 'node_modules/minisearch/dist/es/index.js'), join(site, 'lib/minisearch.js'));
  copyFileSync(join(root, 'node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs'), join(site, 'lib/flexsearch.mjs'));
  writeFileSync(join(site, 'index.html'), '<!doctype html><meta charset="utf-8"><title>peers</title>');
  return { flexsearch: flexBuild, minisearch: miniBuild, pagefind: pfBuild };
}

/**
 * Runs DIR's truth queries with each peer in a fresh context of `browser`
 * (RUNS timed calls each after a first one that loads the index) and
 * returns, by peer, precision, recall, latency and bytes; also written to
 * DIR/peers.json.
 */
export async function runPeers(browser, dir, builds) {
  const runs = Number(process.env.RUNS ?? 5);
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  const site = join(dir, 'site');

  // --- Static server that counts bytes ---------------------------------------
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
  let sent = { raw: 0, br: 0, files: 0 };
  const brCache = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(site, path.endsWith('/') ? path + 'index.html' : path);
    if (!file.startsWith(site) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    const body = readFileSync(file);
    if (!brCache.has(file)) {
      brCache.set(file, body.length < 256 ? body.length : brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length);
    }
    sent.raw += body.length; sent.br += brCache.get(file); sent.files += 1;
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;

  // --- Browser run ------------------------------------------------------------
  const results = {};
  try {
    for (const peer of ['flexsearch', 'minisearch', 'pagefind']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/index.html`);
      sent = { raw: 0, br: 0, files: 0 };
      const rows = [];
      for (const [qi, { q, ids }] of truth.entries()) {
        const before = { ...sent };
        // Lookup: the engine's own query call, repeated; the first call loads
        // the index (cold), so it is timed apart and not in the latency figures.
        const r = await page.evaluate(async ({ peer, q, runs }) => {
          const w = window;
          if (!w.__engine) {
            if (peer === 'minisearch') {
              const { default: MiniSearch } = await import('/lib/minisearch.js');
              const tok = (text) => {
                const out = [];
                for (const run of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
                  for (const part of run.match(/[\p{Script=Han}]+|[^\p{Script=Han}]+/gu)) {
                    if (!/\p{Script=Han}/u.test(part)) out.push(part);
                    else if (part.length === 1) out.push(part);
                    else for (let i = 0; i + 1 < part.length; i++) out.push(part.slice(i, i + 2));
                  }
                }
                return out;
              };
              const json = await (await fetch('/mini.json')).text();
              const m = MiniSearch.loadJSON(json, { fields: ['title', 'text'], idField: 'id', tokenize: tok, processTerm: (t) => t });
              w.__engine = async (q) => m.search(q, { combineWith: 'AND' }).map((x) => x.id);
            } else if (peer === 'flexsearch') {
              const { Index, Charset } = await import('/lib/flexsearch.mjs');
              const f = new Index({ encoder: Charset.CJK });
              const parts = await (await fetch('/flex.json')).json();
              for (const [k, v] of Object.entries(parts)) await f.import(k, v);
              const ids = await (await fetch('/ids.json')).json();
              w.__engine = async (q) => f.search(q, { limit: 1e6 }).map((i) => ids[i]);
            } else {
              const pf = await import('/pagefind/pagefind.js');
              await pf.init();
              w.__engine = async (q, all) => {
                const s = await pf.search(q);
                // Page 1 as a results page shows it: 20 fragments. For precision,
                // up to 200 results are resolved to their pages.
                const n = all ? Math.min(s.results.length, 200) : Math.min(s.results.length, 20);
                const data = await Promise.all(s.results.slice(0, n).map((x) => x.data()));
                return { total: s.results.length, sample: data.map((d) => d.url.split('/')[2]) };
              };
            }
          }
          const t0 = performance.now();
          const first = await w.__engine(q, true);
          const cold = performance.now() - t0;
          const times = [];
          for (let i = 0; i < runs; i++) {
            const t = performance.now();
            await w.__engine(q, false);
            times.push(performance.now() - t);
          }
          times.sort((a, b) => a - b);
          return { first, cold, lookup: times[Math.floor(times.length / 2)] };
        }, { peer, q, runs });
        const bytes = { raw: sent.raw - before.raw, br: sent.br - before.br, files: sent.files - before.files };
        const want = new Set(ids);
        let total, tp, precision;
        if (peer === 'pagefind') {
          total = r.first.total;
          tp = r.first.sample.filter((id) => want.has(id)).length;
          // Estimated from the top-200 sample, which over-rates an engine that
          // returns too much: bounded by truth / total.
          precision = r.first.sample.length ? tp / r.first.sample.length : (want.size ? 0 : 1);
          if (total > 0) precision = Math.min(precision, want.size / total);
          tp = Math.round(precision * total);
        } else {
          const got = [...new Set(r.first)];
          total = got.length;
          tp = got.filter((id) => want.has(id)).length;
          precision = total ? tp / total : (want.size ? 0 : 1);
        }
        const recall = want.size ? Math.min(1, tp / want.size) : (total ? 0 : 1);
        rows.push({ q, truth: want.size, total, precision, recall, lookup: r.lookup, first: r.cold, bytes, qi });
        log(`${peer} ${q}: ${total} hits (truth ${want.size}) P ${precision.toFixed(3)} R ${recall.toFixed(3)} ${r.lookup.toFixed(2)} ms, ${(bytes.raw / 1e3).toFixed(1)} KB`);
      }
      await context.close();
      const later = rows.slice(1).map((x) => x.bytes.raw / 1e3);
      const laterBr = rows.slice(1).map((x) => x.bytes.br / 1e3);
      results[peer] = {
        build_s: builds[peer],
        precision: rows.reduce((a, x) => a + x.precision, 0) / rows.length,
        recall: rows.reduce((a, x) => a + x.recall, 0) / rows.length,
        exact_queries: rows.filter((x) => x.precision === 1 && x.recall === 1).length,
        lookup_p50: pct(rows.map((x) => x.lookup), 0.5),
        lookup_p95: pct(rows.map((x) => x.lookup), 0.95),
        first_query_ms: rows[0].first,
        cold_kb: rows[0].bytes.raw / 1e3, cold_br_kb: rows[0].bytes.br / 1e3,
        later_p50_kb: pct(later, 0.5), later_p95_kb: pct(later, 0.95),
        later_br_p50_kb: pct(laterBr, 0.5), later_br_p95_kb: pct(laterBr, 0.95),
        rows,
      };
    }
  } finally {
    server.close();
}
const { execSync } = await import('node:child_process');
const du = (p) => Number(execSync(`du -sb ${p}`).toString().split('\t')[0]);
results.flexsearch.index_mb = du(join(site, 'flex.json')) / 1e6;
results.minisearch.index_mb = du(join(site, 'mini.json')) / 1e6;
results.pagefind.index_mb = du(join(site, 'pagefind')) / 1e6;
writeFileSync(join(dir, 'peers.json'), JSON.stringify(results, null, 1));
return results;
}

/** Prints the peers' table. */
export function printPeers(results) {
  console.log('| | precision | recall | queries exactly right | lookup p50 / p95 ms | first query ms | index MB | build s | first query KB (br) | later query KB p50 / p95 (br p50) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [peer, r] of Object.entries(results)) {
    console.log(`| ${peer} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.exact_queries}/${r.rows.length} | ${r.lookup_p50.toFixed(2)} / ${r.lookup_p95.toFixed(2)} | ${r.first_query_ms.toFixed(0)} | ${r.index_mb.toFixed(1)} | ${r.build_s.toFixed(1)} | ${r.cold_kb.toFixed(1)} (${r.cold_br_kb.toFixed(1)}) | ${r.later_p50_kb.toFixed(1)} / ${r.later_p95_kb.toFixed(1)} (${r.later_br_p50_kb.toFixed(1)}) |`);
}
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/search/peers.mjs DIR (from search_bench --peers DIR)');
    process.exit(2);
  }
  const builds = await buildPeers(dir);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    printPeers(await runPeers(browser, dir, builds));
  } finally {
    await browser.close();
  }
}
