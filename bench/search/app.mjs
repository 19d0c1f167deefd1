// The app's own search, measured in headless Chromium: for each query of a
// fixed set, the time from submitting the search form to the results being
// rendered, and the bytes the query downloaded (cold: the first query of a
// fresh browser; warm: later ones). Usage:
//   node bench/search/app.mjs BASE_URL [QUERIES_FILE]
// BASE_URL serves a release build with a bundle (scripts/build-site, or
// bench/search/app.sh for a generated 10,000-notice feed).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.argv[2];
if (!base) {
  console.error('usage: node bench/search/app.mjs BASE_URL [QUERIES_FILE]');
  process.exit(2);
}
const queries = process.argv[3]
  ? readFileSync(process.argv[3], 'utf8').split('\n').map((q) => q.trim()).filter(Boolean)
  : ['通知', '科技', '科技特派员', '文明单位', '高新技术企业', '專利', '项目申报', '2023', '乡村振兴 科技', '不存在的词语组合'];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await (await browser.newContext()).newPage();
await page.goto(new URL('search?q=', base).href);
await page.waitForSelector('.gk-results__count');

const rows = [];
for (const [i, q] of queries.entries()) {
  const r = await page.evaluate((q) => new Promise((resolve) => {
    const before = performance.getEntriesByType('resource').length;
    const input = document.querySelector('.gk-search__input');
    const count = () => document.querySelector('.gk-results__count')?.textContent ?? '';
    const start = performance.now();
    const observer = new MutationObserver(() => {
      const now = count();
      // The results are re-rendered as a whole: a new count line means the
      // new results are in the DOM (its text may well be the same).
      const section = document.querySelector('.gk-results');
      if (section && section.dataset.query === q && section.querySelector('.gk-results__count')) {
        observer.disconnect();
        const entries = performance.getEntriesByType('resource').slice(before)
          .filter((e) => e.name.includes('/bundle/'));
        resolve({
          ms: performance.now() - start,
          bytes: entries.reduce((s, e) => s + (e.transferSize || e.encodedBodySize), 0),
          files: entries.length,
          text: now.trim(),
        });
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    input.value = q;
    input.form.requestSubmit();
  }), q);
  rows.push({ q, cold: i === 0, ...r });
  console.log(`${q.padEnd(12)} ${r.ms.toFixed(1).padStart(7)} ms ${String(Math.round(r.bytes / 1024)).padStart(5)} KB ${String(r.files).padStart(3)} files  ${r.text}`);
}
await browser.close();
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = rows.map((r) => r.ms);
const warm = rows.filter((r) => !r.cold).map((r) => r.bytes / 1024);
console.log(`query to rendered results: p50 ${pct(ms, 50).toFixed(1)} ms, p95 ${pct(ms, 95).toFixed(1)} ms; ` +
  `bytes: first query ${(rows[0].bytes / 1024).toFixed(1)} KB, later p50 ${pct(warm, 50).toFixed(1)} KB, p95 ${pct(warm, 95).toFixed(1)} KB`);
