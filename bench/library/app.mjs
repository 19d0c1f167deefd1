// The 政策文件库 in headless Chromium on a generated section (bench/library/app.sh):
//   - first view: the data files /library loads before its list shows, in
//     bytes on the wire (nginx's log: brotli, headers included), and the
//     index fetched after it in the background;
//   - applying a facet once the index is loaded: from the click on a box to
//     the new state in the DOM (count, boxes and rows), p50 / p95 over RUNS
//     clicks, with the bytes each one fetched (the rows' titles).
//   - with BREAKDOWN=1, where the clicks' time goes: a Chrome trace of the
//     clicks, the renderer's main thread summed by event (script, style,
//     layout, GC; nested events are counted within their parents too).
// Usage: node bench/library/app.mjs BASE_URL   (GK_BYTES_LOG: nginx's log)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.argv[2];
if (!base) {
  console.error('usage: node bench/library/app.mjs BASE_URL');
  process.exit(2);
}
const runs = Number(process.env.RUNS ?? 60);
const bytesLog = process.env.GK_BYTES_LOG;
const logSize = () => (bytesLog && existsSync(bytesLog) ? statSync(bytesLog).size : 0);
/** Bytes on the wire since `offset` of the log, by path prefix. */
function wireSince(offset) {
  const out = {};
  if (!bytesLog) return out;
  for (const line of readFileSync(bytesLog).subarray(offset).toString('utf8').split('\n')) {
    const [uri, status, bytes] = line.split(' ');
    if (!uri || status === '304') continue;
    const path = uri.split('?')[0];
    out[path] = (out[path] ?? 0) + Number(bytes);
  }
  return out;
}
const sum = (o, pred = () => true) => Object.entries(o).filter(([p]) => pred(p)).reduce((a, [, b]) => a + b, 0);
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const page = await (await browser.newContext()).newPage();

// First view: everything the page fetches until its rows show.
let offset = logSize();
const t0 = Date.now();
await page.goto(new URL('library', base).href);
await page.waitForSelector('[data-gongkai] .gk-app[data-js="on"] .gk-library .gk-facet__box');
const shown = Date.now() - t0;
// The index arrives in the background after the first view.
await page.waitForResponse((r) => r.url().includes('/bundle/library/index.bin')).catch(() => {});
await page.waitForLoadState('networkidle');
const first = wireSince(offset);
const data = (p) => p.startsWith('/bundle/');
const firstView = sum(first, (p) => data(p) && !p.endsWith('/library/index.bin'));
const index = sum(first, (p) => p.endsWith('/library/index.bin'));
console.log(`first view of /library: shown in ${shown} ms (app and static page included)`);
for (const [p, b] of Object.entries(first).filter(([p]) => data(p)).sort()) console.log(`    ${p.padEnd(44)} ${b} B`);
console.log(`  data before the list shows: ${kb(firstView)} (manifest, facets, list page)`);
console.log(`  index, fetched after it:    ${kb(index)}`);
console.log(`  data in all:                ${kb(firstView + index)}`);

// Applying a facet: a deterministic walk over the boxes, at most two ticked.
let seed = 19;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const times = [];
const fetched = [];
const breakdown = process.env.BREAKDOWN === '1';
if (breakdown) {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'] });
}
for (let i = 0; i < runs; i++) {
  const boxes = await page.$$eval('.gk-facet__box', (els) => els.map((e) => ({ id: e.id, checked: e.checked })));
  const ticked = boxes.filter((b) => b.checked);
  const pool = ticked.length >= 2 ? ticked : boxes;
  const target = pool[rand(pool.length)].id;
  offset = logSize();
  const ms = await page.evaluate(
    (id) =>
      new Promise((resolve) => {
        const before = document.querySelector('.gk-library')?.dataset.state;
        const done = () => {
          const lib = document.querySelector('.gk-library');
          return lib && lib.dataset.state !== before && !document.querySelector('.gk-loading');
        };
        const start = performance.now();
        const observer = new MutationObserver(() => {
          if (done()) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        document.getElementById(id).click();
      }),
    target,
  );
  await page.waitForLoadState('networkidle');
  times.push(ms);
  fetched.push(sum(wireSince(offset), data));
}
if (breakdown) {
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  const events = trace.traceEvents ?? trace;
  const main = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const names = ['FunctionCall', 'RunMicrotasks', 'v8.run', 'EventDispatch', 'FireAnimationFrame', 'TimerFire',
    'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'ParseHTML'];
  const total = Object.fromEntries(names.map((n) => [n, 0]));
  for (const e of events) {
    if (e.ph === 'X' && e.name in total && main.has(`${e.pid}:${e.tid}`)) total[e.name] += (e.dur ?? 0) / 1000;
  }
  console.log(`  main thread per click (mean of ${runs}, BREAKDOWN=1):`);
  for (const n of names) if (total[n] > 0) console.log(`    ${n.padEnd(20)} ${(total[n] / runs).toFixed(2)} ms`);
}
console.log(`applying a facet (${runs} clicks, index loaded): p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
console.log(`  bytes fetched per click (rows' titles): p50 ${kb(pct(fetched, 50))}, p95 ${kb(pct(fetched, 95))}`);
await browser.close();
